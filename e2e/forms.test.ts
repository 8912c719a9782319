import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { govukDate } from '../src/platform/plain-language.ts';
import { todayInLondon } from '../src/platform/clock.ts';
import { checkA11y, fillDate, hasChromium, launch, newContext, recordEvent, signIn } from './support.ts';

/*
 * Issue #13's acceptance journey for forms that know the record: the trust practitioner adds a
 * person from the register and records "discharged and left hospital" in one step, choosing
 * every body by name: no code is typed anywhere.
 */

const today = todayInLondon();
// Far from the numbers the demo seed and other journeys use.
const numbers = syntheticNhsNumbers(860_000 + Math.floor(Math.random() * 40_000));
const desk = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };

/** axe at a desk's width and a phone's. */
async function checkBothWidths(page: Page): Promise<void> {
  await page.setViewportSize(phone);
  await checkA11y(page);
  await page.setViewportSize(desk);
  await checkA11y(page);
}

describe.skipIf(!hasChromium)('the trust practitioner starts a record and records a discharge in one step', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('adds a person from the register, detains them with the record’s bodies chosen for them, and records discharged and left hospital in one step', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.setViewportSize(desk);
    await signIn(page, 'trust@demo.aftercare.example');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.goto('/register');
    await page.getByRole('button', { name: 'Add a person' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/people/new');
    await checkBothWidths(page);

    const nhsNumber = numbers.next().value as string;
    const familyName = `Formsjourney${nhsNumber.slice(-4)}`;
    await page.getByLabel('NHS number').fill(nhsNumber);
    await page.getByLabel('First name').fill('Kofi');
    await page.getByLabel('Last name').fill(familyName);
    await fillDate(page, 'Date of birth', '1984-02-11');
    // Bodies by name, from a list: no code is typed.
    await page.getByLabel('Local authority they live in (optional)').selectOption({ label: 'Northvale Council' });
    await page.getByLabel('ICB of their GP practice (optional)').selectOption({ label: 'NHS Northvale and Southmere Integrated Care Board' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been added to the register');

    // The detention form starts from the person's record.
    await recordEvent(page, 'Detained in hospital', async (p) => {
      expect(await p.getByLabel('Ordinary residence immediately before this detention').inputValue()).toBe('E06000901');
      expect(await p.getByLabel('ICB of their GP practice when the application was made').inputValue()).toBe('E54000901');
      await fillDate(p, 'Date', addDays(today, -60));
      await p.getByLabel('Legal status').selectOption('03');
      await p.getByLabel('Hospital').fill('Northvale Hospital');
      await checkBothWidths(p);
    });
    expect(await page.getByTestId('status').textContent()).toContain('Pending');

    // One step: the detention ended and they left hospital on the same day.
    const discharged = addDays(today, -1);
    await page.getByRole('button', { name: 'Record an event' }).click();
    await page.getByLabel('Discharged and left hospital on the same day', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await fillDate(page, 'Date they were discharged and left hospital', discharged);
    await page.getByLabel('Discharged', { exact: true }).check();
    await page.getByLabel('Local authority they were discharged to (optional)').selectOption({ label: 'Northvale Council' });
    await checkBothWidths(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check the details before recording');
    expect(await page.getByTestId('check-answers').textContent()).toContain('Northvale Council');
    await checkBothWidths(page);
    await page.getByRole('button', { name: 'Record event' }).click();
    await expect
      .poll(() => page.locator('.govuk-notification-banner').textContent())
      .toContain(`Discharge recorded: the detention ended and they left hospital on ${govukDate(discharged)}. Section 117 status: Entitled`);
    expect(await page.getByTestId('status').textContent()).toContain('Entitled');
    const timeline = (await page.getByTestId('timeline').textContent()) ?? '';
    expect(timeline).toContain('Detention ended');
    expect(timeline).toContain('Left hospital');
    expect(timeline).toContain('discharged to Northvale Council');
    await checkBothWidths(page);
    await context.close();
  }, 120_000);
});
