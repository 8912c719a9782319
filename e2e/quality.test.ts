import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, hasChromium, launch, newContext, signIn } from './support.ts';

describe.skipIf(!hasChromium)('data quality', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a quality lead sees the score and the rules, follows a rule to its people and a fix-it link', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'quality@demo.aftercare.example');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.getByRole('link', { name: 'Data quality' }).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/data-quality');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Data quality');
    expect(await page.locator('[data-qa="score"]').textContent()).toMatch(/^\d{1,3}%$/);
    // Score over time: the demo seeds a year of (synthetic, marked) monthly snapshots for the ICB.
    const overTime = page.getByTestId('score-over-time');
    expect(await overTime.locator('svg[role="img"] title').textContent()).toBe('Data quality score over time, NHS Northvale and Southmere Integrated Care Board');
    expect(await overTime.getByTestId('snapshot').count()).toBe(12);
    expect(await overTime.getByTestId('synthetic-note').count()).toBe(1);
    expect(await overTime.getByTestId('snapshot-score').last().textContent()).toMatch(/^\d{1,3}\.\d%$/);
    expect(await page.locator('[data-qa="rules"] tbody tr').count()).toBe(8);
    await checkA11y(page);

    // The demo partnership has entitled people whose reviews are overdue.
    await page.getByRole('link', { name: 'Review overdue', exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/data-quality/review-overdue');
    expect(await page.locator('[data-qa="showing"]').textContent()).toMatch(/Showing|Nobody/);
    await checkA11y(page);
    const rows = page.locator('[data-qa="quality-row"]');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.count()).toBeLessThanOrEqual(50);
    const fix = rows.first().locator('[data-qa="fix"]');
    expect(await fix.getAttribute('href')).toMatch(/^\/people\/[0-9a-f-]+\/reviews$/);
    await fix.click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/\/reviews$/);
    await context.close();
  }, 120_000);
});
