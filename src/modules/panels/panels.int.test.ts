import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { cliContext } from '../../cli/context.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { appUser, auditEvent, organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/tokens.service.ts';
import { planService } from '../plans/schema.ts';
import { panelCase } from './schema.ts';

/*
 * Issue 6 item 4 (funding panels), through HTTP: a practitioner submits a plan to the panel, the
 * panel (panel@ and commissioner@) meets, records who was present, and decides. A decision
 * without a quorum is refused; approving sets the plan's split and its totals.
 */
let t: TestApp;
let northvale: string;
const numbers = syntheticNhsNumbers(870_000);
const nextNhs = () => numbers.next().value as string;

async function tokenFor(code: string, name: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name })).token;
}
function call(method: 'GET' | 'POST', url: string, token: string = northvale, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

beforeAll(async () => {
  t = await createTestApp();
  northvale = await tokenFor('E06000901', 'Northvale case system');
});
afterAll(async () => {
  await t.close();
});

/** An entitled person (Northvale, ICB QZV) with a draft plan: one need and one £64.50-a-week service split 60/40. */
async function personWithPlan(): Promise<{ personId: string; planId: string }> {
  const res = await call('POST', '/api/v1/people', northvale, { nhsNumber: nextNhs(), givenName: 'Panel', familyName: `Case${Math.random().toString(36).slice(2, 8)}`, dateOfBirth: '1980-05-05' });
  expect(res.statusCode, res.body).toBe(201);
  const personId = (res.json() as { id: string }).id;
  for (const event of [
    { type: 'detention-started', date: '2025-01-10', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' },
    { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2025-03-01' },
  ]) {
    const r = await call('POST', `/api/v1/people/${personId}/events`, northvale, { event });
    expect(r.statusCode, r.body).toBe(201);
  }
  const plan = await call('POST', `/api/v1/people/${personId}/plans`);
  expect(plan.statusCode, plan.body).toBe(201);
  const { id: planId, version } = plan.json() as { id: string; version: number };
  const url = `/api/v1/people/${personId}/plans/${planId}`;
  const need = await call('POST', `${url}/needs`, northvale, {
    version,
    domain: 'mental-health-relapse-prevention',
    description: 'Support to notice early signs of relapse',
    level: 'medium',
    arisesFromMentalDisorder: true,
    reducesRiskOfDeterioration: true,
    testsRationale: 'Relapse last year followed losing contact',
  });
  expect(need.statusCode, need.body).toBe(201);
  const svc = await call('POST', `${url}/services`, northvale, {
    version: version + 1,
    needIds: [(need.json() as { need: { id: string } }).need.id],
    serviceType: 'Community support worker',
    provider: 'Riverside Supported Living',
    startOn: '2025-03-01',
    frequency: '3 visits a week of 1 hour',
    unitsPerWeek: 3,
    unitCostPence: 2150,
    deliveryRoute: 'commissioned',
    localAuthorityPercent: 60,
    icbPercent: 40,
    splitBasis: 'Mostly social care',
  });
  expect(svc.statusCode, svc.body).toBe(201);
  return { personId, planId };
}

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);
async function userId(email: string): Promise<string> {
  return (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;
}
const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!;

async function submitCase(b: Browser, personId: string, planId: string, la = '50'): Promise<string> {
  const form = await b.get(`/people/${personId}/plans/${planId}/panel`);
  expect(form.statusCode, form.body).toBe(200);
  expect(form.body).toContain('Community support worker');
  expect(form.body).toContain('£64.50');
  const res = await b.post(`/people/${personId}/plans/${planId}/panel`, { summary: 'Needs daily support after discharge', localAuthorityPercent: la, basis: 'Equal health and social care needs' });
  expect(res.statusCode, res.body).toBe(302);
  return res.headers.location!.split('/').pop()!;
}

async function meetingWith(panel: Browser, caseId: string, present: string[]): Promise<string> {
  await panel.get('/panels/meetings/new');
  const created = await panel.post('/panels/meetings/new', { 'meetsOn-day': '1', 'meetsOn-month': '6', 'meetsOn-year': '2026', location: 'Room 2, Northvale House', agenda: 'Funding decisions' });
  expect(created.statusCode, created.body).toBe(302);
  const meetingUrl = created.headers.location!;
  await panel.get(meetingUrl);
  expect((await panel.post(`${meetingUrl}/cases`, { caseId })).statusCode).toBe(302);
  const page = await panel.get(meetingUrl);
  const attendance = await panel.post(`${meetingUrl}/attendance`, { version: versionIn(page.body), presentUserIds: present });
  expect(attendance.statusCode, attendance.body).toBe(302);
  return meetingUrl;
}

describe('funding panels', () => {
  it('approves with changes: the plan’s services take the new split and the totals follow', async () => {
    const { personId, planId } = await personWithPlan();
    const practitioner = await signedIn(demo.practitioner);
    const caseId = await submitCase(practitioner, personId, planId);
    const panel = await signedIn(demo.panel);
    const meetingUrl = await meetingWith(panel, caseId, [await userId(demo.panel), await userId(demo.commissioner)]);
    const meeting = await panel.get(meetingUrl);
    expect(meeting.body).toContain('The panel is quorate');

    const casePage = await panel.get(`/panels/cases/${caseId}`);
    expect(casePage.body).toContain('50% local authority, 50% ICB');
    const decided = await panel.post(`/panels/cases/${caseId}/decision`, { version: versionIn(casePage.body), decision: 'approved-with-changes', localAuthorityPercent: '30', reasons: 'Mostly health needs: medication and relapse monitoring', conditions: 'Review at 6 weeks' });
    expect(decided.statusCode, decided.body).toBe(302);

    const services = await t.database.db.select().from(planService).where(eq(planService.planId, planId));
    expect(services.map((s) => s.localAuthorityBasisPoints)).toEqual([3000]);
    expect(services[0]!.splitBasis).toContain('Funding panel');
    const plan = await practitioner.get(`/people/${personId}/plans/${planId}`);
    expect(plan.body).toMatch(/data-qa="split">30% \/ 70%/);
    // £64.50 a week: £19.35 local authority, £45.15 ICB.
    expect(plan.body).toMatch(/data-qa="totals-week">[\s\S]*£19\.35[\s\S]*£45\.15[\s\S]*£64\.50/);
    const audit = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, personId), eq(auditEvent.action, 'plan.panel-split-applied')));
    expect(audit).toHaveLength(1);

    const overview = await panel.get('/panels');
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toMatch(/Average time from submission to decision: <strong>0 days/);
    expect(overview.body).toContain('Approved with changes');

    const pack = await panel.get(`${meetingUrl}/pack.pdf`);
    expect(pack.statusCode).toBe(200);
    expect(pack.headers['content-type']).toContain('application/pdf');
    expect(pack.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // The API shows the decision.
    const api = await call('GET', `/api/v1/panel-cases/${caseId}`);
    expect(api.statusCode, api.body).toBe(200);
    expect(api.json()).toMatchObject({ status: 'decided', decision: 'approved-with-changes', decidedLocalAuthorityPercent: 30, weeklyTotals: { localAuthorityPence: 1935, icbPence: 4515, totalPence: 6450 } });
  });

  it('refuses a decision without a quorum, and changes nothing', async () => {
    const { personId, planId } = await personWithPlan();
    const caseId = await submitCase(await signedIn(demo.practitioner), personId, planId, '20');
    const panel = await signedIn(demo.panel);
    // Rowan Hughes sits for both the ICB and Northvale, but alone is not a quorum.
    await meetingWith(panel, caseId, [await userId(demo.panel)]);
    const casePage = await panel.get(`/panels/cases/${caseId}`);
    expect(casePage.body).toContain('two different people');
    const res = await panel.post(`/panels/cases/${caseId}/decision`, { version: versionIn(casePage.body), decision: 'approved', reasons: 'Agreed' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('A decision cannot be recorded without a quorum');
    const row = (await t.database.db.select().from(panelCase).where(eq(panelCase.id, caseId)))[0]!;
    expect(row.decision).toBeNull();
    const services = await t.database.db.select().from(planService).where(eq(planService.planId, planId));
    expect(services.map((s) => s.localAuthorityBasisPoints)).toEqual([6000]);
  });

  it('lets only panel members and commissioners decide', async () => {
    const { personId, planId } = await personWithPlan();
    const practitioner = await signedIn(demo.practitioner);
    const caseId = await submitCase(practitioner, personId, planId);
    const page = await practitioner.get(`/panels/cases/${caseId}`);
    expect(page.body).not.toContain('Record the decision');
    const res = await practitioner.post(`/panels/cases/${caseId}/decision`, { version: '1', decision: 'approved', reasons: 'x' });
    expect(res.statusCode).toBe(403);
    expect((await practitioner.post('/panels/meetings/new', { 'meetsOn-day': '1', 'meetsOn-month': '6', 'meetsOn-year': '2026' })).statusCode).toBe(403);
  });

  it('API: submits a case and reads it back; refuses a plan with no services and bad input', async () => {
    const { personId, planId } = await personWithPlan();
    const res = await call('POST', `/api/v1/people/${personId}/panel-cases`, northvale, { planId, summary: 'Needs support', proposedLocalAuthorityPercent: 40, proposedBasis: 'Mostly health' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { id: string; status: string; proposedLocalAuthorityPercent: number };
    expect(body).toMatchObject({ status: 'submitted', proposedLocalAuthorityPercent: 40 });
    expect(res.headers.location).toBe(`/api/v1/panel-cases/${body.id}`);
    const again = await call('POST', `/api/v1/people/${personId}/panel-cases`, northvale, { planId, summary: 'Again', proposedLocalAuthorityPercent: 40, proposedBasis: 'Mostly health' });
    expect(again.statusCode).toBe(422);
    expect(String(again.headers['content-type'])).toContain('application/problem+json');
    const bad = await call('POST', `/api/v1/people/${personId}/panel-cases`, northvale, { planId, summary: 'x', proposedLocalAuthorityPercent: 140 });
    expect(bad.statusCode).toBe(422);
    expect(String(bad.headers['content-type'])).toContain('application/problem+json');
    expect((await call('GET', '/api/v1/panel-cases/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
