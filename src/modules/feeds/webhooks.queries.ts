import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { webhookAttempt, webhookSubscription } from '../../platform/webhooks/schema.ts';

/* Webhook subscriptions and their delivery log: the data layer of webhooks.service.ts. */

export type SubscriptionRow = typeof webhookSubscription.$inferSelect;

export async function insertSubscription(q: DbOrTx, values: typeof webhookSubscription.$inferInsert): Promise<SubscriptionRow> {
  return (await q.insert(webhookSubscription).values(values).returning())[0]!;
}

export async function findSubscriptions(q: DbOrTx, partnershipId: string): Promise<SubscriptionRow[]> {
  return q.select().from(webhookSubscription).where(eq(webhookSubscription.partnershipId, partnershipId)).orderBy(asc(webhookSubscription.name), asc(webhookSubscription.createdAt));
}

export async function setSubscriptionActiveAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, active: boolean, at: Date): Promise<SubscriptionRow[]> {
  return q
    .update(webhookSubscription)
    .set({ active, updatedAt: at, version: version + 1 })
    .where(and(eq(webhookSubscription.partnershipId, partnershipId), eq(webhookSubscription.id, id), eq(webhookSubscription.version, version)))
    .returning();
}

export async function findSubscription(q: DbOrTx, partnershipId: string, id: string): Promise<SubscriptionRow | undefined> {
  return (await q.select().from(webhookSubscription).where(and(eq(webhookSubscription.partnershipId, partnershipId), eq(webhookSubscription.id, id))))[0];
}

/** The deliveries, newest first, with their subscription's name. */
export async function findDeliveries(q: DbOrTx, partnershipId: string, limit = 200) {
  return q
    .select({
      id: notification.id,
      eventType: notification.subject,
      body: notification.body,
      status: notification.status,
      attempts: notification.attempts,
      lastStatusCode: notification.lastStatusCode,
      lastError: notification.lastError,
      nextAttemptAt: notification.nextAttemptAt,
      sentAt: notification.sentAt,
      createdAt: notification.createdAt,
      subscriptionName: webhookSubscription.name,
    })
    .from(notification)
    .leftJoin(webhookSubscription, and(eq(webhookSubscription.partnershipId, notification.partnershipId), eq(webhookSubscription.id, notification.webhookSubscriptionId)))
    .where(and(eq(notification.partnershipId, partnershipId), eq(notification.channel, 'webhook')))
    .orderBy(desc(notification.createdAt))
    .limit(limit);
}

/** Every attempt of the partnership's deliveries, in order (for the log). */
export async function findAttempts(q: DbOrTx, partnershipId: string, notificationIds: string[]) {
  if (notificationIds.length === 0) return [];
  return q
    .select()
    .from(webhookAttempt)
    .where(and(eq(webhookAttempt.partnershipId, partnershipId), inArray(webhookAttempt.notificationId, notificationIds)))
    .orderBy(asc(webhookAttempt.notificationId), asc(webhookAttempt.attempt));
}
