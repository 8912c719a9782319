import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDeskAndPhone, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

/*
 * Issue 14, item 3, in the browser: an administrator adds an account (a common password is
 * refused), its owner sets up an authenticator app from the key shown on the page, saves the
 * recovery codes, and signs in again with a code, as an app would make it (otplib, from the key
 * the page showed), then with a recovery code; each page scanned with axe at desk and phone widths.
 */

const PASSWORD = 'violet-canal-thimble-42';
const email = `totp.${Date.now()}@demo.aftercare.example`;

/** The code an authenticator app shows `steps` time steps from now (30 seconds each). */
function codeFor(secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: (Math.floor(Date.now() / 30_000) + steps) * 30 });
}

describe.skipIf(!hasChromium)('second factor in the browser (issue 14, item 3)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signInWithPassword(page: Page) {
    await signIn(page, email, PASSWORD);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in/code');
  }

  it('adds an account, sets up an authenticator app, and signs in with a code and then a recovery code', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();

    // Northvale's administrator adds the account; a common password is refused first.
    await signIn(page, 'la-admin@demo.aftercare.example');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'users of Northvale Council' }).click();
    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.getByLabel('Full name').fill('Robin Totp');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('First password').fill('PasswordPassword');
    await page.getByLabel('Practitioner', { exact: true }).check();
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('This password is too common');
    await checkDeskAndPhone(page);
    await page.getByLabel('First password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('Robin Totp can now sign in');
    await signOut(page);

    // Robin sets up an authenticator app from the account bar's link.
    await signIn(page, email, PASSWORD);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.getByRole('link', { name: 'Authenticator app' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Second factor: your authenticator app');
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Set up your authenticator app');
    expect(await page.getByRole('img', { name: /QR code to scan with your authenticator app/ }).count()).toBe(1);
    await checkDeskAndPhone(page);
    const secret = (await page.getByTestId('secret-key').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

    // A wrong code first: the error summary.
    const right = await codeFor(secret);
    await page.getByLabel('6-digit code').fill(String((Number(right) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('The code is not right');
    await checkDeskAndPhone(page);
    await page.getByLabel('6-digit code').fill(await codeFor(secret));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Save your recovery codes');
    const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'I have saved my recovery codes: continue' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await signOut(page);

    // Signing in now takes the password, then a code. The code used to set up cannot be used
    // again, so this is the next one (an app a little ahead is accepted, one step either side).
    await signInWithPassword(page);
    await expect.poll(async () => (await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Enter the 6-digit code from your authenticator app');
    await checkDeskAndPhone(page);
    await page.getByLabel('Enter the 6-digit code from your authenticator app').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Enter the correct 6-digit code');
    await checkDeskAndPhone(page);
    await page.getByLabel('Enter the 6-digit code from your authenticator app').fill(await codeFor(secret, 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.getByTestId('account-bar').textContent()).toContain('Robin Totp');
    await signOut(page);

    // A recovery code instead of the app: it works once, and the page says how many are left.
    await signInWithPassword(page);
    await page.getByLabel('Enter the 6-digit code from your authenticator app').fill(codes[0]!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('you have 9 left');
    await checkDeskAndPhone(page);
    await page.goto('/account/two-factor');
    await expect.poll(() => page.getByTestId('two-factor-status').textContent()).toContain('9');
    await checkDeskAndPhone(page);
    await context.close();
  });

  it('shows the partnership’s sign-in setting to the lead administrator', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Sign-in settings' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign-in settings');
    await checkDeskAndPhone(page);
    // Saved as it was (only where the partnership asks it is every account asked for a code).
    await page.getByLabel('No, it is up to each person').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('Only the accounts that must have one need a second factor now');
    await checkDeskAndPhone(page);
    await context.close();
  });
});
