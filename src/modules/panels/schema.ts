import { sql } from 'drizzle-orm';
import { date, foreignKey, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Funding panels (issue 6): cases submitted with the plan, meetings with agendas and a quorum
 * from both bodies, decisions with reasons and conditions that update the plan's split.
 */
const partnershipId = partnershipKey;

export const panelMeetingStatus = pgEnum('panel_meeting_status', ['planned', 'held', 'cancelled']);

export const panelMeeting = pgTable(
  'panel_meeting',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    meetsOn: date('meets_on', { mode: 'string' }).notNull(),
    location: text('location'),
    agenda: text('agenda'),
    status: panelMeetingStatus('status').notNull().default('planned'),
    /** Panel members present (users), for the quorum. */
    presentUserIds: uuid('present_user_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] }), index('panel_meeting_date_idx').on(t.partnershipId, t.meetsOn)],
);

export const panelCaseStatus = pgEnum('panel_case_status', ['submitted', 'listed', 'decided', 'withdrawn']);
export const panelDecision = pgEnum('panel_decision', ['approved', 'approved-with-changes', 'deferred', 'declined']);

export const panelCase = pgTable(
  'panel_case',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    planId: uuid('plan_id').notNull(),
    meetingId: uuid('meeting_id'),
    status: panelCaseStatus('status').notNull().default('submitted'),
    summary: text('summary').notNull(),
    /** The split proposed for the plan's services, LA share in basis points. */
    proposedLaBasisPoints: integer('proposed_la_basis_points').notNull(),
    proposedBasis: text('proposed_basis').notNull(),
    submittedBy: uuid('submitted_by').references(() => appUser.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    decision: panelDecision('decision'),
    decisionReasons: text('decision_reasons'),
    conditions: text('conditions'),
    decidedLaBasisPoints: integer('decided_la_basis_points'),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('panel_case_person_idx').on(t.partnershipId, t.personId),
    index('panel_case_meeting_idx').on(t.partnershipId, t.meetingId),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);
