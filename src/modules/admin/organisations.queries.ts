import { and, asc, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';

/*
 * The organisations' data layer. The service hands these functions the handle the door gave it
 * (`ctx.data.read` / `ctx.data.transaction`), so row-level security confines them to the
 * actor's partnership; the partnership filters stay as the leading index key and a second line.
 */

export type OrganisationRow = typeof organisation.$inferSelect;
export type OrganisationValues = Pick<typeof organisation.$inferInsert, 'type' | 'name' | 'code' | 'onsCode' | 'active'>;

export async function findOrganisations(q: DbOrTx, partnershipId: string): Promise<OrganisationRow[]> {
  return q.select().from(organisation).where(eq(organisation.partnershipId, partnershipId)).orderBy(asc(organisation.type), asc(organisation.name));
}

export async function findOrganisation(q: DbOrTx, partnershipId: string, id: string): Promise<OrganisationRow | undefined> {
  return (await q.select().from(organisation).where(and(eq(organisation.id, id), eq(organisation.partnershipId, partnershipId))))[0];
}

/** Whether another organisation of the partnership (other than `exceptId`) already has the code. */
export async function organisationCodeTaken(q: DbOrTx, partnershipId: string, code: string, exceptId?: string): Promise<boolean> {
  const clash = await q
    .select({ id: organisation.id })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.code, code), exceptId ? ne(organisation.id, exceptId) : undefined));
  return clash.length > 0;
}

export async function insertOrganisation(q: DbOrTx, partnershipId: string, values: OrganisationValues): Promise<OrganisationRow> {
  const [created] = await q
    .insert(organisation)
    .values({ ...values, partnershipId })
    .returning();
  return created!;
}

/** Update the organisation saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updateOrganisationAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: OrganisationValues, at: Date): Promise<OrganisationRow[]> {
  return q
    .update(organisation)
    .set({ ...values, updatedAt: at, version: version + 1 })
    .where(and(eq(organisation.id, id), eq(organisation.version, version), eq(organisation.partnershipId, partnershipId)))
    .returning();
}
