import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUser, auditEvent } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { proposeEnding } from '../endings/endings.service.ts';
import { bestInterestsDecision, capacityAssessment, imcaInstruction, queueImcaReportReminders } from './index.ts';

/*
 * Issue 16, items 2 and 3: capacity assessments and best-interests decisions through HTTP, with the
 * settable clock. Completion is refused, naming the missing part, without the decision, the
 * practicable steps or any one functional ability; a draft is saved incomplete and completed later;
 * the outcome follows the two-stage test; a best-interests decision follows only an assessment that
 * found a lack of capacity; an IMCA instruction without a report after the partnership's days waits
 * in the instructing practitioner's queue and tells them; the ending checklist shows the latest
 * assessment about ending aftercare; another organisation is refused every route, read-only staff
 * every write before their input is read; every read is audited; the API follows the same rules.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
const eastbridge = 'eastbridge@demo.aftercare.example';
const numbers = nhsNumbers(16_200);

const able = (evidence: string) => ({ answer: 'met', evidence });

function assessmentForm(fields: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    topic: 'accommodation',
    decision: 'Whether to move to the supported living flat at Elm Court',
    ...dateForm('assessedOn', '2026-12-04'),
    assessedTime: '14:30',
    relevantInformation: 'The flat, the support there, the rent and the bills; what happens if she stays on the ward.',
    practicableSteps: 'Easy-read leaflet; a visit to the flat; her sister present; seen in the morning when she is most alert.',
    impairment: 'yes',
    impairmentDetail: 'Alcohol-related brain damage, diagnosed in 2024.',
    causalLink: 'yes',
    causalLinkEvidence: 'Her memory loss is why she cannot hold the information.',
    understand: 'met',
    understandEvidence: 'Explained the flat back in her own words.',
    retain: 'not-met',
    retainEvidence: 'Ten minutes later she did not remember the visit.',
    useOrWeigh: 'not-met',
    useOrWeighEvidence: 'Says she will cook, but has left the gas on three times this month.',
    communicate: 'met',
    communicateEvidence: 'Speaks clearly.',
    executiveFunctioning: 'Describes a shopping plan well; the ward staff report she has not followed one.',
    attached: '',
    action: 'complete',
    ...Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)),
  };
}

async function assessments(pid = personId) {
  return t.database.db.select().from(capacityAssessment).where(eq(capacityAssessment.personId, pid));
}

async function views(pid: string, page: string) {
  const rows = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, pid)));
  return rows.filter((r) => JSON.stringify(r.after).includes(page));
}

async function record(b: Browser, fields: Partial<Record<string, string>> = {}) {
  await b.get(`/people/${personId}/capacity/new`);
  return b.post(`/people/${personId}/capacity/new`, assessmentForm(fields));
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  personId = await entitledPerson(practitioner, { nhsNumber: numbers(), givenName: 'Morgan', familyName: 'Capacityfixture' });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('capacity assessments (issue 16, item 2)', () => {
  let lacksId = '';

  it.each([
    ['the decision', { decision: '  ' }, 'Enter the decision the person is being assessed for (Mental Capacity Act 2005, section 2(1))'],
    ['the practicable steps', { practicableSteps: '' }, 'Enter the practicable steps taken to help the person make the decision (Mental Capacity Act 2005, section 1(3))'],
    ['whether they can understand', { understand: '' }, 'Say whether the person is able to understand the information relevant to the decision (Mental Capacity Act 2005, section 3(1)(a))'],
    ['whether they can retain', { retain: '' }, 'Say whether the person is able to retain that information (Mental Capacity Act 2005, section 3(1)(b))'],
    ['whether they can use or weigh', { useOrWeigh: '' }, 'Say whether the person is able to use or weigh that information as part of the process of making the decision (Mental Capacity Act 2005, section 3(1)(c))'],
    ['whether they can communicate', { communicate: '' }, 'Say whether the person is able to communicate the decision (Mental Capacity Act 2005, section 3(1)(d))'],
    ['the evidence for an ability', { communicateEvidence: ' ' }, 'Enter the evidence for whether the person is able to communicate the decision (Mental Capacity Act 2005, section 3(1)(d))'],
  ])('refuses to complete without %s, naming it, and saves nothing (422)', async (_what, fields, message) => {
    const b = await signedIn(t, demo.practitioner);
    const res = await record(b, fields);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain(message);
    expect(await assessments()).toHaveLength(0);
  });

  it('saves an incomplete draft, lists what is still to answer, and completes it later with the outcome from the answers', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await record(b, { action: 'draft', practicableSteps: '', retain: '', retainEvidence: '' });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    const [draft] = await assessments();
    expect(draft).toMatchObject({ status: 'draft', outcome: null, practicableSteps: '' });
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain('data-qa="assessment-state">Draft');
    expect(page.body).toContain('Enter the practicable steps taken to help the person make the decision');
    expect((await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'capacity-assessment.drafted'), eq(auditEvent.subjectId, draft!.id)))).length).toBe(1);

    // A stale form (an older version) is refused, keeping the draft as it is.
    await b.get(`/people/${personId}/capacity/assessments/${draft!.id}/edit`);
    const stale = await b.post(`/people/${personId}/capacity/assessments/${draft!.id}/edit`, assessmentForm({ version: String(draft!.version + 5) }));
    expect(stale.statusCode).toBe(409);
    expect((await assessments())[0]!.status).toBe('draft');

    const done = await b.post(`/people/${personId}/capacity/assessments/${draft!.id}/edit`, assessmentForm({ version: String(draft!.version) }));
    expect(done.statusCode, done.body.slice(0, 2000)).toBe(302);
    const [completed] = await assessments();
    expect(completed).toMatchObject({ status: 'completed', outcome: 'lacks-capacity', causalLink: 'yes' });
    expect(completed!.assessedAt!.toISOString()).toBe('2026-12-04T14:30:00.000Z');
    lacksId = completed!.id;
    const shown = await b.get(`/people/${personId}/capacity/assessments/${lacksId}`);
    expect(shown.body).toContain('Lacks capacity for this decision');
    expect(shown.body).toContain('Unable to retain that information; or use or weigh that information');
    expect(shown.body).toContain('has left the gas on three times');
    // A completed assessment is never changed: capacity is about one decision at one time.
    expect((await b.get(`/people/${personId}/capacity/assessments/${lacksId}/edit`)).statusCode).toBe(409);
    const again = await b.post(`/people/${personId}/capacity/assessments/${lacksId}/edit`, assessmentForm({ version: String(completed!.version), decision: 'Changed' }));
    expect(again.statusCode).toBe(409);
    expect((await assessments())[0]!.decision).toBe('Whether to move to the supported living flat at Elm Court');
  });

  it('finds capacity where there is no impairment, however the abilities are answered (s1(2), s2(1))', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await record(b, { topic: 'finances', decision: 'Whether to pay her rent by direct debit', impairment: 'no', impairmentDetail: '', causalLink: '', causalLinkEvidence: '' });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    const row = (await assessments()).find((a) => a.topic === 'finances')!;
    expect(row).toMatchObject({ outcome: 'has-capacity', causalLink: null });
  });

  it('shows the history by decision on the person page, the capacity page and the chronology', async () => {
    const b = await signedIn(t, demo.practitioner);
    const person = await b.get(`/people/${personId}`);
    expect(person.body).toContain('Mental capacity');
    expect(person.body).toContain('Whether to move to the supported living flat at Elm Court</a>, 4 December 2026');
    expect(person.body).toMatch(/data-qa="capacity-outcome">Lacks capacity for this decision/);
    const page = await b.get(`/people/${personId}/capacity`);
    expect(page.statusCode).toBe(200);
    expect((page.body.match(/data-qa="decision-group"/g) ?? []).length).toBe(2);
    expect(page.body).toContain('Mental Capacity Act 2005, section 1(6)');
    const chronology = await b.get(`/people/${personId}/chronology?kind=capacity`);
    expect(chronology.statusCode).toBe(200);
    expect(chronology.body).toContain('Capacity assessment: lacks capacity for this decision');
  });

  it('audits every read: the page, one assessment, the form and the API', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/capacity`);
    await b.get(`/people/${personId}/capacity/assessments/${lacksId}`);
    await b.get(`/people/${personId}/capacity/new`);
    await b.get(`/api/v1/people/${personId}/capacity`);
    await b.get(`/api/v1/people/${personId}/capacity/${lacksId}`);
    for (const page of ['"page":"capacity"', '"page":"capacity-assessment"', '"page":"capacity-assessment-form"', '"api":"capacity"', '"api":"capacity-assessment"']) expect((await views(personId, page)).length, page).toBeGreaterThan(0);
  });

  describe('best interests and IMCA (issue 16, item 3)', () => {
    let decisionId = '';
    const bestInterests = (fields: Record<string, string> = {}) => ({
      assessmentId: lacksId,
      kind: 'meeting',
      ...dateForm('decidedOn', '2026-12-06'),
      convenedBy: 'Sam Patel, social worker',
      chairedBy: 'Alex Team-Manager',
      personWishes: 'She has always said she wants her own front door.',
      beliefsValues: 'Independence matters to her; she attends the Methodist chapel.',
      consulted: '',
      noOneToConsult: 'yes',
      ...dateForm('imcaInstructedOn', '2026-12-01'),
      imcaService: 'Northvale Advocacy',
      imcaAdvocate: 'Jordan Rivers',
      optionsConsidered: 'Stay on the ward; residential care; Elm Court with 24-hour support.',
      leastRestrictive: 'Elm Court with support meets her needs and is less restrictive than a care home.',
      decision: 'Move to Elm Court with 24-hour support.',
      reasons: 'Keeps her own front door, as she wishes, with the support her memory needs.',
      ...fields,
    });

    it('refuses a decision that does not follow a finding of lack of capacity, or without the IMCA where nobody can be consulted', async () => {
      const b = await signedIn(t, demo.practitioner);
      const hasCapacity = (await assessments()).find((a) => a.outcome === 'has-capacity')!;
      await b.get(`/people/${personId}/capacity/best-interests/new`);
      const wrong = await b.post(`/people/${personId}/capacity/best-interests/new`, bestInterests({ assessmentId: hasCapacity.id }));
      expect(wrong.statusCode).toBe(422);
      expect(wrong.body).toContain('A best-interests decision follows a completed assessment that found the person lacks capacity for that decision (Mental Capacity Act 2005, section 1(5))');
      const noImca = await b.post(`/people/${personId}/capacity/best-interests/new`, bestInterests({ imcaAdvocate: '', 'imcaInstructedOn-day': '', 'imcaInstructedOn-month': '', 'imcaInstructedOn-year': '' }));
      expect(noImca.statusCode).toBe(422);
      expect(noImca.body).toContain('Enter the date the IMCA was instructed: there is nobody appropriate to consult (Mental Capacity Act 2005, sections 37 to 39)');
      expect(noImca.body).toContain('Enter the name of the IMCA');
      const consulted = await b.post(`/people/${personId}/capacity/best-interests/new`, bestInterests({ noOneToConsult: 'no', leastRestrictive: '' }));
      expect(consulted.body).toContain('Enter who was consulted and what they said');
      expect(consulted.body).toContain('Enter the least restrictive option and whether it meets the need (Mental Capacity Act 2005, section 1(6))');
      expect(await t.database.db.select().from(bestInterestsDecision).where(eq(bestInterestsDecision.personId, personId))).toHaveLength(0);
    });

    it('records a best-interests meeting with an IMCA instructed, audited', async () => {
      const b = await signedIn(t, demo.practitioner);
      const form = await b.get(`/people/${personId}/capacity/best-interests/new?assessment=${lacksId}`);
      expect(form.body).toContain('Whether to move to the supported living flat at Elm Court (lacks capacity for this decision');
      const res = await b.post(`/people/${personId}/capacity/best-interests/new`, bestInterests());
      expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
      const [saved] = await t.database.db.select().from(bestInterestsDecision).where(eq(bestInterestsDecision.personId, personId));
      decisionId = saved!.id;
      const [imca] = await t.database.db.select().from(imcaInstruction).where(eq(imcaInstruction.bestInterestsId, decisionId));
      expect(imca).toMatchObject({ advocate: 'Jordan Rivers', instructedOn: '2026-12-01', reportReceivedOn: null });
      expect((await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'imca.instructed'))).length).toBe(1);
      const page = await b.get(res.headers.location as string);
      expect(page.body).toContain('Waiting for the report');
      expect(page.body).toContain('Due by 29 December 2026');
      expect((await views(personId, '"page":"best-interests"')).length).toBeGreaterThan(0);
    });

    it('puts an IMCA report not received after 28 days in the instructing practitioner’s queue and tells them once', async () => {
      const b = await signedIn(t, demo.practitioner);
      expect((await b.get('/waiting?kind=imca-report')).body).not.toContain('Chase the IMCA’s report');
      clock.set('2026-12-29T10:00:00Z');
      try {
        const queue = await b.get('/waiting?kind=imca-report');
        expect(queue.body).toContain('Chase the IMCA’s report: Jordan Rivers (Northvale Advocacy) was instructed on 1 December 2026');
        const manager = await signedIn(t, demo.manager);
        expect((await manager.get('/waiting?kind=imca-report')).body).not.toContain('Jordan Rivers');
        expect(await queueImcaReportReminders(t.database.db, { clock })).toBeGreaterThanOrEqual(1);
        expect(await queueImcaReportReminders(t.database.db, { clock })).toBe(0);
        const practitionerId = (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demo.practitioner)))[0]!.id;
        const told = (await t.database.db.select().from(notification).where(eq(notification.recipientUserId, practitionerId))).filter((n) => n.kind === 'imca-report-overdue' && n.personId === personId);
        expect(told).toHaveLength(1);
        expect(told[0]!.subject).toBe('IMCA report overdue for Morgan Capacityfixture');

        // Recording the report takes it out of the queue.
        const [imca] = await t.database.db.select().from(imcaInstruction).where(eq(imcaInstruction.bestInterestsId, decisionId));
        await b.get(`/people/${personId}/capacity/best-interests/${decisionId}`);
        const empty = await b.post(`/people/${personId}/capacity/imca/${imca!.id}/report`, { version: String(imca!.version), bestInterestsId: decisionId, ...dateForm('receivedOn', '2026-12-28'), summary: '' });
        expect(empty.statusCode).toBe(422);
        expect(empty.body).toContain('Enter what the IMCA’s report says');
        const ok = await b.post(`/people/${personId}/capacity/imca/${imca!.id}/report`, { version: String(imca!.version), bestInterestsId: decisionId, ...dateForm('receivedOn', '2026-12-28'), summary: 'The IMCA supports Elm Court; she told the IMCA she wants her own door.' });
        expect(ok.statusCode, ok.body.slice(0, 1500)).toBe(302);
        expect((await b.get('/waiting?kind=imca-report')).body).not.toContain('Jordan Rivers');
        const page = await b.get(`/people/${personId}/capacity/best-interests/${decisionId}`);
        expect(page.body).toContain('she wants her own door');
        expect(page.body).toContain('data-qa="imca-state">Report received');
      } finally {
        clock.set('2026-12-07T10:00:00Z');
      }
    });

    it('lets the lead administrator choose the days for an IMCA report; a team manager may not', async () => {
      const admin = await signedIn(t, demo.admin);
      const settings = await admin.get('/admin/plan-settings');
      expect(settings.body).toContain('Save the days for IMCA reports');
      const bad = await admin.post('/admin/plan-settings/capacity', { capacityVersion: '0', imcaReportDays: '0' });
      expect(bad.statusCode).toBe(422);
      expect(bad.body).toContain('The number of days must be between 1 and 180');
      expect((await admin.post('/admin/plan-settings/capacity', { capacityVersion: '0', imcaReportDays: '14' })).statusCode).toBe(302);
      const manager = await signedIn(t, demo.manager);
      expect((await manager.post('/admin/plan-settings/capacity', { capacityVersion: '1', imcaReportDays: '20' })).statusCode).toBe(403);
    });
  });

  it('shows the latest completed assessment about ending aftercare on the ending checklist, or that there is none', async () => {
    const ctx = await contextFor(t, demo.manager, { clock });
    const ending = await proposeEnding(ctx, personId, { effectiveOn: '2026-12-01', reasonCodes: ['no-longer-in-need'], reasons: 'Settled for a year.', personInvolved: true, personView: 'Happy to stop.', otherCarePlan: 'GP reviews.', messageToPerson: 'Your aftercare is ending.' });
    const b = await signedIn(t, demo.practitioner);
    const before = await b.get(`/people/${personId}/endings/${ending.id}`);
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('No completed capacity assessment about ending aftercare is recorded.');
    const res = await record(b, { topic: 'ending-aftercare', decision: 'Whether to agree to her aftercare ending', attached: `ending:${ending.id}`, impairment: 'no', impairmentDetail: '', causalLink: '', causalLinkEvidence: '', retain: 'met', useOrWeigh: 'met' });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    const after = await b.get(`/people/${personId}/endings/${ending.id}`);
    expect(after.body).toContain('Has capacity for this decision: assessed on 4 December 2026 by');
    // An attachment must be this person's: another id is refused.
    const wrong = await record(b, { attached: 'ending:00000000-0000-4000-8000-000000000000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Choose what the outcome is attached to from the list');
  });
});

describe('who may (issue 16: 403 for another organisation on every new route; read-only before input)', () => {
  it('refuses another organisation’s user every capacity page, form and API route', async () => {
    const [a] = await assessments();
    const [d] = await t.database.db.select().from(bestInterestsDecision).where(eq(bestInterestsDecision.personId, personId));
    const [i] = await t.database.db.select().from(imcaInstruction).where(eq(imcaInstruction.personId, personId));
    const other = await signedIn(t, eastbridge);
    const gets = [
      `/people/${personId}/capacity`,
      `/people/${personId}/capacity/new`,
      `/people/${personId}/capacity/assessments/${a!.id}`,
      `/people/${personId}/capacity/assessments/${a!.id}/edit`,
      `/people/${personId}/capacity/best-interests/new`,
      `/people/${personId}/capacity/best-interests/${d!.id}`,
      `/api/v1/people/${personId}/capacity`,
      `/api/v1/people/${personId}/capacity/${a!.id}`,
      `/api/v1/people/${personId}/best-interests`,
      `/api/v1/people/${personId}/best-interests/${d!.id}`,
    ];
    for (const url of gets) expect((await other.get(url)).statusCode, url).toBe(403);
    const posts = [`/people/${personId}/capacity/new`, `/people/${personId}/capacity/assessments/${a!.id}/edit`, `/people/${personId}/capacity/best-interests/new`, `/people/${personId}/capacity/imca/${i!.id}/report`, `/api/v1/people/${personId}/capacity`, `/api/v1/people/${personId}/best-interests`];
    for (const url of posts) expect((await other.post(url, assessmentForm())).statusCode, url).toBe(403);
  });

  it('refuses read-only staff every write before reading their input (403, not 422)', async () => {
    // The trust recorded this person, so the trust's read-only user may read their record.
    const trust = await contextFor(t, 'trust@demo.aftercare.example', { clock });
    const readable = await entitledPerson(trust, { nhsNumber: numbers(), givenName: 'Quinn', familyName: 'Readonlyfixture' });
    const someId = '00000000-0000-4000-8000-000000000001';
    const readOnly = await signedIn(t, demo.readOnly);
    expect((await readOnly.get(`/people/${readable}/capacity`)).statusCode).toBe(200);
    expect((await readOnly.get(`/people/${readable}/capacity/new`)).statusCode).toBe(403);
    for (const url of [`/people/${readable}/capacity/new`, `/people/${readable}/capacity/assessments/${someId}/edit`, `/people/${readable}/capacity/best-interests/new`, `/people/${readable}/capacity/imca/${someId}/report`, `/api/v1/people/${readable}/capacity`, `/api/v1/people/${readable}/best-interests`]) {
      expect((await readOnly.post(url, {})).statusCode, url).toBe(403);
    }
    expect(await assessments(readable)).toHaveLength(0);
  });
});

describe('the API (issue 16, item 8)', () => {
  const complete = {
    topic: 'accommodation',
    decision: 'Whether to move to Birch House',
    assessedDate: '2026-12-05',
    assessedTime: '10:00',
    relevantInformation: 'The house, the support, the cost.',
    practicableSteps: 'Photographs of the house; her keyworker present.',
    impairment: 'yes',
    impairmentDetail: 'Dementia.',
    causalLink: 'yes',
    causalLinkEvidence: 'Her dementia is why she cannot retain it.',
    abilities: { understand: able('Understood.'), retain: { answer: 'not-met', evidence: 'Forgot within minutes.' }, useOrWeigh: able('Weighed it.'), communicate: able('Said so.') },
  };

  it('records a completed assessment (201) and refuses one missing a part with problem+json naming it (422)', async () => {
    const b = await signedIn(t, demo.practitioner);
    const post = (payload: unknown) => t.app.inject({ method: 'POST', url: `/api/v1/people/${personId}/capacity`, payload: payload as object, headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': b.lastCsrf ?? '' } });
    const missing = await post({ ...complete, practicableSteps: '' });
    expect(missing.statusCode, missing.body).toBe(422);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().errors).toContainEqual(expect.objectContaining({ path: 'practicableSteps' }));
    const ok = await post(complete);
    expect(ok.statusCode, ok.body).toBe(201);
    const created = ok.json() as { id: string; outcome: string; status: string };
    expect(created).toMatchObject({ outcome: 'lacks-capacity', status: 'completed' });
    const bi = await t.app.inject({
      method: 'POST',
      url: `/api/v1/people/${personId}/best-interests`,
      payload: { capacityAssessmentId: created.id, kind: 'decision', decidedOn: '2026-12-06', convenedBy: 'Sam Patel', personWishes: 'Wants to be near her son.', beliefsValues: 'Family first.', consulted: 'Her son, who agrees.', noOneToConsult: false, optionsConsidered: 'Birch House; home with care.', leastRestrictive: 'Home with care was tried and failed.', decision: 'Birch House.', reasons: 'Near her son, with the care she needs.' },
      headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': b.lastCsrf ?? '' },
    });
    expect(bi.statusCode, bi.body).toBe(201);
    const list = await b.get(`/api/v1/people/${personId}/best-interests`);
    expect((list.json() as { decisions: Array<{ decision: string }> }).decisions.map((d) => d.decision)).toContain('Birch House.');
    const spec = (await b.get('/api/v1/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/people/{id}/capacity', '/api/v1/people/{id}/capacity/{assessmentId}', '/api/v1/people/{id}/best-interests', '/api/v1/people/{id}/best-interests/{bestInterestsId}']) expect(spec.paths[path], path).toBeDefined();
  });
});
