import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, fillDate, hasChromium, launch, newContext, recordEvent, signIn } from './support.ts';

describe.skipIf(!hasChromium)('a practitioner records a person’s legal history', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('adds a person, records an s3 detention and discharge, sees entitlement and why; then a re-detention supersedes it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto('/people/new');
    await checkA11y(page);
    // A mistake first: the error summary says what to fix.
    await page.getByLabel('NHS number').fill('999 000 0019');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('fails the NHS number check digit');
    await checkA11y(page);
    await page.getByLabel('NHS number').fill('999 012 3454');
    await page.getByLabel('First name').fill('Avery');
    await page.getByLabel('Last name').fill('Journeyman');
    await fillDate(page, 'Date of birth', '1984-07-09');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been added to the register');
    await checkA11y(page);

    await recordEvent(page, 'Detained in hospital', async (p) => {
      await fillDate(p, 'Date', '2024-11-04');
      await p.getByLabel('Legal status').selectOption('03');
      await p.getByLabel('Hospital').fill('Northvale Hospital');
      await p.getByLabel('Ordinary residence immediately before this detention').selectOption('E06000901');
      await p.getByLabel('ICB of their GP practice when the application was made').selectOption('E54000901');
    }, { a11y: true });
    expect(await page.getByTestId('status').textContent()).toContain('Pending');
    await recordEvent(page, 'Detention ended', async (p) => {
      await fillDate(p, 'Date', '2025-02-14');
      await p.getByLabel('Discharged', { exact: true }).check();
    }, { a11y: true });
    await recordEvent(page, 'Left hospital', async (p) => {
      await fillDate(p, 'Date', '2025-02-14');
    }, { a11y: true });
    expect(await page.getByTestId('status').textContent()).toContain('Entitled');
    expect(await page.getByTestId('entitlement-start').textContent()).toBe('14 February 2025');
    expect(await page.getByTestId('responsible-la').textContent()).toBe('Northvale Council');
    expect(await page.getByTestId('responsible-icb').textContent()).toBe('NHS Northvale and Southmere Integrated Care Board');
    expect(await page.getByTestId('next-review').textContent()).toContain('28 March 2025');
    await page.getByText('Why Aftercare decided this').click();
    expect(await page.getByTestId('why').textContent()).toContain('R5');
    expect(await page.getByTestId('timeline').textContent()).toContain('Formally detained under Mental Health Act Section 3');
    await checkA11y(page);

    // Re-detained under s3 while living in Southmere: a new episode, Southmere responsible (Worcestershire).
    await recordEvent(page, 'Detained in hospital', async (p) => {
      await fillDate(p, 'Date', '2025-09-01');
      await p.getByLabel('Legal status').selectOption('03');
      await p.getByLabel('Ordinary residence immediately before this detention').selectOption('E06000902');
      await p.getByLabel('ICB of their GP practice when the application was made').selectOption('E54000901');
    }, { a11y: true });
    await recordEvent(page, 'Detention ended', async (p) => {
      await fillDate(p, 'Date', '2025-10-20');
      await p.getByLabel('Discharged', { exact: true }).check();
    }, { a11y: true });
    await recordEvent(page, 'Left hospital', async (p) => {
      await fillDate(p, 'Date', '2025-10-20');
    }, { a11y: true });
    expect(await page.getByTestId('responsible-la').textContent()).toBe('Southmere Borough Council');
    expect(await page.getByTestId('episodes').textContent()).toContain('superseded');
    await checkA11y(page);

    await page.getByRole('link', { name: 'Overview' }).click();
    await checkA11y(page);
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'Add a contact' }).click();
    await page.getByLabel('Carer').check();
    await page.getByLabel('Name').fill('Jamie Journeyman');
    await page.getByRole('group', { name: 'Has the person agreed to share information with them?' }).getByLabel('Yes').check();
    await checkA11y(page);
    await page.getByRole('button', { name: 'Add contact' }).click();
    expect(await page.getByTestId('contact').first().textContent()).toContain('Jamie Journeyman');
    await checkA11y(page);

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('link', { name: 'They are moving area' }).click();
    await page.getByLabel('Local authority they are moving to').selectOption({ label: 'Eastbridge City Council' });
    await page.getByLabel('New address').fill('3 Quay Street, Eastbridge');
    await page.getByLabel('Postcode').fill('ZZ99 1AA');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.getByTestId('move-stays').textContent()).toContain('The responsible local authority stays Southmere Borough Council');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Record the move' }).click();
    expect(await page.getByTestId('task').first().textContent()).toContain('Handover');
    await context.close();
  }, 150_000); // the longest journey: six events, two dozen accessibility scans

  it('lets a manager see who viewed the record', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'manager@demo.aftercare.example');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    // The person added by the practitioner above is Northvale's: the manager's organisation.
    const practitioner = await newContext(browser);
    const p2 = await practitioner.newPage();
    await signIn(p2, 'practitioner@demo.aftercare.example');
    await p2.goto('/people/new');
    await p2.getByLabel('NHS number').fill('999 012 3462');
    await p2.getByLabel('First name').fill('Quinn');
    await p2.getByLabel('Last name').fill('Audited');
    await fillDate(p2, 'Date of birth', '1990-01-02');
    await p2.getByRole('button', { name: 'Save' }).click();
    const personUrl = p2.url().replace('/history', '/audit');
    await practitioner.close();
    await page.goto(personUrl);
    expect(await page.getByTestId('person-audit').textContent()).toContain('person.created');
    await checkA11y(page);
    await context.close();
  });
});
