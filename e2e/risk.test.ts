import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

/*
 * Issue 15, item 4, the acceptance journey: a practitioner records a risk assessment that raises
 * the level (a first assessment at high); the team manager sees the escalation in "Waiting for
 * you" and in their notifications, records its outcome, and it leaves the queue. Axe at desk and
 * phone widths on every page. The rest (a rise from an earlier level, significant notes,
 * learning reviews, refusals, 409s) is tested through HTTP in src/modules/risk/risk.int.test.ts.
 */

const numbers = syntheticNhsNumbers(700_000 + Math.floor(Math.random() * 50_000));

describe.skipIf(!hasChromium)('risk assessment and escalation', () => {
  let browser: Browser;
  const familyName = `Riskwell${Math.floor(Math.random() * 1000)}`;
  const inThreeMonths = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a practitioner’s high-risk assessment reaches the team manager, who records the outcome', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Jo', familyName, dateOfBirth: '1982-07-09', detained: '2026-01-10', discharged: '2026-03-01' });
    await page.goto(personPath);
    await expect(page.getByTestId('risk-summary').textContent()).resolves.toContain('No risk assessment recorded yet');
    await page.getByTestId('risk-new-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record a risk assessment');
    // The partnership's definition is shown beside each level.
    await expect(page.locator('#level-3-item-hint, .govuk-radios__hint').last().textContent()).resolves.toContain('Serious harm is likely');
    await checkDeskAndPhone(page);

    // Nothing filled in: the error summary names each problem, and nothing is saved.
    await page.getByRole('button', { name: 'Save the risk assessment' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.textContent()).resolves.toContain('Enter risk to self');
    await expect(summary.textContent()).resolves.toContain('Choose the level of risk');
    await expect(summary.textContent()).resolves.toContain('Enter the date of the next review');
    await checkDeskAndPhone(page);

    await page.getByLabel('Risk to self').fill('Has said she is saving her tablets.');
    await page.getByLabel('Risk to others').fill('None identified.');
    await page.getByLabel('Risk from others').fill('A neighbour has been taking her money.');
    await page.getByLabel('Self-neglect').fill('Not eating since her sister moved away.');
    await page.getByLabel('Relapse and early-warning signs').fill('Stops answering the door; up all night.');
    await page.getByLabel('Protective factors').fill('Her cat; the Tuesday art group.');
    await page.getByLabel('The person’s own view').fill('“I want to stay at home. Ring my sister if I go quiet.”');
    await page.getByLabel('Formulation').fill('Isolation and money worries bring on low mood and thoughts of overdose.');
    await page.getByLabel('Positive risk-taking plan').fill('She keeps her own medication, dispensed weekly; daily calls for two weeks.');
    await page.getByLabel('High', { exact: true }).check();
    await fillDate(page, 'Date of the next review', inThreeMonths);
    await page.getByRole('button', { name: 'Save the risk assessment' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('the team managers have been told');
    await checkDeskAndPhone(page);

    await page.goto(personPath);
    await expect(page.getByTestId('risk-level').textContent()).resolves.toBe('High');
    await expect(page.getByTestId('risk-open-escalations').textContent()).resolves.toContain('1 open escalation');
    await checkDeskAndPhone(page);
    await page.getByTestId('risk-link').click();
    await expect(page.getByTestId('escalation-row').count()).resolves.toBe(1);
    await checkDeskAndPhone(page);
    await signOut(page);

    // The team manager: told, and it waits for them.
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto('/notifications');
    await expect(page.locator('main').textContent()).resolves.toContain(`Risk escalation for Jo ${familyName}: first risk assessment at high risk`);
    await checkDeskAndPhone(page);
    await page.goto('/waiting?kind=escalation');
    await checkDeskAndPhone(page);
    const row = page.getByTestId('waiting-row').filter({ hasText: `Jo ${familyName}` });
    await expect(row.count()).resolves.toBe(1);
    await row.getByRole('link', { name: /Record the outcome of a risk escalation/ }).click();
    await expect(page.getByTestId('escalation-state').textContent()).resolves.toBe('Waiting for a decision');
    await checkDeskAndPhone(page);

    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Choose what was decided');
    await checkDeskAndPhone(page);
    await page.getByLabel('Review meeting arranged').check();
    await page.getByLabel('What was decided and done, and why').fill('Review meeting with Jo and her sister on Friday; daily calls until then.');
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('escalation closed');
    await expect(page.getByTestId('escalation-state').textContent()).resolves.toBe('Closed');
    await expect(page.getByTestId('escalation-facts').textContent()).resolves.toContain('Review meeting arranged');
    await checkDeskAndPhone(page);

    await page.goto('/waiting?kind=escalation');
    expect(await page.getByTestId('waiting-row').filter({ hasText: `Jo ${familyName}` }).count()).toBe(0);
    await context.close();
  }, 400_000);
});
