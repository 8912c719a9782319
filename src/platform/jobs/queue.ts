import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/database.ts';
import { job } from '../db/schema.ts';

/**
 * A job queue in the database, shared by every app instance: a job is claimed with
 * FOR UPDATE SKIP LOCKED and a lease, so two instances never run the same job and a job
 * whose instance died is picked up again when its lease runs out.
 */
export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
}

export async function enqueue(
  db: Db,
  kind: string,
  payload: unknown = {},
  options: { runAt?: Date; dedupeKey?: string } = {},
): Promise<void> {
  await db
    .insert(job)
    .values({ kind, payload: payload, runAt: options.runAt ?? new Date(), dedupeKey: options.dedupeKey ?? null })
    .onConflictDoNothing();
}

export async function claimNext(db: Db, leaseMs: number): Promise<ClaimedJob | null> {
  const result = await db.execute(sql`
    update job set locked_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
    where id = (
      select id from job
      where done_at is null and run_at <= now() and (locked_until is null or locked_until < now())
      order by run_at
      limit 1
      for update skip locked
    )
    returning id, kind, payload, attempts`);
  const row = rowsOf<{ id: string; kind: string; payload: unknown; attempts: number | string }>(result)[0];
  return row ? { id: row.id, kind: row.kind, payload: row.payload, attempts: Number(row.attempts) } : null;
}

export async function complete(db: Db, id: string): Promise<void> {
  await db.execute(sql`update job set done_at = now(), locked_until = null, last_error = null where id = ${id}`);
}

/** Retry with exponential backoff (1, 2, 4 … minutes, at most an hour); the error is kept for the outbox view. */
export async function fail(db: Db, id: string, attempts: number, error: unknown): Promise<void> {
  const delayMs = Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));
  const message = error instanceof Error ? error.message : String(error);
  await db.execute(sql`
    update job set locked_until = null, last_error = ${message.slice(0, 2000)},
      run_at = now() + ${`${delayMs} milliseconds`}::interval
    where id = ${id}`);
}

export type JobHandler = (db: Db, payload: unknown) => Promise<void>;

/** Run due jobs until none is left; returns how many ran. */
export async function runDueJobs(db: Db, handlers: Record<string, JobHandler>, leaseMs = 5 * 60_000): Promise<number> {
  let ran = 0;
  for (;;) {
    const claimed = await claimNext(db, leaseMs);
    if (!claimed) return ran;
    const handler = handlers[claimed.kind];
    try {
      if (!handler) throw new Error(`No handler for job kind "${claimed.kind}"`);
      await handler(db, claimed.payload);
      await complete(db, claimed.id);
    } catch (error) {
      await fail(db, claimed.id, claimed.attempts, error);
    }
    ran += 1;
  }
}

/**
 * Queue a job and claim it at once with a lease, then run it in the background on this
 * instance: the user need not wait, and if this instance dies the lease runs out and the
 * housekeeping of any instance runs it again. `running` settles when it is done (tests await it).
 */
export async function startNow(
  db: Db,
  kind: string,
  payload: unknown,
  handler: JobHandler,
  options: { dedupeKey: string; leaseMs: number; onError: (error: unknown) => void },
): Promise<{ running: Promise<void> }> {
  await enqueue(db, kind, payload, { dedupeKey: options.dedupeKey });
  const claimed = rowsOf<{ id: string; payload: unknown }>(
    await db.execute(sql`
      update job set locked_until = now() + ${`${options.leaseMs} milliseconds`}::interval, attempts = attempts + 1
      where dedupe_key = ${options.dedupeKey} and done_at is null and (locked_until is null or locked_until < now())
      returning id, payload`),
  )[0];
  if (!claimed) return { running: Promise.resolve() };
  const running = (async () => {
    try {
      await handler(db, claimed.payload);
      await complete(db, claimed.id);
    } catch (error) {
      options.onError(error);
    }
  })();
  return { running };
}

/** The queue as a request or command sees it: bound to the database, which it never hands out. */
export interface JobQueue {
  startNow(kind: string, payload: unknown, handler: JobHandler, options: { dedupeKey: string; leaseMs: number; onError: (error: unknown) => void }): Promise<{ running: Promise<void> }>;
}

export function jobQueue(db: Db): JobQueue {
  return { startNow: (kind, payload, handler, options) => startNow(db, kind, payload, handler, options) };
}
