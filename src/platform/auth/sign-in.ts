import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { appUser } from '../db/schema.ts';
import { recordChange } from '../audit/audit.ts';
import { loadUserActor } from './actor-loader.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { clear, hit, peek } from './rate-limit.ts';
import { hasSecondFactor } from './two-factor.ts';
import type { Actor } from '../access/actor.ts';

export type SignInResult =
  | { outcome: 'signed-in'; actor: Actor }
  /** The password was right and the account has an authenticator app: the code comes next (two-factor.ts). */
  | { outcome: 'second-factor'; actor: Actor }
  /** Wrong email, wrong password, locked or inactive account: one answer, so nothing is revealed. */
  | { outcome: 'refused' }
  | { outcome: 'rate-limited'; retryAfterSeconds: number };

const WINDOW_MS = 15 * 60_000;

export async function signIn(
  db: Db,
  config: Config,
  input: { email: string; password: string; ip: string; requestId: string },
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();

  // Only failures count (issue 12, finding 11): per account, and per address with a ceiling
  // generous enough for a whole office behind one address. Looking does not count, so an
  // attempt refused while limited never extends the window.
  const keys = { address: `sign-in-failures:address:${input.ip}`, account: `sign-in-failures:account:${email}` };
  const current = await peek(db, [keys.address, keys.account]);
  const over = [
    [current.get(keys.address), config.signInMaxFailuresPerAddress] as const,
    [current.get(keys.account), config.signInMaxFailuresPerAccount] as const,
  ].filter(([c, max]) => c !== undefined && c.count >= max);
  if (over.length > 0) {
    const resetAt = Math.max(...over.map(([c]) => c!.resetAt.getTime()));
    return { outcome: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)) };
  }
  const failed = async (): Promise<SignInResult> => {
    await hit(db, keys.address, WINDOW_MS);
    await hit(db, keys.account, WINDOW_MS);
    return { outcome: 'refused' };
  };

  const user = (await db.select().from(appUser).where(eq(appUser.email, email)))[0];
  if (!user || !user.passwordHash || !user.active) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    return failed();
  }

  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
  const actor = await loadUserActor(db, user.id);
  if (!actor) return failed();
  const scope = { actor, requestId: input.requestId };

  if (!passwordOk || locked) {
    await db.transaction(async (tx) => {
      if (locked) {
        await recordChange(tx, scope, { action: 'user.sign-in-refused-locked', subjectType: 'user', subjectId: user.id });
        return;
      }
      const [updated] = await tx
        .update(appUser)
        .set({
          failedSignIns: sql`${appUser.failedSignIns} + 1`,
          lockedUntil: sql`case when ${appUser.failedSignIns} + 1 >= ${config.lockoutAfterFailures}
            then now() + ${`${config.lockoutMs} milliseconds`}::interval else ${appUser.lockedUntil} end`,
        })
        .where(eq(appUser.id, user.id))
        .returning({ failedSignIns: appUser.failedSignIns, lockedUntil: appUser.lockedUntil });
      const nowLocked = updated!.failedSignIns >= config.lockoutAfterFailures;
      await recordChange(tx, scope, {
        action: nowLocked ? 'user.locked' : 'user.sign-in-failed',
        subjectType: 'user',
        subjectId: user.id,
        after: { failedSignIns: updated!.failedSignIns, lockedUntil: updated!.lockedUntil },
      });
    });
    return failed();
  }

  // Issue 14, item 3: with an authenticator app, the password alone signs nobody in, and the
  // account's failure count stays until the code is right (so wrong codes add up across tries).
  const codeNext = await hasSecondFactor(db, user.id);
  await db.transaction(async (tx) => {
    await tx
      .update(appUser)
      .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: new Date() })
      .where(eq(appUser.id, user.id));
    await recordChange(tx, scope, { action: codeNext ? 'user.password-accepted' : 'user.signed-in', subjectType: 'user', subjectId: user.id });
  });
  if (codeNext) return { outcome: 'second-factor', actor };
  await clear(db, keys.account);
  return { outcome: 'signed-in', actor };
}
