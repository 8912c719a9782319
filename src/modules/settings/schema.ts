import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnership } from '../../platform/db/schema.ts';

/** A partnership's planning settings: the resource allocation for indicative budgets, refund interest. */
export const planSettings = pgTable('plan_settings', {
  partnershipId: uuid('partnership_id')
    .primaryKey()
    .references(() => partnership.id),
  /** Points per need domain and level, and pence per point (src/domain/personal-budget.ts). */
  resourceAllocation: jsonb('resource_allocation').notNull(),
  /** Simple interest on refunds of unlawful charges, in basis points a year (800 = 8%). */
  refundInterestBasisPoints: integer('refund_interest_basis_points').notNull().default(800),
  weeksPerYear: integer('weeks_per_year').notNull().default(52),
  /** Review policy (issue 6): first review this many weeks after leaving hospital, then every N months (at most 12, R27). */
  firstReviewWeeks: integer('first_review_weeks').notNull().default(6),
  reviewIntervalMonths: integer('review_interval_months').notNull().default(12),
  /** Remind the allocated worker and their manager this many days before a review is due. */
  reminderDaysBefore: integer('reminder_days_before').notNull().default(14),
  updatedBy: uuid('updated_by').references(() => appUser.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

/**
 * A partnership's own types of aftercare service, beside the shipped list
 * (src/domain/reference/service-types.ts; issue 13, item 8). Codes start "local-"; a type is
 * retired rather than deleted, so services recorded with it keep their name.
 */
export const partnershipServiceType = pgTable(
  'partnership_service_type',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnership.id),
    code: text('code').notNull(),
    label: text('label').notNull(),
    description: text('description').notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.code] })],
);
