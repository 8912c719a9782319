import type { ServiceContext } from '../http/context.ts';
import { markAllRead, notificationsFor, outboxCounts, outboxPage, retryNotification, unreadCount, type NotificationRow } from './outbox.ts';

/*
 * The notifications a signed-in user sees, and the outbox an administrator watches, through the
 * door opened for them: the partnership is checked by the database and every change is audited.
 */

/** How many of my in-app notifications are unread (0 for a token). */
export async function myUnreadCount(ctx: Pick<ServiceContext, 'actor' | 'data'>): Promise<number> {
  const userId = ctx.actor.userId;
  return userId ? ctx.data.read((q) => unreadCount(q, ctx.actor.partnershipId, userId)) : 0;
}

/** My own notifications, newest first. */
export async function myNotifications(ctx: Pick<ServiceContext, 'actor' | 'data'>): Promise<NotificationRow[]> {
  const userId = ctx.actor.userId;
  return userId ? ctx.data.read((q) => notificationsFor(q, ctx.actor.partnershipId, userId)) : [];
}

/** Mark all my notifications read. */
export async function markMineRead(ctx: Pick<ServiceContext, 'actor' | 'data'>): Promise<void> {
  const userId = ctx.actor.userId;
  if (!userId) return;
  await ctx.data.transaction(async (tx, audit) => {
    await markAllRead(tx, ctx.actor.partnershipId, userId);
    await audit.change({ action: 'notifications.marked-read', subjectType: 'user', subjectId: userId });
  });
}

/** The partnership's outbox, by status, with the count of each (the caller checks the actor administers it). */
export async function outboxView(ctx: Pick<ServiceContext, 'actor' | 'data'>, status: 'pending' | 'sent' | 'failed' | null) {
  const [rows, counts] = await Promise.all([ctx.data.read((q) => outboxPage(q, ctx.actor.partnershipId, status)), ctx.data.read((q) => outboxCounts(q, ctx.actor.partnershipId))]);
  return { rows, counts };
}

/** Send a failed notification again; false if it is not a failed notification of this partnership. */
export async function retryFromOutbox(ctx: Pick<ServiceContext, 'actor' | 'data'>, notificationId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(notificationId)) return false;
  return ctx.data.transaction(async (tx, audit) => {
    const ok = await retryNotification(tx, ctx.actor.partnershipId, notificationId);
    if (ok) await audit.change({ action: 'notification.retried', subjectType: 'notification', subjectId: notificationId, after: { status: 'pending' } });
    return ok;
  });
}
