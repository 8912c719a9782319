import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { partnershipServiceType } from './schema.ts';

/*
 * The partnership's own service types (issue 13, item 8): the data layer of
 * service-types.service.ts. Row-level security confines every query to the actor's partnership;
 * the partnership filter stays as the leading key.
 */

export type ServiceTypeRow = typeof partnershipServiceType.$inferSelect;

/** The partnership's own types, in use first then retired, each by label. */
export async function findServiceTypes(q: DbOrTx, partnershipId: string): Promise<ServiceTypeRow[]> {
  return q
    .select()
    .from(partnershipServiceType)
    .where(eq(partnershipServiceType.partnershipId, partnershipId))
    .orderBy(asc(partnershipServiceType.retiredAt), asc(partnershipServiceType.label));
}

/** The row, or nothing when the code is already taken (in use or retired). */
export async function insertServiceType(tx: DbOrTx, values: Pick<ServiceTypeRow, 'partnershipId' | 'code' | 'label' | 'description' | 'createdBy'>): Promise<ServiceTypeRow | undefined> {
  return (await tx.insert(partnershipServiceType).values(values).onConflictDoNothing().returning())[0];
}

/** Retire a type in use: the updated row, or nothing when it is not in use (or is at another version). */
export async function retireServiceTypeAtVersion(tx: DbOrTx, partnershipId: string, code: string, version: number, at: Date): Promise<ServiceTypeRow[]> {
  return tx
    .update(partnershipServiceType)
    .set({ retiredAt: at, updatedAt: at, version: version + 1 })
    .where(and(eq(partnershipServiceType.partnershipId, partnershipId), eq(partnershipServiceType.code, code), eq(partnershipServiceType.version, version), isNull(partnershipServiceType.retiredAt)))
    .returning();
}
