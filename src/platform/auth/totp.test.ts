import { describe, expect, it } from 'vitest';
import { acceptedStep, hashRecoveryCode, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, secretForReading, timeStepAt, totpCodeForStep, totpUri } from './totp.ts';

// A fixed instant: 7 December 2026 at 10:00:10 UTC, 10 seconds into its 30-second step.
const now = new Date('2026-12-07T10:00:10Z');
const step = timeStepAt(now);
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('authenticator codes (issue 14, item 3)', () => {
  it('accepts the code of the current step, and of one step either side for drifting clocks', async () => {
    expect(await acceptedStep(secret, await totpCodeForStep(secret, step), now, null)).toBe(step);
    expect(await acceptedStep(secret, await totpCodeForStep(secret, step - 1), now, null)).toBe(step - 1);
    expect(await acceptedStep(secret, await totpCodeForStep(secret, step + 1), now, null)).toBe(step + 1);
  });

  it('refuses a code two steps away, a wrong code and anything that is not 6 digits', async () => {
    expect(await acceptedStep(secret, await totpCodeForStep(secret, step - 2), now, null)).toBeNull();
    expect(await acceptedStep(secret, await totpCodeForStep(secret, step + 2), now, null)).toBeNull();
    const right = await totpCodeForStep(secret, step);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(await acceptedStep(secret, wrong, now, null)).toBeNull();
    expect(await acceptedStep(secret, right.slice(0, 5), now, null)).toBeNull();
    expect(await acceptedStep(secret, `${right}1`, now, null)).toBeNull();
    expect(await acceptedStep(secret, 'abcdef', now, null)).toBeNull();
  });

  it('refuses a code already used: its own step, or an earlier one, once a step has been accepted', async () => {
    const code = await totpCodeForStep(secret, step);
    expect(await acceptedStep(secret, code, now, step)).toBeNull();
    expect(await acceptedStep(secret, await totpCodeForStep(secret, step - 1), now, step)).toBeNull();
    // The next step's code is still good after this one was used.
    expect(await acceptedStep(secret, await totpCodeForStep(secret, step + 1), now, step)).toBe(step + 1);
  });

  it('reads a code typed with a space or hyphen in the middle', async () => {
    const code = await totpCodeForStep(secret, step);
    expect(await acceptedStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).toBe(step);
    expect(await acceptedStep(secret, ` ${code.slice(0, 3)}-${code.slice(3)} `, now, null)).toBe(step);
  });

  it('makes a base32 secret an app can read, shown in groups of four, and an otpauth address naming Aftercare', () => {
    const made = newTotpSecret();
    expect(made).toMatch(/^[A-Z2-7]{16,}$/);
    expect(newTotpSecret()).not.toBe(made);
    expect(secretForReading('ABCDEFGHIJKLMNOP')).toBe('ABCD EFGH IJKL MNOP');
    const uri = totpUri(made, 'admin@demo.aftercare.example');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${made}`);
    expect(uri).toContain('issuer=Aftercare');
  });
});

describe('recovery codes', () => {
  it('makes 10 different codes of three groups of four, without letters that look like others', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  });

  it('hashes a code the same however it is typed, and different codes differently', () => {
    const [code, other] = newRecoveryCodes(2) as [string, string];
    expect(hashRecoveryCode(code)).toBe(hashRecoveryCode(code.toUpperCase().replace(/-/g, ' ')));
    expect(hashRecoveryCode(code)).not.toBe(hashRecoveryCode(other));
    expect(hashRecoveryCode(code)).not.toContain(code.replace(/-/g, ''));
    expect(normaliseRecoveryCode('123456')).toBeNull();
  });
});
