import QRCode from 'qrcode';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { assertCan } from '../access/policy.ts';
import { recordChange } from '../audit/audit.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { ConflictError, ForbiddenError, InputError } from '../errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../http/context.ts';
import { parseInput } from '../http/validation.ts';
import { loadUserActor } from './actor-loader.ts';
import { clear, hit, peek } from './rate-limit.ts';
import { decryptSecret, encryptSecret } from './secret-box.ts';
import { destroyUserSessions } from './session-store.ts';
import {
  confirmSecondFactor,
  countUnusedRecoveryCodes,
  deleteSecondFactor,
  findSecondFactor,
  findSignInSettings,
  findUserEmailForFactor,
  findUsersWithSecondFactor,
  insertSignInSettingsIfMissing,
  replaceRecoveryCodes,
  updateSignInSettingsAtVersion,
  upsertUnconfirmedSecondFactor,
  useRecoveryCode,
  useTimeStep,
} from './two-factor.queries.ts';
import { acceptedStep, hashRecoveryCode, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, normaliseTotpCode, secretForReading, totpUri } from './totp.ts';

/*
 * Second factor for local accounts (issue 14, item 3; docs/decisions/0014-second-factor.md).
 *
 * After a correct password, an account with an authenticator app is half signed in: the session
 * holds only `secondFactorPending` (no user id), so no page but the code step can be reached.
 * A right code (or an unused recovery code) completes the sign-in; a wrong one counts toward the
 * same failure limits as a wrong password (rate-limit.ts). Administrators (in production, or
 * when REQUIRE_SECOND_FACTOR_FOR_ADMINISTRATORS says) and, where the partnership asks for it,
 * every local account must set one up before anything else. Single sign-on is not asked for a
 * code: the organisation's identity provider is responsible for its own second factor.
 */

/** The failure counters the password step uses: a wrong code counts toward the same limits. */
const WINDOW_MS = 15 * 60_000;
const failureKeys = (ip: string, email: string) => ({ address: `sign-in-failures:address:${ip}`, account: `sign-in-failures:account:${email}` });

/** How long someone has, after their password, to enter their code. */
export const PENDING_MS = 10 * 60_000;

export const WRONG_CODE = 'Enter the correct 6-digit code from your authenticator app, or one of your recovery codes';

// ---------------------------------------------------------------------------------------------
// Who must use one

export interface SecondFactorRequirement {
  required: boolean;
  /** Why, in words for the page. */
  reason: 'administrator' | 'partnership' | null;
}

/** Whether the actor's local account must use a second factor: read outside the door (sign-in). */
export async function secondFactorRequirement(db: Db, config: Config, actor: Actor): Promise<SecondFactorRequirement> {
  if (config.requireSecondFactorForAdministrators && actor.memberships.some((m) => m.roles.includes('administrator'))) {
    return { required: true, reason: 'administrator' };
  }
  const settings = await findSignInSettings(db, actor.partnershipId);
  if (settings?.requireSecondFactorForAll) return { required: true, reason: 'partnership' };
  return { required: false, reason: null };
}

/** True when the user has a confirmed authenticator app (asked at sign-in, outside the door). */
export async function hasSecondFactor(db: Db, userId: string): Promise<boolean> {
  const factor = await findSecondFactor(db, userId);
  return factor?.confirmedAt != null;
}

// ---------------------------------------------------------------------------------------------
// Setting one up (the signed-in user, through the door)

export interface SecondFactorOverview {
  enrolled: boolean;
  confirmedAt: Date | null;
  /** A setting-up is under way (a secret made, not yet confirmed with a code). */
  settingUp: boolean;
  recoveryCodesLeft: number;
}

function ownUserId(ctx: ServiceContext): string {
  if (ctx.actor.kind !== 'user' || !ctx.actor.userId) throw new ForbiddenError('Only a person signed in with their own account can set up a second factor');
  return ctx.actor.userId;
}

export async function secondFactorOverview(ctx: ServiceContext): Promise<SecondFactorOverview> {
  const userId = ownUserId(ctx);
  return ctx.data.read(async (q) => {
    const factor = await findSecondFactor(q, userId);
    const enrolled = factor?.confirmedAt != null;
    return { enrolled, confirmedAt: factor?.confirmedAt ?? null, settingUp: !!factor && !enrolled, recoveryCodesLeft: enrolled ? await countUnusedRecoveryCodes(q, userId) : 0 };
  });
}

/** Make a new secret to set up (audited, without the secret). Refused when one is already set up. */
export async function startSecondFactorSetUp(ctx: ServiceContext): Promise<void> {
  const userId = ownUserId(ctx);
  const secret = newTotpSecret();
  await ctx.data.transaction(async (tx, audit) => {
    const row = await upsertUnconfirmedSecondFactor(tx, {
      partnershipId: ctx.actor.partnershipId,
      userId,
      secretEncrypted: encryptSecret(ctx.config.mfaSecretKey, secret),
      at: ctx.clock.now(),
    });
    if (!row) throw new ConflictError('You have already set up an authenticator app. Ask an administrator to reset it if you need a new one.');
    await audit.change({ action: 'user.second-factor-set-up-started', subjectType: 'user', subjectId: userId, after: { method: 'authenticator app' } });
  });
}

export interface SetUpDetails {
  /** The secret in groups of four, for typing into an app. */
  secretForReading: string;
  /** The QR code as an SVG data URI (the CSP allows `img-src data:`). */
  qrCodeDataUri: string;
  accountName: string;
}

/** What the set-up page shows: the QR code and the secret as text. Null when no set-up is under way. */
export async function secondFactorSetUpDetails(ctx: ServiceContext): Promise<SetUpDetails | null> {
  const userId = ownUserId(ctx);
  const { factor, email } = await ctx.data.read(async (q) => ({ factor: await findSecondFactor(q, userId), email: await findUserEmailForFactor(q, userId) }));
  if (!factor || factor.confirmedAt) return null;
  const secret = decryptSecret(ctx.config.mfaSecretKey, factor.secretEncrypted);
  const accountName = email ?? ctx.actor.displayName;
  const svg = await QRCode.toString(totpUri(secret, accountName), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secretForReading: secretForReading(secret), qrCodeDataUri: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, accountName };
}

const confirmSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your authenticator app' })
    .trim()
    .min(1, 'Enter the 6-digit code from your authenticator app')
    .max(20, 'Enter the 6-digit code from your authenticator app')
    .refine((code) => normaliseTotpCode(code) !== null, { error: 'The code must be 6 digits, like 123456' }),
});

/**
 * Confirm the set-up with a code from the app: the factor is on, and the 10 recovery codes are
 * returned to be shown once (only their hashes are kept). Audited without secret or codes.
 */
export async function confirmSecondFactorSetUp(ctx: ServiceContext, input: unknown): Promise<string[]> {
  const userId = ownUserId(ctx);
  const { code } = parseInput(confirmSchema, input);
  const factor = await ctx.data.read((q) => findSecondFactor(q, userId));
  if (!factor || factor.confirmedAt) throw new ConflictError('There is no set-up under way. Start again from “Set up an authenticator app”.');
  const now = ctx.clock.now();
  const step = await acceptedStep(decryptSecret(ctx.config.mfaSecretKey, factor.secretEncrypted), code, now, null);
  if (step === null) throw new InputError([{ path: 'code', message: 'The code is not right. Enter the 6-digit code your authenticator app shows now' }]);
  const codes = newRecoveryCodes();
  await ctx.data.transaction(async (tx, audit) => {
    const confirmed = await confirmSecondFactor(tx, userId, step, now);
    if (!confirmed) throw new ConflictError();
    await replaceRecoveryCodes(tx, ctx.actor.partnershipId, userId, codes.map(hashRecoveryCode), now);
    await audit.change({
      action: 'user.second-factor-enrolled',
      subjectType: 'user',
      subjectId: userId,
      before: { enrolled: false },
      after: { enrolled: true, method: 'authenticator app', recoveryCodes: codes.length },
    });
  });
  return codes;
}

// ---------------------------------------------------------------------------------------------
// The code step of sign-in (outside the door, like the password step)

export type CodeCheckResult =
  | { outcome: 'signed-in'; actor: Actor; recoveryCodesLeft: number | null }
  | { outcome: 'refused' }
  | { outcome: 'rate-limited'; retryAfterSeconds: number };

/**
 * Check the code typed at sign-in: a code from the app (one step either side of now, later
 * than the last one used), or an unused recovery code. Refusals count toward the failure
 * limits; success clears the account's count, as a right password alone used to.
 */
export async function checkSignInCode(
  db: Db,
  config: Config,
  clock: Clock,
  input: { userId: string; email: string; organisationId?: string | undefined; code: string; ip: string; requestId: string },
): Promise<CodeCheckResult> {
  const keys = failureKeys(input.ip, input.email);
  const current = await peek(db, [keys.address, keys.account]);
  const over = [
    [current.get(keys.address), config.signInMaxFailuresPerAddress] as const,
    [current.get(keys.account), config.signInMaxFailuresPerAccount] as const,
  ].filter(([c, max]) => c !== undefined && c.count >= max);
  if (over.length > 0) {
    const resetAt = Math.max(...over.map(([c]) => c!.resetAt.getTime()));
    return { outcome: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)) };
  }

  const actor = await loadUserActor(db, input.userId, input.organisationId);
  const factor = await findSecondFactor(db, input.userId);
  if (!actor || !factor?.confirmedAt) return { outcome: 'refused' };
  const scope = { actor, requestId: input.requestId };
  const now = clock.now();

  const step = await acceptedStep(decryptSecret(config.mfaSecretKey, factor.secretEncrypted), input.code, now, factor.lastUsedStep);
  const recovery = step === null ? normaliseRecoveryCode(input.code) : null;
  const accepted = await db.transaction(async (tx) => {
    if (step !== null) {
      // Recorded only if no code of this step or later was accepted meanwhile: a code is used once.
      if (!(await useTimeStep(tx, input.userId, step, now))) return null;
      await recordChange(tx, scope, { action: 'user.signed-in', subjectType: 'user', subjectId: input.userId, after: { secondFactor: 'authenticator app' } });
      return { recoveryCodesLeft: null };
    }
    if (recovery !== null && (await useRecoveryCode(tx, input.userId, hashRecoveryCode(recovery), now))) {
      const left = await countUnusedRecoveryCodes(tx, input.userId);
      await recordChange(tx, scope, { action: 'user.recovery-code-used', subjectType: 'user', subjectId: input.userId, after: { recoveryCodesLeft: left } });
      await recordChange(tx, scope, { action: 'user.signed-in', subjectType: 'user', subjectId: input.userId, after: { secondFactor: 'recovery code' } });
      return { recoveryCodesLeft: left };
    }
    return null;
  });

  if (!accepted) {
    await db.transaction((tx) => recordChange(tx, scope, { action: 'user.second-factor-failed', subjectType: 'user', subjectId: input.userId }));
    await hit(db, keys.address, WINDOW_MS);
    await hit(db, keys.account, WINDOW_MS);
    return { outcome: 'refused' };
  }
  await clear(db, keys.account);
  return { outcome: 'signed-in', actor, recoveryCodesLeft: accepted.recoveryCodesLeft };
}

// ---------------------------------------------------------------------------------------------
// Administrators

/** Why an administrator may not reset their own second factor (shown on the 403 page). */
export const OWN_SECOND_FACTOR_RESET_REFUSED = 'You cannot reset your own second factor. Ask another administrator to do it.';

/**
 * Reset another user's second factor (they set it up again at their next sign-in, if it is
 * required): the caller has already checked that the actor administers the user. Never one's
 * own (403, audited). Signs the user out everywhere. Audited with before and after, no secrets.
 */
export async function resetSecondFactor(ctx: ServiceContext, target: { userId: string; displayName: string }): Promise<boolean> {
  if (ctx.actor.userId === target.userId) {
    await ctx.data.transaction((_tx, audit) =>
      audit.change({ action: 'user.own-second-factor-reset-refused', subjectType: 'user', subjectId: target.userId }),
    );
    throw new ForbiddenError(OWN_SECOND_FACTOR_RESET_REFUSED);
  }
  return ctx.data.transaction(async (tx, audit) => {
    const removed = await deleteSecondFactor(tx, target.userId);
    if (!removed) return false;
    await audit.change({
      action: 'user.second-factor-reset',
      subjectType: 'user',
      subjectId: target.userId,
      before: { enrolled: removed.confirmedAt !== null, enrolledAt: removed.confirmedAt },
      after: { enrolled: false },
    });
    await destroyUserSessions(tx, target.userId);
    return true;
  });
}

/** Which of these users have set up a second factor (for the users page). */
export async function usersWithSecondFactor(ctx: ServiceContext, userIds: string[]): Promise<Set<string>> {
  return ctx.data.read((q) => findUsersWithSecondFactor(q, userIds));
}

// ---------------------------------------------------------------------------------------------
// The partnership's sign-in settings (lead-organisation administrators: 'settings:manage')

export interface SignInSettings {
  requireSecondFactorForAll: boolean;
  version: number;
  updatedAt: Date;
}

export async function openSignInSettings(ctx: ServiceContext): Promise<SignInSettings> {
  assertCan(ctx.actor, 'settings:manage');
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    const created = await insertSignInSettingsIfMissing(tx, partnershipId);
    if (created) await audit.change({ action: 'sign-in-settings.created', subjectType: 'sign-in-settings', subjectId: partnershipId, after: { requireSecondFactorForAll: created.requireSecondFactorForAll } });
    const row = (await findSignInSettings(tx, partnershipId))!;
    return { requireSecondFactorForAll: row.requireSecondFactorForAll, version: row.version, updatedAt: row.updatedAt };
  });
}

const signInSettingsSchema = z.object({
  requireSecondFactorForAll: z.boolean({ error: 'Select yes if every local account must use a second factor' }),
});

export async function updateSignInSettings(ctx: ServiceContext, version: number, input: unknown): Promise<SignInSettings> {
  assertCan(ctx.actor, 'settings:manage');
  const data = parseInput(signInSettingsSchema, input);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    const before = await findSignInSettings(tx, partnershipId);
    if (!before || before.version !== version) throw new ConflictError();
    const updated = expectOneUpdated(await updateSignInSettingsAtVersion(tx, partnershipId, version, data.requireSecondFactorForAll, { userId: ctx.actor.userId, at: ctx.clock.now() }));
    await audit.change({
      action: 'sign-in-settings.updated',
      subjectType: 'sign-in-settings',
      subjectId: partnershipId,
      before: { requireSecondFactorForAll: before.requireSecondFactorForAll },
      after: { requireSecondFactorForAll: updated.requireSecondFactorForAll },
    });
    return { requireSecondFactorForAll: updated.requireSecondFactorForAll, version: updated.version, updatedAt: updated.updatedAt };
  });
}
