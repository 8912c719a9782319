import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config/config.ts';
import { Browser } from '../../test/app.ts';
import { emptyDatabaseEnv, openFromEnv } from '../../test/database.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** The real command, as an operator types it: `npx aftercare …` runs bin/aftercare.mjs. */
async function aftercare(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/aftercare.mjs', ...args], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/*
 * Issue 14's first acceptance point, first half: on a fresh database, in production mode when
 * the suite runs against PostgreSQL (TEST_DATABASE_URL; production needs a DATABASE_URL, so on
 * PGlite the same steps run in test mode), `npx aftercare partnership create …` prints a link;
 * the link sets a password and that administrator signs in.
 */
describe('npx aftercare partnership create (the real command)', () => {
  let db: Awaited<ReturnType<typeof emptyDatabaseEnv>>;
  const production = Boolean(process.env.TEST_DATABASE_URL);
  const modeEnv: Record<string, string> = production
    ? { NODE_ENV: 'production', MFA_SECRET_KEY: 'a-second-factor-key-of-at-least-thirty-two-characters', SESSION_SECRET: 'a-session-secret-of-at-least-thirty-two-characters', SECURE_COOKIES: 'false' }
    : { NODE_ENV: 'test' };
  beforeAll(async () => {
    db = await emptyDatabaseEnv();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it(`on a fresh database (${production ? 'PostgreSQL, production mode' : 'PGlite'}): creates the partnership, prints the link last; the administrator sets a password and signs in`, async () => {
    const env = { ...db.env, ...modeEnv, PUBLIC_BASE_URL: 'https://aftercare.example.nhs.uk' };
    const bad = await aftercare(env, 'partnership', 'create', '--name', 'Kent and Medway Section 117 Partnership', '--icb', 'QKS', '--local-authorities', 'E10000016,E06000035,E06000000', '--admin-email', 'admin@kent.example');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('E06000000 is not a local authority on the reference list');

    const res = await aftercare(env, 'partnership', 'create', '--name', 'Kent and Medway Section 117 Partnership', '--icb', 'QKS', '--local-authorities', 'E10000016,E06000035', '--trusts', 'RXY', '--admin-email', 'admin@kent.example');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Kent County Council');
    expect(res.stdout).toContain('Medway Council');
    const link = res.stdout.trim().split('\n').at(-1)!;
    expect(link).toMatch(/^https:\/\/aftercare\.example\.nhs\.uk\/set-password\/[A-Za-z0-9_-]{43}$/);

    const orgs = await aftercare(env, 'orgs', 'list');
    expect(orgs.stdout).toContain('NHS Kent and Medway Integrated Care Board (lead)');

    const again = await aftercare(env, 'partnership', 'create', '--name', 'Kent and Medway Section 117 Partnership', '--icb', 'QKS', '--local-authorities', 'E10000016', '--admin-email', 'other@kent.example');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('A partnership called Kent and Medway Section 117 Partnership already exists');

    const database = await openFromEnv(db.env);
    try {
      const app = await buildApp({ config: loadConfig({ ...env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }), database, logger: false });
      const visitor = new Browser(app);
      const linkPath = new URL(link).pathname;
      expect((await visitor.get(linkPath)).statusCode).toBe(200);
      expect((await visitor.post(linkPath, { password: 'correct horse battery staple', confirm: 'correct horse battery staple' })).statusCode).toBe(200);
      expect((await new Browser(app).signIn('admin@kent.example', 'correct horse battery staple')).statusCode).toBe(302);
      await app.close();
    } finally {
      await database.close();
    }
  }, 180_000);
});

describe('npx aftercare reference refresh', () => {
  it('rebuilds the trusts list from an ODS etr.csv, dropping closed trusts, and says what changed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-reference-'));
    try {
      const csv = path.join(dir, 'etr.csv');
      fs.writeFileSync(
        csv,
        [
          '"RXT","BIRMINGHAM AND SOLIHULL MENTAL HEALTH NHS FOUNDATION TRUST","Y60","QHL","UNIT 1","50 SUMMER HILL ROAD","","BIRMINGHAM","","B1 3RB","20110401","",""',
          '"RW3","CENTRAL MANCHESTER UNIVERSITY HOSPITALS NHS FOUNDATION TRUST","Y62","QOP","","","","MANCHESTER","","M13 9WL","20010401","20170930",""',
          '"R9Z","AN ENTIRELY NEW NHS TRUST","Y60","QHL","","","","","","","20261201","",""',
        ].join('\n'),
      );
      const res = await aftercare({}, 'reference', 'refresh', '--from', csv, '--kind', 'trusts', '--out', dir);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('Added R9Z An Entirely New NHS Trust');
      expect(res.stdout).toContain('Removed RW3 Central Manchester University Hospitals NHS Foundation Trust');
      const written = JSON.parse(fs.readFileSync(path.join(dir, 'trusts.json'), 'utf8')) as { source: string; bodies: Array<{ code: string; name: string }> };
      expect(written.bodies).toEqual([
        { code: 'R9Z', name: 'An Entirely New NHS Trust' },
        { code: 'RXT', name: 'Birmingham and Solihull Mental Health NHS Foundation Trust' },
      ]);
      expect(written.source).toContain('etr.csv');

      const wrong = await aftercare({}, 'reference', 'refresh', '--from', csv, '--kind', 'local-authorities', '--out', dir);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('LADyyCD and LADyyNM');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
