import { integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';

/*
 * The partnership's population, when configured (issue 7, items 1 and 4): rates per 100,000 of
 * the population for entitlement by ethnicity, age band, sex and local authority. Figures are
 * the partnership's own (usually ONS mid-year estimates); none are invented.
 */
export const populationFigure = pgTable(
  'population_figure',
  {
    partnershipId: partnershipKey(),
    /** ONS GSS code of the local authority, or "all" for the whole partnership. */
    localAuthority: text('local_authority').notNull(),
    /** total, ethnicity, age-band, sex */
    dimension: text('dimension').notNull(),
    /** The category within the dimension (an NHS ethnic category code, an age band, a sex); "all" for total. */
    category: text('category').notNull(),
    population: integer('population').notNull(),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.localAuthority, t.dimension, t.category] })],
);
