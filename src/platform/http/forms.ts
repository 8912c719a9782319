/** Helpers for HTML form bodies (application/x-www-form-urlencoded): every value is a string. */

export type FormBody = Record<string, string | string[] | undefined>;

export function formBody(body: unknown): FormBody {
  return body && typeof body === 'object' ? (body as FormBody) : {};
}

/** Checkboxes: absent, one value or several. */
export function asArray(value: string | string[] | undefined): string[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

export function asString(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Radios "yes"/"no" or "true"/"false"; undefined when not answered. */
export function asBoolean(value: string | string[] | undefined): boolean | undefined {
  const v = asString(value);
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return undefined;
}

/** The record version the form was opened at; NaN fails the optimistic-concurrency check safely. */
export function asVersion(value: string | string[] | undefined): number {
  const n = Number.parseInt(asString(value), 10);
  return Number.isFinite(n) ? n : -1;
}

/**
 * A GOV.UK date input (`<name>-day`, `<name>-month`, `<name>-year`) as YYYY-MM-DD; '' when
 * left blank; 'incomplete' when only some parts are given. Validation (real date, range)
 * is the schema's job: `2025-02-30` comes back as written so the schema can refuse it.
 */
export function dateFromParts(body: FormBody, name: string): string {
  const day = asString(body[`${name}-day`]).trim();
  const month = asString(body[`${name}-month`]).trim();
  const year = asString(body[`${name}-year`]).trim();
  if (!day && !month && !year) return '';
  if (!day || !month || !year) return 'incomplete';
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'not-a-date';
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** The parts of an ISO date, to refill a GOV.UK date input. */
export function dateParts(iso: string | null | undefined): { day: string; month: string; year: string } {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! } : { day: '', month: '', year: '' };
}
