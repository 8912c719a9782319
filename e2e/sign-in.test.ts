import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

/** Each demo role signs in, sees a home page for its role, and signs out. */
const roles = [
  { email: 'practitioner@demo.aftercare.example', name: 'Sam Okafor', org: 'Northvale Council', roles: 'Practitioner', section: 'Your section 117 work' },
  { email: 'senior@demo.aftercare.example', name: 'Jo Lindqvist', org: 'Southmere Borough Council', roles: 'Senior practitioner', section: 'Your section 117 work' },
  { email: 'manager@demo.aftercare.example', name: 'Alex Mensah', org: 'Northvale Council', roles: 'Team manager', section: 'Your team’s section 117 work' },
  { email: 'commissioner@demo.aftercare.example', name: 'Morgan Price', org: 'NHS Northvale and Southmere Integrated Care Board', roles: 'Commissioner', section: 'Commissioning and funding' },
  { email: 'panel@demo.aftercare.example', name: 'Rowan Hughes', org: 'NHS Northvale and Southmere Integrated Care Board', roles: 'Panel member', section: 'Commissioning and funding' },
  { email: 'quality@demo.aftercare.example', name: 'Kit Adeyemi', org: 'NHS Northvale and Southmere Integrated Care Board', roles: 'Quality and audit', section: 'Assurance' },
  { email: 'admin@demo.aftercare.example', name: 'Charlie Novak', org: 'NHS Northvale and Southmere Integrated Care Board', roles: 'Administrator', section: 'Administration' },
  { email: 'readonly@demo.aftercare.example', name: 'Dana Whitfield', org: 'Northvale and Southmere Mental Health NHS Foundation Trust', roles: 'Read only', section: 'Looking up information' },
];

describe.skipIf(!hasChromium)('signing in as each role', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const role of roles) {
    it(`${role.roles}: signs in, sees their home page, signs out`, async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      await page.goto('/');
      expect(page.url()).toContain('/sign-in');
      await checkA11y(page);

      await signIn(page, role.email);
      await expect.poll(() => new URL(page.url()).pathname).toBe('/');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Home');
      expect(await page.getByTestId('account-bar').textContent()).toContain(role.name);
      expect(await page.locator('main').textContent()).toContain(role.org);
      expect(await page.getByTestId('roles').textContent()).toContain(role.roles);
      expect(await page.getByRole('heading', { name: role.section }).count()).toBe(1);
      await checkA11y(page);

      await signOut(page);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You have signed out');
      await checkA11y(page);
      await page.goto('/');
      expect(page.url()).toContain('/sign-in');
      await context.close();
    });
  }

  it('shows an error summary that links to the field when the password is wrong', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example', 'wrong-password');
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.textContent()).toContain('Enter a correct email address and password');
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true);
    expect(await page.title()).toMatch(/^Error: /);
    await checkA11y(page);
    await summary.getByRole('link').first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('email');
    await context.close();
  });

  it('works without JavaScript', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Home');
    await signOut(page);
    await context.close();
  });

  it('lets someone in two organisations choose which one they work for', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'panel@demo.aftercare.example');
    await page.getByRole('link', { name: 'Change organisation' }).click();
    await checkA11y(page);
    await page.getByLabel('Northvale Council').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('You are now working for Northvale Council');
    expect(await page.locator('main').textContent()).toContain('Northvale Council');
    await checkA11y(page);
    await context.close();
  });
});
