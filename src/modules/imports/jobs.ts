import { sql } from 'drizzle-orm';
import pg from 'pg';
import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.ts';
import { rowsOf, type Db } from '../../platform/db/database.ts';
import { complete, enqueue } from '../../platform/jobs/queue.ts';
import { getImport, runApply } from './imports.service.ts';

/*
 * Applying an import runs as a job of the platform queue (kind `apply-register-import`), so a
 * large file can be left running: the app instance that took the request claims the job at
 * once with a 30-minute lease and runs it in the background; if that instance dies, the lease
 * runs out and the hourly housekeeping of any instance (src/server.ts) runs it again. Running
 * it again is safe: all-or-nothing rolled back as a whole, and valid-only carries on because
 * events are idempotent by externalId.
 */
export const APPLY_IMPORT_JOB = 'apply-register-import';
const LEASE = '30 minutes';

const payloadSchema = z.object({ importId: z.uuid(), requestId: z.string(), actor: z.custom<Actor>((v) => typeof v === 'object' && v !== null && 'partnershipId' in v) });

/** On PostgreSQL progress is written through another pooled connection while the transaction runs; PGlite has one connection. */
export function progressDbFor(db: Db): Db | undefined {
  return (db as unknown as { $client?: unknown }).$client instanceof pg.Pool ? db : undefined;
}

/** The job handler: apply the import if it is still waiting to be. Failures are recorded on the import itself. */
export async function handleApplyJob(db: Db, payload: unknown): Promise<void> {
  const parsed = payloadSchema.safeParse(payload);
  // The hourly housekeeping tick enqueues every kind with an empty payload: nothing to do.
  if (!parsed.success) return;
  const ctx = { db, actor: parsed.data.actor, requestId: parsed.data.requestId };
  const row = await getImport(ctx, parsed.data.importId);
  if (row.status !== 'applying') return;
  try {
    await runApply(ctx, row.id, { progressDb: progressDbFor(db) });
  } catch {
    // runApply has marked the import failed with the reason, shown on its page.
  }
}

/** Queue the apply and start it now in the background; `running` settles when it is done (tests await it). */
export async function queueApply(db: Db, payload: { importId: string; actor: Actor; requestId: string }, startedAt: Date, onError: (error: unknown) => void): Promise<{ running: Promise<void> }> {
  const dedupeKey = `${APPLY_IMPORT_JOB}:${payload.importId}:${startedAt.toISOString()}`;
  await enqueue(db, APPLY_IMPORT_JOB, payload, { dedupeKey });
  const claimed = rowsOf<{ id: string; payload: unknown }>(
    await db.execute(sql`
      update job set locked_until = now() + ${LEASE}::interval, attempts = attempts + 1
      where dedupe_key = ${dedupeKey} and done_at is null and (locked_until is null or locked_until < now())
      returning id, payload`),
  )[0];
  if (!claimed) return { running: Promise.resolve() };
  const running = (async () => {
    try {
      await handleApplyJob(db, claimed.payload);
      await complete(db, claimed.id);
    } catch (error) {
      onError(error);
    }
  })();
  return { running };
}
