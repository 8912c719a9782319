import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnership, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Risk assessment and escalation (issue 15, item 4; docs/risk.md). Assessments are a history: a
 * new one supersedes the previous (`superseded_at`), every one is kept. An escalation is raised
 * when the level rises or a significant event is recorded, and closed by a team manager's outcome.
 * A learning review is the record completed when a readmission or a crisis prompts one; what is
 * still to do is computed from the legal history and the escalations (decision 0009).
 */
const partnershipId = partnershipKey;

export const riskAssessment = pgTable(
  'risk_assessment',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    riskToSelf: text('risk_to_self').notNull(),
    riskToOthers: text('risk_to_others').notNull(),
    riskFromOthers: text('risk_from_others').notNull(),
    selfNeglect: text('self_neglect').notNull(),
    relapseSigns: text('relapse_signs').notNull(),
    protectiveFactors: text('protective_factors').notNull(),
    personsView: text('persons_view').notNull(),
    formulation: text('formulation').notNull(),
    positiveRiskPlan: text('positive_risk_plan').notNull(),
    /** low, medium or high (src/domain/risk.ts). */
    level: text('level').notNull(),
    reviewOn: date('review_on', { mode: 'string' }).notNull(),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    assessedBy: uuid('assessed_by').references(() => appUser.id),
    assessedForOrganisationId: uuid('assessed_for_organisation_id').references(() => organisation.id),
    /** Set when a later assessment replaced this one as the current one. */
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    supersededBy: uuid('superseded_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('risk_assessment_person_idx').on(t.partnershipId, t.personId, t.createdAt),
    // One current assessment per person.
    uniqueIndex('risk_assessment_current_uq').on(t.partnershipId, t.personId).where(sql`superseded_at is null`),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('risk_assessment_level_check', sql`${t.level} in ('low', 'medium', 'high')`),
  ],
);

export const riskEscalation = pgTable(
  'risk_escalation',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** level-rose or significant-event. */
    reason: text('reason').notNull(),
    fromLevel: text('from_level'),
    toLevel: text('to_level'),
    /** The assessment or case note that raised it. */
    assessmentId: uuid('assessment_id'),
    caseNoteId: uuid('case_note_id'),
    raisedBy: uuid('raised_by').references(() => appUser.id),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    /** open or closed. */
    status: text('status').notNull().default('open'),
    outcome: text('outcome'),
    outcomeDetail: text('outcome_detail'),
    outcomeBy: uuid('outcome_by').references(() => appUser.id),
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('risk_escalation_person_idx').on(t.partnershipId, t.personId, t.raisedAt),
    index('risk_escalation_open_idx').on(t.partnershipId, t.status),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('risk_escalation_status_check', sql`(${t.status} = 'open' and ${t.outcome} is null) or (${t.status} = 'closed' and ${t.outcome} is not null and ${t.outcomeAt} is not null)`),
    check('risk_escalation_reason_check', sql`${t.reason} in ('level-rose', 'significant-event')`),
  ],
);

export const learningReview = pgTable(
  'learning_review',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** readmission (a legal event) or crisis (an escalation). */
    trigger: text('trigger').notNull(),
    /** The admission event's or the escalation's id: one review each. */
    triggerId: uuid('trigger_id').notNull(),
    whatHappened: text('what_happened').notNull(),
    whatPlanSaid: text('what_plan_said').notNull(),
    whatChanges: text('what_changes').notNull(),
    completedBy: uuid('completed_by').references(() => appUser.id),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('learning_review_trigger_uq').on(t.partnershipId, t.triggerId),
    index('learning_review_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('learning_review_trigger_check', sql`${t.trigger} in ('readmission', 'crisis')`),
  ],
);

/** The partnership's definitions of the levels (one row; none means the defaults). */
export const riskSettings = pgTable('risk_settings', {
  partnershipId: uuid('partnership_id')
    .notNull()
    .primaryKey()
    .references(() => partnership.id),
  lowDefinition: text('low_definition').notNull(),
  mediumDefinition: text('medium_definition').notNull(),
  highDefinition: text('high_definition').notNull(),
  updatedBy: uuid('updated_by').references(() => appUser.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});
