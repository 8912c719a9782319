import { and, eq, sql } from 'drizzle-orm';
import { retryDelayMinutes } from '../../domain/reviews.ts';
import { rowsOf, type Db } from '../db/database.ts';
import { MAX_ATTEMPTS, type DeliveryResult } from '../notifications/outbox.ts';
import { notification } from '../notifications/schema.ts';
import { decryptSecret } from './secret-box.ts';
import { webhookAttempt, webhookSubscription } from './schema.ts';
import { signWebhook } from './signing.ts';

/*
 * Deliver the webhooks waiting in the outbox (channel 'webhook'): each is POSTed as JSON to its
 * subscription's address, signed (signing.ts), with the event's id as `webhook-id` on every
 * attempt so the receiver can drop a repeat. A 2xx answer marks it sent; anything else (another
 * status, a timeout, no connection) is logged as an attempt and retried with the outbox's backoff
 * (1, 2, 4 … minutes, at most an hour) until MAX_ATTEMPTS, when it is marked failed and an
 * administrator can send it again. Claimed with SKIP LOCKED, so two instances never send one twice.
 */

export interface WebhookDeliveryOptions {
  /** The key the subscriptions' secrets are encrypted with (config.webhookSecretKey). */
  key: Buffer;
  now?: Date;
  limit?: number;
  /** How long to wait for the receiver (10 seconds unless given). */
  timeoutMs?: number;
}

async function claim(db: Db, limit: number, now: Date): Promise<Array<{ partnershipId: string; id: string }>> {
  const result = await db.execute(sql`
    update notification set next_attempt_at = ${new Date(now.getTime() + 5 * 60_000).toISOString()}::timestamptz
    where (partnership_id, id) in (
      select partnership_id, id from notification
      where status = 'pending' and channel = 'webhook' and next_attempt_at <= ${now.toISOString()}::timestamptz
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    returning partnership_id, id`);
  return rowsOf<{ partnership_id: string; id: string }>(result).map((r) => ({ partnershipId: r.partnership_id, id: r.id }));
}

/** POST one delivery; returns the status code, or throws when no answer came. */
async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  return response.status;
}

export async function deliverWebhooks(db: Db, options: WebhookDeliveryOptions): Promise<DeliveryResult> {
  const now = options.now ?? new Date();
  const result: DeliveryResult = { sent: 0, retrying: 0, failed: 0 };
  for (const key of await claim(db, options.limit ?? 100, now)) {
    const where = and(eq(notification.partnershipId, key.partnershipId), eq(notification.id, key.id));
    const row = (await db.select().from(notification).where(where))[0];
    if (!row || row.status !== 'pending' || !row.webhookSubscriptionId) continue;
    const subscription = (
      await db
        .select()
        .from(webhookSubscription)
        .where(and(eq(webhookSubscription.partnershipId, row.partnershipId), eq(webhookSubscription.id, row.webhookSubscriptionId)))
    )[0];
    const attempts = row.attempts + 1;
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    if (!subscription || !subscription.active) {
      error = 'The subscription has been turned off';
    } else {
      const eventId = (JSON.parse(row.body) as { id: string }).id;
      const timestamp = Math.floor(now.getTime() / 1000);
      try {
        const secret = decryptSecret(options.key, subscription.secretEncrypted);
        statusCode = await post(
          subscription.url,
          {
            'content-type': 'application/json',
            'user-agent': 'Aftercare-Webhooks/1',
            'webhook-id': eventId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(secret, eventId, timestamp, row.body),
          },
          row.body,
          options.timeoutMs ?? 10_000,
        );
        if (statusCode < 200 || statusCode > 299) error = `The receiver answered ${statusCode}`;
      } catch (e) {
        const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
        error = `${e instanceof Error ? e.message : String(e)}${cause}`.slice(0, 2000);
      }
    }
    const durationMs = Math.round(performance.now() - started);
    const sent = error === null;
    const failed = !sent && (attempts >= MAX_ATTEMPTS || !subscription || !subscription.active);
    await db.transaction(async (tx) => {
      await tx.insert(webhookAttempt).values({ partnershipId: row.partnershipId, notificationId: row.id, subscriptionId: row.webhookSubscriptionId!, attempt: attempts, attemptedAt: now, statusCode, error, durationMs });
      await tx
        .update(notification)
        .set(
          sent
            ? { status: 'sent', sentAt: now, attempts, lastError: null, lastStatusCode: statusCode }
            : { status: failed ? 'failed' : 'pending', attempts, lastError: error, lastStatusCode: statusCode, nextAttemptAt: new Date(now.getTime() + retryDelayMinutes(attempts) * 60_000) },
        )
        .where(where);
    });
    if (sent) result.sent += 1;
    else if (failed) result.failed += 1;
    else result.retrying += 1;
  }
  return result;
}
