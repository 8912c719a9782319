import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { IsoDate } from '../../domain/calendar-date.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { dispute } from '../disputes/index.ts';
import { endingProposal } from '../endings/index.ts';
import { aftercarePlan, planService } from '../plans/index.ts';
import { person } from '../register/index.ts';
import { planSettings } from '../settings/index.ts';

/*
 * The assurance dashboard's data layer (issue 7, item 1): the queries computeDashboard runs, in
 * one ctx.data.read, so row-level security confines every one to the actor's partnership;
 * `base` (registerWhere) confines them to the people the actor may see, and the partnership
 * filters stay as the leading index key. bench/dashboard.ts measures them at 200,000 people.
 */

const personJoin = (partnershipId: string, personId: AnyPgColumn) => and(eq(person.partnershipId, partnershipId), eq(person.id, personId));

/**
 * Services whose cost counts today (src/domain/service-cost.ts, serviceCostCountsOn): on approved
 * plans of people in scope, in place today (started, not ended), for people in the community
 * (not in hospital: the person's stored legal position, refreshed with their decision).
 */
export function servicesInUse(where: SQL, today: IsoDate) {
  return and(
    eq(aftercarePlan.status, 'approved'),
    sql`${planService.startOn} <= ${today}`,
    sql`(${planService.endOn} is null or ${planService.endOn} >= ${today})`,
    sql`not ('in-hospital' = any(${person.legalPosition}))`,
    where,
  )!;
}

/**
 * One pass over the people in scope: the totals (grouping set ()), entitled people by
 * responsible local authority, and entitled people and overdue reviews by allocated team.
 */
export function countPeople(q: DbOrTx, base: SQL, window: { from: IsoDate; to: IsoDate; today: IsoDate; dueBy: IsoDate }) {
  const { from, to, today, dueBy } = window;
  return q
    .select({
      active: sql<number>`count(*) filter (where ${person.status} = 'entitled')::int`,
      newInPeriod: sql<number>`count(*) filter (where ${person.entitlementStart} between ${from} and ${to})::int`,
      overdue: sql<number>`count(*) filter (where ${person.status} = 'entitled' and ${person.nextReviewDue} < ${today})::int`,
      due: sql<number>`count(*) filter (where ${person.status} = 'entitled' and ${person.nextReviewDue} between ${today} and ${dueBy})::int`,
      inDate: sql<number>`count(*) filter (where ${person.status} = 'entitled' and ${person.nextReviewDue} > ${dueBy})::int`,
      noDate: sql<number>`count(*) filter (where ${person.status} = 'entitled' and ${person.nextReviewDue} is null)::int`,
      neverInWriting: sql<number>`count(*) filter (where ${person.status} = 'entitled' and ${person.rightsGivenInWritingOn} is null)::int`,
      disengaged: sql<number>`count(*) filter (where ${person.status} = 'entitled' and ${person.engagement} = 'disengaged')::int`,
      code: person.responsibleLocalAuthority,
      team: person.allocatedTeamId,
      byLocalAuthority: sql<boolean>`(grouping(${person.allocatedTeamId}) = 1 and grouping(${person.responsibleLocalAuthority}) = 0)`,
      byTeam: sql<boolean>`(grouping(${person.allocatedTeamId}) = 0)`,
    })
    .from(person)
    .where(base)
    .groupBy(sql`grouping sets ((), (${person.responsibleLocalAuthority}), (${person.allocatedTeamId}))`);
}

/** People in scope whose entitlement was recorded as ended in the period. */
export function countEndedPeople(q: DbOrTx, partnershipId: string, base: SQL, from: IsoDate, to: IsoDate) {
  return q
    .select({ n: sql<number>`count(distinct ${endingProposal.personId})::int` })
    .from(endingProposal)
    .innerJoin(person, personJoin(partnershipId, endingProposal.personId))
    .where(and(eq(endingProposal.partnershipId, partnershipId), eq(endingProposal.kind, 'ending'), eq(endingProposal.status, 'recorded'), sql`${endingProposal.effectiveOn} between ${from} and ${to}`, base));
}

/** Open disputes about people in scope, by how long they have been open. */
export function countOpenDisputes(q: DbOrTx, partnershipId: string, base: SQL, bounds: { twoMonthsAgo: IsoDate; fourMonthsAgo: IsoDate }) {
  return q
    .select({
      under2: sql<number>`count(*) filter (where ${dispute.aroseOn} > ${bounds.twoMonthsAgo})::int`,
      from2to4: sql<number>`count(*) filter (where ${dispute.aroseOn} <= ${bounds.twoMonthsAgo} and ${dispute.aroseOn} > ${bounds.fourMonthsAgo})::int`,
      over4: sql<number>`count(*) filter (where ${dispute.aroseOn} <= ${bounds.fourMonthsAgo})::int`,
    })
    .from(dispute)
    .innerJoin(person, personJoin(partnershipId, dispute.personId))
    .where(and(eq(dispute.partnershipId, partnershipId), sql`${dispute.stage} <> 'resolved'`, base));
}

/**
 * Approved plans, and entitlement start → first approval (any plan ever approved, including
 * since superseded) for people whose entitlement started in the period: one pass over the
 * plans of the people in scope, grouped by person.
 */
export function planFigures(q: DbOrTx, partnershipId: string, base: SQL, from: IsoDate, to: IsoDate) {
  return q.execute(sql`
      select coalesce(sum(approved), 0)::int as approved,
        count(*) filter (where first_approved is not null and start between ${from} and ${to})::int as measured,
        percentile_cont(0.5) within group (order by first_approved - start) filter (where first_approved is not null and start between ${from} and ${to}) as median_days
      from (
        select ${person.entitlementStart} as start,
          count(*) filter (where ${aftercarePlan.status} = 'approved') as approved,
          min((${aftercarePlan.approvedAt} at time zone 'Europe/London')::date) as first_approved
        from ${aftercarePlan} join ${person} on ${personJoin(partnershipId, aftercarePlan.personId)}
        where ${aftercarePlan.partnershipId} = ${partnershipId} and ${base}
        group by ${person.id}, ${person.entitlementStart}
      ) by_person`);
}

/**
 * Services in use, grouped by what their cost depends on (identical services cost the same),
 * so thousands of rows are summed as a few groups; the grand-total row (grouping set ())
 * counts the people with a direct payment or a personal health budget, in the same pass.
 */
export function serviceGroups(q: DbOrTx, partnershipId: string, base: SQL, today: IsoDate) {
  return q
    .select({
      serviceTypeCode: planService.serviceTypeCode,
      // Only a service recorded before the list of types needs its words (to map them); the rest group by code.
      serviceType: sql<string | null>`case when ${planService.serviceTypeCode} is null then ${planService.serviceType} end`,
      unitCostPence: planService.unitCostPence,
      unitsPerWeek: planService.unitsPerWeek,
      localAuthorityBasisPoints: planService.localAuthorityBasisPoints,
      services: sql<number>`count(*)::int`,
      directPayments: sql<number>`count(distinct ${planService.personId}) filter (where ${planService.deliveryRoute} = 'direct-payment')::int`,
      personalHealthBudgets: sql<number>`count(distinct ${planService.personId}) filter (where ${planService.deliveryRoute} = 'personal-health-budget')::int`,
      isTotal: sql<number>`grouping(${planService.serviceTypeCode})::int`,
    })
    .from(planService)
    .innerJoin(aftercarePlan, and(eq(aftercarePlan.partnershipId, planService.partnershipId), eq(aftercarePlan.id, planService.planId)))
    .innerJoin(person, personJoin(partnershipId, planService.personId))
    .where(and(eq(planService.partnershipId, partnershipId), servicesInUse(base, today)))
    .groupBy(
      sql`grouping sets ((${planService.serviceTypeCode}, case when ${planService.serviceTypeCode} is null then ${planService.serviceType} end, ${planService.unitCostPence}, ${planService.unitsPerWeek}, ${planService.localAuthorityBasisPoints}), ())`,
    );
}

/** The partnership's weeks in a year, if its settings are stored. */
export function weeksPerYearSetting(q: DbOrTx, partnershipId: string) {
  return q.select({ weeksPerYear: planSettings.weeksPerYear }).from(planSettings).where(eq(planSettings.partnershipId, partnershipId));
}

/** Reasons given for the endings recorded in the period, most given first. */
export function endingReasons(q: DbOrTx, partnershipId: string, base: SQL, from: IsoDate, to: IsoDate) {
  return q
    .select({ reason: sql<string>`r.reason`, n: sql<number>`count(*)::int` })
    .from(endingProposal)
    .innerJoin(person, personJoin(partnershipId, endingProposal.personId))
    .innerJoin(sql`unnest(${endingProposal.reasonCodes}) as r(reason)`, sql`true`)
    .where(and(eq(endingProposal.partnershipId, partnershipId), eq(endingProposal.kind, 'ending'), eq(endingProposal.status, 'recorded'), sql`${endingProposal.effectiveOn} between ${from} and ${to}`, base))
    .groupBy(sql`r.reason`)
    .orderBy(sql`count(*) desc`, sql`r.reason`);
}
