import { execFile } from 'node:child_process';
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

describe('npx aftercare (administration commands)', () => {
  let db: Awaited<ReturnType<typeof emptyDatabaseEnv>>;
  beforeAll(async () => {
    db = await emptyDatabaseEnv();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it('migrates, seeds, lists organisations, creates a user and a token that work', async () => {
    expect((await aftercare(db.env, 'migrate')).stdout).toContain('Migrations applied');
    expect((await aftercare(db.env, 'seed')).stdout).toContain('Seeded the synthetic demo partnership');

    const orgs = await aftercare(db.env, 'orgs', 'list', '--json');
    expect(orgs.code).toBe(0);
    const list = JSON.parse(orgs.stdout) as Array<{ code: string; type: string }>;
    expect(list.map((o) => o.code)).toEqual(expect.arrayContaining(['QZV', 'E06000901', 'RZV']));

    const user = await aftercare(db.env, 'users', 'create', '--email', 'new.worker@demo.aftercare.example', '--name', 'New Worker', '--org', 'E06000902', '--roles', 'practitioner,read-only', '--password', 'a-long-cli-password');
    expect(user.code).toBe(0);
    expect(user.stdout).toContain('Created new.worker@demo.aftercare.example in Southmere Borough Council');

    const bad = await aftercare(db.env, 'users', 'create', '--email', 'x@demo.aftercare.example', '--name', 'X', '--org', 'E06000902', '--roles', 'wizard', '--password', 'a-long-cli-password');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('roles[0]');

    const unknownOrg = await aftercare(db.env, 'tokens', 'create', '--org', 'NOPE', '--name', 'x');
    expect(unknownOrg.code).toBe(2);
    expect(unknownOrg.stderr).toContain('No organisation with code NOPE');

    const token = await aftercare(db.env, 'tokens', 'create', '--org', 'RZV', '--name', 'Trust EPR');
    expect(token.code).toBe(0);
    const lines = token.stdout.trim().split('\n');
    const secret = lines.at(-1)!;
    expect(secret).toMatch(/^ac_[A-Za-z0-9_-]{40,}$/);

    const database = await openFromEnv(db.env);
    try {
      const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database, logger: false });
      const api = await app.inject({ url: '/api/v1/organisations', headers: { authorization: `Bearer ${secret}` } });
      expect(api.statusCode).toBe(200);
      const signIn = await new Browser(app).signIn('new.worker@demo.aftercare.example', 'a-long-cli-password');
      expect(signIn.statusCode).toBe(302);
      const audit = await app.inject({ url: '/api/v1/openapi.json' });
      expect(audit.statusCode).toBe(200);
      await app.close();
    } finally {
      await database.close();
    }
  }, 300_000); // a whole demo seed through the CLI: about a minute alone, more on a loaded machine

  it('prints usage and exits 2 for an unknown command', async () => {
    const res = await aftercare(db.env, 'frobnicate');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Usage: npx aftercare <command>');
  });
});
