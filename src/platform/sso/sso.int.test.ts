import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, type TestApp } from '../../../test/app.ts';
import { clockAt, createPartnership, signedIn, type TestPartnership } from '../../../test/fixtures.ts';
import { ProviderCookies, startTestProvider, type TestProvider } from '../../../test/oidc-provider.ts';
import type { SettableClock } from '../clock.ts';
import { rowsOf } from '../db/database.ts';
import { appUser, auditEvent, session as sessionTable } from '../db/schema.ts';
import { signInIdentity, signInProvider } from './schema.ts';
import { decryptSecret } from './secrets.ts';

/*
 * Issue 14, item 2: single sign-on through a REAL OpenID provider (the `oidc-provider` package,
 * started here on a free port), configured by the partnership's administrator on the admin
 * pages, with the four refusals: an ID token for another client, an expired one, an unknown
 * person and a callback used twice. Each refusal is a clear page, an audit event with its
 * reason, and no session.
 */

const APP = 'http://localhost:3999';
let t: TestApp;
let clock: SettableClock;
let p: TestPartnership;
let provider: TestProvider;
let orgId: string;

beforeAll(async () => {
  clock = clockAt(new Date());
  t = await createTestApp({ PUBLIC_BASE_URL: APP }, { clock });
  p = await createPartnership(t.database.db, 'Sso');
  orgId = p.organisations.icb.id;
  provider = await startTestProvider({
    redirectUris: [`${APP}/sign-in/sso/${orgId}/callback`],
    accounts: [
      { sub: 'sub-commissioner', email: p.users.commissioner, email_verified: true, name: 'Commissioner at the provider' },
      { sub: 'sub-stranger', email: 'stranger@sso.test.example', email_verified: true },
      { sub: 'sub-unverified', email: p.users.administrator, email_verified: false },
      { sub: 'sub-other-domain', email: 'commissioner@elsewhere.example', email_verified: true },
      // Like NHS CIS2 often: no email address at all.
      { sub: 'sub-no-email', name: 'No email at the provider' },
    ],
  });
});
afterAll(async () => {
  await provider?.close();
  await t?.close();
});

const db = () => t.database.db;

async function configure(overrides: Record<string, string> = {}) {
  const admin = await signedIn(t, p.users.administrator);
  const page = await admin.get(`/admin/organisations/${orgId}/sign-in`);
  expect(page.statusCode).toBe(200);
  const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
  return admin.post(`/admin/organisations/${orgId}/sign-in`, {
    version,
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    allowedDomains: 'sso.test.example',
    emailClaim: 'email',
    scopes: 'openid email profile',
    enabled: 'true',
    ...overrides,
  });
}

async function lastRefusal() {
  const [row] = await db()
    .select({ after: auditEvent.after, actorUserId: auditEvent.actorUserId })
    .from(auditEvent)
    .where(and(eq(auditEvent.partnershipId, p.id), eq(auditEvent.action, 'user.sign-in-refused')))
    .orderBy(desc(auditEvent.id))
    .limit(1);
  return row?.after as { reason: string; email?: string } | undefined;
}

/** Start at Aftercare's sign-in page, go through the provider as `sub`, and return the callback address it sends the browser back to. */
async function throughProvider(b: Browser, sub: string): Promise<string> {
  const signInPage = await b.get('/sign-in');
  expect(signInPage.body).toContain(`Sign in with ${p.organisations.icb.name}`);
  expect(signInPage.body).toContain(`href="/sign-in/sso/${orgId}"`);
  const start = await b.get(`/sign-in/sso/${orgId}`);
  expect(start.statusCode).toBe(302);
  const authorisation = new URL(start.headers.location as string);
  expect(authorisation.origin).toBe(provider.issuer);
  expect(authorisation.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorisation.searchParams.get('state')).toBeTruthy();
  expect(authorisation.searchParams.get('nonce')).toBeTruthy();
  provider.signInAs(sub);
  const callback = await new ProviderCookies().signIn(authorisation.href, APP);
  expect(callback).toContain(`/sign-in/sso/${orgId}/callback?`);
  return callback.slice(APP.length);
}

async function expectNoSession(b: Browser) {
  const home = await b.get('/');
  expect(home.statusCode).toBe(302);
  expect(home.headers.location).toMatch(/^\/sign-in/);
}

async function countUsers(): Promise<number> {
  return rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from app_user`))[0]!.n;
}

async function userId(email: string): Promise<string> {
  return (await db().select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;
}

describe('an administrator sets up single sign-on for their organisation', () => {
  it('refuses a bad issuer address and a missing client ID with the error summary, never echoes the secret, and saves nothing', async () => {
    const res = await configure({ issuer: 'not a web address', clientId: '', clientSecret: 'typed-secret-never-echoed' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Enter the issuer as a full web address');
    expect(res.body).toContain('Enter the client ID');
    expect(res.body).toContain('href="#issuer"');
    expect(res.body).not.toContain('typed-secret-never-echoed');
    const plainHttp = await configure({ issuer: 'http://idp.example.org', clientSecret: 'typed-secret-never-echoed' });
    expect(plainHttp.statusCode).toBe(422);
    expect(plainHttp.body).toContain('The issuer address must start with https://');
    const noDomain = await configure({ allowedDomains: '' });
    expect(noDomain.statusCode).toBe(422);
    expect(noDomain.body).toContain('Enter at least one email domain');
    expect(await db().select().from(signInProvider).where(eq(signInProvider.organisationId, orgId))).toEqual([]);
  });

  it('refuses people who are not administrators of the organisation (403), before reading the form', async () => {
    for (const email of [p.users.commissioner, p.users.practitioner, p.users.readOnly]) {
      const b = await signedIn(t, email);
      expect((await b.get(`/admin/organisations/${orgId}/sign-in`)).statusCode).toBe(403);
      const posted = await b.post(`/admin/organisations/${orgId}/sign-in`, { issuer: 'not a web address' });
      expect(posted.statusCode).toBe(403);
      expect((await b.post(`/admin/organisations/${orgId}/sign-in/test`, {})).statusCode).toBe(403);
    }
    expect(await db().select().from(signInProvider).where(eq(signInProvider.organisationId, orgId))).toEqual([]);
  });

  it('saves the provider with the secret encrypted, shows it never again, keeps it out of the audit trail, and tests the connection', async () => {
    const res = await configure();
    expect(res.statusCode).toBe(302);
    const [row] = await db().select().from(signInProvider).where(eq(signInProvider.organisationId, orgId));
    expect(row!.enabled).toBe(true);
    expect(row!.allowedDomains).toEqual(['sso.test.example']);
    expect(row!.clientSecretEncrypted).not.toContain(provider.clientSecret);
    expect(decryptSecret(t.config.ssoSecretKey, row!.clientSecretEncrypted!, orgId)).toBe(provider.clientSecret);

    const admin = await signedIn(t, p.users.administrator);
    const page = await admin.get(`/admin/organisations/${orgId}/sign-in`);
    expect(page.body).toContain('A client secret is stored. It is never shown.');
    expect(page.body).not.toContain(provider.clientSecret);
    expect(page.body).not.toContain(row!.clientSecretEncrypted!);
    expect(page.body).toContain(`${APP}/sign-in/sso/${orgId}/callback`);

    const audits = await db().select().from(auditEvent).where(and(eq(auditEvent.partnershipId, p.id), eq(auditEvent.action, 'sign-in-provider.created')));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0])).not.toContain(provider.clientSecret);
    expect(JSON.stringify(audits[0])).not.toContain(row!.clientSecretEncrypted!);
    expect(audits[0]!.after).toMatchObject({ issuer: provider.issuer, clientId: provider.clientId, clientSecretChanged: true, hasClientSecret: true });

    const tested = await admin.post(`/admin/organisations/${orgId}/sign-in/test`, {});
    expect(tested.statusCode).toBe(302);
    const after = await admin.get(`/admin/organisations/${orgId}/sign-in`);
    expect(after.body).toContain(`Aftercare reached ${provider.issuer} and read its settings`);
  });

  it('says clearly when the issuer cannot be reached', async () => {
    const admin = await signedIn(t, p.users.administrator);
    const other = p.organisations.trust.id;
    const page = await admin.get(`/admin/organisations/${other}/sign-in`);
    await admin.post(`/admin/organisations/${other}/sign-in`, {
      version: /name="version" value="(\d+)"/.exec(page.body)![1]!,
      issuer: 'http://localhost:1/nothing-here',
      clientId: 'x',
      clientSecret: 'y',
      allowedDomains: 'sso.test.example',
      enabled: 'false',
    });
    await admin.post(`/admin/organisations/${other}/sign-in/test`, {});
    const after = await admin.get(`/admin/organisations/${other}/sign-in`);
    expect(after.body).toContain('Aftercare could not read http://localhost:1/nothing-here/.well-known/openid-configuration');
  });
});

describe('signing in with the organisation’s provider', () => {
  it('signs a known person in, lands on Home with a working session, and links their account to the provider’s subject', async () => {
    const b = new Browser(t.app, '10.9.0.1');
    const callback = await throughProvider(b, 'sub-commissioner');
    const res = await b.get(callback);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const home = await b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Sso commissioner');
    // The session works like a password one: a form posted with its CSRF token goes through.
    expect((await b.get('/organisation')).statusCode).toBe(200);

    const commissioner = await userId(p.users.commissioner);
    const links = await db().select().from(signInIdentity).where(eq(signInIdentity.userId, commissioner));
    expect(links).toMatchObject([{ issuer: provider.issuer, subject: 'sub-commissioner', organisationId: orgId }]);
    const sessions = await db().select({ data: sessionTable.data }).from(sessionTable).where(eq(sessionTable.userId, commissioner));
    expect(sessions.map((s) => (s.data as { authMethod: string }).authMethod)).toContain(`oidc:${p.organisations.icb.code}`);
    const actions = (await db().select({ action: auditEvent.action }).from(auditEvent).where(and(eq(auditEvent.partnershipId, p.id), eq(auditEvent.actorUserId, commissioner)))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['user.sign-in-linked', 'user.signed-in']));
  });

  it('knows a linked person by their subject even when the provider’s email changes, and takes no role from the token', async () => {
    provider.addAccount({ sub: 'sub-commissioner', email: 'renamed@sso.test.example', email_verified: true, name: 'Renamed' });
    const b = new Browser(t.app, '10.9.0.2');
    const res = await b.get(await throughProvider(b, 'sub-commissioner'));
    expect(res.statusCode).toBe(302);
    const home = await b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Sso commissioner');
    expect((await b.get(`/admin/organisations/${orgId}/sign-in`)).statusCode).toBe(403);
  });

  it('refuses an ID token issued for another client (wrong audience): a clear page, audited, no session', async () => {
    const b = new Browser(t.app, '10.9.0.3');
    const callback = await throughProvider(b, 'sub-commissioner');
    provider.tamperNextIdToken((claims) => ({ ...claims, aud: 'another-client' }));
    const res = await b.get(callback);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('We could not sign you in');
    expect(res.body).toContain('was meant for a different service, not Aftercare');
    expect(await lastRefusal()).toMatchObject({ reason: 'wrong-audience' });
    await expectNoSession(b);
  });

  it('refuses an expired ID token (Aftercare’s clock two hours on): a clear page, audited, no session', async () => {
    const b = new Browser(t.app, '10.9.0.4');
    const callback = await throughProvider(b, 'sub-commissioner');
    const now = clock.now();
    clock.set(new Date(now.getTime() + 2 * 3_600_000));
    try {
      const res = await b.get(callback);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('had run out of time');
      expect(await lastRefusal()).toMatchObject({ reason: 'expired' });
    } finally {
      clock.set(now);
    }
    await expectNoSession(b);
  });

  it('refuses a person Aftercare does not know: "not set up", audited, no account created, no session', async () => {
    const usersBefore = await countUsers();
    const b = new Browser(t.app, '10.9.0.5');
    const res = await b.get(await throughProvider(b, 'sub-stranger'));
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Your account is not set up in Aftercare. Ask your administrator.');
    expect(await lastRefusal()).toMatchObject({ reason: 'unknown-user', email: 'stranger@sso.test.example' });
    const usersAfter = await countUsers();
    expect(usersAfter).toBe(usersBefore);
    expect(await db().select().from(signInIdentity).where(eq(signInIdentity.subject, 'sub-stranger'))).toEqual([]);
    await expectNoSession(b);
  });

  it('refuses an email the provider has not verified, and one outside the organisation’s domains', async () => {
    const b = new Browser(t.app, '10.9.0.6');
    expect((await b.get(await throughProvider(b, 'sub-unverified'))).statusCode).toBe(403);
    expect(await lastRefusal()).toMatchObject({ reason: 'email-not-verified' });
    await expectNoSession(b);
    expect((await b.get(await throughProvider(b, 'sub-other-domain'))).statusCode).toBe(403);
    expect(await lastRefusal()).toMatchObject({ reason: 'email-domain-not-allowed' });
    await expectNoSession(b);
  });

  it('refuses a callback address used a second time (replayed state), in the same browser and in another', async () => {
    const b = new Browser(t.app, '10.9.0.7');
    const callback = await throughProvider(b, 'sub-commissioner');
    expect((await b.get(callback)).statusCode).toBe(302);
    expect((await b.get('/')).statusCode).toBe(200);

    const attacker = new Browser(t.app, '10.9.0.8');
    const replayed = await attacker.get(callback);
    expect(replayed.statusCode).toBe(400);
    expect(replayed.body).toContain('This sign-in has already been used or has run out of time');
    expect(await lastRefusal()).toMatchObject({ reason: 'state' });
    await expectNoSession(attacker);

    const again = await b.get(callback);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This sign-in has already been used or has run out of time');
  });

  it('signs in someone the provider sends no email for once an administrator links their account to the identifier (NHS CIS2)', async () => {
    const b = new Browser(t.app, '10.9.0.10');
    expect((await b.get(await throughProvider(b, 'sub-no-email'))).statusCode).toBe(403);
    expect(await lastRefusal()).toMatchObject({ reason: 'no-email' });

    const commissioner = await signedIn(t, p.users.commissioner);
    await commissioner.get('/');
    expect((await commissioner.post(`/admin/organisations/${orgId}/sign-in/links`, { email: p.users.administrator, subject: 'sub-no-email' })).statusCode).toBe(403);

    const admin = await signedIn(t, p.users.administrator);
    await admin.get(`/admin/organisations/${orgId}/sign-in`);
    const unknown = await admin.post(`/admin/organisations/${orgId}/sign-in/links`, { email: 'nobody@sso.test.example', subject: 'sub-no-email' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('There is a problem');
    expect(unknown.body).toContain('No account with that email address belongs to');
    expect(unknown.body).toContain('href="#link-email"');
    const taken = await admin.post(`/admin/organisations/${orgId}/sign-in/links`, { email: p.users.administrator, subject: 'sub-commissioner' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('That identifier is already linked to an account');
    const linked = await admin.post(`/admin/organisations/${orgId}/sign-in/links`, { email: p.users.administrator, subject: 'sub-no-email' });
    expect(linked.statusCode).toBe(302);

    const again = new Browser(t.app, '10.9.0.11');
    expect((await again.get(await throughProvider(again, 'sub-no-email'))).statusCode).toBe(302);
    const home = await again.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Sso administrator');
  });

  it('offers nothing for an organisation whose provider is turned off', async () => {
    await configure({ enabled: 'false', clientSecret: '' });
    const b = new Browser(t.app, '10.9.0.9');
    const page = await b.get('/sign-in');
    expect(page.body).not.toContain(`Sign in with ${p.organisations.icb.name}`);
    const start = await b.get(`/sign-in/sso/${orgId}`);
    expect(start.statusCode).toBe(404);
    expect(start.body).toContain('Sign in with this organisation is not available');
    // Turning it off kept the stored secret (the field was left blank).
    const [row] = await db().select().from(signInProvider).where(eq(signInProvider.organisationId, orgId));
    expect(decryptSecret(t.config.ssoSecretKey, row!.clientSecretEncrypted!, orgId)).toBe(provider.clientSecret);
  });
});
