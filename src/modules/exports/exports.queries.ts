import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { dispute } from '../disputes/index.ts';
import { aftercarePlan, planService } from '../plans/index.ts';
import { legalEvent, person } from '../register/index.ts';

/*
 * The exports module's data layer: the only file of the module that imports drizzle-orm. The
 * service hands these functions the handle of its ctx.data unit, so row-level security confines
 * them to the actor's partnership; `visible` (visiblePeople) confines them to the people the
 * actor may see, and the partnership filters stay as the leading index key.
 */

export type PersonRow = typeof person.$inferSelect;
export type PlanRow = typeof aftercarePlan.$inferSelect;
export type ServiceRow = typeof planService.$inferSelect;

export async function countPeople(q: DbOrTx, visible: SQL): Promise<number> {
  return (await q.select({ n: sql<number>`count(*)::int` }).from(person).where(visible))[0]!.n;
}

/** The people, by name. */
export async function findPeople(q: DbOrTx, visible: SQL): Promise<PersonRow[]> {
  return q.select().from(person).where(visible).orderBy(person.familyName, person.givenName, person.id);
}

/** What the monthly return needs of each person. */
export async function findPeopleForReturn(q: DbOrTx, visible: SQL) {
  return q
    .select({ id: person.id, responsibleLocalAuthority: person.responsibleLocalAuthority, nextReviewDue: person.nextReviewDue, decision: person.decision })
    .from(person)
    .where(visible);
}

/** The approved plans of the people. */
export async function findApprovedPlans(q: DbOrTx, partnershipId: string, personIds: readonly string[]): Promise<PlanRow[]> {
  return q
    .select()
    .from(aftercarePlan)
    .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.status, 'approved'), inArray(aftercarePlan.personId, [...personIds])));
}

/** Every plan of the people, whatever its status. */
export async function findPlansOf(q: DbOrTx, partnershipId: string, personIds: readonly string[]): Promise<PlanRow[]> {
  return q.select().from(aftercarePlan).where(and(eq(aftercarePlan.partnershipId, partnershipId), inArray(aftercarePlan.personId, [...personIds])));
}

/** The services of the plans, in their order on each plan. */
export async function findServicesInOrder(q: DbOrTx, partnershipId: string, planIds: readonly string[]): Promise<ServiceRow[]> {
  return q
    .select()
    .from(planService)
    .where(and(eq(planService.partnershipId, partnershipId), inArray(planService.planId, [...planIds])))
    .orderBy(planService.position);
}

/** The services of the plans. */
export async function findServicesOf(q: DbOrTx, partnershipId: string, planIds: readonly string[]): Promise<ServiceRow[]> {
  return q
    .select()
    .from(planService)
    .where(and(eq(planService.partnershipId, partnershipId), inArray(planService.planId, [...planIds])));
}

/** Reviews (not voided) of the people held between two dates. */
export async function findReviewsHeld(q: DbOrTx, partnershipId: string, personIds: readonly string[], first: string, last: string): Promise<Array<{ personId: string }>> {
  return q
    .select({ personId: legalEvent.personId })
    .from(legalEvent)
    .where(
      and(
        eq(legalEvent.partnershipId, partnershipId),
        inArray(legalEvent.personId, [...personIds]),
        eq(legalEvent.type, 'reviewed'),
        isNull(legalEvent.voidedAt),
        sql`${legalEvent.occurredOn} between ${first} and ${last}`,
      ),
    );
}

/** The disputes about the people. */
export async function findDisputesOf(q: DbOrTx, partnershipId: string, personIds: readonly string[]) {
  return q
    .select({ personId: dispute.personId, aroseOn: dispute.aroseOn, resolvedOn: dispute.resolvedOn })
    .from(dispute)
    .where(and(eq(dispute.partnershipId, partnershipId), inArray(dispute.personId, [...personIds])));
}
