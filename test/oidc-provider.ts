import { createSign, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';

/*
 * A real OpenID provider for the suite (issue 14, item 2): the `oidc-provider` package on a free
 * port of this machine, with Aftercare registered as a confidential client (PKCE required) and
 * test accounts. `signInAs` says who the next person to reach its login step is (its login
 * step is ours: no form to fill, the interaction is finished for that account). `tamper`
 * re-signs the next ID token with the provider's own key after changing a claim (an ID token
 * issued for another client, say).
 */

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the provider next. */
  signInAs(sub: string): void;
  addAccount(account: TestAccount): void;
  /** Change the claims of the next ID token the token endpoint hands out (re-signed with the provider's key). */
  tamperNextIdToken(change: (claims: Record<string, unknown>) => Record<string, unknown>): void;
  close(): Promise<void>;
}

/** Cookies kept per provider, as a browser keeps them, for following its redirects with fetch. */
export class ProviderCookies {
  private jar = new Map<string, string>();

  async get(url: string): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  /**
   * From the provider's authorisation address to the address it sends the browser back to
   * (Aftercare's callback): follows the provider's own redirects, at most 10.
   */
  async signIn(authorisationUrl: string, appBase: string): Promise<string> {
    let url = authorisationUrl;
    for (let i = 0; i < 10; i++) {
      const res = await this.get(url);
      const location = res.headers.get('location');
      if (!location) throw new Error(`The provider answered ${res.status} at ${url} without sending the browser on: ${(await res.text()).slice(0, 300)}`);
      const next = new URL(location, url).href;
      if (next.startsWith(appBase)) return next;
      url = next;
    }
    throw new Error('The provider redirected too many times');
  }
}

export async function startTestProvider(options: { redirectUris: string[]; clientId?: string; accounts?: TestAccount[] }): Promise<TestProvider> {
  const accounts = new Map<string, TestAccount>((options.accounts ?? []).map((a) => [a.sub, a]));
  const clientId = options.clientId ?? 'aftercare';
  const clientSecret = 'test-client-secret-for-aftercare-0123456789';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };
  let nextLogin: string | null = null;
  let tamper: ((claims: Record<string, unknown>) => Record<string, unknown>) | null = null;

  // The issuer needs the port, so listen first on a placeholder app, then hand the server to the provider.
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://localhost:${port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    // An ID token lives an hour (the expiry test moves Aftercare's clock two hours on).
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ ...account }) };
    },
  } as ConstructorParameters<typeof Provider>[1]);

  // Our login step: the interaction is finished at once for the account named by signInAs.
  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([^/]+)$/.exec(ctx.path);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const accountId = nextLogin;
    if (!accountId) {
      ctx.status = 400;
      ctx.body = 'No test account chosen: call signInAs first';
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  });

  // The tamper step: after the token endpoint has answered, change the ID token's claims and sign it again.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || !tamper || ctx.status !== 200) return;
    const body = ctx.body as { id_token?: string };
    if (!body?.id_token) return;
    const [header, payload] = body.id_token.split('.');
    const claims = tamper(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>);
    tamper = null;
    const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
    ctx.body = { ...body, id_token: `${signingInput}.${signature}` };
  });

  const koa = provider.callback();
  handler = (req, res) => void koa(req, res);

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs: (sub) => {
      nextLogin = sub;
    },
    addAccount: (account) => {
      accounts.set(account.sub, account);
    },
    tamperNextIdToken: (change) => {
      tamper = change;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
