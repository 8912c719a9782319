/**
 * Reports on a schedule (issue 7, item 7): when a monthly report is next sent. Pure functions of
 * ISO dates; callers pass today's date in England (`todayInLondon` in src/platform/clock.ts).
 * Source: issue 7 ("any dashboard or list can be emailed as XLSX to named users monthly"). The day
 * of the month is limited to 1–28 so that every month has it (no February or 30-day month skips).
 */
import { addMonths, type IsoDate } from './calendar-date.ts';

export const FIRST_DAY = 1;
export const LAST_DAY = 28;

function onDay(date: IsoDate, dayOfMonth: number): IsoDate {
  return `${date.slice(0, 8)}${String(dayOfMonth).padStart(2, '0')}`;
}

function assertDay(dayOfMonth: number): void {
  if (!Number.isInteger(dayOfMonth) || dayOfMonth < FIRST_DAY || dayOfMonth > LAST_DAY) throw new RangeError(`Day of month must be ${FIRST_DAY} to ${LAST_DAY}`);
}

/** The first send on or after `today`: this month's day if it has not passed, otherwise next month's. */
export function firstRunOn(dayOfMonth: number, today: IsoDate): IsoDate {
  assertDay(dayOfMonth);
  const thisMonth = onDay(today, dayOfMonth);
  return thisMonth >= today ? thisMonth : onDay(addMonths(`${today.slice(0, 8)}01`, 1), dayOfMonth);
}

/** The send after one made on `today`: the first one strictly after today (a late run never sends twice in a month). */
export function runAfter(dayOfMonth: number, today: IsoDate): IsoDate {
  assertDay(dayOfMonth);
  const thisMonth = onDay(today, dayOfMonth);
  return thisMonth > today ? thisMonth : onDay(addMonths(`${today.slice(0, 8)}01`, 1), dayOfMonth);
}

/** A schedule is due when its next send date has come. */
export function isDue(nextRunOn: IsoDate, today: IsoDate): boolean {
  return nextRunOn <= today;
}

/** The month a send belongs to (YYYY-MM): the month of its scheduled date, which keys it once per month. */
export function reportMonth(scheduledOn: IsoDate): string {
  return scheduledOn.slice(0, 7);
}

/** The notification's dedupe key: one copy per schedule, month and recipient. */
export function reportDedupeKey(scheduleId: string, scheduledOn: IsoDate, userId: string): string {
  return `report:${scheduleId}:${reportMonth(scheduledOn)}:${userId}`;
}
