import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Role } from '../../platform/access/actor.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';

/*
 * Users' and memberships' data layer. The service hands these functions the handle the door
 * gave it, so row-level security confines them to the actor's partnership; the partnership
 * filters stay as the leading key and a second line.
 */

export interface UserRow {
  id: string;
  displayName: string;
  email: string;
  active: boolean;
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  membershipId: string;
  membershipVersion: number;
  userVersion: number;
  organisationId: string;
  organisationName: string;
  roles: Role[];
}

const userColumns = {
  id: appUser.id,
  displayName: appUser.displayName,
  email: appUser.email,
  active: appUser.active,
  lockedUntil: appUser.lockedUntil,
  lastSignInAt: appUser.lastSignInAt,
  userVersion: appUser.version,
  membershipId: membership.id,
  membershipVersion: membership.version,
  organisationId: organisation.id,
  organisationName: organisation.name,
  roles: membership.roles,
};

export type OrganisationRow = typeof organisation.$inferSelect;
export type AppUserRow = typeof appUser.$inferSelect;
export type MembershipRow = typeof membership.$inferSelect;

export async function findUsersOfOrganisation(q: DbOrTx, partnershipId: string, organisationId: string): Promise<UserRow[]> {
  return q
    .select(userColumns)
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(and(eq(membership.organisationId, organisationId), eq(membership.partnershipId, partnershipId)))
    .orderBy(asc(appUser.displayName));
}

/** The partnership's organisations, all of them or those given, by name. */
export async function findOrganisationsByName(q: DbOrTx, partnershipId: string, only: 'all' | string[]): Promise<OrganisationRow[]> {
  const where =
    only === 'all'
      ? eq(organisation.partnershipId, partnershipId)
      : and(eq(organisation.partnershipId, partnershipId), inArray(organisation.id, only.length ? only : ['00000000-0000-0000-0000-000000000000']));
  return q.select().from(organisation).where(where).orderBy(asc(organisation.name));
}

export async function findMembership(q: DbOrTx, partnershipId: string, membershipId: string): Promise<UserRow | undefined> {
  const rows = (await q
    .select(userColumns)
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(and(eq(membership.id, membershipId), eq(membership.partnershipId, partnershipId)))) as UserRow[];
  return rows[0];
}

export async function findOrganisationOfPartnership(q: DbOrTx, partnershipId: string, organisationId: string): Promise<OrganisationRow | undefined> {
  return (await q.select().from(organisation).where(and(eq(organisation.id, organisationId), eq(organisation.partnershipId, partnershipId))))[0];
}

export async function findUserEmail(q: DbOrTx, userId: string): Promise<string | undefined> {
  return (await q.select({ email: appUser.email }).from(appUser).where(eq(appUser.id, userId)))[0]?.email;
}

/**
 * Insert an account unless one with the email exists. Emails are unique across partnerships, and
 * the door sees only the actor's partnership, so the unique index decides: undefined when taken.
 */
export async function insertUserUnlessEmailTaken(
  q: DbOrTx,
  values: Pick<typeof appUser.$inferInsert, 'partnershipId' | 'email' | 'displayName' | 'passwordHash'>,
): Promise<AppUserRow | undefined> {
  const [user] = await q.insert(appUser).values(values).onConflictDoNothing({ target: appUser.email }).returning();
  return user;
}

export async function insertMembership(q: DbOrTx, values: Pick<typeof membership.$inferInsert, 'partnershipId' | 'userId' | 'organisationId' | 'roles'>): Promise<MembershipRow> {
  const [member] = await q.insert(membership).values(values).returning();
  return member!;
}

/** Update the membership saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updateMembershipRolesAtVersion(q: DbOrTx, membershipId: string, version: number, roles: Role[], at: Date): Promise<MembershipRow[]> {
  return q
    .update(membership)
    .set({ roles, version: version + 1, updatedAt: at })
    .where(and(eq(membership.id, membershipId), eq(membership.version, version)))
    .returning();
}

export async function setUserActive(q: DbOrTx, userId: string, active: boolean, userVersion: number, at: Date): Promise<void> {
  await q.update(appUser).set({ active, updatedAt: at, version: userVersion + 1 }).where(eq(appUser.id, userId));
}

export async function clearUserLockout(q: DbOrTx, userId: string, at: Date): Promise<void> {
  await q.update(appUser).set({ lockedUntil: null, failedSignIns: 0, updatedAt: at }).where(eq(appUser.id, userId));
}
