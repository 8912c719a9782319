import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Reviews and meetings (review and MDT) (issue 6; the notification outbox is in
 * src/platform/notifications/schema.ts). Keyed by
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

export const reviewBookingStatus = pgEnum('review_booking_status', ['booked', 'held', 'cancelled']);

/**
 * A review booked for a future date (issue 13, item 9): when, where (a place or a video link) and
 * who is invited, each with the email address the invitation went to. Separate from recording the
 * review: recording one from a booking marks the booking held. `sequence` is the iCalendar
 * SEQUENCE of the invitation: 0 when booked, one more at each change or the cancellation, so
 * calendars replace the event they hold (same UID) rather than add another.
 */
export const reviewBooking = pgTable(
  'review_booking',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** The scheduled review the booking is for (completed when the review is recorded). */
    reviewId: uuid('review_id'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull().default(60),
    place: text('place'),
    videoLink: text('video_link'),
    /** [{ kind: 'staff'|'external'|'person'|'carer', userId?, name, email, organisation? }] */
    invitees: jsonb('invitees').notNull().default(sql`'[]'::jsonb`),
    status: reviewBookingStatus('status').notNull().default('booked'),
    sequence: integer('sequence').notNull().default(0),
    /** The review recorded from this booking. */
    heldReviewId: uuid('held_review_id'),
    cancelledReason: text('cancelled_reason'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('review_booking_person_idx').on(t.partnershipId, t.personId, t.startsAt),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);
