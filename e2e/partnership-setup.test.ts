import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { runPartnershipCreate } from '../src/cli/commands/partnership.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { startTestProvider, type TestProvider } from '../test/oidc-provider.ts';
import { freePort } from './aftercare-process.ts';
import { checkDeskAndPhone, hasChromium, launch, newContext } from './support.ts';

/*
 * Issue 14, item 1 and the first half of its first acceptance point, in a browser: on a database
 * with no partnership, `npx aftercare partnership create` (its command function), then the printed
 * link sets the administrator's password, they sign in, add an organisation by name and a user
 * to it, and set up single sign-on for that organisation with a real OpenID provider, through
 * which the new user signs in. A server of its own (the suite's shared one holds the demo), every page checked with axe
 * at a phone's width and a desk's.
 */

describe.skipIf(!hasChromium)('going live: a partnership sets itself up', () => {
  let browser: Browser;
  let database: Database;
  let app: FastifyInstance;
  let base = '';
  let provider: TestProvider | undefined;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    database = await openDatabase({}); // an empty, in-memory embedded database
    await database.migrate();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', PUBLIC_BASE_URL: base, PORT: String(port), DATABASE_URL: '' });
    app = await buildApp({ config, database, logger: false });
    await app.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  });
  afterAll(async () => {
    await provider?.close();
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  it('partnership create, the printed link, set a password, sign in, add an organisation by name and a user', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();

    // An empty database: the sign-in page says how to set up.
    await page.goto(`${base}/sign-in`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set up Aftercare');
    expect(await page.locator('main').textContent()).toContain('npx aftercare partnership create');
    await checkDeskAndPhone(page);

    let out = '';
    let err = '';
    const io = { stdin: process.stdin, stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) } };
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: base, DATABASE_URL: '' });
    const code = await runPartnershipCreate(
      ['--name', 'Coventry and Warwickshire Section 117 Partnership', '--icb', 'QWU', '--local-authorities', 'E08000026,E10000031', '--trusts', 'RYG', '--admin-email', 'admin@cw.example', '--admin-name', 'Robin Admin'],
      io,
      database,
      config,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const link = out.trim().split('\n').at(-1)!;
    expect(link.startsWith(`${base}/set-password/`)).toBe(true);

    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set your password');
    await checkDeskAndPhone(page);
    await page.getByLabel('New password').fill('six long words make a password');
    await page.getByLabel('Confirm the password').fill('six long words make a passwrod');
    await page.getByRole('button', { name: 'Set password' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('The two passwords must match');
    await checkDeskAndPhone(page);
    await page.getByLabel('New password').fill('six long words make a password');
    await page.getByLabel('Confirm the password').fill('six long words make a password');
    await page.getByRole('button', { name: 'Set password' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Your password has been set');
    await checkDeskAndPhone(page);

    // The link is spent.
    const again = await page.goto(link);
    expect(again?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link has already been used');
    await checkDeskAndPhone(page);

    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email address').fill('admin@cw.example');
    await page.getByLabel('Password').fill('six long words make a password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    expect(await page.getByTestId('account-bar').textContent()).toContain('Robin Admin');

    await page.goto(`${base}/admin/organisations/new`);
    await checkDeskAndPhone(page);
    await page.getByLabel('Local authority, ICB, health board or NHS trust').selectOption({ label: 'Solihull Council' });
    await page.getByRole('button', { name: 'Add this organisation' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/organisations');
    expect(await page.getByTestId('organisations').textContent()).toContain('Solihull Council');
    expect(await page.locator('main').textContent()).toContain('Solihull Council has been added.');
    await checkDeskAndPhone(page);

    await page.getByRole('link', { name: 'Users of Solihull Council' }).click();
    await page.getByRole('button', { name: 'Add a user' }).click(); // a GOV.UK button link
    await page.getByLabel('Full name').fill('Jamie Practitioner');
    await page.getByLabel('Email address').fill('jamie@solihull.example');
    await page.getByLabel('First password').fill('a first password for jamie');
    await page.getByLabel('Practitioner', { exact: true }).check();
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'Add user' }).click();
    expect(await page.locator('main').textContent()).toContain('Jamie Practitioner can now sign in to Solihull Council.');
    await checkDeskAndPhone(page);

    // Single sign-on for the new organisation, with its OpenID provider (a real one, started here).
    await page.goto(`${base}/admin/organisations`);
    const ssoLink = page.getByRole('link', { name: 'Single sign-on for Solihull Council' });
    const organisationId = (await ssoLink.getAttribute('href'))!.split('/')[3]!;
    provider = await startTestProvider({
      redirectUris: [`${base}/sign-in/sso/${organisationId}/callback`],
      accounts: [{ sub: 'solihull-jamie', email: 'jamie@solihull.example', email_verified: true }],
    });
    await ssoLink.click();
    await page.getByLabel('Issuer address').fill(provider.issuer);
    await page.getByLabel('Client ID').fill(provider.clientId);
    await page.getByLabel('Client secret').fill(provider.clientSecret);
    await page.getByLabel('Email domains').fill('solihull.example');
    await page.getByRole('group', { name: 'Can people sign in with this provider?' }).getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('can now sign in with their organisation’s account');
    await checkDeskAndPhone(page);
    await context.close();

    // The new user signs in with their organisation's account, not a password.
    const jamieContext = await newContext(browser);
    const jamie = await jamieContext.newPage();
    await jamie.goto(`${base}/sign-in`);
    provider.signInAs('solihull-jamie');
    await jamie.getByRole('button', { name: 'Sign in with Solihull Council' }).click();
    await expect.poll(() => new URL(jamie.url()).pathname).toBe('/');
    expect(await jamie.getByTestId('account-bar').textContent()).toContain('Jamie Practitioner');
    await checkDeskAndPhone(jamie);
    await jamieContext.close();
  });
});
