import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnershipKey } from '../../platform/db/schema.ts';

/*
 * Reports on a schedule (issue 7, item 7): a dashboard or a list, emailed monthly as XLSX to named
 * users through the notification outbox. Each recipient's copy is built with their own access, so
 * nobody is sent people they could not see in the app.
 */
const partnershipId = partnershipKey;

export const reportSchedule = pgTable(
  'report_schedule',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** What is sent: dashboard, equality, data-quality, register (a register list with its filters). */
    source: text('source').notNull(),
    /** The filters of the dashboard or list, as its query string parameters. */
    query: jsonb('query').notNull().default(sql`'{}'::jsonb`),
    /** Users who receive it (each gets a copy built with their own access). */
    recipientUserIds: uuid('recipient_user_ids').array().notNull(),
    /** Monthly, on this day of the month (1–28). */
    dayOfMonth: integer('day_of_month').notNull().default(1),
    nextRunOn: date('next_run_on', { mode: 'string' }).notNull(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    /** The organisation whose member set it up. */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] }), index('report_schedule_due_idx').on(t.active, t.nextRunOn)],
);
