import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../db/columns.ts';
import { appUser, organisation, partnershipKey } from '../db/schema.ts';

/*
 * Single sign-on per organisation (issue 14, item 2; docs/decisions/0011-single-sign-on.md).
 * One OpenID Connect provider per organisation, set by an administrator; the people it signs
 * in are Aftercare's own users, linked by the provider's issuer and subject.
 */

export const signInProvider = pgTable(
  'sign_in_provider',
  {
    partnershipId: partnershipKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    /** The issuer identifier; its `/.well-known/openid-configuration` is read (discovery). */
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    /** AES-256-GCM under SSO_SECRET_KEY (src/platform/sso/secrets.ts); never shown, logged or audited. */
    clientSecretEncrypted: text('client_secret_encrypted'),
    /** Email domains (lower case) whose people this provider may sign in, like `northvale.gov.uk`. */
    allowedDomains: text('allowed_domains').array().notNull(),
    /** The claim that holds the email address: `email` (OpenID standard); Entra ID may need `preferred_username`. */
    emailClaim: text('email_claim').notNull().default('email'),
    /** Trust the provider's email for the allowed domains even without `email_verified: true` (Entra ID, CIS2). */
    trustEmail: boolean('trust_email').notNull().default(false),
    scopes: text('scopes').notNull().default('openid email profile'),
    enabled: boolean('enabled').notNull().default(false),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.organisationId] }), index('sign_in_provider_organisation_idx').on(t.organisationId)],
);

/** An Aftercare user's identity at a provider: the issuer and subject, linked at the first sign-in (or by an administrator). */
export const signInIdentity = pgTable(
  'sign_in_identity',
  {
    partnershipId: partnershipKey(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.issuer, t.subject] }), index('sign_in_identity_user_idx').on(t.partnershipId, t.userId)],
);
