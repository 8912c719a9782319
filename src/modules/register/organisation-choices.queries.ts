import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';

/** The partnership's own local authorities and ICBs, by name: the bodies its forms offer first. */
export async function partnershipBodies(q: DbOrTx, partnershipId: string) {
  return q
    .select({ type: organisation.type, code: organisation.code, onsCode: organisation.onsCode, name: organisation.name })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.active, true), inArray(organisation.type, ['local-authority', 'icb'])))
    .orderBy(asc(organisation.name));
}
