import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { approvedPlan, clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { proposeEnding } from '../endings/endings.service.ts';
import { libertyAuthorisation, libertyChallenge, libertyConsideration, queueLibertyReminders } from './index.ts';

/*
 * Issue 16, item 4: deprivation of liberty through HTTP, with the settable clock. A plan with a
 * care home place prompts the acid test on the person and plan pages until a consideration is
 * recorded for that plan; a DoLS request refuses dates out of order (naming the field), an urgent
 * authorisation longer than 7 days and a standard authorisation longer than a year; a COPDOL11
 * application is tracked to an order whose review date near makes it due on the person page, in
 * the responsible practitioner's "Waiting for you", and tells them once; a s21A challenge follows
 * its stages; another organisation is refused every route, read-only staff every write before
 * their input is read; every read is audited; the API follows the same rules.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
let partnershipId = '';
let practitionerId = '';
let planId = '';
const eastbridge = 'eastbridge@demo.aftercare.example';
const numbers = nhsNumbers(16_400);

function dolsForm(fields: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    setting: 'care-home',
    place: 'Elm Court Care Home',
    body: 'Northvale Council',
    ...dateForm('requestedOn', '2026-11-02'),
    outcome: '',
    representative: '',
    conditions: '',
    documents: '',
    ...fields,
  };
}

async function views(pid: string, page: string) {
  const rows = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, pid)));
  return rows.filter((r) => JSON.stringify(r.after).includes(page));
}

async function authorisations(pid = personId) {
  return t.database.db.select().from(libertyAuthorisation).where(eq(libertyAuthorisation.personId, pid));
}

async function start(b: Browser, fields: Record<string, string | string[]> = {}) {
  await b.get(`/people/${personId}/deprivation-of-liberty/new`);
  return b.post(`/people/${personId}/deprivation-of-liberty/new`, dolsForm(fields) as Record<string, string>);
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  partnershipId = practitioner.actor.partnershipId;
  practitionerId = practitioner.actor.userId!;
  personId = await entitledPerson(practitioner, { nhsNumber: numbers(), givenName: 'Robin', familyName: 'Libertyfixture' });
  planId = (await approvedPlan(t.database.db, { partnershipId, personId }, [{ serviceType: 'Nursing care', serviceTypeCode: 'nursing-care', weeklyCostPence: 120_000 }])).planId;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('the Cheshire West prompt and the acid test', () => {
  it('prompts on the person and plan pages while the plan has a care home place, until a consideration is recorded for that plan', async () => {
    const b = await signedIn(t, demo.practitioner);
    const page = await b.get(`/people/${personId}`);
    expect(page.body).toContain('Consider whether this is a deprivation of liberty (Cheshire West)');
    expect(page.body).toContain(`href="/people/${personId}/deprivation-of-liberty/consider?plan=${planId}"`);
    expect((await b.get(`/people/${personId}/plans/${planId}`)).body).toContain('Consider whether this is a deprivation of liberty (Cheshire West)');

    await b.get(`/people/${personId}/deprivation-of-liberty/consider?plan=${planId}`);
    const bad = await b.post(`/people/${personId}/deprivation-of-liberty/consider`, { planId, ...dateForm('consideredOn', '2026-12-07'), setting: 'care-home', arrangements: 'Staff with her at all times; the door is locked.', supervisionAndControl: 'yes', capacityToConsent: 'lacks' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Say whether the person is free to leave');
    expect(await t.database.db.select().from(libertyConsideration).where(eq(libertyConsideration.personId, personId))).toHaveLength(0);

    const ok = await b.post(`/people/${personId}/deprivation-of-liberty/consider`, { planId, ...dateForm('consideredOn', '2026-12-07'), setting: 'care-home', arrangements: 'Staff with her at all times; the door is locked.', supervisionAndControl: 'yes', freeToLeave: 'no', capacityToConsent: 'lacks' });
    expect(ok.statusCode, ok.body.slice(0, 2000)).toBe(302);
    const [c] = await t.database.db.select().from(libertyConsideration).where(eq(libertyConsideration.personId, personId));
    expect(c).toMatchObject({ outcome: 'is', planId });
    const after = await b.get(`/people/${personId}/deprivation-of-liberty`);
    expect(after.body).toContain('This is a deprivation of liberty');
    expect(after.body).toContain('Mental Capacity Act 2005, Schedule A1');
    expect(after.body).not.toContain('Consider whether this is a deprivation of liberty (Cheshire West)');
    expect((await b.get(`/people/${personId}/plans/${planId}`)).body).not.toContain('Consider whether this is a deprivation of liberty (Cheshire West)');
  });
});

describe('DoLS authorisations (MCA 2005 Schedule A1)', () => {
  it('refuses dates out of order, naming the field, and saves nothing', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await start(b, { ...dateForm('urgentGivenOn', '2026-11-01'), ...dateForm('urgentEndsOn', '2026-11-05') });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('The urgent authorisation cannot be before the date it was requested (2 November 2026)');
    expect(res.body).toContain('href="#urgentGivenOn-day"');
    expect(await authorisations()).toHaveLength(0);
  });

  it('refuses an urgent authorisation longer than 7 days (para 78(2))', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await start(b, { ...dateForm('urgentGivenOn', '2026-11-02'), ...dateForm('urgentEndsOn', '2026-11-10') });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('An urgent authorisation lasts at most 7 days: it must end by 9 November 2026 (Mental Capacity Act 2005, Schedule A1, paragraph 78(2))');
    expect(await authorisations()).toHaveLength(0);
  });

  it('refuses a standard authorisation longer than one year (para 42(2)), then grants one and records a s21A challenge through its stages', async () => {
    const b = await signedIn(t, demo.practitioner);
    const all = ['age', 'mental-health', 'mental-capacity', 'best-interests', 'eligibility', 'no-refusals'];
    const granted = { assessmentsDone: all, ...dateForm('assessmentsCompletedOn', '2026-11-20'), outcome: 'granted', ...dateForm('decidedOn', '2026-11-21'), ...dateForm('startsOn', '2026-11-21') };
    const long = await start(b, { ...granted, ...dateForm('endsOn', '2027-11-21') });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('A standard authorisation lasts at most one year: it must end by 20 November 2027 (Mental Capacity Act 2005, Schedule A1, paragraph 42(2))');
    expect(await authorisations()).toHaveLength(0);

    const ok = await start(b, { ...granted, ...dateForm('endsOn', '2027-05-20'), representative: 'Her sister, Alex' });
    expect(ok.statusCode, ok.body.slice(0, 3000)).toBe(302);
    const [a] = await authorisations();
    expect(a).toMatchObject({ basis: 'mca-schedule-a1', outcome: 'granted', endsOn: '2027-05-20' });
    const page = await b.get(ok.headers.location as string);
    expect(page.body).toContain('Authorised');
    expect(page.body).toContain('20 May 2027');

    const url = `/people/${personId}/deprivation-of-liberty/${a!.id}/challenges/new`;
    await b.get(url);
    const wrongOrder = await b.post(url, { ...dateForm('appliedOn', '2026-12-01'), applicant: 'Alex (relevant person’s representative)', ...dateForm('directionsOn', '2026-11-25') });
    expect(wrongOrder.statusCode).toBe(422);
    expect(wrongOrder.body).toContain('The date of the directions cannot be before the application (1 December 2026)');
    const made = await b.post(url, { ...dateForm('appliedOn', '2026-12-01'), applicant: 'Alex (relevant person’s representative)' });
    expect(made.statusCode, made.body.slice(0, 2000)).toBe(302);
    const [ch] = await t.database.db.select().from(libertyChallenge).where(eq(libertyChallenge.personId, personId));
    const upd = `/people/${personId}/deprivation-of-liberty/${a!.id}/challenges/${ch!.id}`;
    await b.get(upd);
    const decided = await b.post(upd, { version: String(ch!.version), ...dateForm('directionsOn', '2026-12-03'), ...dateForm('hearingOn', '2026-12-05'), outcome: 'varied', ...dateForm('outcomeOn', '2026-12-05'), notes: 'Condition added: weekly visits home.' });
    expect(decided.statusCode, decided.body.slice(0, 2000)).toBe(302);
    expect((await b.get(`/people/${personId}/deprivation-of-liberty/${a!.id}`)).body).toContain('Authorisation varied');
  });
});

describe('a COPDOL11 application tracked to an order, and the reminder before its review', () => {
  it('is due on the person page and in “Waiting for you” inside the window, and tells the practitioner once', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/deprivation-of-liberty/new?setting=supported-living`);
    const res = await b.post(`/people/${personId}/deprivation-of-liberty/new`, dolsForm({ setting: 'supported-living', place: '4 Birch Row (supported living)', body: 'Northvale Council', ...dateForm('requestedOn', '2025-12-01'), ...dateForm('issuedOn', '2025-12-10'), outcome: 'granted', ...dateForm('decidedOn', '2026-01-05'), ...dateForm('startsOn', '2026-01-05'), ...dateForm('reviewOn', '2027-01-10'), documents: 'COPDOL11 application, 1 December 2025\nOrder, 5 January 2026' }) as Record<string, string>);
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    const order = (await authorisations()).find((a) => a.basis === 'mca-s16-order')!;
    expect(order).toMatchObject({ outcome: 'granted', reviewOn: '2027-01-10', issuedOn: '2025-12-10' });
    // A DoLS date on a community application is refused, naming it, not silently dropped.
    const stray = await b.post(`/people/${personId}/deprivation-of-liberty/${order.id}/edit`, dolsForm({ version: String(order.version), setting: 'supported-living', place: '4 Birch Row (supported living)', ...dateForm('requestedOn', '2025-12-01'), ...dateForm('urgentGivenOn', '2025-12-01') }) as Record<string, string>);
    expect(stray.statusCode).toBe(422);
    expect(stray.body).toContain('This date is for a DoLS authorisation in a care home or hospital');
    expect(stray.body).toContain('href="#urgentGivenOn-day"');

    // 34 days before the review date: not yet due.
    expect((await b.get(`/people/${personId}`)).body).not.toContain('Review due: the order’s review date is 10 January 2027');
    expect((await b.get('/waiting?kind=liberty-renewal')).body).not.toContain('Review the Court of Protection order');
    expect(await queueLibertyReminders(t.database.db, { clock })).toBe(0);

    clock.set('2026-12-20T10:00:00Z');
    try {
      const person = await b.get(`/people/${personId}`);
      expect(person.body).toContain('Court of Protection order (COPDOL11)');
      expect(person.body).toContain('Review due: the order’s review date is 10 January 2027');
      expect((await b.get('/waiting?kind=liberty-renewal')).body).toContain('Review the Court of Protection order for 4 Birch Row (supported living): its review date is 10 January 2027');
      const manager = await signedIn(t, demo.manager);
      expect((await manager.get('/waiting?kind=liberty-renewal')).body).not.toContain('4 Birch Row');
      expect(await queueLibertyReminders(t.database.db, { clock })).toBeGreaterThanOrEqual(1);
      expect(await queueLibertyReminders(t.database.db, { clock })).toBe(0);
      const told = (await t.database.db.select().from(notification).where(eq(notification.recipientUserId, practitionerId))).filter((n) => n.kind === 'liberty-renewal-due' && n.personId === personId);
      expect(told).toHaveLength(1);
      expect(told[0]!.subject).toBe('Order review due for Robin Libertyfixture');
    } finally {
      clock.set('2026-12-07T10:00:00Z');
    }
  });
});

describe('the ending checklist and the settings', () => {
  it('shows the current order on the ending checklist', async () => {
    const ctx = await contextFor(t, demo.manager, { clock });
    const ending = await proposeEnding(ctx, personId, { effectiveOn: '2026-12-01', reasonCodes: ['no-longer-in-need'], reasons: 'Settled for a year.', personInvolved: true, personView: 'Happy to stop.', otherCarePlan: 'GP reviews.', messageToPerson: 'Your aftercare is ending.' });
    const b = await signedIn(t, demo.practitioner);
    const page = await b.get(`/people/${personId}/endings/${ending.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-qa="check-liberty"');
    expect(page.body).toContain('Deprivation of Liberty Safeguards: standard authorisation at Elm Court Care Home (Mental Capacity Act 2005, Schedule A1): authorised, ends 20 May 2027.');
  });

  it('lets the lead administrator choose the days before a renewal or review; a team manager may not', async () => {
    const admin = await signedIn(t, demo.admin);
    expect((await admin.get('/admin/plan-settings')).body).toContain('Save the days before a renewal or review');
    const bad = await admin.post('/admin/plan-settings/liberty', { libertyVersion: '0', renewalDays: '0' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The number of days must be between 1 and 180');
    const manager = await signedIn(t, demo.manager);
    expect((await manager.post('/admin/plan-settings/liberty', { libertyVersion: '0', renewalDays: '20' })).statusCode).toBe(403);
  });
});

describe('who may (403 for another organisation on every new route; read-only before input), and the audit', () => {
  it('refuses another organisation’s user every page, form and API route', async () => {
    const [a] = await authorisations();
    const [ch] = await t.database.db.select().from(libertyChallenge).where(eq(libertyChallenge.personId, personId));
    const other = await signedIn(t, eastbridge);
    const base = `/people/${personId}/deprivation-of-liberty`;
    const gets = [base, `${base}/consider`, `${base}/new`, `${base}/${a!.id}`, `${base}/${a!.id}/edit`, `${base}/${a!.id}/challenges/new`, `${base}/${a!.id}/challenges/${ch!.id}`, `/api/v1${base}`, `/api/v1${base}/${a!.id}`];
    for (const url of gets) expect((await other.get(url)).statusCode, url).toBe(403);
    const posts = [`${base}/consider`, `${base}/new`, `${base}/${a!.id}/edit`, `${base}/${a!.id}/challenges/new`, `${base}/${a!.id}/challenges/${ch!.id}`, `/api/v1${base}`];
    for (const url of posts) expect((await other.post(url, {})).statusCode, url).toBe(403);
  });

  it('refuses read-only staff every write before reading their input (403, not 422)', async () => {
    const trust = await contextFor(t, 'trust@demo.aftercare.example', { clock });
    const readable = await entitledPerson(trust, { nhsNumber: numbers(), givenName: 'Quinn', familyName: 'Readonlyliberty' });
    const someId = '00000000-0000-4000-8000-000000000001';
    const readOnly = await signedIn(t, demo.readOnly);
    const base = `/people/${readable}/deprivation-of-liberty`;
    expect((await readOnly.get(base)).statusCode).toBe(200);
    expect((await readOnly.get(`${base}/new`)).statusCode).toBe(403);
    for (const url of [`${base}/consider`, `${base}/new`, `${base}/${someId}/edit`, `${base}/${someId}/challenges/new`, `${base}/${someId}/challenges/${someId}`, `/api/v1${base}`]) {
      expect((await readOnly.post(url, {})).statusCode, url).toBe(403);
    }
    expect(await authorisations(readable)).toHaveLength(0);
  });

  it('audits every read of the record, on the pages and the API', async () => {
    const b = await signedIn(t, demo.practitioner);
    const [a] = await authorisations();
    const before = { page: (await views(personId, '"deprivation-of-liberty"')).length, one: (await views(personId, '"liberty-authorisation"')).length, api: (await views(personId, 'deprivation-of-liberty-authorisation')).length };
    expect((await b.get(`/people/${personId}/deprivation-of-liberty`)).statusCode).toBe(200);
    expect((await b.get(`/people/${personId}/deprivation-of-liberty/${a!.id}`)).statusCode).toBe(200);
    expect((await b.get(`/api/v1/people/${personId}/deprivation-of-liberty/${a!.id}`)).statusCode).toBe(200);
    expect((await views(personId, '"deprivation-of-liberty"')).length).toBe(before.page + 1);
    expect((await views(personId, '"liberty-authorisation"')).length).toBe(before.one + 1);
    expect((await views(personId, 'deprivation-of-liberty-authorisation')).length).toBe(before.api + 1);
  });
});

describe('the API', () => {
  it('starts an application (201), refuses bad dates with problem+json naming the field (422), advances it, and is in the OpenAPI document', async () => {
    const b = await signedIn(t, demo.practitioner);
    const call = (method: 'POST' | 'PATCH', url: string, payload: object) => t.app.inject({ method, url, payload, headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': b.lastCsrf ?? '' } });
    const url = `/api/v1/people/${personId}/deprivation-of-liberty`;
    const bad = await call('POST', url, { setting: 'hospital', place: 'Ward 3', requestedOn: '2026-12-01', urgentGivenOn: '2026-12-01', urgentEndsOn: '2026-12-09' });
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors).toContainEqual(expect.objectContaining({ path: 'urgentEndsOn' }));
    const ok = await call('POST', url, { setting: 'hospital', place: 'Ward 3', requestedOn: '2026-12-01', urgentGivenOn: '2026-12-01', urgentEndsOn: '2026-12-08' });
    expect(ok.statusCode, ok.body).toBe(201);
    const created = ok.json() as { id: string; version: number; basis: string; stage: string; due: { kind: string } | null };
    // It ends tomorrow: within 2 days, so due; extended once by 7 days, it is not due yet.
    expect(created).toMatchObject({ basis: 'mca-schedule-a1', stage: 'urgent', due: { kind: 'urgent', on: '2026-12-08' } });
    const tooLong = await call('PATCH', `${url}/${created.id}`, { version: created.version, urgentExtendedTo: '2026-12-16' });
    expect(tooLong.statusCode, tooLong.body).toBe(422);
    expect(tooLong.json().errors).toContainEqual(expect.objectContaining({ path: 'urgentExtendedTo' }));
    const extended = await call('PATCH', `${url}/${created.id}`, { version: created.version, urgentExtendedTo: '2026-12-15' });
    expect(extended.statusCode, extended.body).toBe(200);
    expect(extended.json()).toMatchObject({ urgentExtendedTo: '2026-12-15', stage: 'urgent', due: null });
    const stale = await call('PATCH', `${url}/${created.id}`, { version: created.version, urgentExtendedTo: '2026-12-10' });
    expect(stale.statusCode).toBe(409);
    const list = (await b.get(url)).json() as { authorisations: Array<{ id: string }> };
    expect(list.authorisations.map((a) => a.id)).toContain(created.id);
    const spec = (await b.get('/api/v1/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/people/{id}/deprivation-of-liberty', '/api/v1/people/{id}/deprivation-of-liberty/{authorisationId}']) expect(spec.paths[path], path).toBeDefined();
  });
});
