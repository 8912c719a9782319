import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { appUser } from '../db/schema.ts';
import { recordChange } from '../audit/audit.ts';
import { loadUserActor } from './actor-loader.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { hit } from './rate-limit.ts';
import type { Actor } from '../access/actor.ts';

export type SignInResult =
  | { outcome: 'signed-in'; actor: Actor }
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

  // Throttle by address and by account before any password work, in the shared database.
  const [byIp, byEmail] = [
    await hit(db, `sign-in:ip:${input.ip}`, WINDOW_MS),
    await hit(db, `sign-in:email:${email}`, WINDOW_MS),
  ];
  const over = [byIp, byEmail].filter((b) => b.count > config.signInMaxPer15Min);
  if (over.length > 0) {
    const resetAt = Math.max(...over.map((b) => b.resetAt.getTime()));
    return { outcome: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)) };
  }

  const user = (await db.select().from(appUser).where(eq(appUser.email, email)))[0];
  if (!user || !user.passwordHash || !user.active) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    return { outcome: 'refused' };
  }

  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
  const actor = await loadUserActor(db, user.id);
  if (!actor) return { outcome: 'refused' };
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
    return { outcome: 'refused' };
  }

  await db.transaction(async (tx) => {
    await tx
      .update(appUser)
      .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: new Date() })
      .where(eq(appUser.id, user.id));
    await recordChange(tx, scope, { action: 'user.signed-in', subjectType: 'user', subjectId: user.id });
  });
  return { outcome: 'signed-in', actor };
}
