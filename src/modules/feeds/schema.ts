import { date, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';

/*
 * The daily finance file (issue 14, item 5; docs/finance-feed.md): one a day per partnership,
 * produced by the 'finance-feed' job and kept for administrators to download (each download audited).
 */
const partnershipId = partnershipKey;

export const financeFeedFile = pgTable(
  'finance_feed_file',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    /** The day the file describes (YYYY-MM-DD, London). */
    feedDate: date('feed_date', { mode: 'string' }).notNull(),
    filename: text('filename').notNull(),
    /** The CSV itself (UTF-8). */
    content: text('content').notNull(),
    rowCount: integer('row_count').notNull(),
    /** SHA-256 of the content, hex: the receiving system may check it. */
    sha256: text('sha256').notNull(),
    /** Null when the scheduled job made it. */
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] }), uniqueIndex('finance_feed_file_date_uq').on(t.partnershipId, t.feedDate)],
);
