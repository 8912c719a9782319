import { and, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { apiToken, organisation } from '../../platform/db/schema.ts';

/*
 * API tokens' data layer. The service hands these functions the handle the door gave it, so
 * row-level security confines them to the actor's partnership; the partnership filters stay
 * as a second line.
 */

export type ApiTokenRow = typeof apiToken.$inferSelect;

export async function findTokensOfOrganisation(q: DbOrTx, partnershipId: string, organisationId: string) {
  return q
    .select({
      id: apiToken.id,
      name: apiToken.name,
      prefix: apiToken.prefix,
      createdAt: apiToken.createdAt,
      lastUsedAt: apiToken.lastUsedAt,
      revokedAt: apiToken.revokedAt,
      approvedAt: apiToken.approvedAt,
      createdBy: apiToken.createdBy,
      version: apiToken.version,
    })
    .from(apiToken)
    .where(and(eq(apiToken.organisationId, organisationId), eq(apiToken.partnershipId, partnershipId)))
    .orderBy(desc(apiToken.createdAt));
}

export async function findToken(q: DbOrTx, partnershipId: string, tokenId: string): Promise<ApiTokenRow | undefined> {
  return (await q.select().from(apiToken).where(and(eq(apiToken.id, tokenId), eq(apiToken.partnershipId, partnershipId))))[0];
}

export async function findTokenOrganisation(q: DbOrTx, partnershipId: string, organisationId: string): Promise<typeof organisation.$inferSelect | undefined> {
  return (await q.select().from(organisation).where(and(eq(organisation.id, organisationId), eq(organisation.partnershipId, partnershipId))))[0];
}

export async function insertToken(
  q: DbOrTx,
  values: Pick<typeof apiToken.$inferInsert, 'partnershipId' | 'organisationId' | 'name' | 'tokenHash' | 'prefix' | 'createdBy' | 'approvedAt'>,
): Promise<ApiTokenRow> {
  const [created] = await q.insert(apiToken).values(values).returning();
  return created!;
}

/** Revoke the token saved at `version` unless already revoked: the updated row, or none. */
export async function revokeTokenAtVersion(q: DbOrTx, tokenId: string, version: number, by: { userId: string | null; at: Date }): Promise<ApiTokenRow[]> {
  return q
    .update(apiToken)
    .set({ revokedAt: by.at, revokedBy: by.userId, version: version + 1, updatedAt: by.at })
    .where(and(eq(apiToken.id, tokenId), eq(apiToken.version, version), isNull(apiToken.revokedAt)))
    .returning();
}

/** Approve the token saved at `version` unless already approved or revoked: the updated row, or none. */
export async function approveTokenAtVersion(q: DbOrTx, tokenId: string, version: number, by: { userId: string | null; at: Date }): Promise<ApiTokenRow[]> {
  return q
    .update(apiToken)
    .set({ approvedAt: by.at, approvedBy: by.userId, version: version + 1, updatedAt: by.at })
    .where(and(eq(apiToken.id, tokenId), eq(apiToken.version, version), isNull(apiToken.approvedAt), isNull(apiToken.revokedAt)))
    .returning();
}
