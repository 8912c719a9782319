import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { addEntitledPerson, checkDeskAndPhone, fillDate, hasChromium, launch, newContext, signIn, signOut } from './support.ts';

/*
 * Issue 16, acceptance: a concern raised by the trust becomes an enquiry led by the council, with a
 * strategy meeting and an outcome. Each step as the role that does it: the trust's practitioner
 * raises the concern; Northvale Council's team manager finds the decision in "Waiting for you" and
 * decides the section 42(1) criteria are met, choosing the council's practitioner to lead; the lead
 * records the strategy meeting and the outcome. Axe at desk and phone widths on every page. The
 * rest (refusals, restriction everywhere, the criteria rule, settings, overdue) is tested through
 * HTTP in src/modules/safeguarding/safeguarding.int.test.ts.
 */

const numbers = syntheticNhsNumbers(560_000 + Math.floor(Math.random() * 20_000));

describe.skipIf(!hasChromium)('safeguarding adults', () => {
  let browser: Browser;
  const familyName = `Safeway${Math.floor(Math.random() * 1000)}`;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a concern raised by the trust becomes an enquiry led by the council, with a strategy meeting and an outcome', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();

    // The trust's practitioner records the person and raises the concern.
    await signIn(page, 'trust@demo.aftercare.example');
    const personPath = await addEntitledPerson(page, { nhsNumber: numbers.next().value as string, givenName: 'Ari', familyName, dateOfBirth: '1975-02-14', detained: '2026-01-10', discharged: '2026-03-01' });
    await page.goto(personPath);
    await expect(page.getByTestId('safeguarding-flag').textContent()).resolves.toContain('No open safeguarding concern');
    await page.getByTestId('safeguarding-new-link').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Raise a safeguarding concern');
    await checkDeskAndPhone(page);
    await page.getByRole('button', { name: 'Raise the concern' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Choose at least one category of abuse or neglect');
    await checkDeskAndPhone(page);
    await page.getByLabel('Financial or material abuse').check();
    await page.getByLabel('What is the concern?').fill('A lodger has been collecting Ari’s benefits and keeping most of them.');
    await page.getByLabel('Who reported it').fill('Ward staff');
    await page.getByLabel('Other: known to the person').check();
    await page.getByLabel('Where is the risk?').selectOption('own-home');
    await fillDate(page, 'Date the concern was raised', today);
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('Their views, wishes and feelings').fill('“I want my money back and him out.”');
    await page.getByLabel('The outcomes they want (optional)').fill('The lodger to leave; control of her own money.');
    await page.getByRole('button', { name: 'Raise the concern' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The safeguarding concern has been raised');
    await expect(page.getByTestId('concern-state').textContent()).resolves.toBe('Waiting for a section 42 decision');
    await checkDeskAndPhone(page);
    await signOut(page);

    // The council's team manager decides.
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto('/waiting?kind=safeguarding');
    await checkDeskAndPhone(page);
    const row = page.getByTestId('waiting-row').filter({ hasText: `Ari ${familyName}` });
    await expect(row.count()).resolves.toBe(1);
    await row.getByRole('link', { name: /Decide whether the section 42\(1\) criteria are met/ }).click();
    await checkDeskAndPhone(page);
    await page.locator('#needsCareAndSupport').check();
    await page.locator('#experiencingAbuse').check();
    await page.locator('#unableToProtect-2').check();
    await page.getByLabel('Section 42(1) criteria met: an enquiry will be made').check();
    await page.getByLabel('Reasons for the decision').fill('Care and support needs from her psychosis; benefits taken; she cannot stop him.');
    await page.getByLabel('Who leads the enquiry (if the criteria are met)').selectOption({ label: 'Sam Okafor' });
    await page.getByRole('button', { name: 'Record the decision' }).click();
    // One answer is no: "met" is refused and nothing changes.
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('only when all three questions are answered yes');
    await checkDeskAndPhone(page);
    await page.locator('#unableToProtect').check();
    await page.getByLabel('Section 42(1) criteria met: an enquiry will be made').check();
    await page.getByLabel('Who leads the enquiry (if the criteria are met)').selectOption({ label: 'Sam Okafor' });
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('the enquiry has started');
    await expect(page.getByTestId('enquiry-lead').textContent()).resolves.toContain('Led by Sam Okafor');
    await checkDeskAndPhone(page);
    await signOut(page);

    // The council's practitioner leads the enquiry: the strategy meeting, then the outcome.
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto('/notifications');
    await expect(page.locator('main').textContent()).resolves.toContain(`You lead a safeguarding enquiry about Ari ${familyName}`);
    await page.goto(personPath);
    await expect(page.getByTestId('safeguarding-flag').textContent()).resolves.toContain('Open safeguarding concern');
    await checkDeskAndPhone(page);
    await page.getByTestId('safeguarding-open').getByRole('link').first().click();
    await page.getByLabel('Strategy meeting', { exact: true }).check();
    await fillDate(page, 'Date it was held or agreed', today);
    await page.getByLabel('Who attended, or who will do it').fill('Sam Okafor (Northvale), Lee Ashworth (trust), the bank’s vulnerable customers team');
    await page.getByLabel('What was agreed, or what is to be done').fill('Benefits redirected to Ari’s own account; police to speak to the lodger.');
    await page.getByRole('button', { name: 'Add to the enquiry' }).click();
    await expect.poll(() => page.getByTestId('enquiry-record').count()).toBe(1);
    await checkDeskAndPhone(page);

    // The strategy meeting's case note, written on the person's record and linked from the concern.
    const concernPath = new URL(page.url()).pathname;
    await page.goto(`${personPath}/notes`);
    await page.getByRole('button', { name: 'Write a case note' }).click();
    await page.getByLabel('Type of note').selectOption({ label: 'Professional contact' });
    await fillDate(page, 'Date of the contact', new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await page.getByLabel('Time of the contact').fill('10:00am');
    await page.getByLabel('Note', { exact: true }).fill('Strategy meeting about Ari’s money: actions agreed, see the enquiry.');
    await page.getByRole('button', { name: 'Save and finish' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('has been saved and finished');
    await page.goto(concernPath);
    await expect(page.getByTestId('no-links').textContent()).resolves.toContain('Not linked');
    await page.getByTestId('change-links').click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Link this concern to notes, risk assessments and plans');
    await checkDeskAndPhone(page);
    await page.getByTestId('link-note').getByRole('checkbox').first().check();
    await page.getByTestId('save-links').click();
    await expect.poll(() => page.getByTestId('concern-link').count()).toBe(1);
    await expect(page.getByTestId('concern-link').textContent()).resolves.toContain('Professional contact');
    await page.getByLabel('Risk reduced').check();
    await page.getByLabel('Fully achieved').check();
    await page.getByLabel('What was found and done').fill('The lodger has left; Ari manages her own money with support.');
    await page.getByRole('button', { name: 'Conclude the enquiry' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The enquiry has been concluded');
    await expect(page.getByTestId('concern-state').textContent()).resolves.toBe('Closed');
    await expect(page.getByTestId('outcome-facts').textContent()).resolves.toContain('Risk reduced');
    await checkDeskAndPhone(page);
    await page.goto(personPath);
    await expect(page.getByTestId('safeguarding-flag').textContent()).resolves.toContain('No open safeguarding concern');
    await context.close();
  }, 400_000);
});
