/**
 * Benchmark: `npx aftercare ingest legal-status` on a 10,000-row synthetic MHSDS extract.
 *
 *   npx tsx bench/ingest.ts [rows] [seed]
 *
 * The extract comes from scripts/make-mhsds-extract.ts (deterministic). The command runs as an
 * operator runs it, as its own process, against a fresh embedded PGlite database holding the
 * demo partnership (organisations and users, no people): once to load the extract, then again
 * to show that a second run changes nothing. Its own summary line gives the time.
 *
 * Baseline, measured in the same run on a second fresh database: the floor of writing the same
 * people and events, as plain multi-row INSERTs of 1,000 rows in one transaction each, with no
 * rules engine, no decision, no audit and no per-person transactions.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { makeExtract } from '../scripts/make-mhsds-extract.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { seedDemo } from '../src/modules/demo/partnership.ts';
import { organisation } from '../src/platform/db/schema.ts';
import { planExtract, readExtract } from '../src/modules/register/ingest.service.ts';
import { legalEvent, person } from '../src/modules/register/schema.ts';

const ROWS = Number(process.argv[2] ?? 10_000);
const SEED = Number(process.argv[3] ?? 117);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-bench-ingest-'));

async function freshPglite(name: string): Promise<{ database: Database; dir: string }> {
  const dir = path.join(work, name);
  const database = await openDatabase({ dataDir: dir });
  await database.migrate();
  await seedDemo(database.db);
  return { database, dir };
}

function ingest(dir: string, file: string): { seconds: number; summary: string } {
  const started = performance.now();
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, ['bin/aftercare.mjs', 'ingest', 'legal-status', file, '--org', 'RZV'], {
      cwd: root,
      env: { ...process.env, AFTERCARE_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`The ingest command failed: ${String((error as { stdout?: string }).stdout ?? error)}`, { cause: error });
  }
  return { seconds: (performance.now() - started) / 1000, summary: stdout };
}

const figure = (summary: string, label: string) => Number(new RegExp(`^${label}: (\\d+)$`, 'm').exec(summary)?.[1] ?? NaN);
const inner = (summary: string) => Number(/ in ([\d.]+) s \(/.exec(summary)?.[1] ?? NaN);

async function floor(file: string): Promise<number> {
  const { database } = await freshPglite('floor');
  try {
    const plan = planExtract(readExtract(fs.readFileSync(file, 'utf8')));
    const org = (await database.db.select().from(organisation).where(eq(organisation.code, 'RZV')))[0]!;
    const started = performance.now();
    const ids = new Map<string, string>();
    const people = [...new Map(plan.rows.map((r) => [r.nhsNumber, r])).values()];
    for (let i = 0; i < people.length; i += 1000) {
      await database.db.transaction(async (tx) => {
        const rows = await tx
          .insert(person)
          .values(people.slice(i, i + 1000).map((r) => ({ partnershipId: org.partnershipId, nhsNumber: r.nhsNumber, givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth!, recordedByOrganisationId: org.id, involvedOrganisations: [org.id] })))
          .returning({ id: person.id, nhsNumber: person.nhsNumber });
        for (const row of rows) ids.set(row.nhsNumber, row.id);
      });
    }
    const sequence = new Map<string, number>();
    const events = plan.rows.flatMap((r) =>
      r.events.map((e) => {
        const { type, date, ...payload } = e.event;
        const key = `${r.nhsNumber}:${date}`;
        sequence.set(key, (sequence.get(key) ?? 0) + 1);
        return { partnershipId: org.partnershipId, personId: ids.get(r.nhsNumber)!, type, occurredOn: date, sequence: sequence.get(key)!, payload, hospital: e.hospital, externalId: e.externalId, source: 'ingest' };
      }),
    );
    for (let i = 0; i < events.length; i += 1000) {
      await database.db.transaction(async (tx) => {
        await tx.insert(legalEvent).values(events.slice(i, i + 1000));
      });
    }
    return (performance.now() - started) / 1000;
  } finally {
    await database.close();
  }
}

try {
  const extract = makeExtract({ rows: ROWS, seed: SEED });
  const file = path.join(work, 'extract.csv');
  fs.writeFileSync(file, extract.csv);
  const { database, dir } = await freshPglite('ingest');
  await database.close();

  const first = ingest(dir, file);
  const second = ingest(dir, file);
  const floorSeconds = await floor(file);

  const rows = figure(first.summary, 'Rows read');
  const events = figure(first.summary, 'Events recorded');
  const loadSeconds = inner(first.summary);
  console.log(`Extract: ${rows.toLocaleString('en-GB')} rows, ${figure(first.summary, 'People created').toLocaleString('en-GB')} people, ${events.toLocaleString('en-GB')} events (PGlite, ${os.cpus().length} cores, Node ${process.versions.node})`);
  console.log(`First run:  ${loadSeconds.toFixed(1)} s loading (${first.seconds.toFixed(1)} s with start-up): ${Math.round(rows / loadSeconds)} rows/s, ${Math.round(events / loadSeconds)} events/s; rejected ${figure(first.summary, 'Rows rejected')}`);
  console.log(`Second run: ${inner(second.summary).toFixed(1)} s loading (${second.seconds.toFixed(1)} s with start-up): ${figure(second.summary, 'Events recorded')} events recorded, ${figure(second.summary, 'Events already present').toLocaleString('en-GB')} already present`);
  console.log(`Baseline, plain INSERTs of the same rows (no rules, decisions or audit): ${floorSeconds.toFixed(1)} s; ratio ${(loadSeconds / floorSeconds).toFixed(1)}×`);
  if (figure(second.summary, 'Events recorded') !== 0 || figure(first.summary, 'Rows rejected') !== 0) process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
