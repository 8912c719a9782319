import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntitledPerson, checkA11y, fillDate, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

/*
 * Issue 13, item 2: a plan with ICB money cannot be approved by the local authority alone. The
 * Northvale practitioner writes a plan putting £725 a week on the ICB; the Northvale team manager
 * cannot approve it (an error summary names the ICB); the ICB's commissioner agrees and the plan
 * is approved. Axe on every page.
 */
describe.skipIf(!hasChromium)('funding that both bodies agreed', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a plan with ICB money cannot be approved by the local authority alone', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personUrl = await addEntitledPerson(page, { nhsNumber: '999 936 2370', givenName: 'Sam', familyName: 'Jointfunding', dateOfBirth: '1981-03-14', detained: '2025-02-03', discharged: '2025-05-06' });

    await page.goto(`${personUrl}/plans`);
    await page.getByRole('button', { name: 'Start an aftercare plan' }).click();
    const planUrl = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Add a need' }).click();
    await page.getByLabel('Mental health and relapse prevention', { exact: true }).check();
    await page.getByLabel('Describe the need').fill('Clinical support to notice early signs of relapse');
    await page.getByRole('group', { name: 'How much support does it call for?' }).getByLabel('High').check();
    await page.getByRole('group', { name: /arise from or relate to/ }).getByLabel('Yes', { exact: true }).check();
    await page.getByRole('group', { name: /reduce the risk/ }).getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('Explain your answers').fill('Two admissions followed missed early warning signs');
    await page.getByRole('button', { name: 'Save the need' }).click();
    await page.getByRole('button', { name: 'Add a service' }).click();
    await page.getByLabel(/Mental health and relapse prevention: Clinical support/).check();
    await page.getByLabel('Type of service').selectOption({ label: 'Care coordination' });
    await page.getByLabel('Provider').fill('Northvale and Southmere Mental Health NHS Foundation Trust');
    await fillDate(page, 'Start date', '2025-05-06');
    await page.getByLabel('How often').fill('Daily');
    await page.getByLabel('Units a week').fill('1');
    await page.getByLabel('Cost of one unit').fill('725.00');
    await page.getByLabel('Commissioned service', { exact: true }).check();
    await page.getByLabel('Local authority share').fill('0');
    await page.getByLabel('ICB share').fill('100');
    await page.getByLabel('Basis of the split').fill('A health need: clinical relapse prevention');
    await page.getByRole('button', { name: 'Save the service' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been added');
    await page.getByRole('button', { name: 'Submit the plan for approval' }).click();
    expect(await page.getByTestId('plan-status').textContent()).toBe('Waiting for the ICB’s agreement');
    await checkA11y(page);
    await signOut(page);

    // The Northvale team manager alone: told at once, and refused with an error summary.
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto(planUrl);
    expect(await page.getByTestId('cannot-agree').textContent()).toContain('waiting for NHS Northvale and Southmere Integrated Care Board to agree');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('This plan cannot be approved without NHS Northvale and Southmere Integrated Care Board’s agreement: it puts £725.00 a week on');
    expect(await page.getByTestId('plan-status').textContent()).toBe('Waiting for the ICB’s agreement');
    await checkA11y(page);
    await signOut(page);

    // The ICB's commissioner agrees: the plan is approved.
    await signIn(page, 'commissioner@demo.aftercare.example');
    await page.goto(planUrl);
    await checkA11y(page);
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The plan has been approved');
    expect(await page.getByTestId('plan-status').textContent()).toBe('Approved');
    expect(await page.getByTestId('agreements').textContent()).toContain('Morgan Price for NHS Northvale and Southmere Integrated Care Board');
    await checkA11y(page);
    await context.close();
  });
});
