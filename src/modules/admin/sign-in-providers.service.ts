import { z } from 'zod';
import { assertCan } from '../../platform/access/policy.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { discoverIssuer, issuerProblem, redirectUri } from '../../platform/sso/oidc.ts';
import { encryptSecret, SecretKeyMissingError } from '../../platform/sso/secrets.ts';
import { findIdentityOfUser, findLinkedUser, findMemberByEmail, findProvider, insertIdentity, insertProvider, updateProviderAtVersion, type SignInProviderRow } from '../../platform/sso/sso.queries.ts';
import { getOrganisation } from './organisations.service.ts';

/*
 * An organisation's OpenID provider, set by its administrators (or the lead organisation's):
 * docs/decisions/0011-single-sign-on.md. The client secret is encrypted before it is stored,
 * is never shown again, and never reaches the audit trail or the log.
 */

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function providerSchema(production: boolean, secretRequired: boolean) {
  return z
    .object({
      issuer: z
        .string()
        .trim()
        .min(1, 'Enter the issuer address')
        .max(500, 'The issuer address must be 500 characters or fewer')
        .transform((v) => v.replace(/\/+$/, '')),
      clientId: z.string().trim().min(1, 'Enter the client ID').max(300, 'The client ID must be 300 characters or fewer'),
      clientSecret: z.string().max(1000, 'The client secret must be 1000 characters or fewer').transform((v) => v.trim()),
      allowedDomains: z
        .string()
        .max(2000, 'The email domains must be 2000 characters or fewer')
        .transform((v) => [...new Set(v.toLowerCase().split(/[\s,;]+/).map((d) => d.replace(/^@/, '')).filter(Boolean))]),
      emailClaim: z
        .string()
        .trim()
        .transform((v) => v || 'email')
        .pipe(z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'Enter the claim’s name, like email or preferred_username (letters, numbers, _ . : -)')),
      scopes: z
        .string()
        .trim()
        .transform((v) => (v || 'openid email profile').split(/\s+/).join(' '))
        .pipe(z.string().max(500).regex(/(^| )openid( |$)/, 'The scopes must include openid')),
      trustEmail: z.boolean(),
      enabled: z.boolean({ error: 'Select whether people can sign in with this provider' }),
    })
    .superRefine((v, ctx) => {
      const problem = v.issuer ? issuerProblem(v.issuer, production) : null;
      if (problem) ctx.addIssue({ code: 'custom', path: ['issuer'], message: problem });
      if (secretRequired && !v.clientSecret) ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'Enter the client secret' });
      if (v.allowedDomains.length === 0) ctx.addIssue({ code: 'custom', path: ['allowedDomains'], message: 'Enter at least one email domain, like northvale.gov.uk' });
      const bad = v.allowedDomains.find((d) => !DOMAIN.test(d));
      if (bad) ctx.addIssue({ code: 'custom', path: ['allowedDomains'], message: `${bad} is not an email domain: enter domains like northvale.gov.uk, separated by commas` });
    });
}

export interface SignInProviderView extends Omit<SignInProviderRow, 'clientSecretEncrypted'> {
  hasClientSecret: boolean;
}

/** What the audit trail and the page may hold: everything but the secret, and whether there is one. */
function visible(row: SignInProviderRow): SignInProviderView {
  const { clientSecretEncrypted, ...rest } = row;
  return { ...rest, hasClientSecret: clientSecretEncrypted !== null };
}

/** The organisation and its provider (if set), for an administrator of the organisation. */
export async function getSignInProvider(ctx: ServiceContext, organisationId: string) {
  const organisation = await getOrganisation(ctx, organisationId);
  assertCan(ctx.actor, 'organisations:manage', { partnershipId: organisation.partnershipId, organisationId: organisation.id });
  const row = await ctx.data.read((q) => findProvider(q, ctx.actor.partnershipId, organisation.id));
  return { organisation, provider: row ? visible(row) : null, redirectUri: redirectUri(ctx.config, organisation.id) };
}

/** Create or change the provider (`version` is the one the form was opened at; 0 for a new one). */
export async function saveSignInProvider(ctx: ServiceContext, organisationId: string, version: number, input: unknown): Promise<SignInProviderView> {
  const { organisation, provider: before } = await getSignInProvider(ctx, organisationId);
  const data = parseInput(providerSchema(ctx.config.env === 'production', before === null), input);
  let encrypted: string | undefined;
  try {
    encrypted = data.clientSecret ? encryptSecret(ctx.config.ssoSecretKey, data.clientSecret, organisation.id) : undefined;
  } catch (error) {
    if (error instanceof SecretKeyMissingError) throw new InputError([{ path: 'clientSecret', message: error.message }]);
    throw error;
  }
  const values = {
    issuer: data.issuer,
    clientId: data.clientId,
    allowedDomains: data.allowedDomains,
    emailClaim: data.emailClaim,
    trustEmail: data.trustEmail,
    scopes: data.scopes,
    enabled: data.enabled,
    updatedBy: ctx.actor.userId,
  };
  return ctx.data.transaction(async (tx, audit) => {
    const key = { partnershipId: ctx.actor.partnershipId, organisationId: organisation.id };
    const saved = before
      ? expectOneUpdated(await updateProviderAtVersion(tx, key, version, { ...values, ...(encrypted ? { clientSecretEncrypted: encrypted } : {}) }, ctx.clock.now()))
      : await insertProvider(tx, { ...key, ...values, clientSecretEncrypted: encrypted ?? null });
    const after = visible(saved);
    await audit.change({
      action: before ? 'sign-in-provider.updated' : 'sign-in-provider.created',
      subjectType: 'sign-in-provider',
      subjectId: organisation.id,
      before,
      after: { ...after, clientSecretChanged: encrypted !== undefined },
    });
    return after;
  });
}

export type ConnectionResult = { ok: true; message: string } | { ok: false; message: string };

/** "Test the connection": read the saved issuer's discovery document now (not from the cache) and say what was found. */
export async function testSignInProvider(ctx: ServiceContext, organisationId: string): Promise<ConnectionResult> {
  const { provider } = await getSignInProvider(ctx, organisationId);
  if (!provider) return { ok: false, message: 'Save the provider’s settings first, then test the connection.' };
  try {
    const metadata = await discoverIssuer(provider.issuer, true);
    const pkce = metadata.code_challenge_methods_supported;
    if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
      return { ok: false, message: `${provider.issuer} answered, but its discovery document names no sign-in (authorization) or token address.` };
    }
    if (pkce && !pkce.includes('S256')) {
      return { ok: false, message: `${provider.issuer} answered, but it does not support PKCE with S256, which Aftercare needs.` };
    }
    return { ok: true, message: `Aftercare reached ${provider.issuer} and read its settings: sign-in at ${metadata.authorization_endpoint}.` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Aftercare could not read ${provider.issuer}/.well-known/openid-configuration: ${reason}. Check the issuer address and that this server can reach it.` };
  }
}

const linkSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Enter the email address of the person’s Aftercare account').max(320, 'The email address must be 320 characters or fewer'),
  subject: z
    .string()
    .trim()
    .min(1, 'Enter the person’s identifier at the provider')
    .max(255, 'The identifier must be 255 characters or fewer')
    .regex(/^\S+$/, 'The identifier cannot contain spaces'),
});

/**
 * Link an account to the person's identifier at the provider (its `sub`), for providers that do
 * not send an email address Aftercare can match, such as NHS CIS2 (its UUID, `nhsid_useruid`).
 */
export async function linkSignInIdentity(ctx: ServiceContext, organisationId: string, input: unknown): Promise<{ email: string }> {
  const { organisation, provider } = await getSignInProvider(ctx, organisationId);
  const data = parseInput(linkSchema, input);
  if (!provider) throw new InputError([{ path: 'subject', message: 'Save the provider’s settings first, then link accounts.' }]);
  return ctx.data.transaction(async (tx, audit) => {
    const member = await findMemberByEmail(tx, ctx.actor.partnershipId, organisation.id, data.email);
    if (!member) throw new InputError([{ path: 'email', message: `No account with that email address belongs to ${organisation.name}` }]);
    if (await findLinkedUser(tx, ctx.actor.partnershipId, provider.issuer, data.subject)) {
      throw new InputError([{ path: 'subject', message: 'That identifier is already linked to an account' }]);
    }
    if (await findIdentityOfUser(tx, ctx.actor.partnershipId, provider.issuer, member.userId)) {
      throw new InputError([{ path: 'email', message: 'That account is already linked to an identity at this provider' }]);
    }
    await insertIdentity(tx, { partnershipId: ctx.actor.partnershipId, issuer: provider.issuer, subject: data.subject, userId: member.userId, organisationId: organisation.id, linkedAt: ctx.clock.now() });
    await audit.change({ action: 'user.sign-in-linked', subjectType: 'user', subjectId: member.userId, after: { issuer: provider.issuer, subject: data.subject, organisationId: organisation.id, matchedBy: 'administrator' } });
    return { email: data.email };
  });
}
