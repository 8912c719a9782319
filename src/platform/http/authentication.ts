import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { loadTokenActor, loadUserActor } from '../auth/actor-loader.ts';
import { UnauthenticatedError } from '../errors/errors.ts';
import { serviceContext, type ServiceContext } from './context.ts';

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/**
 * Works out who is acting on every request: a bearer token (API clients) or the session
 * (browsers). Enforces the idle and absolute session timeouts. Every route needs a
 * signed-in actor unless its config says `public: true`.
 */
export function setUpAuthentication(app: FastifyInstance, db: Db, config: Config, clock?: Clock): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('authKind', null);
  app.decorateRequest('ctx', function ctx(this: FastifyRequest): ServiceContext {
    if (!this.actor) throw new UnauthenticatedError();
    // The door to the data opens for this request's actor (src/platform/data/door.ts).
    return serviceContext({ db, actor: this.actor, requestId: this.id, config, clock });
  });

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const actor = await loadTokenActor(db, authorization.slice('Bearer '.length).trim());
      if (!actor) throw new UnauthenticatedError('The API token is not valid or has been revoked');
      request.actor = actor;
      request.authKind = 'bearer';
      return;
    }

    const s = request.session;
    if (s?.userId) {
      const now = Date.now();
      const idle = now - (s.lastSeenAt ?? 0) > config.sessionIdleMs;
      const expired = now - (s.signedInAt ?? 0) > config.sessionAbsoluteMs;
      if (idle || expired) {
        await s.regenerate();
        request.session.flash = {
          type: 'important',
          text: idle
            ? `You were signed out because you had not done anything for ${Math.round(config.sessionIdleMs / 60_000)} minutes.`
            : `You were signed out because you had been signed in for ${Math.round(config.sessionAbsoluteMs / 3_600_000)} hours.`,
        };
      } else {
        const actor = await loadUserActor(db, s.userId, s.activeOrganisationId);
        if (actor) {
          request.actor = actor;
          request.authKind = 'session';
          if (now - (s.lastSeenAt ?? 0) > 60_000) s.lastSeenAt = now;
        } else {
          // The account was deactivated or lost its memberships since signing in.
          await s.regenerate();
        }
      }
    }

    const isPublic = request.routeOptions.config?.public === true || request.url.startsWith('/assets/');
    if (!request.actor && !isPublic) {
      if (isApiRequest(request) || request.method !== 'GET') throw new UnauthenticatedError();
      const returnTo = request.url.startsWith('/') && !request.url.startsWith('//') ? request.url : '/';
      return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    }
  });
}
