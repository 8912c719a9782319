import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { Db, DbOrTx } from '../db/database.ts';
import { recordSystemChange } from '../audit/audit.ts';
import { appUser, passwordLink } from '../db/schema.ts';
import { hashPassword, newPasswordSchema } from './passwords.ts';

/*
 * One-time links to set a password (issue 14, item 1). The first administrator of a new
 * partnership has no password: `partnership create` and /setup give them a link instead, valid
 * for 24 hours and for one use. Only the SHA-256 of the token is stored, so a copy of the
 * database holds no working link. The page runs before sign-in, so, like sign-in, it works
 * outside the door, as the owner of the tables (docs/decisions/0006-one-door-to-the-data.md).
 */

export const PASSWORD_LINK_HOURS = 24;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Tokens are 32 random bytes in base64url: anything else is not one, and is not looked up. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Creates a link for the user, in the caller's transaction; returns the token (shown once, never stored). */
export async function issuePasswordLink(tx: DbOrTx, input: { partnershipId: string; userId: string; now: Date; requestId: string }): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(input.now.getTime() + PASSWORD_LINK_HOURS * 3_600_000);
  const [row] = await tx.insert(passwordLink).values({ partnershipId: input.partnershipId, userId: input.userId, tokenHash: hashToken(token), expiresAt, createdAt: input.now }).returning({ id: passwordLink.id });
  await recordSystemChange(tx, { partnershipId: input.partnershipId, requestId: input.requestId }, {
    action: 'user.password-link-created',
    subjectType: 'user',
    subjectId: input.userId,
    after: { passwordLinkId: row!.id, expiresAt: expiresAt.toISOString() },
  });
  return { token, expiresAt };
}

/** The absolute address of a link, on PUBLIC_BASE_URL. */
export function passwordLinkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/set-password/${token}`;
}

export type PasswordLinkState = { state: 'usable'; email: string; displayName: string } | { state: 'used' } | { state: 'expired' } | { state: 'unknown' };

async function findLink(db: DbOrTx, token: string) {
  if (!TOKEN.test(token)) return undefined;
  const rows = await db
    .select({ link: passwordLink, email: appUser.email, displayName: appUser.displayName, active: appUser.active })
    .from(passwordLink)
    .innerJoin(appUser, eq(appUser.id, passwordLink.userId))
    .where(eq(passwordLink.tokenHash, hashToken(token)));
  return rows[0];
}

function stateOf(found: Awaited<ReturnType<typeof findLink>>, now: Date): PasswordLinkState {
  if (!found || !found.active) return { state: 'unknown' };
  if (found.link.usedAt) return { state: 'used' };
  if (found.link.expiresAt.getTime() <= now.getTime()) return { state: 'expired' };
  return { state: 'usable', email: found.email, displayName: found.displayName };
}

export async function passwordLinkState(db: Db, token: string, clock: Clock): Promise<PasswordLinkState> {
  return stateOf(await findLink(db, token), clock.now());
}

export const setPasswordSchema = z
  .object({
    // The same rules as every new password: long enough, and not a common breached one.
    password: z.string({ error: 'Enter a password' }).min(1, 'Enter a password').pipe(newPasswordSchema),
    confirm: z.string({ error: 'Enter the password again' }).min(1, 'Enter the password again'),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords must match' });

/**
 * Sets the password once: the link is marked used in the same transaction as the password and
 * its audit event, and only while it is still unused and in date (a second request, even at the
 * same moment, finds it used).
 */
export async function setPasswordWithLink(db: Db, token: string, password: string, clock: Clock, requestId: string): Promise<PasswordLinkState> {
  const passwordHash = await hashPassword(password);
  const now = clock.now();
  return db.transaction(async (tx) => {
    const found = await findLink(tx, token);
    const state = stateOf(found, now);
    if (state.state !== 'usable') return state;
    const link = found!.link;
    const claimed = await tx
      .update(passwordLink)
      .set({ usedAt: now })
      .where(and(eq(passwordLink.partnershipId, link.partnershipId), eq(passwordLink.id, link.id), isNull(passwordLink.usedAt)))
      .returning({ id: passwordLink.id });
    if (claimed.length === 0) return { state: 'used' };
    await tx.update(appUser).set({ passwordHash, failedSignIns: 0, lockedUntil: null, updatedAt: now }).where(eq(appUser.id, link.userId));
    await recordSystemChange(tx, { partnershipId: link.partnershipId, actorUserId: link.userId, requestId }, {
      action: 'user.password-set',
      subjectType: 'user',
      subjectId: link.userId,
      after: { passwordLinkId: link.id },
    });
    return state;
  });
}
