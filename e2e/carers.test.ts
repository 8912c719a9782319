import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 16, items 5 and 6, the acceptance journeys, as the practitioner who does them: a carer's
 * assessment offered at discharge (from the person page's prompt) and completed against the
 * eligibility criteria with a support plan; an IMHA referral recorded and followed to the first
 * meeting. Axe at desk and phone widths on every page. The rest (dates out of order, 403s, the
 * queue, consent in the API, the dashboard) is tested through HTTP in
 * src/modules/carers/carers.int.test.ts.
 */

const numbers = syntheticNhsNumbers(540_000 + Math.floor(Math.random() * 20_000));
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)('carers and advocacy', () => {
  let browser: Browser;
  const familyName = `Carewell${Math.floor(Math.random() * 1000)}`;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a carer’s assessment offered at discharge and completed', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Ailsa', familyName, dateOfBirth: '1979-02-11', detained: '2026-01-10', discharged: '2026-03-01' });
    await page.goto(personPath);
    // Discharged with nobody recorded: the prompt asks whether anyone cares for them.
    await expect(page.getByTestId('carer-discharge-prompt').textContent()).resolves.toContain('Does anyone care for them?');
    await checkDeskAndPhone(page);
    await page.getByTestId('add-carer-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Add a carer');
    await checkDeskAndPhone(page);

    // Nothing filled in: the error summary names each problem.
    await page.getByRole('button', { name: 'Save the carer' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Enter the carer’s name');
    await checkDeskAndPhone(page);

    await page.getByLabel('Their relationship to').fill('Husband');
    await page.getByLabel('Full name').fill(`Euan ${familyName}`);
    await page.getByLabel('Phone number (optional)').fill('07700 900456');
    await page.getByRole('group', { name: 'Does the carer agree to information being shared' }).getByLabel('Yes').check();
    await fillDate(page, 'Date they said so', daysFromToday(0));
    await page.getByRole('button', { name: 'Save the carer' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been added as a carer');
    await checkDeskAndPhone(page);

    // Back on the person page, the discharge prompt offers the assessment to him.
    await page.goto(personPath);
    await expect(page.getByTestId('carer-discharge-prompt').textContent()).resolves.toContain('At discharge, offer a carer’s assessment');
    await page.getByTestId('offer-at-discharge').click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The carer’s assessment has been offered');
    await expect(page.getByTestId('assessment-status').textContent()).resolves.toBe('Offered, waiting for an answer');
    await checkDeskAndPhone(page);

    // Completed before it was accepted: refused with its own message.
    await fillDate(page, 'Date the assessment was completed', daysFromToday(0));
    await page.getByRole('button', { name: 'Save the assessment' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('An assessment can only be completed once the carer has accepted it');
    await checkDeskAndPhone(page);

    await fillDate(page, 'Date the carer accepted the assessment', daysFromToday(0));
    await page.getByRole('group', { name: 'Do the carer’s needs arise from providing necessary care' }).getByLabel('Yes').check();
    await page.getByRole('group', { name: 'Is the carer’s physical or mental health' }).getByLabel('Yes').check();
    await page.getByLabel('Engaging in recreational activities').check();
    await page.getByRole('group', { name: 'significant impact on the carer’s well-being' }).getByLabel('Yes').check();
    await page.getByLabel('Summary of the assessment').fill('Euan is exhausted and has stopped seeing friends.');
    await page.getByLabel('What will be provided').fill('A sitting service one evening a week');
    await page.getByLabel('Who will provide it').fill('Northvale Carers Centre (invented)');
    await fillDate(page, 'Date of the review', daysFromToday(180));
    await page.getByRole('button', { name: 'Save the assessment' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('the carer has eligible needs');
    await expect(page.getByTestId('assessment-status').textContent()).resolves.toBe('Completed');
    await expect(page.getByTestId('assessment-facts').textContent()).resolves.toContain('A sitting service one evening a week, by Northvale Carers Centre (invented)');
    await checkDeskAndPhone(page);

    await page.goto(personPath);
    await expect(page.getByTestId('carers').textContent()).resolves.toContain('carer’s assessment completed');
    await context.close();
  }, 400_000);

  it('an IMHA referral recorded to the first meeting', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Rory', familyName, dateOfBirth: '1990-05-20', detained: '2026-01-10', discharged: '2026-03-01' });
    await page.goto(personPath);
    await page.getByTestId('new-referral-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record an advocacy referral');
    await checkDeskAndPhone(page);

    await page.getByLabel('Independent mental health advocate (IMHA)').check();
    await page.getByLabel('Advocacy service').fill('Northvale Advocacy (invented)');
    await fillDate(page, 'Date of the referral', daysFromToday(-3));
    await page.getByRole('button', { name: 'Save the referral' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The advocacy referral has been recorded');
    await expect(page.getByTestId('referral-status').textContent()).resolves.toBe('Referred');
    await expect(page.getByTestId('referral-facts').textContent()).resolves.toContain('Mental Health Act 1983, section 130A');
    await checkDeskAndPhone(page);

    // The first meeting before the advocate was named: refused, saying which date comes first.
    await fillDate(page, 'Date the service accepted the referral', daysFromToday(-2));
    await fillDate(page, 'Date the advocate first met', daysFromToday(0));
    await page.getByRole('button', { name: 'Save the referral' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the date the person was given a named advocate before the date they were first met by the advocate');
    await checkDeskAndPhone(page);

    await fillDate(page, 'Date an advocate was named', daysFromToday(-1));
    await page.getByLabel('Advocate’s name').fill('Sam Advocate');
    await page.getByRole('button', { name: 'Save the referral' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The advocacy referral has been updated');
    await expect(page.getByTestId('referral-status').textContent()).resolves.toBe('Met the person');
    await checkDeskAndPhone(page);

    await page.goto(personPath);
    await expect(page.getByTestId('advocacy-referrals').textContent()).resolves.toContain('met the person');
    await context.close();
  }, 400_000);
});
