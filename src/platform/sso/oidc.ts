import * as client from 'openid-client';
import type { Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import { decryptSecret } from './secrets.ts';
import type { SignInProviderRow } from './sso.queries.ts';

/*
 * OpenID Connect through `openid-client` (docs/decisions/0011-single-sign-on.md): issuer
 * discovery (kept for a few minutes), the authorisation code flow with PKCE, state and nonce,
 * and every check on the answer (issuer, audience, signature, expiry, nonce) done by the library.
 */

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const DISCOVERY_CACHE_MS = 5 * 60_000;
const TIMEOUT_SECONDS = 10;

/** Why an issuer address cannot be used, or null if it can: https, or plain http on this machine outside production. */
export function issuerProblem(raw: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter the issuer as a full web address, like https://login.microsoftonline.com/<tenant id>/v2.0';
  }
  if (url.protocol === 'https:') return url.search || url.hash ? 'The issuer address cannot have a ? or # part' : null;
  if (url.protocol === 'http:' && !production && LOOPBACK.has(url.hostname)) return null;
  return 'The issuer address must start with https://';
}

const insecure = (issuer: string) => new URL(issuer).protocol === 'http:';

/**
 * Plain http is allowed only for an issuer on this machine outside production (issuerProblem
 * refuses it otherwise): the test suite's own provider. openid-client marks the switch deprecated
 * to make it stand out.
 */
// eslint-disable-next-line @typescript-eslint/no-deprecated
const allowHttp: (configuration: client.Configuration) => void = client.allowInsecureRequests;

const discovered = new Map<string, { at: number; metadata: client.ServerMetadata }>();

/** The provider's metadata from its discovery document; `fresh` skips the short cache ("test the connection"). */
export async function discoverIssuer(issuer: string, fresh = false): Promise<client.ServerMetadata> {
  const cached = discovered.get(issuer);
  if (!fresh && cached && Date.now() - cached.at < DISCOVERY_CACHE_MS) return cached.metadata;
  const configuration = await client.discovery(new URL(issuer), 'aftercare-discovery', undefined, undefined, {
    timeout: TIMEOUT_SECONDS,
    ...(insecure(issuer) ? { execute: [allowHttp] } : {}),
  });
  const metadata = configuration.serverMetadata();
  discovered.set(issuer, { at: Date.now(), metadata });
  return metadata;
}

/** The client for one organisation's provider, with the application's clock for every time check. */
export async function clientFor(provider: SignInProviderRow, config: Config, clock: Clock): Promise<client.Configuration> {
  const metadata = await discoverIssuer(provider.issuer);
  const secret = provider.clientSecretEncrypted ? decryptSecret(config.ssoSecretKey, provider.clientSecretEncrypted, provider.organisationId) : undefined;
  const skewSeconds = Math.round((clock.now().getTime() - Date.now()) / 1000);
  const configuration = new client.Configuration(
    metadata,
    provider.clientId,
    { ...(secret ? { client_secret: secret } : {}), [client.clockSkew]: skewSeconds },
    secret ? client.ClientSecretPost(secret) : client.None(),
  );
  if (insecure(provider.issuer)) allowHttp(configuration);
  configuration.timeout = TIMEOUT_SECONDS;
  return configuration;
}

export function redirectUri(config: Config, organisationId: string): string {
  return `${config.publicBaseUrl}/sign-in/sso/${organisationId}/callback`;
}

/** What the session keeps between sending someone to the provider and their return: used once. */
export interface PendingSignIn {
  organisationId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  startedAt: number;
}

export async function authorisationRequest(configuration: client.Configuration, provider: SignInProviderRow, config: Config, returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const pending: PendingSignIn = {
    organisationId: provider.organisationId,
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier,
    returnTo,
    startedAt: Date.now(),
  };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri(config, provider.organisationId),
    scope: provider.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

export type CallbackRefusal = 'wrong-audience' | 'expired' | 'provider-error' | 'invalid-response';

export class CallbackError extends Error {
  constructor(
    readonly reason: CallbackRefusal,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function classify(error: unknown): CallbackError {
  // openid-client wraps oauth4webapi's error, whose `cause` names the claim that failed its check.
  const chain: Array<{ code?: string; message?: string; claim?: string; error?: string }> = [];
  for (let e: unknown = error; e && typeof e === 'object' && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const claim = chain.find((e) => typeof e.claim === 'string')?.claim;
  const messages = chain.map((e) => e.message).filter(Boolean);
  const detail = `${chain[0]?.code ?? 'error'}: ${messages.join(' / ') || String(error)}`;
  if (claim === 'aud' || claim === 'azp') return new CallbackError('wrong-audience', detail);
  if (claim === 'exp' || claim === 'iat' || claim === 'nbf' || claim === 'auth_time') return new CallbackError('expired', detail);
  if (chain.some((e) => typeof e.error === 'string')) return new CallbackError('provider-error', detail);
  return new CallbackError('invalid-response', detail);
}

/** The verified claims of the person who signed in (the ID token's, completed from the user info endpoint when the email is not in it). */
export async function completeSignIn(configuration: client.Configuration, currentUrl: URL, pending: PendingSignIn, emailClaim: string): Promise<Record<string, unknown> & { sub: string }> {
  try {
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    const all: Record<string, unknown> & { sub: string } = { ...claims };
    if (all[emailClaim] === undefined && configuration.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      for (const [key, value] of Object.entries(info)) if (all[key] === undefined) all[key] = value;
    }
    return all;
  } catch (error) {
    throw classify(error);
  }
}
