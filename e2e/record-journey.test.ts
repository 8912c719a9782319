import fs from 'node:fs';
import ExcelJS from 'exceljs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { startAftercare, type AftercareProcess } from './aftercare-process.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 15's acceptance journey: the person's whole record over two days. The journey runs its own
 * Aftercare on its own embedded database: today, then started again on the same database with the
 * clock a day and an hour on (CLOCK_OFFSET_HOURS, which production refuses), so the note written
 * today is locked tomorrow and can only be corrected, its earlier words kept for the manager. Then
 * the discharge summary is uploaded and downloaded byte for byte, a risk assessment raises the level,
 * the manager records the escalation's outcome from their queue, and the chronology shows all of it
 * in order and downloads as PDF and XLSX. Axe at desk and phone widths on the pages.
 */

const numbers = syntheticNhsNumbers(700_000 + Math.floor(Math.random() * 50_000));
const practitioner = 'practitioner@demo.aftercare.example';
const pdf = Buffer.from(`%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${Date.now()}\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1');
const manager = 'manager@demo.aftercare.example';

describe.skipIf(!hasChromium)('the person’s whole record, over two days (issue 15)', () => {
  let browser: Browser;
  let dataDir = '';
  let app: AftercareProcess | undefined;
  let personPath = '';
  let notePath = '';
  const familyName = `Recordwell${Math.floor(Math.random() * 1000)}`;
  const today = new Date().toISOString().slice(0, 10);

  async function open(email: string): Promise<Page> {
    const context = await newContext(browser, { baseURL: app!.baseUrl } as never);
    const page = await context.newPage();
    await signIn(page, email);
    return page;
  }

  beforeAll(async () => {
    browser = await launch();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-record-'));
    app = await startAftercare(dataDir);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('today: a practitioner writes a note after a home visit and marks it significant', async () => {
    const page = await open(practitioner);
    personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Robin', familyName, dateOfBirth: '1979-02-03', detained: '2026-01-10', discharged: '2026-03-01' });
    await page.goto(`${personPath}/notes/new`);
    await page.getByLabel('Type of note').selectOption({ label: 'Home visit' });
    await fillDate(page, 'Date of the contact', today);
    await page.getByLabel('Time of the contact').fill('00:05');
    await page.getByLabel('Who was present (optional)').fill('Robin and their brother');
    await page.getByLabel('Note', { exact: true }).fill('# Visit\nSeen at home. Not sleeping; stopped taking medication last week.');
    await page.getByLabel('This note records something significant').check();
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await expect(page.getByTestId('note-state').textContent()).resolves.toBe('Finished');
    await expect(page.getByTestId('significant').textContent()).resolves.toBe('Significant');
    notePath = new URL(page.url()).pathname;
    await page.context().close();
  }, 300_000);

  it('the next day: the note is locked, the practitioner corrects it with a reason, and the manager sees the earlier words', async () => {
    await app!.stop();
    app = await startAftercare(dataDir, { CLOCK_OFFSET_HOURS: '25' });
    const page = await open(practitioner);
    await page.goto(notePath);
    await expect(page.getByTestId('note-state').textContent()).resolves.toBe('Locked');
    expect(await page.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Correct this note' }).click();
    await checkDeskAndPhone(page);
    await page.getByLabel('Note', { exact: true }).fill('# Visit\nSeen at home. Not sleeping; stopped taking medication ten days ago.');
    await page.getByLabel('Reason for the correction').fill('Robin’s brother rang: it was ten days, not a week.');
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await expect(page.getByTestId('note-body').textContent()).resolves.toContain('ten days ago');
    expect(await page.getByTestId('earlier-version').count()).toBe(0);
    await checkDeskAndPhone(page);
    await page.context().close();

    const mgr = await open(manager);
    await mgr.goto(notePath);
    await expect(mgr.getByTestId('note-body').textContent()).resolves.toContain('ten days ago');
    await expect(mgr.getByTestId('earlier-version').textContent()).resolves.toContain('last week');
    await expect(mgr.getByTestId('earlier-version').textContent()).resolves.toContain('it was ten days, not a week');
    await checkDeskAndPhone(mgr);
    await mgr.context().close();
  }, 300_000);

  it('the same day: the practitioner uploads the discharge summary and downloads it byte for byte', async () => {
    const page = await open(practitioner);
    await page.goto(`${personPath}/uploads/new`);
    await page.getByLabel('Discharge summary').check();
    await fillDate(page, 'Date of the document', '2026-03-01');
    await page.getByLabel('Who wrote it').fill('Ward 3, Northvale Hospital');
    await page.getByLabel('File').setInputFiles({ name: 'Discharge summary.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Upload the document' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Discharge summary.pdf has been uploaded');
    await page.goto(`${personPath}/uploads`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
    expect((await fs.promises.readFile((await download.path())!)).equals(pdf)).toBe(true);
    await checkDeskAndPhone(page);
    await page.context().close();
  }, 300_000);

  it('the practitioner records a risk assessment that raises the level; the manager sees the escalation in their queue and records its outcome', async () => {
    const page = await open(practitioner);
    await page.goto(personPath);
    await page.getByTestId('risk-new-link').click();
    await page.getByLabel('Risk to self').fill('Stopped taking medication; not sleeping.');
    await page.getByLabel('Risk to others').fill('None identified.');
    await page.getByLabel('Risk from others').fill('None known.');
    await page.getByLabel('Self-neglect').fill('Not eating regular meals.');
    await page.getByLabel('Relapse and early-warning signs').fill('Stops sleeping, then stops answering the phone.');
    await page.getByLabel('Protective factors').fill('Their brother visits daily.');
    await page.getByLabel('The person’s own view').fill('“I will go back on the tablets if the side effects are looked at.”');
    await page.getByLabel('Formulation').fill('Side effects led to stopping medication; sleep loss is the first sign of relapse.');
    await page.getByLabel('Positive risk-taking plan').fill('Medication review this week; brother to call the team if sleep does not improve.');
    await page.getByLabel('High', { exact: true }).check();
    await fillDate(page, 'Date of the next review', new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Save the risk assessment' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('the team managers have been told');
    await checkDeskAndPhone(page);
    await page.context().close();

    const mgr = await open(manager);
    await mgr.goto('/waiting?kind=escalation');
    const rows = mgr.getByTestId('waiting-row').filter({ hasText: `Robin ${familyName}` });
    // The significant note yesterday raised one escalation; the rise in the level today another.
    await expect.poll(() => rows.count()).toBe(2);
    await checkDeskAndPhone(mgr);
    await rows.first().getByRole('link', { name: /Record the outcome of a risk escalation/ }).click();
    await mgr.getByLabel('Plan reviewed').check();
    await mgr.getByLabel('What was decided and done, and why').fill('Medication review booked with the psychiatrist; daily calls for a week.');
    await mgr.getByRole('button', { name: 'Record the outcome' }).click();
    await expect.poll(() => mgr.locator('.govuk-notification-banner').textContent()).toContain('escalation closed');
    await checkDeskAndPhone(mgr);
    await mgr.goto('/waiting?kind=escalation');
    await expect.poll(() => mgr.getByTestId('waiting-row').filter({ hasText: `Robin ${familyName}` }).count()).toBe(1);
    await mgr.context().close();
  }, 300_000);

  it('the chronology shows all of it in order, and downloads as PDF and XLSX', async () => {
    const page = await open(manager);
    await page.goto(personPath);
    await page.getByTestId('chronology-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Chronology');
    const titles = (await page.getByTestId('entry-title').allTextContents()).map((t) => t.trim());
    const at = (text: string) => titles.findIndex((t) => t.includes(text));
    for (const text of ['Escalation outcome: plan reviewed', 'Escalated to the team manager', 'Risk assessment: high risk', 'Discharge summary uploaded: Discharge summary.pdf', 'Home visit']) {
      expect(at(text), `${text} in ${titles.join(' | ')}`).toBeGreaterThanOrEqual(0);
    }
    // Newest first: the outcome, the assessment, the upload, then yesterday's note, then the legal history.
    expect(at('Escalation outcome')).toBeLessThan(at('Risk assessment: high risk'));
    expect(at('Risk assessment: high risk')).toBeLessThan(at('Discharge summary uploaded'));
    expect(at('Discharge summary uploaded')).toBeLessThan(at('Home visit'));
    expect(at('Home visit')).toBeLessThan(titles.length - 1);
    await checkDeskAndPhone(page);

    const pdfDownload = page.waitForEvent('download');
    await page.getByTestId('chronology-pdf').click();
    const pdfFile = await (await pdfDownload).path();
    expect((await fs.promises.readFile(pdfFile!)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const xlsxDownload = page.waitForEvent('download');
    await page.getByTestId('chronology-xlsx').click();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await (await xlsxDownload).path())!);
    const cells: string[] = [];
    workbook.getWorksheet('Chronology')!.eachRow((row) => row.eachCell((cell) => cells.push(cell.text)));
    for (const text of ['Risk assessment: high risk', 'Discharge summary uploaded: Discharge summary.pdf', 'Home visit']) {
      expect(cells.some((c) => c.includes(text)), text).toBe(true);
    }
    await page.context().close();
  }, 300_000);
});
