import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db/database.ts';

/**
 * Fixed-window counters in the database, so limits hold across every app instance
 * behind a load balancer. One round trip: the upsert resets an expired window.
 */
export async function hit(
  db: DbOrTx,
  key: string,
  windowMs: number,
): Promise<{ count: number; resetAt: Date }> {
  const result = await db.execute(sql`
    insert into rate_limit (key, count, reset_at)
    values (${key}, 1, now() + ${`${windowMs} milliseconds`}::interval)
    on conflict (key) do update set
      count = case when rate_limit.reset_at <= now() then 1 else rate_limit.count + 1 end,
      reset_at = case when rate_limit.reset_at <= now() then excluded.reset_at else rate_limit.reset_at end
    returning count, reset_at`);
  const row = rowsOf<{ count: number | string; reset_at: string | Date }>(result)[0]!;
  return { count: Number(row.count), resetAt: new Date(row.reset_at) };
}

/** The live counts of some keys, without counting anything: looking never extends a window. */
export async function peek(db: DbOrTx, keys: string[]): Promise<Map<string, { count: number; resetAt: Date }>> {
  const result = await db.execute(sql`
    select key, count, reset_at from rate_limit
    where key in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)}) and reset_at > now()`);
  return new Map(
    rowsOf<{ key: string; count: number | string; reset_at: string | Date }>(result).map((r) => [r.key, { count: Number(r.count), resetAt: new Date(r.reset_at) }]),
  );
}

export async function clear(db: DbOrTx, key: string): Promise<void> {
  await db.execute(sql`delete from rate_limit where key = ${key}`);
}

export async function purgeExpiredRateLimits(db: DbOrTx): Promise<number> {
  return rowsOf(await db.execute(sql`delete from rate_limit where reset_at <= now() returning key`)).length;
}
