import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { countOf } from '../../platform/plain-language.ts';
import { parseOptions } from '../context.ts';
import type { CliCommand, CliIo } from '../io.ts';

const run = promisify(execFile);

const USAGE = `Usage: npx aftercare backup verify [--database-url URL]

The restore drill (docs/operations/restore-drill.md): dumps the database with pg_dump (custom
format), restores the dump into a scratch database on the same server (aftercare_verify_<random>)
with pg_restore, and compares every table's row count and checksum between the two. The scratch
database is always dropped. DATABASE_URL unless --database-url is given; pg_dump and pg_restore
must be on the PATH, and the user must be able to create databases.
Exit status: 0 every table matches, 1 a mismatch or a tool failed, 2 usage error.`;

/** One table's row count and checksum. */
export interface TableSummary {
  table: string;
  rows: number;
  checksum: string;
}

export interface TableResult {
  table: string;
  source: TableSummary | null;
  restored: TableSummary | null;
  matches: boolean;
}

export interface BackupVerifyResult {
  ok: boolean;
  tables: TableResult[];
  rows: number;
  scratchDatabase: string;
}

export class BackupVerifyError extends Error {}

/**
 * Every row of every base table in every schema but PostgreSQL's own, including drizzle's
 * migration journal (schema `drizzle`). The checksum is order-independent: the sum, as an exact
 * number, of the first 60 bits of each row's md5 (a table of any size in constant memory, with no
 * dependence on collation), shown as md5 of that sum. The count is compared separately.
 */
const TABLES_SQL = `
  select quote_ident(table_schema) || '.' || quote_ident(table_name) as name
  from information_schema.tables
  where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg\\_%'
  order by 1`;

function checksumSql(table: string): string {
  return `select count(*)::bigint as rows,
    md5(coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint::numeric), 0)::text) as checksum
    from ${table} t`;
}

/**
 * The same session settings on both sides, so a row's text is the same wherever it is read:
 * row_security off makes a query that row-level security would filter fail rather than
 * silently miss rows (the owner and superusers read every row; see the restore drill).
 */
async function prepare(client: pg.Client): Promise<void> {
  await client.query(`set row_security = off; set timezone = 'UTC'; set datestyle = 'ISO, YMD'; set intervalstyle = 'postgres'; set extra_float_digits = 3; set bytea_output = 'hex'`);
}

async function summarise(client: pg.Client): Promise<Map<string, TableSummary>> {
  const tables = (await client.query<{ name: string }>(TABLES_SQL)).rows.map((r) => r.name);
  const result = new Map<string, TableSummary>();
  for (const table of tables) {
    const row = (await client.query<{ rows: string; checksum: string }>(checksumSql(table))).rows[0]!;
    result.set(table, { table, rows: Number(row.rows), checksum: row.checksum });
  }
  return result;
}

/** The URL without its password, and the environment that carries it to pg_dump and pg_restore (never on their command line). */
function connection(url: string, database?: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  if (database) u.pathname = `/${database}`;
  return { url: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function tool(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(name, args, { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string | number; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new BackupVerifyError(`${name} was not found: install the PostgreSQL client tools (for example apt-get install postgresql-client) in the same major version as the server or later.`);
    throw new BackupVerifyError(`${name} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

export interface VerifyOptions {
  databaseUrl: string;
  io: CliIo;
  /** Test hook: called with the scratch database's URL after the restore, before it is compared. */
  afterRestore?: (restoredUrl: string) => Promise<void>;
}

/**
 * Dump, restore into a scratch database, compare. The source's counts and checksums are read in
 * the same snapshot as the dump (pg_export_snapshot), so work going on meanwhile cannot make a
 * false mismatch. The scratch database is dropped whatever happens.
 */
export async function verifyBackup(options: VerifyOptions): Promise<BackupVerifyResult> {
  const { databaseUrl, io } = options;
  const scratch = `aftercare_verify_${randomBytes(6).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-backup-'));
  const dumpFile = path.join(dir, 'aftercare.dump');
  const source = new pg.Client({ connectionString: databaseUrl });
  let created = false;
  try {
    await source.connect();
    const serverVersion = (await source.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
    io.stdout.write(`Checking a backup of ${new URL(databaseUrl).pathname.slice(1) || 'the database'} (PostgreSQL ${serverVersion}).\n`);
    await source.query('begin isolation level repeatable read read only');
    await prepare(source);
    const snapshot = (await source.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;

    const from = connection(databaseUrl);
    io.stdout.write('1. Dumping with pg_dump (custom format)…\n');
    await tool('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--file=${dumpFile}`, `--dbname=${from.url}`], from.env);
    const sourceSummary = await summarise(source);
    await source.query('commit');
    io.stdout.write(`   ${(fs.statSync(dumpFile).size / 1024 / 1024).toFixed(1)} MB written.\n`);

    io.stdout.write(`2. Restoring into the scratch database ${scratch} with pg_restore…\n`);
    await source.query(`create database ${scratch} template template0`);
    created = true;
    const to = connection(databaseUrl, scratch);
    await tool('pg_restore', ['--exit-on-error', '--single-transaction', `--dbname=${to.url}`, dumpFile], to.env);
    if (options.afterRestore) await options.afterRestore(withDatabase(databaseUrl, scratch));

    io.stdout.write('3. Comparing every table…\n');
    const restored = new pg.Client({ connectionString: withDatabase(databaseUrl, scratch) });
    await restored.connect();
    let restoredSummary: Map<string, TableSummary>;
    try {
      await prepare(restored);
      restoredSummary = await summarise(restored);
    } finally {
      await restored.end();
    }

    const names = [...new Set([...sourceSummary.keys(), ...restoredSummary.keys()])].sort();
    const tables = names.map((table) => {
      const s = sourceSummary.get(table) ?? null;
      const r = restoredSummary.get(table) ?? null;
      return { table, source: s, restored: r, matches: s !== null && r !== null && s.rows === r.rows && s.checksum === r.checksum };
    });
    const rows = tables.reduce((n, t) => n + (t.source?.rows ?? 0), 0);
    return { ok: tables.every((t) => t.matches), tables, rows, scratchDatabase: scratch };
  } finally {
    try {
      if (created) await source.query(`drop database if exists ${scratch} with (force)`);
    } finally {
      await source.end().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function printResult(result: BackupVerifyResult, io: CliIo): void {
  const width = Math.max(5, ...result.tables.map((t) => t.table.length));
  io.stdout.write(`\n${pad('Table', width)}  ${pad('Rows', 9)}  ${pad('Restored', 9)}  ${pad('Checksum', 32)}  Result\n`);
  for (const t of result.tables) {
    const verdict = t.matches ? 'match' : !t.restored ? 'MISSING FROM THE RESTORE' : !t.source ? 'NOT IN THE SOURCE' : t.source.rows !== t.restored.rows ? 'ROW COUNT DIFFERS' : 'CHECKSUM DIFFERS';
    io.stdout.write(`${pad(t.table, width)}  ${pad(String(t.source?.rows ?? '-'), 9)}  ${pad(String(t.restored?.rows ?? '-'), 9)}  ${pad(t.source?.checksum ?? t.restored?.checksum ?? '', 32)}  ${verdict}\n`);
  }
  io.stdout.write('\n');
  if (result.ok) {
    io.stdout.write(`Backup verified: ${countOf(result.tables.length, 'table')}, ${countOf(result.rows, 'row')}, all match.\n`);
  } else {
    const bad = result.tables.filter((t) => !t.matches);
    io.stderr.write(`Backup NOT verified: ${countOf(bad.length, 'table')} of ${result.tables.length} did not match: ${bad.map((t) => t.table).join(', ')}.\n`);
  }
}

export const backupVerifyCommand: CliCommand = async (args, io) => {
  const { options, positional } = parseOptions(args);
  const unknown = Object.keys(options).filter((k) => k !== 'database-url');
  if (positional.length > 0 || unknown.length > 0 || options['database-url'] === true) {
    if (unknown.length) io.stderr.write(`Unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.map((o) => `--${o}`).join(', ')}\n\n`);
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const databaseUrl = typeof options['database-url'] === 'string' ? options['database-url'] : process.env.DATABASE_URL;
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    io.stderr.write('backup verify needs a PostgreSQL server: set DATABASE_URL or give --database-url postgres://… (the embedded PGlite database is a directory: stop the app and copy it).\n');
    return 2;
  }
  try {
    const result = await verifyBackup({ databaseUrl, io });
    printResult(result, io);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof BackupVerifyError) {
      io.stderr.write(`Backup NOT verified: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`Backup NOT verified: ${message}\n`);
    return 1;
  }
};
