/**
 * The notification outbox (issue 6). A notification is queued in the transaction that causes it,
 * idempotently by its dedupe key (INSERT … ON CONFLICT DO NOTHING on (partnership, dedupe_key)),
 * so a job that runs twice, or on two instances at once, queues it once. `deliverPending` sends
 * what is due: by email through a transport when one is configured, otherwise it is shown in the
 * app (marked sent on the in-app channel). A failed send is retried with backoff and its error
 * kept; after MAX_ATTEMPTS it is marked failed and stays visible on the admin outbox page.
 */
import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { retryDelayMinutes } from '../../domain/reviews.ts';
import { notification } from './schema.ts';
import { rowsOf, type Db, type DbOrTx } from '../db/database.ts';
import { appUser } from '../db/schema.ts';

export const MAX_ATTEMPTS = 5;

export type NotificationRow = typeof notification.$inferSelect;

export interface QueuedNotification {
  partnershipId: string;
  dedupeKey: string;
  kind: string;
  /** The user it is for; null for someone outside Aftercare, reached only at `recipientEmail`. */
  recipientUserId: string | null;
  recipientEmail?: string | null;
  personId?: string | null;
  subject: string;
  body: string;
  link?: string | null;
  /** A file sent with it (scheduled reports): by email as an attachment, in the app as a download. */
  attachment?: { name: string; type: string; content: Buffer } | null;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
}

/** Sends one email; throws when it could not. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
}

/** Queue once: returns true when this call queued it, false when it was already queued. */
export async function queueNotification(db: DbOrTx, n: QueuedNotification, channel: 'email' | 'in-app'): Promise<boolean> {
  const inserted = await db
    .insert(notification)
    .values({
      partnershipId: n.partnershipId,
      dedupeKey: n.dedupeKey,
      kind: n.kind,
      recipientUserId: n.recipientUserId,
      recipientEmail: n.recipientEmail ?? null,
      personId: n.personId ?? null,
      subject: n.subject,
      body: n.body,
      link: n.link ?? null,
      attachmentName: n.attachment?.name ?? null,
      attachmentType: n.attachment?.type ?? null,
      attachmentBase64: n.attachment ? n.attachment.content.toString('base64') : null,
      channel,
    })
    .onConflictDoNothing({ target: [notification.partnershipId, notification.dedupeKey] })
    .returning({ id: notification.id });
  return inserted.length > 0;
}

/** Claim up to `limit` pending notifications whose time has come (SKIP LOCKED: two workers never take the same one). */
async function claim(db: Db, limit: number, now: Date): Promise<Array<{ partnershipId: string; id: string }>> {
  const result = await db.execute(sql`
    update notification set next_attempt_at = ${new Date(now.getTime() + 5 * 60_000).toISOString()}::timestamptz
    where (partnership_id, id) in (
      select partnership_id, id from notification
      where status = 'pending' and channel <> 'webhook' and next_attempt_at <= ${now.toISOString()}::timestamptz
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    returning partnership_id, id`);
  // Webhooks are sent by src/platform/webhooks/deliver.ts, signed, to their subscription.
  return rowsOf<{ partnership_id: string; id: string }>(result).map((r) => ({ partnershipId: r.partnership_id, id: r.id }));
}

export interface DeliveryResult {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Deliver what is due. With a transport, email notifications are sent through it; in-app ones
 * (and everything when there is no transport) are marked sent and shown on /notifications.
 */
export async function deliverPending(db: Db, transport: MailTransport | null, options: { now?: Date; limit?: number } = {}): Promise<DeliveryResult> {
  const now = options.now ?? new Date();
  const result: DeliveryResult = { sent: 0, retrying: 0, failed: 0 };
  const claimed = await claim(db, options.limit ?? 100, now);
  for (const key of claimed) {
    const where = and(eq(notification.partnershipId, key.partnershipId), eq(notification.id, key.id));
    const row = (await db.select().from(notification).where(where))[0];
    if (!row || row.status !== 'pending') continue;
    const emailTo = row.recipientEmail ?? (row.recipientUserId ? (await db.select({ email: appUser.email }).from(appUser).where(eq(appUser.id, row.recipientUserId)))[0]?.email : undefined);
    const byEmail = transport !== null && row.channel === 'email' && emailTo;
    try {
      const attachments = row.attachmentName && row.attachmentBase64 ? [{ filename: row.attachmentName, contentType: row.attachmentType ?? 'application/octet-stream', content: Buffer.from(row.attachmentBase64, 'base64') }] : undefined;
      if (byEmail) await transport.send({ to: emailTo, subject: row.subject, text: row.link ? `${row.body}\n\n${row.link}` : row.body, ...(attachments ? { attachments } : {}) });
      await db
        .update(notification)
        .set({ status: 'sent', sentAt: now, attempts: row.attempts + 1, lastError: null, channel: byEmail ? 'email' : 'in-app' })
        .where(where);
      result.sent += 1;
    } catch (error) {
      const attempts = row.attempts + 1;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      const failed = attempts >= MAX_ATTEMPTS;
      await db
        .update(notification)
        .set({
          attempts,
          lastError: message,
          status: failed ? 'failed' : 'pending',
          nextAttemptAt: new Date(now.getTime() + retryDelayMinutes(attempts) * 60_000),
        })
        .where(where);
      if (failed) result.failed += 1;
      else result.retrying += 1;
    }
  }
  return result;
}

/** Put a failed notification back in the queue (an administrator's retry from the outbox page). */
export async function retryNotification(db: DbOrTx, partnershipId: string, id: string): Promise<boolean> {
  const rows = await db
    .update(notification)
    .set({ status: 'pending', nextAttemptAt: new Date() })
    .where(and(eq(notification.partnershipId, partnershipId), eq(notification.id, id), eq(notification.status, 'failed')))
    .returning({ id: notification.id });
  return rows.length > 0;
}

/** A recipient’s notifications shown in the app, newest first: at once, whether or not the email copy has gone yet (the app is a channel of its own). */
export async function notificationsFor(db: DbOrTx, partnershipId: string, userId: string, limit = 100): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notification)
    .where(and(eq(notification.partnershipId, partnershipId), eq(notification.recipientUserId, userId)))
    .orderBy(desc(notification.createdAt))
    .limit(limit);
}

export async function unreadCount(db: DbOrTx, partnershipId: string, userId: string): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(notification)
    .where(and(eq(notification.partnershipId, partnershipId), eq(notification.recipientUserId, userId), isNull(notification.readAt)));
  return rows[0]?.n ?? 0;
}

/** Mark every notification of the recipient read. */
export async function markAllRead(db: DbOrTx, partnershipId: string, userId: string): Promise<void> {
  await db
    .update(notification)
    .set({ readAt: new Date() })
    .where(and(eq(notification.partnershipId, partnershipId), eq(notification.recipientUserId, userId), isNull(notification.readAt)));
}

/** The outbox for administrators: everything in the partnership, pending and failed first. */
export async function outboxPage(db: DbOrTx, partnershipId: string, status: 'pending' | 'sent' | 'failed' | null, limit = 200) {
  return db
    .select({ n: notification, recipientName: appUser.displayName })
    .from(notification)
    .leftJoin(appUser, eq(appUser.id, notification.recipientUserId))
    .where(and(eq(notification.partnershipId, partnershipId), status ? eq(notification.status, status) : undefined))
    .orderBy(sql`case ${notification.status} when 'failed' then 0 when 'pending' then 1 else 2 end`, asc(notification.nextAttemptAt), desc(notification.createdAt))
    .limit(limit);
}

export async function outboxCounts(db: DbOrTx, partnershipId: string): Promise<Record<'pending' | 'sent' | 'failed', number>> {
  const rows = await db.select({ status: notification.status, n: count() }).from(notification).where(eq(notification.partnershipId, partnershipId)).groupBy(notification.status);
  const out = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
