import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnership, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Deprivation of liberty (issue 16, item 4; docs/deprivation-of-liberty.md, decision 0024). A
 * consideration records the Cheshire West acid test for a person (and the plan that prompted it);
 * an authorisation is a DoLS request (MCA 2005 Schedule A1) or a COPDOL11 application to the Court
 * of Protection (s16(2)(a)), carrying its statutory basis so the Liberty Protection Safeguards can
 * be another basis later; a challenge is a section 21A application about an authorisation. What is
 * due for renewal or review is computed from these records (decision 0009).
 */
const partnershipId = partnershipKey;

export const libertyConsideration = pgTable(
  'liberty_consideration',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** The plan that prompted it (aftercare_plan), if any: the prompt stops for that plan. */
    planId: uuid('plan_id'),
    consideredOn: date('considered_on', { mode: 'string' }).notNull(),
    /** src/domain/deprivation-of-liberty.ts settings. */
    setting: text('setting').notNull(),
    supervisionAndControl: text('supervision_and_control').notNull(),
    freeToLeave: text('free_to_leave').notNull(),
    /** lacks, has or not-assessed (MCA 2005 ss2–3). */
    capacityToConsent: text('capacity_to_consent').notNull(),
    /** The capacity assessment cited, if any (capacity_assessment). */
    capacityAssessmentId: uuid('capacity_assessment_id'),
    /** is, may-be or is-not, from the answers. */
    outcome: text('outcome').notNull(),
    arrangements: text('arrangements').notNull(),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedForOrganisationId: uuid('recorded_for_organisation_id').references(() => organisation.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('liberty_consideration_person_idx').on(t.partnershipId, t.personId, t.consideredOn),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('liberty_consideration_answers_check', sql`${t.supervisionAndControl} in ('yes', 'no') and ${t.freeToLeave} in ('yes', 'no') and ${t.capacityToConsent} in ('lacks', 'has', 'not-assessed') and ${t.outcome} in ('is', 'may-be', 'is-not')`),
  ],
);

export const libertyAuthorisation = pgTable(
  'liberty_authorisation',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    considerationId: uuid('consideration_id'),
    /** mca-schedule-a1 (DoLS) or mca-s16-order (COPDOL11); LPS would be another value. */
    basis: text('basis').notNull(),
    setting: text('setting').notNull(),
    /** The care home, hospital or address where the arrangements are. */
    place: text('place').notNull(),
    /** DoLS: the supervisory body. COPDOL11: the applicant. */
    body: text('body').notNull().default(''),
    /** DoLS: requested by the managing authority. COPDOL11: application prepared. */
    requestedOn: date('requested_on', { mode: 'string' }).notNull(),
    urgentGivenOn: date('urgent_given_on', { mode: 'string' }),
    urgentEndsOn: date('urgent_ends_on', { mode: 'string' }),
    urgentExtendedTo: date('urgent_extended_to', { mode: 'string' }),
    /** The Schedule A1 assessments done (para 33). */
    assessmentsDone: text('assessments_done').array().notNull().default(sql`'{}'::text[]`),
    assessmentsCompletedOn: date('assessments_completed_on', { mode: 'string' }),
    issuedOn: date('issued_on', { mode: 'string' }),
    /** granted (for an order: made) or refused. */
    outcome: text('outcome'),
    decidedOn: date('decided_on', { mode: 'string' }),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    reviewOn: date('review_on', { mode: 'string' }),
    /** The relevant person's representative (Sch A1 Part 10). */
    representative: text('representative').notNull().default(''),
    conditions: text('conditions').notNull().default(''),
    /** The documents: one a line, title and date. */
    documents: text('documents').notNull().default(''),
    /** The practitioner responsible: who started it, told when it is due. */
    responsibleUserId: uuid('responsible_user_id').references(() => appUser.id),
    recordedForOrganisationId: uuid('recorded_for_organisation_id').references(() => organisation.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('liberty_authorisation_person_idx').on(t.partnershipId, t.personId, t.requestedOn),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    foreignKey({ columns: [t.partnershipId, t.considerationId], foreignColumns: [libertyConsideration.partnershipId, libertyConsideration.id] }),
    check('liberty_authorisation_basis_check', sql`${t.basis} in ('mca-schedule-a1', 'mca-s16-order')`),
    check('liberty_authorisation_outcome_check', sql`${t.outcome} is null or ${t.outcome} in ('granted', 'refused')`),
  ],
);

export const libertyChallenge = pgTable(
  'liberty_challenge',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    authorisationId: uuid('authorisation_id').notNull(),
    appliedOn: date('applied_on', { mode: 'string' }).notNull(),
    applicant: text('applicant').notNull(),
    directionsOn: date('directions_on', { mode: 'string' }),
    hearingOn: date('hearing_on', { mode: 'string' }),
    /** confirmed, varied or terminated (MCA 2005 s21A(3)). */
    outcome: text('outcome'),
    outcomeOn: date('outcome_on', { mode: 'string' }),
    notes: text('notes').notNull().default(''),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('liberty_challenge_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    foreignKey({ columns: [t.partnershipId, t.authorisationId], foreignColumns: [libertyAuthorisation.partnershipId, libertyAuthorisation.id] }),
    check('liberty_challenge_outcome_check', sql`${t.outcome} is null or ${t.outcome} in ('confirmed', 'varied', 'terminated')`),
  ],
);

/** The partnership's choice (one row; none means the default): days before an end or review date it is due. */
export const libertySettings = pgTable('liberty_settings', {
  partnershipId: uuid('partnership_id')
    .notNull()
    .primaryKey()
    .references(() => partnership.id),
  renewalDays: integer('renewal_days').notNull(),
  updatedBy: uuid('updated_by').references(() => appUser.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});
