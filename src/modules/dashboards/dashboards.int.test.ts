import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { addDays, addMonths, toDayNumber } from '../../domain/calendar-date.ts';
import { planTotals } from '../../domain/funding.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { relationshipScope } from '../../platform/access/policy.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { dispute } from '../disputes/schema.ts';
import { endingProposal } from '../endings/schema.ts';
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
const nhsNumbers = syntheticNhsNumbers(31_000);
let fixtureTeam: string;
const ids: Record<string, string> = {};

async function contextFor(email: string): Promise<ServiceContext> {
  const user = (await t.database.db.select().from(appUser).where(eq(appUser.email, email)))[0]!;
  const actor = (await loadUserActor(t.database.db, user.id))!;
  return { db: t.database.db, actor, requestId: `test:${randomUUID()}`, config: t.config };
}

async function make(ctx: ServiceContext, input: Record<string, unknown>, events: Array<Record<string, unknown>>): Promise<string> {
  const created = await createPerson(ctx, { dateOfBirth: '1980-04-01', nhsNumber: nhsNumbers.next().value as string, allocatedTeamId: fixtureTeam, ...input }, { confirmDuplicate: true });
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
  const nv = await contextFor(demo.practitioner);

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
    const manager = await contextFor(demo.manager);
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
      ['Supported accommodation', 15050],
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
      const ctx = await contextFor(email);
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
      const services = rowsOf<{ unit_cost_pence: number; units_per_week: string; local_authority_basis_points: number; delivery_route: string; person_id: string }>(
        await t.database.db.execute(
          sql`select s.unit_cost_pence, s.units_per_week, s.local_authority_basis_points, s.delivery_route, s.person_id from plan_service s join aftercare_plan a on a.partnership_id = s.partnership_id and a.id = s.plan_id join person p on p.partnership_id = s.partnership_id and p.id = s.person_id where ${v} and a.status = 'approved' and s.start_on <= ${today} and (s.end_on is null or s.end_on >= ${today})`,
        ),
      );
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
    const senior = await contextFor(demo.senior);
    const { d } = await dashboardFor(senior, { team: fixtureTeam });
    expect(d.entitled.active.count).toBe(0);
    expect(d.reviews.overdue.count).toBe(0);
    expect(d.plans.approved).toBe(0);
    expect(d.disputes).toEqual({ under2: 0, from2to4: 0, over4: 0 });
    expect(d.cost.weekly.totalPence).toBe(0);
    const manager = await contextFor(demo.manager);
    expect((await dashboardFor(manager, { team: fixtureTeam })).d.entitled.active.count).toBe(9);
  });
});

describe('the dashboard page', () => {
  it('links each figure to the register list of the same people', async () => {
    const b = await signedInBrowser(t.app, demo.manager);
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
    const b = await signedInBrowser(t.app, demo.manager);
    const res = await b.get('/dashboards?la=nowhere&from=2026-02-30');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Some filters could not be used');
  });

  it('is refused to an administrator, who manages accounts not records', async () => {
    const b = await signedInBrowser(t.app, demo.admin);
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
