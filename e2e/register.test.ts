import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { todayInLondon } from '../src/platform/clock.ts';
import { baseUrl, checkA11y, checkDeskAndPhone, hasChromium, launch, newContext, showFilter, signIn } from './support.ts';

/*
 * The register list, its downloads, the hospital pipeline and the lost-to-follow-up finder
 * in a real browser. The server holds the demo partnership (and its demo people); these
 * journeys add their own people through the API, with a token Northvale's administrator
 * issues through the pages, and find them by name so other data cannot disturb them.
 */

const today = todayInLondon();
// Far from the numbers the demo seed and other journeys use.
const numbers = syntheticNhsNumbers(800_000 + Math.floor(Math.random() * 50_000));
const FAMILY = 'Xylander';
const BULK = 'Xylobulk';

let token: string;

async function api(path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

async function addPerson(fields: Record<string, unknown>, events: Array<Record<string, unknown>> = []): Promise<string> {
  const { id } = await api('/api/v1/people', { nhsNumber: numbers.next().value, dateOfBirth: '1979-03-02', confirmDuplicate: true, ...fields });
  for (const event of events) await api(`/api/v1/people/${id}/events`, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  return id;
}

const detained = (date: string) => ({ type: 'detention-started', date, legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
const discharged = (date: string) => [
  { type: 'detention-ended', date, reason: 'discharged' },
  { type: 'left-hospital', date },
];

const nextPage = (page: Page) => page.getByRole('navigation', { name: 'Pages of results' }).getByRole('link', { name: /^Next/ });

/** Follow "Next" until a row containing `text` is on the page (other people may come first). */
async function pageUntil(page: Page, rowTestId: string, text: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if ((await page.getByTestId(rowTestId).filter({ hasText: text }).count()) > 0) return;
    const next = nextPage(page);
    if ((await next.count()) === 0) break;
    await next.first().click();
  }
  throw new Error(`No row containing ${text}`);
}

describe.skipIf(!hasChromium)('the register, its downloads, the hospital pipeline and the lost-to-follow-up finder', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch();
    // Northvale's administrator issues an API token through the pages.
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'la-admin@demo.aftercare.example');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'API tokens of Northvale Council' }).click();
    await page.getByLabel('Name of a new token').fill('Register journeys');
    await page.getByRole('button', { name: 'Create token' }).click();
    token = ((await page.getByTestId('new-token').textContent()) ?? '').trim();
    await context.close();
    // Nobody grants themselves rights: the lead organisation's administrator approves it.
    const approver = await newContext(browser);
    const lead = await approver.newPage();
    await signIn(lead, 'admin@demo.aftercare.example');
    await lead.goto('/admin');
    await lead.getByRole('link', { name: 'API tokens of Northvale Council' }).click();
    await lead.getByRole('button', { name: 'Approve Register journeys' }).click();
    await approver.close();

    await addPerson({ givenName: 'Alma', familyName: FAMILY, engagement: 'engaged', lastContactOn: addDays(today, -7) }, [detained('2024-03-01'), ...discharged('2024-06-01'), { type: 'reviewed', date: addDays(today, -14) }]);
    await addPerson({ givenName: 'Bruno', familyName: FAMILY, engagement: 'disengaged' }, [detained('2023-01-05'), ...discharged('2023-02-20')]);
    await addPerson({ givenName: 'Carys', familyName: FAMILY, expectedDischargeOn: addDays(today, 7), dischargePlanning: 'in-progress' }, [detained(addDays(today, -30))]);
    await addPerson({ givenName: '=SUM(1,2)', familyName: FAMILY });
    for (let i = 0; i < 52; i++) await addPerson({ givenName: `Number${String(i).padStart(2, '0')}`, familyName: BULK });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a practitioner finds a person from the header of any page, straight to them when one matches (issue 15, item 5)', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto('/work');
    const find = page.getByRole('search', { name: 'Find a person' });
    await find.getByLabel('Find a person', { exact: true }).fill(`carys ${FAMILY}`);
    await find.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/people\/[0-9a-f-]{36}$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Carys');
    await checkDeskAndPhone(page);
    // Several people share the name: the register lists them, the search kept.
    await page.getByRole('search', { name: 'Find a person' }).getByLabel('Find a person', { exact: true }).fill(FAMILY);
    await page.getByRole('search', { name: 'Find a person' }).getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/register');
    await expect.poll(() => page.getByTestId('showing').textContent()).toMatch(/of\s+4\s+people/);
    await context.close();
  });

  it('a practitioner searches, filters, sorts and pages through the register', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.getByRole('link', { name: 'Register', exact: true }).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/register');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Register');
    await checkA11y(page);

    await page.getByLabel('Search by NHS number or name').fill(FAMILY.toLowerCase());
    await page.getByTestId('search').click();
    await expect.poll(() => page.getByTestId('showing').textContent()).toMatch(/Showing\s+1\s+to\s+4\s+of\s+4\s+people/);
    await checkA11y(page);

    await showFilter(page);
    await page.getByLabel('Entitled', { exact: true }).check();
    await page.getByTestId('apply-filters').click();
    await expect.poll(() => page.getByTestId('register-row').count()).toBe(2);
    expect(await page.locator('.moj-filter__selected').textContent()).toContain('Entitled');
    expect(await page.locator('.moj-filter__selected').textContent()).toContain(`“${FAMILY.toLowerCase()}”`);
    await checkA11y(page);

    // Sort by next review: Bruno's first review is long overdue, Alma was reviewed a fortnight ago.
    await page.getByRole('link', { name: /^Next review/ }).click();
    await expect.poll(() => page.locator('th[aria-sort]').textContent()).toContain('Next review');
    expect(await page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    expect(await page.getByTestId('person-link').allTextContents()).toEqual([`${FAMILY}, Bruno`, `${FAMILY}, Alma`]);
    await page.getByRole('link', { name: /^Next review/ }).click();
    await expect.poll(() => page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    expect(await page.getByTestId('person-link').allTextContents()).toEqual([`${FAMILY}, Alma`, `${FAMILY}, Bruno`]);
    await checkA11y(page);

    // Remove the status filter with its tag: all four again, still sorted.
    await showFilter(page);
    await page.locator('.moj-filter__tag', { hasText: 'Entitled' }).click();
    await expect.poll(() => page.getByTestId('register-row').count()).toBe(4);
    expect(page.url()).toContain('sort=review');

    // Pages of 50.
    await page.getByLabel('Search by NHS number or name').fill(BULK);
    await page.getByTestId('search').click();
    await expect.poll(() => page.getByTestId('showing').textContent()).toMatch(/Showing\s+1\s+to\s+50\s+of\s+52\s+people/);
    await nextPage(page).click();
    await expect.poll(() => page.getByTestId('showing').textContent()).toMatch(/Showing\s+51\s+to\s+52\s+of\s+52\s+people/);
    await checkA11y(page);

    // Opening a row goes to the person's record.
    await page.getByTestId('person-link').first().click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/people\/[0-9a-f-]{36}$/);
    await context.close();
  });

  it('filters without JavaScript, with a plain form', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto(`/register?q=${FAMILY}`);
    await page.getByLabel('Disengaged', { exact: true }).check();
    await page.getByTestId('apply-filters').click();
    expect(await page.getByTestId('person-link').allTextContents()).toEqual([`${FAMILY}, Bruno`]);
    await context.close();
  });

  it('downloads the filtered view as CSV and XLSX, every row, with formulas neutralised', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto(`/register?q=${FAMILY}&order=desc`);
    await checkA11y(page);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    expect(csvDownload.suggestedFilename()).toBe(`aftercare-register-${today}.csv`);
    const csv = fs.readFileSync((await csvDownload.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^NHS number,Family name,Given name,Date of birth,Status,/);
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['Carys', 'Bruno', 'Alma', `"'=SUM(1`]);
    expect(csv).toContain(`"'=SUM(1,2)"`);

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
    expect(xlsxDownload.suggestedFilename()).toBe(`aftercare-register-${today}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = workbook.getWorksheet('Register')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('NHS number');
    expect(sheet.rowCount).toBe(5);
    const rows = [2, 3, 4, 5].map((r) => ({ family: sheet.getRow(r).getCell(2).value, given: sheet.getRow(r).getCell(3).value, status: sheet.getRow(r).getCell(5).value }));
    expect(rows).toEqual([
      { family: FAMILY, given: 'Carys', status: 'Pending: detained' },
      { family: FAMILY, given: 'Bruno', status: 'Entitled' },
      { family: FAMILY, given: 'Alma', status: 'Entitled' },
      { family: FAMILY, given: "'=SUM(1,2)", status: 'Not entitled' },
    ]);
    expect(sheet.getRow(5).getCell(3).formula).toBeUndefined();
    expect(sheet.getRow(3).getCell(7).value).toBe('Northvale Council');
    await context.close();
  });

  it('the hospital pipeline shows who is detained, when they should leave and whether planning is ready', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.getByRole('link', { name: 'Hospital pipeline' }).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/pipeline');
    expect(await page.locator('main').textContent()).toContain('paragraph 33.10');
    await checkA11y(page);
    await page.getByLabel('Northvale Council').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.url()).toContain('la=E06000901');
    await pageUntil(page, 'pipeline-row', `${FAMILY}, Carys`);
    const row = page.getByTestId('pipeline-row').filter({ hasText: `${FAMILY}, Carys` });
    expect(await row.getByTestId('days').textContent()).toContain('In 7 days');
    expect(await row.getByTestId('planning').textContent()).toContain('In progress');
    expect(await row.textContent()).toContain('Northvale Hospital');
    await checkA11y(page);
    await context.close();
  });

  it('the lost-to-follow-up finder says why, and creates a follow-up task in one click', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.getByRole('link', { name: 'Lost to follow-up' }).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/lost-to-follow-up');
    await checkA11y(page);

    await page.getByLabel('No contact for at least').fill('40');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Number of months must be between 1 and 36');
    await checkA11y(page);
    await page.getByLabel('No contact for at least').fill('6');
    await page.getByRole('button', { name: 'Apply filters' }).click();

    await pageUntil(page, 'lost-row', `${FAMILY}, Bruno`);
    const row = page.getByTestId('lost-row').filter({ hasText: `${FAMILY}, Bruno` });
    const reasons = await row.getByTestId('reasons').textContent();
    expect(reasons).toContain('Review overdue');
    expect(reasons).toContain('No contact recorded');
    expect(reasons).toContain('No allocated team');
    await row.getByRole('button', { name: `Create follow-up task for Bruno ${FAMILY}` }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain(`Follow-up task created for Bruno ${FAMILY}`);
    await checkA11y(page);
    await pageUntil(page, 'lost-row', `${FAMILY}, Bruno`);
    expect(await page.getByTestId('lost-row').filter({ hasText: `${FAMILY}, Bruno` }).getByTestId('follow-up').textContent()).toContain('Follow-up task open');
    await context.close();
  });
});
