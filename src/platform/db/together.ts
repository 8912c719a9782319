import { createHash } from 'node:crypto';
import { Column, is, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import * as drizzleUtils from 'drizzle-orm/utils';
import { rowsOf, type DbOrTx } from './database.ts';

/**
 * Several independent SELECTs in one statement, one round trip (docs/decisions/0019-one-statement-per-page.md).
 *
 * Each query is a Drizzle select built as usual (not awaited); it becomes a scalar subquery that
 * returns its rows as one JSON array, and every array comes back in one row of one statement:
 *
 *   select (select coalesce(json_agg(u), '[]') from (select t.c0, t.c1::text as c1 … from (<query>) as t(c0, c1 …)) as u) as r0, …
 *
 * Each row is then decoded by Drizzle's own row mapper (`mapResultRow`, the one its drivers
 * use), so the caller gets exactly what awaiting the query would give: Dates for timestamps,
 * nested objects for `{ task, ownerName }` selections, null for an unmatched left join.
 *
 * JSON keeps most types as the driver would give them (text, uuid, integer, boolean, date
 * strings, enums, arrays of those, json and jsonb, timestamps read as Dates). Types whose JSON
 * form differs from the driver's text form (timestamps kept as strings, numeric, bigint, time,
 * interval) are sent as text, which is what the driver receives for them. A column of any other
 * type (a custom type such as bytea) is refused when the statement is built, so a query that
 * cannot travel this way fails in its first test rather than changing a value. An expression
 * (`sql<…>`) travels as JSON: give it a type JSON keeps (cast a bigint `count(*)` to int).
 *
 * Row order: each query's ORDER BY is inside its subquery, and PostgreSQL aggregates the rows of
 * a sorted subquery in that order (the documented way to order `json_agg` input without an
 * ORDER BY of its own, which would need the query's sort keys by name).
 */

/** A Drizzle select, built and not awaited. */
export type Selectable = SQLWrapper & PromiseLike<unknown[]>;
interface Field {
  path: string[];
  field: unknown;
}
// Drizzle's own helpers, which its drivers use to decode rows (exported by drizzle-orm/utils, not typed there).
const { mapResultRow, orderSelectedFields } = drizzleUtils as unknown as {
  mapResultRow(fields: Field[], row: unknown[], joinsNotNullableMap: Record<string, boolean> | undefined): Record<string, unknown>;
  orderSelectedFields(fields: Record<string, unknown>): Field[];
};
type Rows<T> = T extends PromiseLike<infer R> ? R : never;

/** Column types whose JSON form is what the driver gives (or what Drizzle decodes to the same value). */
const asJson = new Set(['PgUUID', 'PgText', 'PgVarchar', 'PgChar', 'PgInteger', 'PgSmallInt', 'PgSerial', 'PgSmallSerial', 'PgBoolean', 'PgReal', 'PgDoublePrecision', 'PgJson', 'PgJsonb', 'PgDate', 'PgDateString', 'PgTimestamp', 'PgEnumColumn', 'PgEnumObjectColumn']);
/** Column types the driver receives as text and Drizzle decodes from text. */
const asText = new Set(['PgTimestampString', 'PgNumeric', 'PgNumericNumber', 'PgNumericBigInt', 'PgBigInt53', 'PgBigInt64', 'PgBigSerial53', 'PgBigSerial64', 'PgTime', 'PgInterval', 'PgInet', 'PgCidr', 'PgMacaddr', 'PgMacaddr8']);

function travelsAs(field: unknown): 'json' | 'text' {
  if (!is(field, Column)) return 'json';
  const column = field as Column & { baseColumn?: Column };
  const type = column.columnType === 'PgArray' && column.baseColumn ? column.baseColumn.columnType : column.columnType;
  if (asJson.has(type)) return 'json';
  if (asText.has(type) && column.columnType !== 'PgArray') return 'text';
  throw new Error(`selectTogether cannot carry the column ${column.name} (${column.columnType}); run that query on its own`);
}

interface Part {
  query: Selectable;
  fields: Field[];
  joinsNotNullableMap: Record<string, boolean> | undefined;
}

function partOf(query: Selectable): Part {
  // The select's own fields and join map, as its driver would read them when awaited.
  const built = query as unknown as { config?: { fields?: Record<string, unknown> }; joinsNotNullableMap?: Record<string, boolean> };
  if (!built.config?.fields) throw new Error('selectTogether takes Drizzle select queries');
  return { query, fields: orderSelectedFields(built.config.fields), joinsNotNullableMap: built.joinsNotNullableMap };
}

function subquery(part: Part, alias: string): SQL {
  const names = part.fields.map((_, i) => `c${i}`);
  const columns = part.fields.map((f, i) => (travelsAs(f.field) === 'text' ? `t.c${i}::text as c${i}` : `t.c${i}`));
  return sql`(select coalesce(json_agg(u), '[]'::json) from (select ${sql.raw(columns.join(', '))} from (${part.query}) as t(${sql.raw(names.join(', '))})) as u) as ${sql.identifier(alias)}`;
}

/** Run the queries as one statement; each key gets the rows its query would have returned. */
export async function selectTogether<T extends Record<string, Selectable>>(q: DbOrTx, queries: T): Promise<{ [K in keyof T]: Rows<T[K]> }> {
  const keys = Object.keys(queries);
  if (keys.length === 0) return {} as { [K in keyof T]: Rows<T[K]> };
  const parts = keys.map((k) => partOf(queries[k]!));
  const statement = sql.join([sql`select `, sql.join(parts.map((p, i) => subquery(p, `r${i}`)), sql`, `)]);
  const row = rowsOf<Record<string, unknown>>(await executeNamed(q, statement))[0]!;
  const out: Record<string, unknown[]> = {};
  parts.forEach((p, i) => {
    const raw = row[`r${i}`];
    const objects = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<Record<string, unknown>>;
    out[keys[i]!] = objects.map((o) =>
      mapResultRow(
        p.fields,
        p.fields.map((_, c) => o[`c${c}`] ?? null),
        p.joinsNotNullableMap,
      ),
    );
  });
  return out as { [K in keyof T]: Rows<T[K]> };
}

/** What a Drizzle database or transaction holds that `execute` uses (drizzle-orm's PgDatabase). */
interface DrizzleInternals {
  dialect: { sqlToQuery(statement: SQL): { sql: string; params: unknown[] } };
  session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: boolean): { execute(): Promise<unknown> } };
}

/**
 * Run a statement as a named prepared statement (decision 0019): a page's statement (the person
 * page's sections together, the chronology's page) has the same text on every request (its values are parameters), so each connection parses it once and
 * PostgreSQL can keep its plan instead of planning it again each time, which was most of the
 * database's work for the person page. The name is a digest of the text, so one name always
 * means one text. Exactly what `q.execute` does otherwise: the same logger, the same result.
 */
export async function executeNamed(q: DbOrTx, statement: SQL): Promise<unknown> {
  const { dialect, session } = q as unknown as DrizzleInternals;
  const query = dialect.sqlToQuery(statement);
  const name = `together_${createHash('sha256').update(query.sql).digest('base64url').slice(0, 24)}`;
  return session.prepareQuery(query, undefined, name, false).execute();
}
