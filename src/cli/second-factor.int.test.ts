import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../modules/demo/partnership.ts';
import { confirmSecondFactorSetUp, secondFactorSetUpDetails, startSecondFactorSetUp } from '../platform/auth/two-factor.ts';
import { userRecoveryCode, userSecondFactor } from '../platform/auth/schema.ts';
import { timeStepAt, totpCodeForStep } from '../platform/auth/totp.ts';
import { loadConfig } from '../platform/config/config.ts';
import { appUser, auditEvent } from '../platform/db/schema.ts';
import { contextFor } from '../../test/fixtures.ts';
import { emptyDatabaseEnv, openFromEnv } from '../../test/database.ts';

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

const ADMIN = 'admin@demo.aftercare.example';

describe('npx aftercare users reset-second-factor (issue 14, item 3)', () => {
  let db: Awaited<ReturnType<typeof emptyDatabaseEnv>>;
  let adminId = '';
  beforeAll(async () => {
    db = await emptyDatabaseEnv();
    // The partnership and its accounts (no people needed), and the administrator's authenticator app.
    const database = await openFromEnv(db.env);
    await database.migrate();
    await seedDemo(database.db);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const ctx = await contextFor({ database, config }, ADMIN);
    await startSecondFactorSetUp(ctx);
    const secret = (await secondFactorSetUpDetails(ctx))!.secretForReading.replace(/ /g, '');
    await confirmSecondFactorSetUp(ctx, { code: await totpCodeForStep(secret, timeStepAt(new Date())) });
    adminId = (await database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, ADMIN)))[0]!.id;
    expect(await database.db.select().from(userSecondFactor).where(eq(userSecondFactor.userId, adminId))).toHaveLength(1);
    await database.close();
  }, 120_000);
  afterAll(async () => {
    await db.cleanup();
  });

  it('resets the only administrator’s second factor, audited as the command line, and says so', async () => {
    const res = await aftercare(db.env, 'users', 'reset-second-factor', '--email', ADMIN.toUpperCase());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Charlie Novak’s second factor has been reset');
    const unknown = await aftercare(db.env, 'users', 'reset-second-factor', '--email', 'nobody@demo.aftercare.example');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No account with the email address nobody@demo.aftercare.example');

    const database = await openFromEnv(db.env);
    try {
      expect(await database.db.select().from(userSecondFactor).where(eq(userSecondFactor.userId, adminId))).toHaveLength(0);
      expect(await database.db.select().from(userRecoveryCode).where(eq(userRecoveryCode.userId, adminId))).toHaveLength(0);
      const [event] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'user.second-factor-reset'), eq(auditEvent.subjectId, adminId)));
      expect(event!.actorUserId).toBeNull();
      expect(event!.requestId).toMatch(/^cli:/);
      expect(event!.after).toEqual({ enrolled: false });
    } finally {
      await database.close();
    }
  });
});
