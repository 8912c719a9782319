import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgTable, primaryKey, text, uuid, boolean } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnership, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Safeguarding adults (issue 16, item 1; docs/safeguarding.md). A concern (Care Act 2014 s42(1))
 * carries its s42(1) decision and, when the criteria are met, its enquiry (s42(2)): the lead, the
 * outcome and the protection plan live on the same row, because there is at most one enquiry per
 * concern. Strategy discussions, meetings and enquiry actions are rows of their own; so are the
 * child protection and public protection (MAPPA, MARAC) meetings attended, which belong to the
 * person rather than to a concern. Every detail here is restricted (safeguarding.service.ts): the
 * roles the partnership chose see it; everyone else who may read the person sees only the flag.
 */
const partnershipId = partnershipKey;

export const safeguardingConcern = pgTable(
  'safeguarding_concern',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** Codes of src/domain/safeguarding.ts abuseCategories (at least one). */
    categories: text('categories').array().notNull(),
    /** Who told us (free text: "Ward staff", "The person's sister"). */
    reportedBy: text('reported_by').notNull(),
    /** SAC source of risk (riskSources). */
    riskSource: text('risk_source').notNull(),
    /** SAC location of risk (riskLocations). */
    location: text('location').notNull(),
    raisedOn: date('raised_on', { mode: 'string' }).notNull(),
    concern: text('concern').notNull(),
    /** Making Safeguarding Personal: whether the person was asked, their views and the outcomes they want. */
    personAsked: boolean('person_asked').notNull(),
    personsViews: text('persons_views').notNull(),
    desiredOutcomes: text('desired_outcomes').notNull(),
    raisedBy: uuid('raised_by').references(() => appUser.id),
    raisedForOrganisationId: uuid('raised_for_organisation_id').references(() => organisation.id),
    /** awaiting-decision, enquiry or closed (concernStatuses). */
    status: text('status').notNull().default('awaiting-decision'),
    decisionDueOn: date('decision_due_on', { mode: 'string' }).notNull(),
    // The s42(1) decision.
    needsCareAndSupport: text('needs_care_and_support'),
    experiencingAbuse: text('experiencing_abuse'),
    unableToProtect: text('unable_to_protect'),
    decision: text('decision'),
    decisionReason: text('decision_reason'),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedOn: date('decided_on', { mode: 'string' }),
    // The enquiry (s42(2)), when the criteria are met.
    enquiryLeadId: uuid('enquiry_lead_id').references(() => appUser.id),
    enquiryStartedOn: date('enquiry_started_on', { mode: 'string' }),
    protectionPlan: text('protection_plan'),
    protectionPlanReviewOn: date('protection_plan_review_on', { mode: 'string' }),
    outcome: text('outcome'),
    outcomesAchieved: text('outcomes_achieved'),
    outcomeDetail: text('outcome_detail'),
    concludedOn: date('concluded_on', { mode: 'string' }),
    concludedBy: uuid('concluded_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('safeguarding_concern_person_idx').on(t.partnershipId, t.personId, t.raisedOn),
    index('safeguarding_concern_status_idx').on(t.partnershipId, t.status),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('safeguarding_concern_status_check', sql`${t.status} in ('awaiting-decision', 'enquiry', 'closed')`),
    check('safeguarding_concern_categories_check', sql`cardinality(${t.categories}) > 0`),
    // Care Act 2014 s42(1): "met" only with all three criteria answered yes.
    check(
      'safeguarding_concern_decision_check',
      sql`${t.decision} is null or (${t.decision} = 'met' and ${t.needsCareAndSupport} = 'yes' and ${t.experiencingAbuse} = 'yes' and ${t.unableToProtect} = 'yes') or (${t.decision} = 'not-met' and 'no' in (${t.needsCareAndSupport}, ${t.experiencingAbuse}, ${t.unableToProtect}))`,
    ),
    check('safeguarding_concern_outcome_check', sql`${t.outcome} is null or ${t.outcome} in ('removed', 'reduced', 'remains')`),
  ],
);

/** Strategy discussions and meetings, and enquiry actions, of one concern's enquiry. */
export const safeguardingEnquiryRecord = pgTable(
  'safeguarding_enquiry_record',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    concernId: uuid('concern_id').notNull(),
    personId: uuid('person_id').notNull(),
    /** strategy-discussion, strategy-meeting or action (enquiryRecordKinds). */
    kind: text('kind').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    /** Who attended (meetings) or who does it (actions). */
    who: text('who').notNull(),
    /** What was agreed (meetings) or what is to be done (actions). */
    detail: text('detail').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('safeguarding_enquiry_record_concern_idx').on(t.partnershipId, t.concernId, t.heldOn),
    index('safeguarding_enquiry_record_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.concernId], foreignColumns: [safeguardingConcern.partnershipId, safeguardingConcern.id] }),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('safeguarding_enquiry_record_kind_check', sql`${t.kind} in ('strategy-discussion', 'strategy-meeting', 'action')`),
  ],
);

/**
 * What a concern is linked to (issue 16, item 1: "links to notes, risk assessments and the plan"):
 * the person's own case notes, risk assessments and aftercare plans, chosen by whoever may write
 * about the person and see the concern. One row a link; the linked thing is named by its kind and
 * id (three modules' tables, so no foreign key to it: the service offers only the person's own).
 */
export const safeguardingLink = pgTable(
  'safeguarding_link',
  {
    partnershipId: partnershipId(),
    concernId: uuid('concern_id').notNull(),
    personId: uuid('person_id').notNull(),
    /** note, risk-assessment or plan (safeguardingLinkKinds). */
    kind: text('kind').notNull(),
    itemId: uuid('item_id').notNull(),
    linkedBy: uuid('linked_by').references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.concernId, t.kind, t.itemId] }),
    index('safeguarding_link_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.concernId], foreignColumns: [safeguardingConcern.partnershipId, safeguardingConcern.id] }),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('safeguarding_link_kind_check', sql`${t.kind} in ('note', 'risk-assessment', 'plan')`),
  ],
);

/** Child protection and public protection (MAPPA, MARAC) meetings attended about or for the person. */
export const protectionMeeting = pgTable(
  'protection_meeting',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** child-protection, mappa or marac (protectionMeetingKinds). */
    kind: text('kind').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    outcome: text('outcome').notNull(),
    nextOn: date('next_on', { mode: 'string' }),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('protection_meeting_person_idx').on(t.partnershipId, t.personId, t.heldOn),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('protection_meeting_kind_check', sql`${t.kind} in ('child-protection', 'mappa', 'marac')`),
  ],
);

/** The partnership's choices (one row; none means the defaults): who sees the details, and the decision's timescale. */
export const safeguardingSettings = pgTable(
  'safeguarding_settings',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .primaryKey()
      .references(() => partnership.id),
    restrictedRoles: text('restricted_roles').array().notNull(),
    decisionWorkingDays: integer('decision_working_days').notNull(),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [check('safeguarding_settings_days_check', sql`${t.decisionWorkingDays} between 1 and 28`)],
);
