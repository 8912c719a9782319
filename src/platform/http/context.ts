import type { Actor } from '../access/actor.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import { openDoor, type DataDoor } from '../data/door.ts';
import type { Db } from '../db/database.ts';
import { ConflictError } from '../errors/errors.ts';
import { jobQueue, type JobQueue } from '../jobs/queue.ts';

/**
 * What every use case receives: who is acting, under which request, and the door to the data
 * opened for them. There is no raw database here (docs/decisions/0006-one-door-to-the-data.md).
 */
export interface ServiceContext {
  actor: Actor;
  requestId: string;
  config: Config;
  /** The one door to the data: tenant-filtered reads, audited transactions, audited person views. */
  data: DataDoor;
  /** The application's clock: tests set it instead of depending on today. */
  clock: Clock;
  /** Today's date in England by `clock` (YYYY-MM-DD). */
  today(): string;
  /** The job queue, to start work in the background (it never hands out the database). */
  jobs: JobQueue;
}

export interface ServiceContextInput {
  db: Db;
  actor: Actor;
  requestId: string;
  config: Config;
  clock?: Clock | undefined;
}

/** The context for a request, a job or a command, each with its own actor: the door opened for that actor. */
export function serviceContext({ db, actor, requestId, config, clock = systemClock }: ServiceContextInput): ServiceContext {
  return { actor, requestId, config, clock, data: openDoor(db, actor, requestId), today: () => clock.today(), jobs: jobQueue(db) };
}

/** The same context acting as another actor of the same partnership (its door follows the actor). */
export function contextAs(ctx: ServiceContext, actor: Actor): ServiceContext {
  return { ...ctx, actor, data: ctx.data.forActor(actor, ctx.requestId) };
}

/**
 * Optimistic concurrency: an UPDATE … WHERE id = ? AND version = ? RETURNING … that
 * matched no row means somebody else saved first (or the record is gone).
 */
export function expectOneUpdated<T>(rows: T[]): T {
  const row = rows[0];
  if (!row) throw new ConflictError();
  return row;
}
