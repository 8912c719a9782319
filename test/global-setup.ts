import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { dumpPglite, openDatabase } from '../src/platform/db/database.ts';

/**
 * Migrate once, then every test file starts from that state:
 *  - PGlite (default): a dump of the migrated data directory, loaded by each file;
 *  - PostgreSQL (TEST_DATABASE_URL): a migrated template database each file copies.
 */
export const tmpDir = path.resolve(import.meta.dirname, '../.test-tmp');
export const pgliteTemplate = path.join(tmpDir, 'pglite-template.tar');
export const PG_TEMPLATE_DB = 'aftercare_test_template';

export default async function setup(): Promise<void> {
  fs.mkdirSync(tmpDir, { recursive: true });
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${PG_TEMPLATE_DB} with (force)`);
    const stale = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'aftercare_test_%'`);
    for (const row of stale.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
    await admin.query(`create database ${PG_TEMPLATE_DB}`);
    await admin.end();
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${PG_TEMPLATE_DB}`;
    const database = await openDatabase({ databaseUrl: templateUrl.toString(), poolSize: 1 });
    await database.migrate();
    await database.close();
    return;
  }
  const database = await openDatabase({});
  await database.migrate();
  const blob = await dumpPglite(database);
  fs.writeFileSync(pgliteTemplate, Buffer.from(await blob.arrayBuffer()));
  await database.close();
}
