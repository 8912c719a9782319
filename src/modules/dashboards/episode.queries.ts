import { sql, type SQL } from 'drizzle-orm';
import type { IsoDate } from '../../domain/calendar-date.ts';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';

/*
 * Dashboard figures about discharges, panels and declined endings (issue 7, item 1). `base` is
 * the register's WHERE over `person` (visibility and the dashboard's local authority, ICB and
 * team), so these count only people the actor may see. `q` is the handle of the dashboard's one
 * ctx.data.read, so row-level security confines them to the actor's partnership as well.
 *
 * A "discharge" is the start of an entitlement episode as the rules engine worked it out
 * (person.decision.episodes[].start): the day the person had both ceased to be detained and
 * left hospital (R5; s117(1) MHA 1983). It is a discharge "in the period" when that day is in
 * the period. Every episode starting in the period started on or after the period's first day,
 * so `entitlement_start >= from` (the latest episode's start) narrows the scan by an index
 * before the stored decision is read.
 */

export interface DischargeFigures {
  /** Entitlement episodes that started in the period. */
  discharges: number;
  /** …of which a 'reviewed' event was recorded on or after the start (and before the episode ended). */
  reviewed: number;
  /** Median days from discharge to that first review (null with none reviewed). */
  medianDaysToFirstReview: number | null;
  /** …of which an approved plan was in place on the discharge day (approved during that admission). */
  planInPlace: number;
  /** …of which a plan was first approved after the discharge day (during the episode). */
  planAfter: number;
  /** Median days from discharge to the first plan approved after it (null with none). */
  medianDaysToPlanAfter: number | null;
  /** …of which the person was detained or admitted again within 365 days after the discharge. */
  readmittedWithin12Months: number;
  /** …of which the discharge was at least 365 days before today (a full 12 months to see). */
  followedUp12Months: number;
  /** Readmitted within 12 months, among discharges followed up for 12 months. */
  readmittedAmongFollowedUp: number;
}

export interface PanelFigures {
  /** Decisions made in the period (decided on a London date in the period), by decision. */
  byDecision: Array<{ decision: string; count: number }>;
  total: number;
  /** Median days from the case's submission (the referral) to its decision. */
  medianDaysToDecision: number | null;
}

export interface DeclinedEndingFigures {
  /** Ending proposals declined in the period (the declining decision's London date). */
  declined: number;
  byLocalAuthority: number;
  byIcb: number;
  /** Proposals withdrawn in the period (by whoever proposed them), for context. */
  withdrawn: number;
}

const londonDate = (column: SQL) => sql`(${column} at time zone 'Europe/London')::date`;
const medianOf = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));

export async function dischargeFigures(q: DbOrTx, partnershipId: string, base: SQL, from: IsoDate, to: IsoDate, today: IsoDate): Promise<DischargeFigures> {
  const yearAgo = sql`(${today}::date - 365)`;
  // JIT off for this query only (put back after it, as the unit of work may run other queries):
  // the per-discharge look-ups are cheap, but their estimated cost makes PostgreSQL spend longer
  // compiling the query (JIT) than running it.
  const query = sql`
    with ep as materialized (
      select person.id as person_id, (e->>'start')::date as start, (e->>'end')::date as end_on
      from person cross join lateral jsonb_array_elements(coalesce(person.decision->'episodes', '[]'::jsonb)) as e
      where ${base} and person.entitlement_start >= ${from} and (e->>'start')::date between ${from} and ${to}
    ), measured as materialized (
      -- One pass over each discharged person's events (a short range of legal_event_person_idx)
      -- gives all three event figures, instead of a correlated look-up per figure.
      select ep.person_id, ep.start, ep.end_on, ev.first_review, ev.admitted_on, coalesce(ev.readmitted, false) as readmitted
      from ep cross join lateral (
        select
          min(le.occurred_on) filter (where le.type = 'reviewed' and le.occurred_on >= ep.start and (ep.end_on is null or le.occurred_on <= ep.end_on)) as first_review,
          max(le.occurred_on) filter (where le.type = 'detention-started' and le.occurred_on <= ep.start) as admitted_on,
          bool_or(le.type in ('detention-started', 'admitted-informally') and le.occurred_on > ep.start and le.occurred_on <= ep.start + 365) as readmitted
        from legal_event le
        where le.partnership_id = ${partnershipId} and le.person_id = ep.person_id and le.voided_at is null
          and le.type in ('reviewed', 'detention-started', 'admitted-informally')
      ) ev
    ), planned as materialized (
      -- Plans by the London date of approval (any plan ever approved, including superseded ones),
      -- both figures from one look-up of the person's plans.
      select m.*, coalesce(pl.in_place, false) as in_place, pl.plan_after
      from measured m cross join lateral (
        select
          bool_or(a.approved_on <= m.start and (m.admitted_on is null or a.approved_on >= m.admitted_on)) as in_place,
          min(a.approved_on) filter (where a.approved_on > m.start and (m.end_on is null or a.approved_on <= m.end_on)) as plan_after
        from (
          select ${londonDate(sql`approved_at`)} as approved_on from aftercare_plan
          where partnership_id = ${partnershipId} and person_id = m.person_id and approved_at is not null
        ) a
      ) pl
    )
    select
      count(*)::int as discharges,
      count(first_review)::int as reviewed,
      percentile_cont(0.5) within group (order by first_review - start) filter (where first_review is not null) as median_review,
      count(*) filter (where in_place)::int as plan_in_place,
      count(*) filter (where not in_place and plan_after is not null)::int as plan_after,
      percentile_cont(0.5) within group (order by plan_after - start) filter (where not in_place and plan_after is not null) as median_plan,
      count(*) filter (where readmitted)::int as readmitted,
      count(*) filter (where start <= ${yearAgo})::int as followed_up,
      count(*) filter (where readmitted and start <= ${yearAgo})::int as readmitted_followed_up
    from planned`;
  const jit = rowsOf<{ jit: string }>(await q.execute(sql`select current_setting('jit') as jit, set_config('jit', 'off', true)`))[0]!.jit;
  const result = await q.execute(query);
  await q.execute(sql`select set_config('jit', ${jit}, true)`);
  const r = rowsOf<Record<string, unknown>>(result)[0] ?? {};
  return {
    discharges: Number(r.discharges ?? 0),
    reviewed: Number(r.reviewed ?? 0),
    medianDaysToFirstReview: medianOf(r.median_review),
    planInPlace: Number(r.plan_in_place ?? 0),
    planAfter: Number(r.plan_after ?? 0),
    medianDaysToPlanAfter: medianOf(r.median_plan),
    readmittedWithin12Months: Number(r.readmitted ?? 0),
    followedUp12Months: Number(r.followed_up ?? 0),
    readmittedAmongFollowedUp: Number(r.readmitted_followed_up ?? 0),
  };
}

export async function panelFigures(q: DbOrTx, partnershipId: string, base: SQL, from: IsoDate, to: IsoDate): Promise<PanelFigures> {
  const result = await q.execute(sql`
    select c.decision::text as decision, count(*)::int as n,
      percentile_cont(0.5) within group (order by ${londonDate(sql`c.decided_at`)} - ${londonDate(sql`c.submitted_at`)}) as median_days,
      grouping(c.decision) as is_total
    from panel_case c join person on person.partnership_id = c.partnership_id and person.id = c.person_id
    where c.partnership_id = ${partnershipId} and c.decided_at is not null and c.decision is not null
      and ${londonDate(sql`c.decided_at`)} between ${from} and ${to} and ${base}
    group by grouping sets ((c.decision), ())`);
  const rows = rowsOf<{ decision: string | null; n: unknown; median_days: unknown; is_total: unknown }>(result);
  const total = rows.find((r) => Number(r.is_total) === 1);
  const order = ['approved', 'approved-with-changes', 'deferred', 'declined'];
  return {
    byDecision: rows
      .filter((r) => Number(r.is_total) === 0)
      .map((r) => ({ decision: r.decision!, count: Number(r.n) }))
      .sort((a, b) => order.indexOf(a.decision) - order.indexOf(b.decision)),
    total: Number(total?.n ?? 0),
    medianDaysToDecision: medianOf(total?.median_days),
  };
}

export async function declinedEndingFigures(q: DbOrTx, partnershipId: string, base: SQL, from: IsoDate, to: IsoDate): Promise<DeclinedEndingFigures> {
  // A declined proposal is closed by the declining decision: the later of the two bodies' decision times.
  const result = await q.execute(sql`
    select
      count(*) filter (where e.status = 'declined' and ${londonDate(sql`greatest(e.la_decided_at, e.icb_decided_at)`)} between ${from} and ${to})::int as declined,
      count(*) filter (where e.status = 'declined' and e.la_decision = 'declined' and ${londonDate(sql`greatest(e.la_decided_at, e.icb_decided_at)`)} between ${from} and ${to})::int as by_la,
      count(*) filter (where e.status = 'declined' and e.icb_decision = 'declined' and ${londonDate(sql`greatest(e.la_decided_at, e.icb_decided_at)`)} between ${from} and ${to})::int as by_icb,
      count(*) filter (where e.status = 'withdrawn' and ${londonDate(sql`e.updated_at`)} between ${from} and ${to})::int as withdrawn
    from ending_proposal e join person on person.partnership_id = e.partnership_id and person.id = e.person_id
    where e.partnership_id = ${partnershipId} and e.kind = 'ending' and e.status in ('declined', 'withdrawn') and ${base}`);
  const r = rowsOf<{ declined: unknown; by_la: unknown; by_icb: unknown; withdrawn: unknown }>(result)[0];
  return { declined: Number(r?.declined ?? 0), byLocalAuthority: Number(r?.by_la ?? 0), byIcb: Number(r?.by_icb ?? 0), withdrawn: Number(r?.withdrawn ?? 0) };
}
