import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import session from '@fastify/session';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { DatabaseSessionStore } from '../auth/session-store.ts';

/** Sessions live in the database; the cookie holds a signed random id and nothing else. */
export async function setUpWebSession(app: FastifyInstance, db: Db, config: Config): Promise<void> {
  await app.register(cookie);
  await app.register(session, {
    secret: config.sessionSecret,
    cookieName: config.secureCookies ? '__Host-aftercare' : 'aftercare',
    store: new DatabaseSessionStore(db, config.sessionIdleMs),
    saveUninitialized: false,
    // The session is re-saved when it changes; `lastSeenAt` changes at most once a minute
    // (see authentication.ts), which keeps the idle timeout rolling without a write per request.
    rolling: false,
    cookie: {
      httpOnly: true,
      secure: config.secureCookies,
      sameSite: 'lax',
      path: '/',
    },
  });
}

/**
 * CSRF: a secret in the session, a token in every form (`_csrf`) or in the `X-CSRF-Token`
 * header for session-authenticated API calls. Checked as a preHandler, when the body has
 * been parsed. API calls with a bearer token carry no cookie, so CSRF does not apply to them.
 */
export async function setUpCsrf(app: FastifyInstance): Promise<void> {
  await app.register(csrf, { sessionPlugin: '@fastify/session' });
  app.addHook('preHandler', (request, reply, done) => {
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (!unsafe || request.authKind === 'bearer') return done();
    app.csrfProtection(request, reply, done);
  });
}
