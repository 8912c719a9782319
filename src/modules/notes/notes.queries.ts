import { and, desc, eq, or, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { caseNote, caseNoteSettings, caseNoteVersion } from './schema.ts';

/* The case notes' data layer, handed the door's handle by the service (row-level security applies). */

export type CaseNoteRow = typeof caseNote.$inferSelect;
export type CaseNoteVersionRow = typeof caseNoteVersion.$inferSelect;

const noteColumns = { note: caseNote, authorName: appUser.displayName, authorOrganisationName: organisation.name };

/** Who may see which of a person's notes: restricted ones only if `withRestricted`, or those written by `authorUserId`. */
export interface NoteVisibility {
  withRestricted: boolean;
  authorUserId: string | null;
}

/**
 * The one condition that hides restricted notes from those who may not see them: used by the
 * notes' own list and by every other reader of case_note (the chronology). Undefined: no condition.
 */
export function visibleNotesCondition(options: NoteVisibility) {
  if (options.withRestricted) return undefined;
  return options.authorUserId ? or(eq(caseNote.restricted, false), eq(caseNote.authorUserId, options.authorUserId)) : eq(caseNote.restricted, false);
}

/** A person's notes, newest contact first; restricted ones only if `withRestricted` (or written by `authorUserId`). */
export async function findNotes(q: DbOrTx, partnershipId: string, personId: string, options: { withRestricted: boolean; significantOnly: boolean; authorUserId: string | null }) {
  return q
    .select(noteColumns)
    .from(caseNote)
    .leftJoin(appUser, eq(appUser.id, caseNote.authorUserId))
    .leftJoin(organisation, eq(organisation.id, caseNote.authorOrganisationId))
    .where(
      and(
        eq(caseNote.partnershipId, partnershipId),
        eq(caseNote.personId, personId),
        visibleNotesCondition(options),
        options.significantOnly ? eq(caseNote.significant, true) : undefined,
      ),
    )
    .orderBy(desc(caseNote.contactAt), desc(caseNote.createdAt));
}

/**
/**
 * For the count on the person page, not awaited (it runs with the page's other sections' reads,
 * platform/db/together.ts): the person's notes counted in the database, grouped by what the count
 * needs (restricted, significant, draft, author), so a history of thousands of notes is a
 * handful of rows. The caller leaves out the restricted notes the actor may not see, as `findNotes` does.
 */
export function noteTalliesQuery(q: DbOrTx, partnershipId: string, personId: string) {
  const draft = sql<boolean>`${caseNote.status} = 'draft'`;
  return q
    .select({ restricted: caseNote.restricted, significant: caseNote.significant, draft, authorUserId: caseNote.authorUserId, count: sql<number>`count(*)::int` })
    .from(caseNote)
    .where(and(eq(caseNote.partnershipId, partnershipId), eq(caseNote.personId, personId)))
    .groupBy(caseNote.restricted, caseNote.significant, draft, caseNote.authorUserId);
}

/** The partnership's note settings as a select, not awaited (the person page's count). */
export function noteSettingsQuery(q: DbOrTx, partnershipId: string) {
  return q.select().from(caseNoteSettings).where(eq(caseNoteSettings.partnershipId, partnershipId));
}

export async function findNote(q: DbOrTx, partnershipId: string, personId: string, noteId: string, lock = false) {
  const query = q
    .select(noteColumns)
    .from(caseNote)
    .leftJoin(appUser, eq(appUser.id, caseNote.authorUserId))
    .leftJoin(organisation, eq(organisation.id, caseNote.authorOrganisationId))
    .where(and(eq(caseNote.partnershipId, partnershipId), eq(caseNote.personId, personId), eq(caseNote.id, noteId)));
  return (await (lock ? query.for('update', { of: caseNote }) : query))[0] ?? null;
}

export async function insertNote(q: DbOrTx, values: typeof caseNote.$inferInsert): Promise<CaseNoteRow> {
  return (await q.insert(caseNote).values(values).returning())[0]!;
}

export type NoteChange = Pick<CaseNoteRow, 'type' | 'contactAt' | 'present' | 'body' | 'significant' | 'restricted' | 'restrictedReason' | 'linkedKind' | 'linkedId'> & { status?: 'draft' | 'finished'; finishedAt?: Date | null; corrections?: number };

/** The update at the version the form was opened at: no row back means somebody saved first. */
export async function updateNoteAtVersion(q: DbOrTx, partnershipId: string, noteId: string, version: number, values: NoteChange): Promise<CaseNoteRow[]> {
  return q
    .update(caseNote)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${caseNote.version} + 1` })
    .where(and(eq(caseNote.partnershipId, partnershipId), eq(caseNote.id, noteId), eq(caseNote.version, version)))
    .returning();
}

export async function insertVersion(q: DbOrTx, values: typeof caseNoteVersion.$inferInsert): Promise<CaseNoteVersionRow> {
  return (await q.insert(caseNoteVersion).values(values).returning())[0]!;
}

/** A note's earlier texts, newest first, with who replaced each. */
export async function findVersions(q: DbOrTx, partnershipId: string, noteId: string) {
  return q
    .select({ version: caseNoteVersion, replacedByName: appUser.displayName })
    .from(caseNoteVersion)
    .leftJoin(appUser, eq(appUser.id, caseNoteVersion.replacedBy))
    .where(and(eq(caseNoteVersion.partnershipId, partnershipId), eq(caseNoteVersion.noteId, noteId)))
    .orderBy(desc(caseNoteVersion.noteVersion));
}

const linkTables = { plan: 'aftercare_plan', review: 'review', meeting: 'meeting', task: 'task' } as const;

export interface Linkable {
  kind: keyof typeof linkTables;
  id: string;
  createdAt: string;
  label: string | null;
}

/** The person's plans, reviews, meetings and tasks a note may be linked to (newest first). */
export async function findLinkables(q: DbOrTx, partnershipId: string, personId: string): Promise<Linkable[]> {
  const parts = Object.entries(linkTables).map(
    ([kind, table]) => sql`select ${kind}::text as kind, id::text as id, created_at::text as "createdAt", ${kind === 'task' ? sql.raw('title') : sql.raw('null::text')} as label from ${sql.raw(table)} where partnership_id = ${partnershipId} and person_id = ${personId}`,
  );
  const rows = rowsOf<Linkable>(await q.execute(sql`select * from (${sql.join(parts, sql` union all `)}) l order by "createdAt" desc limit 200`));
  return rows;
}

export async function linkableExists(q: DbOrTx, partnershipId: string, personId: string, kind: keyof typeof linkTables, id: string): Promise<boolean> {
  const rows = rowsOf<{ one: number }>(await q.execute(sql`select 1 as one from ${sql.raw(linkTables[kind])} where partnership_id = ${partnershipId} and person_id = ${personId} and id = ${id}`));
  return rows.length > 0;
}

export async function findNoteSettings(q: DbOrTx, partnershipId: string) {
  return (await noteSettingsQuery(q, partnershipId))[0] ?? null;
}

export async function ensureNoteSettings(q: DbOrTx, partnershipId: string, defaultRoles: string[]) {
  await q.insert(caseNoteSettings).values({ partnershipId, restrictedRoles: defaultRoles }).onConflictDoNothing();
  return (await findNoteSettings(q, partnershipId))!;
}

export async function updateNoteSettings(q: DbOrTx, partnershipId: string, version: number, restrictedRoles: string[], updatedBy: string | null) {
  return q
    .update(caseNoteSettings)
    .set({ restrictedRoles, updatedBy, updatedAt: sql`now()`, version: sql`${caseNoteSettings.version} + 1` })
    .where(and(eq(caseNoteSettings.partnershipId, partnershipId), eq(caseNoteSettings.version, version)))
    .returning();
}


