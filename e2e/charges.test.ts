import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { baseUrl, checkA11y, fillDate, hasChromium, launch, newContext, signIn } from './support.ts';

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await signIn(page, email);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/');
  return page;
}

describe.skipIf(!hasChromium)('charges, refunds and planning settings', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the lead administrator changes the planning settings, fixing a mistake on the way', async () => {
    const page = await as(browser, 'admin@demo.aftercare.example');
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Planning settings' }).click();
    await checkA11y(page);
    await page.getByLabel('Interest on refunds of charges for section 117 services').fill('8.125');
    await page.getByLabel('Daily living: high need').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('The refund interest rate must be a percentage from 0 to 100, with at most 2 decimal places');
    expect(summary).toContain('Enter the points for daily living at high need');
    await checkA11y(page);
    await page.getByLabel('Interest on refunds of charges for section 117 services').fill('8');
    await page.getByLabel('Daily living: high need').fill('26');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The planning settings have been saved.');
    await checkA11y(page);
    await page.context().close();
  });

  it('a practitioner sees charges made for section 117 services, is refused one typed in, works out the refund and records it paid', async () => {
    // Northvale's finance system: a token, a person the council is responsible for, two charges it has taken.
    const admin = await as(browser, 'la-admin@demo.aftercare.example');
    await admin.goto('/admin');
    await admin.getByRole('link', { name: 'API tokens of Northvale Council' }).click();
    await admin.getByLabel('Name of a new token').fill('Finance system');
    await admin.getByRole('button', { name: 'Create token' }).click();
    const token = (await admin.getByTestId('new-token').textContent())!.trim();
    await admin.context().close();
    // Nobody grants themselves rights: the lead organisation's administrator approves it.
    const lead = await as(browser, 'admin@demo.aftercare.example');
    await lead.goto('/admin');
    await lead.getByRole('link', { name: 'API tokens of Northvale Council' }).click();
    await lead.getByRole('button', { name: 'Approve Finance system' }).click();
    await lead.context().close();
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${baseUrl()}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as { id: string };
    };
    const nhsNumber = syntheticNhsNumbers(905_000).next().value as string;
    const { id } = await api('/api/v1/people', { nhsNumber, givenName: 'Rowan', familyName: 'Refunded', dateOfBirth: '1970-06-01', communicationNeeds: ['large-print'] });
    await api(`/api/v1/people/${id}/events`, { event: { type: 'detention-started', date: '2024-01-10', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' } });
    await api(`/api/v1/people/${id}/events`, { event: { type: 'detention-ended', date: '2024-03-01', reason: 'discharged' } });
    await api(`/api/v1/people/${id}/events`, { event: { type: 'left-hospital', date: '2024-03-01' } });
    await api(`/api/v1/people/${id}/charges`, { externalId: `e2e-${id}-1`, serviceDescription: 'Supported accommodation', s117: true, chargedFrom: '2024-12-01', chargedTo: '2024-12-31', amountPence: 100000, paidOn: '2025-01-01' });
    await api(`/api/v1/people/${id}/charges`, { externalId: `e2e-${id}-2`, serviceDescription: 'Home care', s117: true, chargedFrom: '2025-03-15', chargedTo: '2025-03-15', amountPence: 12345, paidOn: '2025-03-15' });

    const page = await as(browser, 'practitioner@demo.aftercare.example');
    await page.goto(`/people/${id}`);
    expect(await page.locator('body').textContent()).toContain('Refund charges made for section 117 aftercare');
    await page.getByRole('link', { name: 'Charges and refunds' }).click();
    expect(await page.getByTestId('refund-warning').textContent()).toContain('£1,123.45 must be refunded');
    await checkA11y(page);

    // Typed in as a section 117 service: refused, nothing saved.
    await page.getByRole('button', { name: 'Record a charge' }).click();
    await checkA11y(page);
    await page.getByLabel('Service charged for').fill('Day centre');
    await page.getByRole('group', { name: 'Is it a section 117 service?' }).getByLabel('Yes').check();
    await fillDate(page, 'First day charged for', '2025-04-01');
    await fillDate(page, 'Last day charged for', '2025-04-30');
    await page.getByLabel('Amount charged').fill('45.00');
    await fillDate(page, 'Date the person paid', '2025-05-02');
    await page.getByRole('button', { name: 'Record charge' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Section 117 aftercare is free: this service cannot be charged for');
    await checkA11y(page);
    // Outside section 117: recorded.
    await page.getByRole('group', { name: 'Is it a section 117 service?' }).getByLabel('No').check();
    await page.getByRole('button', { name: 'Record charge' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The charge of £45.00 for Day centre has been recorded.');
    expect(await page.getByTestId('charges').textContent()).toContain('Day centre');
    await checkA11y(page);

    // The refund to a chosen date, without JavaScript needed.
    await page.getByRole('link', { name: 'Work out the refund with interest' }).click();
    await checkA11y(page);
    await fillDate(page, 'Work out the refund to', '2025-12-31');
    await page.getByRole('button', { name: 'Work out the refund' }).click();
    expect(await page.getByTestId('grand-total').textContent()).toBe('£1,211.10');
    expect(await page.getByTestId('large-print').textContent()).toContain('large print');
    await checkA11y(page);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Create the refund letter (PDF)' }).click();
    expect((await download).suggestedFilename()).toMatch(/^refund-of-charges-for-your-section-117-aftercare-large-print-.*\.pdf$/);

    // Recording the first refund paid.
    await page.goto(`/people/${id}/charges`);
    await page.getByRole('link', { name: /Record refund paid for Supported accommodation/ }).click();
    await checkA11y(page);
    await fillDate(page, 'Date the refund was paid', '2025-12-31');
    await page.getByLabel('Amount refunded').fill('1079.78');
    await page.getByRole('button', { name: 'Record refund' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The refund of £1,079.78 for Supported accommodation has been recorded.');
    await checkA11y(page);
    await page.context().close();
  });
});
