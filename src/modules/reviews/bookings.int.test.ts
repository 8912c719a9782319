import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dateForm, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, createPartnership, nhsNumbers, signedIn, type TestPartnership } from '../../../test/fixtures.ts';
import { appUser, auditEvent } from '../../platform/db/schema.ts';
import { deliverPending } from '../../platform/notifications/outbox.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { createPerson, recordEvent } from '../register/index.ts';
import { review, reviewBooking } from './schema.ts';

/*
 * Issue 13, item 9: booking a review is its own journey. Invitees are staff (with their email
 * addresses) and people outside Aftercare (name and email address); each is sent an email through
 * the outbox with a calendar invitation whose start is England's time, and an absolute link on the
 * configured public address. Changing sends SEQUENCE 1 with the same UID; cancelling METHOD:CANCEL.
 * Recording the review from the booking fills in its date and attendees and marks it held.
 */

const BASE = 'https://aftercare.example.nhs.uk';
const clock = clockAt('2026-12-07');
const nextNhs = nhsNumbers(33_000);
let t: TestApp;
let part: TestPartnership;
let managerId: string;
let managerEmail: string;

const userId = async (email: string) => (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;

async function newPerson(familyName: string): Promise<string> {
  const ctx = await contextFor(t, part.users.practitioner, { clock });
  const created = await createPerson(ctx, { givenName: 'Bea', familyName, dateOfBirth: '1980-04-01', nhsNumber: nextNhs(), leadPractitionerId: await userId(part.users.practitioner) }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  const events = [
    { type: 'detention-started', date: '2026-06-10', legalStatusCode: '03', ordinaryResidence: part.organisations.localAuthority.code, icbOfGpRegistration: part.organisations.icb.onsCode },
    { type: 'detention-ended', date: '2026-09-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2026-09-01' },
  ];
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Bookshire Hospital' : null });
  return created.person.id;
}

const outboxFor = async (bookingId: string) =>
  (await t.database.db.select().from(notification).where(eq(notification.partnershipId, part.id))).filter((n) => n.dedupeKey.startsWith(`review-booking:${bookingId}:`));
const ics = (n: { attachmentBase64: string | null }) => Buffer.from(n.attachmentBase64!, 'base64').toString('utf8').replace(/\r\n /g, '');
const bookingRow = async (id: string) => (await t.database.db.select().from(reviewBooking).where(eq(reviewBooking.id, id)))[0]!;

const bookingForm = (staff: string[], extra: Record<string, string | string[]> = {}) => ({
  ...dateForm('date', '2027-01-15'),
  time: '14:30',
  durationMinutes: '60',
  place: 'Room 2, Bookshire House',
  videoLink: '',
  staff,
  'externalName-0': 'Dr Ada Lee',
  'externalEmail-0': 'ada.lee@gp.example',
  'externalRole-0': 'GP, Hill Surgery',
  invitePerson: 'yes',
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_BASE_URL: `${BASE}/` }, { clock });
  part = await createPartnership(t.database.db, 'Bookshire');
  managerEmail = part.users.manager;
  managerId = await userId(managerEmail);
});

afterAll(async () => {
  await t.close();
});

describe('booking a review', () => {
  let personId: string;
  let bookingId: string;
  beforeAll(async () => {
    personId = await newPerson('Booked');
  });

  it('is offered on the reviews page apart from recording one, with staff to invite by name and email address', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const reviews = await b.get(`/people/${personId}/reviews`);
    expect(reviews.body).toContain(`href="/people/${personId}/reviews/book"`);
    expect(reviews.body).toContain('Record a review');
    const form = await b.get(`/people/${personId}/reviews/book`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1 class="govuk-heading-l">Book a review</h1>');
    expect(form.body).toContain(`value="${managerId}"`);
    expect(form.body).toContain(managerEmail);
  });

  it('sends each invitee an email with the calendar invitation (England’s time) and an absolute link, and shows it on the person page', async () => {
    const b = await signedIn(t, part.users.practitioner);
    await b.get(`/people/${personId}/reviews/book`);
    const res = await b.post(`/people/${personId}/reviews/book`, bookingForm([managerId]));
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    bookingId = /\/reviews\/bookings\/([0-9a-f-]+)$/.exec(res.headers.location as string)![1]!;
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain('The review has been booked for 15 January 2027, 2:30pm to 3:30pm. Invitations have been sent to 2 people by email.');
    expect(page.body).toContain('Dr Ada Lee');
    expect(page.body).toContain('ada.lee@gp.example');
    expect(page.body).toContain('no email address, so no invitation sent'); // the person, invited without an email address

    const rows = await outboxFor(bookingId);
    expect(rows.map((r) => r.recipientEmail).sort()).toEqual(['ada.lee@gp.example', managerEmail]);
    const staff = rows.find((r) => r.recipientEmail === managerEmail)!;
    expect(staff.recipientUserId).toBe(managerId);
    expect(staff.channel).toBe('email');
    expect(staff.subject).toBe('Invitation: section 117 aftercare review on 15 January 2027');
    expect(staff.body).toContain('You are invited to a section 117 aftercare review for Bea Booked.');
    expect(staff.body).toContain('When: 15 January 2027, 2:30pm to 3:30pm (UK time)');
    expect(staff.body).toContain('Where: Room 2, Bookshire House');
    expect(staff.link).toBe(`${BASE}/people/${personId}/reviews/bookings/${bookingId}`);
    expect(staff.attachmentName).toBe('review-invitation.ics');
    const invite = ics(staff);
    expect(invite).toContain('METHOD:REQUEST\r\n');
    expect(invite).toContain(`UID:review-booking-${bookingId}@aftercare\r\n`);
    expect(invite).toContain('SEQUENCE:0\r\n');
    expect(invite).toContain('DTSTART;TZID=Europe/London:20270115T143000\r\n');
    expect(invite).toContain('DTEND;TZID=Europe/London:20270115T153000\r\n');
    expect(invite).toContain(`URL:${BASE}/people/${personId}/reviews/bookings/${bookingId}\r\n`);
    expect(invite).toContain(`DESCRIPTION:Section 117 aftercare review. Details are in Aftercare (for staff): ${BASE}/people/`);
    expect(invite).toContain('mailto:ada.lee@gp.example');
    expect(invite).not.toContain('Booked'); // no name of the person in a calendar
    const external = rows.find((r) => r.recipientEmail === 'ada.lee@gp.example')!;
    expect(external.recipientUserId).toBeNull();
    expect(external.link).toBeNull(); // they cannot sign in to Aftercare
    expect(ics(external)).toContain('DTSTART;TZID=Europe/London:20270115T143000\r\n');

    const booking = await bookingRow(bookingId);
    expect(booking.status).toBe('booked');
    const scheduled = (await t.database.db.select().from(review).where(eq(review.id, booking.reviewId!)))[0]!;
    expect(scheduled.status).toBe('scheduled');
    const audits = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.partnershipId, part.id), eq(auditEvent.action, 'review.booked'), eq(auditEvent.subjectId, personId)));
    expect(audits).toHaveLength(1);

    const personPage = await b.get(`/people/${personId}`);
    const section = /data-qa="booked-reviews">([\s\S]*?)<\/ul>/.exec(personPage.body)![1]!;
    expect(section).toContain('15 January 2027, 2:30pm to 3:30pm');
    expect(section).toContain(`/people/${personId}/reviews/bookings/${bookingId}`);
    const reviews = await b.get(`/people/${personId}/reviews`);
    expect(/data-qa="bookings"[\s\S]*?<\/table>/.exec(reviews.body)![0]).toContain('15 January 2027, 2:30pm to 3:30pm');
  });

  it('shows the booking to the staff invitee in their notifications and on My work', async () => {
    await deliverPending(t.database.db, null, { now: clock.now() });
    const m = await signedIn(t, managerEmail);
    const notes = await m.get('/notifications');
    expect(notes.body).toContain('Invitation: section 117 aftercare review on 15 January 2027');
    expect(notes.body).toContain(`href="${BASE}/people/${personId}/reviews/bookings/${bookingId}"`);
    expect(notes.body).toContain('Download the calendar invitation');
    const work = await m.get('/my-work');
    const mine = /data-qa="my-booked-reviews">([\s\S]*?)<\/ul>/.exec(work.body)![1]!;
    expect(mine).toContain('Bea Booked');
    expect(mine).toContain('15 January 2027, 2:30pm to 3:30pm');
  });

  it('changed, sends the new time with the same UID and SEQUENCE 1 (British Summer Time), and a cancellation to anyone no longer invited', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const form = await b.get(`/people/${personId}/reviews/bookings/${bookingId}/change`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="14:30"');
    expect(form.body).toContain('value="ada.lee@gp.example"');
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const res = await b.post(`/people/${personId}/reviews/bookings/${bookingId}/change`, {
      ...bookingForm([managerId], { ...dateForm('date', '2027-07-15'), time: '10:00', 'externalName-0': '', 'externalEmail-0': '', 'externalRole-0': '', videoLink: 'https://meet.example.com/abc-def' }),
      version,
    });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    const rows = await outboxFor(bookingId);
    const changed = rows.find((r) => r.dedupeKey.includes(':1:') && r.recipientEmail === managerEmail)!;
    expect(changed.subject).toBe('Changed: section 117 aftercare review, now on 15 July 2027');
    expect(changed.body).toContain('Video link: https://meet.example.com/abc-def');
    const updated = ics(changed);
    expect(updated).toContain('METHOD:REQUEST\r\n');
    expect(updated).toContain(`UID:review-booking-${bookingId}@aftercare\r\n`);
    expect(updated).toContain('SEQUENCE:1\r\n');
    expect(updated).toContain('DTSTART;TZID=Europe/London:20270715T100000\r\n');
    const dropped = rows.find((r) => r.dedupeKey.includes(':1:') && r.recipientEmail === 'ada.lee@gp.example')!;
    expect(dropped.subject).toBe('Cancelled: section 117 aftercare review on 15 July 2027');
    expect(ics(dropped)).toContain('METHOD:CANCEL\r\n');
    expect(ics(dropped)).toContain('SEQUENCE:1\r\n');
  });

  it('cancelled (with a reason), sends METHOD:CANCEL with the same UID and SEQUENCE 2; the review stays due', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const form = await b.get(`/people/${personId}/reviews/bookings/${bookingId}/cancel`);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const empty = await b.post(`/people/${personId}/reviews/bookings/${bookingId}/cancel`, { version, reason: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('Enter why the review is cancelled');
    const res = await b.post(`/people/${personId}/reviews/bookings/${bookingId}/cancel`, { version, reason: 'Bea is in hospital' });
    expect(res.statusCode).toBe(302);
    const booking = await bookingRow(bookingId);
    expect(booking.status).toBe('cancelled');
    const cancelled = (await outboxFor(bookingId)).find((r) => r.dedupeKey.includes(':2:') && r.recipientEmail === managerEmail)!;
    expect(cancelled.body).toContain('has been cancelled. The reason given: Bea is in hospital');
    const text = ics(cancelled);
    expect(text).toContain('METHOD:CANCEL\r\n');
    expect(text).toContain('STATUS:CANCELLED\r\n');
    expect(text).toContain(`UID:review-booking-${bookingId}@aftercare\r\n`);
    expect(text).toContain('SEQUENCE:2\r\n');
    expect((await t.database.db.select().from(review).where(eq(review.id, booking.reviewId!)))[0]!.status).toBe('scheduled');
    expect((await b.get(`/people/${personId}/reviews/bookings/${bookingId}`)).body).toContain('This booked review was cancelled. The reason given: Bea is in hospital');
  });
});

describe('bad input and permission', () => {
  let personId: string;
  beforeAll(async () => {
    personId = await newPerson('Mistaken');
  });

  it('shows a GOV.UK error summary for what is missing or wrong, and books nothing', async () => {
    const b = await signedIn(t, part.users.practitioner);
    await b.get(`/people/${personId}/reviews/book`);
    const empty = await b.post(`/people/${personId}/reviews/book`, { 'date-day': '', 'date-month': '', 'date-year': '', time: '', place: '' });
    expect(empty.statusCode).toBe(422);
    const summary = /govuk-error-summary[\s\S]*?<\/ul>/.exec(empty.body)![0];
    expect(summary).toContain('Enter the date of the review');
    expect(summary).toContain('Enter the time the review starts');
    expect(summary).toContain('Enter where the review will be held, or a video link, or both');
    expect(summary).toContain('Choose at least one member of staff to invite, or enter the name and email address of someone to invite');
    expect(summary).toContain('href="#date-day"');

    const badEmail = await b.post(`/people/${personId}/reviews/book`, bookingForm([], { 'externalEmail-0': 'ada at gp', videoLink: 'meet.example.com' }));
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.body).toContain('Enter an email address in the correct format, like name@example.com');
    expect(badEmail.body).toContain('href="#externalEmail-0"');
    expect(badEmail.body).toContain('Enter the video link as a full web address starting https://');
    expect(badEmail.body).toContain('value="ada at gp"'); // what they typed is kept

    const past = await b.post(`/people/${personId}/reviews/book`, bookingForm([managerId], dateForm('date', '2026-12-01')));
    expect(past.statusCode).toBe(422);
    expect(past.body).toContain('The review must be booked for a date and time in the future');

    const partial = await b.post(`/people/${personId}/reviews/book`, bookingForm([managerId], { 'date-day': '' }));
    expect(partial.statusCode).toBe(422);
    expect(partial.body).toContain('The date of the review must include a day, month and year');

    expect(await t.database.db.select().from(reviewBooking).where(eq(reviewBooking.personId, personId))).toHaveLength(0);
    expect(await t.database.db.select().from(notification).where(eq(notification.personId, personId))).toHaveLength(0);
  });

  it('refuses someone who may not change the record with 403, before reading what they sent', async () => {
    const c = await signedIn(t, part.users.commissioner);
    const res = await c.post(`/people/${personId}/reviews/book`, { nonsense: 'x' });
    expect(res.statusCode).toBe(403);
    expect(await t.database.db.select().from(reviewBooking).where(eq(reviewBooking.personId, personId))).toHaveLength(0);
  });
});

describe('recording a booked review', () => {
  it('starts from the booking (its date and the people invited) and marks the booking held', async () => {
    const personId = await newPerson('Held');
    const b = await signedIn(t, part.users.practitioner);
    await b.get(`/people/${personId}/reviews/book`);
    const booked = await b.post(`/people/${personId}/reviews/book`, bookingForm([managerId], { ...dateForm('date', '2026-12-09'), time: '11:00', carerName: 'Cal Carer', carerEmail: 'cal@example.org' }));
    expect(booked.statusCode, booked.body.slice(0, 2000)).toBe(302);
    const bookingId = /\/reviews\/bookings\/([0-9a-f-]+)$/.exec(booked.headers.location as string)![1]!;

    clock.set('2026-12-10');
    try {
      const page = await b.get(`/people/${personId}/reviews/bookings/${bookingId}`);
      expect(page.body).toContain(`href="/people/${personId}/reviews/new?booking=${bookingId}"`);
      const form = await b.get(`/people/${personId}/reviews/new?booking=${bookingId}`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('This records the review booked for 9 December 2026, 11am to midday.');
      expect(form.body).toMatch(/id="heldOn-day" name="heldOn-day" type="text" value="9"/);
      for (const name of ['Bea Held', 'Cal Carer', 'Dr Ada Lee', 'Bookshire manager']) expect(form.body).toContain(`value="${name}"`);
      expect(form.body).toContain(`name="bookingId" value="${bookingId}"`);
      const reviewId = /name="reviewId" value="([^"]*)"/.exec(form.body)![1]!;
      const version = /name="version" value="([^"]*)"/.exec(form.body)![1]!;
      expect(reviewId).toBe((await bookingRow(bookingId)).reviewId);

      const res = await b.post(`/people/${personId}/reviews/new`, {
        version,
        reviewId,
        bookingId,
        ...dateForm('heldOn', '2026-12-09'),
        'attendeeKind-0': 'person',
        'attendeeName-0': 'Bea Held',
        'attendeeKind-1': 'carer',
        'attendeeName-1': 'Cal Carer',
        needsChanged: 'false',
        s117StillApplies: 'true',
        s117Reasons: 'Still needs the community team',
        ...dateForm('nextReviewOn', '2027-06-09'),
      });
      expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
      const booking = await bookingRow(bookingId);
      expect(booking.status).toBe('held');
      const recorded = (await t.database.db.select().from(review).where(eq(review.id, booking.heldReviewId!)))[0]!;
      expect(recorded.id).toBe(reviewId);
      expect(recorded.status).toBe('completed');
      expect(recorded.heldOn).toBe('2026-12-09');
      const after = await b.get(`/people/${personId}/reviews/bookings/${bookingId}`);
      expect(after.body).toContain('Held: the review has been recorded');
      expect(after.body).not.toContain('Record this review');
      // Recording it again from the same booking is refused.
      const again = await b.get(`/people/${personId}/reviews/new?booking=${bookingId}`);
      expect(again.statusCode).toBe(409);
    } finally {
      clock.set('2026-12-07');
    }
  });
});
