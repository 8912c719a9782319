import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, dateForm, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { deliverPending, type MailTransport } from '../../platform/notifications/outbox.ts';
import { person, team } from '../register/schema.ts';
import { queueReviewReminders } from './reminders.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { review } from './schema.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { cliContext } from '../../cli/context.ts';
import { createToken } from '../admin/tokens.service.ts';
import { addMonths } from '../../domain/calendar-date.ts';
import { actorFor, clockAt, contextFor, createPartnership, entitledPerson, nhsNumbers } from '../../../test/fixtures.ts';
import { createMeeting, setActionDone } from './meetings.service.ts';
import { meetingAction } from './schema.ts';

let t: TestApp;
let practitionerId: string;
let managerId: string;
let seniorId: string;
let teamId: string;
beforeAll(async () => {
  t = await createTestApp({ PUBLIC_BASE_URL: 'https://aftercare.northvale.example' });
  const db = t.database.db;
  const user = async (email: string) => (await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;
  practitionerId = await user(demo.practitioner);
  managerId = await user(demo.manager);
  seniorId = await user(demo.senior);
  const northvale = (await db.select({ id: organisation.id }).from(organisation).where(eq(organisation.code, 'E06000901')))[0]!.id;
  teamId = (await db.select({ id: team.id }).from(team).where(eq(team.organisationId, northvale)))[0]!.id;
});
afterAll(async () => {
  await t.close();
});

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);

/** Entitled after an s3 detention in 2024, allocated to a Northvale team with the practitioner as lead: the first review is long overdue. */
async function overduePerson(b: Browser, nhsNumber: string, familyName: string): Promise<string> {
  await b.get('/people/new');
  const res = await b.post('/people/new', {
    nhsNumber, givenName: 'Robin', familyName, ...dateForm('dateOfBirth', '1980-05-17'), sex: 'not-known', engagement: 'engaged', interpreterNeeded: 'false', dischargePlanning: 'not-started',
    allocatedTeamId: teamId, leadPractitionerId: practitionerId,
  });
  expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
  const id = /\/people\/([0-9a-f-]+)\/history/.exec(res.headers.location as string)![1]!;
  const events: Array<[string, Record<string, string>]> = [
    ['detention-started', { ...dateForm('date', '2024-01-10'), legalStatusCode: '03', hospital: 'Northvale Hospital', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' }],
    ['detention-ended', { ...dateForm('date', '2024-03-01'), reason: 'discharged' }],
    ['left-hospital', dateForm('date', '2024-03-01')],
  ];
  for (const [type, fields] of events) {
    await b.get(`/people/${id}/events/new/${type}`);
    await b.post(`/people/${id}/events/new/${type}`, fields);
    expect((await b.post(`/people/${id}/events/new/${type}`, { ...fields, confirm: 'yes' })).statusCode).toBe(302);
  }
  return id;
}

const personRow = async (id: string) => (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;

describe('reviews', () => {
  let b: Browser;
  let id: string;
  beforeAll(async () => {
    b = await signedIn(demo.practitioner);
    id = await overduePerson(b, '9990000026', 'Reviewperson');
  });

  it('shows the overdue review in My work, and completing it moves the register’s next review date', async () => {
    const before = await personRow(id);
    expect(before.status).toBe('entitled');
    expect(before.nextReviewDue! < todayInLondon()).toBe(true);

    let work = await b.get('/my-work');
    expect(work.statusCode).toBe(200);
    expect(work.body).toContain('Reviewperson');
    const overdueTable = /data-qa="overdue"[\s\S]*?<\/table>/.exec(work.body)![0];
    expect(overdueTable).toContain(`/people/${id}`);

    const form = await b.get(`/people/${id}/reviews/new`);
    expect(form.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;

    // Errors first: nothing chosen for the questions.
    const bad = await b.post(`/people/${id}/reviews/new`, { version, ...dateForm('heldOn', todayInLondon()), 'attendeeKind-0': 'person', 'attendeeName-0': 'Robin Reviewperson', s117Reasons: '', ...dateForm('nextReviewOn', addMonths(todayInLondon(), 6)) });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('href="#needsChanged"');

    const held = todayInLondon();
    const res = await b.post(`/people/${id}/reviews/new`, {
      version,
      ...dateForm('heldOn', held),
      'attendeeKind-0': 'person',
      'attendeeName-0': 'Robin Reviewperson',
      'attendeeKind-1': 'advocate',
      'attendeeName-1': 'Ash Advocate',
      'attendeeRole-1': 'IMHA',
      needsChanged: 'false',
      s117StillApplies: 'true',
      s117Reasons: 'Still needs supported accommodation to stay well',
      personView: 'Happy with the support',
      ...dateForm('nextReviewOn', addMonths(held, 12)),
    });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    const after = await personRow(id);
    expect(after.nextReviewDue).toBe(addMonths(held, 12));
    const stored = (await t.database.db.select().from(review).where(eq(review.personId, id)))[0]!;
    expect(stored.status).toBe('completed');
    expect(stored.legalEventId).not.toBeNull();

    const page = await b.get(`/people/${id}`);
    expect(/data-qa="next-review">([^<]+)</.exec(page.body)![1]).not.toBe('None scheduled');
    expect(page.body).not.toMatch(/data-qa="next-review">[^]*?Overdue<\/strong><\/span>/);
    work = await b.get('/my-work?scope=me&show=overdue');
    expect(work.body).not.toContain(`/people/${id}"`);
    const list = await b.get(`/people/${id}/reviews`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('data-qa="reviews"');

    // The same form again at the old version: somebody else already saved.
    const stale = await b.post(`/people/${id}/reviews/new`, { version, ...dateForm('heldOn', held), 'attendeeName-0': 'Robin', 'attendeeKind-0': 'person', needsChanged: 'false', s117StillApplies: 'true', s117Reasons: 'x', ...dateForm('nextReviewOn', addMonths(held, 6)) });
    expect(stale.statusCode).toBe(409);
  });

  it('records a review through the API and lists reviews and meetings', async () => {
    const other = await overduePerson(b, '9990000034', 'Apireview');
    const v = (await personRow(other)).version;
    const held = todayInLondon();
    const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    const token = (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `Reviews API ${Math.random()}` })).token;
    const call = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    const body = { version: v, heldOn: held, attendees: [{ kind: 'person', name: 'Robin' }], needsChanged: false, s117StillApplies: true, s117Reasons: 'Still needed', nextReviewOn: addMonths(held, 12) };
    const invalid = await call('POST', `/api/v1/people/${other}/reviews`, { ...body, nextReviewOn: addMonths(held, 13) });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().errors[0].path).toBe('nextReviewOn');
    const res = await call('POST', `/api/v1/people/${other}/reviews`, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().nextReviewDue).toBe(addMonths(held, 12));
    expect((await personRow(other)).nextReviewDue).toBe(addMonths(held, 12));
    expect((await call('POST', `/api/v1/people/${other}/reviews`, body)).statusCode).toBe(409);
    const listed = await call('GET', `/api/v1/people/${other}/reviews`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().reviews).toHaveLength(1);
    expect(listed.json().reviews[0].legalEventId).not.toBeNull();
    expect((await call('GET', `/api/v1/people/${other}/meetings`)).json().meetings).toEqual([]);
    const openapi = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(openapi.paths['/api/v1/people/{id}/reviews'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(openapi.paths['/api/v1/people/{id}/meetings']?.get).toBeDefined();
  });

  it('records an MDT meeting with actions, ticks one off and gives a calendar invitation', async () => {
    await b.get(`/people/${id}/meetings/new`);
    const res = await b.post(`/people/${id}/meetings/new`, {
      kind: 'mdt', ...dateForm('date', '2026-10-25'), time: '10:30', durationMinutes: '45', location: 'Room 2',
      'attendeeName-0': 'Dr Lee', 'attendeeRole-0': 'Psychiatrist', discussion: 'Medication', decisions: 'Reduce dose',
      'actionDescription-0': 'Book GP appointment', 'actionOwner-0': practitionerId, ...dateForm('actionDueOn-0', '2026-11-01'),
    });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    const url = res.headers.location as string;
    const page = await b.get(url);
    expect(page.body).toContain('Book GP appointment');
    const ics = await b.get(`${url}/invite.ics`);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    // 10:30 on 25 October 2026 is after the clock goes back: GMT, so 10:30Z.
    expect(ics.body).toContain('DTSTART:20261025T103000Z');
    expect(ics.body).not.toContain('Reviewperson');
    const actionVersion = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const actionUrl = /action="(\/people\/[^"]+\/actions\/[^"]+)"/.exec(page.body)![1]!;
    expect((await b.post(actionUrl, { version: actionVersion, done: 'true' })).statusCode).toBe(302);
    expect((await b.get(url)).body).toContain('Mark as not done');
    expect((await b.post(actionUrl, { version: actionVersion, done: 'true' })).statusCode).toBe(409);
    const meetings = await b.get(`/api/v1/people/${id}/meetings`);
    expect(meetings.statusCode).toBe(200);
    expect(meetings.json().meetings[0].startsAt).toBe('2026-10-25T10:30:00.000Z');
  });

  it('links the calendar invitation to the meeting with a full address on the configured public address, not a path or the Host header', async () => {
    await b.get(`/people/${id}/meetings/new`);
    const res = await b.post(`/people/${id}/meetings/new`, { kind: 'review', ...dateForm('date', '2026-11-02'), time: '14:00', durationMinutes: '60', location: 'Room 3' });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    const url = res.headers.location as string;
    // A forged Host header does not reach the invitation (issue 13, item 9: PUBLIC_BASE_URL).
    const ics = await b.get(`${url}/invite.ics`, { host: 'attacker.example' });
    expect(ics.statusCode).toBe(200);
    // iCalendar folds long lines (RFC 5545 3.1): unfold them before reading.
    const unfolded = ics.body.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`DESCRIPTION:Details are in Aftercare: https://aftercare.northvale.example${url}`);
    expect(unfolded).toContain(`URL:https://aftercare.northvale.example${url}`);
    expect(unfolded).not.toContain('attacker.example');
    expect(unfolded).not.toMatch(/Aftercare: \/people/);
  });
});

describe('reminders and the outbox', () => {
  let id: string;
  const db = () => t.database.db;
  const forPerson = async (personId: string) => db().select().from(notification).where(eq(notification.personId, personId));

  beforeAll(async () => {
    const b = await signedIn(demo.practitioner);
    id = await overduePerson(b, '9990000042', 'Reminderperson');
  });

  it('queues an overdue reminder once for the lead practitioner and the team managers, however often and concurrently it runs', async () => {
    const today = todayInLondon();
    await queueReviewReminders(db(), { today });
    await queueReviewReminders(db(), { today });
    await Promise.all([queueReviewReminders(db(), { today }), queueReviewReminders(db(), { today })]);
    const rows = await forPerson(id);
    const recipients = rows.map((r) => r.recipientUserId).sort();
    expect(recipients).toEqual([practitionerId, managerId].sort());
    const due = (await personRow(id)).nextReviewDue!;
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual([`review-overdue:${id}:${due}:${managerId}`, `review-overdue:${id}:${due}:${practitionerId}`].sort());
  });

  it('queues "due soon" on the reminder date, once', async () => {
    const due = (await personRow(id)).nextReviewDue!;
    // Fourteen days before, by default.
    const [y, m, d] = due.split('-').map(Number) as [number, number, number];
    const reminderDay = new Date(Date.UTC(y, m - 1, d - 14)).toISOString().slice(0, 10);
    await Promise.all([queueReviewReminders(db(), { today: reminderDay }), queueReviewReminders(db(), { today: reminderDay })]);
    const rows = (await forPerson(id)).filter((r) => r.kind === 'review-due');
    expect(rows).toHaveLength(2);
    await queueReviewReminders(db(), { today: addMonths(reminderDay, 0) });
    expect((await forPerson(id)).filter((r) => r.kind === 'review-due')).toHaveLength(2);
  });

  it('retries after a mail failure, recording attempts and the error, then sends', async () => {
    await db().update(notification).set({ channel: 'email' }).where(and(eq(notification.personId, id), eq(notification.recipientUserId, practitionerId), eq(notification.kind, 'review-overdue')));
    const sent: string[] = [];
    let fail = true;
    const transport: MailTransport = {
      async send(message) {
        if (fail) throw new Error('SMTP 451: try again later');
        sent.push(message.to);
      },
    };
    const now = new Date();
    const first = await deliverPending(db(), transport, { now });
    expect(first.retrying).toBeGreaterThan(0);
    let row = (await forPerson(id)).find((r) => r.channel === 'email')!;
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain('SMTP 451');
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());

    // Not yet due again: nothing happens.
    await deliverPending(db(), transport, { now: new Date(now.getTime() + 10_000) });
    expect((await forPerson(id)).find((r) => r.channel === 'email')!.attempts).toBe(1);

    fail = false;
    await deliverPending(db(), transport, { now: new Date(now.getTime() + 2 * 60 * 60_000) });
    row = (await forPerson(id)).find((r) => r.channel === 'email')!;
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(2);
    expect(sent).toContain(demo.practitioner);

    // The admin outbox shows the outcome.
    const admin = await signedIn(demo.admin);
    const outbox = await admin.get('/admin/outbox');
    expect(outbox.statusCode).toBe(200);
    expect(outbox.body).toContain('data-qa="outbox"');
    const practitioner = await signedIn(demo.practitioner);
    expect((await practitioner.get('/admin/outbox')).statusCode).toBe(403);
  });

  it('marks a notification failed after the last attempt, and it stays in the outbox', async () => {
    const [row] = await db().update(notification).set({ channel: 'email', status: 'pending', attempts: 4, nextAttemptAt: new Date(0) }).where(and(eq(notification.personId, id), eq(notification.recipientUserId, managerId), eq(notification.kind, 'review-due'))).returning();
    await deliverPending(db(), { send: () => Promise.reject(new Error('connection refused')) }, { now: new Date() });
    const after = (await db().select().from(notification).where(eq(notification.id, row!.id)))[0]!;
    expect(after.status).toBe('failed');
    expect(after.attempts).toBe(5);
    const admin = await signedIn(demo.admin);
    expect((await admin.get('/admin/outbox?status=failed')).body).toContain('connection refused');
  });

  it('shows in-app notifications to their recipient only, with the unread count on My work', async () => {
    await deliverPending(db(), null, { now: new Date(Date.now() + 24 * 60 * 60_000) });
    const practitioner = await signedIn(demo.practitioner);
    const mine = await practitioner.get('/notifications');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Reminderperson');
    expect((await practitioner.get('/my-work')).body).toMatch(/Notifications \(\d+ unread\)/);
    const senior = await signedIn(demo.senior);
    const theirs = await senior.get('/notifications');
    expect(theirs.body).not.toContain('Reminderperson');
    expect((await db().select().from(notification).where(eq(notification.recipientUserId, seniorId)))).toHaveLength(0);
    await practitioner.post('/notifications/read', {});
    expect((await practitioner.get('/notifications')).body).toContain('0 unread');
  });
});

describe('the review policy on the settings page', () => {
  it('is saved by an administrator and used for the next review date offered on the review form', async () => {
    const admin = await signedIn(demo.admin);
    const page = await admin.get('/admin/plan-settings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="reviewIntervalMonths"');
    const fields = Object.fromEntries([...page.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].filter((m) => m[1] !== '_csrf').map((m) => [m[1]!, m[2]!]));
    const bad = await admin.post('/admin/plan-settings', { ...fields, reviewIntervalMonths: '13' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#reviewIntervalMonths"');
    const saved = await admin.post('/admin/plan-settings', { ...fields, reviewIntervalMonths: '6', reminderDaysBefore: '21', firstReviewWeeks: '4' });
    expect(saved.statusCode, saved.body.slice(0, 2000)).toBe(302);

    const b = await signedIn(demo.practitioner);
    const id = await overduePerson(b, '9990000050', 'Policyperson');
    // The engine uses the partnership's policy: first review 4 weeks after leaving hospital on 1 March 2024.
    expect((await personRow(id)).nextReviewDue).toBe('2024-03-29');
    const form = await b.get(`/people/${id}/reviews/new`);
    const next = addMonths(todayInLondon(), 6);
    const [y, m, d] = next.split('-');
    expect(form.body).toMatch(new RegExp(`name="nextReviewOn-day"[^>]*value="${Number(d)}"`));
    expect(form.body).toMatch(new RegExp(`name="nextReviewOn-month"[^>]*value="${Number(m)}"`));
    expect(form.body).toMatch(new RegExp(`name="nextReviewOn-year"[^>]*value="${y}"`));
    expect(form.body).toContain('reviews every 6 months');
  });
});

describe('the app’s clock and the one door', () => {
  const nextNhs = nhsNumbers(771_300);

  it('stamps an action done with the app’s clock, not the machine’s', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await overduePerson(b, nextNhs(), 'Clockperson');
    const clock = clockAt('2031-02-03');
    const ctx = await contextFor(t, demo.practitioner, { clock });
    const m = await createMeeting(ctx, id, { kind: 'mdt', date: '2026-10-25', time: '10:30', durationMinutes: 60, actions: [{ description: 'Ask the GP for a medication review' }] });
    const action = (await t.database.db.select().from(meetingAction).where(eq(meetingAction.meetingId, m.id)))[0]!;
    const done = await setActionDone(ctx, id, m.id, action.id, action.version, true);
    expect(done.completedAt).toEqual(clock.now());
    expect((await t.database.db.select().from(meetingAction).where(eq(meetingAction.id, action.id)))[0]!.completedAt).toEqual(clock.now());
  });

  it('queues reminders in every partnership, each through its own door, and each stays in its partnership', async () => {
    const db = t.database.db;
    const other = await createPartnership(db, 'Reminderton');
    const ctx = await contextFor(t, other.users.practitioner);
    const otherId = await entitledPerson(ctx, { nhsNumber: nextNhs(), familyName: 'Elsewhere', ordinaryResidence: other.organisations.localAuthority.code, icb: other.organisations.icb.onsCode! });
    const lead = (await actorFor(db, other.users.practitioner)).userId!;
    await db.update(person).set({ leadPractitionerId: lead }).where(eq(person.id, otherId));
    const demoPerson = await overduePerson(await signedIn(demo.practitioner), nextNhs(), 'Homeperson');

    await queueReviewReminders(db, { clock: clockAt(todayInLondon()) });
    const theirs = await db.select().from(notification).where(eq(notification.personId, otherId));
    expect(theirs.map((n) => [n.partnershipId, n.recipientUserId, n.kind])).toEqual([[other.id, lead, 'review-overdue']]);
    const ours = await db.select().from(notification).where(eq(notification.personId, demoPerson));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((n) => n.partnershipId !== other.id && n.recipientUserId !== lead)).toBe(true);
  });
});
