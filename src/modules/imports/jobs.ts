import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.ts';
import { systemClock } from '../../platform/clock.ts';
import { openDoor } from '../../platform/data/door.ts';
import type { Db } from '../../platform/db/database.ts';
import type { JobQueue } from '../../platform/jobs/queue.ts';
import { getImport, runApply, type ImportContext } from './imports.service.ts';

/*
 * Applying an import runs as a job of the platform queue (kind `apply-register-import`), so a
 * large file can be left running: the app instance that took the request claims the job at
 * once with a 30-minute lease and runs it in the background; if that instance dies, the lease
 * runs out and the hourly housekeeping of any instance (src/server.ts) runs it again. Running
 * it again is safe: all-or-nothing rolled back as a whole, and valid-only carries on because
 * events are idempotent by externalId.
 */
export const APPLY_IMPORT_JOB = 'apply-register-import';
const LEASE_MS = 30 * 60_000;

const payloadSchema = z.object({ importId: z.uuid(), requestId: z.string(), actor: z.custom<Actor>((v) => typeof v === 'object' && v !== null && 'partnershipId' in v) });

/** The job handler: apply the import if it is still waiting to be, through the door opened for the actor who asked. */
export async function handleApplyJob(db: Db, payload: unknown): Promise<void> {
  const parsed = payloadSchema.safeParse(payload);
  // The hourly housekeeping tick enqueues every kind with an empty payload: nothing to do.
  if (!parsed.success) return;
  const { actor, requestId } = parsed.data;
  const ctx: ImportContext = { actor, requestId, data: openDoor(db, actor, requestId), today: () => systemClock.today() };
  const row = await getImport(ctx, parsed.data.importId);
  if (row.status !== 'applying') return;
  try {
    await runApply(ctx, row.id);
  } catch {
    // runApply has marked the import failed with the reason, shown on its page.
  }
}

/** Queue the apply and start it now in the background; `running` settles when it is done (tests await it). */
export async function queueApply(jobs: JobQueue, payload: { importId: string; actor: Actor; requestId: string }, startedAt: Date, onError: (error: unknown) => void): Promise<{ running: Promise<void> }> {
  return jobs.startNow(APPLY_IMPORT_JOB, payload, handleApplyJob, { dedupeKey: `${APPLY_IMPORT_JOB}:${payload.importId}:${startedAt.toISOString()}`, leaseMs: LEASE_MS, onError });
}
