import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { notification } from '../notifications/schema.ts';
import { webhookSubscription } from './schema.ts';

/*
 * Domain events for the systems outside Aftercare (issue 14, item 5; docs/decisions/0012-feeds.md).
 * Where a change happens (the register's one path for legal events, plan approval), its module
 * publishes an event here, in the transaction that makes the change. Publishing queues one
 * delivery per active subscription that asked for the event's type, in the notification outbox
 * (channel 'webhook', dedupe key `webhook:<subscription>:<event>`), so the delivery commits or
 * rolls back with the change and is queued once. `deliverWebhooks` (deliver.ts) sends them.
 * The platform imports no module: modules call this with the facts of the change.
 */

export const webhookEventTypes = ['entitlement.started', 'entitlement.ended', 'entitlement.reinstated', 'entitlement.status-changed', 'plan.approved'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookEventLabels: Record<WebhookEventType, string> = {
  'entitlement.started': 'Section 117 entitlement starts',
  'entitlement.ended': 'Section 117 aftercare ends',
  'entitlement.reinstated': 'Section 117 aftercare is reinstated',
  'entitlement.status-changed': 'Any other change of section 117 status (pending, manual review, not entitled)',
  'plan.approved': 'An aftercare plan is approved (its services, costs and funding split)',
};

export interface DomainEvent {
  type: WebhookEventType;
  partnershipId: string;
  occurredAt: Date;
  /** The person the change is about (kept with the delivery, so it is found with the person). */
  personId: string | null;
  /** The facts a finance or case system needs (the payload's `data`). */
  data: Record<string, unknown>;
}

/** The event type for a change of section 117 status, or null when the status did not change. */
export function statusChangeType(before: string, after: string): WebhookEventType | null {
  if (before === after) return null;
  if (after === 'entitled') return before === 'ended' ? 'entitlement.reinstated' : 'entitlement.started';
  if (after === 'ended') return 'entitlement.ended';
  return 'entitlement.status-changed';
}

/** The JSON body every receiver gets: the event's id (its `webhook-id` too), type, when, and its data. */
export function webhookBody(id: string, event: DomainEvent): string {
  return JSON.stringify({ id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.data });
}

/**
 * Publish an event in the caller's transaction: one delivery queued for each active subscription
 * of the partnership that asked for its type. Returns the event's id and how many were queued.
 */
export async function publishDomainEvent(tx: DbOrTx, event: DomainEvent): Promise<{ id: string; queued: number }> {
  const id = randomUUID();
  const subscriptions = await tx
    .select({ id: webhookSubscription.id })
    .from(webhookSubscription)
    .where(and(eq(webhookSubscription.partnershipId, event.partnershipId), eq(webhookSubscription.active, true), sql`${event.type} = any(${webhookSubscription.eventTypes})`));
  if (subscriptions.length === 0) return { id, queued: 0 };
  const body = webhookBody(id, event);
  const inserted = await tx
    .insert(notification)
    .values(
      subscriptions.map((s) => ({
        partnershipId: event.partnershipId,
        dedupeKey: `webhook:${s.id}:${id}`,
        kind: 'webhook',
        recipientUserId: null,
        personId: event.personId,
        subject: event.type,
        body,
        channel: 'webhook',
        webhookSubscriptionId: s.id,
        nextAttemptAt: event.occurredAt,
      })),
    )
    .onConflictDoNothing({ target: [notification.partnershipId, notification.dedupeKey] })
    .returning({ id: notification.id });
  return { id, queued: inserted.length };
}
