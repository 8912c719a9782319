import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Carers and advocacy (issue 16, items 5 and 6; docs/carers-and-advocacy.md).
 *
 * A carer is a person in their own right (Care Act 2014, section 10): their own record in the
 * partnership, linked to one or more cared-for people. Their consent to share information with
 * and about them is kept with its date; without it they are not named in anything made for the
 * cared-for person (subject access exports, the chronology's downloads, the API).
 *
 * A carer's assessment runs offered, then accepted or declined (s10(7)), then completed with the
 * eligibility determination (Eligibility Criteria Regulations 2015, reg 3) and a support plan
 * (ss20 and 25) with its review date. It is offered in the context of one cared-for person (the
 * record the offer was made from: a discharge, a review, or otherwise), which decides who sees it.
 *
 * An advocacy referral is the general record of a referral to an IMHA (MHA 1983 s130A), an IMCA
 * (MCA 2005 s35) or a Care Act advocate (s67), with its dates in order.
 */
const partnershipId = partnershipKey;

export const carer = pgTable(
  'carer',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    /** Whether the carer agrees to information being shared with and about them. */
    consentToShare: boolean('consent_to_share').notNull(),
    consentRecordedOn: date('consent_recorded_on', { mode: 'string' }).notNull(),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] })],
);

export const carerLink = pgTable(
  'carer_link',
  {
    partnershipId: partnershipId(),
    carerId: uuid('carer_id').notNull(),
    personId: uuid('person_id').notNull(),
    /** The carer's relationship to the cared-for person, in words ("Mother", "Neighbour"). */
    relationship: text('relationship').notNull(),
    linkedOn: date('linked_on', { mode: 'string' }).notNull(),
    linkedBy: uuid('linked_by').references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.carerId, t.personId] }),
    index('carer_link_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.carerId], foreignColumns: [carer.partnershipId, carer.id] }),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);

export const carerAssessment = pgTable(
  'carer_assessment',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    carerId: uuid('carer_id').notNull(),
    /** The cared-for person whose record the offer was made from. */
    personId: uuid('person_id').notNull(),
    /** discharge, review or other: what prompted the offer. */
    offeredAt: text('offered_at').notNull(),
    offeredOn: date('offered_on', { mode: 'string' }).notNull(),
    offeredBy: uuid('offered_by').references(() => appUser.id),
    acceptedOn: date('accepted_on', { mode: 'string' }),
    declinedOn: date('declined_on', { mode: 'string' }),
    completedOn: date('completed_on', { mode: 'string' }),
    completedBy: uuid('completed_by').references(() => appUser.id),
    /** Reg 3(1)(a), 3(2)(a), 3(2)(b) (the outcome keys, src/domain/carers.ts) and 3(1)(c). */
    needsAriseFromCaring: boolean('needs_arise_from_caring'),
    healthAtRisk: boolean('health_at_risk'),
    outcomesNotAchieved: jsonb('outcomes_not_achieved').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    significantImpact: boolean('significant_impact'),
    eligible: boolean('eligible'),
    summary: text('summary'),
    /** The support plan (ss20 and 25): what will be provided and by whom, and its review date. */
    supportWhat: text('support_what'),
    supportWho: text('support_who'),
    reviewOn: date('review_on', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('carer_assessment_carer_idx').on(t.partnershipId, t.carerId, t.offeredOn),
    index('carer_assessment_person_idx').on(t.partnershipId, t.personId),
    foreignKey({ columns: [t.partnershipId, t.carerId], foreignColumns: [carer.partnershipId, carer.id] }),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('carer_assessment_offered_at_check', sql`${t.offeredAt} in ('discharge', 'review', 'other')`),
    check('carer_assessment_answer_check', sql`not (${t.acceptedOn} is not null and ${t.declinedOn} is not null)`),
    check('carer_assessment_order_check', sql`(${t.acceptedOn} is null or ${t.acceptedOn} >= ${t.offeredOn}) and (${t.declinedOn} is null or ${t.declinedOn} >= ${t.offeredOn}) and (${t.completedOn} is null or (${t.acceptedOn} is not null and ${t.completedOn} >= ${t.acceptedOn}))`),
    check('carer_assessment_completed_check', sql`${t.completedOn} is null or (${t.eligible} is not null and ${t.reviewOn} is not null)`),
  ],
);

export const advocacyReferral = pgTable(
  'advocacy_referral',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** imha, imca or care-act (src/domain/advocacy.ts). */
    kind: text('kind').notNull(),
    referredOn: date('referred_on', { mode: 'string' }).notNull(),
    acceptedOn: date('accepted_on', { mode: 'string' }),
    advocateNamedOn: date('advocate_named_on', { mode: 'string' }),
    firstMetOn: date('first_met_on', { mode: 'string' }),
    advocateName: text('advocate_name'),
    service: text('service').notNull(),
    notes: text('notes'),
    referredBy: uuid('referred_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('advocacy_referral_person_idx').on(t.partnershipId, t.personId, t.referredOn),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('advocacy_referral_kind_check', sql`${t.kind} in ('imha', 'imca', 'care-act')`),
    check(
      'advocacy_referral_order_check',
      sql`(${t.acceptedOn} is null or ${t.acceptedOn} >= ${t.referredOn}) and (${t.advocateNamedOn} is null or (${t.acceptedOn} is not null and ${t.advocateNamedOn} >= ${t.acceptedOn} and ${t.advocateName} is not null)) and (${t.firstMetOn} is null or (${t.advocateNamedOn} is not null and ${t.firstMetOn} >= ${t.advocateNamedOn}))`,
    ),
  ],
);

export type CarerRow = typeof carer.$inferSelect;
export type CarerLinkRow = typeof carerLink.$inferSelect;
export type CarerAssessmentRow = typeof carerAssessment.$inferSelect;
export type AdvocacyReferralRow = typeof advocacyReferral.$inferSelect;
