import type { Actor } from '../access/actor.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { ConflictError } from '../errors/errors.ts';

/** What every use case receives: who is acting, on which database, under which request. */
export interface ServiceContext {
  db: Db;
  actor: Actor;
  requestId: string;
  config: Config;
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
