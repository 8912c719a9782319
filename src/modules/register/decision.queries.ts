import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Decision, LegalPosition } from '../../domain/rules/index.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { legalEvent, person, task } from './schema.ts';

/*
 * The stored decision's data layer (decision.ts holds the rules around it). Every function
 * takes the caller's handle: the door's (`ctx.data.read` / `ctx.data.transaction`), or the
 * transaction of another module that records legal events or reads a history inside its own.
 */

export interface StoredEvent {
  id: string;
  type: string;
  occurredOn: string;
  payload: unknown;
}

/** A person's legal history, removed events left out, in the order the rules take it. */
export async function loadHistory(tx: DbOrTx, partnershipId: string, personId: string): Promise<StoredEvent[]> {
  return tx
    .select({ id: legalEvent.id, type: legalEvent.type, occurredOn: legalEvent.occurredOn, payload: legalEvent.payload })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), eq(legalEvent.personId, personId), isNull(legalEvent.voidedAt)))
    .orderBy(asc(legalEvent.occurredOn), asc(legalEvent.sequence));
}

/** The organisation with this code or ONS code in the partnership, if any. */
export async function organisationIdByCode(q: DbOrTx, partnershipId: string, code: string | null): Promise<string | null> {
  if (!code) return null;
  const rows = await q
    .select({ id: organisation.id })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), or(eq(organisation.code, code), eq(organisation.onsCode, code))));
  return rows[0]?.id ?? null;
}

/** The person's stored status and NHS number, before a new decision is written (for the status-change event). */
export async function statusBeforeDecision(q: DbOrTx, partnershipId: string, personId: string): Promise<{ status: string; nhsNumber: string } | undefined> {
  return (await q.select({ status: person.status, nhsNumber: person.nhsNumber }).from(person).where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId))))[0];
}

/** Write the decision, its summary columns and the legal position on the person (the version moves on). */
export async function updatePersonDecision(q: DbOrTx, partnershipId: string, personId: string, decision: Decision, legalPosition: LegalPosition[], asOf: string, at: Date): Promise<void> {
  await q
    .update(person)
    .set({
      status: decision.status,
      entitlementStart: decision.entitlementStart,
      responsibleLocalAuthority: decision.responsibleLocalAuthority,
      responsibleIcb: decision.responsibleIcb,
      nextReviewDue: decision.nextReviewDue,
      flags: [...decision.flags],
      legalPosition,
      decision,
      decidedOn: asOf,
      updatedAt: at,
      version: sql`${person.version} + 1`,
    })
    .where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId)));
}

/** The person's open tasks raised by flags. */
export async function openFlagTasks(q: DbOrTx, partnershipId: string, personId: string): Promise<Array<{ id: string; flag: string | null }>> {
  return q
    .select({ id: task.id, flag: task.flag })
    .from(task)
    .where(and(eq(task.partnershipId, partnershipId), eq(task.personId, personId), eq(task.kind, 'flag'), eq(task.status, 'open')));
}

/** Close a flag task whose question the legal history no longer raises. */
export async function cancelFlagTask(q: DbOrTx, partnershipId: string, taskId: string, at: Date): Promise<void> {
  await q
    .update(task)
    .set({ status: 'cancelled', outcome: 'Closed automatically: the legal history no longer raises this question.', completedAt: at, updatedAt: at })
    .where(and(eq(task.partnershipId, partnershipId), eq(task.id, taskId)));
}

export async function insertFlagTask(
  q: DbOrTx,
  values: { partnershipId: string; personId: string; flag: string; title: string; detail: string; ownerOrganisationId: string; dueOn: string },
): Promise<void> {
  await q.insert(task).values({ ...values, kind: 'flag' });
}
