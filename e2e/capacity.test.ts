import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 16, items 2 and 3, the acceptance journey, as the practitioner who does it: a capacity
 * assessment about accommodation, refused until every part is answered, completed (lacks
 * capacity); then a best-interests meeting where nobody is appropriate to consult, so an IMCA is
 * instructed; the report is late, so it waits in the practitioner's "Waiting for you"; the IMCA's
 * report is recorded and it leaves the queue; then the acid test (Cheshire West) for the supported
 * living flat, a COPDOL11 application tracked to an order whose review date is near, due on the
 * person page and in "Waiting for you" (issue 16, item 4). Axe at desk and phone widths on every page. The rest
 * (drafts, the outcome's rules, refusals, the API, the ending checklist) is tested through HTTP in
 * src/modules/capacity/capacity.int.test.ts.
 */

const numbers = syntheticNhsNumbers(500_000 + Math.floor(Math.random() * 20_000));
const isoDaysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function ability(page: Page, legend: string, answer: 'Yes, able to' | 'No, not able to', evidence: string) {
  await page.getByRole('group', { name: `Able to ${legend}?` }).getByLabel(answer).check();
  await page.getByLabel(`Evidence: ${legend}`, { exact: true }).fill(evidence);
}

describe.skipIf(!hasChromium)('mental capacity and best interests', () => {
  let browser: Browser;
  const familyName = `Capacitywell${Math.floor(Math.random() * 1000)}`;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a capacity assessment about accommodation, then a best-interests meeting with an IMCA and the IMCA’s report, then a COPDOL11 application tracked to an order and a reminder before its review', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Rene', familyName, dateOfBirth: '1958-02-11', detained: '2026-01-10', discharged: '2026-03-01' });
    await page.goto(personPath);
    await expect(page.getByTestId('capacity-summary').textContent()).resolves.toContain('No capacity assessment recorded');
    await page.getByTestId('capacity-new-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record a capacity assessment');
    await checkDeskAndPhone(page);

    // Completing with nothing answered: the error summary names each missing part, nothing is saved.
    await page.getByRole('button', { name: 'Complete the assessment' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Choose what the decision is about');
    await checkDeskAndPhone(page);
    await page.getByLabel('What the decision is about').selectOption({ label: 'Where to live (accommodation)' });
    await page.getByRole('button', { name: 'Complete the assessment' }).click();
    await expect(summary.textContent()).resolves.toContain('Enter the decision the person is being assessed for');
    await expect(summary.textContent()).resolves.toContain('Enter the practicable steps taken to help the person make the decision (Mental Capacity Act 2005, section 1(3))');
    await expect(summary.textContent()).resolves.toContain('Say whether the person is able to retain that information (Mental Capacity Act 2005, section 3(1)(b))');
    await checkDeskAndPhone(page);

    await page.getByLabel('The decision', { exact: true }).fill('Whether to move to the supported living flat at Elm Court');
    await fillDate(page, 'Date of the assessment', isoDaysAgo(1));
    await page.getByLabel('Time of the assessment').fill('10:30');
    await page.getByLabel('The information relevant to the decision', { exact: true }).fill('The flat, the 24-hour support, the rent; what happens if Rene stays on the ward.');
    await page.getByLabel('Practicable steps taken to help them decide').fill('An easy-read leaflet, a visit to the flat, his brother present, seen in the morning.');
    await ability(page, 'understand the information relevant to the decision', 'Yes, able to', 'Explained the flat back in his own words.');
    await ability(page, 'retain that information', 'No, not able to', 'Ten minutes later he did not remember the visit.');
    await ability(page, 'use or weigh that information as part of the process of making the decision', 'No, not able to', 'Says he will cook, but has left the gas on three times this month.');
    await ability(page, 'communicate the decision (by talking, sign language or any other means)', 'Yes, able to', 'Speaks clearly.');
    await page.getByLabel('Executive functioning (optional)').fill('Describes a shopping plan well; staff report he has never followed one.');
    await page.getByRole('group', { name: 'Do they have an impairment of, or a disturbance in the functioning of, the mind or brain?' }).getByLabel('Yes').check();
    await page.getByLabel('The impairment or disturbance, and the evidence for it').fill('Alcohol-related brain damage, diagnosed in 2024.');
    await page.getByRole('group', { name: 'If they are unable to make the decision, is it because of the impairment or disturbance?' }).getByLabel('Yes').check();
    await page.getByLabel('Evidence for the causal link, or its absence').fill('His memory loss is why he cannot hold the information.');
    await page.getByRole('button', { name: 'Complete the assessment' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The capacity assessment has been completed.');
    await expect(page.getByTestId('assessment-state').textContent()).resolves.toContain('Lacks capacity for this decision');
    await expect(page.getByTestId('outcome-reason').textContent()).resolves.toContain('Mental Capacity Act 2005, section 3(1)');
    await checkDeskAndPhone(page);

    // The best-interests meeting that follows it: nobody appropriate to consult, so an IMCA.
    await page.getByTestId('new-best-interests').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record a best-interests decision');
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'Save the best-interests decision' }).click();
    await expect(summary.textContent()).resolves.toContain('Enter the person’s past and present wishes and feelings (Mental Capacity Act 2005, section 4(6)(a))');
    await checkDeskAndPhone(page);
    await page.getByLabel('Best-interests meeting').check();
    await fillDate(page, 'Date of the meeting or decision', isoDaysAgo(0));
    await page.getByLabel('Who convened it (the decision-maker)').fill('Sam Patel, social worker');
    await page.getByLabel('Who chaired the meeting (if there was one)').fill('Alex Morgan, team manager');
    await page.getByLabel('The person’s past and present wishes and feelings').fill('He has always said he wants his own front door.');
    await page.getByLabel('Their beliefs and values').fill('Independence; he goes to the chapel on Sundays.');
    await page.getByLabel('No, there is nobody appropriate: an IMCA was instructed').check();
    // Instructed 30 days ago: the report is already late.
    await fillDate(page, 'Date the IMCA was instructed', isoDaysAgo(30));
    await page.getByLabel('IMCA service', { exact: true }).fill('Northvale Advocacy');
    await page.getByLabel('Name of the IMCA').fill('Jordan Rivers');
    await page.getByLabel('The options considered').fill('Stay on the ward; a care home; Elm Court with 24-hour support.');
    await page.getByLabel('The least restrictive option').fill('Elm Court with support meets his needs and is less restrictive than a care home.');
    await page.getByLabel('The decision', { exact: true }).fill('Move to Elm Court with 24-hour support.');
    await page.getByLabel('The reasons for it').fill('His own front door, as he wishes, with the support his memory needs.');
    await page.getByRole('button', { name: 'Save the best-interests decision' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('the IMCA instruction have been saved');
    await expect(page.getByTestId('imca-state').textContent()).resolves.toBe('Report overdue');
    const decisionUrl = page.url();
    await checkDeskAndPhone(page);

    // The late report waits for the practitioner who instructed the IMCA.
    await page.goto('/waiting?kind=imca-report');
    const row = page.getByTestId('waiting-row').filter({ hasText: `Rene ${familyName}` });
    await expect(row.count()).resolves.toBe(1);
    await checkDeskAndPhone(page);
    await row.getByRole('link', { name: /Chase the IMCA’s report/ }).click();
    await expect(page.getByTestId('imca-instruction').count()).resolves.toBe(1);

    await page.getByRole('button', { name: 'Record the IMCA’s report' }).click();
    await expect(summary.textContent()).resolves.toContain('Enter the date the IMCA’s report was received');
    await checkDeskAndPhone(page);
    await fillDate(page, 'Date the IMCA’s report was received', isoDaysAgo(0));
    await page.getByLabel('What the report says, and how it was taken into account').fill('The IMCA supports Elm Court; Rene told the IMCA he wants his own door. Taken into account at the meeting.');
    await page.getByRole('button', { name: 'Record the IMCA’s report' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The IMCA’s report has been recorded.');
    await expect(page.getByTestId('imca-state').textContent()).resolves.toBe('Report received');
    await expect(page.getByTestId('imca-report').textContent()).resolves.toContain('he wants his own door');
    expect(page.url().split('#')[0]).toBe(decisionUrl.split('#')[0]);
    await checkDeskAndPhone(page);

    await page.goto('/waiting?kind=imca-report');
    expect(await page.getByTestId('waiting-row').filter({ hasText: `Rene ${familyName}` }).count()).toBe(0);

    // The person page and the capacity page show it.
    await page.goto(personPath);
    await expect(page.getByTestId('capacity-summary').textContent()).resolves.toContain('Lacks capacity for this decision');
    await page.getByTestId('capacity-link').click();
    await expect(page.getByTestId('best-interests-row').count()).resolves.toBe(1);
    await checkDeskAndPhone(page);

    // Issue 16, item 4: Elm Court's 24-hour support is continuous supervision and control, and he
    // is not free to leave: the acid test (Cheshire West), citing the capacity assessment, routes
    // it to the Court of Protection (a community setting: COPDOL11).
    await page.goto(personPath);
    await page.getByTestId('liberty-link').click();
    await page.getByTestId('new-consideration').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Consider whether this is a deprivation of liberty');
    await checkDeskAndPhone(page);
    await fillDate(page, 'Date of the consideration', isoDaysAgo(0));
    await page.getByLabel('Supported living', { exact: true }).check();
    await page.getByLabel('The care arrangements').fill('Staff with Rene day and night at Elm Court; the front door is locked; he goes out only with staff.');
    await page.getByRole('group', { name: 'Is the person under continuous supervision and control?' }).getByLabel('Yes').check();
    await page.getByRole('group', { name: 'Is the person free to leave?' }).getByLabel('No').check();
    await page.getByLabel('Lacks capacity to consent to the arrangements').check();
    await page.getByRole('group', { name: 'Cite the most recent capacity assessment' }).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Record the consideration' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The consideration has been recorded.');
    await expect(page.getByTestId('consideration').textContent()).resolves.toContain('This is a deprivation of liberty');
    await checkDeskAndPhone(page);

    // The COPDOL11 application, tracked to the order; its review date falls inside the 28 days.
    await page.getByTestId('start-from-consideration').click();
    await expect(page.getByTestId('basis').textContent()).resolves.toContain('Court of Protection order (COPDOL11)');
    await page.getByLabel('The care home, hospital or address').fill('Elm Court, flat 4');
    await page.getByLabel('The supervisory body (DoLS) or the applicant (COPDOL11)').fill('Northvale Council');
    await fillDate(page, 'Date requested by the managing authority (DoLS) or the application prepared (COPDOL11)', isoDaysAgo(0));
    await fillDate(page, 'Date the court issued the application', isoDaysAgo(1));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(summary.textContent()).resolves.toContain('The date the court issued the application cannot be before the date the application was prepared');
    await checkDeskAndPhone(page);
    await fillDate(page, 'Date requested by the managing authority (DoLS) or the application prepared (COPDOL11)', isoDaysAgo(10));
    await fillDate(page, 'Date the court issued the application', isoDaysAgo(8));
    await page.getByLabel('The court made the order').check();
    await fillDate(page, 'Date of the decision or order', isoDaysAgo(1));
    await fillDate(page, 'Date it starts', isoDaysAgo(1));
    await fillDate(page, 'The order’s review date (COPDOL11)', isoDaysAgo(-14));
    await page.getByLabel('Documents').fill(`COPDOL11 application, ${isoDaysAgo(10)}\nOrder of the Court of Protection, ${isoDaysAgo(1)}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('It has been started.');
    await expect(page.getByTestId('stage').textContent()).resolves.toBe('Order made');
    await expect(page.getByTestId('liberty-due').textContent()).resolves.toContain('Review due: the order’s review date is');
    await checkDeskAndPhone(page);

    // The reminder before its review: due on the person page and waiting for the practitioner.
    await page.goto(personPath);
    await expect(page.getByTestId('liberty-stage').textContent()).resolves.toBe('Order made');
    await expect(page.getByTestId('liberty-due').count()).resolves.toBe(1);
    await page.goto('/waiting?kind=liberty-renewal');
    const due = page.getByTestId('waiting-row').filter({ hasText: `Rene ${familyName}` });
    await expect(due.count()).resolves.toBe(1);
    await expect(due.textContent()).resolves.toContain('Review the Court of Protection order for Elm Court, flat 4');
    await checkDeskAndPhone(page);
    await context.close();
  }, 400_000);
});
