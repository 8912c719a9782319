/**
 * Money as people type it (forms, finance extracts) and as the database keeps it (integer
 * pence). Pounds are never held as floating-point numbers: the text is split at the point.
 */

export type PoundsProblem = 'missing' | 'not-money' | 'negative' | 'too-many-decimals';

/**
 * "12.50", "£1,234.56", "1234", "0.5" → pence. Commas between thousands and a leading £ are
 * allowed; a minus sign is reported as negative; more than 2 decimal places is refused rather
 * than rounded, so no penny is invented.
 */
export function parsePounds(raw: string): { pence: number } | { problem: PoundsProblem } {
  const text = raw.trim().replace(/\s+/g, '');
  if (text === '') return { problem: 'missing' };
  // Accountants' brackets, "-£3" and "£-3" all mean a negative amount.
  let bare = text;
  let negative = false;
  if (/^\(.*\)$/.test(bare)) {
    negative = true;
    bare = bare.slice(1, -1);
  }
  bare = bare.replace(/^£/, '');
  if (bare.startsWith('-')) {
    negative = true;
    bare = bare.slice(1).replace(/^£/, '');
  }
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/.exec(bare);
  if (!match || (match[1] === undefined && match[2] === undefined)) return { problem: 'not-money' };
  const decimals = match[2] ?? '';
  if (decimals.length > 2) return { problem: 'too-many-decimals' };
  if (negative) return { problem: 'negative' };
  const pounds = Number((match[1] ?? '0').replace(/,/g, ''));
  const pence = pounds * 100 + Number(decimals.padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(pence)) return { problem: 'not-money' };
  return { pence };
}

/** Pence as a form value: 1500 → "15.00" (no £, no thousands separators). */
export function penceToPoundsInput(pence: number): string {
  const abs = Math.abs(pence);
  return `${pence < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A percentage with at most 2 decimal places as basis points: "8" → 800, "3.25" → 325,
 * "8%" → 800. Null when it is not such a number.
 */
export function parsePercentToBasisPoints(raw: string): number | null {
  const text = raw.trim().replace(/%$/, '').trim();
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0') || '0');
  return Number.isSafeInteger(basisPoints) ? basisPoints : null;
}

/** Basis points as a percentage for display and forms: 800 → "8", 325 → "3.25", 350 → "3.5". */
export function basisPointsToPercent(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const rest = basisPoints % 100;
  if (rest === 0) return String(whole);
  return `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}
