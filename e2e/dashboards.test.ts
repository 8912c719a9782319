import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 7 acceptance: a manager opens the dashboard, filters to one local authority and follows
 * "overdue reviews" to the register list of those people, then views the dashboard as a
 * commissioner; the lead administrator changes a population figure. Axe-clean on every page visited.
 */

/** Every text of a bar chart that reaches outside the chart's drawing (none should). */
function labelsOutsideCharts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<SVGSVGElement>('svg.app-bar-chart')].flatMap((svg) => {
      const box = svg.viewBox.baseVal;
      return [...svg.querySelectorAll<SVGTextElement>('text')]
        .map((text) => ({ text: text.textContent ?? '', b: text.getBBox() }))
        .filter(({ b }) => b.x < -0.5 || b.x + b.width > box.width + 0.5)
        .map(({ text, b }) => `${text} (${Math.round(b.x)} to ${Math.round(b.x + b.width)} of ${box.width})`);
    }),
  );
}

describe.skipIf(!hasChromium)('dashboards', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a manager filters the dashboard to one local authority and follows overdue reviews to the people', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'manager@demo.aftercare.example');
    await page.getByRole('link', { name: 'Dashboards', exact: true }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboards' }).count()).resolves.toBe(1);
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(0);
    await checkA11y(page);
    // Issue 13, item 8: no chart label runs off the edge of its chart (they were cut off on the left).
    expect(await labelsOutsideCharts(page)).toEqual([]);

    await page.getByLabel('Local authority').selectOption({ label: 'Northvale Council' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    expect(new URL(page.url()).searchParams.get('la')).toBe('E06000901');
    await checkA11y(page);

    const overdue = page.getByTestId('reviews').getByRole('link', { name: /Overdue reviews: see the people/ });
    const figure = Number(((await overdue.textContent()) ?? '').replace(/,/g, '').replace(/\D.*$/s, ''));
    await overdue.click();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/register');
    expect(url.searchParams.getAll('la')).toEqual(['E06000901']);
    expect(url.searchParams.getAll('review')).toEqual(['overdue']);
    expect(url.searchParams.getAll('status')).toEqual(['entitled']);
    const showing = (await page.getByTestId('showing').textContent()) ?? '';
    if (figure === 0) expect(showing).toContain('No people match');
    else expect(showing.replace(/\s+/g, ' ')).toMatch(new RegExp(`of (more than )?${figure.toLocaleString('en-GB')} (person|people)`));
    await checkA11y(page);

    // Back on the dashboard, "View as" a commissioner: their sections, no JavaScript needed.
    await page.goBack();
    await page.getByLabel('View as').selectOption({ label: 'Commissioner' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const viewed = new URL(page.url());
    expect(viewed.searchParams.get('view')).toBe('commissioner');
    expect(viewed.searchParams.get('la')).toBe('E06000901');
    await expect(page.getByTestId('view-caption').textContent()).resolves.toBe('Commissioner');
    for (const id of ['cost-funder', 'panels', 'population']) await expect(page.getByTestId(id).count(), id).resolves.toBe(1);
    await expect(page.getByTestId('teams').count()).resolves.toBe(0);
    // The cost by type of service, with the types' names, inside its chart.
    expect(await page.getByTestId('cost-type').locator('svg text').count()).toBeGreaterThan(0);
    expect(await labelsOutsideCharts(page)).toEqual([]);
    // The demo's synthetic population gives Northvale a rate per 100,000.
    expect(((await page.getByTestId('population-rate-E06000901').textContent()) ?? '').trim()).toMatch(/^\d[\d,]*\.\d$/);
    await checkA11y(page);
    await context.close();
  }, 120_000);

  it('the lead administrator opens the population figures and changes one', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Population figures' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Population figures' }).count()).resolves.toBe(1);
    await expect(page.getByTestId('population-figures').count()).resolves.toBe(1);
    await checkA11y(page);
    await page.getByRole('link', { name: /Change Northvale Council, Total, Everyone/ }).click();
    await page.getByRole('textbox', { name: 'Population' }).fill('not a number');
    await page.getByRole('button', { name: 'Save figure' }).click();
    await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(1);
    await checkA11y(page);
    await page.getByRole('textbox', { name: 'Population' }).fill('181,500');
    await page.getByRole('button', { name: 'Save figure' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('181,500');
    await checkA11y(page);
    await context.close();
  }, 60_000);

  it('equality monitoring shows its breakdowns with small numbers suppressed', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto('/dashboards/equality');
    await expect(page.getByRole('heading', { level: 1, name: 'Equality monitoring' }).count()).resolves.toBe(1);
    await expect(page.getByTestId('suppression-note').count()).resolves.toBe(1);
    await checkA11y(page);
    await context.close();
  }, 60_000);
});
