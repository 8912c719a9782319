import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './secret-box.ts';

const key = 'a-test-key-of-at-least-32-characters-long';

describe('secrets encrypted at rest (AES-256-GCM)', () => {
  it('reads back what it stored, which does not contain the secret, and differs every time', () => {
    const stored = encryptSecret(key, 'JBSWY3DPEHPK3PXP');
    expect(stored).not.toContain('JBSWY3DPEHPK3PXP');
    expect(stored).toMatch(/^v1\./);
    expect(encryptSecret(key, 'JBSWY3DPEHPK3PXP')).not.toBe(stored);
    expect(decryptSecret(key, stored)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another key and a changed value', () => {
    const stored = encryptSecret(key, 'JBSWY3DPEHPK3PXP');
    expect(() => decryptSecret('another-key-of-at-least-32-characters-long', stored)).toThrow();
    const parts = stored.split('.');
    const changed = [parts[0], parts[1], parts[2], Buffer.from('AAAAAAAAAAAAAAAA').toString('base64url')].join('.');
    expect(() => decryptSecret(key, changed)).toThrow();
  });
});
