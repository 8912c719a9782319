import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDeskAndPhone, hasChromium, launch, newContext, showFilter, signIn, signOut } from './support.ts';

/*
 * Issue 13, items 7 and 2, in the browser with axe: the register filters by where people stand
 * under the Act (CTO, conditional discharge, recall, in hospital) and the person's header says it;
 * the lead organisation's administrator sets when the ICB must agree a plan, with its basis (a
 * mistake first), and puts it back.
 */
describe.skipIf(!hasChromium)('status that matters, and funding agreement policy', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('filters the register to people on a CTO, each row and the person’s header saying so', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'commissioner@demo.aftercare.example');
    await page.goto('/register');
    await showFilter(page);
    await page.getByLabel('Community treatment order (CTO)', { exact: true }).check();
    await page.getByTestId('apply-filters').click();
    await expect.poll(() => page.locator('.moj-filter__selected').textContent()).toContain('Community treatment order (CTO)');
    const rows = page.getByTestId('register-row');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const text of await rows.getByTestId('legal-status').allTextContents()) expect(text).toContain('Community treatment order (CTO)');
    expect(await page.getByTestId('legal-status').count()).toBe(await rows.count());
    await checkDeskAndPhone(page);

    await rows.first().getByTestId('person-link').click();
    expect((await page.getByTestId('legal-status').allTextContents()).map((t) => t.trim())).toContain('Community treatment order (CTO)');
    await checkDeskAndPhone(page);
    await context.close();
  });

  it('the administrator sets when the ICB must agree a plan, with its basis, and puts it back', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await page.goto('/admin/funding-agreement');
    await checkDeskAndPhone(page);
    await page.getByLabel('Only when the ICB pays more than an amount a week').check();
    await page.getByTestId('save-funding-policy').click();
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('Enter the amount a week above which the ICB must agree');
    expect(await summary.textContent()).toContain('Record the basis of this policy');
    await checkDeskAndPhone(page);

    await page.getByLabel('Amount a week above which the ICB must agree').fill('250');
    await page.getByLabel('Basis').fill('Joint section 117 policy, agreed by the partnership board on 1 November 2026');
    await page.getByTestId('save-funding-policy').click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been saved');
    expect(await page.getByTestId('last-saved').textContent()).toMatch(/^Last saved by .+ on \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(await page.getByLabel('Amount a week above which the ICB must agree').inputValue()).toBe('250.00');
    await checkDeskAndPhone(page);

    // Back to the default, so the other journeys see the ICB agree to any cost.
    await page.getByLabel('Whenever the plan puts any cost on the ICB').check();
    await page.getByTestId('save-funding-policy').click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been saved');
    expect(await page.getByLabel('Whenever the plan puts any cost on the ICB').isChecked()).toBe(true);
    await signOut(page);
    await context.close();
  });

  it('the administrator adds a type of service of the partnership’s own, after a mistake, and stops offering it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await page.goto('/admin/service-types');
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'Add the type' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').count()).toBe(1);
    await checkDeskAndPhone(page);
    const name = `Crisis house ${Date.now() % 100000}`;
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('What it covers').fill('A short stay in a staffed house instead of hospital');
    await page.getByRole('button', { name: 'Add the type' }).click();
    await expect.poll(() => page.getByTestId('local-service-types').textContent()).toContain(name);
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: `Stop offering ${name}` }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').count()).toBe(1);
    await checkDeskAndPhone(page);
    await context.close();
  });
});
