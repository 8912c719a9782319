/**
 * When a person's record is due for a retention review (issue 14, item 6), as a pure function of
 * ISO dates: nothing here reads a clock or the database.
 *
 * Source: Records Management Code of Practice 2021 (NHSX, now NHS England), Appendix II,
 * retention schedule, "Mental health records": kept for 20 years after the date of last contact
 * between the person and the service, or 8 years after the person's death if that is sooner.
 * https://transform.england.nhs.uk/information-governance/guidance/records-management-code/
 * For a section 117 register the "last contact" that matters is the end of the last entitlement
 * episode (the aftercare duty), so the periods run from that date and from the date of death.
 * The partnership sets both periods (its retention schedule); the Code's are the defaults.
 *
 * The rule only says when a person must look at the record again. It never deletes anything:
 * the decision (keep for longer, with a reason, or mark for destruction, with a reason) is a
 * person's, and is recorded.
 */
import { addMonths, type IsoDate } from './calendar-date.ts';

export const RETENTION_SOURCE = 'Records Management Code of Practice 2021 (NHSX, now NHS England), Appendix II: mental health records, 20 years after last contact or 8 years after death if sooner';
export const DEFAULT_YEARS_AFTER_ENTITLEMENT_ENDED = 20;
export const DEFAULT_YEARS_AFTER_DEATH = 8;

export interface RetentionPeriods {
  yearsAfterEntitlementEnded: number;
  yearsAfterDeath: number;
}

export interface RetentionFacts {
  /** The end of the person's last entitlement episode; null while entitled, or if never entitled. */
  lastEntitlementEndedOn: IsoDate | null;
  /** The date of death from the legal history, if recorded. */
  diedOn: IsoDate | null;
  /** A recorded decision to keep the record until this date, if any (the latest decision). */
  keepUntil?: IsoDate | null;
}

export type RetentionBasis = 'entitlement-ended' | 'died' | 'kept-until';

export type RetentionOutcome =
  | { due: true; dueFrom: IsoDate; basis: RetentionBasis }
  | { due: false; dueFrom: IsoDate; basis: RetentionBasis }
  | { due: false; dueFrom: null; basis: null; why: 'still-entitled-or-never-ended' };

/** Whole years later; 29 February moves to 28 February in a year that has none. */
export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

/**
 * Whether the record is due for review on `today`, and from when: the sooner of the end of the
 * last entitlement plus its period and the date of death plus its period; a decision to keep the
 * record moves the date to the end of the period kept for.
 */
export function retentionReview(facts: RetentionFacts, periods: RetentionPeriods, today: IsoDate): RetentionOutcome {
  const candidates: Array<{ date: IsoDate; basis: RetentionBasis }> = [];
  if (facts.lastEntitlementEndedOn) candidates.push({ date: addYears(facts.lastEntitlementEndedOn, periods.yearsAfterEntitlementEnded), basis: 'entitlement-ended' });
  if (facts.diedOn) candidates.push({ date: addYears(facts.diedOn, periods.yearsAfterDeath), basis: 'died' });
  if (candidates.length === 0) return { due: false, dueFrom: null, basis: null, why: 'still-entitled-or-never-ended' };
  let { date, basis } = candidates.reduce((a, b) => (b.date < a.date ? b : a));
  if (facts.keepUntil && facts.keepUntil > date) {
    date = facts.keepUntil;
    basis = 'kept-until';
  }
  return { due: today >= date, dueFrom: date, basis };
}
