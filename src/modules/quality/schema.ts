import { date, integer, jsonb, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '../../platform/db/columns.ts';
import { organisation, partnershipKey } from '../../platform/db/schema.ts';

/*
 * Data-quality score over time (issue 7, item 2). The register keeps no history from which past
 * scores could be recomputed honestly, so a daily job records each organisation's score and rule
 * counts (over the people that organisation can see); the page charts them.
 */
export const qualitySnapshot = pgTable(
  'quality_snapshot',
  {
    partnershipId: partnershipKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    takenOn: date('taken_on', { mode: 'string' }).notNull(),
    /** People checked. */
    population: integer('population').notNull(),
    /** Score out of 100, in tenths (875 = 87.5). */
    scoreTenths: integer('score_tenths').notNull(),
    /** { [ruleId]: count } */
    counts: jsonb('counts').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.organisationId, t.takenOn] })],
);
