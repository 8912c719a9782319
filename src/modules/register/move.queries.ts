import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { person } from './schema.ts';

/*
 * The data layer of a move of area (move.service.ts). The service hands these functions the
 * door's transaction; the person's own reads and writes are people.queries.ts's.
 */

/** Record the new address (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function moveAddressAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  personId: string,
  version: number,
  to: { residenceLocalAuthority: string; address: string; postcode: string },
  at: Date,
): Promise<Array<typeof person.$inferSelect>> {
  return tx
    .update(person)
    .set({ ...to, version: version + 1, updatedAt: at })
    .where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId), eq(person.version, version)))
    .returning();
}

/** The partnership's organisation with this code (the receiving local authority), if any. */
export async function organisationWithCode(tx: DbOrTx, partnershipId: string, code: string): Promise<{ id: string; name: string } | undefined> {
  return (await tx.select({ id: organisation.id, name: organisation.name }).from(organisation).where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.code, code))))[0];
}
