import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '../db/columns.ts';
import { appUser, partnershipKey } from '../db/schema.ts';

/* The notification outbox's table (issue 6): cross-cutting, so it lives with the outbox in the platform. */
const partnershipId = partnershipKey;

export const notificationStatus = pgEnum('notification_status', ['pending', 'sent', 'failed']);

/**
 * The notification outbox: reminders and notices, written in the transaction that causes them,
 * delivered by a job (email through SMTP when configured, otherwise shown in the app), retried
 * after a failure with the outcome recorded. `dedupe_key` makes queuing idempotent: a reminder
 * for one review's due date is queued once however often the job runs, on however many instances.
 */
export const notification = pgTable(
  'notification',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    dedupeKey: text('dedupe_key').notNull(),
    kind: text('kind').notNull(),
    recipientUserId: uuid('recipient_user_id').references(() => appUser.id),
    recipientEmail: text('recipient_email'),
    personId: uuid('person_id'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    /** An attached file (scheduled reports, issue 7): its name, media type and bytes as base64. */
    attachmentName: text('attachment_name'),
    attachmentType: text('attachment_type'),
    attachmentBase64: text('attachment_base64'),
    /** email, in-app or webhook (a signed delivery to a subscription: src/platform/webhooks) */
    channel: text('channel').notNull(),
    /** For a webhook: the subscription it goes to (its address and secret are read when it is sent). */
    webhookSubscriptionId: uuid('webhook_subscription_id'),
    /** For a webhook: the receiver's status code at the last attempt (null when none came back). */
    lastStatusCode: integer('last_status_code'),
    status: notificationStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('notification_dedupe_uq').on(t.partnershipId, t.dedupeKey),
    index('notification_due_idx').on(t.status, t.nextAttemptAt),
    index('notification_recipient_idx').on(t.partnershipId, t.recipientUserId, t.createdAt),
  ],
);
