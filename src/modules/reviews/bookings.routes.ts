/**
 * Booking a review (issue 13, item 9): book, see, change and cancel, each a page that works
 * without JavaScript. Thin: each handler reads the form, calls a use case and renders or redirects.
 */
import type { FastifyInstance } from 'fastify';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { canOnPerson } from '../../platform/access/policy.ts';
import { InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import { asArray, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import type { PersonRow } from '../register/index.ts';
import { aftercareOrganizer, bookingForm, bookingWhen, calendarFor, bookReview, cancelBooking, changeBooking, getBooking, inviteesOf, type BookingRow, type Invitee, type StaffMember } from './bookings.service.ts';
import { londonWallClock } from '../../domain/calendar-date.ts';

const v = (name: string) => `modules/reviews/views/${name}.njk`;
const EXTERNAL_ROWS = 3;

type BookingParams = { Params: { id: string; bookingId: string } };

/** Issue paths as the ids of the fields, so the error summary links to them. */
function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  const issues: FieldIssue[] = error.issues.map((i) => {
    const row = /^external\[(\d+)\]\.(\w+)$/.exec(i.path);
    if (row) return { path: `external${row[2]![0]!.toUpperCase()}${row[2]!.slice(1)}-${row[1]}`, message: i.message };
    if (/^staff(\[\d+\])?$/.test(i.path)) return { path: 'staff', message: i.message };
    return { path: i.path, message: i.message };
  });
  return toGovukErrors(issues, { date: 'date-day' });
}

function valuesFromForm(body: FormBody) {
  const external = [];
  for (let i = 0; i < EXTERNAL_ROWS; i += 1) {
    const name = asString(body[`externalName-${i}`]).trim();
    const email = asString(body[`externalEmail-${i}`]).trim();
    const role = asString(body[`externalRole-${i}`]).trim();
    if (name || email || role) external.push({ name, email, role });
  }
  const version = asString(body.version);
  return {
    ...(version ? { version: asVersion(version) } : {}),
    date: dateFromParts(body, 'date'),
    time: asString(body.time),
    durationMinutes: asString(body.durationMinutes) || '60',
    place: asString(body.place),
    videoLink: asString(body.videoLink),
    staff: asArray(body.staff),
    external,
    invitePerson: asString(body.invitePerson) === 'yes',
    personEmail: asString(body.personEmail),
    carerName: asString(body.carerName),
    carerEmail: asString(body.carerEmail),
  };
}

/** The form's fields: as sent (after a mistake), from the booking being changed, or empty. */
function formPage(p: PersonRow, staff: StaffMember[], booking: BookingRow | null, body: FormBody | null) {
  const invitees = booking ? inviteesOf(booking) : [];
  const external = invitees.filter((i) => i.kind === 'external');
  const personInvitee = invitees.find((i) => i.kind === 'person');
  const carer = invitees.find((i) => i.kind === 'carer');
  const local = booking ? londonWallClock(booking.startsAt) : null;
  const chosen = body ? new Set(asArray(body.staff)) : new Set(invitees.filter((i) => i.kind === 'staff').map((i) => i.userId));
  const value = (name: string, fromBooking: string | null | undefined) => (body ? asString(body[name]) : (fromBooking ?? ''));
  return {
    title: booking ? 'Change the booked review' : 'Book a review',
    p,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    booking,
    action: booking ? `/people/${p.id}/reviews/bookings/${booking.id}/change` : `/people/${p.id}/reviews/book`,
    date: body ? { day: asString(body['date-day']), month: asString(body['date-month']), year: asString(body['date-year']) } : dateParts(local?.date ?? null),
    values: {
      time: value('time', local?.time),
      durationMinutes: body ? asString(body.durationMinutes) : String(booking?.durationMinutes ?? 60),
      place: value('place', booking?.place),
      videoLink: value('videoLink', booking?.videoLink),
      personEmail: value('personEmail', personInvitee?.email),
      carerName: value('carerName', carer?.name),
      carerEmail: value('carerEmail', carer?.email),
      version: body ? asString(body.version) : String(booking?.version ?? ''),
    },
    invitePersonItems: [{ value: 'yes', text: 'Invite them', checked: body ? asString(body.invitePerson) === 'yes' : !!personInvitee }],
    staffItems: staff.map((s) => ({ value: s.id, text: `${s.name}${s.organisationName ? ` (${s.organisationName})` : ''}`, hint: { text: s.email }, checked: chosen.has(s.id) })),
    externalRows: Array.from({ length: EXTERNAL_ROWS }, (_, i) => ({
      i,
      name: body ? asString(body[`externalName-${i}`]) : (external[i]?.name ?? ''),
      email: body ? asString(body[`externalEmail-${i}`]) : (external[i]?.email ?? ''),
      role: body ? asString(body[`externalRole-${i}`]) : (external[i]?.detail ?? ''),
    })),
  };
}

const inviteeKindLabels: Record<Invitee['kind'], string> = { staff: '', external: '', person: 'the person', carer: 'carer or family' };

export function bookingRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/people/:id/reviews/book', async (request, reply) => {
    const { person: p, staff } = await bookingForm(request.ctx(), request.params.id, null, true);
    return reply.render(v('booking-form'), formPage(p, staff, null, null));
  });
  app.post<{ Params: { id: string } }>('/people/:id/reviews/book', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    try {
      const booking = await bookReview(ctx, request.params.id, valuesFromForm(body));
      const invited = inviteesOf(booking).filter((i) => i.email).length;
      request.session.flash = { type: 'success', text: `The review has been booked for ${bookingWhen(booking).text}. ${invited === 1 ? 'The invitation has been sent to 1 person' : `Invitations have been sent to ${invited} people`} by email.` };
      return await reply.redirect(`/people/${request.params.id}/reviews/bookings/${booking.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      const { person: p, staff } = await bookingForm(ctx, request.params.id, null, false);
      reply.status(422);
      return reply.render(v('booking-form'), { ...formPage(p, staff, null, body), errors });
    }
  });
  app.get<BookingParams>('/people/:id/reviews/bookings/:bookingId', async (request, reply) => {
    const ctx = request.ctx();
    const { person: p, booking } = await getBooking(ctx, request.params.id, request.params.bookingId);
    return reply.render(v('booking'), {
      title: booking.status === 'cancelled' ? 'Cancelled review' : booking.status === 'held' ? 'Booked review: held' : 'Booked review',
      p,
      nhsNumber: formatNhsNumber(p.nhsNumber),
      booking,
      when: bookingWhen(booking).text,
      invitees: inviteesOf(booking),
      kindLabels: inviteeKindLabels,
      canWrite: canOnPerson(ctx.actor, 'person:write', p),
    });
  });
  app.get<BookingParams>('/people/:id/reviews/bookings/:bookingId/change', async (request, reply) => {
    const { person: p, staff, booking } = await bookingForm(request.ctx(), request.params.id, request.params.bookingId, true);
    return reply.render(v('booking-form'), formPage(p, staff, booking, null));
  });
  app.post<BookingParams>('/people/:id/reviews/bookings/:bookingId/change', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    try {
      const booking = await changeBooking(ctx, request.params.id, request.params.bookingId, valuesFromForm(body));
      request.session.flash = { type: 'success', text: `The booking has been changed to ${bookingWhen(booking).text}. Everyone invited has been sent the new details.` };
      return await reply.redirect(`/people/${request.params.id}/reviews/bookings/${booking.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      const { person: p, staff, booking } = await bookingForm(ctx, request.params.id, request.params.bookingId, false);
      reply.status(422);
      return reply.render(v('booking-form'), { ...formPage(p, staff, booking, body), errors });
    }
  });
  app.get<BookingParams>('/people/:id/reviews/bookings/:bookingId/cancel', async (request, reply) => {
    const { person: p, booking } = await bookingForm(request.ctx(), request.params.id, request.params.bookingId, true);
    return reply.render(v('booking-cancel'), { title: 'Cancel the booked review', p, nhsNumber: formatNhsNumber(p.nhsNumber), booking, when: bookingWhen(booking!).text, values: {} });
  });
  app.post<BookingParams>('/people/:id/reviews/bookings/:bookingId/cancel', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    try {
      await cancelBooking(ctx, request.params.id, request.params.bookingId, { version: asVersion(body.version), reason: asString(body.reason) });
      request.session.flash = { type: 'success', text: 'The booked review has been cancelled. Everyone invited has been told. The review is still due.' };
      return await reply.redirect(`/people/${request.params.id}/reviews`);
    } catch (error) {
      const errors = errorsOf(error);
      const { person: p, booking } = await bookingForm(ctx, request.params.id, request.params.bookingId, false);
      reply.status(422);
      return reply.render(v('booking-cancel'), { title: 'Cancel the booked review', p, nhsNumber: formatNhsNumber(p.nhsNumber), booking, when: bookingWhen(booking!).text, values: { reason: asString(body.reason) }, errors });
    }
  });
  app.get<BookingParams>('/people/:id/reviews/bookings/:bookingId/invite.ics', async (request, reply) => {
    const ctx = request.ctx();
    const { booking } = await getBooking(ctx, request.params.id, request.params.bookingId);
    const ics = calendarFor(ctx, booking, aftercareOrganizer(ctx), booking.updatedAt);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="review-${londonWallClock(booking.startsAt).date}.ics"`)
      .header('Cache-Control', 'no-store')
      .send(ics);
  });
}
