/**
 * Benchmark: importing an existing register (issue 7, item 6).
 *
 *   npx tsx bench/import.ts [rows] [--pglite]
 *
 * Generates a synthetic legacy register (the messy shape partnerships keep: mixed date formats,
 * NHS numbers with spaces, section labels written every which way, duplicates, blank lines,
 * some bad rows; src/modules/imports/testing/legacy-file.ts), 100,000 rows by default, as CSV.
 * Imports it as `npx aftercare import register --mode valid-only` does (upload and stage, check,
 * apply), on a throwaway PostgreSQL server holding the demo partnership (organisations and users,
 * no people), and prints rows per second. Then imports the same file again (everything
 * unchanged).
 *
 * The floor, measured in the same run on the same server: loading the same file with
 * PostgreSQL COPY into a staging table of 17 text columns (no checks, no rules engine, no
 * indexes). With --pglite, or when PostgreSQL is not installed, both run on embedded PGlite
 * (COPY FROM '/dev/blob').
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { cliContext } from '../src/cli/context.ts';
import { checkImport, createImport, runApply, startApply } from '../src/modules/imports/imports.service.ts';
import { readUpload } from '../src/modules/imports/read-file.ts';
import { legacyCsv, legacyRegister } from '../src/modules/imports/testing/legacy-file.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabase, rowsOf, type Database } from '../src/platform/db/database.ts';
import { seedDemo } from '../src/modules/demo/partnership.ts';
import { organisation } from '../src/platform/db/schema.ts';
import { createDatabase, describeServer, startPostgres, type BenchPostgres } from './register/postgres.ts';

const ROWS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
const forcePglite = process.argv.includes('--pglite');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-bench-import-'));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function fresh(server: BenchPostgres | null, name: string): Promise<{ database: Database; url: string | null; drop: () => Promise<void> }> {
  if (!server) {
    const database = await openDatabase({ dataDir: path.join(work, name) });
    await database.migrate();
    await seedDemo(database.db);
    return { database, url: null, drop: async () => undefined };
  }
  const created = await createDatabase(server.adminUrl, `aftercare_bench_import_${name}`);
  const database = await openDatabase({ databaseUrl: created.url, poolSize: 4 });
  await database.migrate();
  await seedDemo(database.db);
  return { database, url: created.url, drop: created.drop };
}

async function importOnce(database: Database, data: Buffer, label: string) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const [org] = await database.db.select().from(organisation).where(eq(organisation.isLead, true));
  const ctx = cliContext(database, config, org!.partnershipId, org!);
  const laps: Array<[string, number]> = [];
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    laps.push([name, now - t]);
    t = now;
  };
  const started = performance.now();
  const read = await readUpload(data, 'legacy-register.csv');
  lap('read file');
  const created = await createImport(ctx, read, 'legacy-register.csv', org!.id);
  lap('stage rows');
  const checked = await checkImport(ctx, created.id, { columns: created.columns, dayFirst: true });
  lap('check (dry run)');
  await startApply(ctx, created.id, 'valid-only');
  const done = await runApply(ctx, created.id);
  lap('apply');
  const seconds = (performance.now() - started) / 1000;
  const counts = done.counts as Record<string, number>;
  log(`${label}: ${read.rows.length.toLocaleString('en-GB')} rows in ${seconds.toFixed(1)} s = ${Math.round(read.rows.length / seconds).toLocaleString('en-GB')} rows/s`);
  log(`  created ${counts.create}, updated ${counts.update}, unchanged ${counts.unchanged}, rejected ${counts.reject} (dry run: ${JSON.stringify(checked.counts)})`);
  log(`  ${laps.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  return { seconds, rows: read.rows.length };
}

const STAGING = `create table legacy_staging (${[...Array(17).keys()].map((i) => `c${i} text`).join(', ')})`;

async function copyFloor(database: Database, url: string | null, file: string): Promise<number> {
  await database.db.execute(sql.raw(STAGING));
  const started = performance.now();
  if (url) {
    // Server-side COPY of the same file (the bench server runs on this machine as this user).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`copy legacy_staging from '${file.replace(/'/g, "''")}' with (format csv, header true)`);
    await client.end();
  } else {
    const client = (database.db as unknown as { $client: PGlite }).$client;
    await client.query(`copy legacy_staging from '/dev/blob' with (format csv, header true)`, [], { blob: new Blob([fs.readFileSync(file)]) });
  }
  const seconds = (performance.now() - started) / 1000;
  const n = Number(rowsOf<{ n: string | number }>(await database.db.execute(sql`select count(*) as n from legacy_staging`))[0]!.n);
  log(`Floor: COPY into a staging table: ${n.toLocaleString('en-GB')} rows in ${seconds.toFixed(2)} s = ${Math.round(n / seconds).toLocaleString('en-GB')} rows/s`);
  return seconds;
}

async function main(): Promise<void> {
  const server = forcePglite ? null : await startPostgres();
  try {
    fs.chmodSync(work, 0o755);
    const file = path.join(work, 'legacy-register.csv');
    const register = legacyRegister({ rows: ROWS, messy: true, skip: 100_000 });
    fs.writeFileSync(file, legacyCsv(register));
    const data = fs.readFileSync(file);
    // COPY has no notion of a blank line in CSV: the floor loads the same rows without them.
    const copyFile = path.join(work, 'legacy-register-no-blank-lines.csv');
    fs.writeFileSync(copyFile, data.toString('utf8').split('\n').filter((line) => line.trim() !== '').join('\n'));
    const target = await fresh(server, 'run');
    log(`Import benchmark: ${ROWS.toLocaleString('en-GB')}-row synthetic legacy register (${(data.length / 1024 / 1024).toFixed(1)} MB CSV; ${register.bad.size} bad rows, ${register.duplicates.size} duplicates), mode valid-only`);
    let engine = 'embedded PGlite (WASM PostgreSQL) in a data directory';
    if (server) {
      const pool = new pg.Pool({ connectionString: target.url!, max: 1 });
      engine = await describeServer(pool);
      await pool.end();
    }
    log(`Engine: ${engine}; node ${process.version}, ${os.cpus().length} CPUs`);
    const first = await importOnce(target.database, data, 'Import');
    await importOnce(target.database, data, 'Same file again (idempotent)');
    const floorSeconds = await copyFloor(target.database, target.url, copyFile);
    log(`Ratio import / COPY: ${(first.seconds / floorSeconds).toFixed(1)}×`);
    await target.database.close();
    await target.drop();
  } finally {
    server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
