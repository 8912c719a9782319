import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { signIn } from './sign-in.ts';
import { holdsNoPartnership } from './first-run.ts';
import { destroyUserSessions } from './session-store.ts';
import { recordChange } from '../audit/audit.ts';
import { toGovukErrors, zodIssues } from '../http/validation.ts';
import { safeReturnTo } from '../http/return-to.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { UnauthenticatedError } from '../errors/errors.ts';
import { nextAfterPasswordSignIn, startCodeStep } from './two-factor.routes.ts';
import { signInProviderLinks } from '../sso/routes.ts';

const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password must be 1024 characters or fewer'),
  returnTo: z.string().optional(),
});

const switchSchema = z.object({ organisationId: z.uuid('Select the organisation you are working for') });

const REFUSED = 'Enter a correct email address and password. After 5 wrong attempts an account is locked for 15 minutes.';

/**
 * Sign-in with local accounts. Identity providers (OpenID Connect per organisation) plug in
 * beside this: they end in the same `startSession`, so sessions do not change.
 */
export function authRoutes(app: FastifyInstance, db: Db, config: Config): void {
  app.get('/sign-in', { config: { public: true } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/');
    const query = request.query as { returnTo?: string };
    // An empty database: say how to set up a partnership (issue 14, item 1) rather than offer a bare sign-in.
    if (await holdsNoPartnership(db)) return reply.render('platform/auth/views/first-run.njk', { title: 'Set up Aftercare', setupPage: Boolean(config.setupToken) });
    return reply.render('platform/auth/views/sign-in.njk', { title: 'Sign in', withCsrf: true, returnTo: safeReturnTo(query.returnTo), values: {}, ssoProviders: await signInProviderLinks(db) });
  });

  app.post('/sign-in', { config: { public: true } }, async (request, reply) => {
    const parsed = signInSchema.safeParse(request.body);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { email: typeof body.email === 'string' ? body.email : '' };
    const returnTo = safeReturnTo(body.returnTo);
    if (!parsed.success) {
      reply.status(422);
      return reply.render('platform/auth/views/sign-in.njk', { title: 'Sign in', withCsrf: true, returnTo, values, errors: toGovukErrors(zodIssues(parsed.error)) });
    }
    const result = await signIn(db, config, { ...parsed.data, ip: request.ip, requestId: request.id });
    if (result.outcome === 'rate-limited') {
      reply.status(429).header('Retry-After', String(result.retryAfterSeconds));
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      return reply.render('platform/auth/views/sign-in.njk', {
        title: 'Sign in', withCsrf: true, returnTo, values,
        errors: toGovukErrors([{ path: 'email', message: `Too many sign-in attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.` }]),
      });
    }
    if (result.outcome === 'refused') {
      reply.status(401);
      return reply.render('platform/auth/views/sign-in.njk', {
        title: 'Sign in', withCsrf: true, returnTo, values,
        errors: toGovukErrors([{ path: 'email', message: REFUSED }]),
      });
    }
    // Issue 14, item 3: an account with an authenticator app enters its code next.
    if (result.outcome === 'second-factor') return startCodeStep(request, reply, result.actor, parsed.data.email, returnTo);
    // A new session id on sign-in, so a session fixed before sign-in is worthless.
    await request.session.regenerate();
    const now = Date.now();
    request.session.userId = result.actor.userId!;
    request.session.activeOrganisationId = result.actor.activeOrganisationId;
    request.session.authMethod = 'local';
    request.session.signedInAt = now;
    request.session.lastSeenAt = now;
    // An account that must have a second factor and has none sets one up before anything else.
    return reply.redirect(await nextAfterPasswordSignIn(db, config, request, result.actor, returnTo));
  });

  app.post('/sign-out', { config: { public: true } }, async (request, reply) => {
    if (request.actor) {
      const actor = request.actor;
      await db.transaction((tx) => recordChange(tx, { actor, requestId: request.id }, { action: 'user.signed-out', subjectType: 'user', subjectId: actor.userId }));
    }
    await request.session.destroy();
    return reply.redirect('/signed-out');
  });

  app.post('/sign-out-everywhere', async (request, reply) => {
    const ctx = request.ctx();
    const userId = ctx.actor.userId;
    if (!userId) throw new UnauthenticatedError();
    await db.transaction(async (tx) => {
      await recordChange(tx, ctx, { action: 'user.signed-out-everywhere', subjectType: 'user', subjectId: userId });
    });
    await destroyUserSessions(db, userId);
    await request.session.destroy();
    return reply.redirect('/signed-out?everywhere=1');
  });

  app.get('/signed-out', { config: { public: true } }, async (request, reply) => {
    const everywhere = (request.query as { everywhere?: string }).everywhere === '1';
    return reply.render('platform/auth/views/signed-out.njk', { title: 'You have signed out', everywhere });
  });

  app.get('/organisation', async (request, reply) => {
    const { actor } = request.ctx();
    return reply.render('platform/auth/views/organisation.njk', { title: 'Choose the organisation you are working for', actor });
  });

  app.post('/organisation', async (request, reply) => {
    const { actor } = request.ctx();
    const parsed = switchSchema.safeParse(request.body);
    if (!parsed.success || !actor.memberships.some((m) => m.organisationId === parsed.data.organisationId)) {
      reply.status(422);
      return reply.render('platform/auth/views/organisation.njk', {
        title: 'Choose the organisation you are working for',
        actor,
        errors: toGovukErrors([{ path: 'organisationId', message: 'Select the organisation you are working for' }]),
      });
    }
    request.session.activeOrganisationId = parsed.data.organisationId;
    const org = actor.memberships.find((m) => m.organisationId === parsed.data.organisationId)!;
    request.session.flash = { type: 'success', text: `You are now working for ${org.organisationName}.` };
    return reply.redirect('/');
  });
}
