import { and, sql, type SQL } from 'drizzle-orm';
import { addDays } from '../../domain/calendar-date.ts';
import { needCategories } from '../../domain/rules/index.ts';
import { rowsOf } from '../../platform/db/database.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { visiblePeople } from '../register/index.ts';
import { person } from '../register/index.ts';
import { qualityRuleIds, qualityScore, STALE_DAYS, type QualityRuleId } from './rules.ts';

/*
 * The data quality rules as SQL over `person`. Every count and list is limited to the people
 * the actor may see (visiblePeople, which also pins the partnership); subqueries join on
 * partnership_id as well as the person's id.
 */

export const QUALITY_PAGE_SIZE = 50;

const categoryList = sql.join(
  needCategories.map((c) => sql`${c}`),
  sql`, `,
);

/** Weighted digit i (1-based) of the NHS number. */
const digit = (i: number) => sql`substr(${person.nhsNumber}, ${sql.raw(String(i))}, 1)::int`;

/** True when the stored NHS number is 10 digits with a valid modulus 11 check digit. */
function validNhsNumber(): SQL {
  const weighted = sql.join(
    Array.from({ length: 9 }, (_, i) => sql`${digit(i + 1)} * ${sql.raw(String(10 - i))}`),
    sql` + `,
  );
  const check = sql`(11 - ((${weighted}) % 11))`;
  return sql`(case when ${person.nhsNumber} ~ '^[0-9]{10}$' then (${check} <> 10 and ${check} % 11 = ${digit(10)}) else false end)`;
}

/** The condition on `person` for each rule, as of `today` (Europe/London). */
export function ruleCondition(id: QualityRuleId, today: string): SQL {
  const cutoff = addDays(today, -STALE_DAYS);
  switch (id) {
    case 'nhs-number':
      return sql`(not ${validNhsNumber()})`;
    case 'no-responsible-body':
      return sql`(${person.status} in ('entitled', 'pending') and (${person.responsibleLocalAuthority} is null or ${person.responsibleIcb} is null))`;
    case 'no-approved-plan':
      return sql`(${person.status} = 'entitled' and not exists (select 1 from aftercare_plan ap where ap.partnership_id = ${person.partnershipId} and ap.person_id = ${person.id} and ap.status = 'approved'))`;
    case 'plan-incomplete':
      return sql`exists (${planIncomplete(cutoff)})`;
    case 'split-basis-missing':
      return sql`exists (select 1 from plan_service ps join aftercare_plan ap on ap.partnership_id = ps.partnership_id and ap.id = ps.plan_id where ps.partnership_id = ${person.partnershipId} and ap.person_id = ${person.id} and ap.status = 'approved' and ps.split_basis !~ '\\S')`;
    case 'review-overdue':
      return sql`(${person.status} = 'entitled' and ${person.nextReviewDue} < ${today})`;
    case 'flag-unresolved':
      return sql`exists (select 1 from task tk where tk.partnership_id = ${person.partnershipId} and tk.person_id = ${person.id} and tk.kind = 'flag' and tk.status = 'open' and (tk.created_at at time zone 'Europe/London')::date < ${cutoff}::date)`;
    case 'likely-duplicate':
      return sql`exists (${duplicates()})`;
  }
}

/** Plans of the person (not superseded) with an unclassified need, or drafts started before `cutoff`. */
function planIncomplete(cutoff: string): SQL {
  return sql`select ap.id from aftercare_plan ap where ap.partnership_id = ${person.partnershipId} and ap.person_id = ${person.id} and (
    (ap.status in ('draft', 'submitted', 'approved') and exists (select 1 from plan_need pn where pn.partnership_id = ap.partnership_id and pn.plan_id = ap.id and (pn.category is null or pn.category not in (${categoryList}))))
    or (ap.status = 'draft' and (ap.created_at at time zone 'Europe/London')::date < ${cutoff}::date))`;
}

function duplicates(): SQL {
  return sql`select d.id from person d where d.partnership_id = ${person.partnershipId} and d.id <> ${person.id} and lower(d.family_name) = lower(${person.familyName}) and lower(d.given_name) = lower(${person.givenName}) and d.date_of_birth = ${person.dateOfBirth} and d.nhs_number <> ${person.nhsNumber}`;
}

export interface QualitySummary {
  /** People the actor can see. */
  total: number;
  /** People with at least one problem. */
  withProblems: number;
  score: number | null;
  counts: Record<QualityRuleId, number>;
}

/** The count of each rule, of people with any problem, and the score, in one scan. */
export async function qualitySummary(ctx: ServiceContext, today: string): Promise<QualitySummary> {
  const conditions = qualityRuleIds.map((id) => ruleCondition(id, today));
  const columns = qualityRuleIds.map((id, i) => sql`count(*) filter (where ${conditions[i]!})::int as ${sql.identifier(id)}`);
  const query = sql`select count(*)::int as total, count(*) filter (where ${sql.join(conditions, sql` or `)})::int as with_problems, ${sql.join(columns, sql`, `)} from ${person} where ${visiblePeople(ctx.actor)}`;
  const row = (await rows<Record<string, unknown>>(ctx, query))[0] ?? {};
  const counts = Object.fromEntries(qualityRuleIds.map((id) => [id, Number(row[id] ?? 0)])) as Record<QualityRuleId, number>;
  const total = Number(row.total ?? 0);
  const withProblems = Number(row.with_problems ?? 0);
  return { total, withProblems, score: qualityScore(total, withProblems), counts };
}

export interface QualityRow {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  status: string;
  responsibleLocalAuthority: string | null;
  responsibleIcb: string | null;
  nextReviewDue: string | null;
  /** The plan to fix, for plan rules. */
  planId: string | null;
  /** A short, rule-specific note (the flag task's title, how many duplicates). */
  detail: string | null;
}

function extraColumns(id: QualityRuleId, today: string): { planId: SQL; detail: SQL } {
  const cutoff = addDays(today, -STALE_DAYS);
  const none = sql`null::text`;
  switch (id) {
    case 'plan-incomplete':
      return { planId: sql`(${planIncomplete(cutoff)} order by ap.plan_number desc limit 1)::text`, detail: none };
    case 'split-basis-missing':
      return {
        planId: sql`(select ap.id from aftercare_plan ap where ap.partnership_id = ${person.partnershipId} and ap.person_id = ${person.id} and ap.status = 'approved' limit 1)::text`,
        detail: sql`(select string_agg(ps.service_type, ', ' order by ps.position) from plan_service ps join aftercare_plan ap on ap.partnership_id = ps.partnership_id and ap.id = ps.plan_id where ps.partnership_id = ${person.partnershipId} and ap.person_id = ${person.id} and ap.status = 'approved' and ps.split_basis !~ '\\S')`,
      };
    case 'flag-unresolved':
      return {
        planId: none,
        detail: sql`(select string_agg(tk.title, '; ' order by tk.created_at) from task tk where tk.partnership_id = ${person.partnershipId} and tk.person_id = ${person.id} and tk.kind = 'flag' and tk.status = 'open' and (tk.created_at at time zone 'Europe/London')::date < ${cutoff}::date)`,
      };
    case 'likely-duplicate':
      return { planId: none, detail: sql`(select count(*) from (${duplicates()}) dd)::text` };
    case 'nhs-number':
    case 'no-responsible-body':
    case 'no-approved-plan':
    case 'review-overdue':
      return { planId: none, detail: none };
  }
}

/**
 * One page of the people a rule finds, by name; a page past the end shows the last one.
 * A download asks for one page as large as it may hold (`pageSize`).
 */
export async function qualityRulePage(
  ctx: ServiceContext,
  id: QualityRuleId,
  today: string,
  page: number,
  pageSize = QUALITY_PAGE_SIZE,
): Promise<{ rows: QualityRow[]; total: number; page: number }> {
  const where = and(visiblePeople(ctx.actor), ruleCondition(id, today))!;
  const total = (await rows<{ n: number }>(ctx, sql`select count(*)::int as n from ${person} where ${where}`))[0]?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  if (total === 0) return { rows: [], total, page: current };
  const extra = extraColumns(id, today);
  const raw = await rows<Record<string, unknown>>(
    ctx,
    sql`select ${person.id} as id, ${person.nhsNumber} as nhs_number, ${person.givenName} as given_name, ${person.familyName} as family_name, ${person.dateOfBirth}::text as date_of_birth,
      ${person.status}::text as status, ${person.responsibleLocalAuthority} as la, ${person.responsibleIcb} as icb, ${person.nextReviewDue}::text as next_review_due,
      ${extra.planId} as plan_id, ${extra.detail} as detail
      from ${person} where ${where}
      order by lower(${person.familyName}), lower(${person.givenName}), ${person.id}
      limit ${pageSize} offset ${(current - 1) * pageSize}`,
  );
  return {
    total,
    page: current,
    rows: raw.map((r) => ({
      id: String(r.id),
      nhsNumber: String(r.nhs_number),
      givenName: String(r.given_name),
      familyName: String(r.family_name),
      dateOfBirth: String(r.date_of_birth),
      status: String(r.status),
      responsibleLocalAuthority: (r.la as string | null) ?? null,
      responsibleIcb: (r.icb as string | null) ?? null,
      nextReviewDue: (r.next_review_due as string | null) ?? null,
      planId: (r.plan_id as string | null) ?? null,
      detail: (r.detail as string | null | undefined) ?? null,
    })),
  };
}

/** Through the actor's door: row-level security keeps the query to the actor's partnership (or the unit already open). */
async function rows<T>(ctx: ServiceContext, query: SQL): Promise<T[]> {
  return rowsOf<T>(await ctx.data.read((q) => q.execute(query)));
}
