import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
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
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnershipKey } from '../../platform/db/schema.ts';

/*
 * The Section 117 Partnership Register. Every table is keyed by (partnership_id, id) so it
 * can be distributed by partnership (Citus) without changing a key; foreign keys between
 * person tables include partnership_id for the same reason.
 */
const partnershipId = partnershipKey;

export const engagementStatus = pgEnum('engagement_status', ['engaged', 'disengaged', 'not-known']);
/**
 * The stored entitlement status. Text with a check rather than a PostgreSQL enum: under
 * row-level security the planner only uses a condition as an index condition when its operator
 * is leakproof, and text `=` is while the enum's `=` is not, so `status = 'entitled'` can narrow
 * an index scan (docs/decisions/0006-one-door-to-the-data.md).
 */
export const entitlementStatuses = ['not-entitled', 'pending', 'entitled', 'ended', 'manual-review'] as const;
export const dischargePlanning = pgEnum('discharge_planning', ['not-started', 'in-progress', 'ready']);

export const team = pgTable(
  'team',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] }), uniqueIndex('team_org_name_uq').on(t.partnershipId, t.organisationId, t.name)],
);

export const person = pgTable(
  'person',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    nhsNumber: text('nhs_number').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    address: text('address'),
    postcode: text('postcode'),
    /** ONS GSS code of the local authority the person lives in now (not necessarily the responsible one). */
    residenceLocalAuthority: text('residence_local_authority'),
    gpPractice: text('gp_practice'),
    /** Code of the ICB the person's GP practice belongs to now. */
    gpIcb: text('gp_icb'),
    /** NHS ethnic category code (A–S, Z not stated, 99 not known). */
    ethnicity: text('ethnicity').notNull().default('99'),
    sex: text('sex').notNull().default('not-known'),
    gender: text('gender'),
    preferredLanguage: text('preferred_language').notNull().default('English'),
    interpreterNeeded: boolean('interpreter_needed').notNull().default(false),
    /** Accessible Information Standard needs: easy-read, large-print, braille, bsl, audio. */
    communicationNeeds: text('communication_needs').array().notNull().default(sql`'{}'::text[]`),
    communicationNotes: text('communication_notes'),
    allocatedTeamId: uuid('allocated_team_id'),
    leadPractitionerId: uuid('lead_practitioner_id').references(() => appUser.id),
    /** Disengaged never removes anyone from the register (R28). */
    engagement: engagementStatus('engagement').notNull().default('not-known'),
    lastContactOn: date('last_contact_on', { mode: 'string' }),
    /** When the person was last given their section 117 rights in writing (null: never; issue 5). */
    rightsGivenInWritingOn: date('rights_given_in_writing_on', { mode: 'string' }),
    expectedDischargeOn: date('expected_discharge_on', { mode: 'string' }),
    dischargePlanning: dischargePlanning('discharge_planning').notNull().default('not-started'),
    /** The organisation that first recorded the person. */
    recordedByOrganisationId: uuid('recorded_by_organisation_id')
      .notNull()
      .references(() => organisation.id),
    /**
     * Organisations involved with the person besides the responsible bodies: who recorded them,
     * the allocated team's organisation, the detaining trust, providers. Drives who may see them.
     */
    involvedOrganisations: uuid('involved_organisations').array().notNull().default(sql`'{}'::uuid[]`),

    // The rules engine's decision, stored on every change so lists never recompute it.
    status: text('status', { enum: entitlementStatuses }).notNull().default('not-entitled'),
    entitlementStart: date('entitlement_start', { mode: 'string' }),
    responsibleLocalAuthority: text('responsible_local_authority'),
    responsibleIcb: text('responsible_icb'),
    nextReviewDue: date('next_review_due', { mode: 'string' }),
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    /** Where the person stands under the Act now, from the legal history (legalPositionOf): cto, conditional-discharge, recalled, in-hospital. */
    legalPosition: text('legal_position').array().notNull().default(sql`'{}'::text[]`),
    decision: jsonb('decision'),
    decidedOn: date('decided_on', { mode: 'string' }),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('person_nhs_number_uq').on(t.partnershipId, t.nhsNumber),
    index('person_name_idx').on(t.partnershipId, sql`lower(${t.familyName})`, sql`lower(${t.givenName})`),
    index('person_dob_idx').on(t.partnershipId, t.dateOfBirth),
    index('person_status_idx').on(t.partnershipId, t.status, t.familyName),
    // Also holds the columns of the visibility scope (access.ts), so counting a filtered register
    // (status and local authority) is an index-only scan rather than a visit to every heap page
    // (bench/register: 55 ms → 15 ms at 200,000 people).
    index('person_la_idx').on(t.partnershipId, t.responsibleLocalAuthority, t.status, t.responsibleIcb, t.involvedOrganisations),
    index('person_icb_idx').on(t.partnershipId, t.responsibleIcb, t.status),
    index('person_review_idx').on(t.partnershipId, t.nextReviewDue),
    index('person_team_idx').on(t.partnershipId, t.allocatedTeamId),
    index('person_involved_idx').using('gin', t.involvedOrganisations),
    // The register's legal status filter ("on a CTO"): a few people in each partnership hold each position.
    index('person_legal_position_idx').using('gin', t.legalPosition),
    foreignKey({ columns: [t.partnershipId, t.allocatedTeamId], foreignColumns: [team.partnershipId, team.id] }),
    check('person_status_check', sql`${t.status} in ('not-entitled', 'pending', 'entitled', 'ended', 'manual-review')`),
  ],
);

/** One event of a person's legal history, in the rules-engine contract (payload holds its fields). */
export const legalEvent = pgTable(
  'legal_event',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    type: text('type').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    /** Order among events of the same date, as recorded. */
    sequence: integer('sequence').notNull(),
    /** The contract fields other than type and date. */
    payload: jsonb('payload').notNull(),
    /** Hospital (name or ODS site code) for detentions and informal admissions. */
    hospital: text('hospital'),
    /** The sender's id for this event: re-sending it changes nothing. */
    externalId: text('external_id'),
    source: text('source').notNull().default('manual'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    voidReason: text('void_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('legal_event_person_idx').on(t.partnershipId, t.personId, t.occurredOn, t.sequence),
    uniqueIndex('legal_event_external_uq').on(t.partnershipId, t.externalId),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);

export const contactRelationship = pgEnum('contact_relationship', [
  'nearest-relative',
  'next-of-kin',
  'carer',
  'advocate',
  'attorney',
  'deputy',
]);

export const personContact = pgTable(
  'person_contact',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    relationship: contactRelationship('relationship').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    consentToShare: boolean('consent_to_share').notNull().default(false),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('person_contact_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);

export const taskStatus = pgEnum('task_status', ['open', 'done', 'cancelled']);

/** Human work on a person: a flag to decide, a follow-up, a handover. */
export const task = pgTable(
  'task',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    kind: text('kind').notNull(),
    /** For kind "flag": the engine's flag code; one open task per person and flag. */
    flag: text('flag'),
    title: text('title').notNull(),
    detail: text('detail'),
    /** Who must act: an organisation, and optionally a person in it. */
    ownerOrganisationId: uuid('owner_organisation_id').references(() => organisation.id),
    ownerUserId: uuid('owner_user_id').references(() => appUser.id),
    /** Or a team of that organisation (a task handed to a team waits in each of its organisation's practitioners' queues). */
    ownerTeamId: uuid('owner_team_id'),
    dueOn: date('due_on', { mode: 'string' }),
    /** Put aside until this date, with the reason (it leaves the queue until then; it stays open). */
    snoozedUntil: date('snoozed_until', { mode: 'string' }),
    snoozeReason: text('snooze_reason'),
    status: taskStatus('status').notNull().default('open'),
    outcome: text('outcome'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: uuid('completed_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('task_person_idx').on(t.partnershipId, t.personId, t.status),
    index('task_owner_idx').on(t.partnershipId, t.ownerOrganisationId, t.status),
    uniqueIndex('task_open_flag_uq').on(t.partnershipId, t.personId, t.flag).where(sql`status = 'open' and flag is not null`),
    index('task_owner_user_idx').on(t.partnershipId, t.ownerUserId, t.status),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    foreignKey({ columns: [t.partnershipId, t.ownerTeamId], foreignColumns: [team.partnershipId, team.id] }),
  ],
);
