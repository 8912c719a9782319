import fs from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntitledPerson, checkA11y, fillDate, hasChromium, launch, newContext, recordEvent, signIn, signOut } from './support.ts';

describe.skipIf(!hasChromium)('ending section 117 aftercare: blocked on a CTO, then two approvals and the letter', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('blocks the ending while on a CTO, then the local authority approves (still entitled) and the ICB approves (ended, letter)', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');

    // An entitled person discharged onto a CTO: s3, Northvale responsible.
    const personUrl = await addEntitledPerson(page, {
      nhsNumber: '999 898 7008',
      givenName: 'Robin',
      familyName: 'Endwell',
      dateOfBirth: '1975-05-20',
      detained: '2025-01-06',
      discharged: '2025-04-02',
      onto: 'cto',
    });

    // Propose an ending from the person's page.
    await page.goto(personUrl);
    await page.getByTestId('endings-link').click();
    expect(await page.getByTestId('person-status').textContent()).toBe('Entitled');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Propose ending aftercare' }).click();
    await checkA11y(page);

    // A mistake first: every missing answer is listed, nothing is saved.
    await page.getByRole('button', { name: 'Save and check the proposal' }).click();
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('Enter the date aftercare ends');
    expect(summary).toContain('Choose at least one reason');
    await checkA11y(page);

    await fillDate(page, 'Date aftercare ends', '2026-01-15');
    await page.getByLabel('They no longer need aftercare services for their mental disorder').check();
    await page.getByLabel('The reasons in your own words').fill('No longer needs aftercare services: agreed at the joint review with the care coordinator.');
    await page.getByRole('group', { name: 'Was the person involved in the decision?' }).getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('If yes, what is their view? If no, why were they not involved?').fill('Robin agrees and wants to manage with the GP.');
    await page.getByLabel('The plan for any other care or support that continues').fill('GP medication reviews every six months.');
    await page.getByLabel(/What to tell .* in the letter/).fill('We agreed at your review that you can manage without aftercare. Your GP will still check your medicine.');
    await page.getByRole('button', { name: 'Save and check the proposal' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('proposal to end aftercare has been saved');

    // The checklist blocks it: on a CTO (R7).
    expect(await page.getByTestId('check-ending-while-cto').getByTestId('outcome').textContent()).toBe('Fails');
    expect(await page.getByTestId('check-ending-while-cto').textContent()).toContain('R7');
    expect(await page.getByTestId('checklist-blocks').textContent()).toContain('cannot be approved');
    await checkA11y(page);
    const endingUrl = new URL(page.url()).pathname;

    // The CTO ends; the proposal is checked again.
    await page.goto(`${personUrl}/history`);
    await recordEvent(page, 'Community treatment order ended', async (p) => {
      await fillDate(p, 'Date', '2025-10-01');
      await p.getByLabel('Discharged', { exact: true }).check();
    });
    await page.goto(endingUrl);
    expect(await page.getByTestId('check-ending-while-cto').getByTestId('outcome').textContent()).toBe('Passes');
    expect(await page.getByTestId('checklist-blocks').count()).toBe(0);
    await checkA11y(page);
    await signOut(page);

    // The Northvale team manager approves for the local authority: still entitled.
    await signIn(page, 'manager@demo.aftercare.example');
    await page.goto(endingUrl);
    await checkA11y(page);
    await page.getByLabel('Yes, approve').check();
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The other body must approve too');
    expect(await page.getByTestId('decision-local-authority').textContent()).toContain('Approved by Alex Mensah');
    expect(await page.getByTestId('decision-icb').textContent()).toContain('Not decided yet');
    expect(await page.getByTestId('person-status').textContent()).toBe('Entitled');
    expect(await page.getByTestId('proposal-status').textContent()).toBe('Waiting for decisions');
    await checkA11y(page);
    await signOut(page);

    // The ICB's commissioner approves: ended, and the letter is produced.
    await signIn(page, 'commissioner@demo.aftercare.example');
    await page.goto(endingUrl);
    await checkA11y(page);
    await page.getByLabel('Yes, approve').check();
    await page.getByRole('button', { name: 'Confirm decision' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('ending of their aftercare has been recorded');
    expect(await page.getByTestId('person-status').textContent()).toBe('Ended');
    expect(await page.getByTestId('proposal-status').textContent()).toBe('Recorded');
    expect(await page.getByTestId('decision-icb').textContent()).toContain('Approved by Morgan Price');
    await checkA11y(page);
    expect(await page.getByTestId('letter').count()).toBe(2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('letter').first().click()]);
    expect(download.suggestedFilename()).toMatch(/^your-section-117-aftercare-has-ended.*\.pdf$/);
    expect((await fs.readFile((await download.path())!)).subarray(0, 5).toString()).toBe('%PDF-');

    // The register's page for the person links to the endings, now to reinstate.
    await page.goto(`${personUrl}/endings`);
    await checkA11y(page);
    expect(await page.getByRole('link', { name: 'Propose reinstating aftercare' }).count()).toBe(0); // a commissioner cannot write the record
    await context.close();
  });
});
