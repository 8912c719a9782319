import type { FastifyBaseLogger } from 'fastify';
import { purgeExpiredRateLimits } from '../auth/rate-limit.ts';
import { purgeExpiredSessions } from '../auth/session-store.ts';
import type { Db } from '../db/database.ts';
import { enqueue, runDueJobs, type JobHandler } from './queue.ts';

/** Recurring platform jobs. Each hour's run has a dedupe key, so several instances enqueue it once. */
export const housekeepingHandlers: Record<string, JobHandler> = {
  'purge-expired-sessions': async (db) => {
    await purgeExpiredSessions(db);
  },
  'purge-expired-rate-limits': async (db) => {
    await purgeExpiredRateLimits(db);
  },
};

/**
 * Enqueue this hour's run of every recurring job (once across all instances, by dedupe key)
 * and run whatever is due. Capabilities add their own recurring jobs through `extra`.
 */
export async function housekeepingTick(db: Db, extra: Record<string, JobHandler> = {}, now = new Date()): Promise<number> {
  const hour = now.toISOString().slice(0, 13);
  const handlers = { ...housekeepingHandlers, ...extra };
  for (const kind of Object.keys(handlers)) await enqueue(db, kind, {}, { dedupeKey: `${kind}:${hour}` });
  return runDueJobs(db, handlers);
}

export function startHousekeeping(db: Db, log: FastifyBaseLogger, extra: Record<string, JobHandler> = {}, everyMs = 60_000): { stop: () => void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await housekeepingTick(db, extra);
    } catch (error) {
      log.error({ err: error }, 'housekeeping failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
