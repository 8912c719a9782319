import { sql } from 'drizzle-orm';
import type { Role } from '../../platform/access/actor.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/database.ts';
import { recordSystemChange } from '../../platform/audit/audit.ts';
import { appUser, membership, organisation, partnership } from '../../platform/db/schema.ts';

/*
 * Partnership set-up's data layer: raw queries, deliberately NOT through the door.
 *
 * Setting up a partnership creates the partnership row itself and its first administrator, before
 * there is any actor of it to open a door for (like the demo seed, src/modules/demo/demo.queries.ts;
 * docs/decisions/0006-one-door-to-the-data.md). It runs on the transaction the set-up holds as the
 * connecting role, and writes its own audit event; everything after (users, organisations, people)
 * is done by the administrator through the door.
 */

export async function countPartnerships(db: DbOrTx): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(partnership);
  return rows[0]?.n ?? 0;
}

export async function partnershipNamed(db: DbOrTx, name: string): Promise<boolean> {
  const rows = await db.select({ id: partnership.id }).from(partnership).where(sql`lower(${partnership.name}) = lower(${name})`);
  return rows.length > 0;
}

export async function emailTaken(db: DbOrTx, email: string): Promise<boolean> {
  const rows = await db.select({ id: appUser.id }).from(appUser).where(sql`${appUser.email} = ${email}`);
  return rows.length > 0;
}

/** Serialises set-ups, so two at once cannot both take the same name (a transaction-scoped advisory lock). */
export async function lockSetUp(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(117001)`);
}

export async function insertPartnership(tx: Tx, name: string, at: Date): Promise<string> {
  const [p] = await tx.insert(partnership).values({ name, createdAt: at, updatedAt: at }).returning({ id: partnership.id });
  return p!.id;
}

export async function insertOrganisation(tx: Tx, values: typeof organisation.$inferInsert): Promise<{ id: string; code: string; name: string; type: string; isLead: boolean }> {
  const [row] = await tx.insert(organisation).values(values).returning({ id: organisation.id, code: organisation.code, name: organisation.name, type: organisation.type, isLead: organisation.isLead });
  return row!;
}

/** The first administrator: no password until they use their link. */
export async function insertAdministrator(tx: Tx, values: { partnershipId: string; email: string; displayName: string; organisationId: string; roles: Role[] }): Promise<string> {
  const [user] = await tx.insert(appUser).values({ partnershipId: values.partnershipId, email: values.email, displayName: values.displayName, passwordHash: null }).returning({ id: appUser.id });
  await tx.insert(membership).values({ partnershipId: values.partnershipId, userId: user!.id, organisationId: values.organisationId, roles: values.roles });
  return user!.id;
}

/** The set-up's own audit event (there is no actor yet). */
export async function insertCreatedEvent(tx: Tx, partnershipId: string, requestId: string, after: Record<string, unknown>): Promise<void> {
  await recordSystemChange(tx, { partnershipId, requestId }, { action: 'partnership.created', subjectType: 'partnership', subjectId: partnershipId, after });
}

export type { Db };
