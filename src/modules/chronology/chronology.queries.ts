import { sql } from 'drizzle-orm';
import { containsPattern, type ChronologyCursor, type ChronologyKind } from '../../domain/chronology.ts';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { executeNamed } from '../../platform/db/together.ts';
import { chronologySources, type SourceParams } from './sources.queries.ts';

/* The chronology's data layer: one statement per page, handed the door's handle (row-level security applies). */

export interface ChronologyRow {
  /** The instant, as ISO 8601 text with microseconds (the cursor keeps it exactly). */
  at: string;
  timed: boolean;
  kind: ChronologyKind;
  id: string;
  title: string;
  summary: string;
  significant: boolean;
  href: string;
}

export interface ChronologyQuery {
  /** The kinds to include; empty means every kind. */
  kinds: readonly ChronologyKind[];
  significantOnly: boolean;
  search: string;
  /** Start after this entry (the last one of the page before). */
  after: ChronologyCursor | null;
  limit: number;
}

/**
 * One page of the person's chronology in one statement: the chosen sources joined by UNION ALL,
 * filtered (significant only, the search on title and summary, the keyset) and ordered by
 * (at newest first, kind, id). PostgreSQL pushes the outer conditions into each branch.
 */
export async function findChronology(q: DbOrTx, params: SourceParams, query: ChronologyQuery): Promise<ChronologyRow[]> {
  const sources = chronologySources.filter((s) => query.kinds.length === 0 || query.kinds.includes(s.kind));
  if (sources.length === 0) return [];
  const union = sql.join(
    sources.map((s) => sql`(${s.rows(params)})`),
    sql` union all `,
  );
  const conditions = [sql`true`];
  if (query.significantOnly) conditions.push(sql`c.significant`);
  if (query.search) {
    const pattern = containsPattern(query.search);
    conditions.push(sql`(c.title ilike ${pattern} or c.summary ilike ${pattern})`);
  }
  if (query.after) {
    const a = query.after;
    conditions.push(sql`(c.at < ${a.at}::timestamptz or (c.at = ${a.at}::timestamptz and (c.kind > ${a.kind}::text or (c.kind = ${a.kind}::text and c.id > ${a.id}::text))))`);
  }
  // Prepared once per connection: planning the union of every source is most of the statement's cost.
  const result = await executeNamed(q, sql`
    select to_char(c.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, c.timed, c.kind, c.id, c.title, coalesce(c.summary, '') as summary, c.significant, c.href
    from (${union}) as c
    where ${sql.join(conditions, sql` and `)} and c.at is not null
    order by c.at desc, c.kind, c.id
    limit ${query.limit}`);
  return rowsOf<ChronologyRow>(result);
}
