import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Client secrets of organisations' identity providers, encrypted at rest with AES-256-GCM under
 * the key from SSO_SECRET_KEY (docs/decisions/0011-single-sign-on.md). The stored text is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url; the organisation's id is bound in as additional
 * data, so a secret copied onto another organisation's row does not decrypt.
 */
const VERSION = 'v1';

export class SecretKeyMissingError extends Error {
  constructor() {
    super('Aftercare cannot store client secrets: set SSO_SECRET_KEY (32 random bytes in base64, `openssl rand -base64 32`) and restart.');
  }
}

export function encryptSecret(key: Buffer | undefined, plaintext: string, boundTo: string): string {
  if (!key) throw new SecretKeyMissingError();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export function decryptSecret(key: Buffer | undefined, stored: string, boundTo: string): string {
  if (!key) throw new SecretKeyMissingError();
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('The stored client secret is not in a form Aftercare knows');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(boundTo, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
