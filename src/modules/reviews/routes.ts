/**
 * Review, meeting, My work, notification and outbox pages (issue 6). Thin: each handler reads
 * the form or query, calls a use case and renders or redirects. Everything works without
 * JavaScript: repeated rows are a fixed number of blank rows; filters are a GET form.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { can, canOnPerson } from '../../platform/access/policy.ts';
import { ForbiddenError, InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import { asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { markMineRead, myNotifications, myUnreadCount, outboxView, retryFromOutbox } from '../../platform/notifications/inbox.ts';
import { listPractitioners } from '../register/index.ts';
import { carersAtReview } from '../carers/index.ts';
import { waitingSummary } from '../work/index.ts';
import { statusLabels } from '../register/index.ts';
import { bookingRoutes } from './bookings.routes.ts';
import { bookingWhen, inviteesOf, myBookedReviews, personBookings, type Invitee } from './bookings.service.ts';
import { meetingInvite } from './ics.ts';
import { londonWallClock } from '../../domain/calendar-date.ts';
import { createMeeting, getMeeting, listMeetings, meetingKindLabels, meetingKinds, setActionDone } from './meetings.service.ts';
import { loadMyWork, myTeams, parseMyWorkQuery, type MyWorkQuery } from './mywork.queries.ts';
import { formatLongDate } from './reminders.ts';
import { attendeeKindLabels, attendeeKinds, completeReview, getReview, listReviews, reviewForm, type ReviewFormData } from './reviews.service.ts';

const v = (name: string) => `modules/reviews/views/${name}.njk`;
const ATTENDEE_ROWS = 6;
/** Rows the review form reads: enough for everyone a booked review invited (the schema takes 30). */
const MAX_ATTENDEE_ROWS = 30;
const MEETING_ATTENDEE_ROWS = 5;
const ACTION_ROWS = 3;

/** Issue paths as the ids of the fields on the forms, so the error summary links to them. */
function fieldIdOf(path: string): string {
  const row = /^(attendees|actions|goalOutcomes)\[(\d+)\]\.(\w+)$/.exec(path);
  if (row) {
    const [, list, i, field] = row;
    const prefix = list === 'attendees' ? 'attendee' : list === 'actions' ? 'action' : 'goal';
    return `${prefix}${field![0]!.toUpperCase()}${field!.slice(1)}-${i}`;
  }
  if (path === 'attendees') return 'attendeeName-0';
  if (path === 'heldOn' || path === 'nextReviewOn' || path === 'date') return path;
  return path;
}

function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  const issues: FieldIssue[] = error.issues.map((i) => ({ path: fieldIdOf(i.path), message: i.message }));
  return toGovukErrors(issues, { heldOn: 'heldOn-day', nextReviewOn: 'nextReviewOn-day', date: 'date-day', needsChanged: 'needsChanged', s117StillApplies: 's117StillApplies', kind: 'kind' });
}

const rawDate = (body: FormBody, name: string) => ({ day: asString(body[`${name}-day`]), month: asString(body[`${name}-month`]), year: asString(body[`${name}-year`]) });

// ---------------------------------------------------------------------------
// Review form
// ---------------------------------------------------------------------------

function reviewValuesFromForm(body: FormBody, goals: string[]) {
  const attendees = [];
  for (let i = 0; i < MAX_ATTENDEE_ROWS; i += 1) {
    const name = asString(body[`attendeeName-${i}`]).trim();
    const role = asString(body[`attendeeRole-${i}`]).trim();
    if (!name && !role) continue;
    attendees.push({ kind: asString(body[`attendeeKind-${i}`]) || 'professional', name, role });
  }
  const bool = (x: string) => (x === 'true' ? true : x === 'false' ? false : undefined);
  const reviewId = asString(body.reviewId);
  const bookingId = asString(body.bookingId);
  return {
    version: asVersion(body.version),
    ...(reviewId ? { reviewId } : {}),
    ...(bookingId ? { bookingId } : {}),
    heldOn: dateFromParts(body, 'heldOn'),
    attendees,
    goalOutcomes: goals.map((goal, i) => ({ goal, outcome: asString(body[`goalOutcome-${i}`]) })),
    needsChanged: bool(asString(body.needsChanged)),
    s117StillApplies: bool(asString(body.s117StillApplies)),
    s117Reasons: asString(body.s117Reasons),
    riskUpdate: asString(body.riskUpdate),
    contingencyUpdate: asString(body.contingencyUpdate),
    personView: asString(body.personView),
    nextReviewOn: dateFromParts(body, 'nextReviewOn'),
  };
}

/** The attendees a booked review invited, as the review form's rows: the person first. */
function attendeesFromBooking(invitees: Invitee[], p: ReviewFormData['person']): Array<{ kind: string; name: string; role: string }> {
  const kindOf: Record<Invitee['kind'], string> = { person: 'person', carer: 'carer', staff: 'professional', external: 'professional' };
  const rows = invitees.map((i) => ({ kind: kindOf[i.kind], name: i.name, role: i.detail ?? '' }));
  if (!rows.some((r) => r.kind === 'person')) rows.unshift({ kind: 'person', name: `${p.givenName} ${p.familyName}`, role: '' });
  return rows.sort((a, b) => Number(b.kind === 'person') - Number(a.kind === 'person'));
}

function reviewPage(data: ReviewFormData, body: FormBody | null) {
  const p = data.person;
  const fromBooking = data.booking ? attendeesFromBooking(inviteesOf(data.booking), p) : null;
  const rowCount = Math.min(MAX_ATTENDEE_ROWS, Math.max(ATTENDEE_ROWS, (fromBooking?.length ?? 0) + 2));
  const rows = Array.from({ length: rowCount }, (_, i) => {
    const kind = body ? asString(body[`attendeeKind-${i}`]) : fromBooking ? (fromBooking[i]?.kind ?? 'professional') : i === 0 ? 'person' : 'professional';
    return {
      i,
      name: body ? asString(body[`attendeeName-${i}`]) : fromBooking ? (fromBooking[i]?.name ?? '') : i === 0 ? `${p.givenName} ${p.familyName}` : '',
      role: body ? asString(body[`attendeeRole-${i}`]) : fromBooking ? (fromBooking[i]?.role ?? '') : '',
      kindItems: attendeeKinds.map((k) => ({ value: k, text: attendeeKindLabels[k], selected: kind === k })),
    };
  });
  const radio = (name: string) => (body ? asString(body[name]) : '');
  return {
    title: 'Record a section 117 review',
    p,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    form: data,
    attendeeRows: rows,
    goals: data.goals.map((goal, i) => ({ i, goal, outcome: body ? asString(body[`goalOutcome-${i}`]) : '' })),
    needsChangedItems: [
      { value: 'true', text: 'Yes', checked: radio('needsChanged') === 'true', hint: { text: 'A new version of the plan will be started for you, as a copy of the approved plan' } },
      { value: 'false', text: 'No', checked: radio('needsChanged') === 'false' },
    ],
    s117Items: [
      { value: 'true', text: 'Yes', checked: radio('s117StillApplies') === 'true' },
      { value: 'false', text: 'No', checked: radio('s117StillApplies') === 'false', hint: { text: 'Ending aftercare is a joint decision of the local authority and the ICB: after saving you can propose ending it' } },
    ],
    values: body ? { s117Reasons: asString(body.s117Reasons), riskUpdate: asString(body.riskUpdate), contingencyUpdate: asString(body.contingencyUpdate), personView: asString(body.personView) } : {},
    dates: { heldOn: body ? rawDate(body, 'heldOn') : dateParts(data.defaultHeldOn), nextReviewOn: body ? rawDate(body, 'nextReviewOn') : dateParts(data.defaultNextReview) },
    version: body ? asString(body.version) : String(data.scheduled ? data.scheduled.version : p.version),
    reviewId: data.scheduled?.id ?? '',
    bookingId: data.booking?.id ?? '',
    bookedFor: data.booking ? bookingWhen(data.booking).text : null,
    intervalMonths: data.policy.reviewIntervalMonths,
  };
}

async function unread(ctx: ServiceContext): Promise<number> {
  return myUnreadCount(ctx);
}

function myWorkLink(q: MyWorkQuery, change: Partial<MyWorkQuery>): string {
  const next = { ...q, ...change };
  const params = new URLSearchParams();
  params.set('scope', next.scope);
  if (next.team) params.set('team', next.team);
  if (next.show !== 'all') params.set('show', next.show);
  params.set('sort', next.sort);
  params.set('order', next.order);
  return `/my-work?${params.toString()}`;
}

function requireAdmin(request: FastifyRequest) {
  const ctx = request.ctx();
  if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
  return ctx;
}

type PersonParams = { Params: { id: string } };
type ReviewParams = { Params: { id: string; reviewId: string } };
type MeetingParams = { Params: { id: string; meetingId: string } };

export function reviewRoutes(app: FastifyInstance): void {
  bookingRoutes(app);
  // ---- My work
  app.get<{ Querystring: Record<string, unknown> }>('/my-work', async (request, reply) => {
    const ctx = request.ctx();
    if (!can(ctx.actor, 'person:write')) throw new ForbiddenError();
    const teams = await myTeams(ctx);
    const q = parseMyWorkQuery(request.query, teams.map((t) => t.id));
    const today = ctx.today();
    const [work, unreadNotifications, waiting, bookedReviews] = await Promise.all([loadMyWork(ctx, q, teams.map((t) => t.id), today), unread(ctx), waitingSummary(ctx), myBookedReviews(ctx)]);
    const sortLink = (key: MyWorkQuery['sort']) => myWorkLink(q, { sort: key, order: q.sort === key && q.order === 'asc' ? 'desc' : 'asc' });
    const ariaSort = (key: MyWorkQuery['sort']) => (q.sort === key ? (q.order === 'asc' ? 'ascending' : 'descending') : 'none');
    return reply.render(v('my-work'), {
      title: 'My work',
      q,
      work,
      today,
      unreadNotifications,
      ...waiting,
      bookedReviews,
      teamItems: [{ value: '', text: 'All my teams', selected: !q.team }, ...teams.map((t) => ({ value: t.id, text: `${t.name} (${t.organisationName})`, selected: q.team === t.id }))],
      scopeItems: [
        { value: 'me', text: 'People I am lead practitioner for', checked: q.scope === 'me' },
        { value: 'team', text: 'My teams’ people', checked: q.scope === 'team' },
      ],
      showItems: [
        { value: 'all', text: 'Everything', selected: q.show === 'all' },
        { value: 'overdue', text: 'Overdue reviews', selected: q.show === 'overdue' },
        { value: 'due', text: 'Reviews due in the next 30 days', selected: q.show === 'due' },
        { value: 'tasks', text: 'Open tasks and actions', selected: q.show === 'tasks' },
        { value: 'flags', text: 'Flags', selected: q.show === 'flags' },
      ],
      sortItems: [
        { value: 'due', text: 'Due date', selected: q.sort === 'due' },
        { value: 'name', text: 'Name', selected: q.sort === 'name' },
      ],
      orderItems: [
        { value: 'asc', text: 'Ascending (earliest or A first)', selected: q.order === 'asc' },
        { value: 'desc', text: 'Descending (latest or Z first)', selected: q.order === 'desc' },
      ],
      sortLinks: { due: sortLink('due'), name: sortLink('name') },
      ariaSort: { due: ariaSort('due'), name: ariaSort('name') },
      longDate: formatLongDate,
    });
  });

  // ---- Notifications shown in the app (the recipient's own only)
  app.get('/notifications', async (request, reply) => {
    const ctx = request.ctx();
    const rows = await myNotifications(ctx);
    return reply.render(v('notifications'), { title: 'Notifications', notifications: rows, unreadCount: rows.filter((n) => !n.readAt).length });
  });
  app.post('/notifications/read', async (request, reply) => {
    const ctx = request.ctx();
    await markMineRead(ctx);
    request.session.flash = { type: 'success', text: 'All notifications have been marked as read.' };
    return reply.redirect('/notifications');
  });

  // ---- The outbox, for administrators of the lead organisation
  app.get<{ Querystring: { status?: string } }>('/admin/outbox', async (request, reply) => {
    const ctx = requireAdmin(request);
    const status = request.query.status === 'pending' || request.query.status === 'sent' || request.query.status === 'failed' ? request.query.status : null;
    const { rows, counts } = await outboxView(ctx, status);
    return reply.render(v('outbox'), { title: 'Notification outbox', rows, counts, status, emailConfigured: Boolean(ctx.config.smtpUrl) });
  });
  app.post<{ Params: { notificationId: string } }>('/admin/outbox/:notificationId/retry', async (request, reply) => {
    const ctx = requireAdmin(request);
    const ok = await retryFromOutbox(ctx, request.params.notificationId);
    request.session.flash = { type: ok ? 'success' : 'important', text: ok ? 'The notification will be sent again.' : 'Only a failed notification can be sent again.' };
    return reply.redirect('/admin/outbox');
  });

  // ---- Reviews
  app.get<PersonParams>('/people/:id/reviews', async (request, reply) => {
    const ctx = request.ctx();
    const { person: p, reviews } = await listReviews(ctx, request.params.id);
    const { meetings } = await listMeetings(ctx, request.params.id);
    const bookings = await personBookings(ctx, request.params.id);
    return reply.render(v('reviews'), {
      bookings: bookings.map((b) => ({ ...b, when: bookingWhen(b).text })),
      title: `Reviews and meetings: ${p.givenName} ${p.familyName}`,
      p,
      nhsNumber: formatNhsNumber(p.nhsNumber),
      reviews,
      meetings,
      canWrite: canOnPerson(ctx.actor, 'person:write', p),
      today: ctx.today(),
      personStatus: statusLabels[p.status],
      kindLabels: meetingKindLabels,
      when: (d: Date) => londonWallClock(d),
    });
  });
  app.get<PersonParams & { Querystring: { review?: string; booking?: string } }>('/people/:id/reviews/new', async (request, reply) => {
    const data = await reviewForm(request.ctx(), request.params.id, request.query.review ?? null, 'review-form', request.query.booking ?? null);
    // Issue 16, item 5: each carer, whether they were offered an assessment, and the offer recorded from here.
    const reviewCarers = await carersAtReview(request.ctx(), data.person);
    return reply.render(v('review-form'), { ...reviewPage(data, null), reviewCarers, mayOffer: true, returnTo: `/people/${request.params.id}/reviews/new` });
  });
  app.post<PersonParams>('/people/:id/reviews/new', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    const reviewId = asString(body.reviewId) || null;
    const data = await reviewForm(ctx, request.params.id, reviewId, undefined, asString(body.bookingId) || null);
    try {
      const done = await completeReview(ctx, request.params.id, reviewValuesFromForm(body, data.goals));
      const next = done.nextReviewDue ? ` The next review is due on ${formatLongDate(done.nextReviewDue)}.` : '';
      const plan = done.newPlan ? ` Draft plan ${done.newPlan.planNumber} has been started because their needs changed.` : '';
      request.session.flash = { type: 'success', text: `The review has been recorded.${next}${plan}` };
      return await reply.redirect(`/people/${request.params.id}/reviews/${done.review.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      const reviewCarers = await carersAtReview(ctx, data.person);
      return reply.render(v('review-form'), { ...reviewPage(data, body), reviewCarers, mayOffer: true, returnTo: `/people/${request.params.id}/reviews/new`, errors });
    }
  });
  app.get<ReviewParams>('/people/:id/reviews/:reviewId', async (request, reply) => {
    const { person: p, review } = await getReview(request.ctx(), request.params.id, request.params.reviewId);
    const reviewCarers = await carersAtReview(request.ctx(), p);
    return reply.render(v('review'), {
      reviewCarers,
      mayOffer: canOnPerson(request.ctx().actor, 'person:write', p),
      returnTo: `/people/${request.params.id}/reviews/${request.params.reviewId}`,
      title: review.status === 'completed' ? `Review held on ${formatLongDate(review.heldOn!)}` : 'Scheduled review',
      p,
      nhsNumber: formatNhsNumber(p.nhsNumber),
      review,
      attendees: review.attendees as Array<{ kind: keyof typeof attendeeKindLabels; name: string; role: string | null }>,
      goalOutcomes: review.goalOutcomes as Array<{ goal: string; outcome: string | null }>,
      kindLabels: attendeeKindLabels,
    });
  });

  // ---- Meetings
  app.get<PersonParams>('/people/:id/meetings', async (request, reply) => reply.redirect(`/people/${request.params.id}/reviews#meetings`));
  app.get<PersonParams>('/people/:id/meetings/new', async (request, reply) => {
    const ctx = request.ctx();
    const data = await reviewForm(ctx, request.params.id, null, 'meeting-form');
    return reply.render(v('meeting-form'), await meetingPage(ctx, data, null));
  });
  app.post<PersonParams>('/people/:id/meetings/new', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    try {
      const m = await createMeeting(ctx, request.params.id, meetingValuesFromForm(body));
      request.session.flash = { type: 'success', text: 'The meeting has been recorded. You can download an invitation for calendars.' };
      return await reply.redirect(`/people/${request.params.id}/meetings/${m.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      const data = await reviewForm(ctx, request.params.id);
      reply.status(422);
      return reply.render(v('meeting-form'), { ...(await meetingPage(ctx, data, body)), errors });
    }
  });
  app.get<MeetingParams>('/people/:id/meetings/:meetingId', async (request, reply) => {
    const ctx = request.ctx();
    const { person: p, meeting, actions } = await getMeeting(ctx, request.params.id, request.params.meetingId);
    const local = londonWallClock(meeting.startsAt);
    return reply.render(v('meeting'), {
      title: `${meetingKindLabels[meeting.kind]} on ${formatLongDate(local.date)}`,
      p,
      nhsNumber: formatNhsNumber(p.nhsNumber),
      meeting,
      local,
      actions,
      attendees: meeting.attendees as Array<{ name: string; role: string | null; organisation: string | null }>,
      canWrite: canOnPerson(ctx.actor, 'person:write', p),
      today: ctx.today(),
      kindLabel: meetingKindLabels[meeting.kind],
    });
  });
  app.post<{ Params: { id: string; meetingId: string; actionId: string } }>('/people/:id/meetings/:meetingId/actions/:actionId', async (request, reply) => {
    const body = formBody(request.body);
    const done = asString(body.done) === 'true';
    await setActionDone(request.ctx(), request.params.id, request.params.meetingId, request.params.actionId, asVersion(body.version), done);
    request.session.flash = { type: 'success', text: done ? 'The action has been marked as done.' : 'The action has been marked as not done.' };
    return reply.redirect(`/people/${request.params.id}/meetings/${request.params.meetingId}#actions`);
  });
  app.get<MeetingParams>('/people/:id/meetings/:meetingId/invite.ics', async (request, reply) => {
    const ctx = request.ctx();
    const { meeting } = await getMeeting(ctx, request.params.id, request.params.meetingId, 'invitation');
    // No names in the invitation: calendars are often shared and synchronised to phones. The link
    // is absolute (a calendar has no page to be relative to), on the configured public address
    // (PUBLIC_BASE_URL), never on a Host header somebody sent.
    const link = `${ctx.config.publicBaseUrl}/people/${request.params.id}/meetings/${meeting.id}`;
    const ics = meetingInvite({
      uid: `${meeting.id}@aftercare`,
      title: meeting.kind === 'review' ? 'Section 117 review meeting' : 'MDT meeting (section 117 aftercare)',
      description: `Details are in Aftercare: ${link}`,
      url: link,
      location: meeting.location,
      startsAt: meeting.startsAt,
      durationMinutes: meeting.durationMinutes,
    });
    return reply
      .type('text/calendar; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="meeting-${londonWallClock(meeting.startsAt).date}.ics"`)
      .header('Cache-Control', 'no-store')
      .send(ics);
  });
}

function meetingValuesFromForm(body: FormBody) {
  const attendees = [];
  for (let i = 0; i < MEETING_ATTENDEE_ROWS; i += 1) {
    const name = asString(body[`attendeeName-${i}`]).trim();
    const role = asString(body[`attendeeRole-${i}`]).trim();
    const organisation = asString(body[`attendeeOrganisation-${i}`]).trim();
    if (name || role || organisation) attendees.push({ name, role, organisation });
  }
  const actions = [];
  for (let i = 0; i < ACTION_ROWS; i += 1) {
    const description = asString(body[`actionDescription-${i}`]).trim();
    const owner = asString(body[`actionOwner-${i}`]);
    const dueOn = dateFromParts(body, `actionDueOn-${i}`);
    if (description || owner || dueOn) actions.push({ description, ownerUserId: owner || null, dueOn: dueOn || null });
  }
  return {
    kind: asString(body.kind) || undefined,
    date: dateFromParts(body, 'date'),
    time: asString(body.time),
    durationMinutes: asString(body.durationMinutes) || '60',
    location: asString(body.location),
    attendees,
    discussion: asString(body.discussion),
    decisions: asString(body.decisions),
    actions,
  };
}

async function meetingPage(ctx: ServiceContext, data: ReviewFormData, body: FormBody | null) {
  const p = data.person;
  const practitioners = await listPractitioners(ctx);
  const kind = body ? asString(body.kind) : '';
  return {
    title: 'Record a review or MDT meeting',
    p,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    kindItems: meetingKinds.map((k) => ({ value: k, text: meetingKindLabels[k], checked: kind === k })),
    date: body ? rawDate(body, 'date') : dateParts(null),
    values: body
      ? { time: asString(body.time), durationMinutes: asString(body.durationMinutes), location: asString(body.location), discussion: asString(body.discussion), decisions: asString(body.decisions) }
      : { durationMinutes: '60' },
    attendeeRows: Array.from({ length: MEETING_ATTENDEE_ROWS }, (_, i) => ({
      i,
      name: body ? asString(body[`attendeeName-${i}`]) : '',
      role: body ? asString(body[`attendeeRole-${i}`]) : '',
      organisation: body ? asString(body[`attendeeOrganisation-${i}`]) : '',
    })),
    actionRows: Array.from({ length: ACTION_ROWS }, (_, i) => {
      const owner = body ? asString(body[`actionOwner-${i}`]) : '';
      return {
        i,
        description: body ? asString(body[`actionDescription-${i}`]) : '',
        ownerItems: [{ value: '', text: 'Choose who', selected: !owner }, ...practitioners.map((u) => ({ value: u.id, text: `${u.name} (${u.organisationName})`, selected: owner === u.id }))],
        dueOn: body ? rawDate(body, `actionDueOn-${i}`) : dateParts(null),
      };
    }),
  };
}

