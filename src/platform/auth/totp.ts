import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { generate, generateSecret, generateURI } from 'otplib';

/*
 * Time-based one-time codes (RFC 6238, otplib) and recovery codes (issue 14, item 3). Codes are
 * six digits from a 30-second time step; a code is accepted one step either side of now, for
 * clocks that drift and people who type slowly, and only for a step later than the last one
 * accepted, so a code cannot be used twice (not even a neighbouring one already used).
 */

export const TIME_STEP_SECONDS = 30;
/** Steps either side of now that are accepted. */
export const TOLERANCE_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: 'Aftercare', label: accountName, secret });
}

/** The secret in groups of four, as people type it into an app that cannot scan. */
export function secretForReading(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function timeStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TIME_STEP_SECONDS);
}

/** The code for a time step (tests and the browser journey use it as an authenticator app would). */
export function totpCodeForStep(secret: string, step: number): Promise<string> {
  return generate({ secret, epoch: step * TIME_STEP_SECONDS });
}

/** What was typed, as a code: digits only (spaces and hyphens people add are dropped). */
export function normaliseTotpCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The time step the code belongs to, if it is right for now (one step either side) and later
 * than `lastUsedStep`; otherwise null.
 */
export async function acceptedStep(secret: string, typed: string, now: Date, lastUsedStep: number | null): Promise<number | null> {
  const code = normaliseTotpCode(typed);
  if (!code) return null;
  const current = timeStepAt(now);
  let accepted: number | null = null;
  // Every candidate is computed and compared in constant time, so timing says nothing about which matched.
  for (let offset = -TOLERANCE_STEPS; offset <= TOLERANCE_STEPS; offset++) {
    const step = current + offset;
    const expected = await totpCodeForStep(secret, step);
    const matches = timingSafeEqual(Buffer.from(expected), Buffer.from(code));
    if (matches && (lastUsedStep === null || step > lastUsedStep)) accepted = step;
  }
  return accepted;
}

// Recovery codes: 12 characters from Crockford's 32 (digits and letters but i, l, o and u, so
// none is mistaken for another), 60 random bits, shown as three groups of four. Random enough
// that a fast hash is safe to store.
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % 32]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** What was typed, as a recovery code (lower case, without spaces or hyphens), or null if it cannot be one. */
export function normaliseRecoveryCode(typed: string): string | null {
  const compact = typed.toLowerCase().replace(/[\s-]/g, '');
  return /^[a-z0-9]{12}$/.test(compact) ? compact : null;
}

export function hashRecoveryCode(code: string): string {
  const normalised = normaliseRecoveryCode(code) ?? code;
  return createHash('sha256').update(`aftercare-recovery:${normalised}`).digest('hex');
}
