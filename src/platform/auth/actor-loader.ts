import { and, eq, isNull } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Actor } from '../access/actor.ts';
import type { Db } from '../db/database.ts';
import { UnauthenticatedError } from '../errors/errors.ts';
import { apiToken, appUser, membership, organisation } from '../db/schema.ts';

/** Load a signed-in user's actor: their memberships and the organisation they act for. */
export async function loadUserActor(db: Db, userId: string, activeOrganisationId?: string): Promise<Actor | null> {
  const rows = await db
    .select({
      userId: appUser.id,
      displayName: appUser.displayName,
      partnershipId: appUser.partnershipId,
      active: appUser.active,
      organisationId: organisation.id,
      organisationCode: organisation.code,
      organisationOnsCode: organisation.onsCode,
      organisationName: organisation.name,
      organisationType: organisation.type,
      isLead: organisation.isLead,
      roles: membership.roles,
    })
    .from(appUser)
    .innerJoin(membership, eq(membership.userId, appUser.id))
    .innerJoin(organisation, and(eq(organisation.id, membership.organisationId), eq(organisation.active, true)))
    .where(eq(appUser.id, userId))
    .orderBy(organisation.name);
  const first = rows[0];
  if (!first || !first.active) return null;
  const memberships = rows.map((r) => ({
    organisationId: r.organisationId,
    organisationCode: r.organisationCode,
    organisationOnsCode: r.organisationOnsCode,
    organisationName: r.organisationName,
    organisationType: r.organisationType,
    isLead: r.isLead,
    roles: r.roles,
  }));
  const active = memberships.find((m) => m.organisationId === activeOrganisationId) ?? memberships[0]!;
  return {
    kind: 'user',
    userId: first.userId,
    tokenId: null,
    displayName: first.displayName,
    partnershipId: first.partnershipId,
    activeOrganisationId: active.organisationId,
    memberships,
  };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** An API client acts for the organisation its token was issued to. */
export async function loadTokenActor(db: Db, token: string): Promise<Actor | null> {
  const rows = await db
    .select({
      tokenId: apiToken.id,
      name: apiToken.name,
      partnershipId: apiToken.partnershipId,
      lastUsedAt: apiToken.lastUsedAt,
      approvedAt: apiToken.approvedAt,
      organisationId: organisation.id,
      organisationCode: organisation.code,
      organisationOnsCode: organisation.onsCode,
      organisationName: organisation.name,
      organisationType: organisation.type,
      isLead: organisation.isLead,
    })
    .from(apiToken)
    .innerJoin(organisation, and(eq(organisation.id, apiToken.organisationId), eq(organisation.active, true)))
    .where(and(eq(apiToken.tokenHash, hashToken(token)), isNull(apiToken.revokedAt)));
  const row = rows[0];
  if (!row) return null;
  // Nobody grants themselves rights: a token an administrator created in the app works only
  // once a different administrator has approved it.
  if (!row.approvedAt) {
    throw new UnauthenticatedError(
      'This API token has not been approved yet. Another administrator of its organisation, or of the lead organisation, must approve it on the API tokens page before it can be used.',
    );
  }
  // Note when a token was last used, at most once a minute (not an audited change).
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiToken).set({ lastUsedAt: new Date() }).where(eq(apiToken.id, row.tokenId));
  }
  return {
    kind: 'token',
    userId: null,
    tokenId: row.tokenId,
    displayName: `API client "${row.name}"`,
    partnershipId: row.partnershipId,
    activeOrganisationId: row.organisationId,
    memberships: [
      {
        organisationId: row.organisationId,
        organisationCode: row.organisationCode,
        organisationOnsCode: row.organisationOnsCode,
        organisationName: row.organisationName,
        organisationType: row.organisationType,
        isLead: false,
        roles: [],
      },
    ],
  };
}
