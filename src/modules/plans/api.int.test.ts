import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { cliContext } from '../../cli/context.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/tokens.service.ts';
import { aftercarePlan } from './schema.ts';

/*
 * The plans API through HTTP with bearer tokens: Northvale Council's case system builds a
 * draft plan for a person Northvale is responsible for; Southmere has no relationship with them.
 */
let t: TestApp;
let northvale: string;
let southmere: string;
// Far from the numbers the demo seed and other test files use.
const numbers = syntheticNhsNumbers(830_000);
const nextNhs = () => numbers.next().value as string;

async function tokenFor(code: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `Plans API tests ${code} ${Math.random()}` })).token;
}

beforeAll(async () => {
  t = await createTestApp();
  northvale = await tokenFor('E06000901');
  southmere = await tokenFor('E06000902');
});
afterAll(async () => {
  await t.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
function call(method: Method, url: string, token: string | null, payload?: unknown) {
  return t.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown; body: string }, status: number, path?: string): Problem {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const problem = res.json() as Problem;
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^https:\/\/aftercare\.example\/problems\//);
  expect(problem.detail.length).toBeGreaterThan(10);
  if (path !== undefined) {
    expect(problem.errors?.map((e) => e.path), JSON.stringify(problem)).toContain(path);
    expect(problem.errors!.every((e) => e.message.length > 5)).toBe(true);
  }
  return problem;
}

/** Everything a refused request must leave alone. */
async function snapshot() {
  const n = (table: string) => sql.raw(`(select count(*)::int from ${table})`);
  return rowsOf<Record<string, number>>(
    await t.database.db.execute(
      sql`select ${n('aftercare_plan')} as plans, ${n('plan_need')} as needs, ${n('plan_service')} as services,
        (select coalesce(sum(version), 0)::int from aftercare_plan) as plan_versions,
        (select coalesce(sum(version), 0)::int from plan_need) as need_versions,
        (select coalesce(sum(version), 0)::int from plan_service) as service_versions,
        (select count(*)::int from audit_event where action like 'plan.%') as plan_changes`,
    ),
  )[0]!;
}

/** An entitled person Northvale is responsible for (ordinary residence Northvale, GP in the ICB). */
async function entitledPerson(token = northvale, ordinaryResidence = 'E06000901'): Promise<string> {
  const res = await call('POST', '/api/v1/people', token, { nhsNumber: nextNhs(), givenName: 'Plan', familyName: `Api${Math.random().toString(36).slice(2, 8)}`, dateOfBirth: '1982-04-03' });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  const events = [
    { type: 'detention-started', date: '2025-01-10', legalStatusCode: '03', ordinaryResidence, icbOfGpRegistration: 'E54000901' },
    { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2025-03-01' },
  ];
  let status = '';
  for (const event of events) {
    const r = await call('POST', `/api/v1/people/${id}/events`, token, { event });
    expect(r.statusCode, r.body).toBe(201);
    status = (r.json() as { decision: { status: string } }).decision.status;
  }
  expect(status).toBe('entitled');
  return id;
}

interface ApiNeed {
  id: string;
  domain: string;
  category: string;
  s117: boolean;
  reasons: Array<{ rule: string; text: string }>;
}
interface ApiService {
  id: string;
  s117: boolean;
  unitCostPence: number;
  weeklyCostPence: number;
  chargePence: number;
  localAuthorityPercent: number;
  icbPercent: number;
  weekly: { localAuthorityPence: number; icbPence: number; totalPence: number };
}
interface ApiPlan {
  id: string;
  personId: string;
  planNumber: number;
  status: string;
  version: number;
  personVoice: string | null;
  goals: string | null;
  advocacy: Array<{ kind: string; offeredOn: string; used: boolean; notes: string | null }>;
  needs: ApiNeed[];
  services: ApiService[];
  totals: { weekly: Record<string, number>; yearly: Record<string, number>; weeksPerYear: number };
  problems: string[];
}

const need = (fields: Record<string, unknown> = {}) => ({
  domain: 'mental-health-relapse-prevention',
  description: 'Support to notice early signs of relapse',
  level: 'medium',
  arisesFromMentalDisorder: true,
  reducesRiskOfDeterioration: true,
  testsRationale: 'Relapse followed stopping contact with the team last time',
  ...fields,
});
const service = (needIds: string[], fields: Record<string, unknown> = {}) => ({
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
  splitBasis: 'Mostly social care support, agreed at panel',
  ...fields,
});

async function startDraft(personId: string): Promise<ApiPlan> {
  const res = await call('POST', `/api/v1/people/${personId}/plans`, northvale);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ApiPlan;
}

async function getPlan(personId: string, planId: string): Promise<ApiPlan> {
  const res = await call('GET', `/api/v1/people/${personId}/plans/${planId}`, northvale);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ApiPlan;
}

describe('a draft plan through the API', () => {
  let personId: string;
  let plan: ApiPlan;

  beforeAll(async () => {
    personId = await entitledPerson();
  });

  it('starts a draft with 201 and a Location, and lists it as the open plan', async () => {
    const res = await call('POST', `/api/v1/people/${personId}/plans`, northvale);
    expect(res.statusCode, res.body).toBe(201);
    plan = res.json() as ApiPlan;
    expect(res.headers.location).toBe(`/api/v1/people/${personId}/plans/${plan.id}`);
    expect(plan).toMatchObject({ personId, planNumber: 1, status: 'draft', needs: [], services: [], problems: ['Add at least one need'] });
    expect(plan.totals).toEqual({ weekly: { localAuthorityPence: 0, icbPence: 0, totalPence: 0 }, yearly: { localAuthorityPence: 0, icbPence: 0, totalPence: 0 }, weeksPerYear: 52 });
    const row = (await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.id, plan.id)))[0]!;
    expect(plan.version).toBe(row.version);

    const list = await call('GET', `/api/v1/people/${personId}/plans`, northvale);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ plans: [{ id: plan.id, planNumber: 1, status: 'draft', approvedAt: null }], open: plan.id, current: null });
  });

  it('refuses a second draft while one is open, with 422 at plan', async () => {
    const before = await snapshot();
    const problem = expectProblem(await call('POST', `/api/v1/people/${personId}/plans`, northvale), 422, 'plan');
    expect(problem.errors![0]!.message).toContain('Plan 1 is already in draft');
    expect(await snapshot()).toEqual(before);
  });

  it('changes the co-production details: a field left out keeps its value, null clears it', async () => {
    let res = await call('PATCH', `/api/v1/people/${personId}/plans/${plan.id}`, northvale, {
      version: plan.version,
      personVoice: 'I want to stay well at home',
      goals: 'Back to college in September',
      advocacy: [{ kind: 'imha', offeredOn: '2025-02-01', used: true }],
    });
    expect(res.statusCode, res.body).toBe(200);
    let body = res.json() as ApiPlan;
    expect(body.version).toBe(plan.version + 1);
    expect(body).toMatchObject({ personVoice: 'I want to stay well at home', goals: 'Back to college in September', advocacy: [{ kind: 'imha', offeredOn: '2025-02-01', used: true, notes: null }] });

    res = await call('PATCH', `/api/v1/people/${personId}/plans/${plan.id}`, northvale, { version: body.version, goals: null });
    expect(res.statusCode, res.body).toBe(200);
    body = res.json() as ApiPlan;
    expect(body.version).toBe(plan.version + 2);
    expect(body).toMatchObject({ personVoice: 'I want to stay well at home', goals: null, advocacy: [{ kind: 'imha', used: true }] });
    plan = body;
    const audited = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, personId), eq(auditEvent.action, 'plan.details-updated')));
    expect(audited).toHaveLength(2);
  });

  it('adds, changes and removes needs and services, each answer giving the version to send next', async () => {
    let version = plan.version;
    let res = await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/needs`, northvale, { version, ...need() });
    expect(res.statusCode, res.body).toBe(201);
    const added = res.json() as { planVersion: number; need: ApiNeed };
    expect(added.planVersion).toBe(version + 1);
    expect(added.need).toMatchObject({ domain: 'mental-health-relapse-prevention', category: 'section-117', s117: true });
    expect(added.need.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['R19', 'R39']));
    version = added.planVersion;

    res = await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/needs`, northvale, { version, ...need({ domain: 'daily-living', description: 'Cooking', reducesRiskOfDeterioration: false, eligibleCareActNeed: true }) });
    expect(res.statusCode, res.body).toBe(201);
    const second = res.json() as { planVersion: number; need: ApiNeed };
    expect(second.need).toMatchObject({ category: 'care-act', s117: false });
    version = second.planVersion;

    res = await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/services`, northvale, { version, ...service([added.need.id]) });
    expect(res.statusCode, res.body).toBe(201);
    const svc = res.json() as { planVersion: number; service: ApiService };
    expect(svc.planVersion).toBe(version + 1);
    // 3 × £21.50 = £64.50 a week; 60% of 6450 = 3870 to the local authority, 2580 to the ICB.
    expect(svc.service).toMatchObject({ s117: true, unitCostPence: 2150, weeklyCostPence: 6450, chargePence: 0, localAuthorityPercent: 60, icbPercent: 40, weekly: { localAuthorityPence: 3870, icbPence: 2580, totalPence: 6450 } });
    version = svc.planVersion;

    res = await call('PUT', `/api/v1/people/${personId}/plans/${plan.id}/services/${svc.service.id}`, northvale, { version, ...service([added.need.id], { unitsPerWeek: 4 }) });
    expect(res.statusCode, res.body).toBe(200);
    const changed = res.json() as { planVersion: number; service: ApiService };
    expect(changed.service.weeklyCostPence).toBe(8600);
    version = changed.planVersion;

    res = await call('PUT', `/api/v1/people/${personId}/plans/${plan.id}/needs/${second.need.id}`, northvale, { version, ...need({ domain: 'daily-living', description: 'Cooking', level: 'high', reducesRiskOfDeterioration: false, eligibleCareActNeed: true }) });
    expect(res.statusCode, res.body).toBe(200);
    version = (res.json() as { planVersion: number }).planVersion;

    res = await call('DELETE', `/api/v1/people/${personId}/plans/${plan.id}/needs/${second.need.id}?version=${version}`, northvale);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ planVersion: version + 1 });
    version += 1;

    const read = await getPlan(personId, plan.id);
    expect(read.version).toBe(version);
    expect(read.needs.map((n) => n.id)).toEqual([added.need.id]);
    expect(read.services.map((s) => s.id)).toEqual([svc.service.id]);
    expect(read.totals.weekly).toEqual({ localAuthorityPence: 5160, icbPence: 3440, totalPence: 8600 });
    expect(read.problems).toEqual([]);

    // A service added and removed again.
    res = await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/services`, northvale, { version, ...service([added.need.id], { serviceType: 'Gym pass' }) });
    expect(res.statusCode, res.body).toBe(201);
    const gym = res.json() as { planVersion: number; service: ApiService };
    res = await call('DELETE', `/api/v1/people/${personId}/plans/${plan.id}/services/${gym.service.id}?version=${gym.planVersion}`, northvale);
    expect(res.statusCode, res.body).toBe(200);
    plan = await getPlan(personId, plan.id);
    expect(plan.version).toBe(gym.planVersion + 1);
    expect(plan.services).toHaveLength(1);
  });

  it('answers 409 to a stale version and changes nothing', async () => {
    const stale = plan.version - 1;
    const before = await snapshot();
    expect(expectProblem(await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/needs`, northvale, { version: stale, ...need() }), 409).detail).toContain('Somebody else changed');
    expectProblem(await call('PATCH', `/api/v1/people/${personId}/plans/${plan.id}`, northvale, { version: stale, goals: 'Overwritten' }), 409);
    expectProblem(await call('PUT', `/api/v1/people/${personId}/plans/${plan.id}/services/${plan.services[0]!.id}`, northvale, { version: stale, ...service([plan.needs[0]!.id], { unitsPerWeek: 9 }) }), 409);
    expectProblem(await call('DELETE', `/api/v1/people/${personId}/plans/${plan.id}/services/${plan.services[0]!.id}?version=${stale}`, northvale), 409);
    expectProblem(await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/submit`, northvale, { version: stale }), 409);
    expect(await snapshot()).toEqual(before);
    expect((await getPlan(personId, plan.id)).goals).toBeNull();
  });

  const invalid: Array<[string, 'needs' | 'services', (p: ApiPlan) => Record<string, unknown>, string, string?]> = [
    ['a need without a description', 'needs', (p) => ({ version: p.version, ...need({ description: undefined }) }), 'description'],
    ['a blank description', 'needs', (p) => ({ version: p.version, ...need({ description: '   ' }) }), 'description', 'Describe the need'],
    ['an unknown need domain', 'needs', (p) => ({ version: p.version, ...need({ domain: 'hobbies' }) }), 'domain'],
    ['test (a) not answered', 'needs', (p) => ({ version: p.version, ...need({ arisesFromMentalDisorder: undefined }) }), 'arisesFromMentalDisorder'],
    ['an accommodation need without saying whether it is enhanced', 'needs', (p) => ({ version: p.version, ...need({ domain: 'accommodation' }) }), 'accommodationEnhanced', 'enhanced or specialised'],
    ['accommodation-plus without its feature', 'needs', (p) => ({ version: p.version, ...need({ domain: 'accommodation', accommodationEnhanced: true }) }), 'accommodationFeature'],
    ['an unknown field', 'needs', (p) => ({ version: p.version, ...need({ nickname: 'x' }) }), 'nickname', 'Remove'],
    ['no version', 'needs', () => need(), 'version'],
    ['a charge on a section 117 service', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { chargePence: 1500 }) }), 'chargePence', 'Section 117 aftercare is free'],
    ['shares adding up to 90%', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { localAuthorityPercent: 60, icbPercent: 30 }) }), 'localAuthorityPercent', 'add up to 100%'],
    ['a share over 100%', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { localAuthorityPercent: 120, icbPercent: -20 }) }), 'icbPercent'],
    ['no basis for the split', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { splitBasis: '' }) }), 'splitBasis', 'no national default'],
    ['a unit cost that is not whole pence', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { unitCostPence: 21.5 }) }), 'unitCostPence', 'whole number of pence'],
    ['units a week with 3 decimals', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { unitsPerWeek: 1.125 }) }), 'unitsPerWeek'],
    ['no needs', 'services', (p) => ({ version: p.version, ...service([]) }), 'needIds'],
    ['a need of another plan', 'services', (p) => ({ version: p.version, ...service(['00000000-0000-4000-8000-000000000000']) }), 'needIds', 'Choose needs from this plan'],
    ['a top-up on a service not meeting an accommodation need', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { topUp: { preferredWeeklyPence: 90000, usualWeeklyPence: 80000, payer: 'person' } }) }), 'topUp', 'only for accommodation'],
    ['an end before the start', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { endOn: '2025-01-01' }) }), 'endOn'],
    ['a start date that is not a real date', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { startOn: '2025-02-30' }) }), 'startOn', 'real date'],
    ['an unknown delivery route', 'services', (p) => ({ version: p.version, ...service([p.needs[0]!.id], { deliveryRoute: 'cash' }) }), 'deliveryRoute'],
  ];
  for (const [what, kind, body, path, message] of invalid) {
    it(`refuses ${what} with 422 at ${path} and changes nothing`, async () => {
      const before = await snapshot();
      const problem = expectProblem(await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/${kind}`, northvale, body(plan)), 422, path);
      if (message) expect(problem.errors!.find((e) => e.path === path)!.message).toContain(message);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('names every problem of a body in one answer: the API’s types and the plan’s rules', async () => {
    const before = await snapshot();
    const problem = expectProblem(
      await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/services`, northvale, { version: plan.version, ...service([plan.needs[0]!.id], { unitCostPence: '21.50', provider: '', startOn: '2025-13-01' }) }),
      422,
    );
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(['provider', 'startOn', 'unitCostPence']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a change of details that is not valid, and a DELETE without a version, with field paths', async () => {
    const before = await snapshot();
    expectProblem(await call('PATCH', `/api/v1/people/${personId}/plans/${plan.id}`, northvale, { version: plan.version, carerAssessmentOfferedOn: '2025-02-30' }), 422, 'carerAssessmentOfferedOn');
    expectProblem(await call('PATCH', `/api/v1/people/${personId}/plans/${plan.id}`, northvale, { version: plan.version, advocacy: [{ kind: 'friend', offeredOn: '2025-01-01', used: false }] }), 422, 'advocacy[0].kind');
    expectProblem(await call('PATCH', `/api/v1/people/${personId}/plans/${plan.id}`, northvale, { goals: 'No version' }), 422, 'version');
    expectProblem(await call('DELETE', `/api/v1/people/${personId}/plans/${plan.id}/services/${plan.services[0]!.id}`, northvale), 422, 'version');
    expectProblem(await call('DELETE', `/api/v1/people/${personId}/plans/${plan.id}/services/${plan.services[0]!.id}?version=abc`, northvale), 422, 'version');
    expect(await snapshot()).toEqual(before);
  });

  it('answers 404 for an unknown person, plan, need or service, and for a plan of someone else', async () => {
    const other = await entitledPerson();
    const otherPlan = await startDraft(other);
    const before = await snapshot();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const base = `/api/v1/people/${personId}/plans`;
    expectProblem(await call('GET', `${base}/${unknown}`, northvale), 404);
    expectProblem(await call('GET', `${base}/not-a-uuid`, northvale), 404);
    expectProblem(await call('GET', `${base}/${otherPlan.id}`, northvale), 404);
    expectProblem(await call('GET', `/api/v1/people/${unknown}/plans`, northvale), 404);
    expectProblem(await call('GET', `/api/v1/people/${unknown}/plans/${plan.id}`, northvale), 404);
    expectProblem(await call('POST', `/api/v1/people/${unknown}/plans`, northvale), 404);
    expectProblem(await call('PATCH', `${base}/${unknown}`, northvale, { version: 1, goals: 'x' }), 404);
    expectProblem(await call('POST', `${base}/${unknown}/needs`, northvale, { version: 1, ...need() }), 404);
    expectProblem(await call('POST', `${base}/${otherPlan.id}/needs`, northvale, { version: otherPlan.version, ...need() }), 404);
    expectProblem(await call('PUT', `${base}/${plan.id}/needs/${unknown}`, northvale, { version: plan.version, ...need() }), 404);
    expectProblem(await call('DELETE', `${base}/${plan.id}/needs/${unknown}?version=${plan.version}`, northvale), 404);
    expectProblem(await call('PUT', `${base}/${plan.id}/services/${unknown}`, northvale, { version: plan.version, ...service([plan.needs[0]!.id]) }), 404);
    expectProblem(await call('DELETE', `${base}/${plan.id}/services/not-a-uuid?version=${plan.version}`, northvale), 404);
    expectProblem(await call('POST', `${base}/${unknown}/submit`, northvale, { version: 1 }), 404);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 403 to an organisation with no relationship with the person, and 401 without a token', async () => {
    const before = await snapshot();
    const forbidden = expectProblem(await call('GET', `/api/v1/people/${personId}/plans`, southmere), 403);
    expect(forbidden.detail).toContain('access');
    expectProblem(await call('GET', `/api/v1/people/${personId}/plans/${plan.id}`, southmere), 403);
    expectProblem(await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/needs`, southmere, { version: plan.version, ...need() }), 403);
    expectProblem(await call('PATCH', `/api/v1/people/${personId}/plans/${plan.id}`, southmere, { version: plan.version, goals: 'x' }), 403);
    // A stale version tells them nothing either.
    expectProblem(await call('PATCH', `/api/v1/people/${personId}/plans/${plan.id}`, southmere, { version: plan.version - 1, goals: 'x' }), 403);
    expectProblem(await call('DELETE', `/api/v1/people/${personId}/plans/${plan.id}/services/${plan.services[0]!.id}?version=${plan.version}`, southmere), 403);
    expectProblem(await call('GET', `/api/v1/people/${personId}/plans`, null), 401);
    expect(await snapshot()).toEqual(before);
  });

  it('submits the draft; then it can no longer be changed (409) and a new draft cannot start', async () => {
    const res = await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/submit`, northvale, { version: plan.version });
    expect(res.statusCode, res.body).toBe(200);
    const submitted = res.json() as ApiPlan & { submittedAt: string | null };
    expect(submitted.status).toBe('submitted');
    expect(submitted.submittedAt).not.toBeNull();
    const before = await snapshot();
    const locked = expectProblem(await call('POST', `/api/v1/people/${personId}/plans/${plan.id}/needs`, northvale, { version: submitted.version, ...need() }), 409);
    expect(locked.detail).toContain('only a draft can be changed');
    expect(expectProblem(await call('POST', `/api/v1/people/${personId}/plans`, northvale), 422, 'plan').errors![0]!.message).toContain('waiting for approval');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to submit a draft with a section 117 need that no service meets, saying why', async () => {
    const p = await entitledPerson();
    const draft = await startDraft(p);
    const empty = expectProblem(await call('POST', `/api/v1/people/${p}/plans/${draft.id}/submit`, northvale, { version: draft.version }), 422, 'plan');
    expect(empty.errors![0]!.message).toBe('Add at least one need');
    const added = (await call('POST', `/api/v1/people/${p}/plans/${draft.id}/needs`, northvale, { version: draft.version, ...need() })).json() as { planVersion: number };
    const unmet = expectProblem(await call('POST', `/api/v1/people/${p}/plans/${draft.id}/submit`, northvale, { version: added.planVersion }), 422, 'plan');
    expect(unmet.errors![0]!.message).toContain('Add a service that meets the section 117 need');
    expect((await getPlan(p, draft.id)).status).toBe('draft');
  });
});

describe('the OpenAPI document', () => {
  it('lists every plan endpoint, tagged, with request and response schemas', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown; parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>;
    };
    const plans = '/api/v1/people/{id}/plans';
    const plan = `${plans}/{planId}`;
    const expected: Array<[string, string, string[], boolean]> = [
      [plans, 'get', ['200', '403', '404'], false],
      [plans, 'post', ['201', '403', '404', '422'], false],
      [plan, 'get', ['200', '403', '404'], false],
      [plan, 'patch', ['200', '404', '409', '422'], true],
      [`${plan}/needs`, 'post', ['201', '404', '409', '422'], true],
      [`${plan}/needs/{needId}`, 'put', ['200', '404', '409', '422'], true],
      [`${plan}/needs/{needId}`, 'delete', ['200', '404', '409', '422'], false],
      [`${plan}/services`, 'post', ['201', '404', '409', '422'], true],
      [`${plan}/services/{serviceId}`, 'put', ['200', '404', '409', '422'], true],
      [`${plan}/services/{serviceId}`, 'delete', ['200', '404', '409', '422'], false],
      [`${plan}/submit`, 'post', ['200', '404', '409', '422'], true],
    ];
    for (const [path, method, statuses, body] of expected) {
      const op = spec.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeTruthy();
      expect(op!.tags).toEqual(['plans']);
      for (const status of statuses) expect(op!.responses[status], `${method} ${path} ${status}`).toBeTruthy();
      if (body) expect(op!.requestBody, `${method} ${path} body`).toBeTruthy();
    }
    expect(spec.paths[`${plan}/services/{serviceId}`]!.delete!.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['query:version', 'path:serviceId']));
    // Approval is a person's act, not the API's.
    expect(Object.keys(spec.paths).filter((p) => p.includes('approve'))).toEqual([]);
    const serialised = JSON.stringify(spec.paths[`${plan}/services`]);
    expect(serialised).toContain('unitCostPence');
    expect(serialised).toContain('localAuthorityPercent');
  });
});
