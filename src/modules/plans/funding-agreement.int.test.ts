import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { cliContext } from '../../cli/context.ts';
import { appUser, auditEvent, organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/tokens.service.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { panelCase } from '../panels/schema.ts';
import { addNeed, addService, startPlan, submitPlan } from './index.ts';
import { aftercarePlan, fundingAgreementPolicy, planAgreement, planService } from './schema.ts';

/*
 * Issue 13, item 2: funding that both bodies agreed. Through HTTP, signed in as the demo users:
 * manager@ is a Northvale Council team manager, commissioner@ a commissioner of the ICB (QZV,
 * E54000901), practitioner@ a Northvale practitioner, panel@ sits on the panel for both bodies,
 * admin@ administers the lead organisation (the ICB).
 */
let t: TestApp;
let practitioner: ServiceContext;
const nextNhs = nhsNumbers(880_000);
const ICB_NAME = 'NHS Northvale and Southmere Integrated Care Board';

beforeAll(async () => {
  t = await createTestApp({}, { clock: clockAt('2026-06-01') });
  practitioner = await contextFor(t, demo.practitioner, { clock: clockAt('2026-06-01') });
});
afterAll(async () => {
  await t.close();
});

async function planRow(planId: string) {
  return (await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.id, planId)))[0]!;
}
async function agreements(planId: string) {
  return t.database.db.select({ body: planAgreement.body, agreedBy: planAgreement.agreedBy, agreedAt: planAgreement.agreedAt, panelCaseId: planAgreement.panelCaseId }).from(planAgreement).where(eq(planAgreement.planId, planId));
}
async function userId(email: string): Promise<string> {
  return (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;
}
const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!;

/**
 * A Northvale person (ICB E54000901) with a submitted plan: one need, and one service a week for
 * each cost given (pounds a week, and the local authority's share in percent).
 */
async function submittedPlan(services: Array<{ pounds: string; la: number }>): Promise<{ personId: string; planId: string }> {
  const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs() });
  const plan = await startPlan(practitioner, personId);
  const need = await addNeed(practitioner, personId, plan.id, (await planRow(plan.id)).version, {
    domain: 'accommodation',
    description: 'Supported accommodation with staff on site',
    level: 'high',
    arisesFromMentalDisorder: true,
    reducesRiskOfDeterioration: true,
    testsRationale: 'Relapsed twice when living alone without support',
    accommodationEnhanced: true,
    accommodationFeature: '24-hour staffing',
  });
  for (const s of services) {
    await addService(practitioner, personId, plan.id, (await planRow(plan.id)).version, {
      needIds: [need.id],
      serviceType: 'Supported living',
      provider: 'Riverside Supported Living',
      startOn: '2026-06-01',
      endOn: '',
      frequency: '24-hour support',
      unitsPerWeek: '1',
      unitCostPence: s.pounds,
      deliveryRoute: 'commissioned',
      localAuthorityPercent: String(s.la),
      icbPercent: String(100 - s.la),
      splitBasis: 'Agreed under the joint section 117 policy',
      chargePence: '',
      topUp: null,
    });
  }
  await submitPlan(practitioner, personId, plan.id, (await planRow(plan.id)).version);
  return { personId, planId: plan.id };
}

/** Approve (or try to) on the plan page, as the signed-in person. */
async function approveAs(b: Browser, personId: string, planId: string) {
  const page = await b.get(`/people/${personId}/plans/${planId}`);
  expect(page.statusCode, page.body.slice(0, 500)).toBe(200);
  return b.post(`/people/${personId}/plans/${planId}/approve`, { version: versionIn(page.body.slice(page.body.indexOf('id="approve"'))), decision: 'approve', note: '' });
}

describe('a plan with ICB money needs the ICB’s agreement', () => {
  it('refuses a local authority manager alone on a plan that puts £725 a week on the ICB, saying whose agreement is needed; nothing changes', async () => {
    const { personId, planId } = await submittedPlan([{ pounds: '725.00', la: 0 }]);
    const manager = await signedIn(t, demo.manager);
    const before = await planRow(planId);
    const refused = await approveAs(manager, personId, planId);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain(`This plan cannot be approved without ${ICB_NAME}’s agreement: it puts £725.00 a week on ${ICB_NAME}.`);
    expect(refused.body).toContain('Waiting for the ICB’s agreement');
    const after = await planRow(planId);
    expect(after).toMatchObject({ status: 'submitted', approvedAt: null, approvedBy: null, version: before.version });
    expect(await agreements(planId)).toEqual([]);

    // The page says so to anyone who opens it, and so does the API.
    const page = await manager.get(`/people/${personId}/plans/${planId}`);
    expect(page.body).toMatch(/data-qa="plan-status">Waiting for the ICB’s agreement/);
    expect(page.body).toContain(`Waiting for ${ICB_NAME} to agree`);
    const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    const { token } = await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: 'Northvale case system' });
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/people/${personId}/plans/${planId}`, headers: { authorization: `Bearer ${token}` } });
    expect(api.statusCode, api.body).toBe(200);
    expect((api.json() as { agreement: unknown }).agreement).toEqual({ required: ['icb'], agreed: [], waitingFor: [{ body: 'icb', name: ICB_NAME }] });
  });

  it('on a split plan records the council’s agreement, keeps the plan waiting for the ICB, and tells the ICB’s approvers; the council cannot approve it twice', async () => {
    const { personId, planId } = await submittedPlan([{ pounds: '1150.00', la: 60 }]);
    const commissionerId = await userId(demo.commissioner);
    // Submitting told the ICB's commissioner that the plan waits on the ICB.
    const told = await t.database.db.select().from(notification).where(and(eq(notification.recipientUserId, commissionerId), eq(notification.kind, 'plan-agreement-needed'), eq(notification.personId, personId)));
    expect(told).toHaveLength(1);
    expect(told[0]!.link).toBe(`/people/${personId}/plans/${planId}#approve`);

    const manager = await signedIn(t, demo.manager);
    const first = await approveAs(manager, personId, planId);
    expect(first.statusCode, first.body.slice(0, 800)).toBe(302);
    const shown = await manager.get(first.headers.location!);
    expect(shown.body).toContain('Northvale Council has agreed to the plan. It is not approved yet: it is waiting for');
    expect(shown.body).not.toContain('Success');
    expect(shown.body).toMatch(/data-qa="plan-status">Waiting for the ICB’s agreement/);
    expect((await planRow(planId)).status).toBe('submitted');
    expect((await agreements(planId)).map((a) => [a.body, a.agreedBy])).toEqual([['local-authority', await userId(demo.manager)]]);

    const again = await approveAs(manager, personId, planId);
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain(`Northvale Council has already agreed to this plan. It cannot be approved until ${ICB_NAME} agrees`);

    // The ICB's commissioner agrees: every paying body has, so the plan is approved.
    const commissioner = await signedIn(t, demo.commissioner);
    const approved = await approveAs(commissioner, personId, planId);
    expect(approved.statusCode, approved.body.slice(0, 800)).toBe(302);
    const row = await planRow(planId);
    expect(row).toMatchObject({ status: 'approved', approvedBy: commissionerId });
    expect((await agreements(planId)).map((a) => a.body).sort()).toEqual(['icb', 'local-authority']);
  });

  it('is approved when the ICB’s approver agrees and then the local authority’s approver does; My work shows the council what waits on it', async () => {
    const { personId, planId } = await submittedPlan([{ pounds: '400.00', la: 30 }]);
    const commissioner = await signedIn(t, demo.commissioner);
    const icb = await approveAs(commissioner, personId, planId);
    expect(icb.statusCode, icb.body.slice(0, 800)).toBe(302);
    expect((await planRow(planId)).status).toBe('submitted');
    const page = await commissioner.get(`/people/${personId}/plans/${planId}`);
    expect(page.body).toMatch(/data-qa="plan-status">Waiting for the local authority’s agreement/);
    expect(page.body).toContain(`Morgan Price for ${ICB_NAME}`);

    // The council's manager finds it in the queue waiting for them, and was told.
    const manager = await signedIn(t, demo.manager);
    const work = await manager.get('/waiting?kind=plan');
    expect(work.statusCode).toBe(200);
    const waiting = work.body.slice(work.body.indexOf('data-qa="waiting-table"'));
    expect(waiting).toContain(`/people/${personId}/plans/${planId}#approve`);
    const told = await t.database.db.select().from(notification).where(and(eq(notification.recipientUserId, await userId(demo.manager)), eq(notification.kind, 'plan-agreement-needed'), eq(notification.personId, personId)));
    expect(told.length).toBeGreaterThan(0);

    const la = await approveAs(manager, personId, planId);
    expect(la.statusCode, la.body.slice(0, 800)).toBe(302);
    const row = await planRow(planId);
    expect(row).toMatchObject({ status: 'approved', approvedBy: await userId(demo.manager) });
    const recorded = await agreements(planId);
    expect(recorded.map((a) => a.body).sort()).toEqual(['icb', 'local-authority']);
    for (const a of recorded) expect(a.agreedAt).toBeInstanceOf(Date);
    // Approved: no longer in the council's queue.
    expect((await manager.get('/my-work')).body).not.toContain(`/people/${personId}/plans/${planId}#approve`);
  });

  it('approves a plan whose cost is all on the local authority with the local authority alone, as before', async () => {
    const { personId, planId } = await submittedPlan([{ pounds: '147.00', la: 100 }]);
    const manager = await signedIn(t, demo.manager);
    const res = await approveAs(manager, personId, planId);
    expect(res.statusCode, res.body.slice(0, 800)).toBe(302);
    expect((await manager.get(res.headers.location!)).body).toContain('The plan has been approved');
    expect((await planRow(planId)).status).toBe('approved');
    expect((await agreements(planId)).map((a) => a.body)).toEqual(['local-authority']);
  });

  it('returning the plan to draft removes the agreements given', async () => {
    const { personId, planId } = await submittedPlan([{ pounds: '200.00', la: 50 }]);
    const manager = await signedIn(t, demo.manager);
    expect((await approveAs(manager, personId, planId)).statusCode).toBe(302);
    expect(await agreements(planId)).toHaveLength(1);
    // Permission before input: someone who may only read the record is refused (403), not told the note is missing.
    const practitionerBrowser = await signedIn(t, demo.practitioner);
    await practitionerBrowser.get(`/people/${personId}/plans/${planId}`);
    expect((await practitionerBrowser.post(`/people/${personId}/plans/${planId}/approve`, { version: String((await planRow(planId)).version), decision: 'return', note: '' })).statusCode).toBe(403);
    const page = await manager.get(`/people/${personId}/plans/${planId}`);
    const res = await manager.post(`/people/${personId}/plans/${planId}/approve`, { version: versionIn(page.body.slice(page.body.indexOf('id="approve"'))), decision: 'return', note: 'Check the split with the ICB' });
    expect(res.statusCode).toBe(302);
    expect((await planRow(planId)).status).toBe('draft');
    expect(await agreements(planId)).toEqual([]);
  });
});

describe('a funding panel’s decision never changes an approved plan', () => {
  it('starts the next version with the decided split and the panel’s reference, waiting for approval; the approved version is untouched until it is approved', async () => {
    // Plan 1: all on the council (100/0), approved by the council.
    const { personId, planId } = await submittedPlan([{ pounds: '725.00', la: 100 }]);
    const manager = await signedIn(t, demo.manager);
    expect((await approveAs(manager, personId, planId)).statusCode).toBe(302);
    const approvedBefore = await planRow(planId);
    expect(approvedBefore.status).toBe('approved');
    const servicesBefore = await t.database.db.select().from(planService).where(eq(planService.planId, planId));

    // The practitioner sends it to the panel proposing 50/50; the panel approves.
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/plans/${planId}/panel`);
    const sent = await b.post(`/people/${personId}/plans/${planId}/panel`, { summary: 'Health needs have grown', localAuthorityPercent: '50', basis: 'Equal health and social care needs' });
    expect(sent.statusCode, sent.body.slice(0, 800)).toBe(302);
    const caseId = sent.headers.location!.split('/').pop()!;
    const panel = await signedIn(t, demo.panel);
    await panel.get('/panels/meetings/new');
    const created = await panel.post('/panels/meetings/new', { 'meetsOn-day': '1', 'meetsOn-month': '6', 'meetsOn-year': '2026', location: 'Room 2', agenda: 'Funding' });
    const meetingUrl = created.headers.location!;
    await panel.get(meetingUrl);
    expect((await panel.post(`${meetingUrl}/cases`, { caseId })).statusCode).toBe(302);
    const meeting = await panel.get(meetingUrl);
    expect((await panel.post(`${meetingUrl}/attendance`, { version: versionIn(meeting.body), presentUserIds: [await userId(demo.panel), await userId(demo.commissioner)] })).statusCode).toBe(302);
    const casePage = await panel.get(`/panels/cases/${caseId}`);
    const decided = await panel.post(`/panels/cases/${caseId}/decision`, { version: versionIn(casePage.body), decision: 'approved', reasons: 'Agreed 50/50' });
    expect(decided.statusCode, decided.body.slice(0, 800)).toBe(302);
    expect((await panel.get(decided.headers.location!)).body).toContain('Plan 2 carries the decided split and is waiting for approval; the approved plan stays in place until then.');

    // Plan 1 is untouched: still approved, its services' split unchanged.
    const one = await planRow(planId);
    expect(one).toMatchObject({ status: 'approved', approvedAt: approvedBefore.approvedAt, version: approvedBefore.version, panelCaseId: null });
    const servicesAfter = await t.database.db.select().from(planService).where(eq(planService.planId, planId));
    expect(servicesAfter.map((s) => [s.id, s.localAuthorityBasisPoints, s.splitBasis, s.version])).toEqual(servicesBefore.map((s) => [s.id, s.localAuthorityBasisPoints, s.splitBasis, s.version]));

    // Plan 2 carries the decided split and the panel's reference, waiting for approval.
    const plans = await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.personId, personId));
    const two = plans.find((p) => p.planNumber === 2)!;
    expect(two).toMatchObject({ status: 'submitted', panelCaseId: caseId });
    const twoServices = await t.database.db.select().from(planService).where(eq(planService.planId, two.id));
    expect(twoServices.map((s) => s.localAuthorityBasisPoints)).toEqual([5000]);
    expect(twoServices[0]!.splitBasis).toContain('Funding panel');
    // The panel's decision is both bodies' agreement, with its reference.
    expect((await agreements(two.id)).map((a) => [a.body, a.panelCaseId]).sort()).toEqual([
      ['icb', caseId],
      ['local-authority', caseId],
    ]);
    const page = await manager.get(`/people/${personId}/plans/${two.id}`);
    expect(page.body).toContain(`href="/panels/cases/${caseId}" data-qa="panel-reference"`);
    expect(page.body).toMatch(/data-qa="plan-status">Submitted for approval/);
    const audit = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, personId), eq(auditEvent.action, 'plan.panel-version-started')));
    expect(audit).toHaveLength(1);
    expect((await t.database.db.select().from(panelCase).where(eq(panelCase.id, caseId)))[0]!.decidedLaBasisPoints).toBe(5000);

    // Approved as any version is (the panel counted for the ICB): plan 1 is superseded only now.
    const res = await approveAs(manager, personId, two.id);
    expect(res.statusCode, res.body.slice(0, 800)).toBe(302);
    expect((await planRow(two.id)).status).toBe('approved');
    expect((await planRow(planId)).status).toBe('superseded');
  });
});

describe('the partnership’s threshold for the ICB’s agreement', () => {
  it('is set by the lead organisation’s administrator with its basis (audited); refused to others; then the ICB agrees only above it', async () => {
    const laAdmin = await signedIn(t, demo.laAdmin);
    await laAdmin.get('/');
    expect((await laAdmin.post('/admin/funding-agreement', { mode: 'threshold', thresholdPounds: '100', basis: 'x', version: '0' })).statusCode).toBe(403);

    const admin = await signedIn(t, demo.admin);
    const form = await admin.get('/admin/funding-agreement');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Not set yet: the ICB agrees to any cost it pays.');
    const missing = await admin.post('/admin/funding-agreement', { mode: 'threshold', thresholdPounds: '100', basis: '', version: versionIn(form.body) });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('govuk-error-summary');
    expect(missing.body).toContain('Record the basis of this policy');
    const badAmount = await admin.post('/admin/funding-agreement', { mode: 'threshold', thresholdPounds: 'lots', basis: 'Joint policy', version: versionIn(form.body) });
    expect(badAmount.statusCode).toBe(422);
    expect(badAmount.body).toContain('Enter the amount a week in pounds and pence');
    const saved = await admin.post('/admin/funding-agreement', { mode: 'threshold', thresholdPounds: '100.00', basis: 'Joint section 117 policy, agreed by the ICB board on 1 May 2026', version: versionIn(form.body) });
    expect(saved.statusCode, saved.body.slice(0, 800)).toBe(302);
    const row = (await t.database.db.select().from(fundingAgreementPolicy))[0]!;
    expect(row).toMatchObject({ icbThresholdWeeklyPence: 10_000, icbAlwaysForHealthNeeds: false, basis: 'Joint section 117 policy, agreed by the ICB board on 1 May 2026', updatedBy: await userId(demo.admin) });
    const audit = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'funding-policy.updated'));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.after)).toContain('agreed by the ICB board');
    expect((await admin.get('/admin/funding-agreement')).body).toContain('Last saved by');

    // £80 a week on the ICB (under £100): the council approves alone.
    const small = await submittedPlan([{ pounds: '160.00', la: 50 }]);
    const manager = await signedIn(t, demo.manager);
    expect((await approveAs(manager, small.personId, small.planId)).statusCode).toBe(302);
    expect((await planRow(small.planId)).status).toBe('approved');
    // £150 a week on the ICB (over £100): it waits for the ICB.
    const large = await submittedPlan([{ pounds: '300.00', la: 50 }]);
    expect((await approveAs(manager, large.personId, large.planId)).statusCode).toBe(302);
    expect((await planRow(large.planId)).status).toBe('submitted');
    expect((await manager.get(`/people/${large.personId}/plans/${large.planId}`)).body).toMatch(/data-qa="plan-status">Waiting for the ICB’s agreement/);

    // Back to the default: any ICB cost needs the ICB.
    const again = await admin.get('/admin/funding-agreement');
    expect((await admin.post('/admin/funding-agreement', { mode: 'any', basis: 'Default', version: versionIn(again.body) })).statusCode).toBe(302);
    expect((await t.database.db.select().from(fundingAgreementPolicy))[0]!.icbThresholdWeeklyPence).toBeNull();
  });
});
