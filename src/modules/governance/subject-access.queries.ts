import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { personDocument } from '../documents/index.ts';
import { person } from '../register/index.ts';
import type { ExportedTable } from './subject-access.tables.ts';

/*
 * The subject access export's data layer. Handed the door's handle by the service, so row-level
 * security confines every statement to the actor's partnership; the partnership filter stays.
 */

/** Every row of one table about the person, as JSON (columns by their database names). */
export async function rowsAboutPerson(q: DbOrTx, table: ExportedTable, partnershipId: string, person: { id: string; nhsNumber: string }): Promise<Array<Record<string, unknown>>> {
  const omit = table.omit?.length ? sql.raw(` - array[${table.omit.map((c) => `'${c}'`).join(', ')}]::text[]`) : sql.raw('');
  const value = table.match === 'nhs-number' ? person.nhsNumber : person.id;
  const exported = table.withheldWhen ? sql.raw(` and not ${table.withheldWhen}`) : sql.raw('');
  const rows = rowsOf<{ row: Record<string, unknown> }>(
    await q.execute(sql`select (to_jsonb(t)${omit}) as row from ${sql.raw(table.from)} where t.partnership_id = ${partnershipId} and ${sql.raw(table.personColumn)} = ${value}${exported} order by ${sql.raw(table.orderBy)}`),
  );
  return rows.map((r) => r.row);
}

/** How many rows of one table about the person are withheld from the export pending review (0 if the table withholds none). */
export async function withheldAboutPerson(q: DbOrTx, table: ExportedTable, partnershipId: string, person: { id: string; nhsNumber: string }): Promise<number> {
  if (!table.withheldWhen) return 0;
  const value = table.match === 'nhs-number' ? person.nhsNumber : person.id;
  const rows = rowsOf<{ n: number }>(
    await q.execute(sql`select count(*)::int as n from ${sql.raw(table.from)} where t.partnership_id = ${partnershipId} and ${sql.raw(table.personColumn)} = ${value} and ${sql.raw(table.withheldWhen)}`),
  );
  return rows[0]?.n ?? 0;
}

export interface AuditEntry {
  at: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  actorName: string | null;
  viaApiToken: string | null;
  organisationName: string | null;
  requestId: string | null;
}

/** The audit trail of the record: every event whose subject is the person or one of the rows about them. */
export async function auditOfRecord(q: DbOrTx, partnershipId: string, subjectIds: string[]): Promise<AuditEntry[]> {
  if (subjectIds.length === 0) return [];
  return rowsOf<AuditEntry>(
    await q.execute(sql`
      select to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "at", a.action, a.subject_type as "subjectType", a.subject_id as "subjectId",
        u.display_name as "actorName", k.name as "viaApiToken", o.name as "organisationName", a.request_id as "requestId"
      from audit_event a
      left join app_user u on u.id = a.actor_user_id
      left join api_token k on k.partnership_id = a.partnership_id and k.id = a.actor_token_id
      left join organisation o on o.id = a.organisation_id
      where a.partnership_id = ${partnershipId} and a.subject_id in (${sql.join(
        subjectIds.map((id) => sql`${id}`),
        sql`, `,
      )})
      order by a.at, a.id`),
  );
}

/** The stored documents themselves, byte for byte. */
export async function documentFiles(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ id: personDocument.id, fileName: personDocument.fileName, content: personDocument.content, contentHash: personDocument.contentHash, createdAt: personDocument.createdAt })
    .from(personDocument)
    .where(and(eq(personDocument.partnershipId, partnershipId), eq(personDocument.personId, personId)))
    .orderBy(personDocument.createdAt, personDocument.id);
}

/** Which tables of the database have a person or NHS number column (the completeness check). */
export async function tablesHoldingPeople(q: DbOrTx): Promise<string[]> {
  return rowsOf<{ table: string }>(
    await q.execute(sql`
      select distinct c.table_name as "table"
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and c.column_name in ('person_id', 'nhs_number')
      order by 1`),
  ).map((r) => r.table);
}

/** The person with this NHS number in the partnership, if any (the caller then checks access). */
export async function findPersonIdByNhsNumber(q: DbOrTx, partnershipId: string, nhsNumber: string): Promise<string | null> {
  return (await q.select({ id: person.id }).from(person).where(and(eq(person.partnershipId, partnershipId), eq(person.nhsNumber, nhsNumber))))[0]?.id ?? null;
}
