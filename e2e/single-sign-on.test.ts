import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../test/oidc-provider.ts';
import { baseUrl, checkDeskAndPhone, hasChromium, launch, signIn } from './support.ts';

/*
 * Issue 14, item 2 in a real browser: the demo partnership's administrator sets up single sign-on
 * for the ICB against a real OpenID provider started here, and the ICB's commissioner signs in
 * with it. Every page is scanned with axe at desk and phone widths. The app's own address is
 * `localhost` (PUBLIC_BASE_URL's default), so the browser uses that name too: the session cookie
 * that holds the sign-in's state must come back with the provider's redirect.
 */

describe.skipIf(!hasChromium)('single sign-on with the organisation’s provider', () => {
  let browser: Browser;
  let provider: TestProvider | undefined;
  const app = () => baseUrl().replace('127.0.0.1', 'localhost');

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await provider?.close();
    await browser?.close();
  });

  it('an administrator sets the provider up, and a commissioner signs in with it and lands on Home', async () => {
    const adminContext = await browser.newContext({ baseURL: app(), bypassCSP: true, timezoneId: 'Europe/London', locale: 'en-GB' });
    adminContext.setDefaultTimeout(15_000);
    const admin = await adminContext.newPage();
    await signIn(admin, 'admin@demo.aftercare.example');
    await admin.goto('/admin/organisations');
    const link = admin.getByRole('link', { name: 'Single sign-on for NHS Northvale and Southmere Integrated Care Board' });
    const href = (await link.getAttribute('href'))!;
    const organisationId = href.split('/')[3]!;
    provider = await startTestProvider({
      redirectUris: [`${app()}/sign-in/sso/${organisationId}/callback`],
      accounts: [{ sub: 'e2e-commissioner', email: 'commissioner@demo.aftercare.example', email_verified: true }],
    });
    await link.click();
    await checkDeskAndPhone(admin);
    await admin.getByLabel('Issuer address').fill(provider.issuer);
    await admin.getByLabel('Client ID').fill(provider.clientId);
    await admin.getByLabel('Client secret').fill(provider.clientSecret);
    await admin.getByLabel('Email domains').fill('demo.aftercare.example');
    await admin.getByRole('group', { name: 'Can people sign in with this provider?' }).getByLabel('Yes').check();
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => admin.locator('.govuk-notification-banner').textContent()).toContain('can now sign in with their organisation’s account');
    expect(await admin.content()).not.toContain(provider.clientSecret);
    await checkDeskAndPhone(admin);
    await admin.getByRole('button', { name: 'Test the connection' }).click();
    await expect.poll(() => admin.locator('.govuk-notification-banner').textContent()).toContain('Aftercare reached');
    await adminContext.close();

    const context = await browser.newContext({ baseURL: app(), bypassCSP: true, timezoneId: 'Europe/London', locale: 'en-GB' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await checkDeskAndPhone(page);
    provider.signInAs('e2e-commissioner');
    await page.getByRole('button', { name: 'Sign in with NHS Northvale and Southmere Integrated Care Board' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Home');
    expect(await page.getByTestId('account-bar').textContent()).toContain('Morgan Price');
    await checkDeskAndPhone(page);

    // The same callback again (a replayed state): a clear page, nobody signed in.
    const fresh = await browser.newContext({ baseURL: app(), bypassCSP: true, timezoneId: 'Europe/London', locale: 'en-GB' });
    const other = await fresh.newPage();
    await other.goto(`/sign-in/sso/${organisationId}/callback?code=used&state=replayed`);
    expect(await other.getByRole('heading', { level: 1 }).textContent()).toBe('This sign-in has already been used or has run out of time');
    await checkDeskAndPhone(other);
    await other.goto('/');
    expect(new URL(other.url()).pathname).toBe('/sign-in');
    await fresh.close();
    await context.close();
  });
});
