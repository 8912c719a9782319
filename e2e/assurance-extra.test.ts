import fs from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Assurance screens without a journey of their own: the exports page (the monthly partnership
 * return as CSV and XLSX, and the register as a FHIR R4 bundle) and the notification outbox for
 * administrators. Axe on every page.
 */

async function download(page: Page, link: string | RegExp): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
  return { file, bytes: await fs.readFile((await file.path())!) };
}

describe.skipIf(!hasChromium)('exports and the outbox', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a commissioner downloads the monthly return as CSV and XLSX, and the register as FHIR', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'commissioner@demo.aftercare.example');
    await page.goto('/exports');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Exports');
    await checkA11y(page);

    // A month that does not exist: the error summary says so, and no download is offered.
    await page.getByLabel('Month').fill('2026-13');
    await page.getByRole('button', { name: 'Choose month' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the month as year and month, like 2026-01');
    expect(await page.getByTestId('return-downloads').count()).toBe(0);
    await checkA11y(page);

    await page.getByLabel('Month').fill('2026-10');
    await page.getByRole('button', { name: 'Choose month' }).click();
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    await checkA11y(page);

    const csv = await download(page, 'Download the return for 2026-10 (CSV)');
    expect(csv.file.suggestedFilename()).toMatch(/2026-10.*\.csv$/);
    const text = csv.bytes.toString('utf8').replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    // The fixed layout (docs/monthly-return.md): a header, one row per local authority, then the total.
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['Month', 'Local authority code', 'Local authority', 'People entitled at month end']);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.every((r) => r[0] === '2026-10')).toBe(true);
    expect(rows.map((r) => r[2])).toContain('Northvale Council');
    const total = rows.at(-1)!;
    expect(total[2]).toBe('Total');
    const entitled = rows.slice(0, -1).reduce((sum, r) => sum + Number(r[3]), 0);
    expect(Number(total[3])).toBe(entitled);
    expect(entitled).toBeGreaterThan(0);

    const xlsx = await download(page, 'Download the return for 2026-10 (XLSX)');
    expect(xlsx.file.suggestedFilename()).toMatch(/2026-10.*\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(typeof c.value === 'string' ? c.value : JSON.stringify(c.value))));
    expect(cells).toContain('Northvale Council');

    const fhir = await download(page, 'Download the register as FHIR JSON');
    expect(fhir.file.suggestedFilename()).toMatch(/\.fhir\.json$/);
    const bundle = JSON.parse(fhir.bytes.toString('utf8')) as { resourceType: string; type: string; entry: Array<{ resource: { resourceType: string; identifier?: Array<{ system: string; value: string }> } }> };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    const patients = bundle.entry.filter((e) => e.resource.resourceType === 'Patient');
    expect(patients.length).toBeGreaterThan(0);
    expect(patients[0]!.resource.identifier?.some((i) => i.system === 'https://fhir.nhs.uk/Id/nhs-number' && /^999\d{7}$/.test(i.value))).toBe(true);
    expect(bundle.entry.some((e) => e.resource.resourceType === 'EpisodeOfCare')).toBe(true);
    await context.close();
  }, 120_000);

  it('an administrator sees the notification outbox and filters it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await page.goto('/admin');
    await checkA11y(page);
    await page.goto('/admin/outbox');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Notification outbox');
    expect(await page.getByText('No SMTP server is configured: notifications are shown in the app only.').count()).toBe(1);
    // The demo has overdue reviews, so the first housekeeping run queued reminders and, with no
    // SMTP server, delivered them in the app.
    const countsNow = async () => {
      await page.reload();
      return [...((await page.getByTestId('counts').textContent()) ?? '').matchAll(/(\d+)/g)].map((m) => Number(m[1]));
    };
    await expect.poll(async () => (await countsNow())[1], { timeout: 60_000, interval: 2_000 }).toBeGreaterThan(0);
    const [, sent, failed] = await countsNow();
    await checkA11y(page);

    await page.getByRole('link', { name: 'Sent', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('status')).toBe('sent');
    expect(await page.getByTestId('outbox').locator('caption').textContent()).toBe('Sent');
    const outcomes = await page.getByTestId('outbox-row').locator('.govuk-tag').allTextContents();
    expect(outcomes).toHaveLength(Math.min(sent!, 200));
    expect(new Set(outcomes.map((o) => o.trim()))).toEqual(new Set(['Sent']));
    expect(await page.getByTestId('outbox-row').first().textContent()).toContain('In the app');
    await checkA11y(page);

    await page.getByRole('link', { name: 'Failed', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    if (failed === 0) expect(await page.getByText('Nothing here.').count()).toBe(1);
    else expect(await page.getByTestId('outbox-row').count()).toBe(Math.min(failed!, 200));
    await checkA11y(page);
    await context.close();

    // Nobody else may open it.
    const other = await newContext(browser);
    const practitioner = await other.newPage();
    await signIn(practitioner, 'practitioner@demo.aftercare.example');
    const res = await practitioner.goto('/admin/outbox');
    expect(res?.status()).toBe(403);
    await checkA11y(practitioner);
    await other.close();
  }, 120_000);
});
