import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 7, item 7: a manager sets up a monthly email of the dashboard filtered to one local
 * authority, sees it in the list of scheduled reports, pauses it and deletes it. Axe on every page.
 */

describe.skipIf(!hasChromium)('scheduled reports', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a manager sets up a monthly email of the dashboard for one local authority', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto('/dashboards');
    await page.getByLabel('Local authority').selectOption({ label: 'Northvale Council' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await checkA11y(page);

    await page.getByRole('link', { name: /Email this monthly/ }).click();
    expect(new URL(page.url()).pathname).toBe('/reports/schedules/new');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Set up a monthly report');
    await expect(page.getByTestId('report-filters').textContent()).resolves.toBe('Northvale Council; view: Team manager');
    await checkA11y(page);

    // Nothing ticked and a day some months do not have: the error summary says what to fix.
    await page.getByLabel('Alex Mensah').uncheck();
    await page.getByLabel('Day of the month to send it').fill('30');
    await page.getByRole('button', { name: 'Save the monthly report' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(/Choose at least one person to send it to[\s\S]*Day of the month must be from 1 to 28/);
    await checkA11y(page);

    await page.getByLabel('Name of the report').fill('Northvale assurance, monthly');
    await page.getByLabel('Alex Mensah').check();
    await page.getByLabel('Morgan Price').check();
    await page.getByLabel('Day of the month to send it').fill('3');
    await page.getByRole('button', { name: 'Save the monthly report' }).click();
    expect(new URL(page.url()).pathname).toBe('/reports/schedules');
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('will be sent on day 3 of each month');
    const row = page.getByTestId('schedule').filter({ hasText: 'Northvale assurance, monthly' });
    await expect(row.getByTestId('schedule-filters').textContent()).resolves.toBe('Northvale Council; view: Team manager');
    await expect(row.getByTestId('schedule-recipients').textContent()).resolves.toBe('Alex Mensah, Morgan Price');
    await checkA11y(page);

    await row.getByRole('button', { name: /Pause/ }).click();
    await expect(page.getByTestId('schedule').filter({ hasText: 'Northvale assurance, monthly' }).getByTestId('schedule-status').textContent()).resolves.toContain('Paused');
    await checkA11y(page);

    await page.getByTestId('schedule').filter({ hasText: 'Northvale assurance, monthly' }).getByRole('link', { name: /Delete/ }).click();
    await checkA11y(page);
    await page.getByRole('button', { name: 'Delete the report' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('has been deleted');
    expect(await page.getByTestId('schedule').filter({ hasText: 'Northvale assurance, monthly' }).count()).toBe(0);
    await checkA11y(page);
    await context.close();
  }, 120_000);
});
