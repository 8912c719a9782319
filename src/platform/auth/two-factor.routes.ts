import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { ConflictError, ForbiddenError, InputError } from '../errors/errors.ts';
import { formBody, asString } from '../http/forms.ts';
import { safeReturnTo } from '../http/return-to.ts';
import { toGovukErrors } from '../http/validation.ts';
import {
  checkSignInCode,
  confirmSecondFactorSetUp,
  hasSecondFactor,
  PENDING_MS,
  secondFactorOverview,
  secondFactorRequirement,
  secondFactorSetUpDetails,
  startSecondFactorSetUp,
  WRONG_CODE,
} from './two-factor.ts';

/*
 * The second factor's pages (issue 14, item 3): the code step of sign-in, and setting up an
 * authenticator app at /account/two-factor. See two-factor.ts for the rules.
 */

/** What the session holds between a right password and a right code: no user id, so nothing else opens. */
interface PendingCode {
  userId: string;
  email: string;
  organisationId: string;
  returnTo: string;
  startedAt: number;
}

function pendingCode(request: FastifyRequest): PendingCode | null {
  const value = request.session?.secondFactorPending as Partial<PendingCode> | undefined;
  if (!value || typeof value.userId !== 'string' || typeof value.email !== 'string' || typeof value.startedAt !== 'number') return null;
  return value as PendingCode;
}

/** True while a signed-in user must set up a second factor before anything else. */
function mustSetUp(request: FastifyRequest): boolean {
  return request.session?.secondFactorSetUpRequired === true;
}

/** Paths open to someone who must set up a second factor first. */
const OPEN_WHILE_SETTING_UP = new Set(['/account/two-factor', '/account/two-factor/start', '/account/two-factor/set-up', '/sign-out', '/signed-out']);

/**
 * After a right password: the code step for an account with an authenticator app (called by
 * routes.ts in place of signing in). The session is regenerated and holds only the pending step.
 */
export async function startCodeStep(request: FastifyRequest, reply: FastifyReply, actor: Actor, email: string, returnTo: string): Promise<FastifyReply> {
  await request.session.regenerate();
  const pending: PendingCode = { userId: actor.userId!, email: email.trim().toLowerCase(), organisationId: actor.activeOrganisationId, returnTo, startedAt: Date.now() };
  request.session.secondFactorPending = pending;
  return reply.redirect('/sign-in/code');
}

/**
 * After a password sign-in without a second factor: where to go next. If the account must have
 * one (an administrator, or the partnership asks it of everyone), the set-up page, and nothing
 * else opens until it is done.
 */
export async function nextAfterPasswordSignIn(db: Db, config: Config, request: FastifyRequest, actor: Actor, returnTo: string): Promise<string> {
  const requirement = await secondFactorRequirement(db, config, actor);
  if (!requirement.required || (await hasSecondFactor(db, actor.userId!))) return returnTo;
  request.session.secondFactorSetUpRequired = true;
  request.session.secondFactorReturnTo = returnTo;
  return '/account/two-factor';
}

/**
 * While a signed-in user must set up a second factor, every other page sends them to it (and
 * every other action is refused). Registered straight after authentication.
 */
export function setUpSecondFactorGate(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.authKind !== 'session' || !mustSetUp(request)) return;
    const path = request.url.split('?')[0] ?? '/';
    if (OPEN_WHILE_SETTING_UP.has(path) || path.startsWith('/assets/') || request.routeOptions.config?.public === true) return;
    if (request.method === 'GET' && !path.startsWith('/api/')) return reply.redirect('/account/two-factor');
    throw new ForbiddenError('Set up your second factor before you do anything else: go to /account/two-factor');
  });
}

const codeTemplate = 'platform/auth/views/sign-in-code.njk';

export function twoFactorRoutes(app: FastifyInstance, db: Db, config: Config, clock: Clock): void {
  // --- The code step of sign-in -------------------------------------------------------------
  app.get('/sign-in/code', { config: { public: true } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/');
    const pending = pendingCode(request);
    if (!pending || Date.now() - pending.startedAt > PENDING_MS) return reply.redirect('/sign-in');
    return reply.render(codeTemplate, { title: 'Enter the 6-digit code from your authenticator app', withCsrf: true });
  });

  app.post('/sign-in/code', { config: { public: true } }, async (request, reply) => {
    const pending = pendingCode(request);
    if (!pending || Date.now() - pending.startedAt > PENDING_MS) {
      delete request.session.secondFactorPending;
      request.session.flash = { type: 'important', text: 'You took too long to enter your code. Sign in again.' };
      return reply.redirect('/sign-in');
    }
    const code = asString(formBody(request.body).code).trim();
    const page = (status: number, message: string) => {
      reply.status(status);
      return reply.render(codeTemplate, { title: 'Enter the 6-digit code from your authenticator app', withCsrf: true, errors: toGovukErrors([{ path: 'code', message }]) });
    };
    if (code === '') return page(422, 'Enter the 6-digit code from your authenticator app');
    if (code.length > 40) return page(422, WRONG_CODE);
    const result = await checkSignInCode(db, config, clock, { userId: pending.userId, email: pending.email, organisationId: pending.organisationId, code, ip: request.ip, requestId: request.id });
    if (result.outcome === 'rate-limited') {
      reply.header('Retry-After', String(result.retryAfterSeconds));
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      return page(429, `Too many sign-in attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`);
    }
    if (result.outcome === 'refused') return page(401, WRONG_CODE);
    // Signed in: a new session id, as after a password.
    await request.session.regenerate();
    const now = Date.now();
    request.session.userId = result.actor.userId!;
    request.session.activeOrganisationId = result.actor.activeOrganisationId;
    request.session.authMethod = 'local';
    request.session.signedInAt = now;
    request.session.lastSeenAt = now;
    if (result.recoveryCodesLeft !== null) {
      request.session.flash = {
        type: 'important',
        text: `You signed in with a recovery code. It cannot be used again: you have ${result.recoveryCodesLeft} left. If you have lost your authenticator app, ask an administrator to reset your second factor.`,
      };
    }
    return reply.redirect(safeReturnTo(pending.returnTo));
  });

  // --- Setting up an authenticator app ------------------------------------------------------
  app.get('/account/two-factor', async (request, reply) => {
    const ctx = request.ctx();
    const overview = await secondFactorOverview(ctx);
    const requirement = await secondFactorRequirement(db, config, ctx.actor);
    return reply.render('platform/auth/views/two-factor.njk', {
      title: 'Second factor: your authenticator app',
      overview,
      requirement,
      mustSetUp: mustSetUp(request),
      ...(mustSetUp(request) ? { navigation: [] } : {}),
    });
  });

  app.post('/account/two-factor/start', async (request, reply) => {
    const ctx = request.ctx();
    try {
      await startSecondFactorSetUp(ctx);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      request.session.flash = { type: 'important', text: error.message };
      return reply.redirect('/account/two-factor');
    }
    return reply.redirect('/account/two-factor/set-up');
  });

  const setUpPage = async (request: FastifyRequest, reply: FastifyReply, errors?: ReturnType<typeof toGovukErrors>) => {
    const details = await secondFactorSetUpDetails(request.ctx());
    if (!details) return reply.redirect('/account/two-factor');
    return reply.render('platform/auth/views/two-factor-set-up.njk', {
      title: 'Set up your authenticator app',
      details,
      errors,
      ...(mustSetUp(request) ? { navigation: [] } : {}),
    });
  };

  app.get('/account/two-factor/set-up', (request, reply) => setUpPage(request, reply));

  app.post('/account/two-factor/set-up', async (request, reply) => {
    const ctx = request.ctx();
    let codes: string[];
    try {
      codes = await confirmSecondFactorSetUp(ctx, { code: asString(formBody(request.body).code) });
    } catch (error) {
      if (error instanceof InputError) {
        reply.status(422);
        return setUpPage(request, reply, toGovukErrors(error.issues));
      }
      if (!(error instanceof ConflictError)) throw error;
      request.session.flash = { type: 'important', text: error.message };
      return reply.redirect('/account/two-factor');
    }
    const returnTo = safeReturnTo(request.session.secondFactorReturnTo);
    delete request.session.secondFactorSetUpRequired;
    delete request.session.secondFactorReturnTo;
    // The recovery codes are shown this once, in this answer: only their hashes are kept.
    reply.header('Cache-Control', 'no-store');
    return reply.render('platform/auth/views/two-factor-recovery-codes.njk', { title: 'Your authenticator app is set up: save your recovery codes', codes, returnTo });
  });
}
