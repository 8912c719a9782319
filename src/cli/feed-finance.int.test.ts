import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../modules/demo/partnership.ts';
import { financeHeader } from '../modules/feeds/index.ts';
import { loadConfig } from '../platform/config/config.ts';
import { demo } from '../../test/app.ts';
import { emptyDatabaseEnv, openFromEnv } from '../../test/database.ts';
import { approvedPlan, clockAt, contextFor, entitledPerson, nhsNumbers } from '../../test/fixtures.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

async function aftercare(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/aftercare.mjs', ...args], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('npx aftercare feed finance (issue 14, item 5)', () => {
  let db: Awaited<ReturnType<typeof emptyDatabaseEnv>>;
  let personId = '';
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-feed-')), 'finance.csv');

  beforeAll(async () => {
    db = await emptyDatabaseEnv();
    const database = await openFromEnv(db.env);
    try {
      await database.migrate();
      const partnershipId = await seedDemo(database.db);
      const ctx = await contextFor({ database, config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }) }, demo.practitioner, { clock: clockAt('2026-12-07') });
      personId = await entitledPerson(ctx, { nhsNumber: nhsNumbers(15_200)(), familyName: 'Feedwell', detainedOn: '2026-01-05', dischargedOn: '2026-03-02' });
      await approvedPlan(database.db, { partnershipId, personId }, [
        { serviceType: 'Supported accommodation', serviceTypeCode: 'supported-accommodation', weeklyCostPence: 64_500, localAuthorityBasisPoints: 7000 },
        { serviceType: 'Gym membership', weeklyCostPence: 1_250, s117: false, localAuthorityBasisPoints: 10_000 },
      ]);
    } finally {
      await database.close();
    }
  }, 120_000);
  afterAll(async () => {
    await db?.cleanup();
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('writes the file for the day asked: one row per service, the do-not-charge marker and the split', async () => {
    const result = await aftercare(db.env, 'feed', 'finance', '--out', out, '--date', '2026-12-07');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('the finance file for 2026-12-07, 2 rows for 1 person');
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split('\r\n')[0]).toBe(financeHeader.join(','));
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.record_type, r.local_person_id, r.family_name, r.s117_status, r.entitlement_start, r.service_type, r.weekly_cost, r.la_share_pct, r.icb_share_pct, r.do_not_charge, r.responsible_la_name])).toEqual([
      ['SERVICE', personId, 'Feedwell', 'ENTITLED', '2026-03-02', 'Supported accommodation', '645.00', '70.00', '30.00', 'Y', 'Northvale Council'],
      ['SERVICE', personId, 'Feedwell', 'ENTITLED', '2026-03-02', 'Gym membership', '12.50', '100.00', '0.00', 'N', 'Northvale Council'],
    ]);
  }, 60_000);

  it('refuses a missing --out or a date that is not real, with the usage, exit status 2, writing nothing', async () => {
    const missing = await aftercare(db.env, 'feed', 'finance');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: npx aftercare feed finance --out FILE');
    const other = path.join(path.dirname(out), 'never.csv');
    const badDate = await aftercare(db.env, 'feed', 'finance', '--out', other, '--date', '2026-02-30');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('Enter the date as year, month and day');
    expect(fs.existsSync(other)).toBe(false);
  }, 60_000);
});
