/**
 * Review reminders and overdue reviews (issue 6), as pure functions of ISO dates. Nothing here
 * reads a clock: callers pass today's date in England (`todayInLondon(now)` in
 * src/platform/clock.ts, which takes an instant).
 */
import { addDays, addMonths, toDayNumber, type IsoDate } from './calendar-date.ts';

/** Reviews at least every 12 months (R27: Camden and Lambeth procedures; GHC FOI 268-2024). */
export const MAX_REVIEW_INTERVAL_MONTHS = 12;
/** "Due soon" on My work: due today or within this many days. */
export const DUE_SOON_DAYS = 30;

/** The day the allocated worker and their manager are reminded: `reminderDaysBefore` days before the due date. */
export function reminderDate(due: IsoDate, reminderDaysBefore: number): IsoDate {
  return addDays(due, -Math.max(0, Math.trunc(reminderDaysBefore)));
}

/** A review is overdue the day after it was due. */
export function isOverdue(due: IsoDate, today: IsoDate): boolean {
  return today > due;
}

/** Whole days since the due date (0 when not overdue). */
export function daysOverdue(due: IsoDate, today: IsoDate): number {
  return Math.max(0, toDayNumber(today) - toDayNumber(due));
}

/** Whole days until the due date (negative once overdue). */
export function daysUntil(due: IsoDate, today: IsoDate): number {
  return toDayNumber(due) - toDayNumber(today);
}

/** Due today or within `days` days, and not overdue. */
export function isDueWithin(due: IsoDate, today: IsoDate, days: number = DUE_SOON_DAYS): boolean {
  return !isOverdue(due, today) && daysUntil(due, today) <= days;
}

export type ReminderKind = 'review-due' | 'review-overdue';

/**
 * Which reminder, if any, is owed today for a review due on `due`: "due soon" from the reminder
 * date up to the due date, "overdue" after it. The outbox's dedupe key makes each one go once
 * per due date, however often the daily job runs.
 */
export function reminderOwed(due: IsoDate, today: IsoDate, reminderDaysBefore: number): ReminderKind | null {
  if (isOverdue(due, today)) return 'review-overdue';
  if (today >= reminderDate(due, reminderDaysBefore)) return 'review-due';
  return null;
}

/** The dedupe key of one reminder: one per kind, person, due date and recipient. */
export function reminderKey(kind: ReminderKind, personId: string, due: IsoDate, userId: string): string {
  return `${kind}:${personId}:${due}:${userId}`;
}

/** The next review's default date: the review's date plus the partnership's interval (at most 12 months, R27). */
export function defaultNextReview(heldOn: IsoDate, intervalMonths: number): IsoDate {
  const months = Math.min(MAX_REVIEW_INTERVAL_MONTHS, Math.max(1, Math.trunc(intervalMonths)));
  return addMonths(heldOn, months);
}

/** Retry delay after a failed delivery: 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMinutes(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1));
}
