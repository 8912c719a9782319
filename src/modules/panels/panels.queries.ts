import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';
import { aftercarePlan, planService } from '../plans/index.ts';
import { person, type PersonRow } from '../register/index.ts';
import { panelCase, panelMeeting } from './schema.ts';

/*
 * The panels module's data layer: the only file of the module that imports drizzle-orm. The
 * service hands these functions the query handle the door gave it (`ctx.data.read` /
 * `ctx.data.transaction`), so row-level security already confines them to the actor's
 * partnership; the partnership filters stay as the leading index key and a second line.
 */

export type PanelCaseRow = typeof panelCase.$inferSelect;
export type PanelMeetingRow = typeof panelMeeting.$inferSelect;
type PanelCaseStatus = PanelCaseRow['status'];

/** The person's plan, by id (undefined if it is not theirs or not there). */
export async function findPersonPlan(q: DbOrTx, partnershipId: string, personId: string, planId: string): Promise<typeof aftercarePlan.$inferSelect | undefined> {
  return (await q.select().from(aftercarePlan).where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.id, planId), eq(aftercarePlan.personId, personId))))[0];
}

export async function countPlanServices(q: DbOrTx, partnershipId: string, planId: string): Promise<number> {
  return (await q.select({ id: planService.id }).from(planService).where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, planId)))).length;
}

/** A case of the plan still waiting for a panel (submitted or listed), if any. */
export async function findOpenCaseOfPlan(q: DbOrTx, partnershipId: string, planId: string): Promise<{ id: string } | undefined> {
  return (
    await q
      .select({ id: panelCase.id })
      .from(panelCase)
      .where(and(eq(panelCase.partnershipId, partnershipId), eq(panelCase.planId, planId), inArray(panelCase.status, ['submitted', 'listed'])))
  )[0];
}

export async function insertPanelCase(tx: DbOrTx, values: typeof panelCase.$inferInsert): Promise<PanelCaseRow> {
  const [created] = await tx.insert(panelCase).values(values).returning();
  return created!;
}

export async function insertPanelMeeting(tx: DbOrTx, values: typeof panelMeeting.$inferInsert): Promise<PanelMeetingRow> {
  const [created] = await tx.insert(panelMeeting).values(values).returning();
  return created!;
}

export async function findMeeting(q: DbOrTx, partnershipId: string, meetingId: string): Promise<PanelMeetingRow | undefined> {
  return (await q.select().from(panelMeeting).where(and(eq(panelMeeting.partnershipId, partnershipId), eq(panelMeeting.id, meetingId))))[0];
}

export async function findCase(q: DbOrTx, partnershipId: string, caseId: string): Promise<PanelCaseRow | undefined> {
  return (await q.select().from(panelCase).where(and(eq(panelCase.partnershipId, partnershipId), eq(panelCase.id, caseId))))[0];
}

/** The partnership's meetings, latest first (at most `limit`). */
export async function findMeetings(q: DbOrTx, partnershipId: string, limit: number): Promise<PanelMeetingRow[]> {
  return q.select().from(panelMeeting).where(eq(panelMeeting.partnershipId, partnershipId)).orderBy(desc(panelMeeting.meetsOn)).limit(limit);
}

/** Update the meeting saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updateMeetingAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  meetingId: string,
  version: number,
  changes: Partial<Pick<PanelMeetingRow, 'presentUserIds' | 'status' | 'location' | 'agenda' | 'updatedAt'>>,
): Promise<PanelMeetingRow[]> {
  return tx
    .update(panelMeeting)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(panelMeeting.partnershipId, partnershipId), eq(panelMeeting.id, meetingId), eq(panelMeeting.version, version)))
    .returning();
}

/** Update the case saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updateCaseAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  caseId: string,
  version: number,
  changes: Partial<Omit<PanelCaseRow, 'id' | 'partnershipId' | 'personId' | 'planId' | 'version' | 'createdAt'>>,
): Promise<PanelCaseRow[]> {
  return tx
    .update(panelCase)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(panelCase.partnershipId, partnershipId), eq(panelCase.id, caseId), eq(panelCase.version, version)))
    .returning();
}

/** Memberships of the ICB and the local authorities, with each user's name, roles and whether they are active. */
export async function findPanelBodyMemberships(
  q: DbOrTx,
  partnershipId: string,
): Promise<Array<{ userId: string; name: string; roles: Array<(typeof membership.$inferSelect)['roles'][number]>; type: string; active: boolean }>> {
  return q
    .select({ userId: appUser.id, name: appUser.displayName, roles: membership.roles, type: organisation.type, active: appUser.active })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(and(eq(membership.partnershipId, partnershipId), inArray(organisation.type, ['icb', 'local-authority'])))
    .orderBy(asc(appUser.displayName));
}

/** Cases with their people, oldest submitted first (at most `limit`): of the given statuses and/or on the given meeting. */
export async function findCasesWithPeople(
  q: DbOrTx,
  partnershipId: string,
  filter: { statuses?: PanelCaseStatus[]; meetingId?: string },
  limit: number,
): Promise<Array<{ c: PanelCaseRow; p: PersonRow }>> {
  return q
    .select({ c: panelCase, p: person })
    .from(panelCase)
    .innerJoin(person, and(eq(person.partnershipId, panelCase.partnershipId), eq(person.id, panelCase.personId)))
    .where(
      and(
        eq(panelCase.partnershipId, partnershipId),
        filter.statuses ? inArray(panelCase.status, filter.statuses) : undefined,
        filter.meetingId !== undefined ? eq(panelCase.meetingId, filter.meetingId) : undefined,
      ),
    )
    .orderBy(asc(panelCase.submittedAt))
    .limit(limit);
}

/** The names of the given users. */
export async function findUserNames(q: DbOrTx, userIds: string[]): Promise<Array<{ id: string; name: string }>> {
  if (userIds.length === 0) return [];
  return q.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(inArray(appUser.id, userIds));
}
