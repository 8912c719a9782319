import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, hasChromium, launch, newContext, signIn } from './support.ts';

describe.skipIf(!hasChromium)('documents for the person', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a practitioner produces an easy read statement, reads it as a page and records it as given', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    await page.goto('/register?status=entitled&la=E06000901');
    await page.getByTestId('person-link').first().click();
    await page.getByRole('link', { name: 'Documents and information given' }).click();
    expect(await page.getByRole('heading', { level: 2, name: 'Statement of section 117 aftercare' }).isVisible()).toBe(true);
    await checkA11y(page);

    await page.getByRole('button', { name: 'Produce easy read PDF' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been produced');
    expect(await page.getByTestId('documents').textContent()).toContain('Your section 117 aftercare (easy read)');
    await checkA11y(page);

    const download = page.waitForEvent('download');
    await page.getByTestId('download').first().click();
    expect((await download).suggestedFilename()).toMatch(/^your-section-117-aftercare-easy-read.*\.pdf$/);

    await page.getByRole('link', { name: /^easy read/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your section 117 aftercare');
    expect(await page.getByTestId('document').textContent()).toContain('Do you have to pay?');
    await checkA11y(page);
    await page.goto(page.url().replace('easy-read', 'standard'));
    await checkA11y(page);

    await page.goBack();
    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    await page.getByRole('button', { name: 'Record information given' }).click();
    await checkA11y(page);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select what was given');
    await checkA11y(page);
    await page.getByLabel('Their section 117 rights (the statement of entitlement)').check();
    const when = page.getByRole('group', { name: 'When was it given?' });
    await when.getByLabel('Day').fill('2');
    await when.getByLabel('Month').fill('3');
    await when.getByLabel('Year').fill('2025');
    await page.getByLabel('Easy read').check();
    await page.getByLabel('Which stored document was given? (optional)').selectOption({ index: 1 });
    await page.getByRole('group', { name: 'Did they understand it?' }).getByLabel('Partly').check();
    await page.getByRole('group', { name: 'Should it be offered again?' }).getByLabel('Yes').check();
    await page.getByLabel('If yes, why and when should it be offered again?').fill('They were tired after a crisis: offer again at the next visit.');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('has been recorded');
    expect(await page.getByTestId('offer-again').first().textContent()).toContain('Offer again');
    await checkA11y(page);
    await context.close();
  });
});
