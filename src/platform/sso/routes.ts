import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { safeReturnTo } from '../http/return-to.ts';
import { authorisationRequest, CallbackError, clientFor, completeSignIn, type PendingSignIn } from './oidc.ts';
import { matchAndSignIn, recordRefusal, type Refusal } from './sign-in.ts';
import { findEnabledProviders, findProviderForSignIn, type ProviderWithOrganisation } from './sso.queries.ts';

/*
 * Sign-in through an organisation's OpenID provider (docs/decisions/0011-single-sign-on.md).
 * Plain links and redirects: no JavaScript. The state, nonce and PKCE verifier wait in the
 * server-side session and are used once. A sign-in ends in the same kind of session as a
 * password sign-in (src/platform/auth/routes.ts), marked `oidc:<organisation code>`.
 */

const PENDING_KEY = 'ssoPending' as const;
const PENDING_MAX_MS = 10 * 60_000;
const uuid = z.uuid();

type Page = { status: number; heading: string; lines: string[] };

const NOT_SET_UP = (org: string): Page => ({
  status: 403,
  heading: 'Your account is not set up in Aftercare',
  lines: ['Your account is not set up in Aftercare. Ask your administrator.', `${org} signed you in, but Aftercare has no account for you at ${org}. Your administrator can add you, with the email address you use at work.`],
});

const refusalPages: Record<Refusal | CallbackError['reason'] | 'state', (org: string) => Page> = {
  'unknown-user': NOT_SET_UP,
  'not-a-member': NOT_SET_UP,
  'no-email': NOT_SET_UP,
  'email-domain-not-allowed': (org) => ({ status: 403, heading: 'Your account is not set up in Aftercare', lines: ['Your account is not set up in Aftercare. Ask your administrator.', `Your email address is not one ${org} signs in to Aftercare.`] }),
  'email-not-verified': (org) => ({ status: 403, heading: 'Your account is not set up in Aftercare', lines: ['Your account is not set up in Aftercare. Ask your administrator.', `${org} did not confirm your email address, so Aftercare cannot tell who you are.`] }),
  'linked-to-another-subject': (org) => ({ status: 403, heading: 'Your account is not set up in Aftercare', lines: ['Your account is not set up in Aftercare. Ask your administrator.', `Your Aftercare account is already linked to a different ${org} account.`] }),
  state: () => ({ status: 400, heading: 'This sign-in has already been used or has run out of time', lines: ['Each sign-in works once and for 10 minutes, to keep your account safe. Nobody has been signed in.', 'Start again from the sign-in page.'] }),
  'wrong-audience': (org) => ({ status: 400, heading: 'We could not sign you in', lines: [`The answer from ${org}’s sign-in service was meant for a different service, not Aftercare, so it was refused. Nobody has been signed in.`, 'Try again. If it happens again, tell your administrator.'] }),
  expired: (org) => ({ status: 400, heading: 'We could not sign you in', lines: [`The answer from ${org}’s sign-in service had run out of time, so it was refused. Nobody has been signed in.`, 'Check the date and time on your computer are right, then try again.'] }),
  'provider-error': (org) => ({ status: 400, heading: 'We could not sign you in', lines: [`${org}’s sign-in service did not sign you in. Nobody has been signed in.`, 'Try again. If it happens again, tell your administrator.'] }),
  'invalid-response': (org) => ({ status: 400, heading: 'We could not sign you in', lines: [`The answer from ${org}’s sign-in service could not be checked, so it was refused. Nobody has been signed in.`, 'Try again. If it happens again, tell your administrator.'] }),
};

function show(reply: FastifyReply, page: Page) {
  reply.status(page.status);
  return reply.render('platform/sso/views/refused.njk', { title: page.heading, heading: page.heading, lines: page.lines });
}

const unavailable = (reply: FastifyReply) =>
  show(reply, { status: 404, heading: 'Sign in with this organisation is not available', lines: ['Sign in with your email address and password instead, or ask your administrator.'] });

const unreachable = (reply: FastifyReply, org: string) =>
  show(reply, { status: 502, heading: `${org}’s sign-in service cannot be reached`, lines: ['Try again in a few minutes, or sign in with your email address and password if you have one.'] });

async function enabledProvider(db: Db, id: string): Promise<ProviderWithOrganisation | null> {
  if (!uuid.safeParse(id).success) return null;
  const provider = await findProviderForSignIn(db, id);
  return provider?.enabled ? provider : null;
}

/** The "Sign in with …" links for the sign-in page. */
export function signInProviderLinks(db: Db): Promise<Array<{ organisationId: string; organisationName: string }>> {
  return findEnabledProviders(db);
}

export function ssoRoutes(app: FastifyInstance, db: Db, config: Config, clock: Clock = systemClock): void {
  app.get<{ Params: { organisationId: string }; Querystring: { returnTo?: string } }>('/sign-in/sso/:organisationId', { config: { public: true } }, async (request, reply) => {
    const provider = await enabledProvider(db, request.params.organisationId);
    if (!provider) return unavailable(reply);
    let started;
    try {
      started = await authorisationRequest(await clientFor(provider, config, clock), provider, config, safeReturnTo(request.query.returnTo));
    } catch (error) {
      request.log.warn({ err: error, organisationId: provider.organisationId }, 'single sign-on: the provider could not be reached');
      return unreachable(reply, provider.organisationName);
    }
    request.session[PENDING_KEY] = started.pending;
    return reply.redirect(started.url.href);
  });

  app.get<{ Params: { organisationId: string } }>('/sign-in/sso/:organisationId/callback', { config: { public: true } }, async (request, reply) => {
    const provider = await enabledProvider(db, request.params.organisationId);
    if (!provider) return unavailable(reply);
    const org = provider.organisationName;
    const refuse = async (reason: keyof typeof refusalPages, extra: { email?: string | null; detail?: string } = {}) => {
      await recordRefusal(db, provider, { reason, ...extra }, request.id);
      return show(reply, refusalPages[reason](org));
    };

    // The state, nonce and verifier are used once: taken out of the session before anything else.
    const pending = request.session[PENDING_KEY] as PendingSignIn | undefined;
    if (pending) request.session[PENDING_KEY] = undefined;
    const state = (request.query as { state?: unknown }).state;
    if (!pending || pending.organisationId !== provider.organisationId || typeof state !== 'string' || state !== pending.state || Date.now() - pending.startedAt > PENDING_MAX_MS) {
      return refuse('state');
    }

    let claims;
    try {
      const configuration = await clientFor(provider, config, clock);
      claims = await completeSignIn(configuration, new URL(request.url, config.publicBaseUrl), pending, provider.emailClaim);
    } catch (error) {
      if (error instanceof CallbackError) return refuse(error.reason, { detail: error.detail });
      request.log.warn({ err: error, organisationId: provider.organisationId }, 'single sign-on: the provider could not be reached');
      return unreachable(reply, org);
    }

    const result = await matchAndSignIn(db, provider, claims, { requestId: request.id, now: clock.now() });
    if (result.outcome === 'refused') return refuse(result.reason, { email: result.email });
    await startSession(request, result.actor.userId!, provider.organisationId, `oidc:${provider.organisationCode}`);
    return reply.redirect(pending.returnTo);
  });
}

/** The same session as a password sign-in: a new id (no fixation), who, for which organisation, how and when. */
async function startSession(request: FastifyRequest, userId: string, organisationId: string, authMethod: string): Promise<void> {
  await request.session.regenerate();
  const now = Date.now();
  request.session.userId = userId;
  request.session.activeOrganisationId = organisationId;
  request.session.authMethod = authMethod;
  request.session.signedInAt = now;
  request.session.lastSeenAt = now;
}
