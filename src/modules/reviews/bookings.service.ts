/**
 * Booking a review (issue 13, item 9): a journey of its own, separate from recording one. A
 * booking says when (England's time), where (a place or a video link) and who is invited: staff
 * chosen from the partnership's users, people outside Aftercare by name and email address, and
 * the person and their carer if wanted. Booking, changing and cancelling each queue an email to
 * every invitee with an email address through the outbox, in the same transaction, carrying the
 * calendar invitation (same UID throughout, SEQUENCE one more each time, METHOD:CANCEL when
 * cancelled) and an absolute link on the configured public address; staff invitees also see it
 * in their notifications and My work. Recording the review from a booking marks it held
 * (reviews.service.ts). Permission is checked before input; each write is audited.
 */
import { z } from 'zod';
import { isRealDate, londonInstant, londonWallClock } from '../../domain/calendar-date.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import { findBooking, findBookingsForUser, findPersonBookings, findStaff, findUserEmail, insertBooking, updateBookingAtVersion, type BookingRow } from './bookings.queries.ts';
import { bookingInvite } from './ics.ts';
import { scheduleReview } from './reviews.service.ts';

export type { BookingRow };

export const inviteeKinds = ['staff', 'external', 'person', 'carer'] as const;
export type InviteeKind = (typeof inviteeKinds)[number];
export interface Invitee {
  kind: InviteeKind;
  userId?: string;
  name: string;
  email: string | null;
  /** Their organisation (staff) or role (people outside Aftercare), when known. */
  detail?: string | null;
}

export type StaffMember = { id: string; name: string; email: string; organisationName: string | null };

const EMAIL_MESSAGE = 'Enter an email address in the correct format, like name@example.com';
const email = z.email({ error: EMAIL_MESSAGE }).max(254, { error: 'Email addresses must be 254 characters or fewer' });
const optionalEmail = z
  .string()
  .trim()
  .nullish()
  .transform((v) => (v ? v : null))
  .pipe(email.nullable());
const optional = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, { error: `${what} must be ${max} characters or fewer` })
    .nullish()
    .transform((v) => (v ? v : null));

export const bookingInputSchema = z
  .strictObject({
    version: z.int().optional(),
    date: z
      .string({ error: 'Enter the date of the review' })
      .refine((v) => v !== '', { error: 'Enter the date of the review' })
      .refine((v) => v !== 'incomplete', { error: 'The date of the review must include a day, month and year' })
      .refine((v) => v === '' || v === 'incomplete' || isRealDate(v), { error: 'The date of the review must be a real date' }),
    time: z
      .string({ error: 'Enter the time the review starts' })
      .trim()
      .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, { error: 'Enter the time the review starts as hours and minutes on the 24-hour clock, for example 14:30' }),
    durationMinutes: z.coerce
      .number({ error: 'Enter how long the review lasts, in minutes' })
      .int({ error: 'Enter how long the review lasts as a whole number of minutes' })
      .min(15, { error: 'The review must last at least 15 minutes' })
      .max(480, { error: 'The review must last 480 minutes (8 hours) or less' }),
    place: optional(500, 'Where the review will be held'),
    videoLink: z
      .string()
      .trim()
      .nullish()
      .transform((v) => (v ? v : null))
      .pipe(z.url({ protocol: /^https$/, error: 'Enter the video link as a full web address starting https://, like https://meet.example.com/abc' }).max(1000).nullable()),
    staff: z.array(z.uuid({ error: 'Choose staff to invite from the list' })).max(30, { error: 'Invite 30 members of staff or fewer' }).default([]),
    external: z
      .array(z.strictObject({ name: z.string().trim().min(1, { error: 'Enter their name' }).max(200, { error: 'Names must be 200 characters or fewer' }), email: z.string().trim().pipe(email), role: optional(200, 'Role or organisation') }))
      .max(10)
      .default([]),
    invitePerson: z.boolean().default(false),
    personEmail: optionalEmail,
    carerName: optional(200, 'The carer’s name'),
    carerEmail: optionalEmail,
  })
  .superRefine((v, ctx) => {
    if (!v.place && !v.videoLink) ctx.addIssue({ code: 'custom', path: ['place'], message: 'Enter where the review will be held, or a video link, or both' });
    if (v.carerEmail && !v.carerName) ctx.addIssue({ code: 'custom', path: ['carerName'], message: 'Enter the carer’s name' });
    if (v.personEmail && !v.invitePerson) ctx.addIssue({ code: 'custom', path: ['invitePerson'], message: 'Select “Invite them” to send the person the invitation, or leave their email address empty' });
    const reachable = v.staff.length + v.external.length + (v.invitePerson && v.personEmail ? 1 : 0) + (v.carerEmail ? 1 : 0);
    if (reachable === 0) ctx.addIssue({ code: 'custom', path: ['staff'], message: 'Choose at least one member of staff to invite, or enter the name and email address of someone to invite' });
  });
export type BookingInput = z.input<typeof bookingInputSchema>;

export const cancelInputSchema = z.strictObject({
  version: z.int(),
  reason: z.string().trim().min(1, { error: 'Enter why the review is cancelled' }).max(1000, { error: 'The reason must be 1000 characters or fewer' }),
});

/** "2:30pm", "9am", "midday", "midnight": times as GOV.UK writes them. */
export function govukTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  if (m === 0 && h === 12) return 'midday';
  if (m === 0 && h === 0) return 'midnight';
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  return `${hour12}${m === 0 ? '' : `:${String(m).padStart(2, '0')}`}${h < 12 ? 'am' : 'pm'}`;
}

/** When a booking is, in England, as people say it: "15 January 2027, 2:30pm to 4pm". */
export function bookingWhen(b: Pick<BookingRow, 'startsAt' | 'durationMinutes'>): { date: string; time: string; text: string } {
  const start = londonWallClock(b.startsAt);
  const end = londonWallClock(new Date(b.startsAt.getTime() + b.durationMinutes * 60_000));
  const endText = end.date === start.date ? govukTime(end.time) : `${govukDate(end.date)}, ${govukTime(end.time)}`;
  return { date: start.date, time: start.time, text: `${govukDate(start.date)}, ${govukTime(start.time)} to ${endText}` };
}

export const inviteesOf = (b: BookingRow): Invitee[] => b.invitees as Invitee[];

async function loadBooking(q: DbOrTx, partnershipId: string, personId: string, bookingId: string): Promise<BookingRow> {
  if (!z.uuid().safeParse(bookingId).success) throw new NotFoundError('Booking not found');
  const row = await findBooking(q, partnershipId, personId, bookingId);
  if (!row) throw new NotFoundError('Booking not found');
  return row;
}

/** What the booking form needs: the person, the staff who may be invited, and the booking being changed. Shown afresh, an audited view. */
export async function bookingForm(ctx: ServiceContext, personId: string, bookingId: string | null, shown: boolean): Promise<{ person: PersonRow; staff: StaffMember[]; booking: BookingRow | null }> {
  const load = async (q: Tx) => {
    const p = await loadPerson(q, ctx, personId, 'person:write');
    const staff = await findStaff(q, ctx.actor.partnershipId);
    const booking = bookingId ? await loadBooking(q, ctx.actor.partnershipId, personId, bookingId) : null;
    return { person: p, staff, booking };
  };
  const loaded = shown
    ? await ctx.data.transaction(async (tx, audit) => {
        const r = await load(tx);
        await audit.viewPerson(personId, { page: bookingId ? 'change-review-booking' : 'book-review' });
        return r;
      })
    : await ctx.data.read(load);
  if (loaded.booking && loaded.booking.status !== 'booked') throw new ConflictError('This review has already been held or cancelled, so its booking cannot be changed.');
  return loaded;
}

type ParsedBooking = z.output<typeof bookingInputSchema>;

/** The invitees as stored, from the form's answers: staff checked against the partnership's users (with their email addresses). */
async function inviteesFrom(q: DbOrTx, ctx: ServiceContext, p: PersonRow, data: ParsedBooking): Promise<Invitee[]> {
  const staff = await findStaff(q, ctx.actor.partnershipId);
  const chosen = [...new Set(data.staff)].map((id, i) => {
    const s = staff.find((u) => u.id === id);
    if (!s) throw new InputError([{ path: `staff[${i}]`, message: 'Choose staff to invite from the list' }]);
    return { kind: 'staff' as const, userId: s.id, name: s.name, email: s.email, detail: s.organisationName };
  });
  return [
    ...(data.invitePerson ? [{ kind: 'person' as const, name: `${p.givenName} ${p.familyName}`, email: data.personEmail }] : []),
    ...(data.carerName ? [{ kind: 'carer' as const, name: data.carerName, email: data.carerEmail }] : []),
    ...chosen,
    ...data.external.map((x) => ({ kind: 'external' as const, name: x.name, email: x.email.toLowerCase(), detail: x.role })),
  ];
}

function startOf(ctx: ServiceContext, data: ParsedBooking): Date {
  const startsAt = londonInstant(data.date, data.time.replace('.', ':'));
  if (startsAt.getTime() <= ctx.clock.now().getTime()) throw new InputError([{ path: 'date', message: 'The review must be booked for a date and time in the future' }]);
  return startsAt;
}

const bookingPath = (b: Pick<BookingRow, 'personId' | 'id'>) => `/people/${b.personId}/reviews/bookings/${b.id}`;

type Notice = 'booked' | 'changed' | 'cancelled';

/** Aftercare itself, as the organiser of an invitation nobody in particular sent. */
export const aftercareOrganizer = (ctx: ServiceContext) => ({ name: 'Aftercare', email: /<([^>]+)>/.exec(ctx.config.smtpFrom)?.[1] ?? ctx.config.smtpFrom });

/**
 * The booking's calendar invitation as it now stands: a request, or a cancellation once
 * cancelled. No names of the person: calendars are often shared and synchronised to phones.
 */
export function calendarFor(ctx: ServiceContext, booking: BookingRow, organizer: { name: string; email: string }, stamp: Date, cancelled = booking.status === 'cancelled'): string {
  const link = `${ctx.config.publicBaseUrl}${bookingPath(booking)}`;
  return bookingInvite({
    uid: `review-booking-${booking.id}@aftercare`,
    sequence: booking.sequence,
    method: cancelled ? 'CANCEL' : 'REQUEST',
    title: 'Section 117 aftercare review',
    description: `Section 117 aftercare review. Details are in Aftercare (for staff): ${link}`,
    location: [booking.place, booking.videoLink].filter(Boolean).join(' · ') || null,
    startsAt: booking.startsAt,
    durationMinutes: booking.durationMinutes,
    url: link,
    stamp,
    organizer,
    attendees: inviteesOf(booking).filter((i): i is Invitee & { email: string } => !!i.email).map((i) => ({ name: i.name, email: i.email })),
  });
}

/** Queue the email (with its calendar invitation) for each invitee with an email address. */
async function sendInvitations(tx: Tx, ctx: ServiceContext, p: PersonRow, booking: BookingRow, notice: Notice, to: Invitee[]): Promise<number> {
  const link = `${ctx.config.publicBaseUrl}${bookingPath(booking)}`;
  const organizer = ctx.actor.userId ? await findUserEmail(tx, ctx.actor.userId) : undefined;
  const from = organizer ?? aftercareOrganizer(ctx);
  const when = bookingWhen(booking);
  const name = `${p.givenName} ${p.familyName}`;
  const where = [booking.place ? `Where: ${booking.place}` : null, booking.videoLink ? `Video link: ${booking.videoLink}` : null].filter(Boolean).join('\n');
  const cancelling = notice === 'cancelled';
  // Someone no longer invited is sent a cancellation of the event in their calendar.
  const ics = calendarFor(ctx, booking, from, ctx.clock.now(), cancelling);
  const subject = {
    booked: `Invitation: section 117 aftercare review on ${govukDate(when.date)}`,
    changed: `Changed: section 117 aftercare review, now on ${govukDate(when.date)}`,
    cancelled: `Cancelled: section 117 aftercare review on ${govukDate(when.date)}`,
  }[notice];
  const opening = {
    booked: `You are invited to a section 117 aftercare review for ${name}.`,
    changed: `The section 117 aftercare review for ${name} has changed. This is the new date, time and place.`,
    cancelled: `The section 117 aftercare review for ${name} has been cancelled.${booking.cancelledReason ? ` The reason given: ${booking.cancelledReason}` : ''}`,
  }[notice];
  const calendarLine = cancelling ? 'The cancellation is attached: open it to remove the review from your calendar.' : 'The calendar invitation is attached: open it to add the review to your calendar.';
  let queued = 0;
  for (const invitee of to) {
    if (!invitee.email) continue;
    const body = [
      opening,
      `When: ${when.text} (UK time)`,
      ...(where ? [where] : []),
      `Booked by ${from.name}${organizer ? ` (${from.email})` : ''}. If you cannot come, tell them.`,
      calendarLine,
      ...(invitee.kind === 'staff' ? ['You can see the booking in Aftercare:'] : []),
    ].join('\n\n');
    const added = await queueNotification(
      tx,
      {
        partnershipId: ctx.actor.partnershipId,
        dedupeKey: `review-booking:${booking.id}:${booking.sequence}:${invitee.email}`,
        kind: `review-${notice}`,
        recipientUserId: invitee.kind === 'staff' ? (invitee.userId ?? null) : null,
        recipientEmail: invitee.email,
        personId: p.id,
        subject,
        body,
        // People outside Aftercare cannot sign in to it: the link is for staff.
        link: invitee.kind === 'staff' ? link : null,
        attachment: { name: cancelling ? 'review-cancelled.ics' : 'review-invitation.ics', type: `text/calendar; method=${cancelling ? 'CANCEL' : 'REQUEST'}; charset=utf-8`, content: Buffer.from(ics, 'utf8') },
      },
      'email',
    );
    if (added) queued += 1;
  }
  return queued;
}

/** Book a review: the scheduled review it is for (made if there is none), the booking, and the invitations. */
export async function bookReview(ctx: ServiceContext, personId: string, input: unknown): Promise<BookingRow> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:write');
    // Permission before input (issue 12, finding 10).
    const data = parseInput(bookingInputSchema, input);
    const startsAt = startOf(ctx, data);
    const invitees = await inviteesFrom(tx, ctx, p, data);
    const scheduled = await scheduleReview(tx, audit, ctx, p);
    const booking = await insertBooking(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      reviewId: scheduled.id,
      startsAt,
      durationMinutes: data.durationMinutes,
      place: data.place,
      videoLink: data.videoLink,
      invitees,
      createdBy: ctx.actor.userId,
    });
    const sent = await sendInvitations(tx, ctx, p, booking, 'booked', invitees);
    await audit.change({ action: 'review.booked', subjectType: 'person', subjectId: personId, after: { booking, invitationsQueued: sent } });
    return booking;
  });
}

/** Change a booking saved at `version`: its invitees get the updated invitation, anyone no longer invited a cancellation. */
export async function changeBooking(ctx: ServiceContext, personId: string, bookingId: string, input: unknown): Promise<BookingRow> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:write');
    const before = await loadBooking(tx, ctx.actor.partnershipId, personId, bookingId);
    const data = parseInput(bookingInputSchema, input);
    if (before.status !== 'booked' || (data.version !== undefined && data.version !== before.version)) throw new ConflictError();
    const startsAt = startOf(ctx, data);
    const invitees = await inviteesFrom(tx, ctx, p, data);
    const updated = expectOneUpdated(
      await updateBookingAtVersion(tx, ctx.actor.partnershipId, bookingId, before.version, {
        startsAt,
        durationMinutes: data.durationMinutes,
        place: data.place,
        videoLink: data.videoLink,
        invitees,
        sequence: before.sequence + 1,
        updatedAt: ctx.clock.now(),
      }),
    );
    const stillInvited = new Set(invitees.map((i) => i.email).filter(Boolean));
    const dropped = inviteesOf(before).filter((i) => i.email && !stillInvited.has(i.email));
    await sendInvitations(tx, ctx, p, updated, 'changed', invitees);
    if (dropped.length > 0) await sendInvitations(tx, ctx, p, { ...updated, cancelledReason: null }, 'cancelled', dropped);
    await audit.change({ action: 'review-booking.changed', subjectType: 'person', subjectId: personId, before, after: updated });
    return updated;
  });
}

/** Cancel a booking saved at `version`, with the reason: every invitee gets the cancellation. The review stays due. */
export async function cancelBooking(ctx: ServiceContext, personId: string, bookingId: string, input: unknown): Promise<BookingRow> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:write');
    const before = await loadBooking(tx, ctx.actor.partnershipId, personId, bookingId);
    const data = parseInput(cancelInputSchema, input);
    if (before.status !== 'booked' || data.version !== before.version) throw new ConflictError();
    const updated = expectOneUpdated(
      await updateBookingAtVersion(tx, ctx.actor.partnershipId, bookingId, before.version, { status: 'cancelled', cancelledReason: data.reason, sequence: before.sequence + 1, updatedAt: ctx.clock.now() }),
    );
    await sendInvitations(tx, ctx, p, updated, 'cancelled', inviteesOf(updated));
    await audit.change({ action: 'review-booking.cancelled', subjectType: 'person', subjectId: personId, before, after: updated });
    return updated;
  });
}

/** One booking, as its page (an audited view of the person's record). */
export async function getBooking(ctx: ServiceContext, personId: string, bookingId: string): Promise<{ person: PersonRow; booking: BookingRow }> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const booking = await loadBooking(tx, ctx.actor.partnershipId, personId, bookingId);
    await audit.viewPerson(personId, { reviewBooking: bookingId });
    return { person: p, booking };
  });
}

/** The person's bookings (the caller has read-checked the person), soonest first. */
export async function personBookings(ctx: ServiceContext, personId: string, statuses?: Array<BookingRow['status']>): Promise<BookingRow[]> {
  return ctx.data.read((q) => findPersonBookings(q, ctx.actor.partnershipId, personId, statuses));
}

/** Booked reviews still to come that I am invited to or booked: for My work. */
export async function myBookedReviews(ctx: ServiceContext): Promise<Array<{ booking: BookingRow; name: string; when: string }>> {
  const userId = ctx.actor.userId;
  if (!userId) return [];
  const rows = await ctx.data.read((q) => findBookingsForUser(q, ctx.actor.partnershipId, userId, ctx.clock.now()));
  return rows.map((r) => ({ booking: r.booking, name: `${r.givenName} ${r.familyName}`, when: bookingWhen(r.booking).text }));
}
