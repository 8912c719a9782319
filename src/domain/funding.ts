/**
 * Money for aftercare plans, to the penny. All amounts are integer pence; percentages are
 * held as basis points (1% = 100) so no floating-point share is ever summed.
 *
 * Sources: the split between the local authority and the ICB is a recorded local decision,
 * with no national default (HSC 2000/003 LAC(2000)3; R26). A section 117 service is free to
 * the person (R v Manchester CC ex p Stennett [2002] UKHL 34; R20); the only payment a person
 * may make is a top-up for preferred accommodation (s117A; Care and Support and After-care
 * (Choice of Accommodation) Regulations 2014; R22), which is not part of the bodies' totals.
 *
 * Conventions (a partnership setting, not law): a year is `weeksPerYear` weeks (default 52);
 * each service's cost is split first and the shares summed, so every funder's total is the
 * sum of the shares the services show.
 */

export interface CostedService {
  /** Unit cost in pence, e.g. 2150 for £21.50 an hour. */
  readonly unitCostPence: number;
  /** Units a week; may be fractional (7.5 hours). */
  readonly unitsPerWeek: number;
  /** The local authority's share in basis points (0–10000); the ICB pays the rest. */
  readonly localAuthorityBasisPoints: number;
}

export interface FunderTotals {
  readonly localAuthorityPence: number;
  readonly icbPence: number;
  readonly totalPence: number;
}

/** Whole pence, halves rounded up (money rounding, not banker's). */
function roundPence(value: number): number {
  return Math.floor(value + 0.5 + 1e-9);
}

export function percentToBasisPoints(percent: number): number {
  return Math.round(percent * 100);
}

/** The weekly cost of a service: unit cost × units, to the penny. */
export function weeklyCostPence(service: Pick<CostedService, 'unitCostPence' | 'unitsPerWeek'>): number {
  if (!Number.isInteger(service.unitCostPence) || service.unitCostPence < 0) throw new RangeError('Unit cost must be a whole, non-negative number of pence');
  if (!Number.isFinite(service.unitsPerWeek) || service.unitsPerWeek < 0) throw new RangeError('Units a week must be zero or more');
  return roundPence(service.unitCostPence * service.unitsPerWeek);
}

/**
 * Split an amount: the local authority's share is rounded to the penny and the ICB pays the
 * rest, so the two shares always add up to the amount exactly.
 */
export function splitPence(amountPence: number, localAuthorityBasisPoints: number): FunderTotals {
  if (!Number.isInteger(localAuthorityBasisPoints) || localAuthorityBasisPoints < 0 || localAuthorityBasisPoints > 10_000) {
    throw new RangeError('The local authority share must be from 0% to 100%');
  }
  const localAuthorityPence = roundPence((amountPence * localAuthorityBasisPoints) / 10_000);
  return { localAuthorityPence, icbPence: amountPence - localAuthorityPence, totalPence: amountPence };
}

export interface PlanTotals {
  readonly weekly: FunderTotals;
  readonly yearly: FunderTotals;
}

/** Weekly and yearly totals by funder for a plan's services. */
export function planTotals(services: readonly CostedService[], weeksPerYear = 52): PlanTotals {
  let weekly: FunderTotals = { localAuthorityPence: 0, icbPence: 0, totalPence: 0 };
  let yearly: FunderTotals = { localAuthorityPence: 0, icbPence: 0, totalPence: 0 };
  for (const service of services) {
    const week = weeklyCostPence(service);
    const w = splitPence(week, service.localAuthorityBasisPoints);
    const y = splitPence(roundPence(week * weeksPerYear), service.localAuthorityBasisPoints);
    weekly = add(weekly, w);
    yearly = add(yearly, y);
  }
  return { weekly, yearly };
}

function add(a: FunderTotals, b: FunderTotals): FunderTotals {
  return { localAuthorityPence: a.localAuthorityPence + b.localAuthorityPence, icbPence: a.icbPence + b.icbPence, totalPence: a.totalPence + b.totalPence };
}

/** £1,234.56 */
export function formatPounds(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}£${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
}
