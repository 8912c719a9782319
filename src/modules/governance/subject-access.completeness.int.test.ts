import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.ts';
import { freshDatabase } from '../../../test/database.ts';
import { tablesHoldingPeople } from './subject-access.queries.ts';
import { exportedTables, notExported } from './subject-access.tables.ts';

/*
 * Issue 14, item 6: a table added tomorrow cannot be silently left out of a subject access export.
 * The database's own catalogue (information_schema, after every migration) says which tables have
 * a person_id or an NHS number column; each must be exported or listed as not exported, with why.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
}, 60_000);
afterAll(async () => {
  await database?.close();
});

describe('the subject access export covers every table that holds something about a person', () => {
  it('exports, or explains leaving out, every table with a person_id or nhs_number column', async () => {
    const holding = await tablesHoldingPeople(database.db);
    expect(holding.length).toBeGreaterThan(20);
    const covered = new Set([...exportedTables.map((t) => t.table), ...Object.keys(notExported)]);
    const missing = holding.filter((table) => !covered.has(table));
    expect(missing, 'add each table to exportedTables in subject-access.tables.ts, or to notExported with the reason').toEqual([]);
  });

  it('bites: a new table with a person_id column and no entry is reported', async () => {
    await database.db.execute(sql`create table completeness_probe (partnership_id uuid, person_id uuid)`);
    try {
      const covered = new Set([...exportedTables.map((t) => t.table), ...Object.keys(notExported)]);
      expect((await tablesHoldingPeople(database.db)).filter((table) => !covered.has(table))).toEqual(['completeness_probe']);
    } finally {
      await database.db.execute(sql`drop table completeness_probe`);
    }
  });

  it('names only tables that exist, each once, with a reason for every table left out', async () => {
    const holding = new Set(await tablesHoldingPeople(database.db));
    const names = exportedTables.map((t) => t.table);
    expect(new Set(names).size).toBe(names.length);
    // Tables reached through another (audit_finding through audit_case) need not have a person column themselves.
    const reachedThroughAnother = exportedTables.filter((t) => !t.personColumn.startsWith('t.')).map((t) => t.table);
    expect(names.filter((n) => !holding.has(n) && !reachedThroughAnother.includes(n))).toEqual([]);
    for (const [table, reason] of Object.entries(notExported)) {
      expect(holding.has(table), table).toBe(true);
      expect(reason.length, table).toBeGreaterThan(10);
    }
  });
});
