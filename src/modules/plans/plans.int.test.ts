import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { cliContext } from '../../cli/context.ts';
import { addMonths } from '../../domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/tokens.service.ts';
import { aftercarePlan, budgetRequest, planService } from './schema.ts';

/*
 * The acceptance tests of issue 5 (aftercare plans), through HTTP: the plans API with bearer
 * tokens for building drafts, and the plan pages, signed in as the demo users, for what only a
 * person does (approving a plan, recording a personal health budget decision).
 *
 * The demo partnership: ICB QZV (E54000901, lead), Northvale Council E06000901, Southmere
 * E06000902. manager@ is a Northvale team manager, senior@ a Southmere senior practitioner,
 * practitioner@ a Northvale practitioner.
 */
let t: TestApp;
/** Northvale Council's case system. */
let northvale: string;
/** A second Northvale client: "another person" editing the same draft. */
let northvaleColleague: string;
const numbers = syntheticNhsNumbers(860_000);
const nextNhs = () => numbers.next().value as string;

async function tokenFor(code: string, name: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name })).token;
}

beforeAll(async () => {
  t = await createTestApp();
  northvale = await tokenFor('E06000901', 'Northvale case system');
  northvaleColleague = await tokenFor('E06000901', 'Northvale case system (second desk)');
});
afterAll(async () => {
  await t.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
function call(method: Method, url: string, token: string = northvale, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

interface Problem {
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}
function expectProblem(res: { statusCode: number; body: string; headers: Record<string, unknown>; json: () => unknown }, status: number, path?: string): Problem {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const problem = res.json() as Problem;
  if (path !== undefined) expect(problem.errors?.map((e) => e.path), res.body).toContain(path);
  return problem;
}
const messageAt = (problem: Problem, path: string) => problem.errors!.find((e) => e.path === path)!.message;

/**
 * An entitled person, added and detained under s3 through the API by `token`'s organisation (so it
 * is involved with them). Their responsible local authority is where they were ordinarily
 * resident; their ICB the ICB of their GP.
 */
async function entitledPerson(options: { ordinaryResidence?: string; dateOfBirth?: string; token?: string } = {}): Promise<string> {
  const token = options.token ?? northvale;
  const res = await call('POST', '/api/v1/people', token, { nhsNumber: nextNhs(), givenName: 'Plan', familyName: `Person${Math.random().toString(36).slice(2, 8)}`, dateOfBirth: options.dateOfBirth ?? '1979-06-15' });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  const events = [
    { type: 'detention-started', date: '2025-01-10', legalStatusCode: '03', ordinaryResidence: options.ordinaryResidence ?? 'E06000901', icbOfGpRegistration: 'E54000901' },
    { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2025-03-01' },
  ];
  let decision: { status: string; responsibleLocalAuthority: string | null } = { status: '', responsibleLocalAuthority: null };
  for (const event of events) {
    const r = await call('POST', `/api/v1/people/${id}/events`, token, { event });
    expect(r.statusCode, r.body).toBe(201);
    decision = (r.json() as { decision: typeof decision }).decision;
  }
  expect(decision).toMatchObject({ status: 'entitled', responsibleLocalAuthority: options.ordinaryResidence ?? 'E06000901' });
  return id;
}

interface ApiNeed {
  id: string;
  lineageId: string;
  category: string;
  s117: boolean;
  summary: string;
  reasons: Array<{ rule: string; text: string }>;
}
interface Totals {
  localAuthorityPence: number;
  icbPence: number;
  totalPence: number;
}
interface ApiService {
  id: string;
  lineageId: string;
  serviceType: string;
  s117: boolean;
  weeklyCostPence: number;
  chargePence: number;
  topUp: { preferredWeeklyPence: number; usualWeeklyPence: number; payer: string; topUpWeeklyPence: number } | null;
  weekly: Totals;
}
interface ApiPlan {
  id: string;
  planNumber: number;
  status: string;
  version: number;
  personVoice: string | null;
  goals: string | null;
  needs: ApiNeed[];
  services: ApiService[];
  totals: { weekly: Totals; yearly: Totals; weeksPerYear: number };
  approvedAt: string | null;
  supersededAt: string | null;
}

const needBody = (fields: Record<string, unknown> = {}) => ({
  domain: 'mental-health-relapse-prevention',
  description: 'Support to notice early signs of relapse and act on them',
  level: 'medium',
  arisesFromMentalDisorder: true,
  reducesRiskOfDeterioration: true,
  testsRationale: 'Relapse last year followed losing contact with the team',
  ...fields,
});
const serviceBody = (needIds: string[], fields: Record<string, unknown> = {}) => ({
  needIds,
  serviceType: 'Community support worker',
  provider: 'Riverside Supported Living',
  startOn: '2025-03-01',
  frequency: '3 visits a week of 1 hour',
  unitsPerWeek: 3,
  unitCostPence: 2150,
  deliveryRoute: 'commissioned',
  localAuthorityPercent: 60,
  icbPercent: 40,
  splitBasis: 'Mostly social care support, agreed at the joint panel',
  ...fields,
});

/** A client that keeps the plan's version between calls, as a case system would. */
class Draft {
  version: number;
  constructor(
    readonly personId: string,
    readonly planId: string,
    version: number,
    readonly token = northvale,
  ) {
    this.version = version;
  }
  static async start(personId: string, token = northvale): Promise<Draft> {
    const res = await call('POST', `/api/v1/people/${personId}/plans`, token);
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json() as ApiPlan;
    return new Draft(personId, plan.id, plan.version, token);
  }
  get url() {
    return `/api/v1/people/${this.personId}/plans/${this.planId}`;
  }
  async addNeed(fields: Record<string, unknown> = {}): Promise<ApiNeed> {
    const res = await call('POST', `${this.url}/needs`, this.token, { version: this.version, ...needBody(fields) });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { planVersion: number; need: ApiNeed };
    this.version = body.planVersion;
    return body.need;
  }
  async addService(needIds: string[], fields: Record<string, unknown> = {}): Promise<ApiService> {
    const res = await call('POST', `${this.url}/services`, this.token, { version: this.version, ...serviceBody(needIds, fields) });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { planVersion: number; service: ApiService };
    this.version = body.planVersion;
    return body.service;
  }
  async read(): Promise<ApiPlan> {
    const res = await call('GET', this.url, this.token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ApiPlan;
  }
  async submit(): Promise<void> {
    const res = await call('POST', `${this.url}/submit`, this.token, { version: this.version });
    expect(res.statusCode, res.body).toBe(200);
    this.version = (res.json() as ApiPlan).version;
  }
}

async function planRow(planId: string) {
  return (await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.id, planId)))[0]!;
}
async function serviceRows(planId: string) {
  return t.database.db.select().from(planService).where(eq(planService.planId, planId));
}
async function orgId(code: string): Promise<string> {
  return (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!.id;
}

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);

/** Approve (or try to) through the plan page, as a signed-in person does. */
async function approveAs(b: Browser, personId: string, planId: string, version: number) {
  const page = await b.get(`/people/${personId}/plans/${planId}`);
  expect(page.statusCode, page.body.slice(0, 500)).toBe(200);
  return b.post(`/people/${personId}/plans/${planId}/approve`, { version: String(version), decision: 'approve', note: 'Agreed at the joint panel' });
}

/**
 * The ICB's commissioner agrees to a submitted plan first (issue 13: every plan here puts cost on
 * the ICB, so the ICB must agree); returns the plan's version after.
 */
async function icbAgrees(personId: string, planId: string, version: number): Promise<number> {
  const commissioner = await signedIn(demo.commissioner);
  const res = await approveAs(commissioner, personId, planId, version);
  expect(res.statusCode, res.body.slice(0, 1000)).toBe(302);
  const row = await planRow(planId);
  expect(row.status).toBe('submitted');
  return row.version;
}

describe('charges, splits and top-ups (R20, R26, R22)', () => {
  it('refuses a charge on a section 117 service with the clear message, saving nothing: no service row, the plan version unchanged', async () => {
    const draft = await Draft.start(await entitledPerson());
    const need = await draft.addNeed();
    expect(need.s117).toBe(true);
    const before = await draft.read();

    const res = await call('POST', `${draft.url}/services`, northvale, { version: draft.version, ...serviceBody([need.id], { chargePence: 1500 }) });
    const problem = expectProblem(res, 422, 'chargePence');
    expect(messageAt(problem, 'chargePence')).toBe(
      'Section 117 aftercare is free: this service meets a section 117 need, so the person cannot be charged for it (R v Manchester CC ex p Stennett [2002] UKHL 34). Remove the charge of £15.00.',
    );
    expect(await serviceRows(draft.planId)).toEqual([]);
    const after = await draft.read();
    expect(after.version).toBe(before.version);
    expect(after.services).toEqual([]);
    expect((await planRow(draft.planId)).version).toBe(before.version);

    // The same service without the charge is accepted and stored free.
    const free = await draft.addService([need.id]);
    expect(free).toMatchObject({ s117: true, chargePence: 0 });
    // And a change that adds a charge to it is refused too, leaving it as it was.
    const put = await call('PUT', `${draft.url}/services/${free.id}`, northvale, { version: draft.version, ...serviceBody([need.id], { chargePence: 1 }) });
    expectProblem(put, 422, 'chargePence');
    expect((await serviceRows(draft.planId)).map((s) => s.chargePence)).toEqual([0]);
    expect((await draft.read()).version).toBe(draft.version);
  });

  it('accepts a charge on a service meeting only a need that is not section 117 (a Care Act need)', async () => {
    const draft = await Draft.start(await entitledPerson());
    const careAct = await draft.addNeed({ domain: 'daily-living', description: 'Help with shopping', reducesRiskOfDeterioration: false, eligibleCareActNeed: true });
    expect(careAct).toMatchObject({ s117: false, category: 'care-act' });
    const charged = await draft.addService([careAct.id], { serviceType: 'Shopping support', chargePence: 1500 });
    expect(charged).toMatchObject({ s117: false, chargePence: 1500 });
  });

  it('refuses a split that does not add up to 100%, saving nothing', async () => {
    const draft = await Draft.start(await entitledPerson());
    const need = await draft.addNeed();
    const version = draft.version;
    for (const [la, icb, total] of [
      [60, 30, '90'],
      [50, 50.01, '100.01'],
      [0, 0, '0'],
    ] as const) {
      const problem = expectProblem(
        await call('POST', `${draft.url}/services`, northvale, { version, ...serviceBody([need.id], { localAuthorityPercent: la, icbPercent: icb }) }),
        422,
        'localAuthorityPercent',
      );
      expect(messageAt(problem, 'localAuthorityPercent')).toBe(`The shares must add up to 100%; they add up to ${total}%`);
    }
    expect(await serviceRows(draft.planId)).toEqual([]);
    expect((await planRow(draft.planId)).version).toBe(version);
    // 33.33% + 66.67% is whole.
    const split = await draft.addService([need.id], { localAuthorityPercent: 33.33, icbPercent: 66.67 });
    expect(split).toMatchObject({ s117: true });
    expect((await serviceRows(draft.planId))[0]!.localAuthorityBasisPoints).toBe(3333);
  });

  it('refuses a top-up for someone under 18, and takes it for an adult as preferred minus usual', async () => {
    // 16 years and 2 months old today.
    const dateOfBirth = addMonths(todayInLondon(), -(16 * 12 + 2));
    const child = await Draft.start(await entitledPerson({ dateOfBirth }));
    const accommodation = { domain: 'accommodation', description: 'Supported accommodation', accommodationEnhanced: true, accommodationFeature: '24-hour staffing by mental health workers' };
    const childNeed = await child.addNeed(accommodation);
    expect(childNeed.s117).toBe(true);
    const topUp = { preferredWeeklyPence: 95_000, usualWeeklyPence: 80_000, payer: 'third-party' };
    const version = child.version;
    const problem = expectProblem(
      await call('POST', `${child.url}/services`, northvale, { version, ...serviceBody([childNeed.id], { serviceType: 'Supported living placement', unitsPerWeek: 1, unitCostPence: 80_000, localAuthorityPercent: 50, icbPercent: 50, topUp }) }),
      422,
      'topUp',
    );
    expect(messageAt(problem, 'topUp')).toMatch(/^A top-up for preferred accommodation is only for adults: Plan Person\w+ is 16 /);
    expect(await serviceRows(child.planId)).toEqual([]);
    expect((await planRow(child.planId)).version).toBe(version);

    const adult = await Draft.start(await entitledPerson());
    const adultNeed = await adult.addNeed(accommodation);
    const placement = await adult.addService([adultNeed.id], { serviceType: 'Supported living placement', unitsPerWeek: 1, unitCostPence: 80_000, localAuthorityPercent: 50, icbPercent: 50, topUp });
    // £950 − £800 = £150 a week, paid by a third party; the bodies still pay the usual cost only.
    expect(placement.topUp).toEqual({ preferredWeeklyPence: 95_000, usualWeeklyPence: 80_000, payer: 'third-party', topUpWeeklyPence: 15_000 });
    expect(placement.chargePence).toBe(0);
    expect((await adult.read()).totals.weekly).toEqual({ localAuthorityPence: 40_000, icbPence: 40_000, totalPence: 80_000 });
  });
});

describe('approval (s117(2), (3): the responsible bodies)', () => {
  it('refuses approval with 403 to a team manager of a body that is not responsible, and lets a senior practitioner of the responsible authority approve', async () => {
    // Ordinarily resident in Southmere: Southmere is responsible; Northvale recorded the person, so is only involved.
    const personId = await entitledPerson({ ordinaryResidence: 'E06000902' });
    const draft = await Draft.start(personId);
    const need = await draft.addNeed();
    await draft.addService([need.id]);
    await draft.submit();

    const manager = await signedIn(demo.manager);
    const refused = await approveAs(manager, personId, draft.planId, draft.version);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Only a team manager or senior practitioner of the responsible local authority or ICB can approve');
    let row = await planRow(draft.planId);
    expect(row).toMatchObject({ status: 'submitted', approvedAt: null, approvedBy: null, version: draft.version });

    // Issue 13: the plan puts 40% on the ICB, so the ICB agrees before the council's approval completes it.
    draft.version = await icbAgrees(personId, draft.planId, draft.version);
    const senior = await signedIn(demo.senior);
    const approved = await approveAs(senior, personId, draft.planId, draft.version);
    expect(approved.statusCode, approved.body.slice(0, 1000)).toBe(302);
    row = await planRow(draft.planId);
    expect(row.status).toBe('approved');
    expect(row.approvedForOrganisationId).toBe(await orgId('E06000902'));
    expect(row.approvalNote).toBe('Agreed at the joint panel');
    expect((await draft.read()).status).toBe('approved');
  });

  it('approving plan 2 supersedes plan 1; plan 2 starts as a copy of plan 1', async () => {
    const personId = await entitledPerson();
    const first = await Draft.start(personId);
    const need = await first.addNeed();
    const svc = await first.addService([need.id]);
    await first.submit();
    first.version = await icbAgrees(personId, first.planId, first.version);
    const manager = await signedIn(demo.manager);
    expect((await approveAs(manager, personId, first.planId, first.version)).statusCode).toBe(302);
    expect((await first.read()).status).toBe('approved');

    const second = await Draft.start(personId);
    const copy = await second.read();
    expect(copy).toMatchObject({ planNumber: 2, status: 'draft' });
    expect(copy.needs.map((n) => n.lineageId)).toEqual([need.lineageId]);
    expect(copy.services.map((s) => [s.lineageId, s.weeklyCostPence])).toEqual([[svc.lineageId, svc.weeklyCostPence]]);
    // Plan 1 stays approved while plan 2 is a draft.
    expect((await planRow(first.planId)).status).toBe('approved');
    await second.submit();
    second.version = await icbAgrees(personId, second.planId, second.version);
    expect((await approveAs(manager, personId, second.planId, second.version)).statusCode).toBe(302);

    const one = await planRow(first.planId);
    expect(one.status).toBe('superseded');
    expect(one.supersededAt).not.toBeNull();
    expect((await planRow(second.planId)).status).toBe('approved');
    const list = (await call('GET', `/api/v1/people/${personId}/plans`)).json() as { plans: Array<{ id: string; status: string }>; current: string; open: string | null };
    expect(list.plans.map((p) => [p.id, p.status])).toEqual([
      [second.planId, 'approved'],
      [first.planId, 'superseded'],
    ]);
    expect(list).toMatchObject({ current: second.planId, open: null });
    const approved = await t.database.db.select().from(aftercarePlan).where(and(eq(aftercarePlan.personId, personId), eq(aftercarePlan.status, 'approved')));
    expect(approved).toHaveLength(1);
  });

  it('refuses to start a second draft while one is open (draft or submitted)', async () => {
    const personId = await entitledPerson();
    const draft = await Draft.start(personId);
    const plans = async () => (await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.personId, personId))).length;
    let problem = expectProblem(await call('POST', `/api/v1/people/${personId}/plans`), 422, 'plan');
    expect(messageAt(problem, 'plan')).toBe('Plan 1 is already in draft: carry on with it');
    expect(await plans()).toBe(1);
    const need = await draft.addNeed();
    await draft.addService([need.id]);
    await draft.submit();
    problem = expectProblem(await call('POST', `/api/v1/people/${personId}/plans`), 422, 'plan');
    expect(messageAt(problem, 'plan')).toBe('Plan 1 is already waiting for approval: carry on with it');
    expect(await plans()).toBe(1);
  });
});

describe('two people editing the same draft', () => {
  it('cannot overwrite each other silently: both read version v, the first save wins, the second gets 409 and the first’s change is intact', async () => {
    const personId = await entitledPerson();
    const draft = await Draft.start(personId);
    const plan = `/api/v1/people/${personId}/plans/${draft.planId}`;

    // Both open the plan at the same version.
    const a = (await call('GET', plan, northvale)).json() as ApiPlan;
    const b = (await call('GET', plan, northvaleColleague)).json() as ApiPlan;
    expect(a.version).toBe(b.version);
    const v = a.version;

    const first = await call('PATCH', plan, northvale, { version: v, personVoice: 'I want to be near my sister' });
    expect(first.statusCode, first.body).toBe(200);
    const second = await call('PATCH', plan, northvaleColleague, { version: v, personVoice: 'I want to move to the coast' });
    expect(expectProblem(second, 409).detail).toBe('Somebody else changed this record after you opened it. Your changes have not been saved.');
    let now = (await call('GET', plan, northvaleColleague)).json() as ApiPlan;
    expect(now.personVoice).toBe('I want to be near my sister');
    expect(now.version).toBe(v + 1);

    // The same for needs: both add one at version v + 1; only the first is kept.
    const needA = await call('POST', `${plan}/needs`, northvale, { version: v + 1, ...needBody({ description: 'Need from the first desk' }) });
    expect(needA.statusCode, needA.body).toBe(201);
    expectProblem(await call('POST', `${plan}/needs`, northvaleColleague, { version: v + 1, ...needBody({ description: 'Need from the second desk' }) }), 409);
    now = (await call('GET', plan, northvaleColleague)).json() as ApiPlan;
    expect(now.needs.map((n) => (n as unknown as { description: string }).description)).toEqual(['Need from the first desk']);
    expect(now.version).toBe(v + 2);
    expect(now.personVoice).toBe('I want to be near my sister');
  });
});

describe('funding totals (R26, src/domain/funding.ts)', () => {
  it('totals a plan with mixed splits by funder, a week and a year, to the penny', async () => {
    const draft = await Draft.start(await entitledPerson());
    const need = await draft.addNeed();
    // 1. £21.50 × 7.5 hours = 16125p a week, split 60/40:
    //    LA 16125 × 0.6 = 9675, ICB 16125 − 9675 = 6450.
    //    A year: 16125 × 52 = 838500; LA 838500 × 0.6 = 503100, ICB 335400.
    const s1 = await draft.addService([need.id], { serviceType: 'Support worker', unitCostPence: 2150, unitsPerWeek: 7.5, localAuthorityPercent: 60, icbPercent: 40 });
    // 2. £95.00 × 3 sessions = 28500p a week, all the local authority's (100/0).
    //    A year: 28500 × 52 = 1482000, all LA.
    const s2 = await draft.addService([need.id], { serviceType: 'Day service', unitCostPence: 9500, unitsPerWeek: 3, localAuthorityPercent: 100, icbPercent: 0 });
    // 3. £17.99 × 1.5 hours = 2698.5p → 2699p a week (half a penny rounds up), split 33.33/66.67:
    //    LA 2699 × 0.3333 = 899.5767 → 900, ICB 2699 − 900 = 1799.
    //    A year: 2699 × 52 = 140348; LA 140348 × 0.3333 = 46777.9884 → 46778, ICB 140348 − 46778 = 93570.
    const s3 = await draft.addService([need.id], { serviceType: 'Psychology', unitCostPence: 1799, unitsPerWeek: 1.5, localAuthorityPercent: 33.33, icbPercent: 66.67 });
    expect(s1.weekly).toEqual({ localAuthorityPence: 9675, icbPence: 6450, totalPence: 16125 });
    expect(s2.weekly).toEqual({ localAuthorityPence: 28500, icbPence: 0, totalPence: 28500 });
    expect(s3.weekly).toEqual({ localAuthorityPence: 900, icbPence: 1799, totalPence: 2699 });
    expect(s3.weeklyCostPence).toBe(2699);

    const plan = await draft.read();
    expect(plan.services.map((s) => s.weekly)).toEqual([s1.weekly, s2.weekly, s3.weekly]);
    expect(plan.totals).toEqual({
      // LA 9675 + 28500 + 900 = 39075; ICB 6450 + 0 + 1799 = 8249; total 16125 + 28500 + 2699 = 47324.
      weekly: { localAuthorityPence: 39_075, icbPence: 8_249, totalPence: 47_324 },
      // LA 503100 + 1482000 + 46778 = 2031878; ICB 335400 + 0 + 93570 = 428970; total 838500 + 1482000 + 140348 = 2460848.
      yearly: { localAuthorityPence: 2_031_878, icbPence: 428_970, totalPence: 2_460_848 },
      weeksPerYear: 52,
    });
  });
});

describe('classifying needs (R19, R21, R42)', () => {
  it('classifies a need failing test (b) and ordinary accommodation as not section 117, and accommodation-plus with its feature as section 117', async () => {
    const draft = await Draft.start(await entitledPerson());
    const both = await draft.addNeed();
    expect(both).toMatchObject({ category: 'section-117', s117: true });

    const failsB = await draft.addNeed({ domain: 'work-education-volunteering', description: 'Wants to learn to drive', reducesRiskOfDeterioration: false });
    expect(failsB.s117).toBe(false);
    expect(failsB.category).not.toBe('section-117');
    expect(failsB.reasons.map((r) => r.text)).toContain('Test (b) not met: meeting the need does not reduce the risk of the person\'s mental condition deteriorating.');

    const ordinary = await draft.addNeed({ domain: 'accommodation', description: 'Somewhere to live', accommodationEnhanced: false });
    expect(ordinary).toMatchObject({ s117: false, category: 'universal' });
    expect(ordinary.reasons).toContainEqual(expect.objectContaining({ rule: 'R21', text: expect.stringContaining('Ordinary accommodation is a common need') as unknown }));

    const plus = await draft.addNeed({ domain: 'accommodation', description: 'Staffed supported accommodation', accommodationEnhanced: true, accommodationFeature: '24-hour staffing by mental health workers' });
    expect(plus).toMatchObject({ s117: true, category: 'section-117' });
    expect(plus.reasons).toContainEqual(expect.objectContaining({ rule: 'R42', text: 'The enhanced or specialised feature recorded: 24-hour staffing by mental health workers.' }));

    // Whether accommodation is enhanced counts only for an accommodation need.
    const medication = await draft.addNeed({ domain: 'medication', description: 'Prompts to take clozapine', accommodationEnhanced: false });
    expect(medication).toMatchObject({ s117: true, category: 'section-117', accommodationEnhanced: null });
    expect(medication.reasons.map((r) => r.rule)).not.toContain('R21');

    const stored = await draft.read();
    expect(stored.needs.map((n) => [n.id, n.s117])).toEqual([
      [both.id, true],
      [failsB.id, false],
      [ordinary.id, false],
      [plus.id, true],
      [medication.id, true],
    ]);
  });

  it('re-classifies a changed need, and the services meeting it follow; a charged service cannot become section 117', async () => {
    const draft = await Draft.start(await entitledPerson());
    const need = await draft.addNeed();
    const svc = await draft.addService([need.id]);
    expect(svc.s117).toBe(true);

    // Test (b) no longer met: not a section 117 need, and its service is no longer a section 117 service.
    let res = await call('PUT', `${draft.url}/needs/${need.id}`, northvale, { version: draft.version, ...needBody({ reducesRiskOfDeterioration: false, eligibleCareActNeed: true }) });
    expect(res.statusCode, res.body).toBe(200);
    let body = res.json() as { planVersion: number; need: ApiNeed };
    expect(body.need).toMatchObject({ s117: false, category: 'care-act' });
    draft.version = body.planVersion;
    expect((await draft.read()).services.map((s) => s.s117)).toEqual([false]);

    // Now chargeable (Care Act): a charge is recorded…
    res = await call('PUT', `${draft.url}/services/${svc.id}`, northvale, { version: draft.version, ...serviceBody([need.id], { chargePence: 1000 }) });
    expect(res.statusCode, res.body).toBe(200);
    draft.version = (res.json() as { planVersion: number }).planVersion;
    // …so making the need section 117 again is refused until the charge is removed.
    const version = draft.version;
    const problem = expectProblem(await call('PUT', `${draft.url}/needs/${need.id}`, northvale, { version, ...needBody() }), 422, 'arisesFromMentalDisorder');
    expect(messageAt(problem, 'arisesFromMentalDisorder')).toContain('carries a charge of £10.00 a week');
    const plan = await draft.read();
    expect(plan.version).toBe(version);
    expect(plan.needs.map((n) => n.s117)).toEqual([false]);
    expect(plan.services.map((s) => [s.s117, s.chargePence])).toEqual([[false, 1000]]);

    res = await call('PUT', `${draft.url}/services/${svc.id}`, northvale, { version, ...serviceBody([need.id]) });
    expect(res.statusCode, res.body).toBe(200);
    draft.version = (res.json() as { planVersion: number }).planVersion;
    res = await call('PUT', `${draft.url}/needs/${need.id}`, northvale, { version: draft.version, ...needBody() });
    expect(res.statusCode, res.body).toBe(200);
    body = res.json() as typeof body;
    expect(body.need.s117).toBe(true);
    expect((await draft.read()).services.map((s) => [s.s117, s.chargePence])).toEqual([[true, 0]]);
  });
});

describe('personal health budgets (R23)', () => {
  it('refuses to record a PHB refused without a reason, and records it with one', async () => {
    const personId = await entitledPerson();
    const draft = await Draft.start(personId);
    const b = await signedIn(demo.practitioner);
    const url = `/people/${personId}/plans/${draft.planId}/budgets/new`;
    const budgetRows = async () => t.database.db.select().from(budgetRequest).where(eq(budgetRequest.personId, personId));
    const form = {
      kind: 'personal-health-budget',
      'requestedOn-day': '3',
      'requestedOn-month': '3',
      'requestedOn-year': '2025',
      status: 'refused',
      'decidedOn-day': '20',
      'decidedOn-month': '3',
      'decidedOn-year': '2025',
      notAppropriateReason: '',
    };
    expect((await b.get(url)).statusCode).toBe(200);
    const refused = await b.post(url, form);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('A personal health budget for section 117 aftercare must be granted unless you record why it is not appropriate');
    expect(refused.body).toContain('href="#notAppropriateReason"');
    expect(await budgetRows()).toEqual([]);

    const recorded = await b.post(url, { ...form, notAppropriateReason: 'The person asked for the service to stay commissioned while in crisis' });
    expect(recorded.statusCode, recorded.body.slice(0, 1000)).toBe(302);
    const rows = await budgetRows();
    expect(rows.map((r) => [r.kind, r.status, r.notAppropriateReason, r.planId])).toEqual([['personal-health-budget', 'refused', 'The person asked for the service to stay commissioned while in crisis', draft.planId]]);
  });
});

describe('what a refused change leaves behind', () => {
  it('writes no audit event and bumps no version for a refused service', async () => {
    const draft = await Draft.start(await entitledPerson());
    const need = await draft.addNeed();
    const changes = async () => rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_event where action like 'plan.%'`))[0]!.n;
    const before = await changes();
    expectProblem(await call('POST', `${draft.url}/services`, northvale, { version: draft.version, ...serviceBody([need.id], { chargePence: 500, localAuthorityPercent: 70 }) }), 422);
    expect(await changes()).toBe(before);
    expect((await planRow(draft.planId)).version).toBe(draft.version);
  });
});

describe('issue 12, finding 3: storing the plan as a PDF is a change to the record', () => {
  it('refuses the read-only and commissioner accounts (403, no document stored, nothing audited) and lets a practitioner store it', async () => {
    // Added by the trust: the trust's read-only user can read the person; the ICB commissioner reads them as the responsible ICB.
    const trust = await tokenFor('RZV', 'Trust case system (finding 3)');
    const personId = await entitledPerson({ token: trust });
    const draft = await Draft.start(personId, trust);
    const documents = async () => rowsOf(await t.database.db.execute(sql`select count(*)::int as n from person_document where person_id = ${personId}`))[0] as { n: number };
    const stored = async () => rowsOf(await t.database.db.execute(sql`select count(*)::int as n from audit_event where subject_id = ${personId} and action = 'document.stored'`))[0] as { n: number };
    for (const email of [demo.readOnly, demo.commissioner]) {
      const b = await signedInBrowser(t.app, email);
      const page = await b.get(`/people/${personId}/plans/${draft.planId}`);
      expect(page.statusCode, email).toBe(200);
      expect(page.body, email).toContain('data-qa="print-plan"');
      expect(page.body, email).not.toContain('data-qa="download-pdf"');
      const res = await b.post(`/people/${personId}/plans/${draft.planId}/pdf`, {});
      expect(res.statusCode, email).toBe(403);
    }
    expect(await documents()).toEqual({ n: 0 });
    expect(await stored()).toEqual({ n: 0 });
    const trustPractitioner = await signedInBrowser(t.app, 'trust@demo.aftercare.example');
    expect((await trustPractitioner.get(`/people/${personId}/plans/${draft.planId}`)).body).toContain('data-qa="download-pdf"');
    const ok = await trustPractitioner.post(`/people/${personId}/plans/${draft.planId}/pdf`, {});
    expect(ok.statusCode, ok.body.slice(0, 500)).toBe(302);
    expect(await documents()).toEqual({ n: 1 });
    expect(await stored()).toEqual({ n: 1 });
  });
});

describe('issue 12, the one door to the data: plans through ctx.data', () => {
  it('starts the next version of the plan when a review says the needs changed (startPlan inside the review’s transaction)', async () => {
    const personId = await entitledPerson();
    const draft = await Draft.start(personId);
    const need = await draft.addNeed();
    await draft.addService([need.id]);
    await draft.submit();
    draft.version = await icbAgrees(personId, draft.planId, draft.version);
    const manager = await signedIn(demo.manager);
    expect((await approveAs(manager, personId, draft.planId, draft.version)).statusCode).toBe(302);
    const personVersion = rowsOf<{ version: number }>(await t.database.db.execute(sql`select version from person where id = ${personId}`))[0]!.version;
    const held = todayInLondon();
    const res = await call('POST', `/api/v1/people/${personId}/reviews`, northvale, {
      version: personVersion,
      heldOn: held,
      attendees: [{ kind: 'person', name: 'Plan Person' }],
      needsChanged: true,
      s117StillApplies: true,
      s117Reasons: 'Still needs support to stay well',
      nextReviewOn: addMonths(held, 12),
    });
    expect(res.statusCode, res.body).toBe(201);
    const newPlanId = (res.json() as { newPlanId: string | null }).newPlanId;
    expect(newPlanId).not.toBeNull();
    const plans = await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.personId, personId));
    expect(plans.map((p) => [p.planNumber, p.status]).sort()).toEqual([
      [1, 'approved'],
      [2, 'draft'],
    ]);
    const started = rowsOf(await t.database.db.execute(sql`select count(*)::int as n from audit_event where subject_id = ${personId} and action = 'plan.started'`))[0];
    expect(started).toEqual({ n: 2 });
  });
});
