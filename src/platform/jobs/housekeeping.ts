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

export async function housekeepingTick(db: Db, now = new Date()): Promise<number> {
  const hour = now.toISOString().slice(0, 13);
  for (const kind of Object.keys(housekeepingHandlers)) await enqueue(db, kind, {}, { dedupeKey: `${kind}:${hour}` });
  return runDueJobs(db, housekeepingHandlers);
}

export function startHousekeeping(db: Db, log: FastifyBaseLogger, everyMs = 60_000): { stop: () => void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await housekeepingTick(db);
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
