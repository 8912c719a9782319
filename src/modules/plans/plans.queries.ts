import { usersWithRoles, type Recipient } from '../../platform/notifications/recipients.ts';
import { and, asc, desc, eq, inArray, max, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';
import { aftercarePlan, budgetRequest, fundingAgreementPolicy, planAgreement, planNeed, planService } from './schema.ts';

/*
 * The plans module's data layer: the only files of the module that import drizzle-orm or the
 * tables. The services hand these functions the handle the door gave them (`ctx.data.read` /
 * `ctx.data.transaction`), so row-level security already confines them to the actor's
 * partnership; the partnership filters stay, as the leading index key and a second line.
 */

export type PlanRow = typeof aftercarePlan.$inferSelect;
export type NeedRow = typeof planNeed.$inferSelect;
export type ServiceRow = typeof planService.$inferSelect;
export type BudgetRequestRow = typeof budgetRequest.$inferSelect;
export type AgreementRow = typeof planAgreement.$inferSelect;
export type FundingPolicyRow = typeof fundingAgreementPolicy.$inferSelect;
type PlanChanges = Partial<Omit<typeof aftercarePlan.$inferInsert, 'id' | 'partnershipId' | 'personId'>>;
type NeedChanges = Partial<Omit<typeof planNeed.$inferInsert, 'id' | 'partnershipId' | 'planId' | 'personId'>>;
type ServiceChanges = Partial<Omit<typeof planService.$inferInsert, 'id' | 'partnershipId' | 'planId' | 'personId'>>;


// ---- Plans

export async function findPlan(q: DbOrTx, partnershipId: string, personId: string, planId: string): Promise<PlanRow | undefined> {
  return (await q.select().from(aftercarePlan).where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.id, planId), eq(aftercarePlan.personId, personId))))[0];
}

/** The person's plans, newest first. */
export async function findPlansOfPerson(q: DbOrTx, partnershipId: string, personId: string): Promise<PlanRow[]> {
  return q
    .select()
    .from(aftercarePlan)
    .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId)))
    .orderBy(desc(aftercarePlan.planNumber));
}

/** The person's plans, newest first, with the name of whoever approved each. */
export async function findPlansWithApprover(q: DbOrTx, partnershipId: string, personId: string): Promise<Array<{ plan: PlanRow; approvedByName: string | null }>> {
  return q
    .select({ plan: aftercarePlan, approvedByName: appUser.displayName })
    .from(aftercarePlan)
    .leftJoin(appUser, eq(appUser.id, aftercarePlan.approvedBy))
    .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId)))
    .orderBy(desc(aftercarePlan.planNumber));
}

export async function highestPlanNumber(q: DbOrTx, partnershipId: string, personId: string): Promise<number> {
  const [aggregate] = await q
    .select({ n: max(aftercarePlan.planNumber) })
    .from(aftercarePlan)
    .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId)));
  return aggregate?.n ?? 0;
}

export async function insertPlan(q: DbOrTx, values: typeof aftercarePlan.$inferInsert): Promise<PlanRow> {
  return (await q.insert(aftercarePlan).values(values).returning())[0]!;
}

/** Change a plan whatever its version: the changed row, or undefined. */
export async function updatePlan(q: DbOrTx, partnershipId: string, planId: string, changes: PlanChanges): Promise<PlanRow | undefined> {
  return (await q.update(aftercarePlan).set(changes).where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.id, planId))).returning())[0];
}

/** Change the plan saved at `version` (optimistic concurrency), in the given status if one is given: none if somebody saved first. */
export async function updatePlanAtVersion(q: DbOrTx, partnershipId: string, planId: string, version: number, changes: PlanChanges, status?: PlanRow['status']): Promise<PlanRow[]> {
  return q
    .update(aftercarePlan)
    .set(changes)
    .where(
      and(
        eq(aftercarePlan.partnershipId, partnershipId),
        eq(aftercarePlan.id, planId),
        eq(aftercarePlan.version, version),
        ...(status ? [eq(aftercarePlan.status, status)] : []),
      ),
    )
    .returning();
}

/** Mark the person's approved plan (if any) superseded: the plans changed. */
export async function supersedeApprovedPlans(q: DbOrTx, partnershipId: string, personId: string, at: Date): Promise<Array<{ id: string; planNumber: number }>> {
  return q
    .update(aftercarePlan)
    .set({ status: 'superseded', supersededAt: at, version: sql`${aftercarePlan.version} + 1`, updatedAt: at })
    .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId), eq(aftercarePlan.status, 'approved')))
    .returning({ id: aftercarePlan.id, planNumber: aftercarePlan.planNumber });
}

// ---- Needs and services

export async function findPlanParts(q: DbOrTx, partnershipId: string, planId: string): Promise<{ needs: NeedRow[]; services: ServiceRow[] }> {
  const [needs, services] = await Promise.all([
    q.select().from(planNeed).where(and(eq(planNeed.partnershipId, partnershipId), eq(planNeed.planId, planId))).orderBy(asc(planNeed.position), asc(planNeed.createdAt)),
    q.select().from(planService).where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, planId))).orderBy(asc(planService.position), asc(planService.createdAt)),
  ]);
  return { needs, services };
}

export async function findNeeds(q: DbOrTx, partnershipId: string, planId: string): Promise<NeedRow[]> {
  return q.select().from(planNeed).where(and(eq(planNeed.partnershipId, partnershipId), eq(planNeed.planId, planId)));
}

export async function countNeeds(q: DbOrTx, partnershipId: string, planId: string): Promise<number> {
  const [{ n } = { n: 0 }] = await q.select({ n: sql<number>`count(*)::int` }).from(planNeed).where(and(eq(planNeed.partnershipId, partnershipId), eq(planNeed.planId, planId)));
  return n;
}

export async function findNeed(q: DbOrTx, partnershipId: string, planId: string, needId: string): Promise<NeedRow | undefined> {
  return (await q.select().from(planNeed).where(and(eq(planNeed.partnershipId, partnershipId), eq(planNeed.planId, planId), eq(planNeed.id, needId))))[0];
}

export async function insertNeed(q: DbOrTx, values: typeof planNeed.$inferInsert): Promise<NeedRow> {
  return (await q.insert(planNeed).values(values).returning())[0]!;
}

export async function updateNeedRow(q: DbOrTx, partnershipId: string, needId: string, changes: NeedChanges): Promise<NeedRow | undefined> {
  return (await q.update(planNeed).set(changes).where(and(eq(planNeed.partnershipId, partnershipId), eq(planNeed.id, needId))).returning())[0];
}

export async function deleteNeed(q: DbOrTx, partnershipId: string, needId: string): Promise<void> {
  await q.delete(planNeed).where(and(eq(planNeed.partnershipId, partnershipId), eq(planNeed.id, needId)));
}

export async function findService(q: DbOrTx, partnershipId: string, planId: string, serviceId: string): Promise<ServiceRow | undefined> {
  return (await q.select().from(planService).where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, planId), eq(planService.id, serviceId))))[0];
}

export async function insertService(q: DbOrTx, values: typeof planService.$inferInsert): Promise<ServiceRow> {
  return (await q.insert(planService).values(values).returning())[0]!;
}

export async function updateServiceRow(q: DbOrTx, partnershipId: string, serviceId: string, changes: ServiceChanges): Promise<ServiceRow | undefined> {
  return (await q.update(planService).set(changes).where(and(eq(planService.partnershipId, partnershipId), eq(planService.id, serviceId))).returning())[0];
}

export async function deleteService(q: DbOrTx, partnershipId: string, serviceId: string): Promise<void> {
  await q.delete(planService).where(and(eq(planService.partnershipId, partnershipId), eq(planService.id, serviceId)));
}

// ---- Agreements of the paying bodies (issue 13)

/** The agreements recorded on a plan version, with who agreed and for which organisation. */
export async function findAgreements(q: DbOrTx, partnershipId: string, planId: string): Promise<Array<{ agreement: AgreementRow; agreedByName: string | null; organisationName: string | null }>> {
  return q
    .select({ agreement: planAgreement, agreedByName: appUser.displayName, organisationName: organisation.name })
    .from(planAgreement)
    .leftJoin(appUser, eq(appUser.id, planAgreement.agreedBy))
    .leftJoin(organisation, eq(organisation.id, planAgreement.organisationId))
    .where(and(eq(planAgreement.partnershipId, partnershipId), eq(planAgreement.planId, planId)))
    .orderBy(asc(planAgreement.agreedAt));
}

export async function insertAgreement(q: DbOrTx, values: typeof planAgreement.$inferInsert): Promise<AgreementRow> {
  return (await q.insert(planAgreement).values(values).returning())[0]!;
}

/** Remove a version's agreements (it went back to draft, or its split changed): the removed rows. */
export async function deleteAgreements(q: DbOrTx, partnershipId: string, planId: string): Promise<AgreementRow[]> {
  return q.delete(planAgreement).where(and(eq(planAgreement.partnershipId, partnershipId), eq(planAgreement.planId, planId))).returning();
}

/** The partnership's organisations with one of the given codes (ODS or ONS): id, name and type. */
export async function findOrganisationsByCode(q: DbOrTx, partnershipId: string, codes: string[]): Promise<Array<{ id: string; code: string; onsCode: string | null; name: string; type: string }>> {
  if (codes.length === 0) return [];
  return q
    .select({ id: organisation.id, code: organisation.code, onsCode: organisation.onsCode, name: organisation.name, type: organisation.type })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), or(...codes.flatMap((c) => [eq(organisation.code, c), eq(organisation.onsCode, c)]))));
}

/** Active users of an organisation holding any of the roles (the body's approvers, to tell them a plan waits on them). */
export async function findOrganisationUsersWithRoles(q: DbOrTx, partnershipId: string, organisationId: string, roles: string[]): Promise<Recipient[]> {
  return usersWithRoles(q, partnershipId, [organisationId], roles);
}

/**
 * Submitted plans waiting for the agreement of one of the given organisations' bodies: the plans
 * of people whose responsible local authority or ICB is one of `codes` (their code or ONS code),
 * with the bodies already agreed. The service works out which still wait (it knows the rule).
 */
export async function findSubmittedPlansForBodies(q: DbOrTx, partnershipId: string, codes: string[]): Promise<Array<{ plan: PlanRow; agreedBodies: string[] }>> {
  if (codes.length === 0) return [];
  const plans = await q
    .select({ plan: aftercarePlan })
    .from(aftercarePlan)
    .innerJoin(person, and(eq(person.partnershipId, aftercarePlan.partnershipId), eq(person.id, aftercarePlan.personId)))
    .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.status, 'submitted'), or(inArray(person.responsibleLocalAuthority, codes), inArray(person.responsibleIcb, codes))))
    .orderBy(asc(aftercarePlan.submittedAt))
    .limit(200);
  if (plans.length === 0) return [];
  const ids = plans.map((r) => r.plan.id);
  const agreements = await q.select({ planId: planAgreement.planId, body: planAgreement.body }).from(planAgreement).where(and(eq(planAgreement.partnershipId, partnershipId), inArray(planAgreement.planId, ids)));
  return plans.map(({ plan }) => ({ plan, agreedBodies: agreements.filter((a) => a.planId === plan.id).map((a) => a.body) }));
}

/** The people with these ids (the service checks what the actor may do with each). */
export async function findPersonNames(q: DbOrTx, partnershipId: string, ids: string[]): Promise<Array<typeof person.$inferSelect>> {
  if (ids.length === 0) return [];
  return q.select().from(person).where(and(eq(person.partnershipId, partnershipId), inArray(person.id, ids)));
}

// ---- The partnership's funding agreement policy (issue 13)

export async function findFundingPolicy(q: DbOrTx, partnershipId: string): Promise<FundingPolicyRow | undefined> {
  return (await q.select().from(fundingAgreementPolicy).where(eq(fundingAgreementPolicy.partnershipId, partnershipId)))[0];
}

export async function findFundingPolicyWithEditor(q: DbOrTx, partnershipId: string): Promise<{ policy: FundingPolicyRow; updatedByName: string | null } | undefined> {
  return (
    await q
      .select({ policy: fundingAgreementPolicy, updatedByName: appUser.displayName })
      .from(fundingAgreementPolicy)
      .leftJoin(appUser, eq(appUser.id, fundingAgreementPolicy.updatedBy))
      .where(eq(fundingAgreementPolicy.partnershipId, partnershipId))
  )[0];
}

/** Insert the policy (version 1) or change it at `version`: the saved row, or undefined if somebody saved first. */
export async function saveFundingPolicy(
  q: DbOrTx,
  partnershipId: string,
  version: number,
  values: { icbThresholdWeeklyPence: number | null; icbAlwaysForHealthNeeds: boolean; basis: string; updatedBy: string | null; updatedAt: Date },
): Promise<FundingPolicyRow | undefined> {
  if (version === 0) {
    return (await q.insert(fundingAgreementPolicy).values({ partnershipId, ...values }).onConflictDoNothing({ target: fundingAgreementPolicy.partnershipId }).returning())[0];
  }
  return (
    await q
      .update(fundingAgreementPolicy)
      .set({ ...values, version: version + 1 })
      .where(and(eq(fundingAgreementPolicy.partnershipId, partnershipId), eq(fundingAgreementPolicy.version, version)))
      .returning()
  )[0];
}

// ---- Budget requests

export async function findBudgetRequests(q: DbOrTx, partnershipId: string, personId: string): Promise<BudgetRequestRow[]> {
  return q
    .select()
    .from(budgetRequest)
    .where(and(eq(budgetRequest.partnershipId, partnershipId), eq(budgetRequest.personId, personId)))
    .orderBy(desc(budgetRequest.requestedOn));
}

export async function insertBudgetRequest(q: DbOrTx, values: typeof budgetRequest.$inferInsert): Promise<BudgetRequestRow> {
  return (await q.insert(budgetRequest).values(values).returning())[0]!;
}

// ---- Names and organisations

/** The display names of the given users (ids that match no user are left out). */
export async function findUserNames(q: DbOrTx, userIds: string[]): Promise<Array<{ id: string; name: string }>> {
  if (userIds.length === 0) return [];
  return q.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(inArray(appUser.id, userIds));
}

export async function findOrganisationName(q: DbOrTx, organisationId: string): Promise<string | null> {
  return (await q.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, organisationId)))[0]?.name ?? null;
}

export interface OrganisationContactRow {
  code: string;
  onsCode: string | null;
  name: string;
  contactPhone: string | null;
  contactEmail: string | null;
  contactAddress: string | null;
}

/** The partnership's organisations with one of the given codes (ODS or ONS). */
export async function findOrganisationContacts(q: DbOrTx, partnershipId: string, codes: string[]): Promise<OrganisationContactRow[]> {
  if (codes.length === 0) return [];
  return q
    .select({ code: organisation.code, onsCode: organisation.onsCode, name: organisation.name, contactPhone: organisation.contactPhone, contactEmail: organisation.contactEmail, contactAddress: organisation.contactAddress })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), or(...codes.flatMap((c) => [eq(organisation.code, c), eq(organisation.onsCode, c)]))));
}

// ---- The approved plan in short (for the statement of entitlement)

export async function findApprovedPlanInShort(q: DbOrTx, partnershipId: string, personId: string): Promise<{ needs: string[]; services: string[] } | null> {
  const approved = (
    await q
      .select({ id: aftercarePlan.id })
      .from(aftercarePlan)
      .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId), eq(aftercarePlan.status, 'approved')))
      .limit(1)
  )[0];
  if (!approved) return null;
  const [needs, services] = await Promise.all([
    q
      .select({ description: planNeed.description })
      .from(planNeed)
      .where(and(eq(planNeed.partnershipId, partnershipId), eq(planNeed.planId, approved.id), eq(planNeed.s117, true)))
      .orderBy(asc(planNeed.position)),
    q
      .select({ serviceType: planService.serviceType, frequency: planService.frequency })
      .from(planService)
      .where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, approved.id), eq(planService.s117, true)))
      .orderBy(asc(planService.position)),
  ]);
  return { needs: needs.map((n) => n.description), services: services.map((s) => `${s.serviceType}: ${s.frequency}`) };
}
