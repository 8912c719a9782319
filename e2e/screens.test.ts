import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, hasChromium, launch, newContext, showFilter, signIn } from './support.ts';

/*
 * Every page usable on any screen (issue 13, item 6; WCAG 1.4.10 reflow). At 320 px and 390 px
 * (phones) and 1280 px (a laptop) the register, a person's record (every section), My work and
 * the plan pages (the plan, and its forms) never scroll sideways, and axe passes. On a phone the
 * register's filter opens and closes as a panel and filters the list, with or without
 * JavaScript, and the table's rows become stacked summaries. On a desk the register uses the
 * width of the window: its table fits, wider than the old 960 px column, and no column heading
 * breaks inside a word.
 */

const PHONES = [320, 390] as const;
const WIDTHS = [...PHONES, 1280] as const;

async function atWidth(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: width === 1280 ? 720 : 800 });
}

/** How far the page scrolls sideways: 0 when it reflows. */
async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** The page at this width: no sideways scrolling, no accessibility violations. */
async function reflows(page: Page, width: number, what: string): Promise<void> {
  await atWidth(page, width);
  expect(await sidewaysScroll(page), `${what} at ${width} px scrolls sideways`).toBe(0);
  await checkA11y(page);
}

/** Words drawn across two lines inside `selector` (a heading broken as "Communic ation"). */
async function wordsBrokenAcrossLines(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const broken: string[] = [];
    for (const root of document.querySelectorAll(sel)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (node.parentElement?.closest('.govuk-visually-hidden')) continue;
        for (const match of node.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(match[0]);
        }
      }
    }
    return broken;
  }, selector);
}

describe.skipIf(!hasChromium)('every page usable on any screen', () => {
  let browser: Browser;
  let personPath: string;
  let planPath: string;

  beforeAll(async () => {
    browser = await launch();
    // A demo person with an approved plan, found through the pages as a practitioner would.
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto('/register?status=entitled');
    const people = await page.getByTestId('person-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    for (const person of people) {
      await page.goto(`${person}/plans`);
      const plans = page.getByTestId('plans').getByRole('link', { name: /^Plan \d+$/ });
      if ((await plans.count()) > 0) {
        personPath = person;
        planPath = (await plans.first().getAttribute('href'))!;
        break;
      }
    }
    await context.close();
    expect(planPath, 'a demo person with a plan').toBeTruthy();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('on a phone, with JavaScript, the register’s filter opens and closes as a panel, filters the list, and rows are stacked summaries', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    for (const width of PHONES) {
      await atWidth(page, width);
      await page.goto('/register');
      await reflows(page, width, 'the register');

      // The filter starts closed: the list is in view, not covered.
      const toggle = page.getByRole('button', { name: 'Show filter' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByTestId('apply-filters').isVisible()).toBe(false);
      expect(await page.getByTestId('register-row').first().isVisible()).toBe(true);

      // Opened, it is a panel inside the window, and the page still does not scroll sideways.
      await toggle.click();
      expect(await page.getByRole('button', { name: 'Hide filter' }).getAttribute('aria-expanded')).toBe('true');
      const panel = (await page.locator('.moj-filter').boundingBox())!;
      expect(panel.x).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width).toBeLessThanOrEqual(width);
      expect(await sidewaysScroll(page)).toBe(0);
      await checkA11y(page);

      // It can always be closed: with its own Close button (focus back on the toggle) ...
      await page.locator('.moj-filter').getByRole('button', { name: 'Close' }).click();
      expect(await page.getByTestId('apply-filters').isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Show filter');
      // ... or with the button that opened it.
      await page.getByRole('button', { name: 'Show filter' }).click();
      await page.getByRole('button', { name: 'Hide filter' }).click();
      expect(await page.getByTestId('apply-filters').isVisible()).toBe(false);

      // It filters the list.
      await page.getByRole('button', { name: 'Show filter' }).click();
      await page.getByLabel('Entitled', { exact: true }).check();
      await page.getByTestId('apply-filters').click();
      await expect.poll(() => new URL(page.url()).searchParams.getAll('status')).toEqual(['entitled']);
      expect(await page.getByTestId('register-row').count()).toBeGreaterThan(0);
      for (const status of await page.getByTestId('register-row').evaluateAll((rows) => rows.map((r) => r.querySelector('.govuk-tag')!.textContent!.trim()))) {
        expect(status).toBe('Entitled');
      }
      // Closed again after filtering, it says which filters apply.
      expect(await page.getByTestId('apply-filters').isVisible()).toBe(false);
      expect(await page.getByTestId('filter-summary').textContent()).toMatch(/Filters applied:\s*Status: Entitled/);
      await reflows(page, width, 'the filtered register');

      // Each row is a stacked summary: every cell as wide as the row, each labelled with its column.
      const row = page.getByTestId('register-row').first();
      const rowBox = (await row.boundingBox())!;
      expect(rowBox.width).toBeLessThanOrEqual(width);
      const nhs = row.getByTestId('nhs-number');
      expect((await nhs.boundingBox())!.width).toBeGreaterThan(rowBox.width * 0.9);
      expect(await nhs.evaluate((cell) => getComputedStyle(cell, '::before').content)).toBe('"NHS number"');
      expect(await row.getByTestId('person-link').isVisible()).toBe(true);
      // The sortable headings stay, as a row of links.
      expect(await page.getByRole('link', { name: /^Next review/ }).isVisible()).toBe(true);
      expect(await wordsBrokenAcrossLines(page, '[data-qa="register"] thead')).toEqual([]);
    }
    await context.close();
  }, 180_000);

  it('on a phone, without JavaScript, the register’s filter is shown above the list and filters it', async () => {
    // axe needs JavaScript in the page, so this journey checks the reflow only; the same markup
    // is scanned with JavaScript above.
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    for (const width of PHONES) {
      await atWidth(page, width);
      await page.goto('/register');
      expect(await sidewaysScroll(page), `the register without JavaScript at ${width} px`).toBe(0);
      expect(await page.getByTestId('apply-filters').isVisible()).toBe(true);
      await page.getByLabel('Pending: detained', { exact: true }).check();
      await page.getByTestId('apply-filters').click();
      expect(new URL(page.url()).searchParams.getAll('status')).toEqual(['pending']);
      expect(await page.getByTestId('register-row').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('nhs-number').first().evaluate((cell) => getComputedStyle(cell, '::before').content)).toBe('"NHS number"');
      for (const status of await page.getByTestId('register-row').evaluateAll((rows) => rows.map((r) => r.querySelector('.govuk-tag')!.textContent!.trim()))) {
        expect(status).toBe('Pending: detained');
      }
      expect(await sidewaysScroll(page), `the filtered register without JavaScript at ${width} px`).toBe(0);
    }
    await context.close();
  }, 180_000);

  it('on a desk the register uses the width of the window: the table fits, wider than the old 960 px column', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await atWidth(page, 1280);
    await page.goto('/register');
    await reflows(page, 1280, 'the register');

    const table = page.getByTestId('register');
    const fit = await table.evaluate((t) => ({ table: t.scrollWidth, container: t.parentElement!.clientWidth, width: t.getBoundingClientRect().width }));
    expect(fit.table).toBeLessThanOrEqual(fit.container);
    expect(fit.width).toBeGreaterThan(960);
    // No column heading breaks inside a word.
    expect(await wordsBrokenAcrossLines(page, '[data-qa="register"] thead')).toEqual([]);
    // With the headings at the top of the window, at least five whole rows are in view.
    await table.locator('thead').evaluate((head) => head.scrollIntoView({ block: 'start' }));
    const inView = await page.getByTestId('register-row').evaluateAll((rows) => rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length);
    expect(inView).toBeGreaterThanOrEqual(5);

    // The filter opens above the list, at its full width, and the list still fits.
    await showFilter(page);
    expect(await page.getByTestId('apply-filters').isVisible()).toBe(true);
    expect(await sidewaysScroll(page)).toBe(0);
    expect((await table.boundingBox())!.width).toBeGreaterThan(960);
    await checkA11y(page);
    await context.close();
  }, 180_000);

  it('a person’s record, every section of it, reflows at 320, 390 and 1280 px', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const sections = ['', '/history', '/contacts', '/plans', '/documents', '/reviews', '/charges', '/endings'];
    for (const section of sections) {
      await page.goto(`${personPath}${section}`);
      for (const width of WIDTHS) await reflows(page, width, `${personPath}${section}`);
    }
    // On a desk the details beside the record keep each label whole ("Communication needs").
    await page.goto(personPath);
    await atWidth(page, 1280);
    expect(await page.locator('.govuk-summary-list__key').evaluateAll((keys) => keys.map((k) => k.textContent!.trim()))).toContain('Communication needs');
    expect(await wordsBrokenAcrossLines(page, '.govuk-summary-list__key')).toEqual([]);
    await context.close();
  }, 180_000);

  it('My work reflows at 320, 390 and 1280 px', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto('/my-work');
    for (const width of WIDTHS) await reflows(page, width, 'My work');
    await page.goto('/my-work?scope=team');
    for (const width of PHONES) await reflows(page, width, 'My work for my teams');
    await context.close();
  }, 180_000);

  it('the plan, a new version of it and its forms reflow at 320, 390 and 1280 px', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto(planPath);
    for (const width of WIDTHS) await reflows(page, width, 'the approved plan');

    // A new version, which can be changed: its services table carries its actions.
    await atWidth(page, 390);
    await page.goto(`${personPath}/plans`);
    const start = page.getByTestId('start-plan');
    if ((await start.count()) > 0) await start.click();
    else await page.getByRole('link', { name: 'carry on with it' }).click();
    await expect.poll(() => page.getByTestId('plan-status').textContent()).toContain('Draft');
    const draft = new URL(page.url()).pathname;
    for (const width of WIDTHS) await reflows(page, width, 'the draft plan');
    if ((await page.getByTestId('service').count()) > 0) {
      await atWidth(page, 320);
      const split = page.getByTestId('service').first().getByTestId('split');
      expect(await split.isVisible()).toBe(true);
      expect(await split.evaluate((el) => getComputedStyle(el.closest('td')!, '::before').content)).toBe('"Split and basis"');
    }

    for (const form of ['/details', '/needs/new', '/services/new', '/budgets/new']) {
      const res = await page.goto(`${draft}${form}`);
      if (res?.status() !== 200) continue;
      for (const width of PHONES) await reflows(page, width, `${draft}${form}`);
    }
    await context.close();
  }, 180_000);
});
