import { and, asc, desc, eq, inArray, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { person, type PersonRow } from '../register/index.ts';
import { dispute } from './schema.ts';

/*
 * The disputes module's data layer: the only file of the module that imports drizzle-orm. The
 * service and the person-page section hand these functions the query handle the door gave them
 * (`ctx.data.read` / `ctx.data.transaction`), so row-level security already confines them to
 * the actor's partnership; the partnership filters stay as the leading index key and a second line.
 */

export type DisputeRow = typeof dispute.$inferSelect;
export type NewDispute = typeof dispute.$inferInsert;
export type DisputeChanges = Partial<Omit<DisputeRow, 'id' | 'partnershipId' | 'personId' | 'version' | 'recordedAt' | 'createdAt' | 'createdBy'>>;

export type OrganisationChoice = { id: string; code: string; onsCode: string | null; name: string; type: string };

/** The local authorities and ICBs of the partnership: the bodies that can be party to a dispute. */
export async function disputeBodies(q: DbOrTx, partnershipId: string): Promise<OrganisationChoice[]> {
  return q
    .select({ id: organisation.id, code: organisation.code, onsCode: organisation.onsCode, name: organisation.name, type: organisation.type })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), inArray(organisation.type, ['local-authority', 'icb']), eq(organisation.active, true)))
    .orderBy(asc(organisation.type), asc(organisation.name));
}

/** The organisation of the partnership with this code or ONS code (the API names bodies by code). */
export async function findOrganisationIdByCode(q: DbOrTx, partnershipId: string, code: string): Promise<string | undefined> {
  const rows = await q
    .select({ id: organisation.id })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), or(eq(organisation.code, code), eq(organisation.onsCode, code))));
  return rows[0]?.id;
}

export async function findDispute(q: DbOrTx, partnershipId: string, disputeId: string): Promise<DisputeRow | undefined> {
  return (await q.select().from(dispute).where(and(eq(dispute.partnershipId, partnershipId), eq(dispute.id, disputeId))))[0];
}

export async function insertDispute(tx: DbOrTx, values: NewDispute): Promise<DisputeRow> {
  const [created] = await tx.insert(dispute).values(values).returning();
  return created!;
}

/** Update the dispute saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updateDisputeAtVersion(tx: DbOrTx, partnershipId: string, disputeId: string, version: number, changes: DisputeChanges): Promise<DisputeRow[]> {
  return tx
    .update(dispute)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(dispute.partnershipId, partnershipId), eq(dispute.id, disputeId), eq(dispute.version, version)))
    .returning();
}

/** The person's disputes, newest first. */
export async function findPersonDisputes(q: DbOrTx, partnershipId: string, personId: string): Promise<DisputeRow[]> {
  return q
    .select()
    .from(dispute)
    .where(and(eq(dispute.partnershipId, partnershipId), eq(dispute.personId, personId)))
    .orderBy(desc(dispute.aroseOn));
}

/** A person's open disputes with the name of the body funding care meanwhile, oldest first (not awaited: the person page runs it with its other sections' reads, platform/db/together.ts). */
export function openDisputesWithInterimLeadQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ id: dispute.id, kind: dispute.kind, stage: dispute.stage, aroseOn: dispute.aroseOn, interimLeadName: organisation.name })
    .from(dispute)
    .leftJoin(organisation, and(eq(organisation.partnershipId, dispute.partnershipId), eq(organisation.id, dispute.interimLeadOrganisationId)))
    .where(and(eq(dispute.partnershipId, partnershipId), eq(dispute.personId, personId), ne(dispute.stage, 'resolved')))
    .orderBy(asc(dispute.aroseOn));
}

/** Disputes across the partnership with their people (open ones only if asked), oldest first, at most `limit`. */
export async function findDisputesWithPeople(q: DbOrTx, partnershipId: string, options: { open: boolean; limit: number }): Promise<Array<{ d: DisputeRow; p: PersonRow }>> {
  return q
    .select({ d: dispute, p: person })
    .from(dispute)
    .innerJoin(person, and(eq(person.partnershipId, dispute.partnershipId), eq(person.id, dispute.personId)))
    .where(and(eq(dispute.partnershipId, partnershipId), options.open ? ne(dispute.stage, 'resolved') : undefined))
    .orderBy(asc(dispute.aroseOn))
    .limit(options.limit);
}
