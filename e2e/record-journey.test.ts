import fs from 'node:fs';
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
 * today is locked tomorrow and can only be corrected, its earlier words kept for the manager.
 */

const numbers = syntheticNhsNumbers(700_000 + Math.floor(Math.random() * 50_000));
const practitioner = 'practitioner@demo.aftercare.example';
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
});
