import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../db/columns.ts';
import { appUser, partnershipKey } from '../db/schema.ts';

/*
 * Second factor for local accounts (issue 14, item 3; docs/decisions/0014-second-factor.md).
 * Tenant tables: partnership_id leads each key and row-level security applies (migration 0020).
 */

/**
 * A user's authenticator app (TOTP, RFC 6238). The secret is encrypted at rest with AES-256-GCM
 * under MFA_SECRET_KEY (src/platform/auth/secret-box.ts). `confirmedAt` is null while the user
 * is setting it up; only a confirmed factor is asked for at sign-in.
 */
export const userSecondFactor = pgTable(
  'user_second_factor',
  {
    partnershipId: partnershipKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    secretEncrypted: text('secret_encrypted').notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** The last 30-second time step whose code was accepted: a code is never accepted twice. */
    lastUsedStep: bigint('last_used_step', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.userId] })],
);

/** One-time recovery codes, stored as SHA-256 hashes; each is used at most once. */
export const userRecoveryCode = pgTable(
  'user_recovery_code',
  {
    partnershipId: partnershipKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    position: integer('position').notNull(),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.userId, t.position] })],
);

/** A partnership's sign-in settings: whether every local account needs a second factor. */
export const partnershipSignInSettings = pgTable('partnership_sign_in_settings', {
  partnershipId: partnershipKey().primaryKey(),
  requireSecondFactorForAll: boolean('require_second_factor_for_all').notNull().default(false),
  updatedBy: uuid('updated_by').references(() => appUser.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});
