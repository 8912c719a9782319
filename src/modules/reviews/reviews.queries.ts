import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser } from '../../platform/db/schema.ts';
import { aftercarePlan } from '../plans/index.ts';
import { review } from './schema.ts';

/*
 * The reviews' data layer: the only file of the reviews use cases that imports drizzle-orm. The
 * services hand these functions the query handle the door gave them (`ctx.data.read` /
 * `ctx.data.transaction`), so row-level security already confines them to the actor's
 * partnership; the partnership filters stay as the leading index key and a second line.
 */

export type ReviewRow = typeof review.$inferSelect;
export type NewReview = typeof review.$inferInsert;
type ReviewChanges = Partial<Omit<ReviewRow, 'id' | 'partnershipId' | 'personId' | 'version' | 'createdAt' | 'createdBy'>>;

/** The person's latest approved plan, if any. */
export async function findApprovedPlan(q: DbOrTx, partnershipId: string, personId: string): Promise<{ id: string; planNumber: number; goals: string | null } | undefined> {
  return (
    await q
      .select({ id: aftercarePlan.id, planNumber: aftercarePlan.planNumber, goals: aftercarePlan.goals })
      .from(aftercarePlan)
      .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId), eq(aftercarePlan.status, 'approved')))
      .orderBy(desc(aftercarePlan.planNumber))
      .limit(1)
  )[0];
}

export async function findReview(q: DbOrTx, partnershipId: string, personId: string, reviewId: string): Promise<ReviewRow | undefined> {
  return (await q.select().from(review).where(and(eq(review.partnershipId, partnershipId), eq(review.personId, personId), eq(review.id, reviewId))))[0];
}

/** The person's scheduled (not yet held) review, if any. */
export async function findScheduledReview(q: DbOrTx, partnershipId: string, personId: string): Promise<ReviewRow | undefined> {
  return (await q.select().from(review).where(and(eq(review.partnershipId, partnershipId), eq(review.personId, personId), eq(review.status, 'scheduled'))).limit(1))[0];
}

export async function insertReview(tx: DbOrTx, values: NewReview): Promise<ReviewRow> {
  const [created] = await tx.insert(review).values(values).returning();
  return created!;
}

/** Complete a scheduled review saved at `version` (optimistic concurrency): the row, or none if somebody saved first or it is no longer scheduled. */
export async function updateScheduledReviewAtVersion(tx: DbOrTx, partnershipId: string, reviewId: string, version: number, changes: ReviewChanges): Promise<ReviewRow[]> {
  return tx
    .update(review)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(review.partnershipId, partnershipId), eq(review.id, reviewId), eq(review.version, version), eq(review.status, 'scheduled')))
    .returning();
}

/** Link a review (just saved in this transaction) to its legal event and the plan it opened. */
export async function linkReview(tx: DbOrTx, partnershipId: string, reviewId: string, links: Pick<ReviewRow, 'legalEventId' | 'newPlanId'>): Promise<ReviewRow> {
  const [updated] = await tx.update(review).set(links).where(and(eq(review.partnershipId, partnershipId), eq(review.id, reviewId))).returning();
  return updated!;
}

/** The person's reviews, newest first, with the name of whoever completed each. */
export async function findPersonReviews(q: DbOrTx, partnershipId: string, personId: string): Promise<Array<{ review: ReviewRow; completedByName: string | null }>> {
  return q
    .select({ review, completedByName: appUser.displayName })
    .from(review)
    .leftJoin(appUser, eq(appUser.id, review.completedBy))
    .where(and(eq(review.partnershipId, partnershipId), eq(review.personId, personId)))
    .orderBy(desc(review.heldOn), desc(review.dueOn), desc(review.createdAt));
}

export async function findUserName(q: DbOrTx, userId: string): Promise<string | null> {
  return (await q.select({ n: appUser.displayName }).from(appUser).where(eq(appUser.id, userId)))[0]?.n ?? null;
}
