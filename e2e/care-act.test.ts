import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * Issue 16, item 7, in the browser: a practitioner saves a Care Act assessment as a draft, cannot
 * complete it until every question is answered (the error summary names them), completes it and
 * reads the determination with its reasons; the financial assessment form says there is nothing
 * to charge without a plan. Axe at desk and phone widths on every page. The rules (a section 117
 * service never charged, each line at most its cost) are tested through HTTP in
 * src/modules/care-act/care-act.int.test.ts.
 */

const numbers = syntheticNhsNumbers(520_000 + Math.floor(Math.random() * 20_000));

async function answerOutcome(page: Page, label: string, unable: boolean) {
  const group = page.getByRole('group', { name: label, exact: true });
  if (!unable) {
    await group.getByLabel('Able to achieve it', { exact: true }).check();
    return;
  }
  await group.getByLabel('Unable to achieve it', { exact: true }).check();
  await group.getByLabel('They cannot achieve it without help').check();
  await group.getByLabel('The impact on their well-being').fill('Goes without meals when alone; losing weight.');
}

describe.skipIf(!hasChromium)('Care Act needs', () => {
  let browser: Browser;
  const familyName = `Careact${Math.floor(Math.random() * 1000)}`;

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a practitioner assesses needs that are not section 117 and reads the eligibility decided with its reasons', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Ari', familyName, dateOfBirth: '1975-02-11', detained: '2026-01-10', discharged: '2026-03-01' });
    await page.goto(personPath);
    await page.getByTestId('care-act-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Care Act needs');
    await expect(page.locator('main').textContent()).resolves.toContain('Section 117 aftercare is always free.');
    await checkDeskAndPhone(page);

    await page.getByTestId('new-care-act-assessment').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record a Care Act assessment');
    await fillDate(page, 'Date of the assessment', '2026-12-01');
    await page.getByRole('group', { name: /physical or mental impairment or illness/ }).getByLabel('Yes').check();
    await answerOutcome(page, 'Managing and maintaining nutrition', true);
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('saved as a draft');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Continue the Care Act assessment');

    // Completing with questions unanswered: each is named, nothing changes.
    await page.getByRole('button', { name: 'Complete the assessment' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Say whether they are able to achieve “Maintaining personal hygiene” (regulation 2(2)(b))');
    await expect(summary.textContent()).resolves.toContain('Say whether there is, or is likely to be, a significant impact on their well-being (regulation 2(1)(c))');
    await checkDeskAndPhone(page);

    for (const [label, unable] of [
      ['Maintaining personal hygiene', false],
      ['Managing toilet needs', false],
      ['Being appropriately clothed', false],
      ['Being able to make use of their home safely', false],
      ['Maintaining a habitable home environment', true],
      ['Developing and maintaining family or other personal relationships', false],
      ['Accessing and engaging in work, training, education or volunteering', false],
      ['Making use of necessary facilities or services in the local community, including public transport and recreational facilities or services', false],
      ['Carrying out any caring responsibilities they have for a child', false],
    ] as const) {
      await answerOutcome(page, label, unable);
    }
    await page.getByRole('group', { name: /significant impact on their well-being/ }).getByLabel('Yes').check();
    await page.getByLabel('What they want to achieve, in their own words').fill('I want to cook for myself and keep the flat nice.');
    await page.getByRole('button', { name: 'Complete the assessment' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('their needs meet the eligibility criteria');
    await expect(page.getByTestId('determination').textContent()).resolves.toBe('Eligible needs');
    await expect(page.getByTestId('reasons').textContent()).resolves.toContain('They are unable to achieve 2 of the outcomes: two or more (regulation 2(1)(b)).');
    await checkDeskAndPhone(page);

    // No aftercare plan yet: nothing a contribution could apply to.
    await page.goto(`${personPath}/care-act/financial/new`);
    await expect(page.getByTestId('no-plan').textContent()).resolves.toContain('has no current aftercare plan');
    await checkDeskAndPhone(page);
    await context.close();
  });
});
