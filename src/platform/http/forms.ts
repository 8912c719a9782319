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
