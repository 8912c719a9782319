/**
 * Calendar dates as `YYYY-MM-DD` text, with no time of day and no time zone.
 *
 * The rules engine reasons in whole days, as the law does ("1 March", "4 months",
 * "at least every 12 months"). Dates are compared as text (which sorts correctly
 * for four-digit years) and converted to day numbers only for arithmetic.
 * Nothing here reads the clock.
 */

/** A calendar date written `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The earliest and latest dates the contract accepts. */
export const EARLIEST_DATE: IsoDate = '1900-01-01';
export const LATEST_DATE: IsoDate = '2199-12-31';

const MS_PER_DAY = 86_400_000;

function parts(date: IsoDate): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function format(year: number, month: number, day: number): IsoDate {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** True for text in the form YYYY-MM-DD. Says nothing about whether the day exists. */
export function hasIsoDateFormat(text: string): boolean {
  return ISO_DATE.test(text);
}

/** Days in a month of a year, with leap years (Gregorian rule). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when the text is YYYY-MM-DD and the day exists: 2024-02-29 yes, 2025-02-30 no. */
export function isRealDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True when the date lies in the range the contract accepts (1900–2199). */
export function isInSupportedRange(date: IsoDate): boolean {
  return date >= EARLIEST_DATE && date <= LATEST_DATE;
}

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = parts(date);
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function fromDayNumber(dayNumber: number): IsoDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

export function addWeeks(date: IsoDate, weeks: number): IsoDate {
  return addDays(date, weeks * 7);
}

/**
 * Calendar months later, on the same day of the month; when that day does not exist
 * the last day of the month is used (31 October + 4 months = 28 or 29 February).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = (index % 12) + 1;
  return format(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/** Whole years of age on a date (a birthday on 29 February counts from 1 March in other years). */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const birth = parts(dateOfBirth);
  const day = parts(on);
  let age = day.year - birth.year;
  if (day.month < birth.month || (day.month === birth.month && day.day < birth.day)) age -= 1;
  return age;
}

/* ---------- England's wall clock (GMT in winter, BST in summer) ---------- */

const wallClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function londonWallClockMs(instant: Date): number {
  const p = Object.fromEntries(wallClock.formatToParts(instant).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
}

/** The instant of a wall-clock date (YYYY-MM-DD) and time (HH:MM) in England. */
export function londonInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wanted;
  for (let i = 0; i < 2; i += 1) guess += wanted - londonWallClockMs(new Date(guess));
  return new Date(guess);
}

/** The wall-clock date (YYYY-MM-DD) and time (HH:MM) in England of an instant, to refill a form. */
export function londonWallClock(instant: Date): { date: string; time: string } {
  const p = Object.fromEntries(wallClock.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}
