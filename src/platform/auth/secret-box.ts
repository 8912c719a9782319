import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * Secrets encrypted at rest (second-factor secrets; issue 14, item 3): AES-256-GCM with a fresh
 * 96-bit nonce each time, the key derived from MFA_SECRET_KEY with SHA-256 under a label, so the
 * same setting could key other uses apart. Stored as `v1.<nonce>.<tag>.<ciphertext>` in base64url:
 * the version lets the format change later. A wrong key or a changed value fails to decrypt.
 */

const LABEL = 'aftercare:second-factor:v1';

function keyFrom(secretKey: string): Buffer {
  return createHash('sha256').update(LABEL).update('\0').update(secretKey).digest();
}

export function encryptSecret(secretKey: string, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secretKey), nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export function decryptSecret(secretKey: string, stored: string): string {
  const [version, nonce, tag, ciphertext] = stored.split('.');
  if (version !== 'v1' || !nonce || !tag || ciphertext === undefined) throw new Error('Not an encrypted secret this version of Aftercare can read');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(secretKey), Buffer.from(nonce, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
