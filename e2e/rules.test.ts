import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, hasChromium, launch, newContext, signIn } from './support.ts';

describe.skipIf(!hasChromium)('the Rules page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every rule with its source, signed in or not', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/rules');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Section 117 rules and their sources');
    await checkA11y(page);
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.getByRole('link', { name: 'Rules', exact: true }).click();
    const rules = page.getByTestId('rules');
    expect(await rules.locator('tbody tr').count()).toBeGreaterThanOrEqual(30);
    expect(await page.locator('#R17').textContent()).toContain('ICB');
    expect(await page.getByTestId('legal-status-codes').textContent()).toContain('Formally detained under Mental Health Act Section 3');
    await checkA11y(page);
    await context.close();
  });
});
