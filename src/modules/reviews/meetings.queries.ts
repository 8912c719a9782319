import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser } from '../../platform/db/schema.ts';
import { meeting, meetingAction } from './schema.ts';

/*
 * The meetings' data layer: the only file of the meetings use cases that imports drizzle-orm.
 * The service hands these functions the query handle the door gave it, so row-level security
 * already confines them to the actor's partnership; the partnership filters stay as the leading
 * index key and a second line.
 */

export type MeetingRow = typeof meeting.$inferSelect;
export type ActionRow = typeof meetingAction.$inferSelect;

/** The users of the partnership among `userIds`, with their names (the owners an action may have). */
export async function findPartnershipUsers(q: DbOrTx, partnershipId: string, userIds: string[]): Promise<Array<{ id: string; name: string }>> {
  if (userIds.length === 0) return [];
  return q.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), inArray(appUser.id, userIds)));
}

export async function insertMeeting(tx: DbOrTx, values: typeof meeting.$inferInsert): Promise<MeetingRow> {
  const [created] = await tx.insert(meeting).values(values).returning();
  return created!;
}

export async function insertActions(tx: DbOrTx, values: Array<typeof meetingAction.$inferInsert>): Promise<ActionRow[]> {
  if (values.length === 0) return [];
  return tx.insert(meetingAction).values(values).returning();
}

/** The person's meetings, latest first. */
export async function findPersonMeetings(q: DbOrTx, partnershipId: string, personId: string): Promise<MeetingRow[]> {
  return q.select().from(meeting).where(and(eq(meeting.partnershipId, partnershipId), eq(meeting.personId, personId))).orderBy(desc(meeting.startsAt));
}

/** The actions of the given meetings, soonest due first. */
export async function findActionsOfMeetings(q: DbOrTx, partnershipId: string, meetingIds: string[]): Promise<ActionRow[]> {
  if (meetingIds.length === 0) return [];
  return q
    .select()
    .from(meetingAction)
    .where(and(eq(meetingAction.partnershipId, partnershipId), inArray(meetingAction.meetingId, meetingIds)))
    .orderBy(asc(meetingAction.dueOn), asc(meetingAction.createdAt));
}

export async function findMeeting(q: DbOrTx, partnershipId: string, personId: string, meetingId: string): Promise<MeetingRow | undefined> {
  return (await q.select().from(meeting).where(and(eq(meeting.partnershipId, partnershipId), eq(meeting.personId, personId), eq(meeting.id, meetingId))))[0];
}

export async function findAction(q: DbOrTx, partnershipId: string, meetingId: string, actionId: string): Promise<ActionRow | undefined> {
  return (await q.select().from(meetingAction).where(and(eq(meetingAction.partnershipId, partnershipId), eq(meetingAction.meetingId, meetingId), eq(meetingAction.id, actionId))))[0];
}

/** Update the action saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updateActionAtVersion(tx: DbOrTx, partnershipId: string, actionId: string, version: number, changes: Pick<ActionRow, 'done' | 'completedAt' | 'updatedAt'>): Promise<ActionRow[]> {
  return tx
    .update(meetingAction)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(meetingAction.partnershipId, partnershipId), eq(meetingAction.id, actionId), eq(meetingAction.version, version)))
    .returning();
}
