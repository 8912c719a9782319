import type { Actor } from '../access/actor.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import { openDoor, type DataDoor } from '../data/door.ts';
import type { Db } from '../db/database.ts';
import { ConflictError } from '../errors/errors.ts';

/** What every use case receives: who is acting, on which database, under which request. */
export interface ServiceContext {
  /**
   * The raw database, outside the door: no tenant filter, no audit. Only for modules not yet
   * moved to `data` (docs/decisions/0006-one-door-to-the-data.md lists them); new code uses `data`.
   */
  db: Db;
  actor: Actor;
  requestId: string;
  config: Config;
  /** The one door to the data: tenant-filtered reads, audited transactions, audited person views. */
  data: DataDoor;
  /** The application's clock: tests set it instead of depending on today. */
  clock: Clock;
  /** Today's date in England by `clock` (YYYY-MM-DD). */
  today(): string;
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
  return { db, actor, requestId, config, clock, data: openDoor(db, actor, requestId), today: () => clock.today() };
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
