/**
 * Words a person sees, in one place (issue #13, "plain language everywhere"):
 *  - dates as GOV.UK writes them ("4 December 2026"; with a time, "4 Dec 2026, 14:05");
 *  - organisations by name, never by code alone: a body outside the partnership whose name is
 *    not known is "a local authority outside this partnership (code E06000030)";
 *  - text from the rules engine (its reasons carry ISO dates and codes) made readable.
 * Form inputs and machine outputs (CSV, JSON, the API, .ics) keep ISO dates and codes.
 */

import { knownOrganisationName } from './reference/organisation-name.ts';

const londonDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/**
 * "4 December 2026", for a calendar date ("2026-12-04", taken as it is, with no time zone) or an
 * instant (a Date or timestamp, as the day it is in London). Empty for nothing or nonsense.
 */
export function govukDate(value: unknown): string {
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) {
      const month = MONTHS[Number(m[2]) - 1];
      return month ? `${Number(m[3])} ${month} ${m[1]}` : '';
    }
  }
  const d = toDate(value);
  return d ? londonDate.format(d) : '';
}

/** "4 Dec 2026, 14:05" in London, for an instant. */
export function govukDateTime(value: unknown): string {
  const d = toDate(value);
  return d ? londonDateTime.format(d) : '';
}

/**
 * A count with its noun as people say it: "1 overdue review", "2 overdue reviews", "1 person with
 * flags". `many` is the plural when adding "s" is wrong ("people").
 */
export function countOf(value: unknown, one: string, many: string = `${one}s`): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '';
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** ISO dates inside a sentence ("entitled since 2026-12-04") as GOV.UK writes them. */
export function withGovukDates(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (iso) => govukDate(iso) || iso);
}

/** An ONS code of a local authority (E06–E10, W06) or an ICB (E54), as the rules engine uses them. */
export const ONS_CODE = /\b[EW]\d{8}\b/g;

/**
 * An organisation by name: the name when the partnership or the shipped reference list knows it,
 * otherwise a plain description with the code ("a local authority outside this partnership (code E06000030)").
 */
export function organisationLabel(code: string, nameOf: (code: string) => string | null | undefined): string {
  // The partnership's own name for a body first, then the shipped reference list (issue 14, item 1).
  const name = nameOf(code) ?? knownOrganisationName(code);
  if (name) return name;
  const kind = /^E54/.test(code) ? 'an ICB' : /^(E0[6-9]|E10|W06)/.test(code) ? 'a local authority' : 'an organisation';
  return `${kind} outside this partnership (code ${code})`;
}

/** Text for staff from the rules engine or a record: dates as GOV.UK writes them, bodies by name. */
export function plainText(text: string, nameOf: (code: string) => string | null | undefined = () => null): string {
  return withGovukDates(text).replace(ONS_CODE, (code) => organisationLabel(code, nameOf));
}

/**
 * A date typed into a single box, as people write them: "1 November 2026", "1 Nov 2026",
 * "1/11/2026" or "2026-11-01" (what a browser's date picker sends). The ISO date, or null when it
 * is not a real date.
 */
export function parseDateInput(text: string): string | null {
  const value = text.trim();
  let y: number;
  let m: number;
  let d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(value))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$/.exec(value))) {
    const name = match[2]!.toLowerCase();
    const index = MONTHS.findIndex((month) => month.toLowerCase() === name || (name.length >= 3 && month.toLowerCase().startsWith(name)));
    if (index < 0) return null;
    [d, m, y] = [Number(match[1]), index + 1, Number(match[3])];
  } else return null;
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const check = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(check.getTime()) && check.toISOString().startsWith(iso) ? iso : null;
}
