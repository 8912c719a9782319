import { promises as fs } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 15, item 2: the chronology in the browser. A practitioner records a person (detained,
 * discharged) and a significant case note, opens the chronology from the person page, sees the
 * entries newest first, filters to case notes and to significant entries, searches, and downloads
 * the PDF and the XLSX. Axe at desk and phone widths on every page.
 */

const numbers = syntheticNhsNumbers(700_000 + Math.floor(Math.random() * 50_000));

describe.skipIf(!hasChromium)('the chronology', () => {
  let browser: Browser;
  const familyName = `Timeline${Math.floor(Math.random() * 1000)}`;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens from the person page, lists entries in order, filters, searches and downloads the PDF and XLSX', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Jo', familyName, dateOfBirth: '1979-02-03', detained: '2026-01-10', discharged: '2026-03-01' });

    // A significant case note, so the chronology has more than the legal history.
    await page.goto(`${personPath}/notes/new`);
    await page.getByLabel('Type of note').selectOption({ label: 'Home visit' });
    await fillDate(page, 'Date of the contact', yesterday);
    await page.getByLabel('Time of the contact').fill('2:30pm');
    await page.getByLabel('Note', { exact: true }).fill('Seen at home. Talked about the move to supported living.');
    await page.getByLabel('This note records something significant').check();
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('has been saved and finished');

    await page.goto(personPath);
    await page.getByTestId('chronology-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Chronology');
    const titles = () => page.getByTestId('entry-title').allTextContents().then((all) => all.map((t) => t.trim()));
    const all = await titles();
    // Finishing a significant note told the team manager (issue 15, item 4): the escalation is newest.
    expect(all.slice(0, 2)).toEqual(['Escalated to the team manager: significant event recorded', 'Home visit']);
    expect(all.indexOf('Entitlement to section 117 aftercare began')).toBeGreaterThan(0);
    expect(all.indexOf('Detained in hospital')).toBe(all.length - 1);
    await expect(page.getByTestId('entry-date').first().textContent()).resolves.toMatch(/^\d{1,2} [A-Z][a-z]+ 2026/);
    await checkDeskAndPhone(page);

    // Only case notes.
    await page.getByLabel('Case notes').check();
    await page.getByTestId('apply-filters').click();
    await expect(titles()).resolves.toEqual(['Home visit']);
    await expect(page.getByTestId('chronology-filter-text').textContent()).resolves.toContain('Only case notes');
    await checkDeskAndPhone(page);

    // Every type again, significant only: the case note and the detention, not "left hospital".
    await page.getByTestId('clear-filters').click();
    await page.getByLabel('Significant entries only').check();
    await page.getByTestId('apply-filters').click();
    const significant = await titles();
    expect(significant).toContain('Home visit');
    expect(significant).toContain('Escalated to the team manager: significant event recorded');
    expect(significant).toContain('Detained in hospital');
    expect(significant).not.toContain('Left hospital');

    // A search.
    await page.getByTestId('clear-filters').click();
    await page.getByLabel('Search the entries').fill('supported living');
    await page.getByTestId('apply-filters').click();
    await expect(titles()).resolves.toEqual(['Home visit']);
    await checkDeskAndPhone(page);

    // The downloads carry the same filters.
    const pdf = page.waitForEvent('download');
    await page.getByTestId('chronology-pdf').click();
    const pdfFile = await pdf;
    expect(pdfFile.suggestedFilename()).toMatch(new RegExp(`^chronology-${familyName.toLowerCase()}-\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
    expect((await fs.readFile((await pdfFile.path())!)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const xlsx = page.waitForEvent('download');
    await page.getByTestId('chronology-xlsx').click();
    const xlsxFile = await xlsx;
    expect(xlsxFile.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await fs.readFile((await xlsxFile.path())!)).subarray(0, 2).toString('latin1')).toBe('PK');

    await page.getByTestId('chronology-print').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Chronology: Jo ${familyName}`);
    await expect(titles()).resolves.toEqual(['Home visit']);
    await checkDeskAndPhone(page);
    await context.close();
  }, 300_000);
});
