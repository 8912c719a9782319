import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { clockAt } from '../../../test/fixtures.ts';
import type { SettableClock } from '../clock.ts';
import { rowsOf } from '../db/database.ts';
import { appUser, auditEvent, membership, organisation } from '../db/schema.ts';
import { partnershipSignInSettings, userRecoveryCode, userSecondFactor } from './schema.ts';
import { timeStepAt, totpCodeForStep } from './totp.ts';

/*
 * Issue 14, item 3: a second factor for local accounts. The app's clock is set, so the time
 * steps of the codes are the test's to choose; administrators must use one (as in production),
 * and four failures lock an account out for the window, so the limit is reached quickly.
 */

let t: TestApp;
let clock: SettableClock;
/** Each user's secret as the set-up page showed it, as an authenticator app would hold it. */
const secrets = new Map<string, string>();
/** Each user's recovery codes, as the page showed them once. */
const recoveryCodes = new Map<string, string[]>();

beforeAll(async () => {
  clock = clockAt(new Date('2026-12-07T10:00:05Z'));
  t = await createTestApp({ REQUIRE_SECOND_FACTOR_FOR_ADMINISTRATORS: 'true', SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '4' }, { clock });
});
afterAll(async () => {
  await t.close();
});

/** Move the clock on by whole 30-second steps (a new code each step). */
function nextStep(steps = 1): void {
  clock.set(new Date(clock.now().getTime() + steps * 30_000));
}

const codeNow = (email: string) => totpCodeForStep(secrets.get(email)!, timeStepAt(clock.now()));

async function userIdOf(email: string): Promise<string> {
  return (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;
}

async function auditOf(action: string, userId: string) {
  return t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, action), eq(auditEvent.subjectId, userId)));
}

/** Set up an authenticator app through the pages, as the signed-in browser's user; returns the recovery codes page. */
async function setUp(b: Browser, email: string) {
  await b.get('/account/two-factor');
  const started = await b.post('/account/two-factor/start', {});
  expect(started.statusCode, started.body.slice(0, 500)).toBe(302);
  expect(started.headers.location).toBe('/account/two-factor/set-up');
  const page = await b.get('/account/two-factor/set-up');
  expect(page.statusCode).toBe(200);
  const secret = /data-qa="secret-key">([A-Z2-7 ]+)</.exec(page.body)![1]!.replace(/ /g, '');
  secrets.set(email, secret);
  const done = await b.post('/account/two-factor/set-up', { code: await codeNow(email) });
  expect(done.statusCode, done.body.slice(0, 2000)).toBe(200);
  recoveryCodes.set(email, [...done.body.matchAll(/<li><code>([0-9a-z-]+)<\/code><\/li>/g)].map((m) => m[1]!));
  return done;
}

/** Password then code, in a new browser: the answer to the code. */
async function signInWithCode(email: string, code: string, ip = '10.1.0.1') {
  const b = new Browser(t.app, ip);
  const password = await b.signIn(email);
  expect(password.statusCode).toBe(302);
  expect(password.headers.location).toBe('/sign-in/code');
  await b.get('/sign-in/code');
  return { b, res: await b.post('/sign-in/code', { code }) };
}

describe('setting up an authenticator app (issue 14, item 3)', () => {
  it('shows a QR code and the key as text, refuses a wrong code, then turns it on and shows 10 recovery codes once', async () => {
    const b = await signedInBrowser(t.app, demo.practitioner);
    const userId = await userIdOf(demo.practitioner);
    const overview = await b.get('/account/two-factor');
    expect(overview.body).toContain('Set up an authenticator app');
    await b.post('/account/two-factor/start', {});
    const page = await b.get('/account/two-factor/set-up');
    expect(page.body).toMatch(/<img class="app-qr-code" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    expect(page.body).toContain('alt="QR code to scan with your authenticator app, for the Aftercare account practitioner@demo.aftercare.example"');
    const secret = /data-qa="secret-key">([A-Z2-7 ]+)</.exec(page.body)![1]!.replace(/ /g, '');
    // The QR code carries the same key an app would read.
    const svg = Buffer.from(/base64,([A-Za-z0-9+/=]+)"/.exec(page.body)![1]!, 'base64').toString('utf8');
    expect(svg).toContain('<svg');

    // A wrong code: the error summary, and nothing turned on.
    const right = await totpCodeForStep(secret, timeStepAt(clock.now()));
    const wrong = await b.post('/account/two-factor/set-up', { code: String((Number(right) + 1) % 1_000_000).padStart(6, '0') });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('There is a problem');
    expect(wrong.body).toContain('The code is not right');
    const before = (await t.database.db.select().from(userSecondFactor).where(eq(userSecondFactor.userId, userId)))[0]!;
    expect(before.confirmedAt).toBeNull();
    const notDigits = await b.post('/account/two-factor/set-up', { code: 'twelve' });
    expect(notDigits.statusCode).toBe(422);
    expect(notDigits.body).toContain('The code must be 6 digits');

    secrets.set(demo.practitioner, secret);
    const done = await b.post('/account/two-factor/set-up', { code: right });
    expect(done.statusCode).toBe(200);
    expect(done.headers['cache-control']).toBe('no-store');
    expect(done.body).toContain('This is the only time you will see these codes');
    const codes = [...done.body.matchAll(/<li><code>([0-9a-z-]+)<\/code><\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    recoveryCodes.set(demo.practitioner, codes);

    const factor = (await t.database.db.select().from(userSecondFactor).where(eq(userSecondFactor.userId, userId)))[0]!;
    expect(factor.confirmedAt).not.toBeNull();
    // Encrypted at rest: the stored value holds neither the key nor anything like it.
    expect(factor.secretEncrypted).toMatch(/^v1\./);
    expect(factor.secretEncrypted).not.toContain(secret);
    const stored = await t.database.db.select().from(userRecoveryCode).where(eq(userRecoveryCode.userId, userId));
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(JSON.stringify(stored)).not.toContain(code.replace(/-/g, ''));

    const [enrolled] = await auditOf('user.second-factor-enrolled', userId);
    expect(enrolled!.after).toMatchObject({ enrolled: true, method: 'authenticator app', recoveryCodes: 10 });
    const trail = JSON.stringify(await t.database.db.select().from(auditEvent).where(eq(auditEvent.subjectId, userId)));
    expect(trail).not.toContain(secret);
    expect(trail).not.toContain(factor.secretEncrypted);
    expect(trail).not.toContain(codes[0]!);

    // The codes are never shown again: the account page says how many are left.
    const after = await b.get('/account/two-factor');
    expect(after.body).toContain('Recovery codes left');
    expect(after.body).not.toContain(codes[0]!);
  });
});

describe('signing in with a code', () => {
  it('asks for the code after a right password, opening nothing else until it is given, then signs in', async () => {
    nextStep();
    const b = new Browser(t.app, '10.1.0.2');
    await b.get('/sign-in');
    const password = await b.post('/sign-in', { email: demo.practitioner, password: 'demo-aftercare-117', returnTo: '/register' });
    expect(password.statusCode).toBe(302);
    expect(password.headers.location).toBe('/sign-in/code');
    // Half signed in: every other page sends them to sign in.
    const register = await b.get('/register');
    expect(register.statusCode).toBe(302);
    expect(register.headers.location).toMatch(/^\/sign-in\?returnTo=/);
    expect((await b.get('/account/two-factor')).statusCode).toBe(302);
    const step = await b.get('/sign-in/code');
    expect(step.statusCode).toBe(200);
    expect(step.body).toContain('Enter the 6-digit code from your authenticator app');

    const signedIn = await b.post('/sign-in/code', { code: await codeNow(demo.practitioner) });
    expect(signedIn.statusCode).toBe(302);
    expect(signedIn.headers.location).toBe('/register');
    const home = await b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Sam Okafor');
    const events = await auditOf('user.signed-in', await userIdOf(demo.practitioner));
    expect(events.at(-1)!.after).toMatchObject({ secondFactor: 'authenticator app' });
  });

  it('accepts the code of the step before or after (a clock a little out), but not two steps away', async () => {
    nextStep(2);
    const secret = secrets.get(demo.practitioner)!;
    const far = await signInWithCode(demo.practitioner, await totpCodeForStep(secret, timeStepAt(clock.now()) - 2));
    expect(far.res.statusCode).toBe(401);
    const justBefore = await signInWithCode(demo.practitioner, await totpCodeForStep(secret, timeStepAt(clock.now()) - 1));
    expect(justBefore.res.statusCode).toBe(302);
    const justAfter = await signInWithCode(demo.practitioner, await totpCodeForStep(secret, timeStepAt(clock.now()) + 1));
    expect(justAfter.res.statusCode).toBe(302);
  });

  it('refuses a code used once already, even within its 30 seconds', async () => {
    nextStep(3);
    const code = await codeNow(demo.practitioner);
    expect((await signInWithCode(demo.practitioner, code)).res.statusCode).toBe(302);
    const again = await signInWithCode(demo.practitioner, code, '10.1.0.3');
    expect(again.res.statusCode).toBe(401);
    expect(again.res.body).toContain('Enter the correct 6-digit code from your authenticator app, or one of your recovery codes');
    expect((await again.b.get('/')).statusCode).toBe(302);
  });

  it('counts wrong codes toward the sign-in failure limit: after 4, even the right code waits, and so does the password', async () => {
    const b = await signedInBrowser(t.app, demo.quality);
    await setUp(b, demo.quality);
    nextStep();
    // One browser is at the code step already when the wrong codes come.
    const waiting = new Browser(t.app, '10.2.0.8');
    expect((await waiting.signIn(demo.quality)).headers.location).toBe('/sign-in/code');
    await waiting.get('/sign-in/code');
    for (let i = 0; i < 4; i++) {
      const wrong = await signInWithCode(demo.quality, '000000', `10.2.0.${i}`);
      expect(wrong.res.statusCode).toBe(401);
      expect(wrong.res.body).toContain('There is a problem');
    }
    const count = rowsOf<{ count: number }>(await t.database.db.execute(sql`select count from rate_limit where key = ${`sign-in-failures:account:${demo.quality}`}`))[0]!;
    expect(count.count).toBe(4);
    const limited = await waiting.post('/sign-in/code', { code: await codeNow(demo.quality) });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many sign-in attempts');
    expect((await waiting.get('/')).statusCode).toBe(302);
    const password = await new Browser(t.app, '10.2.0.9').signIn(demo.quality);
    expect(password.statusCode).toBe(429);
    expect(await auditOf('user.second-factor-failed', await userIdOf(demo.quality))).toHaveLength(4);
  });

  it('accepts a recovery code instead, once only, and says how many are left', async () => {
    const [first, second] = recoveryCodes.get(demo.practitioner)!;
    const used = await signInWithCode(demo.practitioner, first!.toUpperCase());
    expect(used.res.statusCode).toBe(302);
    const home = await used.b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('You signed in with a recovery code. It cannot be used again: you have 9 left.');
    const userId = await userIdOf(demo.practitioner);
    const [event] = await auditOf('user.recovery-code-used', userId);
    expect(event!.after).toEqual({ recoveryCodesLeft: 9 });
    const usedRows = await t.database.db.select().from(userRecoveryCode).where(and(eq(userRecoveryCode.userId, userId), sql`${userRecoveryCode.usedAt} is not null`));
    expect(usedRows).toHaveLength(1);

    const again = await signInWithCode(demo.practitioner, first!, '10.1.0.4');
    expect(again.res.statusCode).toBe(401);
    expect((await signInWithCode(demo.practitioner, second!, '10.1.0.5')).res.statusCode).toBe(302);
  });
});

describe('who must use a second factor', () => {
  let admin: Browser;

  it('sends an administrator without one to set it up before anything else after signing in', async () => {
    admin = new Browser(t.app, '10.3.0.1');
    const res = await admin.signIn(demo.admin);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/account/two-factor');
    const home = await admin.get('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/account/two-factor');
    expect((await admin.get('/admin/organisations')).headers.location).toBe('/account/two-factor');
    const page = await admin.get('/account/two-factor');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your account is an administrator&#39;s, so it must have a second factor');
    // No other action either.
    const refused = await admin.post('/admin/sign-in-settings', { requireSecondFactorForAll: 'true', version: '1' });
    expect(refused.statusCode).toBe(403);
    expect(await t.database.db.select().from(partnershipSignInSettings)).toHaveLength(0);

    nextStep();
    const done = await setUp(admin, demo.admin);
    expect(done.body).toContain('Save your recovery codes');
    expect((await admin.get('/')).statusCode).toBe(200);
    // From now on the administrator signs in with a code.
    nextStep();
    const next = await signInWithCode(demo.admin, await codeNow(demo.admin), '10.3.0.2');
    expect(next.res.statusCode).toBe(302);
    expect(next.res.headers.location).toBe('/');
  });

  it('asks it of every local account when the partnership says so, and the change is audited', async () => {
    const manager = new Browser(t.app, '10.4.0.1');
    expect((await manager.signIn(demo.manager)).headers.location).toBe('/');

    const form = await admin.get('/admin/sign-in-settings');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Must every account that signs in with a password use a second factor?');
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const unanswered = await admin.post('/admin/sign-in-settings', { version });
    expect(unanswered.statusCode).toBe(422);
    expect(unanswered.body).toContain('Select yes if every local account must use a second factor');
    expect((await t.database.db.select().from(partnershipSignInSettings))[0]!.requireSecondFactorForAll).toBe(false);

    const saved = await admin.post('/admin/sign-in-settings', { requireSecondFactorForAll: 'true', version });
    expect(saved.statusCode).toBe(302);
    expect((await t.database.db.select().from(partnershipSignInSettings))[0]!.requireSecondFactorForAll).toBe(true);
    const [event] = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'sign-in-settings.updated'));
    expect(event!.before).toEqual({ requireSecondFactorForAll: false });
    expect(event!.after).toEqual({ requireSecondFactorForAll: true });

    // The team manager, who has no second factor, must now set one up when they next sign in.
    const again = new Browser(t.app, '10.4.0.2');
    expect((await again.signIn(demo.manager)).headers.location).toBe('/account/two-factor');
    expect((await again.get('/register')).headers.location).toBe('/account/two-factor');
    expect((await again.get('/account/two-factor')).body).toContain('Your partnership asks every account to have a second factor');

    // Back to administrators only: the manager signs in with a password alone again.
    const current = /name="version" value="(\d+)"/.exec((await admin.get('/admin/sign-in-settings')).body)![1]!;
    expect((await admin.post('/admin/sign-in-settings', { requireSecondFactorForAll: 'false', version: current })).statusCode).toBe(302);
    expect((await new Browser(t.app, '10.4.0.3').signIn(demo.manager)).headers.location).toBe('/');
  });

  it('lets another administrator reset a user’s second factor, audited without secrets, and signs them out', async () => {
    const practitionerId = await userIdOf(demo.practitioner);
    nextStep();
    const practitioner = (await signInWithCode(demo.practitioner, await codeNow(demo.practitioner))).b;
    expect((await practitioner.get('/')).statusCode).toBe(200);

    const northvale = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    const users = await admin.get(`/admin/organisations/${northvale.id}/users`);
    expect(users.body).toContain('Reset second factor<span class="govuk-visually-hidden"> of Sam Okafor</span>');
    const member = (await t.database.db.select().from(membership).where(and(eq(membership.userId, practitionerId), eq(membership.organisationId, northvale.id))))[0]!;
    const reset = await admin.post(`/admin/memberships/${member.id}/reset-second-factor`, {});
    expect(reset.statusCode).toBe(302);
    expect((await admin.get(reset.headers.location as string)).body).toContain('Sam Okafor’s second factor has been reset');

    expect(await t.database.db.select().from(userSecondFactor).where(eq(userSecondFactor.userId, practitionerId))).toHaveLength(0);
    expect(await t.database.db.select().from(userRecoveryCode).where(eq(userRecoveryCode.userId, practitionerId))).toHaveLength(0);
    const [event] = await auditOf('user.second-factor-reset', practitionerId);
    expect(event!.before).toMatchObject({ enrolled: true });
    expect(event!.after).toEqual({ enrolled: false });
    expect(JSON.stringify(event)).not.toContain('v1.');
    // Signed out everywhere; the password alone signs them in again (a practitioner need not have one here).
    expect((await practitioner.get('/')).statusCode).toBe(302);
    expect((await new Browser(t.app, '10.1.0.9').signIn(demo.practitioner)).headers.location).toBe('/');
  });

  it('refuses an administrator resetting their own second factor, and records the attempt', async () => {
    const adminId = await userIdOf(demo.admin);
    const own = (await t.database.db.select().from(membership).where(eq(membership.userId, adminId)))[0]!;
    const refused = await admin.post(`/admin/memberships/${own.id}/reset-second-factor`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You cannot reset your own second factor. Ask another administrator to do it.');
    expect(await t.database.db.select().from(userSecondFactor).where(eq(userSecondFactor.userId, adminId))).toHaveLength(1);
    expect(await auditOf('user.own-second-factor-reset-refused', adminId)).toHaveLength(1);
    expect(await auditOf('user.second-factor-reset', adminId)).toHaveLength(0);
  });
});

describe('common passwords (issue 14, item 3)', () => {
  it('refuses a common breached password for a new account, saying why, and creates nothing', async () => {
    // Northvale's administrator sets up a second factor first (administrators must have one here).
    const b = await signedInBrowser(t.app, demo.laAdmin);
    nextStep();
    await setUp(b, demo.laAdmin);
    const northvale = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    await b.get(`/admin/organisations/${northvale.id}/users/new`);
    const res = await b.post(`/admin/organisations/${northvale.id}/users/new`, {
      displayName: 'Common Password',
      email: 'common.password@demo.aftercare.example',
      password: 'PasswordPassword',
      roles: 'practitioner',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('This password is too common');
    expect(await t.database.db.select().from(appUser).where(eq(appUser.email, 'common.password@demo.aftercare.example'))).toHaveLength(0);
    const ok = await b.post(`/admin/organisations/${northvale.id}/users/new`, {
      displayName: 'Uncommon Password',
      email: 'uncommon.password@demo.aftercare.example',
      password: 'violet-canal-thimble-42',
      roles: 'practitioner',
    });
    expect(ok.statusCode).toBe(302);
  });
});
