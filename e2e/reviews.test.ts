import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntitledPerson, checkA11y, fillDate, hasChromium, launch, newContext, recordEvent, signIn } from './support.ts';

describe.skipIf(!hasChromium)('a practitioner’s overdue review, from My work to done', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sees the overdue review in My work, records it, and the register shows the next review date', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');

    // Someone allocated to me whose first review (after a 2024 discharge) is long overdue.
    await page.goto('/people/new');
    await page.getByLabel('NHS number').fill('999 012 4299');
    await page.getByLabel('First name').fill('Jordan');
    await page.getByLabel('Last name').fill('Overdue-Review');
    await fillDate(page, 'Date of birth', '1983-07-19');
    const teamValue = await page.locator('#allocatedTeamId option', { hasText: 'Northvale Community Mental Health Team' }).first().getAttribute('value');
    await page.locator('#allocatedTeamId').selectOption(teamValue!);
    const leadValue = await page.locator('#leadPractitionerId option', { hasText: 'Sam Okafor' }).first().getAttribute('value');
    await page.locator('#leadPractitionerId').selectOption(leadValue!);
    await page.getByRole('button', { name: 'Save' }).click();
    await recordEvent(page, 'Detained in hospital', async (p) => {
      await fillDate(p, 'Date', '2024-01-08');
      await p.getByLabel('Legal status').selectOption('03');
      await p.getByLabel('Hospital').fill('Northvale Hospital');
      await p.getByLabel('Ordinary residence immediately before this detention').selectOption('E06000901');
      await p.getByLabel('ICB of their GP practice when the application was made').selectOption('E54000901');
    });
    await recordEvent(page, 'Detention ended', async (p) => {
      await fillDate(p, 'Date', '2024-03-04');
      await p.getByLabel('Discharged', { exact: true }).check();
    });
    await recordEvent(page, 'Left hospital', async (p) => {
      await fillDate(p, 'Date', '2024-03-04');
    });
    const personUrl = new URL(page.url()).pathname.replace(/\/history$/, '');

    // My work: the review is overdue.
    await page.getByRole('link', { name: 'My work' }).click();
    await checkA11y(page);
    const overdue = page.getByTestId('overdue');
    await expect.poll(() => overdue.textContent()).toContain('Jordan Overdue-Review');
    // Sorting and filtering are links and a GET form: no JavaScript needed.
    await page.getByRole('link', { name: /^Name/ }).first().click();
    await checkA11y(page);
    await page.getByLabel('Show').selectOption('overdue');
    await page.getByRole('button', { name: 'Apply' }).click();
    await checkA11y(page);
    await page.getByRole('link', { name: 'Record review for Jordan Overdue-Review' }).click();

    // The review form: a mistake first, then the answers.
    await checkA11y(page);
    await page.getByRole('button', { name: 'Save the review' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('have their needs changed');
    await checkA11y(page);
    await page.getByLabel('Name').nth(1).fill('Priya Shah');
    await page.locator('#attendeeKind-1').selectOption('carer');
    await page.getByRole('group', { name: 'Have their needs changed?' }).getByLabel('No', { exact: true }).check();
    await page.getByRole('group', { name: 'Does section 117 aftercare still apply?' }).getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('Reasons').fill('Still needs support from the community team to stay well');
    await page.getByLabel('The person’s view (optional)').fill('Wants to keep the same worker');
    await page.getByRole('button', { name: 'Save the review' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The review has been recorded');
    await checkA11y(page);

    // The person page shows the new next review date, not overdue.
    await page.goto(personUrl);
    const next = await page.getByTestId('next-review').textContent();
    expect(next).not.toContain('Overdue');
    expect(next).toMatch(/\d{4}/);
    await page.getByTestId('reviews-link').click();
    await checkA11y(page);
    expect(await page.getByTestId('reviews').textContent()).toContain('Completed');

    // And My work no longer lists them as overdue.
    await page.goto('/my-work?scope=me&show=overdue');
    const overdueText = (await page.getByTestId('overdue').count()) ? await page.getByTestId('overdue').textContent() : '';
    expect(overdueText).not.toContain('Jordan Overdue-Review');

    // The register agrees: not in the overdue filter.
    await page.goto('/register?review=overdue&q=Overdue-Review');
    await checkA11y(page);
    expect(await page.locator('main').textContent()).not.toContain('Jordan Overdue-Review');

    // A meeting, with a calendar invitation.
    await page.goto(`${personUrl}/meetings/new`);
    await checkA11y(page);
    await page.getByLabel('Multidisciplinary team (MDT) meeting').check();
    await fillDate(page, 'Date of the meeting', '2026-12-01');
    await page.getByLabel('Start time').fill('14:30');
    await page.locator('#attendeeName-0').fill('Dr Lee');
    await page.locator('#actionDescription-0').fill('Book a GP appointment');
    await page.getByRole('button', { name: 'Save the meeting' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('The meeting has been recorded');
    await checkA11y(page);
    const invite = await page.request.get(`${new URL(page.url()).pathname}/invite.ics`);
    expect(invite.headers()['content-type']).toContain('text/calendar');
    expect(await invite.text()).toContain('DTSTART:20261201T143000Z');
    await page.getByRole('button', { name: /Mark as done/ }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('marked as done');

    await page.goto('/notifications');
    await checkA11y(page);
    await context.close();
  });
});

describe.skipIf(!hasChromium)('booking a review, apart from recording one (issue 13, item 9)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('books a review with staff and an outside invitee, shows it on the person page and My work, and records it from the booking', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'practitioner@demo.aftercare.example');
    const personUrl = await addEntitledPerson(page, { nhsNumber: '999 067 8707', givenName: 'Bo', familyName: 'Booked-Review', dateOfBirth: '1985-02-11', detained: '2026-03-02', discharged: '2026-06-01' });
    const nextYear = String(new Date().getFullYear() + 1);

    await page.goto(`${personUrl}/reviews`);
    await checkA11y(page);
    await page.getByRole('button', { name: 'Book a review' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Book a review');
    await checkA11y(page);

    // A mistake first: the error summary names what is missing.
    await page.getByRole('button', { name: 'Book the review and send invitations' }).click();
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('Enter the date of the review');
    expect(summary).toContain('Enter where the review will be held, or a video link, or both');
    await checkA11y(page);

    await fillDate(page, 'Date of the review', `${nextYear}-02-10`);
    await page.getByLabel('Start time').fill('14:30');
    await page.getByLabel('Place', { exact: true }).fill('Room 2, Northvale House');
    await page.getByLabel('Sam Okafor (Northvale Council)').check();
    await page.locator('#externalName-0').fill('Dr Ada Lee');
    await page.locator('#externalEmail-0').fill('ada.lee@gp.example');
    await page.getByLabel('Invite them').check();
    await page.getByRole('button', { name: 'Book the review and send invitations' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain(`The review has been booked for 10 February ${nextYear}, 2:30pm to 3:30pm`);
    expect(await page.getByTestId('invitees').textContent()).toContain('ada.lee@gp.example');
    await checkA11y(page);
    const invite = await page.request.get(`${new URL(page.url()).pathname}/invite.ics`);
    expect(invite.headers()['content-type']).toContain('text/calendar');
    expect((await invite.text()).replace(/\r\n /g, '')).toContain(`DTSTART;TZID=Europe/London:${nextYear}0210T143000`);

    // The person page and My work show it.
    await page.goto(personUrl);
    expect(await page.getByTestId('booked-reviews').textContent()).toContain(`10 February ${nextYear}, 2:30pm to 3:30pm`);
    await page.goto('/my-work');
    expect(await page.getByTestId('my-booked-reviews').textContent()).toContain('Bo Booked-Review');
    await checkA11y(page);

    // Change it, then record the review from it.
    await page.getByTestId('my-booked-reviews').getByRole('link', { name: 'Bo Booked-Review' }).click();
    await page.getByRole('button', { name: 'Change the booking' }).click();
    await checkA11y(page);
    await page.getByLabel('Start time').fill('10:00');
    await page.getByRole('button', { name: 'Save changes and tell everyone' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain(`The booking has been changed to 10 February ${nextYear}, 10am to 11am`);
    await page.getByRole('button', { name: 'Record this review' }).click();
    await checkA11y(page);
    expect(await page.getByTestId('from-booking').textContent()).toContain(`10 February ${nextYear}, 10am to 11am`);
    expect(await page.locator('#attendeeName-1').inputValue()).not.toBe('');
    await context.close();
  });
});
