import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabaseEnv, openFromEnv } from '../../../test/database.ts';
import { addDays } from '../../domain/calendar-date.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { seedDemo } from '../demo/partnership.ts';
import { organisation } from '../../platform/db/schema.ts';
import { aftercarePlan, planService } from '../plans/schema.ts';
import { person, task } from '../register/schema.ts';
import { REFUND_TASK_TITLE } from './charges.service.ts';
import { personCharge } from './schema.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const fixture = path.join(root, 'test/fixtures/charges/charges.csv');

/** The real command, as an operator types it. */
async function aftercare(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/aftercare.mjs', ...args], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const count = (stdout: string, label: string) => {
  const match = new RegExp(`^${label}: (\\d+)$`, 'm').exec(stdout);
  if (!match) throw new Error(`No "${label}" in:\n${stdout}`);
  return Number(match[1]);
};

const rejectedLines = (stderr: string) => new Map([...stderr.matchAll(/^line (\d+): rejected: (.*)$/gm)].map((m) => [Number(m[1]), m[2]!]));

/** The people of the fixture: A (Northvale responsible, with a plan) and B (no responsible authority yet). */
const A = '9999680003';
const B = '9999680011';
const S117_SERVICE = '5e1f0000-0000-4000-8000-000000000117';
const OTHER_SERVICE = '5e1f0000-0000-4000-8000-000000000001';

let db: Awaited<ReturnType<typeof emptyDatabaseEnv>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-charges-'));

async function withDatabase<T>(fn: (database: Awaited<ReturnType<typeof openFromEnv>>) => Promise<T>): Promise<T> {
  const database = await openFromEnv(db.env);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  db = await emptyDatabaseEnv();
  await withDatabase(async (database) => {
    await database.migrate();
    const partnershipId = await seedDemo(database.db);
    const orgs = await database.db.select().from(organisation).where(eq(organisation.partnershipId, partnershipId));
    const northvale = orgs.find((o) => o.code === 'E06000901')!;
    const [a] = await database.db
      .insert(person)
      .values({ partnershipId, nhsNumber: A, givenName: 'Avery', familyName: 'Feeling', dateOfBirth: '1970-01-01', recordedByOrganisationId: northvale.id, involvedOrganisations: [northvale.id], status: 'entitled', entitlementStart: '2024-03-01', responsibleLocalAuthority: 'E06000901', responsibleIcb: 'E54000901' })
      .returning();
    await database.db.insert(person).values({ partnershipId, nhsNumber: B, givenName: 'Blake', familyName: 'Feeling', dateOfBirth: '1971-01-01', recordedByOrganisationId: northvale.id, involvedOrganisations: [northvale.id] });
    const [plan] = await database.db.insert(aftercarePlan).values({ partnershipId, personId: a!.id, planNumber: 1, status: 'approved' }).returning();
    const service = { partnershipId, planId: plan!.id, personId: a!.id, needIds: [], startOn: '2024-03-01', frequency: 'Weekly', unitsPerWeek: 1, unitCostPence: 1000, weeklyCostPence: 1000, deliveryRoute: 'commissioned' as const, localAuthorityBasisPoints: 5000, splitBasis: 'Joint policy' };
    await database.db.insert(planService).values([
      { ...service, id: S117_SERVICE, serviceType: 'Home support', provider: 'Riverside Supported Living', s117: true },
      { ...service, id: OTHER_SERVICE, serviceType: 'Lunch club', provider: 'Northvale Community Centre', s117: false, chargePence: 500 },
    ]);
  });
}, 120_000);
afterAll(async () => {
  await db.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function state() {
  return withDatabase(async (database) => {
    const n = async (table: string) => rowsOf<{ n: number }>(await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
    const charges = await database.db.select({ charge: personCharge, nhsNumber: person.nhsNumber }).from(personCharge).innerJoin(person, eq(person.id, personCharge.personId));
    const tasks = await database.db
      .select({ task, nhsNumber: person.nhsNumber, owner: organisation.code })
      .from(task)
      .innerJoin(person, eq(person.id, task.personId))
      .leftJoin(organisation, eq(organisation.id, task.ownerOrganisationId))
      .where(and(eq(task.kind, 'refund')));
    return { charges, tasks, audit: await n('audit_event') };
  });
}

describe('npx aftercare ingest charges', () => {
  it('loads the good rows, records charges for section 117 services as refunds due with one task per person, and reports every rejected row', async () => {
    const res = await aftercare(db.env, 'ingest', 'charges', fixture, '--org', 'E06000902');
    expect(res.code, res.stderr).toBe(1);
    expect(count(res.stdout, 'Rows read')).toBe(12);
    expect(count(res.stdout, 'Charges recorded')).toBe(4);
    expect(count(res.stdout, 'Charges already present')).toBe(0);
    expect(count(res.stdout, 'Charges for section 117 services, now due to be refunded')).toBe(3);
    expect(count(res.stdout, 'Refund tasks created')).toBe(2);
    expect(count(res.stdout, 'Rows rejected')).toBe(8);

    const rejected = rejectedLines(res.stderr);
    expect([...rejected.keys()]).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
    expect(rejected.get(6)).toContain('nhs_number: 999 968 0038 is not on the register');
    expect(rejected.get(7)).toMatch(/^nhs_number: 9990000019: /);
    expect(rejected.get(8)).toContain('charged_from: 2025-02-30 is not a real date');
    expect(rejected.get(9)).toContain('amount: -12.50 is negative');
    expect(rejected.get(10)).toContain('external_id: "fin-001" is also on line 2');
    expect(rejected.get(11)).toContain('s117: "maybe" is not yes or no');
    expect(rejected.get(12)).toContain('service: There is no service with id 5e1f0000-0000-4000-8000-00000000dead');
    expect(rejected.get(13)).toContain('charged_to: 2025-03-01 is before charged_from 2025-03-10');

    const { charges, tasks } = await state();
    const byId = new Map(charges.map((c) => [c.charge.externalId, c]));
    expect([...byId.keys()].sort()).toEqual(['fin-001', 'fin-002', 'fin-003', 'fin-004']);
    expect(byId.get('fin-001')!.charge).toMatchObject({ status: 'refund-due', s117: true, amountPence: 12550, source: 'import', serviceDescription: 'Home care' });
    expect(byId.get('fin-002')!.charge).toMatchObject({ status: 'refund-due', s117: true, amountPence: 100000, serviceId: S117_SERVICE, serviceDescription: 'Home support, Riverside Supported Living', chargedFrom: '2025-05-01', chargedTo: '2025-05-31', paidOn: '2025-06-05' });
    expect(byId.get('fin-003')!.charge).toMatchObject({ status: 'lawful', s117: false, amountPence: 2000, refundTaskId: null });
    expect(byId.get('fin-004')!.charge).toMatchObject({ status: 'refund-due', serviceDescription: 'Supported accommodation, Ward 3', amountPence: 40000 });
    expect(byId.get('fin-004')!.nhsNumber).toBe(B);

    // One open refund task per person: A's two charges share one, for the responsible council;
    // B has no responsible authority yet, so theirs goes to the organisation that sent the file.
    expect(tasks).toHaveLength(2);
    const taskOf = (nhs: string) => tasks.find((t) => t.nhsNumber === nhs)!;
    expect(taskOf(A)).toMatchObject({ owner: 'E06000901', task: { title: REFUND_TASK_TITLE, status: 'open', dueOn: addDays(todayInLondon(), 28) } });
    expect(taskOf(B)).toMatchObject({ owner: 'E06000902', task: { status: 'open' } });
    expect(byId.get('fin-001')!.charge.refundTaskId).toBe(taskOf(A).task.id);
    expect(byId.get('fin-002')!.charge.refundTaskId).toBe(taskOf(A).task.id);
  }, 60_000);

  it('changes nothing when the same file is loaded again', async () => {
    const before = await state();
    const res = await aftercare(db.env, 'ingest', 'charges', fixture, '--org', 'E06000902');
    expect(res.code).toBe(1);
    expect(count(res.stdout, 'Charges recorded')).toBe(0);
    expect(count(res.stdout, 'Charges already present')).toBe(4);
    expect(count(res.stdout, 'Refund tasks created')).toBe(0);
    expect(count(res.stdout, 'Rows rejected')).toBe(8);
    const after = await state();
    expect(after.charges).toEqual(before.charges);
    expect(after.tasks).toEqual(before.tasks);
    expect(after.audit).toBe(before.audit);
  }, 60_000);

  it('stops with status 2, loading nothing, when the header is not right or the options are missing', async () => {
    const bad = path.join(dir, 'bad-header.csv');
    fs.writeFileSync(bad, 'nhs_number,external_id,service,amount,charged_from,charged_to,paid_on,notes\n9999680003,x,Home care,1,2025-01-01,2025-01-01,2025-01-01,hello\n');
    const res = await aftercare(db.env, 'ingest', 'charges', bad, '--org', 'E06000901');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('missing column s117');
    expect(res.stderr).toContain('unknown column "notes"');
    expect(res.stderr).toContain('Nothing was loaded.');
    const usage = await aftercare(db.env, 'ingest', 'charges', fixture);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npx aftercare ingest charges');
  }, 60_000);
});
