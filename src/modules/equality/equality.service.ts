import type { IsoDate } from '../../domain/calendar-date.ts';
import { ageBandLabels, ageBands, populationOf, ratePer100k, type AgeBand, type PopulationDimension, type SafePopulationRate } from '../../domain/population.ts';
import { loadPopulation } from '../population/index.ts';
import { suppressCount, suppressRate, type SafeCount, type SafeRate } from '../../domain/suppression.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { TtlCache, CACHE_SECONDS, scopeKey, type ParsedDashboardQuery } from '../dashboards/index.ts';
import { registerWhere, type RegisterOptions } from '../register/index.ts';
import { ethnicLabel, sexLabels } from '../register/index.ts';
import { countEqualityGroups, type EqualityGroupRow } from './equality.queries.ts';

/*
 * Equality monitoring (issue 7, item 4): entitlement, reviews in date, endings, direct payments
 * and disputes broken down by ethnicity, age band, sex and local authority, over the people the
 * actor may see (`registerWhere` → `visiblePeople`). Raw counts stay in this module: what leaves
 * it has been through `suppressCount` / `suppressRate` (counts under 5 are never shown).
 * Reads go through the door (ctx.data.read); the query is in equality.queries.ts.
 */

export { ageBandLabels, ageBands, type AgeBand };

export const dimensions = ['ethnicity', 'ageBand', 'sex', 'localAuthority'] as const;
export type Dimension = (typeof dimensions)[number];
export const dimensionLabels: Record<Dimension, string> = { ethnicity: 'Ethnicity', ageBand: 'Age band', sex: 'Sex', localAuthority: 'Responsible local authority' };

export interface RawGroupCounts {
  entitled: number;
  reviewsInDate: number;
  endings: number;
  directPayments: number;
  disputes: number;
}

export interface SafeGroup {
  key: string;
  label: string;
  entitled: SafeCount;
  reviewsInDate: SafeCount;
  reviewsInDateRate: SafeRate;
  endings: SafeCount;
  directPayments: SafeCount;
  disputes: SafeCount;
  /** People entitled now per 100,000 of the group's population (suppressed with the count). */
  entitledRate: SafePopulationRate;
}

export interface EqualityReport {
  breakdowns: Array<{ dimension: Dimension; label: string; groups: SafeGroup[] }>;
  /** Whether the partnership has entered population figures (rates are shown only then). */
  populationConfigured: boolean;
  computedAt: string;
}

/** Suppress one group's counts (pure; the only way raw counts reach a page). */
export function safeGroup(key: string, label: string, c: RawGroupCounts, population: number | null = null): SafeGroup {
  const entitled = suppressCount(c.entitled);
  return {
    key,
    label,
    entitled,
    reviewsInDate: suppressCount(c.reviewsInDate),
    reviewsInDateRate: suppressRate(c.reviewsInDate, c.entitled),
    endings: suppressCount(c.endings),
    directPayments: suppressCount(c.directPayments),
    disputes: suppressCount(c.disputes),
    entitledRate: ratePer100k(c.entitled, population, { suppressed: entitled.suppressed }),
  };
}

const populationDimensionOf: Record<Dimension, PopulationDimension> = { ethnicity: 'ethnicity', ageBand: 'age-band', sex: 'sex', localAuthority: 'total' };

/** The raw counts by every combination of the four dimensions (used by the page and by tests). */
export async function equalityCounts(ctx: ServiceContext, parsed: ParsedDashboardQuery, options: RegisterOptions, today: IsoDate): Promise<EqualityGroupRow[]> {
  const base = registerWhere(ctx, parsed.scope, options, today);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read((q) => countEqualityGroups(q, base, partnershipId, parsed.filter, today));
}

export async function computeEquality(ctx: ServiceContext, parsed: ParsedDashboardQuery, options: RegisterOptions, today: IsoDate): Promise<EqualityReport> {
  const base = registerWhere(ctx, parsed.scope, options, today);
  const partnershipId = ctx.actor.partnershipId;
  // One unit of work for the counts and the population figures.
  const { rows, population } = await ctx.data.read(async (q) => ({
    rows: await countEqualityGroups(q, base, partnershipId, parsed.filter, today),
    population: await loadPopulation(q, partnershipId),
  }));
  // The population of a group: by local authority, that authority's total; otherwise the
  // category's figure for the chosen local authority, or for the whole partnership.
  const populationFor = (dimension: Dimension, key: string): number | null =>
    dimension === 'localAuthority' ? (key === '' ? null : populationOf(population, 'total', 'all', key)) : populationOf(population, populationDimensionOf[dimension], key, parsed.filter.la || null);
  const label = (dimension: Dimension, key: string): string => {
    switch (dimension) {
      case 'ethnicity':
        return ethnicLabel(key);
      case 'ageBand':
        return ageBandLabels[key as AgeBand] ?? key;
      case 'sex':
        return sexLabels[key as keyof typeof sexLabels] ?? key;
      case 'localAuthority':
        return key === '' ? 'Not known yet' : (options.organisationName(key) ?? key);
    }
  };
  const breakdowns = dimensions.map((dimension) => {
    const groups = new Map<string, RawGroupCounts>();
    for (const r of rows) {
      const key = r[dimension] ?? '';
      const g = groups.get(key) ?? { entitled: 0, reviewsInDate: 0, endings: 0, directPayments: 0, disputes: 0 };
      g.entitled += r.entitled;
      g.reviewsInDate += r.reviewsInDate;
      g.endings += r.endings;
      g.directPayments += r.directPayments;
      g.disputes += r.disputes;
      groups.set(key, g);
    }
    const order = dimension === 'ageBand' ? (k: string) => ageBands.indexOf(k as AgeBand) : () => 0;
    const safe = [...groups.entries()]
      .map(([key, c]) => safeGroup(key, label(dimension, key), c, populationFor(dimension, key)))
      .sort((a, b) => order(a.key) - order(b.key) || a.label.localeCompare(b.label, 'en-GB'));
    return { dimension, label: dimensionLabels[dimension], groups: safe };
  });
  return { breakdowns, populationConfigured: population.length > 0, computedAt: ctx.clock.now().toISOString() };
}

const reports = new TtlCache<EqualityReport>(CACHE_SECONDS * 1000);

export function cachedEquality(ctx: ServiceContext, parsed: ParsedDashboardQuery, options: RegisterOptions, today: IsoDate): Promise<EqualityReport> {
  return reports.get(scopeKey(ctx, 'equality', parsed.filter, today), () => computeEquality(ctx, parsed, options, today));
}

export function clearEqualityCache(): void {
  reports.clear();
}

