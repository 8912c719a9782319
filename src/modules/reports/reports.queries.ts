import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Role } from '../../platform/access/actor.ts';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { reportSchedule } from './schema.ts';

/*
 * The reports module's data layer: the only file of the module that imports drizzle-orm. Every
 * function but the first takes the handle of a door unit (row-level security confines it to
 * the actor's partnership; the partnership filters stay as the leading index key). The first is
 * the one read the hourly job makes outside the door: the list of partnerships.
 */

export type ScheduleRow = typeof reportSchedule.$inferSelect;
export type NewSchedule = typeof reportSchedule.$inferInsert;
export type ScheduleChanges = Partial<Pick<ScheduleRow, 'name' | 'source' | 'query' | 'recipientUserIds' | 'dayOfMonth' | 'nextRunOn' | 'active' | 'updatedAt' | 'lastRunAt'>>;

/** Every partnership that has an organisation, with the organisation its job actor acts for (the lead, else the first by name). Outside the door. */
export async function findPartnershipsForJob(db: DbOrTx): Promise<Array<{ partnershipId: string; organisationId: string }>> {
  return rowsOf<{ partnershipId: string; organisationId: string }>(
    await db.execute(sql`
      select p.id as "partnershipId", o.id as "organisationId"
      from partnership p
      cross join lateral (select id from organisation where partnership_id = p.id order by is_lead desc, name, id limit 1) o
      order by p.id`),
  );
}

/** Active users of the partnership with their memberships of active organisations, by name. */
export async function findRecipientMemberships(
  q: DbOrTx,
  partnershipId: string,
): Promise<Array<{ id: string; name: string; organisationId: string; organisationName: string; roles: Role[] }>> {
  return q
    .select({ id: appUser.id, name: appUser.displayName, organisationId: organisation.id, organisationName: organisation.name, roles: membership.roles })
    .from(appUser)
    .innerJoin(membership, eq(membership.userId, appUser.id))
    .innerJoin(organisation, and(eq(organisation.id, membership.organisationId), eq(organisation.active, true)))
    .where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.active, true)))
    .orderBy(asc(appUser.displayName), asc(appUser.id), asc(organisation.name));
}

export async function findSchedules(q: DbOrTx, partnershipId: string): Promise<ScheduleRow[]> {
  return q.select().from(reportSchedule).where(eq(reportSchedule.partnershipId, partnershipId)).orderBy(asc(reportSchedule.nextRunOn), asc(reportSchedule.name));
}

export async function findSchedule(q: DbOrTx, partnershipId: string, id: string): Promise<ScheduleRow | undefined> {
  return (await q.select().from(reportSchedule).where(and(eq(reportSchedule.partnershipId, partnershipId), eq(reportSchedule.id, id))))[0];
}

/** Active schedules of the partnership due on or before the day, oldest first. */
export async function findDueSchedules(q: DbOrTx, partnershipId: string, today: string): Promise<ScheduleRow[]> {
  return q
    .select()
    .from(reportSchedule)
    .where(and(eq(reportSchedule.partnershipId, partnershipId), eq(reportSchedule.active, true), lte(reportSchedule.nextRunOn, today)))
    .orderBy(asc(reportSchedule.nextRunOn));
}

export async function insertSchedule(tx: DbOrTx, values: NewSchedule): Promise<ScheduleRow> {
  return (await tx.insert(reportSchedule).values(values).returning())[0]!;
}

/** Change the schedule saved at `version` (optimistic concurrency): none returned if somebody changed it first. */
export async function updateScheduleAtVersion(tx: DbOrTx, partnershipId: string, id: string, version: number, changes: ScheduleChanges): Promise<ScheduleRow[]> {
  return tx
    .update(reportSchedule)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(reportSchedule.partnershipId, partnershipId), eq(reportSchedule.id, id), eq(reportSchedule.version, version)))
    .returning();
}

export async function deleteScheduleAtVersion(tx: DbOrTx, partnershipId: string, id: string, version: number): Promise<ScheduleRow[]> {
  return tx
    .delete(reportSchedule)
    .where(and(eq(reportSchedule.partnershipId, partnershipId), eq(reportSchedule.id, id), eq(reportSchedule.version, version)))
    .returning();
}

/** A delivered notification's attachment, for its recipient only. */
export async function findSentAttachment(q: DbOrTx, partnershipId: string, notificationId: string, userId: string) {
  return (
    await q
      .select({ name: notification.attachmentName, type: notification.attachmentType, base64: notification.attachmentBase64 })
      .from(notification)
      .where(and(eq(notification.partnershipId, partnershipId), eq(notification.id, notificationId), eq(notification.recipientUserId, userId), eq(notification.status, 'sent')))
  )[0];
}
