import { asc, desc, eq, sql } from 'drizzle-orm';
import { bigint, boolean, customType, date, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/database.ts';
import { rowsOf, type Database } from './database.ts';
import { selectTogether } from './together.ts';

/*
 * selectTogether must give exactly what awaiting each query gives (decision 0019): every type
 * the person page reads, nulls, nested selections, an unmatched left join, order, no rows.
 * Runs on PGlite and on PostgreSQL (CI).
 */

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

const parent = pgTable('together_parent', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
});
const child = pgTable('together_child', {
  id: uuid('id').primaryKey(),
  parentId: uuid('parent_id'),
  position: integer('position').notNull(),
  label: text('label'),
  happenedOn: date('happened_on', { mode: 'string' }),
  happenedOnDate: date('happened_on_date', { mode: 'date' }),
  at: timestamp('at', { withTimezone: true }),
  atText: timestamp('at_text', { withTimezone: true, mode: 'string' }),
  localAt: timestamp('local_at'),
  done: boolean('done'),
  payload: jsonb('payload'),
  tags: text('tags').array(),
  amount: numeric('amount', { precision: 10, scale: 2 }),
  amountNumber: numeric('amount_number', { precision: 10, scale: 2, mode: 'number' }),
  big: bigint('big', { mode: 'number' }),
  blob: bytea('blob'),
});

let database: Database;
const parentA = '00000000-0000-4000-8000-00000000000a';

beforeAll(async () => {
  database = await freshDatabase();
  await database.db.execute(sql`create table together_parent (id uuid primary key, name text not null)`);
  await database.db.execute(
    sql`create table together_child (id uuid primary key, parent_id uuid, position integer not null, label text, happened_on date, happened_on_date date, at timestamptz, at_text timestamptz, local_at timestamp, done boolean, payload jsonb, tags text[], amount numeric(10,2), amount_number numeric(10,2), big bigint, blob bytea)`,
  );
  await database.db.insert(parent).values({ id: parentA, name: 'Northvale "team", with a comma' });
  await database.db.insert(child).values([
    {
      id: '00000000-0000-4000-8000-000000000001',
      parentId: parentA,
      position: 2,
      label: 'Line one\nline “two” — é',
      happenedOn: '2026-12-04',
      happenedOnDate: new Date('2026-12-04T00:00:00Z'),
      at: new Date('2026-06-30T23:30:15.123Z'),
      atText: '2026-06-30 23:30:15.123456+00',
      localAt: new Date('2026-01-02T03:04:05.678Z'),
      done: true,
      payload: { section: '3', nested: { list: [1, 'two', null] } },
      tags: ['a', 'b,c', ''],
      amount: '12.50',
      amountNumber: 7.25,
      big: 9_007_199_254_740,
    },
    { id: '00000000-0000-4000-8000-000000000002', parentId: null, position: 1, label: null },
    { id: '00000000-0000-4000-8000-000000000003', parentId: parentA, position: 3, done: false, payload: [], tags: [] },
  ]);
});
afterAll(async () => {
  await database.close();
});

describe('selectTogether', () => {
  it('gives each query the rows awaiting it gives, in one statement', async () => {
    const db = database.db;
    const { id, parentId, position, label, happenedOn, happenedOnDate, at, atText, localAt, done, payload, tags, amount, amountNumber, big } = child;
    const queries = () => ({
      all: db.select({ id, parentId, position, label, happenedOn, happenedOnDate, at, atText, localAt, done, payload, tags, amount, amountNumber, big }).from(child).orderBy(desc(child.position)),
      joined: db.select({ child: { id: child.id, position: child.position }, parentName: parent.name, parent }).from(child).leftJoin(parent, eq(parent.id, child.parentId)).orderBy(asc(child.position)),
      expression: db.select({ n: sql<number>`count(*)::int`, names: sql<string>`string_agg(${child.label}, '/')` }).from(child),
      none: db.select({ id: child.id }).from(child).where(eq(child.position, 99)),
    });
    const one = queries();
    const separately = { all: await one.all, joined: await one.joined, expression: await one.expression, none: await one.none };
    const together = await selectTogether(db, queries());

    expect(together).toEqual(separately);
    expect(together.all.map((r) => r.position)).toEqual([3, 2, 1]);
    expect(together.all[1]!.at).toBeInstanceOf(Date);
    expect(together.all[1]!.at!.toISOString()).toBe('2026-06-30T23:30:15.123Z');
    expect(together.all[1]!.amount).toBe('12.50');
    // An unmatched left join gives null for the joined table, as Drizzle does.
    expect(together.joined[0]!.parent).toBeNull();
    expect(together.joined[1]!.parent).toEqual({ id: parentA, name: 'Northvale "team", with a comma' });
    expect(together.none).toEqual([]);
  });

  it('works inside a transaction, and refuses a column it cannot carry faithfully', async () => {
    const rows = await database.db.transaction((tx) => selectTogether(tx, { labels: tx.select({ label: child.label }).from(child).orderBy(child.position) }));
    expect(rows.labels.map((r) => r.label)).toEqual([null, 'Line one\nline “two” — é', null]);
    await expect(selectTogether(database.db, { blobs: database.db.select({ blob: child.blob }).from(child) })).rejects.toThrow(/cannot carry the column blob/);
  });

  it('runs a statement as one named prepared statement, the same name for the same text, with new values each time', async () => {
    const rows = await database.db.transaction(async (tx) => {
      const read = (position: number) => selectTogether(tx, { one: tx.select({ position: child.position }).from(child).where(eq(child.position, position)) });
      const first = await read(1);
      const second = await read(3);
      const prepared = database.engine === 'postgres' ? rowsOf<{ name: string }>(await tx.execute(sql`select name from pg_prepared_statements where name like 'together_%'`)) : [];
      return { first, second, prepared };
    });
    expect(rows.first.one).toEqual([{ position: 1 }]);
    expect(rows.second.one).toEqual([{ position: 3 }]);
    // PostgreSQL keeps it on the connection (PGlite runs it unnamed): parsed once, its plan kept.
    if (database.engine === 'postgres') expect(rows.prepared.length).toBeGreaterThanOrEqual(1);
  });
});
