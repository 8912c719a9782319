import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';
import { aftercarePlan } from '../plans/index.ts';
import { person } from '../register/index.ts';

/*
 * Care Act assessment and eligibility, and financial assessment, for the needs that are not
 * section 117 (issue 16, item 7; docs/care-act.md; src/domain/care-act.ts). An assessment is saved
 * as a draft and completed once every outcome is answered; the determination is worked out by the
 * rules, never typed. A financial assessment records the weekly contribution and the charge it
 * puts on each chosen line of the plan, never a section 117 line (refused by the rules, against
 * the plan's own lines read in the same transaction).
 */
const partnershipId = partnershipKey;

export const careActAssessment = pgTable(
  'care_act_assessment',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** draft or completed. */
    status: text('status').notNull(),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    arisesFromImpairment: boolean('arises_from_impairment'),
    significantImpact: boolean('significant_impact'),
    /** { [outcome code]: { unable, ways[], impact } } (src/domain/care-act.ts). */
    outcomes: jsonb('outcomes').notNull(),
    /** The person's own view of what they want to achieve, in their words. */
    personsView: text('persons_view').notNull().default(''),
    /** Worked out when completed (Care Act 2014 s13); null while a draft. */
    eligible: boolean('eligible'),
    assessedBy: uuid('assessed_by').references(() => appUser.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('care_act_assessment_person_idx').on(t.partnershipId, t.personId, t.createdAt),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('care_act_assessment_status_check', sql`${t.status} in ('draft', 'completed')`),
    check('care_act_assessment_completed_check', sql`(${t.status} = 'completed') = (${t.eligible} is not null and ${t.completedAt} is not null)`),
  ],
);

export const financialAssessment = pgTable(
  'financial_assessment',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    planId: uuid('plan_id').notNull(),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    weeklyContributionPence: integer('weekly_contribution_pence').notNull(),
    /** [{ lineId, label, weeklyChargePence }]: only lines that are not section 117. */
    charges: jsonb('charges').notNull(),
    chargedPence: integer('charged_pence').notNull(),
    notChargedPence: integer('not_charged_pence').notNull(),
    assessedBy: uuid('assessed_by').references(() => appUser.id),
    createdAt: createdAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('financial_assessment_person_idx').on(t.partnershipId, t.personId, t.createdAt),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    foreignKey({ columns: [t.partnershipId, t.planId], foreignColumns: [aftercarePlan.partnershipId, aftercarePlan.id] }),
    check('financial_assessment_amounts_check', sql`${t.weeklyContributionPence} >= 0 and ${t.chargedPence} >= 0 and ${t.notChargedPence} >= 0 and ${t.chargedPence} + ${t.notChargedPence} = ${t.weeklyContributionPence}`),
  ],
);
