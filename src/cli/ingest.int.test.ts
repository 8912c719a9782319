import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExtract } from '../../scripts/make-mhsds-extract.ts';
import { syntheticNhsNumbers } from '../domain/nhs-number.ts';
import { rowsOf } from '../platform/db/database.ts';
import { auditEvent } from '../platform/db/schema.ts';
import { legalEvent, person } from '../modules/register/schema.ts';
import { emptyDatabaseEnv, openFromEnv } from '../../test/database.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** The real command, as an operator types it: `npx aftercare …` runs bin/aftercare.mjs. */
async function aftercare(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/aftercare.mjs', ...args], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

interface Summary {
  rowsRead: number;
  peopleCreated: number;
  eventsRecorded: number;
  eventsAlreadyPresent: number;
  rowsRejected: number;
  rowsPerSecond: number;
}

function summaryOf(stdout: string): Summary {
  const n = (label: string) => {
    const match = new RegExp(`^${label}: (\\d+)$`, 'm').exec(stdout);
    if (!match) throw new Error(`No "${label}" in:\n${stdout}`);
    return Number(match[1]);
  };
  return {
    rowsRead: n('Rows read'),
    peopleCreated: n('People created'),
    eventsRecorded: n('Events recorded'),
    eventsAlreadyPresent: n('Events already present'),
    rowsRejected: n('Rows rejected'),
    rowsPerSecond: Number(/\((\d+) rows\/s\)/.exec(stdout)?.[1] ?? 0),
  };
}

/** `line N: rejected: …` lines of the report, by line number. */
function rejectedLines(stderr: string): Map<number, string> {
  return new Map([...stderr.matchAll(/^line (\d+): rejected: (.*)$/gm)].map((m) => [Number(m[1]), m[2]!]));
}

let db: Awaited<ReturnType<typeof emptyDatabaseEnv>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-ingest-'));

beforeAll(async () => {
  db = await emptyDatabaseEnv();
  const seeded = await aftercare(db.env, 'seed');
  expect(seeded.code, seeded.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
  await db.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withDatabase<T>(fn: (database: Awaited<ReturnType<typeof openFromEnv>>) => Promise<T>): Promise<T> {
  const database = await openFromEnv(db.env);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function tableCounts() {
  return withDatabase(async (database) => {
    const n = async (table: string) => rowsOf<{ n: number }>(await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
    return { people: await n('person'), events: await n('legal_event'), audit: await n('audit_event'), tasks: await n('task') };
  });
}

describe('npx aftercare ingest legal-status', () => {
  const numbers = syntheticNhsNumbers(700_000);
  const nhs = Array.from({ length: 9 }, () => numbers.next().value as string);
  const [a, b, c, e, f, g, h, i, j] = nhs as [string, string, string, string, string, string, string, string, string];
  // Columns in their own order, both date formats, a quoted field with a comma, a one-digit
  // code, an end reason written as people write it, and a row for a person that comes
  // before their earlier period.
  const lines = [
    'family_name,given_name,nhs_number,date_of_birth,legal_status_code,start_date,end_date,end_reason,discharge_date,hospital,ordinary_residence,icb_of_gp_registration',
    `Ashdown,Avery,${a},1980-05-17,02,2024-01-05,2024-01-20,,,Northvale Hospital,E06000901,E54000901`,
    `Ashdown,Avery,${a},1980-05-17,3,20/01/2024,2024-04-01,,2024-04-01,"Northvale Hospital, Ward 3",E06000901,E54000901`,
    `Brightwell,Blake,${b},17/03/1975,03,2024-02-01,2024-05-01,discharged,2024-05-03,Southmere Unit,E06000902,E54000901`,
    `Calloway,Casey,${c},1990-10-10,03,2025-01-10,,,,Northvale Hospital,E06000901,E54000901`,
    `Dunmore,Drew,9990000019,1970-01-01,03,2024-01-01,,,,Northvale Hospital,E06000901,E54000901`,
    `Everley,Emery,${e},1970-01-01,03,2025-02-30,,,,Northvale Hospital,E06000901,E54000901`,
    `Fairbairn,Finley,${f},1970-01-01,21,2024-03-01,,,,Northvale Hospital,E06000901,E54000901`,
    `Greystone,,${g},1970-01-01,03,2024-03-01,,,,Northvale Hospital,E06000901,E54000901`,
    `Hollins,Harper,${h},1970-01-01,03,2024-05-10,2024-05-01,,2024-05-01,Northvale Hospital,E06000901,E54000901`,
    `Brightwell,Blake,${b},1975-03-17,03,2023-03-01,2023-06-01,CTO,2023-06-01,Southmere Unit,E06000902,E54000901`,
    `Calloway,Casey,${c},1991-01-01,03,2025-03-01,,,,Northvale Hospital,E06000901,E54000901`,
    `Ingleby,Indy,${i},1970-01-01,03,2024-03-01,,,,Northvale Hospital,,E54000901`,
    `Jarrow,Jules,${j},1966-06-06,09,01/01/2022,01/09/2022,Conditionally discharged,01/09/2022,Eastbridge Hospital,E08000903,E54000901`,
  ];
  const file = path.join(dir, 'small.csv');
  fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  const expectedRejections: Array<[number, string]> = [
    [6, 'nhs_number: 9990000019: Enter a real NHS number'],
    [7, 'start_date: 2025-02-30 is not a real date'],
    [8, 'legal_status_code: "21" is not a known legal status code'],
    [9, 'given_name: empty, but needed to add NHS number'],
    [10, 'end_date: The detention ends on 2024-05-01, before it starts on 2024-05-10'],
    [12, 'date_of_birth: 1991-01-01 does not match 1990-10-10'],
    [13, 'ordinary_residence: empty'],
  ];

  it('loads the good rows, reports every bad row with its line number and reason, and exits 1', async () => {
    const before = await tableCounts();
    const res = await aftercare(db.env, 'ingest', 'legal-status', file, '--org', 'RZV');
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(summaryOf(res.stdout)).toMatchObject({ rowsRead: 13, peopleCreated: 4, eventsRecorded: 14, eventsAlreadyPresent: 0, rowsRejected: 7 });
    const rejected = rejectedLines(res.stderr);
    expect([...rejected.keys()]).toEqual(expectedRejections.map(([line]) => line));
    for (const [line, reason] of expectedRejections) expect(rejected.get(line), `line ${line}`).toContain(reason);
    expect(res.stdout).toContain('lines 6, 7, 8, 9, 10, 12, 13');

    const after = await tableCounts();
    expect(after.people - before.people).toBe(4);
    expect(after.events - before.events).toBe(14);

    await withDatabase(async (database) => {
      const people = await database.db.select().from(person).where(inArray(person.nhsNumber, nhs));
      const byNhs = new Map(people.map((p) => [p.nhsNumber, p]));
      // Rejected rows changed nothing: nobody was added for them, not even the person whose only row the rules refused.
      expect([...byNhs.keys()].sort()).toEqual([a, b, c, j].sort());
      expect(byNhs.get(a)).toMatchObject({ givenName: 'Avery', familyName: 'Ashdown', dateOfBirth: '1980-05-17', status: 'entitled', entitlementStart: '2024-04-01', responsibleLocalAuthority: 'E06000901', responsibleIcb: 'E54000901' });
      // s2 then s3 on the same day is one detention: ordinary residence could be taken at either date.
      expect(byNhs.get(a)!.flags).toContain('ordinary-residence-ambiguous');
      // The later detention supersedes the CTO episode; rows were taken in date order although the file had them the other way round.
      expect(byNhs.get(b)).toMatchObject({ dateOfBirth: '1975-03-17', status: 'entitled', entitlementStart: '2024-05-03', responsibleLocalAuthority: 'E06000902' });
      expect(byNhs.get(c)).toMatchObject({ status: 'pending' });
      expect(byNhs.get(j)).toMatchObject({ status: 'entitled', entitlementStart: '2022-09-01', responsibleLocalAuthority: 'E08000903' });
      expect(byNhs.get(j)!.flags).toContain('conditionally-discharged');

      const events = await database.db.select().from(legalEvent).where(inArray(legalEvent.personId, people.map((p) => p.id)));
      expect(events).toHaveLength(14);
      expect(events.every((ev) => ev.source === 'ingest' && ev.externalId?.startsWith('mhsds:'))).toBe(true);
      const ofA = events.filter((ev) => ev.personId === byNhs.get(a)!.id).map((ev) => [ev.type, ev.occurredOn, ev.externalId]);
      expect(ofA).toEqual(
        expect.arrayContaining([
          ['detention-started', '2024-01-05', `mhsds:${a}:02:2024-01-05:start`],
          ['detention-started', '2024-01-20', `mhsds:${a}:03:2024-01-20:start`],
          ['detention-ended', '2024-04-01', `mhsds:${a}:03:2024-01-20:end`],
          ['left-hospital', '2024-04-01', `mhsds:${a}:03:2024-01-20:left-hospital`],
        ]),
      );
      expect(ofA).toHaveLength(4);
      expect(events.find((ev) => ev.externalId === `mhsds:${a}:03:2024-01-20:start`)!.hospital).toBe('Northvale Hospital, Ward 3');
      expect(events.find((ev) => ev.externalId === `mhsds:${b}:03:2023-03-01:end`)!.payload).toEqual({ reason: 'cto' });

      // Every change is audited as the command line, acting for the trust.
      const audit = await database.db
        .select()
        .from(auditEvent)
        .where(and(inArray(auditEvent.subjectId, people.map((p) => p.id)), like(auditEvent.requestId, 'cli:%')));
      expect(audit.filter((x) => x.action === 'person.created')).toHaveLength(4);
      expect(audit.filter((x) => x.action === 'legal-event.recorded')).toHaveLength(14);
      const trust = rowsOf<{ id: string }>(await database.db.execute(sql`select id from organisation where code = 'RZV'`))[0]!.id;
      expect(audit.every((x) => x.organisationId === trust && x.actorUserId === null && x.actorTokenId === null)).toBe(true);
    });
  }, 120_000);

  it('changes nothing when the same extract is loaded again', async () => {
    const before = await tableCounts();
    const res = await aftercare(db.env, 'ingest', 'legal-status', file, '--org', 'RZV');
    expect(res.code).toBe(1);
    expect(summaryOf(res.stdout)).toMatchObject({ rowsRead: 13, peopleCreated: 0, eventsRecorded: 0, eventsAlreadyPresent: 14, rowsRejected: 7 });
    expect([...rejectedLines(res.stderr).keys()]).toEqual(expectedRejections.map(([line]) => line));
    expect(await tableCounts()).toEqual(before);
  }, 120_000);

  it('refuses a row that contradicts what was loaded before, and changes nothing', async () => {
    const changed = path.join(dir, 'changed.csv');
    // The same period of B, now said to have ended on another day.
    fs.writeFileSync(changed, `${lines[0]}\n${lines[3]!.replace('2024-05-01,discharged', '2024-05-02,discharged')}\n`);
    const before = await tableCounts();
    const res = await aftercare(db.env, 'ingest', 'legal-status', changed, '--org', 'RZV');
    expect(res.code).toBe(1);
    expect(rejectedLines(res.stderr).get(2)).toContain('end_date: this period\'s detention-ended was already recorded differently (detention-ended on 2024-05-01');
    expect(await tableCounts()).toEqual(before);
  }, 60_000);

  it('exits 2 with a clear message for usage errors, loading nothing', async () => {
    const before = await tableCounts();
    const noOrg = await aftercare(db.env, 'ingest', 'legal-status', file);
    expect(noOrg.code).toBe(2);
    expect(noOrg.stderr).toContain('Usage: npx aftercare ingest legal-status <file.csv> --org CODE');

    const unknownOption = await aftercare(db.env, 'ingest', 'legal-status', file, '--org', 'RZV', '--dry-run');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain('Unknown option: --dry-run');

    const unknownOrg = await aftercare(db.env, 'ingest', 'legal-status', file, '--org', 'NOPE');
    expect(unknownOrg.code).toBe(2);
    expect(unknownOrg.stderr).toContain('No organisation with code NOPE');

    const missing = await aftercare(db.env, 'ingest', 'legal-status', path.join(dir, 'absent.csv'), '--org', 'RZV');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');

    const badHeader = path.join(dir, 'bad-header.csv');
    fs.writeFileSync(badHeader, `${lines[0]!.replace(',end_reason', ',reason')}\n${lines[1]}\n`);
    const header = await aftercare(db.env, 'ingest', 'legal-status', badHeader, '--org', 'RZV');
    expect(header.code).toBe(2);
    expect(header.stderr).toContain('missing column end_reason');
    expect(header.stderr).toContain('unknown column "reason"');
    expect(header.stderr).toContain('Nothing was loaded');

    const noHeader = path.join(dir, 'no-header.csv');
    fs.writeFileSync(noHeader, `${lines[1]}\n`);
    const headless = await aftercare(db.env, 'ingest', 'legal-status', noHeader, '--org', 'RZV');
    expect(headless.code).toBe(2);
    expect(headless.stderr).toContain('Line 1 must be the header row');
    expect(await tableCounts()).toEqual(before);
  }, 120_000);

  it('loads a 1,000-row synthetic extract, rejecting exactly its deliberately bad rows, and is idempotent', async () => {
    const extract = makeExtract({ rows: 1000, withErrors: true, skip: 650_000 });
    const big = path.join(dir, 'extract-1000.csv');
    fs.writeFileSync(big, extract.csv);
    const before = await tableCounts();

    const first = await aftercare(db.env, 'ingest', 'legal-status', big, '--org', 'RZV');
    expect(first.code, first.stderr).toBe(1);
    const s1 = summaryOf(first.stdout);
    expect(s1.rowsRead).toBe(1000);
    expect([...rejectedLines(first.stderr).keys()]).toEqual(extract.bad.map((bad) => bad.line));
    expect(s1.rowsRejected).toBe(extract.bad.length);
    const after = await tableCounts();
    expect(after.people - before.people).toBe(s1.peopleCreated);
    expect(after.events - before.events).toBe(s1.eventsRecorded);
    expect(s1.eventsRecorded).toBeGreaterThan(2000);

    const second = await aftercare(db.env, 'ingest', 'legal-status', big, '--org', 'RZV');
    expect(second.code).toBe(1);
    const s2 = summaryOf(second.stdout);
    expect(s2).toMatchObject({ rowsRead: 1000, peopleCreated: 0, eventsRecorded: 0, eventsAlreadyPresent: s1.eventsRecorded, rowsRejected: extract.bad.length });
    expect(await tableCounts()).toEqual(after);
    console.log(`ingest of 1,000 rows (${s1.peopleCreated} people, ${s1.eventsRecorded} events): ${s1.rowsPerSecond} rows/s; again: ${s2.rowsPerSecond} rows/s`);

    await withDatabase(async (database) => {
      const statuses = rowsOf<{ status: string; n: number }>(
        await database.db.execute(sql`select p.status, count(*)::int as n from person p where exists (select 1 from legal_event e where e.person_id = p.id and e.external_id like 'mhsds:%' and e.partnership_id = p.partnership_id) group by p.status`),
      );
      const names = statuses.map((s) => s.status);
      for (const status of ['entitled', 'pending', 'not-entitled']) expect(names).toContain(status);
      const sources = await database.db.select({ n: sql<number>`count(*)::int` }).from(legalEvent).where(eq(legalEvent.source, 'ingest'));
      expect(sources[0]!.n).toBe(14 + s1.eventsRecorded);
    });
  }, 240_000);
});
