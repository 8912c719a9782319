import fs from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntitledPerson, checkA11y, fillDate, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

async function addNeed(page: Page, answers: { domain: string; description: string; testA: boolean; testB: boolean; why: string; accommodation?: { enhanced: boolean; feature?: string } }) {
  await page.getByRole('button', { name: 'Add a need' }).click();
  await page.getByLabel(answers.domain, { exact: true }).check();
  if (answers.accommodation) {
    await page.getByLabel(answers.accommodation.enhanced ? /Yes: enhanced or specialised/ : /No: ordinary accommodation/).check();
    if (answers.accommodation.feature) await page.getByLabel('What is the enhanced or specialised feature?').fill(answers.accommodation.feature);
  }
  await page.getByLabel('Describe the need').fill(answers.description);
  await page.getByRole('group', { name: 'How much support does it call for?' }).getByLabel('Medium').check();
  await page.getByRole('group', { name: /arise from or relate to/ }).getByLabel(answers.testA ? 'Yes' : 'No', { exact: true }).check();
  await page.getByRole('group', { name: /reduce the risk/ }).getByLabel(answers.testB ? 'Yes' : 'No', { exact: true }).check();
  await page.getByLabel('Explain your answers').fill(answers.why);
  await checkA11y(page);
  await page.getByRole('button', { name: 'Save the need' }).click();
  await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('added and classified');
}

describe.skipIf(!hasChromium)('an aftercare plan, from needs to approval and the documents the person gets', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('assesses three needs, adds a 60/40 direct payment, is submitted and approved, and gives a PDF and an easy-read statement', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');

    // An entitled person: s3 detention and discharge, Northvale responsible.
    const personUrl = await addEntitledPerson(page, {
      nhsNumber: '999 012 4205',
      givenName: 'Sasha',
      familyName: 'Planwright',
      dateOfBirth: '1979-02-11',
      detained: '2025-01-06',
      discharged: '2025-04-02',
    });

    // Start the plan.
    await page.goto(`${personUrl}/plans`);
    await checkA11y(page);
    await page.getByRole('button', { name: 'Start an aftercare plan' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Aftercare plan 1');
    await checkA11y(page);
    const planUrl = new URL(page.url()).pathname;

    // A mistake first: the error summary says what is missing, and nothing is saved.
    await page.getByRole('button', { name: 'Add a need' }).click();
    await page.getByRole('button', { name: 'Save the need' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose the area of life this need is about');
    await checkA11y(page);
    await page.goto(planUrl);

    await addNeed(page, { domain: 'Work, education and volunteering', description: 'Wants to return to college', testA: true, testB: false, why: 'Linked to the illness, but college support does not reduce the risk of relapse' });
    await addNeed(page, { domain: 'Accommodation', description: 'Needs a tenancy', testA: true, testB: true, why: 'Homeless on discharge', accommodation: { enhanced: false } });
    await addNeed(page, { domain: 'Accommodation', description: 'Supported accommodation with staff on site', testA: true, testB: true, why: 'Relapsed twice living alone without support', accommodation: { enhanced: true, feature: '24-hour staffing by mental health workers' } });
    const categories = await page.getByTestId('need-category').allTextContents();
    expect(categories).toHaveLength(3);
    expect(categories[0]).not.toMatch(/section 117/i);
    expect(categories[1]).not.toMatch(/section 117/i);
    expect(categories[2]).toMatch(/section 117/i);
    await checkA11y(page);

    // A service for the accommodation-plus need: 60/40, taken as a direct payment.
    await page.getByRole('button', { name: 'Add a service' }).click();
    await page.getByLabel(/Accommodation: Supported accommodation/).check();
    await page.getByLabel('Type of service').selectOption({ label: 'Supported living' });
    await page.getByLabel('Provider').fill('Riverside Supported Living');
    await fillDate(page, 'Start date', '2025-04-02');
    await page.getByLabel('How often').fill('24-hour support, 7 days a week');
    await page.getByLabel('Units a week').fill('1');
    await page.getByLabel('Cost of one unit').fill('1,250.00');
    await page.getByLabel('Direct payment', { exact: true }).check();
    await page.getByLabel('Local authority share').fill('60');
    await page.getByLabel('ICB share').fill('40');
    await page.getByLabel('Basis of the split').fill('Mostly social care, with health oversight of medication');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Save the service' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('Supported living has been added');
    expect(await page.getByTestId('split').textContent()).toBe('60% / 40%');
    expect(await page.getByTestId('delivery-route').textContent()).toBe('Direct payment');
    expect(await page.getByTestId('totals-week').textContent()).toMatch(/£750\.00\s*£500\.00\s*£1,250\.00/);
    await checkA11y(page);

    await page.getByRole('button', { name: 'Submit the plan for approval' }).click();
    // Issue 13: each body that pays agrees; the plan puts 60% on the council and 40% on the ICB.
    expect(await page.getByTestId('plan-status').textContent()).toBe('Waiting for the local authority’s and the ICB’s agreement');
    await signOut(page);

    // The ICB's commissioner agrees for the ICB.
    await signIn(page, 'commissioner@demo.aftercare.example');
    await page.goto(planUrl);
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    expect(await page.getByTestId('plan-status').textContent()).toBe('Waiting for the local authority’s agreement');
    await signOut(page);

    // The Northvale team manager approves it.
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto(planUrl);
    await checkA11y(page);
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    expect(await page.getByTestId('plan-status').textContent()).toBe('Approved');
    expect(await page.getByTestId('approved').textContent()).toContain('Alex Mensah');

    // The printable plan, and the PDF.
    await page.getByRole('link', { name: /Printable plan/ }).click();
    expect(await page.locator('article').textContent()).toContain('Supported living');
    await checkA11y(page);
    await page.goto(planUrl);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the plan as a PDF' }).click()]);
    const bytes = await fs.readFile((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);

    // The easy-read statement of entitlement, downloaded, and a record that it was given.
    await page.goto(`${personUrl}/documents`);
    await page.getByRole('button', { name: 'Produce easy read PDF' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been produced');
    const [statement] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').first().click()]);
    expect(statement.suggestedFilename()).toMatch(/^your-section-117-aftercare-easy-read.*\.pdf$/);
    expect((await fs.readFile((await statement.path())!)).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByRole('link', { name: /^easy read/ }).click();
    expect(await page.getByTestId('document').textContent()).toContain('Supported living');
    await checkA11y(page);
    await page.goto(`${personUrl}/documents`);
    await page.getByRole('button', { name: 'Record information given' }).click();
    await page.getByLabel('Their section 117 rights (the statement of entitlement)').check();
    await fillDate(page, 'When was it given?', '2025-04-10');
    await page.getByLabel('Easy read').check();
    await page.getByLabel('Which stored document was given? (optional)').selectOption({ index: 1 });
    await page.getByRole('group', { name: 'Did they understand it?' }).getByLabel('Yes').check();
    await page.getByRole('group', { name: 'Should it be offered again?' }).getByLabel('No').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been recorded');
    await checkA11y(page);
    await page.goto(personUrl);
    expect(await page.getByTestId('rights-in-writing').textContent()).toContain('10 April 2025');
    await context.close();
  });
});
