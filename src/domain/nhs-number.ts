/**
 * NHS number validation.
 * Source: NHS Data Dictionary, "NHS Number" data element: ten digits, the tenth a
 * modulus 11 check digit over the first nine weighted 10 down to 2; a check value of 11
 * is written 0, and a check value of 10 means the number is not valid.
 *
 * Synthetic records in Aftercare use the 999 range, which NHS England reserves for
 * testing and never issues to a person.
 */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export type NhsNumberProblem = 'missing' | 'not-ten-digits' | 'check-digit';

export function nhsNumberProblem(input: string): NhsNumberProblem | null {
  const n = normaliseNhsNumber(input);
  if (n === '') return 'missing';
  if (!/^\d{10}$/.test(n)) return 'not-ten-digits';
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(n[i]) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  if (check === 10 || expected !== Number(n[9])) return 'check-digit';
  return null;
}

export function isValidNhsNumber(input: string): boolean {
  return nhsNumberProblem(input) === null;
}

export const nhsNumberMessages: Record<NhsNumberProblem, string> = {
  missing: 'Enter the NHS number',
  'not-ten-digits': 'NHS number must be 10 digits, like 999 000 0018',
  'check-digit': 'Enter a real NHS number: this one fails the NHS number check digit',
};

/** 999 123 4560: the display format. */
export function formatNhsNumber(n: string): string {
  const d = normaliseNhsNumber(n);
  return d.length === 10 ? `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : n;
}

function checkDigitFor(nineDigits: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return check === 11 ? 0 : check;
}

/**
 * Unique, valid synthetic NHS numbers in the 999 test range, in order, starting after
 * `skip` of them. About 909,000 exist; more than any demo or benchmark needs.
 */
export function* syntheticNhsNumbers(skip = 0): Generator<string> {
  let seen = 0;
  for (let body = 0; body < 1_000_000; body++) {
    const nine = `999${String(body).padStart(6, '0')}`;
    const check = checkDigitFor(nine);
    if (check === null) continue;
    if (seen++ < skip) continue;
    yield `${nine}${check}`;
  }
}
