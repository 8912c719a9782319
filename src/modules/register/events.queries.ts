import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { legalEvent, person } from './schema.ts';

/*
 * The data layer of the one path for legal events (docs/decisions/0007-legal-events-one-path.md).
 * Only events.service.ts imports this file (events.architecture.test.ts checks it): the
 * writes below carry none of the rules around them (the workflow guard, validation, the
 * decision, the audit), which is events.service.ts's job. Every function takes the caller's
 * transaction: the door's, or that of another module recording events inside its own.
 */

export type LegalEventRow = typeof legalEvent.$inferSelect;
export type NewEventRow = typeof legalEvent.$inferInsert & { id: string; type: string; personId: string };
export type LockedPerson = Pick<
  typeof person.$inferSelect,
  'partnershipId' | 'dateOfBirth' | 'involvedOrganisations' | 'recordedByOrganisationId' | 'status' | 'entitlementStart' | 'responsibleLocalAuthority' | 'responsibleIcb' | 'nextReviewDue' | 'flags'
>;

/**
 * The person, locked for the change. The summary columns stand for the stored decision (they
 * are written together), so the decision itself, the largest value in the row, is not read.
 */
export async function lockPersonForEvents(tx: DbOrTx, partnershipId: string, personId: string): Promise<LockedPerson | undefined> {
  return (
    await tx
      .select({
        partnershipId: person.partnershipId,
        dateOfBirth: person.dateOfBirth,
        involvedOrganisations: person.involvedOrganisations,
        recordedByOrganisationId: person.recordedByOrganisationId,
        status: person.status,
        entitlementStart: person.entitlementStart,
        responsibleLocalAuthority: person.responsibleLocalAuthority,
        responsibleIcb: person.responsibleIcb,
        nextReviewDue: person.nextReviewDue,
        flags: person.flags,
      })
      .from(person)
      .where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId)))
      .for('update')
  )[0];
}

/** Events of the partnership already recorded under these externalIds. */
export async function eventsByExternalId(tx: DbOrTx, partnershipId: string, externalIds: string[]): Promise<LegalEventRow[]> {
  return tx.select().from(legalEvent).where(and(eq(legalEvent.partnershipId, partnershipId), inArray(legalEvent.externalId, externalIds)));
}

/** The last place in the order on each of these dates, removed events included. */
export async function lastSequenceOn(tx: DbOrTx, partnershipId: string, personId: string, dates: string[]): Promise<Array<{ on: string; last: number }>> {
  return tx
    .select({ on: legalEvent.occurredOn, last: sql<number>`max(${legalEvent.sequence})::int` })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), eq(legalEvent.personId, personId), inArray(legalEvent.occurredOn, dates)))
    .groupBy(legalEvent.occurredOn);
}

/** The decision stored on the person. */
export async function storedDecisionOf(tx: DbOrTx, partnershipId: string, personId: string): Promise<unknown> {
  return (await tx.select({ decision: person.decision }).from(person).where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId))))[0]?.decision;
}

/** A few rows, returned as stored (one multi-row statement). */
export async function insertEventRowsReturning(tx: DbOrTx, rows: NewEventRow[]): Promise<LegalEventRow[]> {
  return rows.length ? tx.insert(legalEvent).values(rows).returning() : [];
}

const INSERT_CHUNK = 2000;

/** Many rows (an import): one JSON parameter a statement, however many rows, 2,000 rows a statement. */
export async function insertEventRowsInBulk(tx: DbOrTx, partnershipId: string, rows: NewEventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const part = rows.slice(i, i + INSERT_CHUNK).map((r) => ({ id: r.id, person: r.personId, type: r.type, d: r.occurredOn, seq: r.sequence, payload: r.payload, hospital: r.hospital ?? null, ext: r.externalId ?? null, source: r.source ?? 'manual', by: r.recordedBy ?? null }));
    await tx.execute(sql`
      insert into legal_event (partnership_id, id, person_id, type, occurred_on, sequence, payload, hospital, external_id, source, recorded_by)
      select ${partnershipId}, x.id, x.person, x.type, x.d, x.seq, x.payload, x.hospital, x.ext, x.source, x.by
      from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as x(id uuid, person uuid, type text, d date, seq int, payload jsonb, hospital text, ext text, source text, by uuid)`);
  }
}

export async function setInvolvedOrganisations(tx: DbOrTx, partnershipId: string, personId: string, organisationIds: string[]): Promise<void> {
  await tx.update(person).set({ involvedOrganisations: organisationIds }).where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId)));
}

/** The type of one of the person's events, removed or not. */
export async function eventTypeOf(tx: DbOrTx, partnershipId: string, personId: string, eventId: string): Promise<string | undefined> {
  return (
    await tx
      .select({ type: legalEvent.type })
      .from(legalEvent)
      .where(and(eq(legalEvent.partnershipId, partnershipId), eq(legalEvent.personId, personId), eq(legalEvent.id, eventId)))
  )[0]?.type;
}

/** Void the event saved at `version` (optimistic concurrency): the voided row, or none if somebody changed it first or it is already removed. */
export async function voidEventAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  personId: string,
  eventId: string,
  version: number,
  reason: string,
  at: Date,
): Promise<LegalEventRow[]> {
  return tx
    .update(legalEvent)
    .set({ voidedAt: at, voidReason: reason, version: version + 1, updatedAt: at })
    .where(and(eq(legalEvent.partnershipId, partnershipId), eq(legalEvent.personId, personId), eq(legalEvent.id, eventId), eq(legalEvent.version, version), isNull(legalEvent.voidedAt)))
    .returning();
}
