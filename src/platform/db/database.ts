import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** One interface over both drivers: services never know which engine they run on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

export interface OpenOptions {
  /** postgres://… selects a PostgreSQL server; otherwise embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; omitted means in memory. */
  dataDir?: string | undefined;
  /** Start PGlite from a dumped data directory (tests use a migrated template). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.loadDataDir);
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir ? { dataDir, loadDataDir } : { loadDataDir });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    migrate: async () => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

const BEGIN = /^begin( read only| read write)?$/i;

/**
 * A PostgreSQL connection that sends a transaction's BEGIN in the same message as the statement
 * after it, when that statement has no parameters (the door's tenant set-up is written so): one
 * round trip fewer for every unit of work (docs/decisions/0006-one-door-to-the-data.md). Both
 * travel in one simple-protocol message, which PostgreSQL runs in order, stopping at an error.
 */
export class OneTripBeginClient extends pg.Client {
  #pendingBegin: string | null = null;

  // pg's query() has many overloads; this forwards every call unchanged except the two above.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const [config, values, callback] = args as [unknown, unknown, unknown];
    const cfg = typeof config === 'object' && config !== null ? (config as { text?: unknown; values?: unknown; name?: unknown; submit?: unknown }) : null;
    const text = typeof config === 'string' ? config : cfg?.text;
    const params = Array.isArray(values) ? values : Array.isArray(cfg?.values) ? cfg.values : [];
    const plain =
      typeof text === 'string' && params.length === 0 && typeof values !== 'function' && typeof callback !== 'function' && !cfg?.name && typeof cfg?.submit !== 'function';
    if (this.#pendingBegin === null) {
      if (plain && BEGIN.test(text.trim())) {
        this.#pendingBegin = text;
        return Promise.resolve({ command: 'BEGIN', rowCount: null, oid: 0, rows: [], fields: [] });
      }
      return super.query(...(args as Parameters<pg.Client['query']>));
    }
    const begin = this.#pendingBegin;
    this.#pendingBegin = null;
    if (plain) {
      const combined = typeof config === 'string' ? `${begin}; ${text}` : { ...cfg, text: `${begin}; ${text}` };
      return (super.query(combined as pg.QueryConfig) as Promise<pg.QueryResult | pg.QueryResult[]>).then((results) =>
        Array.isArray(results) ? results[results.length - 1] : results,
      );
    }
    return super.query(begin).then(() => super.query(...(args as Parameters<pg.Client['query']>)));
  }
}

async function openPostgres(connectionString: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max, application_name: 'aftercare', Client: OneTripBeginClient });
  // An idle connection can be dropped by the server (restart, failover, admin command). The
  // pool replaces it; without a listener the 'error' event would crash the process.
  pool.on('error', (error) => {
    console.error(`PostgreSQL closed an idle connection: ${error.message}`);
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    engine: 'postgres',
    migrate: async () => {
      // One instance migrates at a time when several start together behind a load balancer.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(117117)');
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock(117117)').catch(() => undefined);
        client.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      if (!closed) {
        closed = true;
        await pool.end();
      }
    },
  };
}

/** PGlite can export its whole data directory; tests migrate once and start each file from the dump. */
export async function dumpPglite(database: Database): Promise<Blob> {
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return client.dumpDataDir('none');
}

/** Rows of a raw `db.execute(sql…)`: both drivers answer with `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
