/**
 * Small-number suppression for equality monitoring outputs. A count below the threshold
 * (5, including 0) is never shown: it is replaced by "fewer than 5", so a small group of
 * people cannot be identified from a published breakdown. A rate is suppressed when either
 * its numerator or its denominator is suppressed, because the rate would reveal it.
 *
 * Source: statistical disclosure control as NHS England and NHS Digital publish it (small
 * numbers suppressed; NHS Digital "Disclosure control" rules for official statistics) and the
 * ICO's anonymisation guidance; the threshold of 5 is a partnership convention, not law.
 *
 * Pure: no I/O, so the rule is tested on its own and every output uses the same rule.
 */

export const SUPPRESSION_THRESHOLD = 5;
export const SUPPRESSED_TEXT = `fewer than ${SUPPRESSION_THRESHOLD}`;

export interface SafeCount {
  /** The count, or null when suppressed (the number never leaves this function). */
  readonly value: number | null;
  readonly suppressed: boolean;
  /** What an output shows: the number (en-GB grouping) or "fewer than 5". */
  readonly text: string;
}

export interface SafeRate {
  /** The rate as a fraction 0–1, or null when suppressed or the denominator is 0. */
  readonly value: number | null;
  readonly suppressed: boolean;
  /** "75%" (whole per cent), "suppressed" or "not applicable". */
  readonly text: string;
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('A count must be a whole number, zero or more');
}

/** A count as it may be published. */
export function suppressCount(n: number, threshold = SUPPRESSION_THRESHOLD): SafeCount {
  checkCount(n);
  if (n < threshold) return { value: null, suppressed: true, text: `fewer than ${threshold}` };
  return { value: n, suppressed: false, text: n.toLocaleString('en-GB') };
}

/** numerator / denominator as it may be published: suppressed if either count is. */
export function suppressRate(numerator: number, denominator: number, threshold = SUPPRESSION_THRESHOLD): SafeRate {
  checkCount(numerator);
  checkCount(denominator);
  if (numerator > denominator) throw new RangeError('A rate’s numerator cannot be more than its denominator');
  if (numerator < threshold || denominator < threshold) return { value: null, suppressed: true, text: 'suppressed' };
  const value = numerator / denominator;
  return { value, suppressed: false, text: `${Math.round(value * 100)}%` };
}
