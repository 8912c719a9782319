import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, recordEvent, signIn } from './support.ts';

/*
 * Issue 14, item 6: information governance in the browser. The lead organisation's administrator
 * finds a person by NHS number and downloads the subject access export (a zip); then lists the
 * records due for retention review and records a decision on one. Axe at desk and phone widths on
 * every page.
 */

const numbers = syntheticNhsNumbers(600_000 + Math.floor(Math.random() * 50_000));

describe.skipIf(!hasChromium)('information governance', () => {
  let browser: Browser;
  let nhsNumber = '';
  const familyName = `Retainwell${Math.floor(Math.random() * 1000)}`;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a practitioner records someone who was entitled in 2005 and died in 2010 (past the 8 years after death)', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    nhsNumber = numbers.next().value as string;
    await addEntitledPerson(page, { nhsNumber, givenName: 'Jo', familyName, dateOfBirth: '1950-02-03', detained: '2005-01-10', discharged: '2005-03-01' });
    await recordEvent(page, 'Died', async (p) => {
      await fillDate(p, 'Date', '2010-05-05');
    });
    await context.close();
  }, 180_000);

  it('an administrator opens a person’s subject access export and downloads it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Information governance' }).click();
    expect(new URL(page.url()).pathname).toBe('/governance');
    await checkDeskAndPhone(page);
    await page.getByRole('link', { name: 'Subject access export' }).click();
    await checkDeskAndPhone(page);
    await page.getByLabel('NHS number').fill('999 000 0000');
    await page.getByRole('button', { name: 'Find the record' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toMatch(/Enter a valid NHS number|There is nobody with this NHS number/);
    await checkDeskAndPhone(page);
    await page.getByLabel('NHS number').fill(nhsNumber);
    await page.getByRole('button', { name: 'Find the record' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Subject access export');
    await expect(page.locator('.govuk-caption-l').textContent()).resolves.toContain(`Jo ${familyName}`);
    await checkDeskAndPhone(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download the subject access export/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^subject-access-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.zip$/);
    const path = await download.path();
    const bytes = (await import('node:fs')).readFileSync(path);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    await context.close();
  }, 120_000);

  it('the retention review lists the record and records a decision to keep it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await page.goto('/governance');
    await page.getByRole('link', { name: 'Records due for retention review' }).click();
    await page.getByRole('button', { name: 'List records due now' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toMatch(/listed|No more records are due/);
    await checkDeskAndPhone(page);
    const row = page.getByTestId('retention-waiting').getByRole('row').filter({ hasText: familyName });
    await expect(row.textContent()).resolves.toContain('5 May 2018');
    await row.getByRole('link', { name: /Decide/ }).click();
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Choose whether to keep the record or mark it for destruction');
    await checkDeskAndPhone(page);
    await page.getByLabel('Keep it for longer').check();
    await page.getByLabel('For how many more years?').fill('5');
    await page.getByLabel('Reason').fill('A complaint about the care is still open');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(`Jo ${familyName}’s record will be kept until`);
    const decided = page.getByTestId('retention-decided').getByRole('row').filter({ hasText: familyName });
    await expect(decided.textContent()).resolves.toContain('A complaint about the care is still open');
    await checkDeskAndPhone(page);
    await context.close();
  }, 120_000);
});
