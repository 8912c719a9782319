import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../src/domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { todayInLondon } from '../src/platform/clock.ts';
import { addEntitledPerson, checkA11y, fillDate, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

// Small helpers, as in e2e/plans.test.ts.
const numbers = syntheticNhsNumbers(700_000 + Math.floor(Math.random() * 50_000));

/** An entitled person (s3, discharged; Northvale responsible), added through the pages. Returns the person's path. */
const entitledPerson = (page: Page, givenName: string, familyName: string): Promise<string> =>
  addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName, familyName, dateOfBirth: '1981-03-14', detained: '2025-01-06', discharged: '2025-04-02' });

describe.skipIf(!hasChromium)('funding panels and disputes', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a panel decision, made with a quorum, changes the split of the plan’s services', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personUrl = await entitledPerson(page, 'Robin', 'Panelworth');

    // A plan with one section 117 need and one service split 60/40.
    await page.goto(`${personUrl}/plans`);
    await page.getByRole('button', { name: 'Start an aftercare plan' }).click();
    const planUrl = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Add a need' }).click();
    await page.getByLabel('Mental health and relapse prevention', { exact: true }).check();
    await page.getByLabel('Describe the need').fill('Support to notice early signs of relapse');
    await page.getByRole('group', { name: 'How much support does it call for?' }).getByLabel('Medium').check();
    await page.getByRole('group', { name: /arise from or relate to/ }).getByLabel('Yes', { exact: true }).check();
    await page.getByRole('group', { name: /reduce the risk/ }).getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('Explain your answers').fill('Relapsed twice after losing contact with the team');
    await page.getByRole('button', { name: 'Save the need' }).click();
    await page.getByRole('button', { name: 'Add a service' }).click();
    await page.getByLabel(/Support to notice early signs/).check();
    await page.getByLabel('Type of service').selectOption({ label: 'Home care' });
    await page.getByLabel('Provider').fill('Riverside Supported Living');
    await fillDate(page, 'Start date', '2025-04-02');
    await page.getByLabel('How often').fill('10 hours a week');
    await page.getByLabel('Units a week').fill('10');
    await page.getByLabel('Cost of one unit').fill('20.00');
    await page.getByLabel('Commissioned service', { exact: true }).check();
    await page.getByLabel('Local authority share').fill('60');
    await page.getByLabel('ICB share').fill('40');
    await page.getByLabel('Basis of the split').fill('Mostly social care');
    await page.getByRole('button', { name: 'Save the service' }).click();
    expect(await page.getByTestId('split').textContent()).toBe('60% / 40%');

    // Submit it to the panel.
    await page.goto(`${planUrl}/panel`);
    await checkA11y(page);
    await page.getByLabel('Summary of the case for the panel').fill('Needs 10 hours of support a week after discharge');
    await page.getByLabel('Proposed local authority share').fill('50');
    await page.getByLabel('Basis of the proposed split').fill('Equal health and social care needs');
    await page.getByRole('button', { name: 'Submit to the panel' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('submitted to the funding panel');
    await checkA11y(page);
    const caseUrl = new URL(page.url()).pathname;
    await signOut(page);

    // The panel meets: Rowan Hughes (panel member) and Morgan Price (ICB commissioner).
    await signIn(page, 'panel@demo.aftercare.example');
    await page.goto('/panels');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Plan a panel meeting' }).click();
    await fillDate(page, 'Date of the meeting', todayInLondon());
    await page.getByLabel('Location (optional)').fill('Room 2, Northvale House');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Plan the meeting' }).click();
    const caseOption = await page.locator('#caseId option', { hasText: 'Robin Panelworth' }).getAttribute('value');
    await page.getByLabel('Add a waiting case to the agenda').selectOption(caseOption!);
    await page.getByRole('button', { name: 'Add to the agenda' }).click();
    await page.getByLabel('Rowan Hughes').check();
    await page.getByRole('button', { name: 'Save who was present' }).click();
    // Rowan alone is not a quorum.
    expect(await page.getByTestId('quorum').textContent()).toContain('not quorate');
    await page.getByLabel('Morgan Price').check();
    await page.getByRole('button', { name: 'Save who was present' }).click();
    expect(await page.getByTestId('quorum').textContent()).toContain('The panel is quorate');
    await checkA11y(page);

    await page.goto(caseUrl);
    expect(await page.getByTestId('proposed-split').textContent()).toBe('50% local authority, 50% ICB');
    await checkA11y(page);
    await page.getByLabel('Approved with changes').check();
    await page.getByLabel('If approving with changes: new local authority share').fill('25');
    await page.getByLabel('Reasons').fill('Mostly health needs: medication and relapse monitoring');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('approved with changes');
    expect(await page.getByTestId('case-days').textContent()).toBe('0 days');
    await checkA11y(page);

    // The plan now shows the panel's split and totals: £200 a week, £50 LA and £150 ICB.
    await page.goto(planUrl);
    expect(await page.getByTestId('split').textContent()).toBe('25% / 75%');
    expect(await page.getByTestId('totals-week').textContent()).toMatch(/£50\.00\s*£150\.00\s*£200\.00/);
    await checkA11y(page);
    await page.goto('/panels');
    expect(await page.getByTestId('average-days').textContent()).toContain('days');
    await context.close();
  });

  it('a dispute that arose five months ago is shown as due for referral to the Secretary of State', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'manager@demo.aftercare.example');
    const personUrl = await entitledPerson(page, 'Morgan', 'Disputeley');
    await page.goto(personUrl);
    await page.getByRole('link', { name: 'Record a dispute about who is responsible' }).click();
    await checkA11y(page);
    await page.getByLabel('Ordinary residence (between local authorities)').check();
    await page.getByLabel('First body in the dispute').selectOption({ label: 'Northvale Council' });
    await page.getByLabel('Other body in the dispute').selectOption({ label: 'Southmere Borough Council' });
    await fillDate(page, 'Date the dispute arose', addMonths(todayInLondon(), -5));
    await page.getByLabel('Summary').fill('Southmere says the person was ordinarily resident in Northvale');
    // No interim lead: refused, with the reason.
    await page.getByRole('button', { name: 'Record the dispute' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose who funds care while the dispute is settled: care must not wait');
    await checkA11y(page);
    await page.getByLabel('Interim lead funder').selectOption({ label: 'Northvale Council' });
    await page.getByRole('button', { name: 'Record the dispute' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The dispute has been recorded');
    expect(await page.getByTestId('referral-due').textContent()).toContain('Referral to the Secretary of State is due');
    await checkA11y(page);
    const disputeUrl = new URL(page.url()).pathname;

    await page.goto('/disputes');
    const row = page.getByTestId('dispute').filter({ has: page.locator(`a[href="${disputeUrl}"]`) });
    expect(await row.getByTestId('referral-due').textContent()).toBe('Referral due');
    expect(await row.getByTestId('age').textContent()).toMatch(/^5 months/);
    await checkA11y(page);

    await page.goto(personUrl);
    expect(await page.getByTestId('dispute-age').textContent()).toMatch(/^5 months/);
    await checkA11y(page);
    await context.close();
  });
});
