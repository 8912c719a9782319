import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Role } from '../../platform/access/actor.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.ts';
import { appUser, auditEvent, membership, organisation, partnership } from '../../platform/db/schema.ts';
import { aftercarePlan } from '../plans/index.ts';
import { populationFigure } from '../population/index.ts';
import { person, team } from '../register/index.ts';

/*
 * The demo seed's data layer: its raw queries, deliberately NOT through the door.
 *
 * The demo seed builds a whole partnership, the partnership row itself included, before there is
 * any actor of it to open a door for, and finds "the demo partnership" across partnerships (by
 * its ICB's code). So it runs partly outside any tenant, on the transaction the seed holds as the
 * connecting role (docs/decisions/0006-one-door-to-the-data.md). Everything a demo user "does"
 * (people, events, plans, audits) still goes through the modules' services with a context per
 * demo user (`demoContext`), whose door is opened on the seed's transaction (each unit a
 * savepoint under the tenant role). Only the set-up and look-ups below bypass it, and only here.
 */

export async function countPartnerships(db: Db): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(partnership);
  return rows[0]?.n ?? 0;
}

export async function insertPartnership(tx: Tx, name: string): Promise<string> {
  const [p] = await tx.insert(partnership).values({ name }).returning();
  return p!.id;
}

export async function insertOrganisation(tx: Tx, values: typeof organisation.$inferInsert): Promise<string> {
  const [row] = await tx.insert(organisation).values(values).returning({ id: organisation.id });
  return row!.id;
}

export async function insertTeam(tx: Tx, values: { partnershipId: string; organisationId: string; name: string }): Promise<void> {
  await tx.insert(team).values(values);
}

export async function insertUser(tx: Tx, values: { partnershipId: string; email: string; displayName: string; passwordHash: string }): Promise<string> {
  const [user] = await tx.insert(appUser).values(values).returning({ id: appUser.id });
  return user!.id;
}

export async function insertMembership(tx: Tx, values: { partnershipId: string; userId: string; organisationId: string; roles: Role[] }): Promise<void> {
  await tx.insert(membership).values(values);
}

/** The seed's own audit event, written as the system (there is no actor yet). */
export async function insertSeededEvent(tx: Tx, partnershipId: string, after: Record<string, unknown>): Promise<void> {
  await tx.insert(auditEvent).values({ partnershipId, action: 'partnership.seeded', subjectType: 'partnership', subjectId: partnershipId, after, requestId: 'seed' });
}

/** The demo user's id and the organisation's id (by code), or undefined for either that is missing. */
export async function findDemoUserAndOrganisation(q: DbOrTx, partnershipId: string, email: string, orgCode: string): Promise<{ userId?: string; organisationId?: string }> {
  const [user] = await q.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.email, email)));
  const [org] = await q.select({ id: organisation.id }).from(organisation).where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.code, orgCode)));
  return { userId: user?.id, organisationId: org?.id };
}

export async function findDemoUserId(q: DbOrTx, partnershipId: string, email: string): Promise<string | undefined> {
  const [user] = await q.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.email, email)));
  return user?.id;
}

export async function findDemoUsers(q: DbOrTx, partnershipId: string, emails: string[]): Promise<Array<{ id: string; email: string }>> {
  return q
    .select({ id: appUser.id, email: appUser.email })
    .from(appUser)
    .where(and(eq(appUser.partnershipId, partnershipId), inArray(appUser.email, emails)));
}

export async function countPeople(q: DbOrTx, partnershipId: string): Promise<number> {
  const rows = await q.select({ n: sql<number>`count(*)::int` }).from(person).where(eq(person.partnershipId, partnershipId));
  return rows[0]?.n ?? 0;
}

export async function findOrganisationCodes(q: DbOrTx, partnershipId: string): Promise<Array<{ id: string; code: string }>> {
  return q.select({ id: organisation.id, code: organisation.code }).from(organisation).where(eq(organisation.partnershipId, partnershipId));
}

export async function findTeams(q: DbOrTx, partnershipId: string): Promise<Array<{ id: string; name: string }>> {
  return q.select({ id: team.id, name: team.name }).from(team).where(eq(team.partnershipId, partnershipId));
}

/** The partnerships whose lead organisation has the demo ICB's code (across partnerships: outside any tenant). */
export async function findPartnershipsWithOrganisationCode(q: DbOrTx, code: string): Promise<string[]> {
  const rows = await q.select({ partnershipId: organisation.partnershipId }).from(organisation).where(eq(organisation.code, code));
  return rows.map((r) => r.partnershipId);
}

export async function findPlanVersion(q: DbOrTx, partnershipId: string, planId: string): Promise<number> {
  const [row] = await q.select({ version: aftercarePlan.version }).from(aftercarePlan).where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.id, planId)));
  return row!.version;
}

/** The person's newest plan (for the demo's deprivation of liberty consideration). */
export async function findNewestPlanId(q: DbOrTx, partnershipId: string, personId: string): Promise<string | null> {
  const [row] = await q.select({ id: aftercarePlan.id }).from(aftercarePlan).where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId))).orderBy(sql`${aftercarePlan.planNumber} desc`).limit(1);
  return row?.id ?? null;
}

/** Entitled people of the given local authorities, by NHS number, for the demo plans. */
export async function findEntitledPeopleOf(q: DbOrTx, partnershipId: string, localAuthorities: string[], limit: number) {
  return q
    .select({ id: person.id, la: person.responsibleLocalAuthority, icb: person.responsibleIcb, entitlementStart: person.entitlementStart })
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), eq(person.status, 'entitled'), inArray(person.responsibleLocalAuthority, localAuthorities)))
    .orderBy(asc(person.nhsNumber))
    .limit(limit);
}

export async function findLocalAuthorityCodes(q: DbOrTx, partnershipId: string): Promise<string[]> {
  const las = await q
    .select({ code: organisation.code })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.type, 'local-authority')));
  return las.map((l) => l.code);
}

export async function insertPopulationFigures(
  q: DbOrTx,
  partnershipId: string,
  rows: Array<{ localAuthority: string; dimension: string; category: string; population: number }>,
): Promise<void> {
  if (rows.length > 0) await q.insert(populationFigure).values(rows.map((r) => ({ partnershipId, ...r }))).onConflictDoNothing();
}

/** The person's version now (the optimistic-concurrency check of the use cases that change them). */
export async function findPersonVersion(tx: Tx, partnershipId: string, personId: string): Promise<number> {
  const rows = await tx.select({ version: person.version }).from(person).where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId)));
  return rows[0]!.version;
}
