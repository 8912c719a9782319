import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { partnership } from '../db/schema.ts';

/*
 * Whether the database holds no partnership yet (issue 14, item 1): the sign-in page of an empty
 * database explains how to set one up instead of offering a sign-in nobody can pass. Once a
 * partnership exists it always will, so that answer is remembered and not asked again.
 */
const known = new WeakMap<Db, true>();

export async function holdsNoPartnership(db: Db): Promise<boolean> {
  if (known.has(db)) return false;
  const rows = await db.select({ one: sql<number>`1` }).from(partnership).limit(1);
  if (rows.length > 0) known.set(db, true);
  return rows.length === 0;
}
