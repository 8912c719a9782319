import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { todayInLondon } from '../src/platform/clock.ts';
import { govukDate } from '../src/platform/plain-language.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

/*
 * Issue 13, item 1: work finds people. A plan the practitioner submits is in the council
 * manager's "Waiting for you" on Home and in their notifications, and is approved from there; an
 * ending proposed is in both bodies' queues (the council's manager and the ICB's commissioner);
 * a task is handed on and put aside from the queue. Axe on every page, at a desk's width and a
 * phone's.
 */
const numbers = syntheticNhsNumbers(600_000 + Math.floor(Math.random() * 50_000));
const spaced = (n: string) => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;

describe.skipIf(!hasChromium)('waiting for you', () => {
  let browser: Browser;
  /** The person and plan the first journey approves; the panel journey carries on from them. */
  let approved: { personUrl: string; planUrl: string } | null = null;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a plan submitted by a practitioner is in the manager’s queue and notifications, and is approved from there', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personUrl = await addEntitledPerson(page, { nhsNumber: spaced(numbers.next().value!), givenName: 'Wren', familyName: 'Waiting', dateOfBirth: '1983-02-11', detained: '2025-02-03', discharged: '2025-05-06' });
    await page.goto(`${personUrl}/plans`);
    await page.getByRole('button', { name: 'Start an aftercare plan' }).click();
    const planUrl = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Add a need' }).click();
    await page.getByLabel('Mental health and relapse prevention', { exact: true }).check();
    await page.getByLabel('Describe the need').fill('Staff on site to notice early signs of relapse');
    await page.getByRole('group', { name: 'How much support does it call for?' }).getByLabel('High').check();
    await page.getByRole('group', { name: /arise from or relate to/ }).getByLabel('Yes', { exact: true }).check();
    await page.getByRole('group', { name: /reduce the risk/ }).getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('Explain your answers').fill('Relapsed twice when living alone without support');
    await page.getByRole('button', { name: 'Save the need' }).click();
    await page.getByRole('button', { name: 'Add a service' }).click();
    await page.getByLabel(/Mental health and relapse prevention: Staff on site/).check();
    await page.getByLabel('Type of service').selectOption({ label: 'Supported living' });
    await page.getByLabel('Provider').fill('Riverside Supported Living');
    await fillDate(page, 'Start date', '2025-05-06');
    await page.getByLabel('How often').fill('24-hour support');
    await page.getByLabel('Units a week').fill('1');
    await page.getByLabel('Cost of one unit').fill('300.00');
    await page.getByLabel('Commissioned service', { exact: true }).check();
    await page.getByLabel('Local authority share').fill('100');
    await page.getByLabel('ICB share').fill('0');
    await page.getByLabel('Basis of the split').fill('Social care accommodation under the joint policy');
    await page.getByRole('button', { name: 'Save the service' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been added');
    await page.getByRole('button', { name: 'Submit the plan for approval' }).click();
    await signOut(page);

    // The manager: on Home, waiting for them, and told.
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto('/');
    const summary = page.getByTestId('waiting-summary');
    expect(await summary.textContent()).toMatch(/Plans to approve: \d+/);
    await checkDeskAndPhone(page);
    await page.goto('/notifications');
    expect(await page.locator('main').textContent()).toContain('Aftercare plan 1 for Wren Waiting needs Northvale Council’s agreement');
    await checkDeskAndPhone(page);
    await page.goto('/waiting?kind=plan');
    await checkDeskAndPhone(page);
    const row = page.getByTestId('waiting-row').filter({ hasText: 'Wren Waiting' });
    await row.getByRole('link', { name: /Approve or return plan 1, for Northvale Council/ }).click();
    expect(new URL(page.url()).pathname).toBe(planUrl);
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The plan has been approved');
    await page.goto('/waiting?kind=plan');
    expect(await page.getByTestId('waiting-row').filter({ hasText: 'Wren Waiting' }).count()).toBe(0);
    await signOut(page);

    // The practitioner hears that the decision they asked for was made.
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto('/notifications');
    expect(await page.locator('main').textContent()).toContain('Aftercare plan 1 for Wren Waiting has been approved');
    approved = { personUrl, planUrl };
    await context.close();
  });

  it('a panel decision on an approved plan starts the next version, waiting in the approvers’ queues; the approved plan is untouched', async () => {
    expect(approved, 'the first journey approves the plan this one sends to the panel').not.toBeNull();
    const { personUrl, planUrl } = approved!;
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto(`${planUrl}/panel`);
    await page.getByLabel('Summary of the case for the panel').fill('Staff on site are there for health reasons too');
    await page.getByLabel('Proposed local authority share').fill('50');
    await page.getByLabel('Basis of the proposed split').fill('Mixed health and social care needs');
    await page.getByRole('button', { name: 'Submit to the panel' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('submitted to the funding panel');
    const caseUrl = new URL(page.url()).pathname;
    await signOut(page);

    // The panel member finds the case waiting for them, lists it, and the panel decides it.
    await signIn(page, 'panel@demo.aftercare.example');
    await page.goto('/waiting?kind=panel-case');
    await page.getByTestId('waiting-row').filter({ hasText: 'Wren Waiting' }).getByRole('link', { name: /Put the case on a funding panel meeting’s agenda/ }).click();
    expect(new URL(page.url()).pathname).toBe(caseUrl);
    await page.goto('/panels');
    await page.getByRole('button', { name: 'Plan a panel meeting' }).click();
    await fillDate(page, 'Date of the meeting', todayInLondon());
    await page.getByRole('button', { name: 'Plan the meeting' }).click();
    const caseOption = await page.locator('#caseId option', { hasText: 'Wren Waiting' }).getAttribute('value');
    await page.getByLabel('Add a waiting case to the agenda').selectOption(caseOption!);
    await page.getByRole('button', { name: 'Add to the agenda' }).click();
    await page.getByLabel('Rowan Hughes').check();
    await page.getByLabel('Morgan Price').check();
    await page.getByRole('button', { name: 'Save who was present' }).click();
    await page.goto(caseUrl);
    await page.getByLabel('Approved with changes').check();
    await page.getByLabel('If approving with changes: new local authority share').fill('40');
    await page.getByLabel('Reasons').fill('Staff on site meet health needs as well as housing ones');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('approved with changes');
    await signOut(page);

    // The approved plan is untouched; plan 2 carries the decided split and waits for approval.
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto(planUrl);
    expect(await page.getByTestId('plan-status').textContent()).toBe('Approved');
    expect(await page.getByTestId('split').textContent()).toBe('100% / 0%');
    await page.goto('/waiting?kind=plan');
    const row = page.getByTestId('waiting-row').filter({ hasText: 'Wren Waiting' });
    await row.getByRole('link', { name: /Approve or return plan 2/ }).click();
    expect(new URL(page.url()).pathname).not.toBe(planUrl);
    expect(new URL(page.url()).pathname.startsWith(`${personUrl}/plans/`)).toBe(true);
    expect(await page.getByTestId('split').textContent()).toBe('40% / 60%');
    await checkDeskAndPhone(page);
    await context.close();
  });

  it('an ending proposed is in both bodies’ queues', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personUrl = await addEntitledPerson(page, { nhsNumber: spaced(numbers.next().value!), givenName: 'Ezra', familyName: 'Ends', dateOfBirth: '1979-07-21', detained: '2024-02-03', discharged: '2024-05-06' });
    await page.goto(`${personUrl}/endings`);
    await page.getByRole('button', { name: 'Propose ending aftercare' }).click();
    await fillDate(page, 'Date aftercare ends', todayInLondon());
    await page.getByLabel('They no longer need aftercare services for their mental disorder').check();
    await page.getByLabel('The reasons in your own words').fill('Settled at home and working; no contact with mental health services for over a year.');
    await page.getByRole('group', { name: 'Was the person involved in the decision?' }).getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('If yes, what is their view? If no, why were they not involved?').fill('Happy for it to end.');
    await page.getByLabel('The plan for any other care or support that continues').fill('GP reviews medication every six months.');
    await page.getByLabel(/What to tell .* in the letter/).fill('We all agree you no longer need section 117 aftercare.');
    await page.getByRole('button', { name: 'Save and check the proposal' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('proposal to end aftercare has been saved');
    await signOut(page);

    for (const [email, body] of [
      ['manager@demo.aftercare.example', 'the local authority'],
      ['commissioner@demo.aftercare.example', 'the ICB'],
    ] as const) {
      await signIn(page, email);
      await page.goto('/waiting?kind=ending');
      const row = page.getByTestId('waiting-row').filter({ hasText: 'Ezra Ends' });
      expect(await row.textContent(), email).toContain(`for ${body}`);
      await checkDeskAndPhone(page);
      await signOut(page);
    }
    await context.close();
  });

  it('a task is put aside from its page in the queue, with errors that say what to fix, and is listed as put aside', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto('/waiting?kind=task');
    await checkDeskAndPhone(page);
    const first = page.getByTestId('waiting-row').first();
    const title = (await first.getByTestId('waiting-action').textContent())!.trim();
    await first.getByTestId('waiting-action').click();
    await checkDeskAndPhone(page);

    // Put aside without a date or reason: the error summary says what is missing.
    await page.getByRole('button', { name: 'Put it aside' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('Enter the date to bring it back');
    expect(await summary.textContent()).toContain('Give the reason for putting it aside');
    await checkDeskAndPhone(page);
    const back = addDays(todayInLondon(), 40);
    await fillDate(page, 'Bring it back on', back);
    await page.getByLabel('Why it is put aside').fill('Waiting for the housing panel');
    await page.getByRole('button', { name: 'Put it aside' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The task has been put aside.');
    await page.getByTestId('snoozed-link').click();
    expect(await page.locator('main').textContent()).toContain(`Put aside until ${govukDate(back)}: Waiting for the housing panel`);
    await checkDeskAndPhone(page);
    expect(title.length).toBeGreaterThan(0);
    await context.close();
  });
});
