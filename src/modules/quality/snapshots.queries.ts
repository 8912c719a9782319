import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { qualitySnapshot } from './schema.ts';

/*
 * The data-quality snapshots' data layer. Every function but the first takes the handle of a
 * door unit (row-level security confines it to one partnership). The first is the one read the
 * daily job makes outside the door: the list of partnerships, each with the organisation its
 * job actor acts for (the lead, else the first by name).
 */

export type SnapshotRow = typeof qualitySnapshot.$inferSelect;
export type OrganisationRow = typeof organisation.$inferSelect;
export type NewSnapshot = typeof qualitySnapshot.$inferInsert;

/** Every partnership (or the one named) that has an organisation, with the organisation its job acts for. Outside the door. */
export async function findPartnershipsForJob(db: DbOrTx, partnershipId?: string): Promise<Array<{ partnershipId: string; organisationId: string }>> {
  return rowsOf<{ partnershipId: string; organisationId: string }>(
    await db.execute(sql`
      select p.id as "partnershipId", o.id as "organisationId"
      from partnership p
      cross join lateral (select id from organisation where partnership_id = p.id order by is_lead desc, name, id limit 1) o
      ${partnershipId ? sql`where p.id = ${partnershipId}` : sql``}
      order by p.id`),
  );
}

export async function findActiveOrganisations(q: DbOrTx, partnershipId: string): Promise<OrganisationRow[]> {
  return q.select().from(organisation).where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.active, true))).orderBy(asc(organisation.name));
}

/** The organisations of the partnership (id and code). */
export async function findOrganisationCodes(q: DbOrTx, partnershipId: string): Promise<Array<{ id: string; code: string }>> {
  return q.select({ id: organisation.id, code: organisation.code }).from(organisation).where(eq(organisation.partnershipId, partnershipId));
}

/** The organisations that already have a snapshot taken on the day. */
export async function findOrganisationsSnapshotted(q: DbOrTx, partnershipId: string, takenOn: string): Promise<Set<string>> {
  const rows = await q
    .select({ id: qualitySnapshot.organisationId })
    .from(qualitySnapshot)
    .where(and(eq(qualitySnapshot.partnershipId, partnershipId), eq(qualitySnapshot.takenOn, takenOn)));
  return new Set(rows.map((r) => r.id));
}

/** The snapshots taken on the day. */
export async function findSnapshotsTakenOn(q: DbOrTx, partnershipId: string, takenOn: string): Promise<SnapshotRow[]> {
  return q.select().from(qualitySnapshot).where(and(eq(qualitySnapshot.partnershipId, partnershipId), eq(qualitySnapshot.takenOn, takenOn)));
}

/** Insert a snapshot unless the organisation has one for that day: how many were inserted (0 or 1). */
export async function insertSnapshotIfMissing(tx: DbOrTx, values: NewSnapshot): Promise<number> {
  const inserted = await tx.insert(qualitySnapshot).values(values).onConflictDoNothing().returning({ takenOn: qualitySnapshot.takenOn });
  return inserted.length;
}

/** The organisation's latest snapshots, newest first. */
export async function findLatestSnapshots(q: DbOrTx, partnershipId: string, organisationId: string, limit: number): Promise<SnapshotRow[]> {
  return q
    .select()
    .from(qualitySnapshot)
    .where(and(eq(qualitySnapshot.partnershipId, partnershipId), eq(qualitySnapshot.organisationId, organisationId)))
    .orderBy(desc(qualitySnapshot.takenOn))
    .limit(limit);
}
