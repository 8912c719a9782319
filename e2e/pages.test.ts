import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, checkDeskAndPhone, hasChromium, launch, newContext, signIn } from './support.ts';

describe.skipIf(!hasChromium)('administration and error pages', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function asAdmin(email = 'admin@demo.aftercare.example'): Promise<Page> {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, email);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    return page;
  }

  it('the accessibility scan every journey relies on finds what it should, at both widths', async () => {
    const page = await asAdmin();
    await checkDeskAndPhone(page);
    // A field with no label, and text too faint to read, added to the page after it loaded (axe
    // is already in the page from the scans above, as it is for a journey's second scan).
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      main.insertAdjacentHTML('beforeend', '<input type="text" name="unlabelled"><p style="color:#ddd">Faint words</p>');
      // GOV.UK Frontend's conditional radio (aria-expanded kept on purpose: the one exception),
      // and the same attribute on a radio that reveals nothing (still a violation).
      main.insertAdjacentHTML('beforeend', '<input class="govuk-radios__input" type="radio" name="r" id="reveals" aria-controls="conditional-reveals" aria-expanded="false"><label for="reveals">Reveals</label><div id="conditional-reveals">More</div>');
      main.insertAdjacentHTML('beforeend', '<input type="radio" name="r" id="plain" aria-expanded="false"><label for="plain">Plain</label>');
    });
    const failure = await checkA11y(page).then(() => null, (error: Error) => error.message);
    expect(failure).toContain('label (critical)');
    expect(failure).toContain('color-contrast (serious)');
    expect(failure).toContain('input[type="text"]');
    expect(failure).toContain('aria-allowed-attr (critical)');
    expect(failure).toContain('#plain');
    expect(failure).not.toContain('#reveals');
  });

  it('an administrator adds a user, fixing a mistake on the way', async () => {
    const page = await asAdmin();
    await page.getByRole('link', { name: 'Administration' }).first().click();
    await checkA11y(page);
    await page.getByRole('link', { name: 'Organisations' }).click();
    await checkA11y(page);
    await page.getByRole('link', { name: 'Users of Southmere Borough Council' }).click();
    await checkA11y(page);
    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.getByLabel('Full name').fill('Robin Ashby');
    await page.getByLabel('Email address').fill('robin.ashby@');
    await page.getByLabel('First password').fill('a-long-demo-password');
    await page.getByRole('button', { name: 'Add user' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter an email address in the correct format');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select at least one role');
    await checkA11y(page);
    await page.getByLabel('Email address').fill('robin.ashby@southmere.example');
    await page.getByLabel('First password').fill('a-long-demo-password');
    await page.getByLabel('Practitioner', { exact: true }).check();
    await page.getByRole('button', { name: 'Add user' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Robin Ashby can now sign in');
    expect(await page.getByTestId('users').textContent()).toContain('robin.ashby@southmere.example');
    await checkA11y(page);

    await page.getByRole('link', { name: 'Change access for Robin Ashby' }).click();
    await checkA11y(page);
    await page.getByLabel('Senior practitioner').check();
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByTestId('users').textContent()).toContain('Senior practitioner');
    await page.context().close();
  });

  it('an administrator issues and revokes an API token', async () => {
    const page = await asAdmin('la-admin@demo.aftercare.example');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'API tokens of Northvale Council' }).click();
    await checkA11y(page);
    await page.getByLabel('Name of a new token').fill('Case management link');
    await page.getByRole('button', { name: 'Create token' }).click();
    expect(await page.getByTestId('new-token').textContent()).toMatch(/^ac_/);
    await checkA11y(page);
    await page.getByRole('button', { name: 'Revoke Case management link' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('has been revoked');
    await page.context().close();
  });

  it('the audit trail lists and filters events', async () => {
    const page = await asAdmin('quality@demo.aftercare.example');
    await page.goto('/admin/audit');
    await checkA11y(page);
    await page.getByLabel('Action').fill('user.signed-in');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.getByTestId('audit-events').textContent()).toContain('user.signed-in');
    await checkA11y(page);
    await page.getByLabel('From date').fill('2025-02-30');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter a real date');
    await checkA11y(page);
    await page.context().close();
  });

  it('refused, missing and public pages are accessible', async () => {
    const page = await asAdmin('practitioner@demo.aftercare.example');
    const forbidden = await page.goto('/admin');
    expect(forbidden?.status()).toBe(403);
    await checkA11y(page);
    const missing = await page.goto('/no-such-page');
    expect(missing?.status()).toBe(404);
    await checkA11y(page);
    await page.goto('/accessibility');
    await checkA11y(page);
    await page.goto('/api/v1/docs');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Aftercare API');
    await checkA11y(page);
    await page.context().close();
  });
});
