import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Aftercare plans (issue 5): a plan per version, its needs (each with the two statutory tests
 * and the engine's classification) and the services that meet them (cost, delivery route and
 * the recorded LA/ICB split). Keyed by (partnership_id, id) like every person table, so the
 * schema can be distributed by partnership; foreign keys include partnership_id.
 */
const partnershipId = partnershipKey;

export const planStatus = pgEnum('plan_status', ['draft', 'submitted', 'approved', 'superseded']);

/** One version of a person's aftercare plan. Approving a version supersedes the one before. */
export const aftercarePlan = pgTable(
  'aftercare_plan',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** 1, 2, 3… per person: the version the person and partners see. */
    planNumber: integer('plan_number').notNull(),
    status: planStatus('status').notNull().default('draft'),
    // Co-production: the person's voice first.
    personVoice: text('person_voice'),
    goals: text('goals'),
    strengths: text('strengths'),
    // Crisis and contingency plan.
    earlyWarningSigns: text('early_warning_signs'),
    whatHelps: text('what_helps'),
    crisisContacts: text('crisis_contacts'),
    /** WRAP or equivalent: what it is and where it is held. */
    wrap: text('wrap'),
    carersInvolved: text('carers_involved'),
    carerAssessmentOfferedOn: date('carer_assessment_offered_on', { mode: 'string' }),
    carerAssessmentOutcome: text('carer_assessment_outcome'),
    /** Advocacy offered and used: [{ kind: 'imha'|'imca'|'care-act', offeredOn, used, notes }]. */
    advocacy: jsonb('advocacy').notNull().default(sql`'[]'::jsonb`),
    /** Who took part in making the plan, and how. */
    participants: text('participants'),
    createdBy: uuid('created_by').references(() => appUser.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => appUser.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: uuid('approved_by').references(() => appUser.id),
    /** The responsible body on whose behalf the plan was approved. */
    approvedForOrganisationId: uuid('approved_for_organisation_id').references(() => organisation.id),
    approvalNote: text('approval_note'),
    /**
     * The funding panel case whose decision made this version (issue 13): a panel never changes a
     * plan in place; it starts the next version carrying the decided split, to be approved as any
     * version is (docs/decisions/0008-funding-both-bodies-agree.md).
     */
    panelCaseId: uuid('panel_case_id'),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('aftercare_plan_number_uq').on(t.partnershipId, t.personId, t.planNumber),
    // At most one plan in progress (draft or submitted) and one approved plan per person.
    uniqueIndex('aftercare_plan_open_uq').on(t.partnershipId, t.personId).where(sql`status in ('draft', 'submitted')`),
    uniqueIndex('aftercare_plan_approved_uq').on(t.partnershipId, t.personId).where(sql`status = 'approved'`),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);

export const payingBody = pgEnum('paying_body', ['local-authority', 'icb']);

/**
 * A responsible body's agreement to a submitted plan version (issue 13): each body that pays
 * agrees, once, by one of its approvers or by a funding panel's decision. The plan is approved
 * when every paying body has agreed (src/domain/funding-agreement.ts). Returning the plan to
 * draft removes its agreements: what was agreed may change.
 */
export const planAgreement = pgTable(
  'plan_agreement',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    planId: uuid('plan_id').notNull(),
    personId: uuid('person_id').notNull(),
    body: payingBody('body').notNull(),
    /** The body's organisation (the person's responsible local authority or ICB). */
    organisationId: uuid('organisation_id').references(() => organisation.id),
    /** Who agreed: the approver, or the panel member who recorded the panel's decision. */
    agreedBy: uuid('agreed_by').references(() => appUser.id),
    agreedAt: timestamp('agreed_at', { withTimezone: true }).notNull(),
    /** Set when the agreement is a funding panel's decision (the panel's reference). */
    panelCaseId: uuid('panel_case_id'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('plan_agreement_body_uq').on(t.partnershipId, t.planId, t.body),
    index('plan_agreement_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.planId], foreignColumns: [aftercarePlan.partnershipId, aftercarePlan.id] }).onDelete('cascade'),
  ],
);

/**
 * The partnership's policy on when the ICB must agree a plan (issue 13): by default any cost on
 * the ICB; a partnership may set a weekly threshold (and still ask for health needs), recorded
 * with its basis and who set it. Lead organisation administrators change it; every change is audited.
 */
export const fundingAgreementPolicy = pgTable('funding_agreement_policy', {
  partnershipId: partnershipId().primaryKey(),
  /** Null: any ICB cost needs the ICB's agreement. Otherwise only above this many pence a week. */
  icbThresholdWeeklyPence: integer('icb_threshold_weekly_pence'),
  icbAlwaysForHealthNeeds: boolean('icb_always_for_health_needs').notNull().default(false),
  /** Why: the local agreement behind the threshold (HSC 2000/003 joint policy), in the partnership's words. */
  basis: text('basis').notNull(),
  updatedBy: uuid('updated_by').references(() => appUser.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

export const needLevel = pgEnum('need_level', ['low', 'medium', 'high']);

/** A need in a plan, with the s117(6) tests, the practitioner's rationale and the engine's classification. */
export const planNeed = pgTable(
  'plan_need',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    planId: uuid('plan_id').notNull(),
    personId: uuid('person_id').notNull(),
    /** The same need across plan versions (for comparing versions side by side). */
    lineageId: uuid('lineage_id').notNull().defaultRandom(),
    domain: text('domain').notNull(),
    description: text('description').notNull(),
    personWords: text('person_words'),
    strengths: text('strengths'),
    desiredOutcome: text('desired_outcome'),
    level: needLevel('level').notNull().default('medium'),
    arisesFromMentalDisorder: boolean('arises_from_mental_disorder').notNull(),
    reducesRiskOfDeterioration: boolean('reduces_risk_of_deterioration').notNull(),
    testsRationale: text('tests_rationale').notNull(),
    /** Null unless the need is for accommodation; then whether it is enhanced or specialised. */
    accommodationEnhanced: boolean('accommodation_enhanced'),
    accommodationFeature: text('accommodation_feature'),
    primaryHealthNeed: boolean('primary_health_need').notNull().default(false),
    healthNeed: boolean('health_need').notNull().default(false),
    eligibleCareActNeed: boolean('eligible_care_act_need').notNull().default(false),
    /** The engine's classification: section-117, care-act, nhs-chc, other-nhs, universal. */
    category: text('category').notNull(),
    s117: boolean('s117').notNull(),
    /** The reasons behind the classification (rule ids and text). */
    classification: jsonb('classification').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('plan_need_plan_idx').on(t.partnershipId, t.planId, t.position),
    foreignKey({ columns: [t.partnershipId, t.planId], foreignColumns: [aftercarePlan.partnershipId, aftercarePlan.id] }).onDelete('cascade'),
  ],
);

export const deliveryRoute = pgEnum('delivery_route', ['commissioned', 'direct-payment', 'personal-health-budget', 'individual-service-fund', 'notional-budget']);

/** A service in a plan: what meets which needs, what it costs, how it is delivered and who pays. */
export const planService = pgTable(
  'plan_service',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    planId: uuid('plan_id').notNull(),
    personId: uuid('person_id').notNull(),
    lineageId: uuid('lineage_id').notNull().defaultRandom(),
    /** The plan needs this service meets (ids of plan_need in the same plan). */
    needIds: uuid('need_ids').array().notNull(),
    /** The service in words: its type's label when chosen from the list, else what was typed (shown as "Other: …"). */
    serviceType: text('service_type').notNull(),
    /**
     * Its type (src/domain/reference/service-types.ts, or a partnership's own "local-…" type, or
     * "other"); null for services recorded before the list, whose words are mapped when clear
     * (effectiveServiceType) and otherwise count as "other".
     */
    serviceTypeCode: text('service_type_code'),
    provider: text('provider').notNull(),
    startOn: date('start_on', { mode: 'string' }).notNull(),
    endOn: date('end_on', { mode: 'string' }),
    /** How often, in words ("3 visits a week, 1 hour each"). */
    frequency: text('frequency').notNull(),
    unitsPerWeek: numeric('units_per_week', { precision: 10, scale: 2, mode: 'number' }).notNull(),
    unitCostPence: integer('unit_cost_pence').notNull(),
    weeklyCostPence: integer('weekly_cost_pence').notNull(),
    deliveryRoute: deliveryRoute('delivery_route').notNull(),
    /** A section 117 service: it meets at least one section 117 need. Free to the person (R20). */
    s117: boolean('s117').notNull(),
    /** The local authority's share in basis points (6000 = 60%); the ICB pays the rest (R26). */
    localAuthorityBasisPoints: integer('local_authority_basis_points').notNull(),
    splitBasis: text('split_basis').notNull(),
    /** What the person is charged a week; always 0 for a section 117 service (a check constraint too). */
    chargePence: integer('charge_pence').notNull().default(0),
    // Top-up for preferred accommodation (R22): only for adults, amount = preferred − usual.
    topUpPreferredWeeklyPence: integer('top_up_preferred_weekly_pence'),
    topUpUsualWeeklyPence: integer('top_up_usual_weekly_pence'),
    topUpPayer: text('top_up_payer'),
    topUpWeeklyPence: integer('top_up_weekly_pence'),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('plan_service_plan_idx').on(t.partnershipId, t.planId, t.position),
    check('plan_service_s117_free', sql`not ${t.s117} or ${t.chargePence} = 0`),
    check('plan_service_la_share', sql`${t.localAuthorityBasisPoints} between 0 and 10000`),
    foreignKey({ columns: [t.partnershipId, t.planId], foreignColumns: [aftercarePlan.partnershipId, aftercarePlan.id] }).onDelete('cascade'),
  ],
);

export const budgetKind = pgEnum('budget_kind', ['direct-payment', 'personal-health-budget']);
export const budgetRequestStatus = pgEnum('budget_request_status', ['requested', 'granted', 'refused', 'withdrawn']);

/** A request for a direct payment (LA) or a personal health budget (ICB; R23: grant unless a recorded reason). */
export const budgetRequest = pgTable(
  'budget_request',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    planId: uuid('plan_id'),
    kind: budgetKind('kind').notNull(),
    requestedOn: date('requested_on', { mode: 'string' }).notNull(),
    status: budgetRequestStatus('status').notNull().default('requested'),
    decidedOn: date('decided_on', { mode: 'string' }),
    /** For a refused PHB: the recorded reason why a PHB is not appropriate. */
    notAppropriateReason: text('not_appropriate_reason'),
    weeklyAmountPence: integer('weekly_amount_pence'),
    notes: text('notes'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('budget_request_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);
