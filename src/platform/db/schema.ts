import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from './columns.ts';
import { organisationTypes, roles } from '../access/actor.ts';

/*
 * The platform schema. Conventions (see docs/decisions/0003-data-model-conventions.md):
 *  - every table that holds partnership data carries `partnership_id`, the tenant key
 *    (and the distribution column if the database is ever sharded with Citus);
 *  - every table users edit has `version` for optimistic concurrency;
 *  - audit_event is append-only (a trigger refuses UPDATE and DELETE).
 */


export const partnership = pgTable('partnership', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

/**
 * The tenant key every table of partnership data carries (and the distribution column if the
 * database is ever sharded with Citus). Person tables key on (partnership_id, id).
 */
export const partnershipKey = () =>
  uuid('partnership_id')
    .notNull()
    .references(() => partnership.id);

export const organisationType = pgEnum('organisation_type', organisationTypes);

export const organisation = pgTable(
  'organisation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnership.id),
    type: organisationType('type').notNull(),
    /** ONS GSS code for local authorities, ODS code for ICBs, trusts and providers. */
    code: text('code').notNull(),
    /** ICBs also have an ONS (GSS) code, E54…, which legal history and the rules engine use. */
    onsCode: text('ons_code'),
    name: text('name').notNull(),
    /** The lead organisation hosts the partnership: its administrators administer every organisation. */
    isLead: boolean('is_lead').notNull().default(false),
    /** How the person and partners reach the organisation about section 117 (letters, statements). */
    contactPhone: text('contact_phone'),
    contactEmail: text('contact_email'),
    contactAddress: text('contact_address'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('organisation_partnership_code_uq').on(t.partnershipId, t.code)],
);

export const appUser = pgTable(
  'app_user',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnership.id),
    /** Stored lower-cased; unique across the deployment because it is what people sign in with. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** argon2id hash; null for accounts that sign in only through an organisation's identity provider. */
    passwordHash: text('password_hash'),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('app_user_email_uq').on(t.email)],
);

export const role = pgEnum('role', roles);

export const membership = pgTable(
  'membership',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnership.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    roles: role('roles').array().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('membership_user_org_uq').on(t.userId, t.organisationId),
    index('membership_org_idx').on(t.organisationId),
  ],
);

/** Server-side sessions: the cookie holds only a signed random id. */
export const session = pgTable(
  'session',
  {
    sid: text('sid').primaryKey(),
    userId: uuid('user_id').references(() => appUser.id),
    data: jsonb('data').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('session_user_idx').on(t.userId), index('session_expires_idx').on(t.expiresAt)],
);

/** Fixed-window counters shared by every app instance (sign-in throttling, API limits). */
export const rateLimit = pgTable('rate_limit', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
});

export const apiToken = pgTable(
  'api_token',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnership.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    name: text('name').notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    /** First characters of the token, so people can tell tokens apart. */
    prefix: text('prefix').notNull(),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => appUser.id),
    /**
     * Null while the token waits for a second administrator's approval (a token created in the
     * app by an administrator works only once a different administrator approves it). Tokens
     * created by the operator's command line are approved when created.
     */
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: uuid('approved_by').references(() => appUser.id),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('api_token_hash_uq').on(t.tokenHash), index('api_token_org_idx').on(t.organisationId)],
);

/** Append-only: written in the same transaction as every change and on every view of a person's record. */
export const auditEvent = pgTable(
  'audit_event',
  {
    partnershipId: uuid('partnership_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    actorUserId: uuid('actor_user_id'),
    actorTokenId: uuid('actor_token_id'),
    /** The organisation the actor was acting for. */
    organisationId: uuid('organisation_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('audit_event_at_idx').on(t.partnershipId, t.at),
    index('audit_event_subject_idx').on(t.partnershipId, t.subjectType, t.subjectId),
    index('audit_event_actor_idx').on(t.partnershipId, t.actorUserId),
  ],
);

/** Background work shared by every instance: claimed with FOR UPDATE SKIP LOCKED. */
export const job = pgTable(
  'job',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** A job with a key runs at most once per key while pending (e.g. one purge per hour). */
    dedupeKey: text('dedupe_key'),
    payload: jsonb('payload').notNull().default({}),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('job_due_idx').on(t.runAt).where(sql`done_at is null`),
    uniqueIndex('job_dedupe_uq').on(t.dedupeKey).where(sql`done_at is null`),
  ],
);

/**
 * One-time links to set a password (issue 14, item 1): the first administrator of a new
 * partnership gets one. Only the SHA-256 of the token is stored; a link works once, within its
 * expiry (24 hours).
 */
export const passwordLink = pgTable(
  'password_link',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnership.id),
    id: uuid('id').notNull().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] }), uniqueIndex('password_link_token_uq').on(t.tokenHash)],
);
