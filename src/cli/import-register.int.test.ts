import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nhsNumbers } from '../../test/fixtures.ts';
import { emptyDatabaseEnv, openFromEnv } from '../../test/database.ts';
import { seedDemo } from '../modules/demo/partnership.ts';
import { importedFunding } from '../modules/imports/schema.ts';
import { registerFingerprint } from '../modules/imports/testing/http.ts';
import { legalEvent, person } from '../modules/register/schema.ts';

/*
 * `npx aftercare import register` on registers as partnerships keep them (issue 14, item 4): the
 * real command in a child process, against a database on disk holding the demo partnership.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-import-register-'));
const nextNhs = nhsNumbers(840_000);
let db: Awaited<ReturnType<typeof emptyDatabaseEnv>>;

async function aftercare(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/aftercare.mjs', ...args], { cwd: root, env: { ...process.env, ...db.env, LOG_LEVEL: 'silent' }, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

function file(name: string, headings: string[], rows: string[][]): string {
  const at = path.join(dir, name);
  fs.writeFileSync(at, stringify([headings, ...rows]));
  return at;
}

function mappingFile(name: string, mapping: unknown): string {
  const at = path.join(dir, name);
  fs.writeFileSync(at, JSON.stringify(mapping));
  return at;
}

async function withDatabase<T>(fn: (database: Awaited<ReturnType<typeof openFromEnv>>) => Promise<T>): Promise<T> {
  const database = await openFromEnv(db.env);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** `row N: rejected: …` lines, by row number. */
function rejectedRows(stderr: string): Map<number, string> {
  return new Map([...stderr.matchAll(/^row (\d+): rejected: (.*)$/gm)].map((m) => [Number(m[1]), m[2]!]));
}

const required = ['NHS Number', 'Forename', 'Surname', 'DOB', 'Section', 'Date Detained', 'Responsible LA', 'Responsible ICB'];
const row = (section: string, icb = 'QZV') => [nextNhs(), 'Ann', 'Able', '03/04/1980', section, '10/01/2024', 'Northvale Council', icb];

beforeAll(async () => {
  db = await emptyDatabaseEnv();
  await withDatabase(async (database) => {
    await database.migrate();
    await seedDemo(database.db);
  });
}, 120_000);

afterAll(async () => {
  await db?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npx aftercare import register on real registers', () => {
  it('--dry-run works with no mapping on a file that has only the required columns', async () => {
    const before = await withDatabase((d) => registerFingerprint(d.db));
    const res = await aftercare('import', 'register', file('required.csv', required, [row('S3'), row('Section 37')]), '--dry-run');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("nhsNumber = 'NHS Number'");
    expect(res.stdout).toContain('Would create: 2\n');
    expect(res.stdout).toContain('Rejected: 0\n');
    expect(res.stdout).toContain('Dry run: nothing was changed.');
    expect(await withDatabase((d) => registerFingerprint(d.db))).toEqual(before);
  }, 60_000);

  it('--dry-run works with a mapping file naming only some fields: the others are guessed', async () => {
    const headings = ['Patient NHS ID', 'Forename', 'Surname', 'DOB', 'Legal basis', 'Date Detained', 'Responsible LA', 'Responsible ICB', 'Notes'];
    const csv = file('odd-headings.csv', headings, [[...row('S3'), 'first'], [...row('s.3'), 'second']]);
    const mapping = mappingFile('some-fields.json', { nhsNumber: 'Patient NHS ID', section: 'Legal basis', notes: '' });
    const res = await aftercare('import', 'register', csv, '--mapping', mapping, '--dry-run');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("nhsNumber = 'Patient NHS ID'");
    expect(res.stdout).toContain("section = 'Legal basis'");
    expect(res.stdout).not.toContain('notes =');
    expect(res.stdout).toContain('Would create: 2\n');
  }, 60_000);

  it('names the required field the file has no column for, and a field the mapping names that Aftercare does not know', async () => {
    const noDob = file('no-dob.csv', required.filter((h) => h !== 'DOB'), [row('S3').filter((_, i) => i !== 3)]);
    const res = await aftercare('import', 'register', noDob, '--dry-run');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('The file has no column for date of birth: add it, or name it in the mapping as `dateOfBirth`');
    expect(res.stderr).toContain('Nothing was imported.');
    const wrong = await aftercare('import', 'register', noDob, '--mapping', mappingFile('wrong.json', { dob: 'Born' }), '--dry-run');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('The mapping names a field Aftercare does not know: `dob`');
  }, 60_000);

  it('imports "CTO (s3)" rows as s3 then a CTO, rejects a 70%/50% split with its row number, keeps the funding, and maps a CCG name to its ICB', async () => {
    const headings = [...required, 'Date Discharged', 'Weekly cost', 'LA %', 'ICB %'];
    const cto = [...row('CTO (s3)'), '01/03/2024', '£1,200', '60%', '40%'];
    const badSplit = [...row('S3'), '01/03/2024', '£900', '70%', '50%'];
    const ccg = [...row('S3', 'NHS Northumberland CCG'), '01/03/2024', '', '', ''];
    const csv = file('funding.csv', headings, [cto, badSplit, ccg]);

    const dry = await aftercare('import', 'register', csv, '--dry-run');
    expect(dry.code).toBe(1);
    expect([...rejectedRows(dry.stderr)]).toEqual([[3, 'the council and ICB shares add up to 120%; they must add up to 100%']]);
    expect(dry.stdout).toContain('Would create: 2\n');
    expect(dry.stdout).toContain('Rejected: 1\n');

    const done = await aftercare('import', 'register', csv, '--mode', 'valid-only');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('created 2');
    await withDatabase(async (d) => {
      const people = await d.db.select().from(person).where(inArray(person.nhsNumber, [cto[0]!, badSplit[0]!, ccg[0]!]));
      expect(people.map((p) => p.nhsNumber).sort()).toEqual([cto[0]!, ccg[0]!].sort());
      const ctoPerson = people.find((p) => p.nhsNumber === cto[0])!;
      const events = await d.db.select().from(legalEvent).where(eq(legalEvent.personId, ctoPerson.id)).orderBy(asc(legalEvent.occurredOn), asc(legalEvent.sequence));
      expect(events.map((e) => [e.type, e.occurredOn, e.payload])).toEqual([
        ['detention-started', '2024-01-10', { legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' }],
        ['detention-ended', '2024-03-01', { reason: 'cto' }],
        ['left-hospital', '2024-03-01', {}],
      ]);
      expect(ctoPerson.legalPosition).toContain('cto');
      const [funding] = await d.db.select().from(importedFunding).where(eq(importedFunding.personId, ctoPerson.id));
      expect(funding).toMatchObject({ weeklyCostPence: 120000, localAuthorityBasisPoints: 6000, rowNumber: 2 });
      // NHS North East and North Cumbria ICB replaced NHS Northumberland CCG; it is not in the demo partnership, so its code is kept.
      expect(people.find((p) => p.nhsNumber === ccg[0])!.responsibleIcb).toBe('E54000050');
    });
  }, 120_000);

  it('rejects rows whose section gives no right to aftercare by default, and imports them with a warning with --no-entitlement accept', async () => {
    const s2 = row('s2');
    const s136 = row('S136');
    const csv = file('no-right.csv', required, [row('S3'), s2, s136]);
    const rejected = await aftercare('import', 'register', csv, '--dry-run');
    expect(rejected.code).toBe(1);
    const reasons = rejectedRows(rejected.stderr);
    expect([...reasons.keys()]).toEqual([3, 4]);
    expect(reasons.get(3)).toContain("section 's2' (s2) gives no right to section 117 aftercare");
    expect(reasons.get(4)).toContain("section 'S136' (s136) gives no right to section 117 aftercare");
    expect(rejected.stdout).toContain('Rows whose section gives no right to aftercare: rejected.');

    const accepted = await aftercare('import', 'register', csv, '--no-entitlement', 'accept', '--mode', 'all-or-nothing');
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('Rows whose section gives no right to aftercare: imported with a warning.');
    expect(accepted.stdout).toContain('created 3');
    await withDatabase(async (d) => {
      const [p] = await d.db.select().from(person).where(eq(person.nhsNumber, s2[0]!));
      expect(p!.status).not.toBe('entitled');
      const [started] = await d.db.select().from(legalEvent).where(eq(legalEvent.personId, p!.id));
      expect(started!.payload).toMatchObject({ legalStatusCode: '02' });
    });

    const usage = await aftercare('import', 'register', csv, '--no-entitlement', 'sometimes');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--no-entitlement reject|accept');
  }, 120_000);
});
