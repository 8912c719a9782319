import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './secret-box.ts';
import { newWebhookSecret, signWebhook, verifyWebhook } from './signing.ts';
import { statusChangeType } from './events.ts';

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = `whsec_${Buffer.from('a test secret of thirty-two byte').toString('base64')}`;
  const body = '{"id":"msg_1","type":"plan.approved"}';

  it('signs "<id>.<timestamp>.<body>" with HMAC-SHA256 under the secret’s bytes, as v1,<base64>', () => {
    const expected = createHmac('sha256', Buffer.from('a test secret of thirty-two byte')).update(`msg_1.1796630400.${body}`).digest('base64');
    expect(signWebhook(secret, 'msg_1', 1796630400, body)).toBe(`v1,${expected}`);
  });

  it('verifies a genuine delivery and refuses a changed body, another secret, an old timestamp and a missing header', () => {
    const timestamp = 1796630400;
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,bm90IGl0 ${signWebhook(secret, 'msg_1', timestamp, body)}` };
    const now = new Date(timestamp * 1000 + 60_000);
    expect(verifyWebhook(secret, headers, body, { now })).toBe(true);
    expect(verifyWebhook(secret, headers, body.replace('plan', 'plan '), { now })).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), headers, body, { now })).toBe(false);
    expect(verifyWebhook(secret, headers, body, { now: new Date(timestamp * 1000 + 10 * 60_000) })).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': undefined }, body, { now })).toBe(false);
  });

  it('makes a new random secret each time, in the whsec_ form', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});

describe('the secret box', () => {
  const key = Buffer.alloc(32, 7);
  it('gives the secret back only with the key it was encrypted with, and never holds it in clear', () => {
    const boxed = encryptSecret(key, 'whsec_abc');
    expect(boxed).not.toContain('abc');
    expect(decryptSecret(key, boxed)).toBe('whsec_abc');
    expect(() => decryptSecret(Buffer.alloc(32, 8), boxed)).toThrow();
    expect(encryptSecret(key, 'whsec_abc')).not.toBe(boxed);
  });
});

describe('status changes as events', () => {
  it('names starts, ends, reinstatements and other changes, and nothing when the status stays', () => {
    expect(statusChangeType('pending', 'entitled')).toBe('entitlement.started');
    expect(statusChangeType('not-entitled', 'entitled')).toBe('entitlement.started');
    expect(statusChangeType('entitled', 'ended')).toBe('entitlement.ended');
    expect(statusChangeType('ended', 'entitled')).toBe('entitlement.reinstated');
    expect(statusChangeType('not-entitled', 'pending')).toBe('entitlement.status-changed');
    expect(statusChangeType('entitled', 'entitled')).toBeNull();
  });
});
