import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, SecretKeyMissingError } from './secrets.ts';

describe('client secrets encrypted at rest', () => {
  const key = randomBytes(32);

  it('comes back as it went in, and the stored text does not contain it', () => {
    const stored = encryptSecret(key, 'very-secret-value', 'org-1');
    expect(stored).not.toContain('very-secret-value');
    expect(stored.startsWith('v1.')).toBe(true);
    expect(decryptSecret(key, stored, 'org-1')).toBe('very-secret-value');
  });

  it('differs each time (a fresh IV), so equal secrets cannot be spotted', () => {
    expect(encryptSecret(key, 'same', 'org-1')).not.toBe(encryptSecret(key, 'same', 'org-1'));
  });

  it('refuses another key, another organisation and a changed ciphertext', () => {
    const stored = encryptSecret(key, 'very-secret-value', 'org-1');
    expect(() => decryptSecret(randomBytes(32), stored, 'org-1')).toThrow();
    expect(() => decryptSecret(key, stored, 'org-2')).toThrow();
    const parts = stored.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret(key, [parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'), 'org-1')).toThrow();
  });

  it('says what to set when there is no key', () => {
    expect(() => encryptSecret(undefined, 'x', 'org-1')).toThrow(SecretKeyMissingError);
    expect(() => encryptSecret(undefined, 'x', 'org-1')).toThrow(/SSO_SECRET_KEY/);
  });
});
