import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Signatures as the Standard Webhooks specification has them (https://www.standardwebhooks.com):
 * the secret is `whsec_` + base64 of 32 random bytes; each delivery carries `webhook-id`,
 * `webhook-timestamp` (seconds since 1970) and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>" under the secret's bytes>`. Receivers can verify with any Standard
 * Webhooks library, or with the few lines of `verifyWebhook`.
 */

const PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** The `webhook-signature` header's value for a delivery. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', secretBytes(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * Whether a delivery is genuine: one of the signatures in the header (space-separated) matches,
 * and the timestamp is within `toleranceSeconds` of `now` (a replayed old delivery is refused).
 */
export function verifyWebhook(
  secret: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const id = one(headers['webhook-id']);
  const timestamp = Number(one(headers['webhook-timestamp']));
  const header = one(headers['webhook-signature']);
  if (!id || !Number.isInteger(timestamp) || !header) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body));
  return header.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
