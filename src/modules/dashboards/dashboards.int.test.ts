import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { addDays, addMonths, toDayNumber } from '../../domain/calendar-date.ts';
import { planTotals } from '../../domain/funding.ts';
import { serviceCostCountsOn } from '../../domain/service-cost.ts';
import { relationshipScope } from '../../platform/access/policy.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { dispute } from '../disputes/schema.ts';
import { endingProposal } from '../endings/schema.ts';
import { panelCase } from '../panels/schema.ts';
import { aftercarePlan, planService } from '../plans/schema.ts';
import { loadRegisterOptions } from '../register/list.queries.ts';
import { createPerson, recordEvent } from '../register/people.service.ts';
import { person, team } from '../register/schema.ts';
import { clearDashboardCache, computeDashboard, parseDashboardQuery, TtlCache } from './dashboard.service.ts';

/*
 * Issue 7 item 1: every dashboard figure equals a direct SQL count over the same data and the
 * same visibility (written out here independently of the service), its link lists the same
 * people on the register, and nobody counts people they may not see.
 */

let t: TestApp;
const today = todayInLondon();
const nextNhs = nhsNumbers(31_000);
let fixtureTeam: string;
const ids: Record<string, string> = {};

async function make(ctx: ServiceContext, input: Record<string, unknown>, events: Array<Record<string, unknown>>): Promise<string> {
  const created = await createPerson(ctx, { dateOfBirth: '1980-04-01', nhsNumber: nextNhs(), allocatedTeamId: fixtureTeam, ...input }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  return created.person.id;
}

const detained = (date: string, ordinaryResidence = 'E06000901') => ({ type: 'detention-started', date, legalStatusCode: '03', ordinaryResidence, icbOfGpRegistration: 'E54000901' });
const discharged = (date: string) => [
  { type: 'detention-ended', date, reason: 'discharged' },
  { type: 'left-hospital', date },
];

async function count(query: ReturnType<typeof sql>): Promise<number> {
  return rowsOf<{ n: number }>(await t.database.db.execute(query))[0]!.n;
}

/** The visibility rule, written out as SQL for this actor (policy: relationship scope). */
function visibleSql(ctx: ServiceContext, alias = 'p') {
  const s = relationshipScope(ctx.actor, 'person:read');
  const codes = `array[${s.organisationCodes.map((c) => `'${c}'`).join(',')}]::text[]`;
  const orgIds = `array[${s.organisationIds.map((i) => `'${i}'`).join(',')}]::uuid[]`;
  return sql.raw(`${alias}.partnership_id = '${ctx.actor.partnershipId}' and (${alias}.responsible_local_authority = any(${codes}) or ${alias}.responsible_icb = any(${codes}) or ${alias}.involved_organisations && ${orgIds})`);
}

async function dashboardFor(ctx: ServiceContext, query: Record<string, string>) {
  const options = await loadRegisterOptions(ctx);
  const parsed = parseDashboardQuery(query, options, today);
  expect(parsed.errors).toEqual([]);
  return { d: await computeDashboard(ctx, parsed, options, today), parsed };
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const northvale = (await db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
  const southmere = (await db.select().from(organisation).where(eq(organisation.code, 'E06000902')))[0]!;
  fixtureTeam = (await db.insert(team).values({ partnershipId: northvale.partnershipId, organisationId: northvale.id, name: 'Dashboard Fixture Team' }).returning())[0]!.id;
  const nv = await contextFor(t, demo.practitioner);

  // Six entitled, reviewed 20 days ago (in date), ethnicity A, female.
  for (let i = 0; i < 6; i++) {
    ids[`inDate${i}`] = await make(nv, { givenName: `Indate${i}`, familyName: 'Dashfix', ethnicity: 'A', sex: 'female', engagement: 'engaged' }, [
      detained('2023-01-10'),
      ...discharged('2023-03-01'),
      { type: 'reviewed', date: addDays(today, -20) },
    ]);
  }
  // Two entitled with an overdue review, ethnicity N; one disengaged.
  ids.overdue0 = await make(nv, { givenName: 'Overdue', familyName: 'Dashfix', ethnicity: 'N', sex: 'male', engagement: 'disengaged' }, [detained('2024-01-10'), ...discharged('2024-03-01')]);
  ids.overdue1 = await make(nv, { givenName: 'Overdue', familyName: 'Dashfix-Two', ethnicity: 'N', sex: 'male' }, [detained('2024-02-10'), ...discharged('2024-04-01')]);
  // Entitled recently: first review due within 30 days; entitlement started in the period.
  ids.due = await make(nv, { givenName: 'Due', familyName: 'Dashfix', dateOfBirth: '2010-05-05' }, [detained(addDays(today, -100)), ...discharged(addDays(today, -28))]);
  // Detained (pending): not entitled.
  ids.pending = await make(nv, { givenName: 'Pending', familyName: 'Dashfix' }, [detained(addDays(today, -30))]);

  await db.update(person).set({ rightsGivenInWritingOn: addDays(today, -5) }).where(eq(person.id, ids.inDate0!));

  // Plans: an approved plan with two services in use (one a direct payment), an ended service and a superseded plan.
  const partnershipId = northvale.partnershipId;
  const approvedAt = new Date(`${addDays(today, -10)}T12:00:00Z`);
  const [superseded] = await db.insert(aftercarePlan).values({ partnershipId, personId: ids.inDate1!, planNumber: 1, status: 'superseded', approvedAt: new Date('2023-02-20T12:00:00Z') }).returning();
  const [plan1] = await db.insert(aftercarePlan).values({ partnershipId, personId: ids.inDate1!, planNumber: 2, status: 'approved', approvedAt }).returning();
  const [plan2] = await db.insert(aftercarePlan).values({ partnershipId, personId: ids.due!, planNumber: 1, status: 'approved', approvedAt }).returning();
  const service = (planId: string, personId: string, s: Partial<typeof planService.$inferInsert>) => ({
    partnershipId,
    planId,
    personId,
    needIds: [],
    serviceType: 'Supported accommodation',
    provider: 'Fixture Care',
    startOn: '2023-03-01',
    frequency: 'weekly',
    unitsPerWeek: 1,
    unitCostPence: 100_00,
    weeklyCostPence: 100_00,
    deliveryRoute: 'commissioned' as const,
    s117: true,
    localAuthorityBasisPoints: 5000,
    splitBasis: 'Panel decision',
    ...s,
  });
  await db.insert(planService).values([
    service(superseded!.id, ids.inDate1!, { serviceType: 'Old service' }),
    service(plan1!.id, ids.inDate1!, { unitsPerWeek: 7, unitCostPence: 2150, weeklyCostPence: 15050, localAuthorityBasisPoints: 3333 }),
    service(plan1!.id, ids.inDate1!, { serviceType: 'Personal assistant', deliveryRoute: 'direct-payment', unitsPerWeek: 7.5, unitCostPence: 1533, weeklyCostPence: 11498, localAuthorityBasisPoints: 10000 }),
    service(plan1!.id, ids.inDate1!, { serviceType: 'Ended service', endOn: addDays(today, -1) }),
    service(plan2!.id, ids.due!, { serviceType: 'Personal assistant', deliveryRoute: 'personal-health-budget', unitsPerWeek: 3, unitCostPence: 2000, weeklyCostPence: 6000, localAuthorityBasisPoints: 0 }),
  ]);

  // Disputes: one in each age band, one resolved.
  const disputeRow = (personId: string, aroseOn: string, stage: 'local-negotiation' | 'resolved' = 'local-negotiation') => ({
    partnershipId,
    personId,
    kind: 'ordinary-residence' as const,
    partyAOrganisationId: northvale.id,
    partyBOrganisationId: southmere.id,
    aroseOn,
    interimLeadOrganisationId: northvale.id,
    stage,
    stageChangedOn: aroseOn,
    summary: 'Fixture dispute',
  });
  await db.insert(dispute).values([
    disputeRow(ids.inDate2!, addDays(today, -10)),
    disputeRow(ids.inDate3!, addMonths(today, -3)),
    disputeRow(ids.inDate4!, addMonths(today, -5)),
    disputeRow(ids.inDate5!, addMonths(today, -6), 'resolved'),
  ]);

  // Endings: one recorded in the period with two reasons, one proposed (not counted), one recorded long ago.
  const ending = (personId: string, effectiveOn: string, status: 'recorded' | 'proposed', reasonCodes: string[]) => ({
    partnershipId,
    personId,
    effectiveOn,
    status,
    reasonCodes,
    reasons: 'Fixture',
    personInvolved: true,
  });
  await db.insert(endingProposal).values([
    ending(ids.overdue1!, addDays(today, -10), 'recorded', ['doing-well', 'no-longer-in-need']),
    ending(ids.overdue0!, addDays(today, -10), 'proposed', ['refuses-services']),
    ending(ids.inDate5!, addMonths(today, -20), 'recorded', ['moved-area']),
  ]);
});

afterAll(async () => {
  await t?.close();
});

beforeEach(() => clearDashboardCache());

describe('dashboard figures', () => {
  it('on the fixture team: each figure is what the fixture says', async () => {
    const manager = await contextFor(t, demo.manager);
    const { d } = await dashboardFor(manager, { team: fixtureTeam });
    expect(d.entitled.active.count).toBe(9);
    expect(d.entitled.newInPeriod.count).toBe(1);
    expect(d.entitled.endedInPeriod.count).toBe(1);
    expect(d.reviews.overdue.count).toBe(2);
    expect(d.reviews.due.count).toBe(1);
    expect(d.reviews.inDate.count).toBe(6);
    expect(d.neverInWriting.count).toBe(8);
    expect(d.disengaged.count).toBe(1);
    expect(d.disputes).toEqual({ under2: 1, from2to4: 1, over4: 1 });
    expect(d.plans.approved).toBe(2);
    expect(d.plans.measured).toBe(1);
    expect(d.plans.medianDaysToPlan).toBe(toDayNumber(addDays(today, -10)) - toDayNumber(addDays(today, -28)));
    const totals = planTotals([
      { unitCostPence: 2150, unitsPerWeek: 7, localAuthorityBasisPoints: 3333 },
      { unitCostPence: 1533, unitsPerWeek: 7.5, localAuthorityBasisPoints: 10000 },
      { unitCostPence: 2000, unitsPerWeek: 3, localAuthorityBasisPoints: 0 },
    ]);
    expect(d.cost.weekly).toEqual(totals.weekly);
    expect(d.cost.yearly).toEqual(totals.yearly);
    expect(d.cost.byServiceType.map((s) => [s.serviceType, s.weeklyPence])).toEqual([
      // "Supported accommodation" in words is the type "Supported living" (issue 13, item 8).
      ['Supported living', 15050],
      ['Personal assistant', 11498 + 6000],
    ].sort((a, b) => (b[1] as number) - (a[1] as number)));
    expect(d.budgets).toEqual({ directPayments: 1, personalHealthBudgets: 1 });
    expect(d.endings).toEqual([
      { reason: 'doing-well', count: 1 },
      { reason: 'no-longer-in-need', count: 1 },
    ]);
  });

  for (const [who, email] of [
    ['a Northvale team manager', demo.manager],
    ['the ICB commissioner', demo.commissioner],
    ['a Southmere senior practitioner', demo.senior],
  ] as const) {
    it(`for ${who}, over all their people: every figure equals a direct SQL count`, async () => {
      const ctx = await contextFor(t, email);
      const { d, parsed } = await dashboardFor(ctx, {});
      const { from, to } = parsed.filter;
      const v = visibleSql(ctx);
      const dueBy = addDays(today, 30);
      const people = (cond: string) => count(sql`select count(*)::int as n from person p where ${v} and ${sql.raw(cond)}`);
      expect(d.entitled.active.count).toBe(await people(`p.status = 'entitled'`));
      expect(d.entitled.newInPeriod.count).toBe(await people(`p.entitlement_start between '${from}' and '${to}'`));
      expect(d.entitled.endedInPeriod.count).toBe(
        await count(sql`select count(distinct e.person_id)::int as n from ending_proposal e join person p on p.partnership_id = e.partnership_id and p.id = e.person_id where ${v} and e.kind = 'ending' and e.status = 'recorded' and e.effective_on between ${from} and ${to}`),
      );
      expect(d.reviews.overdue.count).toBe(await people(`p.status = 'entitled' and p.next_review_due < '${today}'`));
      expect(d.reviews.due.count).toBe(await people(`p.status = 'entitled' and p.next_review_due between '${today}' and '${dueBy}'`));
      expect(d.reviews.inDate.count).toBe(await people(`p.status = 'entitled' and p.next_review_due > '${dueBy}'`));
      expect(d.reviews.noDate.count).toBe(await people(`p.status = 'entitled' and p.next_review_due is null`));
      expect(d.neverInWriting.count).toBe(await people(`p.status = 'entitled' and p.rights_given_in_writing_on is null`));
      expect(d.disengaged.count).toBe(await people(`p.status = 'entitled' and p.engagement = 'disengaged'`));
      const disputesOpen = (cond: string) => count(sql`select count(*)::int as n from dispute x join person p on p.partnership_id = x.partnership_id and p.id = x.person_id where ${v} and x.stage <> 'resolved' and ${sql.raw(cond)}`);
      expect(d.disputes.under2).toBe(await disputesOpen(`x.arose_on > '${addMonths(today, -2)}'`));
      expect(d.disputes.from2to4).toBe(await disputesOpen(`x.arose_on <= '${addMonths(today, -2)}' and x.arose_on > '${addMonths(today, -4)}'`));
      expect(d.disputes.over4).toBe(await disputesOpen(`x.arose_on <= '${addMonths(today, -4)}'`));
      expect(d.plans.approved).toBe(await count(sql`select count(*)::int as n from aftercare_plan a join person p on p.partnership_id = a.partnership_id and p.id = a.person_id where ${v} and a.status = 'approved'`));
      // Which services count is the domain's rule (src/domain/service-cost.ts), applied here to every service of an approved plan.
      const services = rowsOf<{ unit_cost_pence: number; units_per_week: string; local_authority_basis_points: number; delivery_route: string; person_id: string; start_on: string; end_on: string | null; legal_position: string[] }>(
        await t.database.db.execute(
          sql`select s.unit_cost_pence, s.units_per_week, s.local_authority_basis_points, s.delivery_route, s.person_id, s.start_on::text, s.end_on::text, p.legal_position from plan_service s join aftercare_plan a on a.partnership_id = s.partnership_id and a.id = s.plan_id join person p on p.partnership_id = s.partnership_id and p.id = s.person_id where ${v} and a.status = 'approved'`,
        ),
      ).filter((s) => serviceCostCountsOn({ startOn: s.start_on, endOn: s.end_on }, { inHospital: s.legal_position.includes('in-hospital') }, today));
      const expected = planTotals(services.map((s) => ({ unitCostPence: s.unit_cost_pence, unitsPerWeek: Number(s.units_per_week), localAuthorityBasisPoints: s.local_authority_basis_points })));
      expect(d.cost.weekly).toEqual(expected.weekly);
      expect(d.cost.yearly).toEqual(expected.yearly);
      expect(d.cost.byServiceType.reduce((sum, s) => sum + s.weeklyPence, 0)).toBe(expected.weekly.totalPence);
      expect(d.budgets.directPayments).toBe(new Set(services.filter((s) => s.delivery_route === 'direct-payment').map((s) => s.person_id)).size);
      expect(d.budgets.personalHealthBudgets).toBe(new Set(services.filter((s) => s.delivery_route === 'personal-health-budget').map((s) => s.person_id)).size);
      const reasons = rowsOf<{ reason: string; n: number }>(
        await t.database.db.execute(
          sql`select r.reason, count(*)::int as n from ending_proposal e join person p on p.partnership_id = e.partnership_id and p.id = e.person_id, unnest(e.reason_codes) r(reason) where ${v} and e.kind = 'ending' and e.status = 'recorded' and e.effective_on between ${from} and ${to} group by r.reason order by count(*) desc, r.reason`,
        ),
      );
      expect(d.endings).toEqual(reasons.map((r) => ({ reason: r.reason, count: r.n })));
    });
  }

  it('a Southmere user does not count Northvale-only people', async () => {
    const senior = await contextFor(t, demo.senior);
    const { d } = await dashboardFor(senior, { team: fixtureTeam });
    expect(d.entitled.active.count).toBe(0);
    expect(d.reviews.overdue.count).toBe(0);
    expect(d.plans.approved).toBe(0);
    expect(d.disputes).toEqual({ under2: 0, from2to4: 0, over4: 0 });
    expect(d.cost.weekly.totalPence).toBe(0);
    const manager = await contextFor(t, demo.manager);
    expect((await dashboardFor(manager, { team: fixtureTeam })).d.entitled.active.count).toBe(9);
  });

  it('is worked out by the application’s clock, leaving the planner settings of a read it runs in as they were', async () => {
    const manager = await contextFor(t, demo.manager, { clock: clockAt('2031-02-03') });
    const setting = async (q: Parameters<Parameters<ServiceContext['data']['read']>[0]>[0]) =>
      rowsOf<{ jit: string }>(await q.execute(sql`select current_setting('jit') as jit`))[0]!.jit;
    const options = await loadRegisterOptions(manager);
    const parsed = parseDashboardQuery({ team: fixtureTeam }, options, today);
    const { before, d, after } = await manager.data.read(async (q) => {
      const jitBefore = await setting(q);
      const dashboard = await computeDashboard(manager, parsed, options, today);
      return { before: jitBefore, d: dashboard, after: await setting(q) };
    });
    expect(d.computedAt).toBe('2031-02-03T12:00:00.000Z');
    expect(d.entitled.active.count).toBe(9);
    expect(after).toBe(before);
  });
});

describe('the dashboard page', () => {
  it('links each figure to the register list of the same people', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get(`/dashboards?la=E06000901&team=${fixtureTeam}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('role="img"');
    expect(html).toContain('href="/dashboards"');
    for (const qa of ['overdue', 'due', 'never-in-writing', 'disengaged', 'active']) {
      const m = new RegExp(`data-qa="${qa}"><a class="govuk-link" href="([^"]+)">([\\d,]+)<`).exec(html);
      expect(m, qa).not.toBeNull();
      const list = await b.get(m![1]!.replace(/&amp;/g, '&'));
      expect(list.statusCode).toBe(200);
      const shown = /of (?:more than )?<b>(\d+)<\/b> (?:person|people)/.exec(list.body)?.[1] ?? (list.body.includes('No people match') ? '0' : null);
      expect(shown, qa).toBe(m![2]!.replace(/,/g, ''));
    }
  });

  it('reports filters it cannot use instead of failing', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get('/dashboards?la=nowhere&from=2026-02-30');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Some filters could not be used');
  });

  it('is refused to an administrator, who manages accounts not records', async () => {
    const b = await signedIn(t, demo.admin);
    expect((await b.get('/dashboards')).statusCode).toBe(403);
  });
});

describe('the cache', () => {
  it('keeps a value for its lifetime and computes again after', async () => {
    let now = 0;
    let computed = 0;
    const cache = new TtlCache<number>(60_000, () => now);
    const compute = async () => ++computed;
    expect(await cache.get('k', compute)).toBe(1);
    now = 59_999;
    expect(await cache.get('k', compute)).toBe(1);
    now = 60_000;
    expect(await cache.get('k', compute)).toBe(2);
    expect(await cache.get('other', compute)).toBe(3);
  });
});

describe('discharges, readmissions, panels, declined endings and teams', () => {
  let episodeTeam: string;
  const epIds: Record<string, string> = {};

  beforeAll(async () => {
    const db = t.database.db;
    const northvale = (await db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    const partnershipId = northvale.partnershipId;
    episodeTeam = (await db.insert(team).values({ partnershipId, organisationId: northvale.id, name: 'Episode Fixture Team' }).returning())[0]!.id;
    const nv = await contextFor(t, demo.practitioner);
    const inTeam = (input: Record<string, unknown>) => ({ allocatedTeamId: episodeTeam, ...input });
    // Discharged 150 days ago, first reviewed 30 days later, then again.
    epIds.reviewed = await make(nv, inTeam({ givenName: 'Reviewed', familyName: 'Epfix' }), [
      detained(addDays(today, -200)),
      ...discharged(addDays(today, -150)),
      { type: 'reviewed', date: addDays(today, -120) },
      { type: 'reviewed', date: addDays(today, -60) },
    ]);
    // Discharged 100 days ago with a plan approved 10 days before (during the admission).
    epIds.planned = await make(nv, inTeam({ givenName: 'Planned', familyName: 'Epfix' }), [detained(addDays(today, -200)), ...discharged(addDays(today, -100))]);
    // Discharged 300 days ago, detained again 250 days ago (a readmission), discharged again 200 days ago;
    // an old plan from 2020 does not count as in place at either discharge.
    epIds.readmitted = await make(nv, inTeam({ givenName: 'Readmitted', familyName: 'Epfix' }), [
      detained(addDays(today, -340)),
      ...discharged(addDays(today, -300)),
      detained(addDays(today, -250)),
      ...discharged(addDays(today, -200)),
    ]);
    await db.insert(aftercarePlan).values([
      { partnershipId, personId: epIds.planned, planNumber: 1, status: 'approved', approvedAt: new Date(`${addDays(today, -110)}T12:00:00Z`) },
      { partnershipId, personId: epIds.readmitted, planNumber: 1, status: 'superseded', approvedAt: new Date('2020-06-01T12:00:00Z') },
      { partnershipId, personId: epIds.readmitted, planNumber: 2, status: 'approved', approvedAt: new Date(`${addDays(today, -190)}T12:00:00Z`) },
    ]);
    // Panel cases: two decided in the period (after 14 and 30 days), one decided long ago, one waiting.
    const plan = (await db.select().from(aftercarePlan).where(eq(aftercarePlan.personId, epIds.planned)))[0]!;
    const panelRow = (personId: string, submitted: string, decided: string | null, decision: 'approved' | 'declined' | null) => ({
      partnershipId,
      personId,
      planId: plan.id,
      status: decided ? ('decided' as const) : ('submitted' as const),
      summary: 'Fixture case',
      proposedLaBasisPoints: 5000,
      proposedBasis: 'Fixture',
      submittedAt: new Date(`${submitted}T10:00:00Z`),
      decision,
      decidedAt: decided ? new Date(`${decided}T15:00:00Z`) : null,
    });
    await db.insert(panelCase).values([
      panelRow(epIds.planned, addDays(today, -60), addDays(today, -46), 'approved'),
      panelRow(epIds.reviewed, addDays(today, -90), addDays(today, -60), 'declined'),
      panelRow(epIds.readmitted, '2022-01-01', '2022-02-01', 'approved'),
      panelRow(epIds.readmitted, addDays(today, -5), null, null),
    ]);
    // Ending proposals: one declined by the ICB in the period, one declined long ago, one withdrawn.
    const proposal = (personId: string, status: 'declined' | 'withdrawn', extra: Partial<typeof endingProposal.$inferInsert>) => ({
      partnershipId,
      personId,
      effectiveOn: addDays(today, -3),
      status,
      reasonCodes: ['no-longer-in-need'],
      reasons: 'Fixture',
      personInvolved: true,
      ...extra,
    });
    await db.insert(endingProposal).values([
      proposal(epIds.reviewed, 'declined', { laDecision: 'approved', laDecidedAt: new Date(`${addDays(today, -9)}T10:00:00Z`), icbDecision: 'declined', icbDecidedAt: new Date(`${addDays(today, -8)}T10:00:00Z`) }),
      proposal(epIds.planned, 'declined', { laDecision: 'declined', laDecidedAt: new Date('2022-03-01T10:00:00Z') }),
      proposal(epIds.readmitted, 'withdrawn', {}),
    ]);
  });

  it('on the episode fixture team: each figure is what the fixture says', async () => {
    const manager = await contextFor(t, demo.manager);
    const { d } = await dashboardFor(manager, { team: episodeTeam });
    // Four discharges in the period: reviewed (-150), planned (-100), readmitted (-300 and -200).
    expect(d.discharges.discharges).toBe(4);
    expect(d.discharges.reviewed).toBe(1);
    expect(d.discharges.medianDaysToFirstReview).toBe(30);
    expect(d.discharges.planInPlace).toBe(1);
    // The readmitted person's plan approved 190 days ago came 10 days after the discharge of 200 days ago.
    expect(d.discharges.planAfter).toBe(1);
    expect(d.discharges.medianDaysToPlanAfter).toBe(10);
    expect(d.discharges.readmittedWithin12Months).toBe(1);
    expect(d.discharges.followedUp12Months).toBe(0);
    expect(d.panels.total).toBe(2);
    expect(d.panels.byDecision).toEqual([
      { decision: 'approved', count: 1 },
      { decision: 'declined', count: 1 },
    ]);
    expect(d.panels.medianDaysToDecision).toBe(22);
    expect(d.declinedEndings).toEqual({ declined: 1, byLocalAuthority: 0, byIcb: 1, withdrawn: 1 });
    expect(d.teams).toEqual([
      { id: episodeTeam, name: 'Episode Fixture Team', entitled: { count: 3, href: expect.stringContaining(`team=${episodeTeam}`) }, overdue: { count: expect.any(Number), href: expect.stringContaining('review=overdue') } },
    ]);
  });

  for (const [who, email] of [
    ['a Northvale team manager', demo.manager],
    ['the ICB commissioner', demo.commissioner],
    ['a Southmere senior practitioner', demo.senior],
  ] as const) {
    it(`for ${who}: discharge, readmission, panel and ending figures equal a direct count`, async () => {
      const ctx = await contextFor(t, email);
      const { d, parsed } = await dashboardFor(ctx, {});
      const { from, to } = parsed.filter;
      const v = visibleSql(ctx);
      const db = t.database.db;
      const episodes = rowsOf<{ id: string; start: string; end_on: string | null }>(
        await db.execute(sql`select p.id, e->>'start' as start, e->>'end' as end_on from person p, jsonb_array_elements(coalesce(p.decision->'episodes', '[]'::jsonb)) e where ${v} and (e->>'start') between ${from} and ${to}`),
      );
      const events = rowsOf<{ person_id: string; type: string; on: string }>(
        await db.execute(sql`select le.person_id, le.type, le.occurred_on::text as on from legal_event le join person p on p.partnership_id = le.partnership_id and p.id = le.person_id where ${v} and le.voided_at is null`),
      );
      const plans = rowsOf<{ person_id: string; approved: string }>(
        await db.execute(sql`select a.person_id, ((a.approved_at at time zone 'Europe/London')::date)::text as approved from aftercare_plan a join person p on p.partnership_id = a.partnership_id and p.id = a.person_id where ${v} and a.approved_at is not null`),
      );
      const medianOf = (values: number[]) => {
        if (values.length === 0) return null;
        const s = [...values].sort((a, b) => a - b);
        const m = Math.floor(s.length / 2);
        return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
      };
      const dayDiff = (a: string, b: string) => toDayNumber(a) - toDayNumber(b);
      const reviewDays: number[] = [];
      const planDays: number[] = [];
      let inPlace = 0;
      let readmitted = 0;
      let followed = 0;
      let readmittedFollowed = 0;
      for (const ep of episodes) {
        const mine = events.filter((e) => e.person_id === ep.id);
        const firstReview = mine.filter((e) => e.type === 'reviewed' && e.on >= ep.start && (ep.end_on === null || e.on <= ep.end_on)).map((e) => e.on).sort()[0];
        if (firstReview) reviewDays.push(dayDiff(firstReview, ep.start));
        const admitted = mine.filter((e) => e.type === 'detention-started' && e.on <= ep.start).map((e) => e.on).sort().at(-1) ?? null;
        const approvals = plans.filter((p) => p.person_id === ep.id).map((p) => p.approved);
        const placed = approvals.some((a) => a <= ep.start && (admitted === null || a >= admitted));
        if (placed) inPlace++;
        const after = approvals.filter((a) => a > ep.start && (ep.end_on === null || a <= ep.end_on)).sort()[0];
        if (!placed && after) planDays.push(dayDiff(after, ep.start));
        const back = mine.some((e) => (e.type === 'detention-started' || e.type === 'admitted-informally') && e.on > ep.start && e.on <= addDays(ep.start, 365));
        if (back) readmitted++;
        if (ep.start <= addDays(today, -365)) {
          followed++;
          if (back) readmittedFollowed++;
        }
      }
      expect(d.discharges).toEqual({
        discharges: episodes.length,
        reviewed: reviewDays.length,
        medianDaysToFirstReview: medianOf(reviewDays),
        planInPlace: inPlace,
        planAfter: planDays.length,
        medianDaysToPlanAfter: medianOf(planDays),
        readmittedWithin12Months: readmitted,
        followedUp12Months: followed,
        readmittedAmongFollowedUp: readmittedFollowed,
      });

      const decisions = rowsOf<{ decision: string; submitted: string; decided: string }>(
        await db.execute(
          sql`select c.decision::text as decision, ((c.submitted_at at time zone 'Europe/London')::date)::text as submitted, ((c.decided_at at time zone 'Europe/London')::date)::text as decided from panel_case c join person p on p.partnership_id = c.partnership_id and p.id = c.person_id where ${v} and c.decided_at is not null`,
        ),
      ).filter((c) => c.decided >= from && c.decided <= to);
      expect(d.panels.total).toBe(decisions.length);
      expect(d.panels.medianDaysToDecision).toBe(medianOf(decisions.map((c) => dayDiff(c.decided, c.submitted))));
      for (const b of d.panels.byDecision) expect(b.count, b.decision).toBe(decisions.filter((c) => c.decision === b.decision).length);

      const proposals = rowsOf<{ status: string; la: string | null; icb: string | null; la_at: string | null; icb_at: string | null; updated: string }>(
        await db.execute(
          sql`select e.status::text as status, e.la_decision::text as la, e.icb_decision::text as icb, ((e.la_decided_at at time zone 'Europe/London')::date)::text as la_at, ((e.icb_decided_at at time zone 'Europe/London')::date)::text as icb_at, ((e.updated_at at time zone 'Europe/London')::date)::text as updated from ending_proposal e join person p on p.partnership_id = e.partnership_id and p.id = e.person_id where ${v} and e.kind = 'ending'`,
        ),
      );
      const inPeriod = (date: string | null) => date !== null && date >= from && date <= to;
      const declinedOn = (p: (typeof proposals)[number]) => [p.la_at, p.icb_at].filter((x): x is string => x !== null).sort().at(-1) ?? null;
      const declined = proposals.filter((p) => p.status === 'declined' && inPeriod(declinedOn(p)));
      expect(d.declinedEndings).toEqual({
        declined: declined.length,
        byLocalAuthority: declined.filter((p) => p.la === 'declined').length,
        byIcb: declined.filter((p) => p.icb === 'declined').length,
        withdrawn: proposals.filter((p) => p.status === 'withdrawn' && inPeriod(p.updated)).length,
      });

      const byTeam = rowsOf<{ team: string; entitled: number; overdue: number }>(
        await db.execute(sql`select p.allocated_team_id as team, count(*)::int as entitled, count(*) filter (where p.next_review_due < ${today})::int as overdue from person p where ${v} and p.status = 'entitled' and p.allocated_team_id is not null group by 1`),
      );
      expect(d.teams.map((x) => [x.id, x.entitled.count, x.overdue.count]).sort()).toEqual(byTeam.map((x) => [x.team, x.entitled, x.overdue]).sort());
    });
  }

  it('a Southmere user counts none of the Northvale-only discharges, panels or declined endings', async () => {
    const senior = await contextFor(t, demo.senior);
    const { d } = await dashboardFor(senior, { team: episodeTeam });
    expect(d.discharges.discharges).toBe(0);
    expect(d.panels.total).toBe(0);
    expect(d.declinedEndings.declined).toBe(0);
    expect(d.teams).toEqual([]);
  });

  it('each view shows its own sections, and the team links list the team’s people', async () => {
    const b = await signedIn(t, demo.manager);
    const section = (html: string, id: string) => html.includes(`data-qa="${id}"`);
    const manager = (await b.get(`/dashboards?team=${episodeTeam}`)).body;
    expect(manager).toContain('data-qa="view-caption">Team manager<');
    for (const id of ['reviews', 'teams', 'first-review', 'plans-at-discharge']) expect(section(manager, id), id).toBe(true);
    expect(section(manager, 'cost-funder')).toBe(false);
    expect(manager).toMatch(/data-qa="median-days-to-review">30</);
    const commissioner = (await b.get(`/dashboards?team=${episodeTeam}&view=commissioner`)).body;
    for (const id of ['cost-funder', 'cost-type', 'panels', 'disputes', 'population']) expect(section(commissioner, id), id).toBe(true);
    expect(section(commissioner, 'teams')).toBe(false);
    expect(commissioner).toMatch(/data-qa="panel-median-days">22</);
    const quality = (await b.get(`/dashboards?team=${episodeTeam}&view=quality`)).body;
    for (const id of ['information', 'endings', 'declined-endings', 'readmissions']) expect(section(quality, id), id).toBe(true);
    expect(quality).toContain('data-qa="data-quality-link"');
    const director = (await b.get(`/dashboards?team=${episodeTeam}&view=director`)).body;
    for (const id of ['entitlement', 'reviews', 'cost-funder', 'panels', 'readmissions', 'teams', 'population']) expect(section(director, id), id).toBe(true);
    expect(director).not.toContain('data-qa="view-note"');
    expect((await b.get('/dashboards?view=nobody')).body).toContain('View as must be one of');
    // The commissioner's own default is the commissioner view.
    const c = await signedIn(t, demo.commissioner);
    expect((await c.get('/dashboards')).body).toContain('data-qa="view-caption">Commissioner<');

    const m = /data-qa="team-entitled"><a class="govuk-link" href="([^"]+)">(\d+)</.exec(manager);
    expect(m).not.toBeNull();
    const list = await b.get(m![1]!.replace(/&amp;/g, '&'));
    expect(/of (?:more than )?<b>(\d+)<\/b> (?:person|people)/.exec(list.body)?.[1]).toBe(m![2]);
  });
});

describe('costs people can trust (issue 13, item 8)', () => {
  let costTeam: string;
  let partnershipId: string;
  const ids2: Record<string, string> = {};

  beforeAll(async () => {
    const db = t.database.db;
    const northvale = (await db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    partnershipId = northvale.partnershipId;
    costTeam = (await db.insert(team).values({ partnershipId, organisationId: northvale.id, name: 'Dashboard Cost Team' }).returning())[0]!.id;
    const nv = await contextFor(t, demo.practitioner);
    const person = (name: string, events: Array<Record<string, unknown>>) => make(nv, { givenName: name, familyName: 'Costfix', allocatedTeamId: costTeam }, events);
    ids2.home = await person('Home', [detained('2023-01-10'), ...discharged('2023-03-01')]);
    ids2.other = await person('Other', [detained('2023-02-10'), ...discharged('2023-04-01')]);
    // Back in hospital: detained again three weeks ago, so their community services pause.
    ids2.readmitted = await person('Readmitted', [detained('2023-01-10'), ...discharged('2023-03-01'), detained(addDays(today, -21))]);
    // Still in hospital, with a plan approved ahead of discharge.
    ids2.inpatient = await person('Inpatient', [detained(addDays(today, -60))]);
    const approvedAt = new Date(`${addDays(today, -10)}T12:00:00Z`);
    const planOf = async (personId: string) => (await db.insert(aftercarePlan).values({ partnershipId, personId, planNumber: 1, status: 'approved', approvedAt }).returning())[0]!.id;
    const service = (planId: string, personId: string, s: Partial<typeof planService.$inferInsert>) => ({
      partnershipId, planId, personId, needIds: [], serviceType: 'Supported living', provider: 'Fixture Care', startOn: '2023-03-01', frequency: 'weekly',
      unitsPerWeek: 1, unitCostPence: 100_00, weeklyCostPence: 100_00, deliveryRoute: 'commissioned' as const, s117: true, localAuthorityBasisPoints: 5000, splitBasis: 'Panel decision', ...s,
    });
    const home = await planOf(ids2.home);
    const other = await planOf(ids2.other);
    const readmitted = await planOf(ids2.readmitted);
    const inpatient = await planOf(ids2.inpatient);
    await db.insert(planService).values([
      // Recorded in words before the list: two ways of writing one type, counted together.
      service(home, ids2.home, { serviceType: 'Supported living', unitCostPence: 500_00, weeklyCostPence: 500_00 }),
      service(other, ids2.other, { serviceType: 'Supported living (24-hour staffed)', unitCostPence: 900_00, weeklyCostPence: 900_00 }),
      // Words that name no type: "other".
      service(other, ids2.other, { serviceType: 'Gym membership', unitCostPence: 10_00, weeklyCostPence: 10_00 }),
      // Coded, and not started yet: no cost today.
      service(home, ids2.home, { serviceType: 'Home care', serviceTypeCode: 'home-care', startOn: addDays(today, 7), unitCostPence: 200_00, weeklyCostPence: 200_00 }),
      // In place, but the person is in hospital: no cost today.
      service(readmitted, ids2.readmitted, { serviceType: 'Home care', serviceTypeCode: 'home-care', unitCostPence: 300_00, weeklyCostPence: 300_00 }),
      service(inpatient, ids2.inpatient, { serviceType: 'Supported living', serviceTypeCode: 'supported-living', startOn: addDays(today, -5), unitCostPence: 700_00, weeklyCostPence: 700_00 }),
    ]);
  });

  it('counts a service only while it is in place and the person is in the community, grouped by type with its name', async () => {
    const manager = await contextFor(t, demo.manager);
    const positions = await t.database.db.select({ id: person.id, legalPosition: person.legalPosition }).from(person).where(eq(person.allocatedTeamId, costTeam));
    expect(positions.find((p) => p.id === ids2.readmitted)!.legalPosition).toContain('in-hospital');
    expect(positions.find((p) => p.id === ids2.inpatient)!.legalPosition).toContain('in-hospital');
    expect(positions.find((p) => p.id === ids2.home)!.legalPosition).not.toContain('in-hospital');

    const { d } = await dashboardFor(manager, { team: costTeam });
    expect(d.cost.weekly.totalPence).toBe(500_00 + 900_00 + 10_00);
    expect(d.cost.byServiceType.map((s) => [s.code, s.serviceType, s.weeklyPence, s.services])).toEqual([
      ['supported-living', 'Supported living', 1400_00, 2],
      ['other', 'Other (not on the list)', 10_00, 1],
    ]);
  });

  it('shows the partnership’s own type by its name, and the dashboard page shows names, never codes', async () => {
    const admin = await signedIn(t, demo.admin);
    const form = await admin.get('/admin/service-types');
    expect(form.statusCode).toBe(200);
    const added = await admin.post('/admin/service-types', { label: 'Gym membership', description: 'Exercise to keep well, prescribed in the plan.' });
    expect(added.statusCode).toBe(302);
    // The words "Gym membership" now name the partnership's own type.
    clearDashboardCache();
    const manager = await contextFor(t, demo.manager);
    const { d } = await dashboardFor(manager, { team: costTeam });
    expect(d.cost.byServiceType.map((s) => [s.code, s.serviceType])).toEqual([
      ['supported-living', 'Supported living'],
      ['local-gym-membership', 'Gym membership'],
    ]);
    const page = await (await signedIn(t, demo.manager)).get(`/dashboards?team=${costTeam}&view=commissioner`);
    expect(page.statusCode).toBe(200);
    // What people read: the text, not the attributes tests use to find cells.
    const text = page.body.replace(/<[^>]*>/g, ' ');
    expect(text).toContain('Gym membership');
    expect(text).not.toContain('local-gym-membership');
    expect(text).not.toContain('supported-living');
  });
});
