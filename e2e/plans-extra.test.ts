import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntitledPerson, checkA11y, fillDate, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

/*
 * Plan screens without a journey of their own: the co-production details form (the person's
 * voice, crisis plan, carers, who took part), direct payment and personal health budget requests
 * (a PHB refusal needs a recorded reason), and comparing two versions of a plan. Axe on every page.
 */

const entitledPerson = (page: Page, nhsNumber: string, familyName: string): Promise<string> =>
  addEntitledPerson(page, { nhsNumber, givenName: 'Robin', familyName, dateOfBirth: '1984-07-19', detained: '2025-02-03', discharged: '2025-05-06' });

async function addNeed(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add a need' }).click();
  await page.getByLabel('Mental health and relapse prevention', { exact: true }).check();
  await page.getByLabel('Describe the need').fill('Support to notice early signs of relapse');
  await page.getByRole('group', { name: 'How much support does it call for?' }).getByLabel('Medium').check();
  await page.getByRole('group', { name: /arise from or relate to/ }).getByLabel('Yes', { exact: true }).check();
  await page.getByRole('group', { name: /reduce the risk/ }).getByLabel('Yes', { exact: true }).check();
  await page.getByLabel('Explain your answers').fill('Relapsed last year after losing contact with the team');
  await page.getByRole('button', { name: 'Save the need' }).click();
  await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('added and classified');
}

async function addService(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add a service' }).click();
  await page.getByLabel(/Mental health and relapse prevention: Support to notice/).check();
  // A type that is not on the list: Other, described in words (issue 13, item 8).
  await page.getByLabel('Type of service').selectOption({ label: 'Other (not on the list): describe it below' });
  await page.getByLabel('If the type is not on the list, describe the service').fill('Community support worker');
  await page.getByLabel('Provider').fill('Riverside Supported Living');
  await fillDate(page, 'Start date', '2025-05-06');
  await page.getByLabel('How often').fill('2 visits a week');
  await page.getByLabel('Units a week').fill('2');
  await page.getByLabel('Cost of one unit').fill('45.00');
  await page.getByLabel('Commissioned service', { exact: true }).check();
  await page.getByLabel('Local authority share').fill('50');
  await page.getByLabel('ICB share').fill('50');
  await page.getByLabel('Basis of the split').fill('Equal health and social care support, agreed at the joint panel');
  await page.getByRole('button', { name: 'Save the service' }).click();
  await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('Community support worker has been added');
}

/** The value of a row of the plan's summary lists, by its key. */
async function summaryValue(page: Page, key: string): Promise<string> {
  const row = page.locator('.govuk-summary-list__row').filter({ has: page.locator('.govuk-summary-list__key', { hasText: new RegExp(`^\\s*${key}\\s*$`) }) });
  return ((await row.first().locator('.govuk-summary-list__value').textContent()) ?? '').trim();
}

describe.skipIf(!hasChromium)('plan details, personal budgets and comparing versions', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('records the person’s voice, a granted direct payment and a refused PHB with its reason, then compares two versions', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personUrl = await entitledPerson(page, '999 777 0005', 'Coproduce');

    await page.goto(`${personUrl}/plans`);
    await page.getByRole('button', { name: 'Start an aftercare plan' }).click();
    const planUrl = new URL(page.url()).pathname;

    // The co-production details: fill, save, see them on the plan.
    await page.getByTestId('edit-details').click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('The person’s voice, crisis plan and who was involved');
    await checkA11y(page);
    await page.getByLabel('What the person says about their life, their recovery and this plan').fill('I want to keep my flat and get back to the allotment.');
    await page.getByLabel('Who to contact in a crisis').fill('Northvale crisis line, day and night');
    await page.getByLabel('Who took part in making the plan, and how').fill('Robin at a meeting on the ward; their brother by phone');
    await fillDate(page, 'When was a carer’s assessment offered?', '2025-05-01');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The plan has been updated.');
    expect(new URL(page.url()).pathname).toBe(planUrl);
    expect(await summaryValue(page, 'In their own words')).toBe('I want to keep my flat and get back to the allotment.');
    expect(await summaryValue(page, 'Who to contact in a crisis')).toBe('Northvale crisis line, day and night');
    await checkA11y(page);

    await addNeed(page);
    await addService(page);
    await page.getByRole('button', { name: 'Submit the plan for approval' }).click();
    // Issue 13: a 50/50 plan needs both bodies' agreement.
    expect(await page.getByTestId('plan-status').textContent()).toBe('Waiting for the local authority’s and the ICB’s agreement');
    await signOut(page);
    await signIn(page, 'commissioner@demo.aftercare.example');
    await page.goto(planUrl);
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    await signOut(page);
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto(planUrl);
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    expect(await page.getByTestId('plan-status').textContent()).toBe('Approved');
    await signOut(page);

    // A direct payment, granted.
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto(planUrl);
    await page.getByRole('link', { name: 'Record a direct payment or personal health budget request' }).click();
    await checkA11y(page);
    await page.getByLabel('A direct payment (local authority)').check();
    await fillDate(page, 'When was it asked for?', '2025-05-10');
    await page.getByRole('radio', { name: 'Granted' }).check();
    await fillDate(page, 'Date of the decision (if decided)', '2025-05-20');
    await page.getByLabel('Weekly amount (optional)').fill('180.00');
    await page.getByRole('button', { name: 'Record the request' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The request has been recorded.');
    expect(await page.getByTestId('budget-requests').textContent()).toMatch(/Direct payment asked for on 10 May 2025:\s*Granted\s*on 20 May 2025, £180\.00 a week/);
    await checkA11y(page);

    // A personal health budget refused without a reason: refused, with the regulation named.
    await page.getByRole('link', { name: 'Record a direct payment or personal health budget request' }).click();
    await page.getByLabel('A personal health budget (ICB)').check();
    await fillDate(page, 'When was it asked for?', '2025-06-02');
    await page.getByRole('radio', { name: 'Refused' }).check();
    await fillDate(page, 'Date of the decision (if decided)', '2025-06-09');
    await page.getByRole('button', { name: 'Record the request' }).click();
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.textContent()).toContain('A personal health budget for section 117 aftercare must be granted unless you record why it is not appropriate');
    await checkA11y(page);
    // The summary links to the field; the answers given are kept.
    await summary.getByRole('link').first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('notAppropriateReason');
    expect(await page.getByRole('radio', { name: 'Refused' }).isChecked()).toBe(true);
    await page.getByLabel('If refused: why is a personal health budget not appropriate?').fill('The service is only available as a block contract');
    await page.getByRole('button', { name: 'Record the request' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The request has been recorded.');
    const requests = (await page.getByTestId('budget-requests').textContent()) ?? '';
    expect(requests).toMatch(/Personal health budget asked for on 2 June 2025:\s*Refused\s*on 9 June 2025. Reason: The service is only available as a block contract/);
    expect(requests.match(/asked for on/g)).toHaveLength(2);

    // The next version, with the person's own words changed, compared with the first.
    await page.goto(`${personUrl}/plans`);
    await page.getByRole('button', { name: 'Start the next version of the plan' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Aftercare plan 2');
    await page.getByTestId('edit-details').click();
    await page.getByLabel('What the person says about their life, their recovery and this plan').fill('I have kept my flat. Next I want paid work.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The plan has been updated.');
    await page.goto(`${personUrl}/plans`);
    await checkA11y(page);
    await page.getByRole('link', { name: /Compare with plan 1/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Compare plan 1 with plan 2');
    const changed = page.getByTestId('changed-field');
    expect(await changed.count()).toBe(1);
    expect(await changed.textContent()).toMatch(/In their own words[\s\S]*I want to keep my flat and get back to the allotment\.[\s\S]*I have kept my flat\. Next I want paid work\./);
    expect(await page.getByTestId('need-diff').count()).toBe(1);
    expect(await page.getByTestId('need-diff').textContent()).toContain('No change');
    expect(await page.getByTestId('service-diff').textContent()).toContain('No change');
    await checkA11y(page);
    await context.close();
  }, 180_000);
});
