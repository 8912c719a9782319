/**
 * Rates against the partnership's population (issue 7, items 1 and 4): people per 100,000 of
 * the population, and how a population figure is chosen for a group. Pure: no I/O.
 *
 * Source: the ONS mid-year population estimates are the usual denominators for local rates
 * ("rate per 100,000 population" as NHS England's Mental Health Act statistics publish
 * detention rates); the figures are the partnership's own, entered by its administrator.
 * A rate built on a suppressed count is itself suppressed (see suppression.ts): it would
 * reveal the count.
 */

export const PER = 100_000;

/** Age bands of equality monitoring (and of population figures by age). */
export const ageBands = ['under-18', '18-25', '26-35', '36-50', '51-65', '66-plus'] as const;
export type AgeBand = (typeof ageBands)[number];
export const ageBandLabels: Record<AgeBand, string> = {
  'under-18': 'Under 18',
  '18-25': '18 to 25',
  '26-35': '26 to 35',
  '36-50': '36 to 50',
  '51-65': '51 to 65',
  '66-plus': '66 and over',
};

export const populationDimensions = ['total', 'ethnicity', 'age-band', 'sex'] as const;
export type PopulationDimension = (typeof populationDimensions)[number];

/** The local authority value for a figure that covers the whole partnership. */
export const WHOLE_PARTNERSHIP = 'all';
/** The category value of a total. */
export const ALL_CATEGORIES = 'all';

export interface PopulationRow {
  localAuthority: string;
  dimension: string;
  category: string;
  population: number;
}

export interface SafePopulationRate {
  /** People per 100,000, or null when not shown. */
  readonly value: number | null;
  readonly suppressed: boolean;
  /** "123.4" (one decimal place), "suppressed" or "not configured". */
  readonly text: string;
}

/**
 * The population of a group: the figure for that local authority when one is chosen;
 * otherwise the whole-partnership figure if entered, else the sum over the local
 * authorities that have one. Null when nothing fits (no rate can be given).
 */
export function populationOf(rows: readonly PopulationRow[], dimension: PopulationDimension, category: string, localAuthority: string | null): number | null {
  const matching = rows.filter((r) => r.dimension === dimension && r.category === category);
  if (localAuthority) return matching.find((r) => r.localAuthority === localAuthority)?.population ?? null;
  const whole = matching.find((r) => r.localAuthority === WHOLE_PARTNERSHIP);
  if (whole) return whole.population;
  const local = matching.filter((r) => r.localAuthority !== WHOLE_PARTNERSHIP);
  return local.length === 0 ? null : local.reduce((sum, r) => sum + r.population, 0);
}

/** count per 100,000 of population, to one decimal place. */
export function ratePer100k(count: number, population: number | null, options: { suppressed?: boolean } = {}): SafePopulationRate {
  if (options.suppressed) return { value: null, suppressed: true, text: 'suppressed' };
  if (population === null || population <= 0) return { value: null, suppressed: false, text: 'not configured' };
  const value = Math.round((count / population) * PER * 10) / 10;
  return { value, suppressed: false, text: value.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) };
}
