import fs from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 15, item 3: a practitioner uploads a small PDF to a person's record and downloads it byte
 * for byte. The upload is made with JavaScript turned off (the form is a plain multipart form);
 * axe at desk and phone widths on the list, the upload form and its error summary.
 */

const numbers = syntheticNhsNumbers(700_000 + Math.floor(Math.random() * 50_000));
const pdf = Buffer.from(`%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${Date.now()}\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1');

describe.skipIf(!hasChromium)('uploaded documents', () => {
  let browser: Browser;
  let personPath = '';
  const familyName = `Uploadwell${Math.floor(Math.random() * 1000)}`;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('a practitioner uploads a PDF without JavaScript and downloads exactly the same bytes', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Kit', familyName, dateOfBirth: '1979-02-03', detained: '2026-01-10', discharged: '2026-03-01' });
    await page.goto(personPath);
    await expect(page.getByTestId('uploads-summary').textContent()).resolves.toContain('No documents uploaded yet.');
    await page.getByTestId('uploads-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Uploaded documents');
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'Upload a document' }).click();
    await checkDeskAndPhone(page);
    // Nothing filled in: the error summary names each problem.
    await page.getByRole('button', { name: 'Upload the document' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select the file to upload');
    await checkDeskAndPhone(page);

    // The same form with JavaScript off.
    const noScript = await newContext(browser, { javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await signIn(plain, 'practitioner@demo.aftercare.example');
    await plain.goto(`${personPath}/uploads/new`);
    await plain.getByLabel('Discharge summary').check();
    await fillDate(plain, 'Date of the document', '2026-03-01');
    await plain.getByLabel('Who wrote it').fill('Ward 3, Northvale Hospital');
    await plain.getByLabel('Description (optional)').fill('Discharge summary sent by the ward');
    await plain.getByLabel('File').setInputFiles({ name: 'Discharge summary.pdf', mimeType: 'application/pdf', buffer: pdf });
    await plain.getByRole('button', { name: 'Upload the document' }).click();
    await expect(plain.locator('.govuk-notification-banner').textContent()).resolves.toContain('Discharge summary.pdf has been uploaded');
    await noScript.close();

    await page.goto(`${personPath}/uploads`);
    await expect(page.getByTestId('upload-row').count()).resolves.toBe(1);
    await expect(page.getByTestId('uploads').textContent()).resolves.toContain('1 March 2026');
    await checkDeskAndPhone(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
    expect(download.suggestedFilename()).toBe('Discharge summary.pdf');
    expect((await fs.readFile((await download.path())!)).equals(pdf)).toBe(true);
    await page.goto(personPath);
    await expect(page.getByTestId('uploads-summary').textContent()).resolves.toContain('1 document uploaded');
    await context.close();
  }, 300_000);
});
