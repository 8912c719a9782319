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

describe('SSO_SECRET_KEY', () => {
  it('is read as 32 bytes of base64; anything else stops the app with a clear message; production without it stores no secrets', async () => {
    const { loadConfig, ConfigError } = await import('../config/config.ts');
    const key = randomBytes(32).toString('base64');
    expect(loadConfig({ SSO_SECRET_KEY: key }).ssoSecretKey?.equals(Buffer.from(key, 'base64'))).toBe(true);
    expect(() => loadConfig({ SSO_SECRET_KEY: 'too-short' })).toThrow(ConfigError);
    expect(() => loadConfig({ SSO_SECRET_KEY: 'too-short' })).toThrow(/SSO_SECRET_KEY must be 32 random bytes/);
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://a:b@localhost:5432/c', MFA_SECRET_KEY: 'm'.repeat(40) };
    expect(loadConfig(production).ssoSecretKey).toBeUndefined();
    expect(loadConfig({ ...production, SSO_SECRET_KEY: key }).ssoSecretKey).toHaveLength(32);
    expect(loadConfig({}).ssoSecretKey).toHaveLength(32);
  });
});
