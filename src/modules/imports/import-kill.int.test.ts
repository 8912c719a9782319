import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabaseEnv, openFromEnv } from '../../../test/database.ts';
import { seedDemo } from '../demo/partnership.ts';
import { registerImport } from './schema.ts';
import { registerFingerprint } from './testing/http.ts';
import { legacyCsv, legacyRegister } from './testing/legacy-file.ts';

/*
 * The real command in a child process against a database on disk (a PGlite directory, or a
 * PostgreSQL database with TEST_DATABASE_URL), killed with SIGKILL once its progress shows it
 * half-way through an all-or-nothing import: the register must be exactly as before.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-import-kill-'));
const ROWS = 4000;
let db: Awaited<ReturnType<typeof emptyDatabaseEnv>>;
const file = path.join(dir, 'register.csv');

beforeAll(async () => {
  db = await emptyDatabaseEnv();
  const database = await openFromEnv(db.env);
  await database.migrate();
  await seedDemo(database.db);
  await database.close();
  fs.writeFileSync(file, legacyCsv(legacyRegister({ rows: ROWS, skip: 400_000 })));
}, 120_000);

afterAll(async () => {
  await db?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

function runCli(args: string[], killAtProgress?: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; killedAt: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/aftercare.mjs', ...args], { cwd: root, env: { ...process.env, ...db.env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    let killedAt: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAtProgress === undefined || killedAt !== null) return;
      for (const m of stdout.matchAll(/^progress: (\d+)\/(\d+) rows$/gm)) {
        const done = Number(m[1]);
        if (done >= killAtProgress && done < Number(m[2])) {
          killedAt = done;
          child.kill('SIGKILL');
          break;
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, killedAt }));
  });
}

describe('an all-or-nothing import killed half-way', () => {
  it('leaves the register exactly as it was, and can then be run to the end', async () => {
    const open = () => openFromEnv(db.env);
    let database = await open();
    const before = await registerFingerprint(database.db);
    await database.close();

    const killed = await runCli(['import', 'register', file, '--mode', 'all-or-nothing'], ROWS / 2);
    expect(killed.signal, `${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL');
    expect(killed.killedAt).toBeGreaterThanOrEqual(ROWS / 2);
    expect(killed.killedAt).toBeLessThan(ROWS);

    database = await open();
    expect(await registerFingerprint(database.db)).toEqual(before);
    // The import itself was recorded (staged and checked before the transaction began).
    const imports = await database.db.select().from(registerImport);
    expect(imports.map((i) => i.status)).toEqual(['applying']);
    await database.close();

    // The database is sound: the same file imports in full.
    const done = await runCli(['import', 'register', file, '--mode', 'all-or-nothing']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`created ${ROWS}`);
    database = await open();
    const after = await registerFingerprint(database.db);
    expect(Number(after.person!.split(':')[0])).toBe(Number(before.person!.split(':')[0]) + ROWS);
    const applied = await database.db.select().from(registerImport).where(eq(registerImport.status, 'applied'));
    expect(applied).toHaveLength(1);
    await database.close();
  }, 300_000);

  it('reports rejected rows with their numbers, and refuses all-or-nothing with exit status 1, changing nothing', async () => {
    const messy = legacyRegister({ rows: 300, messy: true, skip: 450_000 });
    const messyFile = path.join(dir, 'messy.csv');
    fs.writeFileSync(messyFile, legacyCsv(messy));
    let database = await openFromEnv(db.env);
    const before = await registerFingerprint(database.db);
    await database.close();

    const dry = await runCli(['import', 'register', messyFile, '--dry-run']);
    expect(dry.code).toBe(1);
    const reported = new Map([...dry.stderr.matchAll(/^row (\d+): rejected: (.*)$/gm)].map((m) => [Number(m[1]), m[2]!]));
    expect([...reported.keys()].sort((a, b) => a - b)).toEqual([...messy.bad.keys()].sort((a, b) => a - b));
    for (const [n, reason] of messy.bad) expect(reported.get(n)).toContain(reason);
    expect(dry.stdout).toContain(`Rejected: ${messy.bad.size}`);
    expect(dry.stdout).toContain('Dry run: nothing was changed.');

    const all = await runCli(['import', 'register', messyFile, '--mode', 'all-or-nothing']);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain(`${messy.bad.size} rows are rejected, so nothing was imported`);
    database = await openFromEnv(db.env);
    expect(await registerFingerprint(database.db)).toEqual(before);
    await database.close();

    const usage = await runCli(['import', 'register', messyFile, '--mode', 'sometimes']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npx aftercare import register');
  }, 120_000);
});
