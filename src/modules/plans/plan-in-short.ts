import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { aftercarePlan, planNeed, planService } from './schema.ts';

/**
 * The section 117 needs and services of the person's approved plan, in the plan's own words: the
 * plan part of the statement of entitlement (src/modules/documents, registered in src/app.ts).
 */
export async function approvedPlanInShort(db: DbOrTx, partnershipId: string, personId: string): Promise<{ needs: string[]; services: string[] } | null> {
  const approved = (
    await db
      .select({ id: aftercarePlan.id })
      .from(aftercarePlan)
      .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId), eq(aftercarePlan.status, 'approved')))
      .limit(1)
  )[0];
  if (!approved) return null;
  const [needs, services] = await Promise.all([
    db
      .select({ description: planNeed.description })
      .from(planNeed)
      .where(and(eq(planNeed.partnershipId, partnershipId), eq(planNeed.planId, approved.id), eq(planNeed.s117, true)))
      .orderBy(asc(planNeed.position)),
    db
      .select({ serviceType: planService.serviceType, frequency: planService.frequency })
      .from(planService)
      .where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, approved.id), eq(planService.s117, true)))
      .orderBy(asc(planService.position)),
  ]);
  return { needs: needs.map((n) => n.description), services: services.map((s) => `${s.serviceType}: ${s.frequency}`) };
}
