import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, appUser } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { recordEvent } from '../register/people.service.ts';
import { learningReview, riskAssessment, riskEscalation } from './index.ts';

/*
 * Issue 15, item 4: risk assessment and escalation through HTTP, with the settable clock. A first
 * assessment is saved and shown on the person page; a rise in level raises an escalation, tells the
 * Northvale team manager and puts it in their queue (not the practitioner's); the manager's outcome
 * closes it; a significant case note raises one too; a crisis outcome and a readmission within 12
 * months prompt learning reviews; another organisation, read-only staff and practitioners are
 * refused what is not theirs; a stale form is a 409; the API answers with the same rules.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
const eastbridge = 'eastbridge@demo.aftercare.example';
const numbers = nhsNumbers(15_400);

function assessmentForm(fields: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    riskToSelf: 'Took an overdose in 2023 when her housing fell through.',
    riskToOthers: 'None identified.',
    riskFromOthers: 'Her former partner has asked her for money.',
    selfNeglect: 'Eats poorly when unwell.',
    relapseSigns: 'Stops answering the phone; sleeps in the day.',
    protectiveFactors: 'Her sister, her dog, the allotment.',
    personsView: '“I know when I am getting ill. I want to be asked, not told.”',
    formulation: 'Risk rises with loss of housing and contact with her former partner.',
    positiveRiskPlan: 'She will manage her own medication, with weekly checks.',
    level: 'low',
    ...dateForm('reviewOn', '2027-03-01'),
    currentId: '',
    currentVersion: '0',
    ...Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)),
  };
}

async function current() {
  return (await t.database.db.select().from(riskAssessment).where(and(eq(riskAssessment.personId, personId)))).find((a) => a.supersededAt === null) ?? null;
}

async function escalations(pid = personId) {
  return t.database.db.select().from(riskEscalation).where(eq(riskEscalation.personId, pid));
}

async function userId(email: string) {
  return (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;
}

async function notificationsFor(email: string, escalationId: string) {
  return (await t.database.db.select().from(notification).where(eq(notification.recipientUserId, await userId(email)))).filter((n) => n.link?.endsWith(escalationId));
}

async function record(b: Browser, fields: Partial<Record<string, string>>) {
  await b.get(`/people/${personId}/risk/new`);
  const now = await current();
  return b.post(`/people/${personId}/risk/new`, assessmentForm({ currentId: now?.id ?? '', currentVersion: String(now?.version ?? 0), ...fields }));
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  personId = await entitledPerson(practitioner, { nhsNumber: numbers(), givenName: 'Robin', familyName: 'Riskfixture' });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('risk assessment and escalation (issue 15, item 4)', () => {
  let escalationId = '';

  it('refuses an assessment without its sections, level or a future review date, saving nothing (422)', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/risk/new`);
    const res = await b.post(`/people/${personId}/risk/new`, assessmentForm({ riskToSelf: '  ', level: '', ...dateForm('reviewOn', '2026-12-01') }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('Enter risk to self');
    expect(res.body).toContain('Choose the level of risk');
    expect(res.body).toContain('The review date must be in the future');
    expect(await current()).toBeNull();
  });

  it('saves a first assessment at low risk, audited, shown on the person page, with no escalation', async () => {
    const b = await signedIn(t, demo.practitioner);
    const form = await b.get(`/people/${personId}/risk/new`);
    // The partnership's definitions beside the level radios.
    expect(form.body).toContain('No current indicators of serious harm');
    const res = await record(b, {});
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
    const saved = (await current())!;
    expect(saved).toMatchObject({ level: 'low', reviewOn: '2027-03-01', assessedOn: '2026-12-07' });
    expect((await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'risk-assessment.recorded'), eq(auditEvent.subjectId, saved.id)))).length).toBe(1);
    expect(await escalations()).toHaveLength(0);
    const page = await b.get(`/people/${personId}`);
    expect(page.body).toContain('data-qa="risk-level">Low</strong> assessed on 7 December 2026');
    expect(page.body).toContain('1 March 2027');
    const one = await b.get(res.headers.location as string);
    expect(one.body).toContain('I know when I am getting ill');
  });

  it('refuses a form opened before somebody else’s assessment (409), keeping theirs', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/risk/new`);
    const res = await b.post(`/people/${personId}/risk/new`, assessmentForm({ currentId: '', currentVersion: '0', level: 'medium' }));
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Somebody else recorded a risk assessment');
    expect((await current())!.level).toBe('low');
  });

  it('raises an escalation when the level rises: the manager is told and sees it in their queue; the practitioner does not', async () => {
    const b = await signedIn(t, demo.practitioner);
    const before = (await current())!;
    const res = await record(b, { level: 'high', riskToSelf: 'Said she has been saving tablets.' });
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
    const now = (await current())!;
    expect(now.level).toBe('high');
    expect(now.id).not.toBe(before.id);
    const all = await t.database.db.select().from(riskAssessment).where(eq(riskAssessment.personId, personId));
    expect(all).toHaveLength(2);
    expect(all.find((a) => a.id === before.id)!.supersededBy).toBe(now.id);
    const [e] = await escalations();
    expect(e).toMatchObject({ reason: 'level-rose', fromLevel: 'low', toLevel: 'high', status: 'open', assessmentId: now.id });
    escalationId = e!.id;
    expect(await notificationsFor(demo.manager, escalationId)).toHaveLength(1);
    expect(await notificationsFor(demo.practitioner, escalationId)).toHaveLength(0);

    const manager = await signedIn(t, demo.manager);
    const queue = await manager.get('/waiting?kind=escalation');
    expect(queue.body).toContain(`/people/${personId}/risk/escalations/${escalationId}`);
    expect(queue.body).toContain('Record the outcome of a risk escalation: risk level rose from low to high');
    const theirs = await b.get('/waiting');
    expect(theirs.body).not.toContain(`/risk/escalations/${escalationId}`);
    const history = await b.get(`/people/${personId}/risk`);
    expect(history.body).toContain('Waiting for a decision');
    expect(history.body.match(/data-qa="assessment-row"/g)).toHaveLength(2);
  });

  it('lets only a team manager record the outcome: practitioner, read-only and another organisation are refused (403)', async () => {
    const outcome = { outcome: 'plan-reviewed', detail: 'Reviewed', version: '1' };
    const practitioner = await signedIn(t, demo.practitioner);
    await practitioner.get(`/people/${personId}/risk/escalations/${escalationId}`);
    expect((await practitioner.post(`/people/${personId}/risk/escalations/${escalationId}`, outcome)).statusCode).toBe(403);
    const readOnly = await signedIn(t, demo.readOnly);
    expect((await readOnly.post(`/people/${personId}/risk/escalations/${escalationId}`, outcome)).statusCode).toBe(403);
    expect((await readOnly.post(`/people/${personId}/risk/new`, assessmentForm())).statusCode).toBe(403);
    const other = await signedIn(t, eastbridge);
    expect([403, 404]).toContain((await other.get(`/people/${personId}/risk`)).statusCode);
    expect((await other.post(`/people/${personId}/risk/new`, assessmentForm())).statusCode).toBe(403);
    expect((await escalations())[0]!.status).toBe('open');
  });

  it('closes the escalation with the manager’s outcome; it leaves the queue; a second, stale save is a 409', async () => {
    const manager = await signedIn(t, demo.manager);
    await manager.get(`/people/${personId}/risk/escalations/${escalationId}`);
    const missing = await manager.post(`/people/${personId}/risk/escalations/${escalationId}`, { outcome: '', detail: '', version: '1' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Choose what was decided');
    const res = await manager.post(`/people/${personId}/risk/escalations/${escalationId}`, { outcome: 'review-meeting-arranged', detail: 'Meeting on Friday with Robin and her sister.', version: '1' });
    expect(res.statusCode).toBe(302);
    const [e] = await escalations();
    expect(e).toMatchObject({ status: 'closed', outcome: 'review-meeting-arranged', outcomeBy: await userId(demo.manager) });
    expect((await manager.get('/waiting?kind=escalation')).body).not.toContain(escalationId);
    const page = await manager.get(`/people/${personId}/risk/escalations/${escalationId}`);
    expect(page.body).toContain('Review meeting arranged');
    const again = await manager.post(`/people/${personId}/risk/escalations/${escalationId}`, { outcome: 'other', detail: 'Again', version: '1' });
    expect(again.statusCode).toBe(409);
    expect((await escalations())[0]!.outcome).toBe('review-meeting-arranged');
  });

  it('does not escalate when the level stays the same or falls', async () => {
    const b = await signedIn(t, demo.practitioner);
    expect((await record(b, { level: 'high' })).statusCode).toBe(302);
    expect((await record(b, { level: 'medium' })).statusCode).toBe(302);
    expect(await escalations()).toHaveLength(1);
  });

  it('raises an escalation when a significant case note is finished, not for a draft', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/notes/new`);
    const note = { type: 'home-visit', ...dateForm('contactDate', '2026-12-06'), contactTime: '11:00', present: '', body: 'Found her distressed.', significant: 'yes' };
    expect((await b.post(`/people/${personId}/notes/new`, { ...note, action: 'draft' })).statusCode).toBe(302);
    expect(await escalations()).toHaveLength(1);
    await b.get(`/people/${personId}/notes/new`);
    expect((await b.post(`/people/${personId}/notes/new`, { ...note, action: 'finish' })).statusCode).toBe(302);
    const raised = (await escalations()).find((e) => e.reason === 'significant-event')!;
    expect(raised).toMatchObject({ status: 'open', fromLevel: 'medium', toLevel: 'medium' });
    expect(raised.caseNoteId).not.toBeNull();
    expect(await notificationsFor(demo.manager, raised.id)).toHaveLength(1);
    const manager = await signedIn(t, demo.manager);
    expect((await manager.get('/waiting?kind=escalation')).body).toContain('significant event recorded');
    escalationId = raised.id;
  });

  it('prompts a learning review after a crisis outcome, completed by the manager and counted', async () => {
    const manager = await signedIn(t, demo.manager);
    await manager.get(`/people/${personId}/risk/escalations/${escalationId}`);
    const res = await manager.post(`/people/${personId}/risk/escalations/${escalationId}`, { outcome: 'crisis-team-involved', detail: 'Crisis team visited the same evening.', version: '1' });
    expect(res.statusCode).toBe(302);
    const queue = await manager.get('/waiting?kind=learning-review');
    const href = `/people/${personId}/risk/learning-reviews/new?trigger=crisis&amp;for=${escalationId}`;
    expect(queue.body).toContain(href);
    const form = await manager.get(`/people/${personId}/risk/learning-reviews/new?trigger=crisis&for=${escalationId}`);
    expect(form.statusCode).toBe(200);
    const empty = await manager.post(`/people/${personId}/risk/learning-reviews/new`, { trigger: 'crisis', for: escalationId, whatHappened: '', whatPlanSaid: 'x', whatChanges: 'y' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Say what happened');
    const practitioner = await signedIn(t, demo.practitioner);
    await practitioner.get(`/people/${personId}/risk`);
    expect((await practitioner.post(`/people/${personId}/risk/learning-reviews/new`, { trigger: 'crisis', for: escalationId, whatHappened: 'a', whatPlanSaid: 'b', whatChanges: 'c' })).statusCode).toBe(403);
    const done = await manager.post(`/people/${personId}/risk/learning-reviews/new`, { trigger: 'crisis', for: escalationId, whatHappened: 'Crisis after a visit from her former partner.', whatPlanSaid: 'Weekly checks.', whatChanges: 'Safeguarding plan for contact with him.' });
    expect(done.statusCode).toBe(302);
    expect(await t.database.db.select().from(learningReview).where(eq(learningReview.triggerId, escalationId))).toHaveLength(1);
    const twice = await manager.post(`/people/${personId}/risk/learning-reviews/new`, { trigger: 'crisis', for: escalationId, whatHappened: 'Again', whatPlanSaid: 'Again', whatChanges: 'Again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('A learning review has already been completed for this.');
    expect(await t.database.db.select().from(learningReview).where(eq(learningReview.triggerId, escalationId))).toHaveLength(1);
    expect((await manager.get('/waiting?kind=learning-review')).body).not.toContain(`for=${escalationId}`);
    expect((await manager.get(`/people/${personId}/risk`)).body).toContain('Safeguarding plan for contact with him.');
  });

  it('prompts a learning review for a readmission within 12 months of leaving hospital', async () => {
    const ctx = await contextFor(t, demo.practitioner, { clock });
    const readmitted = await entitledPerson(ctx, { nhsNumber: numbers(), givenName: 'Ash', familyName: 'Readmitted', detainedOn: '2025-09-01', dischargedOn: '2026-02-01' });
    await recordEvent(ctx, readmitted, { event: { type: 'detention-started', date: '2026-11-20', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' }, hospital: 'Northvale Hospital' });
    const manager = await signedIn(t, demo.manager);
    const queue = await manager.get('/waiting?kind=learning-review');
    expect(queue.body).toContain(`/people/${readmitted}/risk/learning-reviews/new?trigger=readmission`);
    expect(queue.body).toContain('readmitted on 20 November 2026, within 12 months of leaving hospital on 1 February 2026');
    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.get('/waiting')).body).not.toContain(`/people/${readmitted}/risk/learning-reviews`);
    // Counted on the dashboard (competency domain 4): the crisis review done, this one still to do.
    const dashboard = await manager.get('/dashboards');
    expect(dashboard.body).toContain('Learning from crises and readmissions (competency domain 4, leader level)');
    expect(dashboard.body).toMatch(/data-qa="learning-reviews-completed">1</);
    const outstanding = Number(/data-qa="learning-reviews-outstanding">(\d+)</.exec(dashboard.body)![1]);
    expect(outstanding).toBeGreaterThanOrEqual(1);
  });

  it('serves GET /api/v1/people/{id}/risk with the current assessment and the history, and refuses another organisation', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/api/v1/people/${personId}/risk`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { current: { level: string; reviewOverdue: boolean }; history: unknown[]; escalations: Array<{ status: string }> };
    expect(body.current).toMatchObject({ level: 'medium', reviewOverdue: false });
    expect(body.history).toHaveLength(4);
    expect(body.escalations.map((e) => e.status).sort()).toEqual(['closed', 'closed']);
    const other = await signedIn(t, eastbridge);
    expect([403, 404]).toContain((await other.get(`/api/v1/people/${personId}/risk`)).statusCode);
    const spec = (await b.get('/api/v1/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(spec.paths['/api/v1/people/{id}/risk']).toBeDefined();
  });

  it('shows the review as overdue once its date has passed', async () => {
    clock.set('2027-06-01T10:00:00Z');
    try {
      const b = await signedIn(t, demo.practitioner);
      const page = await b.get(`/people/${personId}`);
      expect(page.body).toMatch(/data-qa="risk-review">1 March 2027 <strong class="govuk-tag govuk-tag--red">Overdue/);
    } finally {
      clock.set('2026-12-07T10:00:00Z');
    }
  });

  it('lets the lead administrator change the level definitions, shown beside the levels', async () => {
    const admin = await signedIn(t, demo.admin);
    const settings = await admin.get('/admin/plan-settings');
    expect(settings.body).toContain('Save the risk level definitions');
    const bad = await admin.post('/admin/plan-settings/risk-levels', { riskLevelsVersion: '0', lowDefinition: '', mediumDefinition: 'm', highDefinition: 'h' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter what low risk means in your partnership');
    const ok = await admin.post('/admin/plan-settings/risk-levels', { riskLevelsVersion: '0', lowDefinition: 'Northvale low: stable.', mediumDefinition: 'Northvale medium.', highDefinition: 'Northvale high.' });
    expect(ok.statusCode).toBe(302);
    const manager = await signedIn(t, demo.manager);
    expect((await manager.post('/admin/plan-settings/risk-levels', { riskLevelsVersion: '1', lowDefinition: 'x', mediumDefinition: 'y', highDefinition: 'z' })).statusCode).toBe(403);
    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.get(`/people/${personId}/risk/new`)).body).toContain('Northvale low: stable.');
  });
});
