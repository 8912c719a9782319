import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { aftercarePlan, planService } from '../plans/index.ts';
import { person, task } from '../register/index.ts';
import { personCharge } from './schema.ts';

/*
 * The charges module's data layer: the only files of the module that import drizzle-orm or the
 * tables. The services hand these functions the handle the door gave them (`ctx.data.read` /
 * `ctx.data.transaction`), so row-level security already confines them to the actor's
 * partnership; the partnership filters stay, as the leading index key and a second line.
 */

export type ChargeRow = typeof personCharge.$inferSelect;
export type TaskRow = typeof task.$inferSelect;

// ---- Charges

/** The person's charges, oldest first. */
export async function findCharges(q: DbOrTx, partnershipId: string, personId: string): Promise<ChargeRow[]> {
  return q
    .select()
    .from(personCharge)
    .where(and(eq(personCharge.partnershipId, partnershipId), eq(personCharge.personId, personId)))
    .orderBy(asc(personCharge.chargedFrom), asc(personCharge.paidOn), asc(personCharge.recordedAt));
}

/** The person's charges in the order the API has always given them (charged from, then paid on). */
export async function findChargesForApi(q: DbOrTx, partnershipId: string, personId: string): Promise<ChargeRow[]> {
  return q
    .select()
    .from(personCharge)
    .where(and(eq(personCharge.partnershipId, partnershipId), eq(personCharge.personId, personId)))
    .orderBy(personCharge.chargedFrom, personCharge.paidOn);
}

export async function findCharge(q: DbOrTx, partnershipId: string, personId: string, chargeId: string): Promise<ChargeRow | undefined> {
  return (await q.select().from(personCharge).where(and(eq(personCharge.partnershipId, partnershipId), eq(personCharge.personId, personId), eq(personCharge.id, chargeId))))[0];
}

export async function findChargeByExternalId(q: DbOrTx, partnershipId: string, externalId: string): Promise<ChargeRow | undefined> {
  return (await q.select().from(personCharge).where(and(eq(personCharge.partnershipId, partnershipId), eq(personCharge.externalId, externalId))))[0];
}

export async function insertCharge(q: DbOrTx, values: typeof personCharge.$inferInsert): Promise<ChargeRow> {
  return (await q.insert(personCharge).values(values).returning())[0]!;
}

/** Mark a charge due to be refunded as refunded, at `version` (optimistic concurrency): none if somebody saved first. */
export async function markChargeRefundedAtVersion(
  q: DbOrTx,
  partnershipId: string,
  chargeId: string,
  version: number,
  refund: { refundedOn: string; refundedPence: number; at: Date },
): Promise<ChargeRow[]> {
  return q
    .update(personCharge)
    .set({ status: 'refunded', refundedOn: refund.refundedOn, refundedPence: refund.refundedPence, version: version + 1, updatedAt: refund.at })
    .where(and(eq(personCharge.partnershipId, partnershipId), eq(personCharge.id, chargeId), eq(personCharge.version, version), eq(personCharge.status, 'refund-due')))
    .returning();
}

export async function countChargesDueRefund(q: DbOrTx, partnershipId: string, personId: string): Promise<number> {
  const left = await q
    .select({ n: sql<number>`count(*)::int` })
    .from(personCharge)
    .where(and(eq(personCharge.partnershipId, partnershipId), eq(personCharge.personId, personId), eq(personCharge.status, 'refund-due')));
  return left[0]?.n ?? 0;
}

// ---- Plan services to charge against

/** The latest plan of the person that is approved or in progress (draft or submitted). */
export async function findCurrentPlan(q: DbOrTx, partnershipId: string, personId: string): Promise<{ id: string; planNumber: number; status: string } | undefined> {
  return (
    await q
      .select({ id: aftercarePlan.id, planNumber: aftercarePlan.planNumber, status: aftercarePlan.status })
      .from(aftercarePlan)
      .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId), inArray(aftercarePlan.status, ['approved', 'draft', 'submitted'])))
      .orderBy(desc(aftercarePlan.planNumber))
      .limit(1)
  )[0];
}

export interface PlanServiceSummary {
  id: string;
  serviceType: string;
  provider: string;
  s117: boolean;
}

export async function findPlanServices(q: DbOrTx, partnershipId: string, planId: string): Promise<PlanServiceSummary[]> {
  return q
    .select({ id: planService.id, serviceType: planService.serviceType, provider: planService.provider, s117: planService.s117 })
    .from(planService)
    .where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, planId)))
    .orderBy(asc(planService.position), asc(planService.serviceType));
}

/** A service of any of the person's plans. */
export async function findPersonPlanService(q: DbOrTx, partnershipId: string, personId: string, serviceId: string): Promise<PlanServiceSummary | undefined> {
  return (
    await q
      .select({ id: planService.id, serviceType: planService.serviceType, provider: planService.provider, s117: planService.s117 })
      .from(planService)
      .where(and(eq(planService.partnershipId, partnershipId), eq(planService.personId, personId), eq(planService.id, serviceId)))
  )[0];
}

// ---- Refund tasks

export async function findOpenTask(q: DbOrTx, partnershipId: string, personId: string, kind: string): Promise<{ id: string } | undefined> {
  return (
    await q
      .select({ id: task.id })
      .from(task)
      .where(and(eq(task.partnershipId, partnershipId), eq(task.personId, personId), eq(task.kind, kind), eq(task.status, 'open')))
      .orderBy(asc(task.createdAt))
      .limit(1)
  )[0];
}

export async function insertTask(q: DbOrTx, values: typeof task.$inferInsert): Promise<TaskRow> {
  return (await q.insert(task).values(values).returning())[0]!;
}

/** Complete the person's open tasks of this kind: the tasks completed. */
export async function completeOpenTasks(q: DbOrTx, partnershipId: string, personId: string, kind: string, done: { outcome: string; by: string | null; at: Date }): Promise<TaskRow[]> {
  return q
    .update(task)
    .set({ status: 'done', outcome: done.outcome, completedAt: done.at, completedBy: done.by, updatedAt: done.at, version: sql`${task.version} + 1` })
    .where(and(eq(task.partnershipId, partnershipId), eq(task.personId, personId), eq(task.kind, kind), eq(task.status, 'open')))
    .returning();
}

// ---- Organisations and people

export async function findOrganisationIdByCode(q: DbOrTx, partnershipId: string, code: string): Promise<string | undefined> {
  return (await q.select({ id: organisation.id }).from(organisation).where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.code, code))))[0]?.id;
}

export async function findLetterSender(
  q: DbOrTx,
  partnershipId: string,
  code: string,
): Promise<{ name: string; contactPhone: string | null; contactEmail: string | null; contactAddress: string | null } | null> {
  return (
    (
      await q
        .select({ name: organisation.name, contactPhone: organisation.contactPhone, contactEmail: organisation.contactEmail, contactAddress: organisation.contactAddress })
        .from(organisation)
        .where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.code, code)))
    )[0] ?? null
  );
}

/** The ids of the people with these NHS numbers, in 500s. */
export async function findPeopleByNhsNumber(q: DbOrTx, partnershipId: string, numbers: string[]): Promise<Map<string, string>> {
  const people = new Map<string, string>();
  for (let i = 0; i < numbers.length; i += 500) {
    const rows = await q
      .select({ id: person.id, nhsNumber: person.nhsNumber })
      .from(person)
      .where(and(eq(person.partnershipId, partnershipId), inArray(person.nhsNumber, numbers.slice(i, i + 500))));
    for (const r of rows) people.set(r.nhsNumber, r.id);
  }
  return people;
}
