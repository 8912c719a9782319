import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/*
 * A webhook's signing secret is needed in clear to sign each delivery (HMAC), so it is kept
 * encrypted rather than hashed: AES-256-GCM under the key from the environment
 * (config.webhookSecretKey), stored as base64 of iv (12 bytes) | tag (16 bytes) | ciphertext.
 */

export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** The secret in clear; throws when the key is not the one it was encrypted with (or the value was changed). */
export function decryptSecret(key: Buffer, boxed: string): string {
  const bytes = Buffer.from(boxed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
