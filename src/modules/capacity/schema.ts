import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnership, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Mental capacity and best interests (issue 16, items 2 and 3; docs/mental-capacity.md). A capacity
 * assessment is about one decision at one time (MCA 2005 s2(1)); it is saved as a draft and
 * completed once every part is answered (src/domain/mental-capacity.ts completionProblems), when
 * its outcome is fixed. A best-interests decision (s4) follows an assessment that found the person
 * lacks capacity for that decision; an IMCA instruction (ss35–39) belongs to a best-interests
 * decision and is tracked to the IMCA's report. What is overdue is computed from these records
 * (decision 0009).
 */
const partnershipId = partnershipKey;

export const capacityAssessment = pgTable(
  'capacity_assessment',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** draft or completed. */
    status: text('status').notNull().default('draft'),
    /** src/domain/mental-capacity.ts decisionTopics. */
    topic: text('topic').notNull(),
    decision: text('decision').notNull().default(''),
    /** When the assessment was made (time-specific, s2(1)); a draft may not have it yet. */
    assessedAt: timestamp('assessed_at', { withTimezone: true }),
    relevantInformation: text('relevant_information').notNull().default(''),
    practicableSteps: text('practicable_steps').notNull().default(''),
    /** yes or no, null while unanswered. */
    impairment: text('impairment'),
    impairmentDetail: text('impairment_detail').notNull().default(''),
    causalLink: text('causal_link'),
    causalLinkEvidence: text('causal_link_evidence').notNull().default(''),
    /** met or not-met, null while unanswered (s3(1)(a)–(d)). */
    understand: text('understand'),
    understandEvidence: text('understand_evidence').notNull().default(''),
    retain: text('retain'),
    retainEvidence: text('retain_evidence').notNull().default(''),
    useOrWeigh: text('use_or_weigh'),
    useOrWeighEvidence: text('use_or_weigh_evidence').notNull().default(''),
    communicate: text('communicate'),
    communicateEvidence: text('communicate_evidence').notNull().default(''),
    executiveFunctioning: text('executive_functioning').notNull().default(''),
    /** has-capacity or lacks-capacity, fixed on completion. */
    outcome: text('outcome'),
    /** What the outcome is attached to: need, plan, move or ending, with the thing's id (none for a move). */
    attachedKind: text('attached_kind'),
    attachedId: uuid('attached_id'),
    assessedBy: uuid('assessed_by').references(() => appUser.id),
    assessedForOrganisationId: uuid('assessed_for_organisation_id').references(() => organisation.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('capacity_assessment_person_idx').on(t.partnershipId, t.personId, t.createdAt),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('capacity_assessment_status_check', sql`(${t.status} = 'draft' and ${t.outcome} is null) or (${t.status} = 'completed' and ${t.outcome} in ('has-capacity', 'lacks-capacity') and ${t.completedAt} is not null and ${t.assessedAt} is not null)`),
    check('capacity_assessment_attached_check', sql`${t.attachedKind} is null or ${t.attachedKind} in ('need', 'plan', 'move', 'ending')`),
  ],
);

export const bestInterestsDecision = pgTable(
  'best_interests_decision',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** The assessment it follows: completed, lacks capacity (s1(5)). */
    capacityAssessmentId: uuid('capacity_assessment_id').notNull(),
    /** meeting or decision. */
    kind: text('kind').notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    convenedBy: text('convened_by').notNull(),
    chairedBy: text('chaired_by').notNull().default(''),
    /** s4(6)(a): the person's past and present wishes and feelings. */
    personWishes: text('person_wishes').notNull(),
    /** s4(6)(b): the beliefs and values that would be likely to influence the decision. */
    beliefsValues: text('beliefs_values').notNull(),
    /** s4(7): carers, anyone interested in their welfare, attorneys and deputies, and their views. */
    consulted: text('consulted').notNull().default(''),
    /** s4(7) and ss37–39: nobody appropriate to consult other than paid carers. */
    noOneToConsult: text('no_one_to_consult').notNull().default('no'),
    optionsConsidered: text('options_considered').notNull(),
    /** s1(6). */
    leastRestrictive: text('least_restrictive').notNull(),
    decision: text('decision').notNull(),
    reasons: text('reasons').notNull(),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedForOrganisationId: uuid('recorded_for_organisation_id').references(() => organisation.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('best_interests_person_idx').on(t.partnershipId, t.personId, t.decidedOn),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    foreignKey({ columns: [t.partnershipId, t.capacityAssessmentId], foreignColumns: [capacityAssessment.partnershipId, capacityAssessment.id] }),
    check('best_interests_kind_check', sql`${t.kind} in ('meeting', 'decision')`),
    check('best_interests_no_one_check', sql`${t.noOneToConsult} in ('yes', 'no')`),
  ],
);

export const imcaInstruction = pgTable(
  'imca_instruction',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    bestInterestsId: uuid('best_interests_id').notNull(),
    instructedOn: date('instructed_on', { mode: 'string' }).notNull(),
    service: text('service').notNull(),
    advocate: text('advocate').notNull(),
    instructedBy: uuid('instructed_by').references(() => appUser.id),
    reportReceivedOn: date('report_received_on', { mode: 'string' }),
    reportSummary: text('report_summary'),
    reportRecordedBy: uuid('report_recorded_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('imca_instruction_person_idx').on(t.partnershipId, t.personId),
    index('imca_instruction_waiting_idx').on(t.partnershipId, t.instructedBy).where(sql`report_received_on is null`),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    foreignKey({ columns: [t.partnershipId, t.bestInterestsId], foreignColumns: [bestInterestsDecision.partnershipId, bestInterestsDecision.id] }),
    check('imca_instruction_report_check', sql`(${t.reportReceivedOn} is null) = (${t.reportSummary} is null)`),
  ],
);

/** The partnership's choices (one row; none means the defaults): days allowed for an IMCA's report. */
export const capacitySettings = pgTable('capacity_settings', {
  partnershipId: uuid('partnership_id')
    .notNull()
    .primaryKey()
    .references(() => partnership.id),
  imcaReportDays: integer('imca_report_days').notNull(),
  updatedBy: uuid('updated_by').references(() => appUser.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});
