import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/schema.ts';

/*
 * Reviews, meetings (review and MDT) and the notification outbox (issue 6). Keyed by
 * (partnership_id, id) like every person table.
 */
const partnershipId = partnershipKey;

export const reviewStatus = pgEnum('review_status', ['scheduled', 'completed', 'cancelled']);

/** A section 117 review: due from the engine, held with the person, recorded with its outcomes. */
export const review = pgTable(
  'review',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** The plan reviewed (the approved plan when the review was held). */
    planId: uuid('plan_id'),
    dueOn: date('due_on', { mode: 'string' }),
    heldOn: date('held_on', { mode: 'string' }),
    status: reviewStatus('status').notNull().default('scheduled'),
    /** [{ kind: 'person'|'carer'|'advocate'|'professional', name, role }] */
    attendees: jsonb('attendees').notNull().default(sql`'[]'::jsonb`),
    /** [{ goal, outcome }] against each goal of the plan. */
    goalOutcomes: jsonb('goal_outcomes').notNull().default(sql`'[]'::jsonb`),
    needsChanged: boolean('needs_changed'),
    /** The new plan version opened because needs changed. */
    newPlanId: uuid('new_plan_id'),
    s117StillApplies: boolean('s117_still_applies'),
    s117Reasons: text('s117_reasons'),
    riskUpdate: text('risk_update'),
    contingencyUpdate: text('contingency_update'),
    personView: text('person_view'),
    nextReviewOn: date('next_review_on', { mode: 'string' }),
    /** The legal event ('reviewed') recorded when the review was completed. */
    legalEventId: uuid('legal_event_id'),
    completedBy: uuid('completed_by').references(() => appUser.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('review_person_idx').on(t.partnershipId, t.personId, t.dueOn),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);

export const meetingKind = pgEnum('meeting_kind', ['review', 'mdt']);

/** A review or MDT meeting about a person: when, where, who, what was discussed and decided. */
export const meeting = pgTable(
  'meeting',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    kind: meetingKind('kind').notNull(),
    reviewId: uuid('review_id'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull().default(60),
    location: text('location'),
    /** [{ name, role, organisation }] */
    attendees: jsonb('attendees').notNull().default(sql`'[]'::jsonb`),
    discussion: text('discussion'),
    decisions: text('decisions'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('meeting_person_idx').on(t.partnershipId, t.personId, t.startsAt),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);

export const meetingAction = pgTable(
  'meeting_action',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    meetingId: uuid('meeting_id').notNull(),
    personId: uuid('person_id').notNull(),
    description: text('description').notNull(),
    ownerUserId: uuid('owner_user_id').references(() => appUser.id),
    ownerName: text('owner_name'),
    dueOn: date('due_on', { mode: 'string' }),
    done: boolean('done').notNull().default(false),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('meeting_action_meeting_idx').on(t.partnershipId, t.meetingId),
    foreignKey({ columns: [t.partnershipId, t.meetingId], foreignColumns: [meeting.partnershipId, meeting.id] }).onDelete('cascade'),
  ],
);

export const notificationStatus = pgEnum('notification_status', ['pending', 'sent', 'failed']);

/**
 * The notification outbox: reminders and notices, written in the transaction that causes them,
 * delivered by a job (email through SMTP when configured, otherwise shown in the app), retried
 * after a failure with the outcome recorded. `dedupe_key` makes queuing idempotent: a reminder
 * for one review's due date is queued once however often the job runs, on however many instances.
 */
export const notification = pgTable(
  'notification',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    dedupeKey: text('dedupe_key').notNull(),
    kind: text('kind').notNull(),
    recipientUserId: uuid('recipient_user_id').references(() => appUser.id),
    recipientEmail: text('recipient_email'),
    personId: uuid('person_id'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    /** An attached file (scheduled reports, issue 7): its name, media type and bytes as base64. */
    attachmentName: text('attachment_name'),
    attachmentType: text('attachment_type'),
    attachmentBase64: text('attachment_base64'),
    /** email or in-app */
    channel: text('channel').notNull(),
    status: notificationStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('notification_dedupe_uq').on(t.partnershipId, t.dedupeKey),
    index('notification_due_idx').on(t.status, t.nextAttemptAt),
    index('notification_recipient_idx').on(t.partnershipId, t.recipientUserId, t.createdAt),
  ],
);
