import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { PG_TEMPLATE_DB, pgliteTemplate } from './global-setup.ts';

/**
 * A fresh, migrated database for one test file, on the engine under test:
 * PGlite by default, PostgreSQL when TEST_DATABASE_URL is set (as CI does; its browser suite
 * runs the app on PGlite, so both engines are exercised).
 */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dump = fs.readFileSync(pgliteTemplate);
    return openDatabase({ loadDataDir: new Blob([dump]) });
  }
  const name = `aftercare_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${PG_TEMPLATE_DB}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: dbUrl.toString(), poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/**
 * Environment for running the real CLI against an empty, unmigrated database on the
 * engine under test: a PGlite directory, or a new PostgreSQL database. `cleanup` removes it.
 */
export async function emptyDatabaseEnv(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-cli-'));
    return { env: { AFTERCARE_DATA_DIR: dir, DATABASE_URL: '' }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `aftercare_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: dbUrl.toString() },
    cleanup: async () => {
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Open the database a CLI test wrote to. */
export async function openFromEnv(env: Record<string, string>): Promise<Database> {
  return env.DATABASE_URL ? openDatabase({ databaseUrl: env.DATABASE_URL, poolSize: 2 }) : openDatabase({ dataDir: env.AFTERCARE_DATA_DIR });
}
