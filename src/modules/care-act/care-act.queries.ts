import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser } from '../../platform/db/schema.ts';
import { aftercarePlan, planService } from '../plans/index.ts';
import { careActAssessment, financialAssessment } from './schema.ts';

/* The Care Act module's data layer, handed the door's handle by the service (row-level security applies). */

export type CareActAssessmentRow = typeof careActAssessment.$inferSelect;
export type FinancialAssessmentRow = typeof financialAssessment.$inferSelect;

/** A person's assessments, newest first, with who assessed each. */
export async function findAssessments(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ assessment: careActAssessment, assessorName: appUser.displayName })
    .from(careActAssessment)
    .leftJoin(appUser, eq(appUser.id, careActAssessment.assessedBy))
    .where(and(eq(careActAssessment.partnershipId, partnershipId), eq(careActAssessment.personId, personId)))
    .orderBy(desc(careActAssessment.createdAt));
}

export async function findAssessment(q: DbOrTx, partnershipId: string, personId: string, id: string, lock = false): Promise<CareActAssessmentRow | undefined> {
  const query = q
    .select()
    .from(careActAssessment)
    .where(and(eq(careActAssessment.partnershipId, partnershipId), eq(careActAssessment.personId, personId), eq(careActAssessment.id, id)));
  return (await (lock ? query.for('update') : query))[0];
}

export async function insertAssessment(q: DbOrTx, values: typeof careActAssessment.$inferInsert): Promise<CareActAssessmentRow> {
  return (await q.insert(careActAssessment).values(values).returning())[0]!;
}

/** Update a draft saved at `version` (optimistic concurrency): the updated row, or none. */
export async function updateDraftAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, changes: Partial<typeof careActAssessment.$inferInsert>): Promise<CareActAssessmentRow[]> {
  return q
    .update(careActAssessment)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(careActAssessment.partnershipId, partnershipId), eq(careActAssessment.id, id), eq(careActAssessment.version, version), eq(careActAssessment.status, 'draft')))
    .returning();
}

export async function findFinancialAssessments(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ assessment: financialAssessment, assessorName: appUser.displayName, planNumber: aftercarePlan.planNumber })
    .from(financialAssessment)
    .leftJoin(appUser, eq(appUser.id, financialAssessment.assessedBy))
    .leftJoin(aftercarePlan, and(eq(aftercarePlan.partnershipId, financialAssessment.partnershipId), eq(aftercarePlan.id, financialAssessment.planId)))
    .where(and(eq(financialAssessment.partnershipId, partnershipId), eq(financialAssessment.personId, personId)))
    .orderBy(desc(financialAssessment.createdAt));
}

export async function insertFinancialAssessment(q: DbOrTx, values: typeof financialAssessment.$inferInsert): Promise<FinancialAssessmentRow> {
  return (await q.insert(financialAssessment).values(values).returning())[0]!;
}

/** The person's current plan (the latest approved, draft or submitted one) and its lines, with their cost and whether each is section 117. */
export async function findCurrentPlanLines(q: DbOrTx, partnershipId: string, personId: string) {
  const plan = (
    await q
      .select({ id: aftercarePlan.id, planNumber: aftercarePlan.planNumber })
      .from(aftercarePlan)
      .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId), inArray(aftercarePlan.status, ['approved', 'draft', 'submitted'])))
      .orderBy(desc(aftercarePlan.planNumber))
      .limit(1)
  )[0];
  if (!plan) return null;
  const lines = await q
    .select({ id: planService.id, serviceType: planService.serviceType, provider: planService.provider, s117: planService.s117, weeklyCostPence: planService.weeklyCostPence })
    .from(planService)
    .where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, plan.id)))
    .orderBy(asc(planService.position), asc(planService.serviceType));
  return { plan, lines };
}
