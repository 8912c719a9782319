import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { appUser } from '../db/schema.ts';
import { partnershipSignInSettings, userRecoveryCode, userSecondFactor } from './schema.ts';

/*
 * The second factor's data layer (issue 14, item 3). Sign-in runs outside the door (as the
 * tables' owner, like the password step); the account pages and the administrators' reset hand
 * these functions the handle the door gave them, so row-level security applies there.
 */

export type SecondFactorRow = typeof userSecondFactor.$inferSelect;

export async function findSecondFactor(q: DbOrTx, userId: string): Promise<SecondFactorRow | undefined> {
  return (await q.select().from(userSecondFactor).where(eq(userSecondFactor.userId, userId)))[0];
}

/** Start (or start again) setting up: a new unconfirmed secret, unless a confirmed one exists. */
export async function upsertUnconfirmedSecondFactor(tx: DbOrTx, values: { partnershipId: string; userId: string; secretEncrypted: string; at: Date }): Promise<SecondFactorRow | undefined> {
  const rows = await tx
    .insert(userSecondFactor)
    .values({ partnershipId: values.partnershipId, userId: values.userId, secretEncrypted: values.secretEncrypted, createdAt: values.at, updatedAt: values.at })
    .onConflictDoUpdate({
      target: [userSecondFactor.partnershipId, userSecondFactor.userId],
      set: { secretEncrypted: values.secretEncrypted, lastUsedStep: null, updatedAt: values.at, version: sql`${userSecondFactor.version} + 1` },
      setWhere: isNull(userSecondFactor.confirmedAt),
    })
    .returning();
  return rows[0];
}

export async function confirmSecondFactor(tx: DbOrTx, userId: string, step: number, at: Date): Promise<SecondFactorRow | undefined> {
  const rows = await tx
    .update(userSecondFactor)
    .set({ confirmedAt: at, lastUsedStep: step, updatedAt: at, version: sql`${userSecondFactor.version} + 1` })
    .where(and(eq(userSecondFactor.userId, userId), isNull(userSecondFactor.confirmedAt)))
    .returning();
  return rows[0];
}

/** Record the step of an accepted code, unless a code of that step or later was accepted first (a replay): true when recorded. */
export async function useTimeStep(tx: DbOrTx, userId: string, step: number, at: Date): Promise<boolean> {
  const rows = await tx
    .update(userSecondFactor)
    .set({ lastUsedStep: step, updatedAt: at })
    .where(and(eq(userSecondFactor.userId, userId), isNotNull(userSecondFactor.confirmedAt), or(isNull(userSecondFactor.lastUsedStep), lt(userSecondFactor.lastUsedStep, step))))
    .returning({ userId: userSecondFactor.userId });
  return rows.length === 1;
}

export async function replaceRecoveryCodes(tx: DbOrTx, partnershipId: string, userId: string, hashes: string[], at: Date): Promise<void> {
  await tx.delete(userRecoveryCode).where(eq(userRecoveryCode.userId, userId));
  await tx.insert(userRecoveryCode).values(hashes.map((codeHash, position) => ({ partnershipId, userId, position, codeHash, createdAt: at })));
}

/** Mark an unused recovery code used: true if there was one with this hash. */
export async function useRecoveryCode(tx: DbOrTx, userId: string, codeHash: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(userRecoveryCode)
    .set({ usedAt: at })
    .where(and(eq(userRecoveryCode.userId, userId), eq(userRecoveryCode.codeHash, codeHash), isNull(userRecoveryCode.usedAt)))
    .returning({ position: userRecoveryCode.position });
  return rows.length === 1;
}

export async function countUnusedRecoveryCodes(q: DbOrTx, userId: string): Promise<number> {
  const rows = await q
    .select({ n: sql<number>`count(*)::int` })
    .from(userRecoveryCode)
    .where(and(eq(userRecoveryCode.userId, userId), isNull(userRecoveryCode.usedAt)));
  return rows[0]?.n ?? 0;
}

/** Remove a user's second factor and recovery codes (an administrator's reset): the factor removed, if any. */
export async function deleteSecondFactor(tx: DbOrTx, userId: string): Promise<SecondFactorRow | undefined> {
  await tx.delete(userRecoveryCode).where(eq(userRecoveryCode.userId, userId));
  return (await tx.delete(userSecondFactor).where(eq(userSecondFactor.userId, userId)).returning())[0];
}

/** Which of these users have a confirmed second factor. */
export async function findUsersWithSecondFactor(q: DbOrTx, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await q
    .select({ userId: userSecondFactor.userId })
    .from(userSecondFactor)
    .where(and(inArray(userSecondFactor.userId, userIds), isNotNull(userSecondFactor.confirmedAt)));
  return new Set(rows.map((r) => r.userId));
}

export type SignInSettingsRow = typeof partnershipSignInSettings.$inferSelect;

export async function findSignInSettings(q: DbOrTx, partnershipId: string): Promise<SignInSettingsRow | undefined> {
  return (await q.select().from(partnershipSignInSettings).where(eq(partnershipSignInSettings.partnershipId, partnershipId)))[0];
}

export async function insertSignInSettingsIfMissing(tx: DbOrTx, partnershipId: string): Promise<SignInSettingsRow | undefined> {
  return (await tx.insert(partnershipSignInSettings).values({ partnershipId }).onConflictDoNothing({ target: partnershipSignInSettings.partnershipId }).returning())[0];
}

export async function updateSignInSettingsAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  version: number,
  requireSecondFactorForAll: boolean,
  by: { userId: string | null; at: Date },
): Promise<SignInSettingsRow[]> {
  return tx
    .update(partnershipSignInSettings)
    .set({ requireSecondFactorForAll, updatedBy: by.userId, updatedAt: by.at, version: version + 1 })
    .where(and(eq(partnershipSignInSettings.partnershipId, partnershipId), eq(partnershipSignInSettings.version, version)))
    .returning();
}

/** The user's email, for the authenticator app's label. */
export async function findUserEmailForFactor(q: DbOrTx, userId: string): Promise<string | undefined> {
  return (await q.select({ email: appUser.email }).from(appUser).where(eq(appUser.id, userId)))[0]?.email;
}
