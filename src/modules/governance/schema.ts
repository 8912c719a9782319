import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnership, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Information governance (issue 14, item 6; docs/operations/information-governance.md).
 */
const partnershipId = partnershipKey;

/**
 * The partnership's retention schedule for the register: years after the last entitlement ended
 * and years after death (Records Management Code of Practice 2021: 20 and 8 by default). One row
 * per partnership, set by administrators of the lead organisation on the settings page.
 */
export const retentionPolicy = pgTable(
  'retention_policy',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnership.id),
    yearsAfterEntitlementEnded: integer('years_after_entitlement_ended').notNull().default(20),
    yearsAfterDeath: integer('years_after_death').notNull().default(8),
    /** The day the monthly job last listed the records due (it lists once per London month). */
    lastListedOn: date('last_listed_on', { mode: 'string' }),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId] }),
    check('retention_policy_years_check', sql`${t.yearsAfterEntitlementEnded} between 1 and 100 and ${t.yearsAfterDeath} between 1 and 100`),
  ],
);

/**
 * A record found due for retention review by the monthly job, and the decision on it: keep for
 * another N years (with a reason) or mark for destruction (with a reason). Nothing is ever deleted
 * by the system: "marked for destruction" is a decision recorded for the records manager to act on
 * under the organisation's own procedure.
 */
export const retentionReview = pgTable(
  'retention_review',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** The day the record became due for review. */
    dueFrom: date('due_from', { mode: 'string' }).notNull(),
    /** entitlement-ended, died or kept-until: what the due date counts from. */
    basis: text('basis').notNull(),
    /** The day the monthly job (or a person running it) listed it. */
    listedOn: date('listed_on', { mode: 'string' }).notNull(),
    /** null while waiting; keep or destroy. */
    decision: text('decision'),
    keepYears: integer('keep_years'),
    keepUntil: date('keep_until', { mode: 'string' }),
    reason: text('reason'),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('retention_review_person_due_uq').on(t.partnershipId, t.personId, t.dueFrom),
    index('retention_review_open_idx').on(t.partnershipId, t.decision, t.dueFrom),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('retention_review_decision_check', sql`${t.decision} is null or (${t.decision} = 'keep' and ${t.keepYears} between 1 and 100 and ${t.keepUntil} is not null and ${t.reason} is not null) or (${t.decision} = 'destroy' and ${t.reason} is not null)`),
  ],
);
