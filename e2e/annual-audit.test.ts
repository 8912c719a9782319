import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdf } from '../src/platform/documents/testing/pdf-text.ts';
import { checkA11y, hasChromium, launch, newContext, signIn } from './support.ts';

async function answerEvery(page: Page, label: 'Met' | 'Partly met' | 'Not met' | 'Not applicable'): Promise<void> {
  for (const radio of await page.getByLabel(label, { exact: true }).all()) await radio.check();
}

const path = (page: Page) => new URL(page.url()).pathname;

describe.skipIf(!hasChromium)('annual case audit', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a quality lead (quality@demo.aftercare.example) configures an audit, completes two cases and downloads the report', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'quality@demo.aftercare.example');
    await expect.poll(() => path(page)).toBe('/');
    await page.getByRole('link', { name: 'Annual audit' }).first().click();
    await expect.poll(() => path(page)).toBe('/audits');
    // The demo's completed audit of last year is listed.
    expect(await page.getByTestId('audits').textContent()).toContain('Section 117 case audit 2025');
    await checkA11y(page);

    // The checklist: nine pillars, seven with inferred titles; rename one (a blank name is refused first).
    await page.getByTestId('checklist-link').click();
    await expect.poll(() => path(page)).toBe('/audits/checklist');
    expect(await page.getByTestId('pillar').count()).toBe(9);
    expect(await page.getByTestId('inferred').count()).toBe(7);
    await checkA11y(page);
    await page.getByRole('link', { name: 'Rename pillar 6' }).click();
    await checkA11y(page);
    await page.getByLabel('Pillar name').fill('');
    await page.getByRole('button', { name: 'Save the pillar name' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the pillar name');
    await checkA11y(page);
    await page.getByLabel('Pillar name').fill('Choice, control, carers and advocacy');
    await page.getByRole('button', { name: 'Save the pillar name' }).click();
    await expect.poll(() => path(page)).toBe('/audits/checklist');
    expect(await page.getByRole('heading', { name: 'Pillar 6: Choice, control, carers and advocacy' }).count()).toBe(1);
    expect(await page.getByTestId('inferred').count()).toBe(6);
    await page.getByRole('link', { name: 'Add a question to pillar 6' }).click();
    await checkA11y(page);
    await page.getByRole('link', { name: 'Back to the checklist' }).click();

    // Configure: last year's period and comparison are prefilled; a small sample by local authority.
    await page.goto('/audits');
    await page.getByRole('button', { name: 'Configure an audit' }).click();
    await expect.poll(() => path(page)).toBe('/audits/new');
    await checkA11y(page);
    expect(await page.getByLabel('Seed').inputValue()).toMatch(/^[0-9a-f]{12}$/);
    expect(await page.locator('#previousAuditId option:checked').textContent()).toBe('Section 117 case audit 2025');
    await page.getByLabel('Name').fill('Section 117 case audit (browser test)');
    await page.getByLabel('Sample size').fill('3');
    await page.getByLabel('Local authority', { exact: true }).check();
    await page.getByLabel('Seed').fill('browser-seed');
    await page.getByRole('button', { name: 'Draw the sample' }).click();
    await expect.poll(() => path(page)).toMatch(/^\/audits\/[0-9a-f-]{36}$/);
    const auditPath = path(page);
    expect(await page.getByTestId('progress').textContent()).toBe('0 of 3 cases complete');
    expect(await page.getByTestId('case-row').count()).toBe(3);
    await checkA11y(page);

    // Case 1: everything met.
    await page.getByTestId('case-link').nth(0).click();
    await expect.poll(() => path(page)).toMatch(/\/cases\//);
    expect(await page.getByTestId('key-facts').textContent()).toContain('NHS number');
    await checkA11y(page);
    await answerEvery(page, 'Met');
    await page.getByRole('button', { name: 'Complete case' }).click();
    await expect.poll(() => path(page)).toBe(auditPath);
    expect(await page.getByTestId('progress').textContent()).toBe('1 of 3 cases complete');

    // Case 2: completing with nothing answered names every item; then partly met throughout.
    await page.getByTestId('case-link').nth(1).click();
    await page.getByRole('button', { name: 'Complete case' }).click();
    expect(await page.locator('.govuk-error-summary li').count()).toBeGreaterThan(20);
    await checkA11y(page);
    await answerEvery(page, 'Partly met');
    await page.getByRole('button', { name: 'Complete case' }).click();
    await expect.poll(() => path(page)).toBe(auditPath);
    expect(await page.getByTestId('progress').textContent()).toBe('2 of 3 cases complete');
    // (1 + ½) of 2 applicable = 75% overall; last year's pillar figures are shown beside this year's.
    expect(await page.getByTestId('overall').textContent()).toBe('75%');
    expect(await page.locator('[data-qa="pillar-score"] [data-qa="previous"]').first().textContent()).toMatch(/^\d+%$/);
    await checkA11y(page);

    // A finding with an owner and a due date.
    await page.getByTestId('add-finding').click();
    await checkA11y(page);
    await page.getByLabel('Pillar').selectOption('4');
    await page.getByLabel('Finding').fill('Reviews were late for people no longer open to a team');
    await page.getByLabel('Action agreed').fill('Book reviews for everyone overdue');
    await page.getByLabel('Owner of the action').selectOption({ label: 'Alex Mensah' });
    const due = page.getByRole('group', { name: 'Due date' });
    await due.getByLabel('Day').fill('30');
    await due.getByLabel('Month').fill('6');
    await due.getByLabel('Year').fill('2027');
    await page.getByRole('button', { name: 'Record the finding' }).click();
    await expect.poll(() => path(page)).toBe(auditPath);
    expect(await page.getByTestId('findings').textContent()).toContain('Book reviews for everyone overdue');
    await checkA11y(page);

    // The report, as PDF and XLSX.
    const pdfHref = (await page.getByTestId('report-pdf').getAttribute('href'))!;
    const pdf = await context.request.get(pdfHref);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const text = (await extractPdf(await pdf.body())).text;
    expect(text).toContain('Section 117 case audit (browser test): report');
    expect(text).toContain('Overall score\n75%');
    expect(text).toContain('Book reviews for everyone overdue');
    const xlsx = await context.request.get((await page.getByTestId('report-xlsx').getAttribute('href'))!);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
    await context.close();
  }, 180_000);
});
