import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser } from '../../platform/db/schema.ts';
import { planSettings } from './schema.ts';

/*
 * The settings module's data layer: the only file of the module that imports drizzle-orm or
 * the tables. The service hands these functions the query handle the door gave it
 * (`ctx.data.read` / `ctx.data.transaction`), so row-level security already confines them to
 * the actor's partnership; the partnership filters here pick the partnership's one row (it is
 * the key) and stay as a second line.
 */

export type PlanSettingsRow = typeof planSettings.$inferSelect;
export type PlanSettingsChanges = Partial<
  Pick<PlanSettingsRow, 'resourceAllocation' | 'refundInterestBasisPoints' | 'weeksPerYear' | 'firstReviewWeeks' | 'reviewIntervalMonths' | 'reminderDaysBefore'>
>;

export async function findPlanSettings(q: DbOrTx, partnershipId: string): Promise<PlanSettingsRow | undefined> {
  return (await q.select().from(planSettings).where(eq(planSettings.partnershipId, partnershipId)))[0];
}

/** The settings with the name of whoever saved them last. */
export async function findPlanSettingsWithEditor(q: DbOrTx, partnershipId: string): Promise<{ settings: PlanSettingsRow; updatedByName: string | null } | undefined> {
  const rows = await q
    .select({ settings: planSettings, updatedByName: appUser.displayName })
    .from(planSettings)
    .leftJoin(appUser, eq(appUser.id, planSettings.updatedBy))
    .where(eq(planSettings.partnershipId, partnershipId));
  return rows[0];
}

/** Insert the given values unless the partnership already has a row: the new row, or undefined. */
export async function insertPlanSettingsIfMissing(
  tx: DbOrTx,
  values: Pick<PlanSettingsRow, 'partnershipId' | 'resourceAllocation' | 'refundInterestBasisPoints' | 'weeksPerYear'>,
): Promise<PlanSettingsRow | undefined> {
  const created = await tx.insert(planSettings).values(values).onConflictDoNothing({ target: planSettings.partnershipId }).returning();
  return created[0];
}

/** Update the row saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updatePlanSettingsAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  version: number,
  changes: PlanSettingsChanges,
  by: { userId: string | null; at: Date },
): Promise<PlanSettingsRow[]> {
  return tx
    .update(planSettings)
    .set({ ...changes, updatedBy: by.userId, updatedAt: by.at, version: version + 1 })
    .where(and(eq(planSettings.partnershipId, partnershipId), eq(planSettings.version, version)))
    .returning();
}
