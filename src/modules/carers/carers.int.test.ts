import { and, eq } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliContext } from '../../cli/context.ts';
import { appUser, auditEvent, organisation } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { createToken } from '../admin/index.ts';
import { createTestApp, dateForm, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { advocacyReferral, carer, carerAssessment, carerLink, queueCarerReminders } from './index.ts';

/*
 * Issue 16, items 5, 6 and 8: carers and advocacy through HTTP, with the settable clock. A carer
 * is added to a discharged person and offered an assessment from the discharge prompt; dates out
 * of order are refused with their own message and nothing changes; the assessment is completed
 * against the eligibility criteria with a support plan; an unanswered offer waits on the one who
 * made it; an IMHA referral is recorded to the first meeting; another organisation gets 403 on
 * every route, read-only staff 403 on every write before the input is read; a carer who has not
 * agreed to share is not named in the API.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
const eastbridge = 'eastbridge@demo.aftercare.example';
const numbers = nhsNumbers(16_600);

const carerForm = (fields: Record<string, string> = {}) => ({ existingCarerId: '', name: 'Morag Carerfixture', relationship: 'Mother', phone: '07700 900123', email: '', address: '', consentToShare: 'yes', ...dateForm('consentRecordedOn', '2026-12-01'), ...fields });

async function carersOf(pid = personId) {
  return t.database.db.select({ carer }).from(carerLink).innerJoin(carer, and(eq(carer.partnershipId, carerLink.partnershipId), eq(carer.id, carerLink.carerId))).where(eq(carerLink.personId, pid));
}

async function assessmentsOf(carerId: string) {
  return t.database.db.select().from(carerAssessment).where(eq(carerAssessment.carerId, carerId));
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  personId = await entitledPerson(practitioner, { nhsNumber: numbers(), givenName: 'Iona', familyName: 'Carerfixture', dischargedOn: '2026-12-01' });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('carers (issue 16, item 5)', () => {
  let carerId = '';
  let assessmentId = '';

  it('refuses a carer without a name, relationship or consent answer, saving nothing (422)', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/carers/new`);
    const res = await b.post(`/people/${personId}/carers/new`, carerForm({ name: ' ', relationship: '', consentToShare: '' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('Enter the carer’s name');
    expect(res.body).toContain('Say whether the carer agrees to information being shared with and about them');
    expect(await carersOf()).toHaveLength(0);
  });

  it('prompts for a carer at discharge, adds one as a person in their own right, audited', async () => {
    const b = await signedIn(t, demo.practitioner);
    const before = await b.get(`/people/${personId}`);
    expect(before.body).toContain('data-qa="carer-discharge-prompt"');
    expect(before.body).toContain('Does anyone care for them?');
    expect(before.body).toContain('Care Act 2014, section 10');
    await b.get(`/people/${personId}/carers/new`);
    const res = await b.post(`/people/${personId}/carers/new`, carerForm());
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
    const [row] = await carersOf();
    carerId = row!.carer.id;
    expect(row!.carer).toMatchObject({ name: 'Morag Carerfixture', consentToShare: true, consentRecordedOn: '2026-12-01' });
    expect((await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'carer.created'), eq(auditEvent.subjectId, carerId)))).length).toBe(1);
    const page = await b.get(`/people/${personId}`);
    expect(page.body).toContain('At discharge, offer a carer’s assessment');
    expect(page.body).toContain('Morag Carerfixture');
  });

  it('records the offer at discharge from the person page', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}`);
    const res = await b.post(`/people/${personId}/carers/${carerId}/assessments`, { offeredAt: 'discharge', today: 'yes' });
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
    const [a] = await assessmentsOf(carerId);
    assessmentId = a!.id;
    expect(a).toMatchObject({ offeredAt: 'discharge', offeredOn: '2026-12-07', acceptedOn: null, personId });
    const page = await b.get(`/people/${personId}`);
    expect(page.body).not.toContain('At discharge, offer a carer’s assessment');
    expect(page.body).toContain('carer’s assessment offered, waiting for an answer (offered on 7 December 2026)');
  });

  it('refuses dates out of order with a specific message, changing nothing', async () => {
    const b = await signedIn(t, demo.practitioner);
    const url = `/people/${personId}/carers/${carerId}/assessments/${assessmentId}`;
    await b.get(url);
    const early = await b.post(url, { version: '1', ...dateForm('acceptedOn', '2026-12-06') });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('The date the assessment was accepted must be on or after the date it was offered');
    const unaccepted = await b.post(url, { version: '1', ...dateForm('completedOn', '2026-12-07'), needsAriseFromCaring: 'yes', healthAtRisk: 'yes', significantImpact: 'yes', summary: 'x', ...dateForm('reviewOn', '2027-06-01') });
    expect(unaccepted.statusCode).toBe(422);
    expect(unaccepted.body).toContain('An assessment can only be completed once the carer has accepted it');
    const both = await b.post(url, { version: '1', ...dateForm('acceptedOn', '2026-12-07'), ...dateForm('declinedOn', '2026-12-07') });
    expect(both.statusCode).toBe(422);
    expect(both.body).toContain('A carer either accepts or declines the assessment');
    expect((await assessmentsOf(carerId))[0]).toMatchObject({ acceptedOn: null, declinedOn: null, completedOn: null, version: 1 });
  });

  it('completes the assessment against regulation 3 with a support plan and review date', async () => {
    const b = await signedIn(t, demo.practitioner);
    const url = `/people/${personId}/carers/${carerId}/assessments/${assessmentId}`;
    const form = await b.get(url);
    expect(form.body).toContain('Care and Support (Eligibility Criteria) Regulations 2015, regulation 3');
    expect(form.body).toContain('Engaging in work, training, education or volunteering');
    const base = { version: '1', ...dateForm('acceptedOn', '2026-12-07'), ...dateForm('completedOn', '2026-12-07'), needsAriseFromCaring: 'yes', healthAtRisk: 'no', outcomesNotAchieved: ['work', 'recreation'], significantImpact: 'yes', summary: 'Morag has given up her job to care for Iona.' };
    const noPlan = await b.post(url, { ...base, ...dateForm('reviewOn', '2028-01-01') });
    expect(noPlan.statusCode).toBe(422);
    expect(noPlan.body).toContain('The review date must be within 12 months');
    const ok = await b.post(url, { ...base, supportWhat: 'A carer’s break of one day a week', supportWho: 'Northvale Carers Centre', ...dateForm('reviewOn', '2027-12-01') });
    expect(ok.statusCode, ok.body.slice(0, 2000)).toBe(302);
    expect((await assessmentsOf(carerId))[0]).toMatchObject({ acceptedOn: '2026-12-07', completedOn: '2026-12-07', eligible: true, outcomesNotAchieved: ['work', 'recreation'], reviewOn: '2027-12-01', version: 2 });
    const page = await b.get(url);
    expect(page.body).toContain('Eligible needs');
    expect(page.body).toContain('A carer’s break of one day a week, by Northvale Carers Centre');
    const stale = await b.post(url, { ...base, supportWhat: 'Other', supportWho: 'Other', ...dateForm('reviewOn', '2027-12-01') });
    expect(stale.statusCode).toBe(409);
  });

  it('puts an offer unanswered for 28 days in the Waiting for you of whoever offered it', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/carers/new`);
    expect((await b.post(`/people/${personId}/carers/new`, carerForm({ name: 'Fergus Silentfixture', relationship: 'Brother', consentToShare: 'no' }))).statusCode).toBe(302);
    const fergus = (await carersOf()).find((c) => c.carer.name === 'Fergus Silentfixture')!.carer;
    await b.get(`/people/${personId}/carers/${fergus.id}`);
    expect((await b.post(`/people/${personId}/carers/${fergus.id}/assessments`, { offeredAt: 'other', ...dateForm('offeredOn', '2026-12-07') })).statusCode).toBe(302);
    expect((await b.get('/waiting')).body).not.toContain('Ask Fergus Silentfixture for their answer');
    clock.set('2027-01-05T10:00:00Z');
    try {
      const queue = await b.get('/waiting');
      expect(queue.body).toContain('Ask Fergus Silentfixture for their answer: a carer’s assessment was offered on 7 December 2026');
      const manager = await signedIn(t, demo.manager);
      expect((await manager.get('/waiting')).body).not.toContain('Ask Fergus Silentfixture');
      // And it tells them, once (the hourly job twice).
      expect(await queueCarerReminders(t.database.db, { clock })).toBeGreaterThanOrEqual(1);
      expect(await queueCarerReminders(t.database.db, { clock })).toBe(0);
      const fergusAssessment = (await assessmentsOf(fergus.id))[0]!;
      const told = (await t.database.db.select().from(notification).where(eq(notification.kind, 'carer-assessment-waiting'))).filter((n) => n.link?.endsWith(fergusAssessment.id));
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain('was due an answer by 4 January 2027');
      expect(told[0]!.body).toContain('It is in your queue: Waiting for you.');
      // Fergus has not agreed to share information: the message (kept with the person's record) does not name him.
      expect(`${told[0]!.subject} ${told[0]!.body}`).not.toContain('Fergus');
      const practitionerId = (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demo.practitioner)))[0]!.id;
      expect(told[0]!.recipientUserId).toBe(practitionerId);
    } finally {
      clock.set('2026-12-07T10:00:00Z');
    }
  });

  it('shows each carer at a review with whether they were offered an assessment, and counts carers on the dashboard', async () => {
    const b = await signedIn(t, demo.practitioner);
    const form = await b.get(`/people/${personId}/reviews/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Carers: offer of a carer’s assessment');
    expect(form.body).toContain('completed, offered on 7 December 2026 (at discharge)');
    expect(form.body).toContain('offered, waiting for an answer, offered on 7 December 2026 (at another time)');
    // Both have an assessment in hand: nothing to offer again.
    expect(form.body).not.toContain('data-qa="offer-at-review"');
    const manager = await signedIn(t, demo.manager);
    const dashboard = await manager.get('/dashboards');
    expect(dashboard.body).toContain('Carers and their assessments (Care Act 2014, section 10)');
    expect(Number(/data-qa="carers-known">(\d+)</.exec(dashboard.body)![1])).toBeGreaterThanOrEqual(2);
    expect(Number(/data-qa="carers-offered">(\d+)</.exec(dashboard.body)![1])).toBeGreaterThanOrEqual(2);
    expect(Number(/data-qa="carers-completed">(\d+)</.exec(dashboard.body)![1])).toBeGreaterThanOrEqual(1);
  });

  it('does not name a carer who has not agreed to share in the API', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/api/v1/people/${personId}/carers`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { carers: Array<{ name: string | null; consentToShare: boolean; relationship: string; assessments: Array<{ status: string; eligible: boolean | null }> }> };
    expect(body.carers.map((c) => [c.name, c.consentToShare, c.relationship])).toEqual([
      ['Morag Carerfixture', true, 'Mother'],
      [null, false, 'Brother'],
    ]);
    expect(body.carers[0]!.assessments[0]).toMatchObject({ status: 'completed', eligible: true });
    expect(res.body).not.toContain('Fergus');
  });
});

describe('advocacy referrals (issue 16, item 6)', () => {
  let referralId = '';
  const referral = (fields: Record<string, string> = {}) => ({ kind: 'imha', service: 'Northvale Advocacy (invented)', advocateName: '', notes: '', ...dateForm('referredOn', '2026-12-02'), ...fields });

  it('refuses dates out of order with a specific message, saving nothing', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/advocacy/new`);
    const res = await b.post(`/people/${personId}/advocacy/new`, referral(dateForm('acceptedOn', '2026-12-01')));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The date the person was accepted by the advocacy service must be on or after the date they were referred');
    const skipped = await b.post(`/people/${personId}/advocacy/new`, referral({ ...dateForm('firstMetOn', '2026-12-03'), advocateName: 'Sam' }));
    expect(skipped.statusCode).toBe(422);
    expect(skipped.body).toContain('Enter the date the person was given a named advocate before the date they were first met by the advocate');
    expect(await t.database.db.select().from(advocacyReferral).where(eq(advocacyReferral.personId, personId))).toHaveLength(0);
  });

  it('records an IMHA referral and then its stages to the first meeting', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/advocacy/new`);
    const res = await b.post(`/people/${personId}/advocacy/new`, referral());
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
    referralId = (res.headers.location as string).split('/').pop()!;
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain('Mental Health Act 1983, section 130A');
    const update = await b.post(`/people/${personId}/advocacy/${referralId}`, referral({ version: '1', ...dateForm('acceptedOn', '2026-12-03'), ...dateForm('advocateNamedOn', '2026-12-04'), advocateName: 'Sam Advocate', ...dateForm('firstMetOn', '2026-12-05') }));
    expect(update.statusCode, update.body.slice(0, 1500)).toBe(302);
    const [row] = await t.database.db.select().from(advocacyReferral).where(eq(advocacyReferral.id, referralId));
    expect(row).toMatchObject({ kind: 'imha', referredOn: '2026-12-02', acceptedOn: '2026-12-03', advocateNamedOn: '2026-12-04', firstMetOn: '2026-12-05', advocateName: 'Sam Advocate', version: 2 });
    const person = await b.get(`/people/${personId}`);
    expect(person.body).toContain('Independent mental health advocate (IMHA)</a>: referred on 2 December 2026, met the person on 5 December 2026');
  });

  it('serves and accepts referrals through the API, with problem+json for dates out of order', async () => {
    const b = await signedIn(t, demo.practitioner);
    const list = await b.get(`/api/v1/people/${personId}/advocacy`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { referrals: Array<{ status: string; statutoryBasis: string }> }).referrals[0]).toMatchObject({ status: 'met', statutoryBasis: 'Mental Health Act 1983, section 130A' });
    const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    const token = (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: 'Carers API tests' })).token;
    const call = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload });
    const bad = await call(`/api/v1/people/${personId}/advocacy`, { kind: 'care-act', service: 'Advocacy', referredOn: '2026-12-05', acceptedOn: '2026-12-04' });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body).toContain('The date the person was accepted by the advocacy service must be on or after the date they were referred');
    const ok = await call(`/api/v1/people/${personId}/advocacy`, { kind: 'care-act', service: 'Advocacy', referredOn: '2026-12-05', acceptedOn: '2026-12-06' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ kind: 'care-act', status: 'accepted', statutoryBasis: 'Care Act 2014, section 67' });
    const carerBad = await call(`/api/v1/people/${personId}/carers`, { name: 'Nia Apifixture', relationship: 'Friend' });
    expect(carerBad.statusCode).toBe(422);
    const carerOk = await call(`/api/v1/people/${personId}/carers`, { name: 'Nia Apifixture', relationship: 'Friend', consentToShare: true, consentRecordedOn: '2026-12-07' });
    expect(carerOk.statusCode, carerOk.body).toBe(201);
    expect(carerOk.json()).toMatchObject({ name: 'Nia Apifixture', relationship: 'Friend', consentToShare: true, assessments: [] });
    // Back to one referral and two carers for the tests that follow.
    await t.database.db.delete(advocacyReferral).where(eq(advocacyReferral.id, (ok.json() as { id: string }).id));
    const nia = (carerOk.json() as { id: string }).id;
    await t.database.db.delete(carerLink).where(eq(carerLink.carerId, nia));
    await t.database.db.delete(carer).where(eq(carer.id, nia));
  });
});

describe('the chronology (issue 16)', () => {
  it('lists carers’ assessments and advocacy referrals, naming only carers who agreed to share', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/people/${personId}/chronology?kind=carers`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Carer’s assessment offered to Morag Carerfixture');
    expect(res.body).toContain('Carer’s assessment completed for Morag Carerfixture');
    expect(res.body).toContain('Carer’s assessment offered to a carer');
    expect(res.body).not.toContain('Fergus');
    expect(res.body).toContain('Referred to an advocate: Independent mental health advocate (IMHA)');
    expect(res.body).toContain('Advocate first met the person: Independent mental health advocate (IMHA)');
  });
});

describe('the subject access export (issue 16)', () => {
  it('names a carer only with their consent: the other’s rows are withheld and counted', async () => {
    const admin = await signedIn(t, demo.admin);
    await admin.get(`/people/${personId}/subject-access`);
    const res = await t.app.inject({
      method: 'POST',
      url: `/people/${personId}/subject-access`,
      payload: new URLSearchParams({ _csrf: admin.lastCsrf ?? '' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(res.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const text = await zip.file('person.json')!.async('string');
    const json = JSON.parse(text) as { tables: Record<string, { rows: Array<Record<string, unknown>> }> };
    expect(json.tables.carer_link!.rows.map((r) => r.carer_name)).toEqual(['Morag Carerfixture']);
    expect(json.tables.carer_assessment!.rows).toHaveLength(1);
    expect(json.tables.advocacy_referral!.rows).toHaveLength(1);
    expect(text).not.toContain('Fergus');
    expect(text).toContain('1 carer who has not agreed to share information withheld');
    expect(text).toContain('1 assessment of a carer who has not agreed to share information withheld');
  });
});

describe('access (issue 16)', () => {
  it('refuses another organisation on every new route (403) and read-only staff every write before the input (403)', async () => {
    const [c] = await carersOf();
    const [a] = await assessmentsOf(c!.carer.id);
    const [r] = await t.database.db.select().from(advocacyReferral).where(eq(advocacyReferral.personId, personId));
    const gets = [
      `/people/${personId}/carers/new`,
      `/people/${personId}/carers/${c!.carer.id}`,
      `/people/${personId}/carers/${c!.carer.id}/assessments/${a!.id}`,
      `/people/${personId}/advocacy/new`,
      `/people/${personId}/advocacy/${r!.id}`,
      `/api/v1/people/${personId}/carers`,
      `/api/v1/people/${personId}/carers/${c!.carer.id}`,
      `/api/v1/people/${personId}/advocacy`,
      `/api/v1/people/${personId}/advocacy/${r!.id}`,
    ];
    const posts = [
      `/people/${personId}/carers/new`,
      `/people/${personId}/carers/${c!.carer.id}/consent`,
      `/people/${personId}/carers/${c!.carer.id}/assessments`,
      `/people/${personId}/carers/${c!.carer.id}/assessments/${a!.id}`,
      `/people/${personId}/advocacy/new`,
      `/people/${personId}/advocacy/${r!.id}`,
    ];
    const other = await signedIn(t, eastbridge);
    for (const url of gets) expect((await other.get(url)).statusCode, url).toBe(403);
    for (const url of posts) expect((await other.post(url, {})).statusCode, url).toBe(403);
    const readOnly = await signedIn(t, demo.readOnly);
    for (const url of posts) expect((await readOnly.post(url, {})).statusCode, url).toBe(403);
    // The ICB's commissioner may read the record but not change it: the page, without its forms.
    const commissioner = await signedIn(t, demo.commissioner);
    const page = await commissioner.get(`/people/${personId}/carers/${c!.carer.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Morag Carerfixture');
    expect(page.body).not.toContain('Save consent');
    for (const url of posts) expect((await commissioner.post(url, {})).statusCode, url).toBe(403);
  });

  it('lists the API routes in the OpenAPI document', async () => {
    const b = await signedIn(t, demo.practitioner);
    const spec = (await b.get('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/v1/people/{id}/carers']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(spec.paths['/api/v1/people/{id}/advocacy']!).sort()).toEqual(['get', 'post']);
    expect(spec.paths['/api/v1/people/{id}/carers/{carerId}']).toBeDefined();
    expect(spec.paths['/api/v1/people/{id}/advocacy/{referralId}']).toBeDefined();
  });
});
