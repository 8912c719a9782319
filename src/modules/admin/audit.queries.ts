import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, auditEvent, organisation } from '../../platform/db/schema.ts';
import { person, visiblePeople } from '../register/index.ts';

/*
 * The audit viewer's data layer. The service hands these functions the handle the door gave
 * it, so row-level security confines them to the actor's partnership; the partnership filter
 * stays as the leading key of the audit indexes.
 */

export interface AuditSearch {
  partnershipId: string;
  /** The organisations whose events the actor may read, or all of the partnership's. */
  organisationIds: 'all' | string[];
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  /** YYYY-MM-DD, from the start of the day (UTC). */
  from?: string | undefined;
  /** YYYY-MM-DD, to the end of the day (UTC). */
  to?: string | undefined;
}

function auditWhere(search: AuditSearch): SQL | undefined {
  const conditions: SQL[] = [eq(auditEvent.partnershipId, search.partnershipId)];
  if (search.organisationIds !== 'all') conditions.push(inArray(auditEvent.organisationId, search.organisationIds));
  if (search.action) conditions.push(eq(auditEvent.action, search.action));
  if (search.subjectType) conditions.push(eq(auditEvent.subjectType, search.subjectType));
  if (search.subjectId) conditions.push(eq(auditEvent.subjectId, search.subjectId));
  if (search.from) conditions.push(gte(auditEvent.at, new Date(`${search.from}T00:00:00Z`)));
  if (search.to) conditions.push(lt(auditEvent.at, sql`${`${search.to}T00:00:00Z`}::timestamptz + interval '1 day'`));
  return and(...conditions);
}

/** One page of events, newest first, with who made them and for which organisation. */
export async function findAuditEvents(q: DbOrTx, search: AuditSearch, page: { limit: number; offset: number }) {
  return q
    .select({
      id: auditEvent.id,
      at: auditEvent.at,
      action: auditEvent.action,
      subjectType: auditEvent.subjectType,
      subjectId: auditEvent.subjectId,
      before: auditEvent.before,
      after: auditEvent.after,
      requestId: auditEvent.requestId,
      actorName: appUser.displayName,
      actorTokenId: auditEvent.actorTokenId,
      organisationName: organisation.name,
    })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.actorUserId))
    .leftJoin(organisation, eq(organisation.id, auditEvent.organisationId))
    .where(auditWhere(search))
    .orderBy(desc(auditEvent.at), desc(auditEvent.id))
    .limit(page.limit)
    .offset(page.offset);
}

export async function countAuditEvents(q: DbOrTx, search: AuditSearch): Promise<number> {
  const rows = await q.select({ n: sql<number>`count(*)::int` }).from(auditEvent).where(auditWhere(search));
  return rows[0]?.n ?? 0;
}

/** Of the given person ids, those the actor may read now (the register's person:read rule). */
export async function findReadablePeople(q: DbOrTx, actor: Actor, personIds: string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  const found = await q
    .select({ id: person.id })
    .from(person)
    .where(and(visiblePeople(actor, 'person:read'), inArray(person.id, personIds)));
  return found.map((r) => r.id);
}
