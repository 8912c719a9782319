import { and, asc, desc, eq, ne, sql, getTableColumns, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { assertCanOnPerson } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { selectTogether, type Selectable } from '../../platform/db/together.ts';
import { appUser, auditEvent, membership, organisation } from '../../platform/db/schema.ts';
import { NotFoundError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { legalEvent, person, personContact, task, team } from './schema.ts';

/*
 * The people service's data layer (people.service.ts holds the use cases). Each function takes
 * the handle the door gave the service (`ctx.data.read` / `ctx.data.transaction`), so
 * row-level security confines it to the actor's partnership; the partnership filters stay as
 * the leading index key and a second line. `loadPerson` is also called by other modules
 * inside their own reads and transactions (through index.ts), with their handle.
 */

export type PersonRow = typeof person.$inferSelect;
export type NewPerson = typeof person.$inferInsert;
export type ContactRow = typeof personContact.$inferSelect;
export type TaskRow = typeof task.$inferSelect;

/** Load a person for an actor: 404 if there is no such person in their partnership, 403 if they have no relationship. */
export async function loadPerson(db: DbOrTx, ctx: Pick<ServiceContext, 'actor'>, personId: string, permission: 'person:read' | 'person:write' | 'person:audit' | 'person:subject-access', lock = false): Promise<PersonRow> {
  if (!z.uuid().safeParse(personId).success) throw new NotFoundError('Person not found');
  const query = db.select().from(person).where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.id, personId)));
  const row = (await (lock ? query.for('update') : query))[0];
  if (!row) throw new NotFoundError('Person not found');
  assertCanOnPerson(ctx.actor, permission, row);
  return row;
}

export type PersonMatch = Pick<PersonRow, 'id' | 'nhsNumber' | 'givenName' | 'familyName' | 'dateOfBirth' | 'partnershipId' | 'responsibleLocalAuthority' | 'responsibleIcb' | 'involvedOrganisations'>;

/** Up to 5 people with the same name (any case) and date of birth but another NHS number. */
export async function peopleWithNameAndBirth(
  q: DbOrTx,
  partnershipId: string,
  input: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber: string },
  exceptId?: string,
): Promise<PersonMatch[]> {
  return q
    .select({
      id: person.id,
      nhsNumber: person.nhsNumber,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      partnershipId: person.partnershipId,
      responsibleLocalAuthority: person.responsibleLocalAuthority,
      responsibleIcb: person.responsibleIcb,
      involvedOrganisations: person.involvedOrganisations,
    })
    .from(person)
    .where(
      and(
        eq(person.partnershipId, partnershipId),
        sql`lower(${person.familyName}) = lower(${input.familyName})`,
        sql`lower(${person.givenName}) = lower(${input.givenName})`,
        eq(person.dateOfBirth, input.dateOfBirth),
        ne(person.nhsNumber, input.nhsNumber),
        exceptId ? ne(person.id, exceptId) : undefined,
      ),
    )
    .limit(5);
}

export type NhsNumberHolder = Pick<PersonRow, 'id' | 'partnershipId' | 'responsibleLocalAuthority' | 'responsibleIcb' | 'involvedOrganisations'>;

/** The person of the partnership with this NHS number, if any. */
export async function personWithNhsNumber(q: DbOrTx, partnershipId: string, nhsNumber: string): Promise<NhsNumberHolder | undefined> {
  return (
    await q
      .select({ id: person.id, partnershipId: person.partnershipId, responsibleLocalAuthority: person.responsibleLocalAuthority, responsibleIcb: person.responsibleIcb, involvedOrganisations: person.involvedOrganisations })
      .from(person)
      .where(and(eq(person.partnershipId, partnershipId), eq(person.nhsNumber, nhsNumber)))
  )[0];
}

/** The organisation of a team of the partnership, or undefined if there is no such team. */
export async function teamOrganisationId(q: DbOrTx, partnershipId: string, teamId: string): Promise<string | undefined> {
  return (await q.select({ organisationId: team.organisationId }).from(team).where(and(eq(team.partnershipId, partnershipId), eq(team.id, teamId))))[0]?.organisationId;
}

export async function userInPartnership(q: DbOrTx, partnershipId: string, userId: string): Promise<boolean> {
  return (await q.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.id, userId)))).length > 0;
}

export async function insertPerson(q: DbOrTx, values: NewPerson): Promise<PersonRow> {
  return (await q.insert(person).values(values).returning())[0]!;
}

export async function findPerson(q: DbOrTx, partnershipId: string, personId: string): Promise<PersonRow | undefined> {
  return (await q.select().from(person).where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId))))[0];
}

/** Update the person saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updatePersonAtVersion(q: DbOrTx, partnershipId: string, personId: string, version: number, changes: Partial<NewPerson>, at: Date): Promise<PersonRow[]> {
  return q
    .update(person)
    .set({ ...changes, updatedAt: at, version: version + 1 })
    .where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId), eq(person.version, version)))
    .returning();
}

/** What the person page shows besides the person: their history (removed events too), contacts, tasks, team, lead and the partnership's organisations. */
/**
 * The person page's reads in one statement (decision 0019): the person, their legal events,
 * contacts, tasks, team, lead practitioner and the partnership's organisations, and whatever
 * else the caller adds (`alsoRead`: the other modules' sections). 404 if there is no such person,
 * 403 if the actor has no relationship (checked on the row, as `loadPerson` does: what else was
 * read is then dropped unseen).
 */
/**
 * Which of the record's own lists a page reads. `full`: every legal event and every task (the
 * legal history, and the pages that work on them). `overview`: the person page, which shows no
 * legal event and, of the tasks, the open ones, the latest completed and how many were completed:
 * a record with thousands of entries must not slow it (issue 15, item 2; bench/chronology.ts).
 */
export type PersonPageLists = 'full' | 'overview';
/** How many completed tasks the person page lists; the rest are in the chronology. */
export const RECENT_COMPLETED_TASKS = 5;

export async function loadPersonPage(q: DbOrTx, ctx: Pick<ServiceContext, 'actor'>, personId: string, alsoRead: Record<string, Selectable> = {}, lists: PersonPageLists = 'full') {
  if (!z.uuid().safeParse(personId).success) throw new NotFoundError('Person not found');
  const partnershipId = ctx.actor.partnershipId;
  const ofPerson = (column: typeof person.allocatedTeamId | typeof person.leadPractitionerId) =>
    sql`(select ${column} from ${person} where ${person.partnershipId} = ${partnershipId} and ${person.id} = ${personId})`;
  const overview = lists === 'overview';
  const tasksOf = (where: SQL | undefined) =>
    q
      .select({ task, ownerName: organisation.name })
      .from(task)
      .leftJoin(organisation, eq(organisation.id, task.ownerOrganisationId))
      .where(and(eq(task.partnershipId, partnershipId), eq(task.personId, personId), where));
  const own = {
    person: q.select().from(person).where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId))),
    contacts: q.select().from(personContact).where(and(eq(personContact.partnershipId, partnershipId), eq(personContact.personId, personId))).orderBy(asc(personContact.relationship)),
    team: q
      .select({ name: team.name, organisationName: organisation.name })
      .from(team)
      .innerJoin(organisation, eq(organisation.id, team.organisationId))
      .where(and(eq(team.partnershipId, partnershipId), eq(team.id, ofPerson(person.allocatedTeamId)))),
    lead: q.select({ name: appUser.displayName }).from(appUser).where(eq(appUser.id, ofPerson(person.leadPractitionerId))),
    orgs: q.select({ id: organisation.id, code: organisation.code, onsCode: organisation.onsCode, name: organisation.name }).from(organisation).where(eq(organisation.partnershipId, partnershipId)),
  };
  const full = {
    events: q
      .select({ ...getTableColumns(legalEvent), recordedByName: appUser.displayName })
      .from(legalEvent)
      .leftJoin(appUser, eq(appUser.id, legalEvent.recordedBy))
      .where(and(eq(legalEvent.partnershipId, partnershipId), eq(legalEvent.personId, personId)))
      .orderBy(desc(legalEvent.occurredOn), desc(legalEvent.sequence)),
    tasks: tasksOf(undefined).orderBy(desc(task.createdAt)),
  };
  // The overview: no legal event; the open tasks, the latest completed ones and how many were completed.
  const brief = {
    tasks: tasksOf(eq(task.status, 'open')).orderBy(desc(task.createdAt)),
    recentDone: tasksOf(ne(task.status, 'open')).orderBy(desc(task.completedAt), desc(task.createdAt)).limit(RECENT_COMPLETED_TASKS),
    doneCount: q
      .select({ n: sql<number>`count(*)::int` })
      .from(task)
      .where(and(eq(task.partnershipId, partnershipId), eq(task.personId, personId), ne(task.status, 'open'))),
  };
  const extra = Object.fromEntries(Object.entries(alsoRead).map(([key, select]) => [`also/${key}`, select]));
  type Own = Awaited<ReturnType<typeof selectTogether<typeof own>>>;
  type Full = Awaited<ReturnType<typeof selectTogether<typeof full>>>;
  type Brief = Awaited<ReturnType<typeof selectTogether<typeof brief>>>;
  const rows = (await selectTogether(q, { ...extra, ...own, ...(overview ? brief : full) })) as Own & Partial<Full> & Partial<Brief> & Record<string, unknown[]>;
  const row = rows.person[0];
  if (!row) throw new NotFoundError('Person not found');
  assertCanOnPerson(ctx.actor, 'person:read', row);
  const { contacts, orgs } = rows;
  const events = rows.events ?? [];
  // The overview's tasks: the open ones, then the latest completed; `doneCount` counts every completed one.
  const tasks = overview ? [...(rows.tasks ?? []), ...(rows.recentDone ?? [])] : (rows.tasks ?? []);
  const doneCount = overview ? (rows.doneCount?.[0]?.n ?? 0) : tasks.filter((t) => t.task.status !== 'open').length;
  const also = Object.fromEntries(Object.keys(alsoRead).map((key) => [key, rows[`also/${key}`]!]));
  return { row, parts: { events, contacts, tasks, doneCount, team: rows.team[0] ?? null, leadName: rows.lead[0]?.name ?? null, orgs }, also };
}

/** Who viewed and changed a person's record, latest first (at most 200). */
export async function personAuditTrail(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ at: auditEvent.at, action: auditEvent.action, actorName: appUser.displayName, actorTokenId: auditEvent.actorTokenId, organisationName: organisation.name })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.actorUserId))
    .leftJoin(organisation, eq(organisation.id, auditEvent.organisationId))
    .where(and(eq(auditEvent.partnershipId, partnershipId), eq(auditEvent.subjectType, 'person'), eq(auditEvent.subjectId, personId)))
    .orderBy(desc(auditEvent.at), desc(auditEvent.id))
    .limit(200);
}

export async function insertContact(q: DbOrTx, values: typeof personContact.$inferInsert): Promise<ContactRow> {
  return (await q.insert(personContact).values(values).returning())[0]!;
}

export async function findPersonTask(q: DbOrTx, partnershipId: string, personId: string, taskId: string): Promise<TaskRow | undefined> {
  return (await q.select().from(task).where(and(eq(task.partnershipId, partnershipId), eq(task.id, taskId), eq(task.personId, personId))))[0];
}

/** Complete the open task saved at `version` (optimistic concurrency): the updated row, or none. */
export async function completeTaskAtVersion(q: DbOrTx, partnershipId: string, taskId: string, version: number, done: { outcome: string; by: string | null; at: Date }): Promise<TaskRow[]> {
  return q
    .update(task)
    .set({ status: 'done', outcome: done.outcome, completedAt: done.at, completedBy: done.by, version: version + 1, updatedAt: done.at })
    .where(and(eq(task.partnershipId, partnershipId), eq(task.id, taskId), eq(task.version, version), eq(task.status, 'open')))
    .returning();
}

/** The organisation of the partnership with this code (not ONS code), if any. */
export async function organisationIdWithCode(q: DbOrTx, partnershipId: string, code: string): Promise<string | undefined> {
  return (await q.select({ id: organisation.id }).from(organisation).where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.code, code))))[0]?.id;
}

export async function insertTask(q: DbOrTx, values: typeof task.$inferInsert): Promise<TaskRow> {
  return (await q.insert(task).values(values).returning())[0]!;
}

/** Practitioners, senior practitioners and managers of the partnership, active, by name. */
export async function practitionersOf(q: DbOrTx, partnershipId: string) {
  return q
    .selectDistinct({ id: appUser.id, name: appUser.displayName, organisationName: organisation.name })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(and(eq(membership.partnershipId, partnershipId), eq(appUser.active, true), sql`${membership.roles} && array['practitioner','senior-practitioner','team-manager']::role[]`))
    .orderBy(asc(appUser.displayName));
}

export async function teamsOf(q: DbOrTx, partnershipId: string) {
  return q
    .select({ id: team.id, name: team.name, organisationId: team.organisationId, organisationName: organisation.name })
    .from(team)
    .innerJoin(organisation, eq(organisation.id, team.organisationId))
    .where(eq(team.partnershipId, partnershipId))
    .orderBy(asc(organisation.name), asc(team.name));
}
