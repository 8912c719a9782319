import { and, asc, desc, eq, inArray, max, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordChange, type AuditScope } from '../../platform/audit/audit.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { aftercarePlan, budgetRequest, planNeed, planService } from './schema.ts';

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
type PlanChanges = Partial<Omit<typeof aftercarePlan.$inferInsert, 'id' | 'partnershipId' | 'personId'>>;
type NeedChanges = Partial<Omit<typeof planNeed.$inferInsert, 'id' | 'partnershipId' | 'planId' | 'personId'>>;
type ServiceChanges = Partial<Omit<typeof planService.$inferInsert, 'id' | 'partnershipId' | 'planId' | 'personId'>>;

const isUuid = (id: string) => z.uuid().safeParse(id).success;

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

// ---- Funding panel decisions (issue 6), in the panels module's transaction

/**
 * Record a funding panel's decided split on every service of a plan, whatever the plan's
 * status: it is the panel's recorded decision (R26: the split is stored per package with its
 * basis). Runs in the caller's transaction (the panels module's door transaction hands its
 * `tx`); bumps the plan's version (so a draft open in another tab is not saved over silently)
 * and writes an audit event naming the panel case in the same transaction.
 */
export async function applyPanelSplit(
  tx: DbOrTx,
  ctx: AuditScope & { clock?: { now(): Date } },
  personId: string,
  planId: string,
  laBasisPoints: number,
  basis: string,
  panelCaseId: string,
): Promise<ServiceRow[]> {
  if (!Number.isInteger(laBasisPoints) || laBasisPoints < 0 || laBasisPoints > 10_000) throw new InputError([{ path: 'localAuthorityPercent', message: 'The local authority share must be from 0% to 100%' }]);
  const why = basis.trim();
  if (!why) throw new InputError([{ path: 'basis', message: 'Record the basis of the split' }]);
  if (!isUuid(planId)) throw new NotFoundError('Plan not found');
  const partnershipId = ctx.actor.partnershipId;
  const now = ctx.clock ? ctx.clock.now() : new Date();
  const plan = await findPlan(tx, partnershipId, personId, planId);
  if (!plan) throw new NotFoundError('Plan not found');
  const before = await tx.select().from(planService).where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, planId)));
  const after = await tx
    .update(planService)
    .set({ localAuthorityBasisPoints: laBasisPoints, splitBasis: why, version: sql`${planService.version} + 1`, updatedAt: now })
    .where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, planId)))
    .returning();
  await tx
    .update(aftercarePlan)
    .set({ version: sql`${aftercarePlan.version} + 1`, updatedAt: now })
    .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.id, planId)));
  await recordChange(tx, ctx, {
    action: 'plan.panel-split-applied',
    subjectType: 'person',
    subjectId: personId,
    before: { planId, services: before.map((s) => ({ id: s.id, localAuthorityBasisPoints: s.localAuthorityBasisPoints, splitBasis: s.splitBasis })) },
    after: { planId, panelCaseId, localAuthorityBasisPoints: laBasisPoints, splitBasis: why, services: after.map((s) => s.id) },
  });
  return after;
}
