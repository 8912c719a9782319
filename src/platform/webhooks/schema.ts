import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../db/columns.ts';
import { appUser, partnershipKey } from '../db/schema.ts';

/*
 * Signed webhooks (issue 14, item 5; docs/decisions/0012-feeds.md). A subscription names a
 * receiver's address, the events it wants and the secret its deliveries are signed with. The
 * secret is needed to sign (HMAC), so it cannot be hashed: it is kept encrypted with AES-256-GCM
 * under a key from the environment (WEBHOOK_SECRET_KEY) and shown to the administrator once.
 * Deliveries are notifications on the 'webhook' channel of the outbox; each attempt is logged.
 */
const partnershipId = partnershipKey;

export const webhookSubscription = pgTable(
  'webhook_subscription',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    /** What the receiver is, in the administrator's words ("Northvale ContrOCC"). */
    name: text('name').notNull(),
    url: text('url').notNull(),
    /** The event types sent to it (src/platform/webhooks/events.ts). */
    eventTypes: text('event_types').array().notNull(),
    /** The signing secret, encrypted: base64 of iv | tag | ciphertext (secret-box.ts). */
    secretEncrypted: text('secret_encrypted').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] })],
);

/** Each attempt to deliver a webhook: when, the receiver's status code (null when none came) and the error. */
export const webhookAttempt = pgTable(
  'webhook_attempt',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    /** The delivery: the notification on the 'webhook' channel. */
    notificationId: uuid('notification_id').notNull(),
    subscriptionId: uuid('subscription_id').notNull(),
    attempt: integer('attempt').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] }), index('webhook_attempt_notification_idx').on(t.partnershipId, t.notificationId, t.attempt)],
);
