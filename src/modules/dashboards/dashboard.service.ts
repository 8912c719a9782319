import { addDays, addMonths, isInSupportedRange, isRealDate, type IsoDate } from '../../domain/calendar-date.ts';
import { planTotals } from '../../domain/funding.ts';
import { relationshipScope } from '../../platform/access/policy.ts';
import type { FieldIssue } from '../../platform/errors/errors.ts';
import { rowsOf } from '../../platform/db/database.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { filterParams, parseRegisterQuery, registerWhere, REVIEW_DUE_DAYS, type RegisterFilter, type RegisterOptions } from '../register/index.ts';
import { loadPopulation } from '../population/index.ts';
import { populationOf, ratePer100k, type SafePopulationRate } from '../../domain/population.ts';
import { countEndedPeople, countOpenDisputes, countPeople, endingReasons, planFigures, serviceGroups, weeksPerYearSetting } from './dashboard.queries.ts';
import { declinedEndingFigures, dischargeFigures, panelFigures, type DeclinedEndingFigures, type DischargeFigures, type PanelFigures } from './episode.queries.ts';
import { govukDate, parseDateInput } from '../../platform/plain-language.ts';
import { effectiveServiceType, OTHER_SERVICE_TYPE, OTHER_SERVICE_TYPE_LABEL, serviceTypeLabel } from '../../domain/reference/service-types.ts';
import { serviceTypeChoices } from '../settings/index.ts';
import { learningReviewCounts } from '../risk/index.ts';
import { safeguardingFigures, type SafeguardingFigures } from '../safeguarding/index.ts';
import { carerDashboardCounts } from '../carers/index.ts';

/*
 * The assurance dashboard (issue 7, item 1). Every figure is counted over the people the actor
 * may see (`registerWhere` starts from `visiblePeople`), narrowed by the dashboard's local
 * authority, ICB and team — the same WHERE the register list uses, so a figure's link to
 * /register?… lists exactly the people it counts.
 */

export interface DashboardFilter {
  la: string;
  icb: string;
  team: string;
  from: IsoDate;
  to: IsoDate;
}

export interface ParsedDashboardQuery {
  filter: DashboardFilter;
  /** The register filter the scope filters become (status etc. empty). */
  scope: RegisterFilter;
  errors: FieldIssue[];
}

const first = (v: unknown): string => (typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '');

/** Read the dashboard's GET form; anything unusable is reported and left out (never a 500). */
export function parseDashboardQuery(raw: Record<string, unknown>, options: RegisterOptions, today: IsoDate): ParsedDashboardQuery {
  const errors: FieldIssue[] = [];
  const picked = { la: first(raw.la), icb: first(raw.icb), team: first(raw.team) };
  const parsed = parseRegisterQuery({ la: picked.la || undefined, icb: picked.icb || undefined, team: picked.team || undefined }, options);
  errors.push(...parsed.ignored);
  const scope = parsed.filter;
  const date = (key: 'from' | 'to', fallback: IsoDate, label: string): IsoDate => {
    const typed = first(raw[key]);
    if (typed === '') return fallback;
    // A date picker sends 2026-01-01; a person typing may write 1 January 2026.
    const value = parseDateInput(typed) ?? typed;
    if (!isRealDate(value) || !isInSupportedRange(value)) {
      errors.push({ path: key, message: `${label} must be a real date, like ${govukDate(today)}` });
      return fallback;
    }
    return value;
  };
  let from = date('from', addDays(addMonths(today, -12), 1), 'Period from');
  let to = date('to', today, 'Period to');
  if (from > to) {
    errors.push({ path: 'to', message: 'Period to must be the same as or after period from' });
    [from, to] = [to, from];
  }
  return { filter: { la: scope.la[0] ?? '', icb: scope.icb[0] ?? '', team: scope.team[0] ?? '', from, to }, scope, errors };
}

/** A count with the register list of the people behind it, when the register can express it. */
export interface Figure {
  count: number;
  href: string | null;
}

export interface Dashboard {
  entitled: { active: Figure; newInPeriod: Figure; endedInPeriod: Figure };
  reviews: { overdue: Figure; due: Figure; inDate: Figure; noDate: Figure };
  neverInWriting: Figure;
  disengaged: Figure;
  disputes: { under2: number; from2to4: number; over4: number };
  plans: { approved: number; medianDaysToPlan: number | null; measured: number };
  cost: {
    weekly: { localAuthorityPence: number; icbPence: number; totalPence: number };
    yearly: { localAuthorityPence: number; icbPence: number; totalPence: number };
    /** By type of service (its code, and the type's name), most costly first. */
    byServiceType: Array<{ code: string; serviceType: string; weeklyPence: number; yearlyPence: number; services: number }>;
    weeksPerYear: number;
  };
  budgets: { directPayments: number; personalHealthBudgets: number };
  endings: Array<{ reason: string; count: number }>;
  declinedEndings: DeclinedEndingFigures;
  /** Entitled people and overdue reviews by allocated team (people with no team left out). */
  teams: Array<{ id: string; name: string; entitled: Figure; overdue: Figure }>;
  discharges: DischargeFigures;
  panels: PanelFigures;
  /** Learning reviews after readmissions and crises (issue 15, item 4): completed in the last 12 months, and still to do. */
  learningReviews: { completed: number; outstanding: number };
  /** Safeguarding adults (issue 16, item 1): counts and timeliness over the last 12 months, for the people the viewer may see. */
  safeguarding: SafeguardingFigures;
  /** Carers (issue 16, item 5): known to the people the actor may see, and their assessments offered, completed and declined in the period. */
  carers: { known: number; offered: number; completed: number; declined: number };
  /** People entitled now per 100,000 population; null when no population figures are configured. */
  population: {
    overall: { entitled: number; population: number | null; rate: SafePopulationRate };
    byLocalAuthority: Array<{ code: string; name: string; entitled: number; population: number | null; rate: SafePopulationRate }>;
  } | null;
  computedAt: string;
}

function registerLink(scope: RegisterFilter, extra: Array<[string, string]>): string {
  const pairs = [...filterParams(scope, { sort: false }), ...extra];
  return `/register?${new URLSearchParams(pairs).toString()}`;
}

function withExtra(scope: RegisterFilter, extra: Partial<RegisterFilter>): RegisterFilter {
  return { ...scope, ...extra };
}


export async function computeDashboard(ctx: ServiceContext, parsed: ParsedDashboardQuery, options: RegisterOptions, today: IsoDate): Promise<Dashboard> {
  const { scope, filter } = parsed;
  const partnershipId = ctx.actor.partnershipId;
  const base = registerWhere(ctx, scope, options, today);
  const dueBy = addDays(today, REVIEW_DUE_DAYS);
  const { from, to } = filter;

  // Each figure in its own read-only unit of work, all at once: on PostgreSQL they run in parallel
  // on the pool's connections (one unit ran them one after another and took 1.7–1.9× as long).
  // The figures are counts of the same moment, not one snapshot; the queries are in
  // dashboard.queries.ts and episode.queries.ts.
  const [learningReviews, safeguarding, carers, [countRows, endedRows, disputeRows, planResult, serviceGroupRows, settingsRows, endingRows, panels, declinedEndings, populationRows, discharges, types]] = await Promise.all([learningReviewCounts(ctx), safeguardingFigures(ctx), carerDashboardCounts(ctx, from, to), Promise.all([
    ctx.data.read((q) => countPeople(q, base, { from, to, today, dueBy })),
    ctx.data.read((q) => countEndedPeople(q, partnershipId, base, from, to)),
    ctx.data.read((q) => countOpenDisputes(q, partnershipId, base, { twoMonthsAgo: addMonths(today, -2), fourMonthsAgo: addMonths(today, -4) })),
    ctx.data.read((q) => planFigures(q, partnershipId, base, from, to)),
    ctx.data.read((q) => serviceGroups(q, partnershipId, base, today)),
    ctx.data.read((q) => weeksPerYearSetting(q, partnershipId)),
    ctx.data.read((q) => endingReasons(q, partnershipId, base, from, to)),
    ctx.data.read((q) => panelFigures(q, partnershipId, base, from, to)),
    ctx.data.read((q) => declinedEndingFigures(q, partnershipId, base, from, to)),
    ctx.data.read((q) => loadPopulation(q, partnershipId)),
    ctx.data.read((q) => dischargeFigures(q, partnershipId, base, from, to, today)),
    ctx.data.read((q) => serviceTypeChoices(q, partnershipId)),
  ])]);

  const weeksPerYear = settingsRows[0]?.weeksPerYear ?? 52;
  const counts = countRows.find((r) => !r.byLocalAuthority && !r.byTeam)!;
  const entitledByLa = countRows.filter((r) => r.byLocalAuthority && r.active > 0).map((r) => ({ code: r.code, n: r.active }));
  const teamRows = countRows
    .filter((r) => r.byTeam && r.team !== null && r.active > 0)
    .map((r) => ({ team: r.team, entitled: r.active, overdue: r.overdue }));
  const budgetRow = serviceGroupRows.find((g) => g.isTotal === 1);
  const serviceRows = serviceGroupRows.filter((g) => g.isTotal === 0);
  // planTotals sums each service's split shares, so a group of n identical services adds n times one's.
  const groupTotals = (groups: typeof serviceRows) => {
    const sum = { weekly: { localAuthorityPence: 0, icbPence: 0, totalPence: 0 }, yearly: { localAuthorityPence: 0, icbPence: 0, totalPence: 0 } };
    for (const g of groups) {
      const one = planTotals([g], weeksPerYear);
      for (const period of ['weekly', 'yearly'] as const) {
        sum[period].localAuthorityPence += one[period].localAuthorityPence * g.services;
        sum[period].icbPence += one[period].icbPence * g.services;
        sum[period].totalPence += one[period].totalPence * g.services;
      }
    }
    return sum;
  };
  const totals = groupTotals(serviceRows);
  // Grouped by type code (issue 13, item 8): a service recorded before the list counts under the
  // type its words clearly name, else under "other"; each type is shown by its name.
  const byCode = new Map<string, typeof serviceRows>();
  for (const s of serviceRows) {
    const code = effectiveServiceType(s.serviceTypeCode, s.serviceType ?? '', types.local);
    const list = byCode.get(code);
    if (list) list.push(s);
    else byCode.set(code, [s]);
  }
  const byServiceType = [...byCode.entries()]
    .map(([code, groups]) => {
      const t = groupTotals(groups);
      const serviceType = (code === OTHER_SERVICE_TYPE ? null : serviceTypeLabel(code, types.local)) ?? OTHER_SERVICE_TYPE_LABEL;
      return { code, serviceType, weeklyPence: t.weekly.totalPence, yearlyPence: t.yearly.totalPence, services: groups.reduce((n, g) => n + g.services, 0) };
    })
    .sort((a, b) => b.weeklyPence - a.weeklyPence || a.serviceType.localeCompare(b.serviceType));
  const plans = rowsOf<{ approved: unknown; measured: unknown; median_days: unknown }>(planResult)[0];

  const link = (extra: Partial<RegisterFilter>, pairs: Array<[string, string]>) => registerLink(withExtra(scope, extra), pairs);
  // Rates: people entitled now (in scope) per 100,000 of the population of the chosen local
  // authority, or of the partnership (its own figure, else the sum of its local authorities').
  const population =
    populationRows.length === 0
      ? null
      : (() => {
          const total = populationOf(populationRows, 'total', 'all', filter.la || null);
          const byLocalAuthority = entitledByLa
            .filter((r): r is { code: string; n: number } => r.code !== null && (filter.la === '' || r.code === filter.la))
            .map((r) => {
              const pop = populationOf(populationRows, 'total', 'all', r.code);
              return { code: r.code, name: options.organisationName(r.code) ?? r.code, entitled: r.n, population: pop, rate: ratePer100k(r.n, pop) };
            })
            .sort((a, b) => a.code.localeCompare(b.code));
          return { overall: { entitled: counts.active, population: total, rate: ratePer100k(counts.active, total) }, byLocalAuthority };
        })();
  return {
    entitled: {
      active: { count: counts.active, href: link({}, [['status', 'entitled']]) },
      newInPeriod: { count: counts.newInPeriod, href: null },
      endedInPeriod: { count: endedRows[0]?.n ?? 0, href: null },
    },
    reviews: {
      overdue: { count: counts.overdue, href: link({}, [['status', 'entitled'], ['review', 'overdue']]) },
      due: { count: counts.due, href: link({}, [['status', 'entitled'], ['review', 'due']]) },
      inDate: { count: counts.inDate, href: null },
      noDate: { count: counts.noDate, href: null },
    },
    neverInWriting: { count: counts.neverInWriting, href: link({}, [['status', 'entitled'], ['rights', 'never-in-writing']]) },
    disengaged: { count: counts.disengaged, href: link({}, [['status', 'entitled'], ['engagement', 'disengaged']]) },
    disputes: { under2: disputeRows[0]?.under2 ?? 0, from2to4: disputeRows[0]?.from2to4 ?? 0, over4: disputeRows[0]?.over4 ?? 0 },
    plans: {
      approved: Number(plans?.approved ?? 0),
      medianDaysToPlan: plans?.median_days === null || plans?.median_days === undefined ? null : Math.round(Number(plans.median_days)),
      measured: Number(plans?.measured ?? 0),
    },
    cost: { weekly: totals.weekly, yearly: totals.yearly, byServiceType, weeksPerYear },
    budgets: { directPayments: budgetRow?.directPayments ?? 0, personalHealthBudgets: budgetRow?.personalHealthBudgets ?? 0 },
    endings: endingRows.map((r) => ({ reason: r.reason, count: r.n })),
    declinedEndings,
    teams: teamRows
      .map((r) => {
        const id = r.team!;
        const name = options.teams.find((t) => t.id === id)?.name ?? 'Unknown team';
        return {
          id,
          name,
          entitled: { count: r.entitled, href: link({ team: [id] }, [['status', 'entitled']]) },
          overdue: { count: r.overdue, href: link({ team: [id] }, [['status', 'entitled'], ['review', 'overdue']]) },
        };
      })
      .sort((a, b) => b.overdue.count - a.overdue.count || a.name.localeCompare(b.name, 'en-GB')),
    discharges,
    panels,
    learningReviews,
    safeguarding,
    carers,
    population,
    computedAt: ctx.clock.now().toISOString(),
  };
}

// ---------------------------------------------------------------------------
// The cache: 60 seconds in this process's memory, keyed by who may see what and the filters.
// ---------------------------------------------------------------------------

export const CACHE_SECONDS = 60;
const MAX_ENTRIES = 500;

export class TtlCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    if (this.entries.size >= MAX_ENTRIES) {
      for (const [k, e] of this.entries) if (this.now() - e.at >= this.ttlMs) this.entries.delete(k);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    const value = compute();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The actor's visibility (partnership, organisations it may read people of), not who they are. */
export function scopeKey(ctx: ServiceContext, name: string, filter: DashboardFilter, today: IsoDate): string {
  const s = relationshipScope(ctx.actor, 'person:read');
  return JSON.stringify([name, ctx.actor.partnershipId, [...s.organisationIds].sort(), [...s.organisationCodes].sort(), filter, today]);
}

const dashboards = new TtlCache<Dashboard>(CACHE_SECONDS * 1000);

export function cachedDashboard(ctx: ServiceContext, parsed: ParsedDashboardQuery, options: RegisterOptions, today: IsoDate): Promise<Dashboard> {
  return dashboards.get(scopeKey(ctx, 'dashboard', parsed.filter, today), () => computeDashboard(ctx, parsed, options, today));
}

export function clearDashboardCache(): void {
  dashboards.clear();
}
