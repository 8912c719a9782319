import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDeskAndPhone, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 14, item 5: the lead organisation's administrator finds the feeds, makes today's finance
 * file, adds a webhook subscription (a mistake first, then the secret shown once), turns it off and
 * reads the delivery log. Axe at desk and phone widths on every page.
 */

describe.skipIf(!hasChromium)('finance and case-system feeds', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('an administrator makes the finance file, subscribes a system to webhooks and reads the delivery log', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Finance and case-system feeds' }).click();
    expect(new URL(page.url()).pathname).toBe('/admin/feeds');
    await page.getByRole('button', { name: 'Make today’s file now' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toMatch(/finance file (has been|had already been) made/);
    await expect(page.getByTestId('finance-files').getByRole('link', { name: /Download/ }).count()).resolves.toBeGreaterThan(0);
    await checkDeskAndPhone(page);

    await page.getByRole('link', { name: 'Add a webhook subscription' }).click();
    await checkDeskAndPhone(page);
    await page.getByLabel('Address to send to').fill('finance system');
    await page.getByRole('button', { name: 'Add subscription' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(/Enter a name for the receiving system[\s\S]*Enter the address as a full web address/);
    await checkDeskAndPhone(page);

    await page.getByLabel('Name of the receiving system').fill('Northvale ContrOCC');
    await page.getByLabel('Address to send to').fill('http://127.0.0.1:9/aftercare-events');
    await page.getByRole('button', { name: 'Add subscription' }).click();
    await expect(page.getByTestId('webhook-secret').textContent()).resolves.toMatch(/^whsec_/);
    await checkDeskAndPhone(page);

    await page.getByRole('link', { name: 'Back to the feeds' }).click();
    const row = page.getByTestId('subscriptions').getByRole('row').filter({ hasText: 'Northvale ContrOCC' });
    await row.getByRole('button', { name: /Turn off/ }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Northvale ContrOCC has been turned off');
    await checkDeskAndPhone(page);

    await page.getByRole('link', { name: 'See the delivery log' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Webhook delivery log');
    await checkDeskAndPhone(page);
    await context.close();
  }, 120_000);
});
