/**
 * Section 117 reviews (issue 6): use cases. Completing a review writes the review and records a
 * 'reviewed' legal event through the register's `recordEvent`, in ONE transaction (the door's):
 * the register's use case is given a context whose `db` is this transaction, so its own
 * `transaction()` becomes a savepoint inside ours (until the register goes through the door). The rules engine re-evaluates in that same transaction and the person's
 * stored next review date (R27) changes with the review, or neither is saved.
 */
import { z } from 'zod';
import { addMonths, isRealDate, londonWallClock } from '../../domain/calendar-date.ts';
import { defaultNextReview, MAX_REVIEW_INTERVAL_MONTHS } from '../../domain/reviews.ts';
import type { AuditRecorder } from '../../platform/data/door.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { startPlan } from '../plans/index.ts';
import { getPlanSettings } from '../settings/index.ts';
import { loadPerson, recordEvent, type PersonRow } from '../register/index.ts';
import { findBooking, updateBookingAtVersion, type BookingRow } from './bookings.queries.ts';
import {
  findApprovedPlan,
  findPersonReviews,
  findReview,
  findScheduledReview,
  findUserName,
  insertReview,
  linkReview,
  updateScheduledReviewAtVersion,
  type ReviewRow,
} from './reviews.queries.ts';

export type { ReviewRow };

export const attendeeKinds = ['person', 'carer', 'advocate', 'professional'] as const;
export type AttendeeKind = (typeof attendeeKinds)[number];
export const attendeeKindLabels: Record<AttendeeKind, string> = {
  person: 'The person',
  carer: 'Carer or family',
  advocate: 'Advocate',
  professional: 'Professional',
};

export interface ReviewPolicy {
  firstReviewWeeks: number;
  reviewIntervalMonths: number;
  reminderDaysBefore: number;
}

/** The partnership's review policy (the settings module's plan settings, with their defaults where none are stored). */
export async function reviewPolicy(q: DbOrTx, partnershipId: string): Promise<ReviewPolicy> {
  const settings = await getPlanSettings(q, partnershipId);
  return {
    firstReviewWeeks: settings.firstReviewWeeks,
    reviewIntervalMonths: Math.min(MAX_REVIEW_INTERVAL_MONTHS, settings.reviewIntervalMonths),
    reminderDaysBefore: settings.reminderDaysBefore,
  };
}

/** The goals of a plan, one a line (bullets and numbering removed). */
export function goalLines(goals: string | null | undefined): string[] {
  return (goals ?? '')
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter((l) => l.length > 0);
}

const approvedPlan = findApprovedPlan;

const text = (max: number, what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .max(max, { error: `${what[0]!.toUpperCase()}${what.slice(1)} must be ${max} characters or fewer` });

const optionalText = (max: number, what: string) =>
  text(max, what)
    .nullish()
    .transform((v) => (v ? v : null));

const isoDate = (what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .refine((v) => v !== '', { error: `Enter ${what}` })
    .refine((v) => v === '' || (v !== 'incomplete' && isRealDate(v)), { error: `${what[0]!.toUpperCase()}${what.slice(1)} must be a real date` });

const bool = (what: string) => z.boolean({ error: `Select yes or no: ${what}` });

export const reviewInputSchema = z
  .strictObject({
    version: z.int().optional(),
    reviewId: z.uuid().nullish(),
    /** The booked review being recorded (issue 13, item 9): marked held with it. */
    bookingId: z.uuid().nullish(),
    heldOn: isoDate('the date the review was held'),
    attendees: z
      .array(
        z.strictObject({
          kind: z.enum(attendeeKinds, { error: 'Select who they are' }),
          name: text(200, 'their name').min(1, { error: 'Enter their name' }),
          role: optionalText(200, 'their role'),
        }),
      )
      .min(1, { error: 'Add at least one person who took part in the review' })
      .max(30),
    goalOutcomes: z.array(z.strictObject({ goal: text(2000, 'the goal'), outcome: optionalText(4000, 'the outcome') })).max(100).default([]),
    needsChanged: bool('have their needs changed?'),
    s117StillApplies: bool('does section 117 aftercare still apply?'),
    s117Reasons: text(4000, 'the reasons section 117 aftercare does or does not still apply').min(1, { error: 'Enter the reasons section 117 aftercare does or does not still apply' }),
    riskUpdate: optionalText(4000, 'the risk update'),
    contingencyUpdate: optionalText(4000, 'the contingency update'),
    personView: optionalText(4000, 'the person’s view'),
    nextReviewOn: isoDate('the date of the next review'),
  })
  .superRefine((v, ctx) => {
    if (!isRealDate(v.heldOn) || !isRealDate(v.nextReviewOn)) return;
    if (v.nextReviewOn <= v.heldOn) ctx.addIssue({ code: 'custom', path: ['nextReviewOn'], message: 'The next review must be after the date of this review' });
    else if (v.nextReviewOn > addMonths(v.heldOn, MAX_REVIEW_INTERVAL_MONTHS)) {
      ctx.addIssue({ code: 'custom', path: ['nextReviewOn'], message: 'The next review must be within 12 months of this one: reviews are due at least every 12 months' });
    }
  });
export type ReviewInput = z.input<typeof reviewInputSchema>;

export interface ReviewFormData {
  person: PersonRow;
  plan: { id: string; planNumber: number } | null;
  goals: string[];
  policy: ReviewPolicy;
  scheduled: ReviewRow | null;
  /** The booked review being recorded, if the form started from one. */
  booking: BookingRow | null;
  defaultHeldOn: string;
  defaultNextReview: string;
  canWrite: true;
}

/** What the review form needs: the person, the goals of the approved plan, the policy. */
/** The review or meeting form's data. `shownAs`: the form is being shown, a view of the person's record (issue 12, finding 8). */
export async function reviewForm(ctx: ServiceContext, personId: string, reviewId?: string | null, shownAs?: 'review-form' | 'meeting-form', bookingId?: string | null): Promise<ReviewFormData> {
  const load = async (q: Tx) => {
    const p = await loadPerson(q, ctx, personId, 'person:write');
    const plan = await approvedPlan(q, ctx.actor.partnershipId, personId);
    const policy = await reviewPolicy(q, ctx.actor.partnershipId);
    const booking = bookingId ? await bookingToRecord(q, ctx.actor.partnershipId, personId, bookingId) : null;
    // Started from a booking, the form completes the scheduled review the booking was for (if it still is).
    const scheduledId = reviewId ?? booking?.reviewId ?? null;
    let scheduled = scheduledId ? await loadReview(q, ctx.actor.partnershipId, personId, scheduledId) : null;
    if (!reviewId && scheduled && scheduled.status !== 'scheduled') scheduled = null;
    return { p, plan, policy, scheduled, booking };
  };
  // Shown afresh, the form is an audited view, in the same unit as the reads.
  const { p, plan, policy, scheduled, booking } = shownAs
    ? await ctx.data.transaction(async (tx, audit) => {
        const loaded = await load(tx);
        await audit.viewPerson(personId, { page: shownAs });
        return loaded;
      })
    : await ctx.data.read(load);
  if (scheduled && scheduled.status !== 'scheduled') throw new ConflictError('This review has already been completed or cancelled.');
  const today = ctx.today();
  return {
    person: p,
    plan: plan ? { id: plan.id, planNumber: plan.planNumber } : null,
    goals: goalLines(plan?.goals),
    policy,
    scheduled,
    booking,
    // A booked review held on its day (or earlier than booked, if recorded early: then today).
    defaultHeldOn: booking && londonWallClock(booking.startsAt).date <= today ? londonWallClock(booking.startsAt).date : today,
    defaultNextReview: defaultNextReview(today, policy.reviewIntervalMonths),
    canWrite: true,
  };
}

/** A booked review to record (read in the caller's unit of work): only one still booked. */
async function bookingToRecord(q: DbOrTx, partnershipId: string, personId: string, bookingId: string): Promise<BookingRow> {
  const b = z.uuid().safeParse(bookingId).success ? await findBooking(q, partnershipId, personId, bookingId) : undefined;
  if (!b) throw new NotFoundError('Booking not found');
  if (b.status !== 'booked') throw new ConflictError('This booked review has already been recorded or cancelled.');
  return b;
}

async function loadReview(q: DbOrTx, partnershipId: string, personId: string, reviewId: string): Promise<ReviewRow> {
  if (!z.uuid().safeParse(reviewId).success) throw new NotFoundError('Review not found');
  const row = await findReview(q, partnershipId, personId, reviewId);
  if (!row) throw new NotFoundError('Review not found');
  return row;
}

export interface CompletedReview {
  review: ReviewRow;
  nextReviewDue: string | null;
  /** The draft plan opened because needs changed, or why it could not be. */
  newPlan: { id: string; planNumber: number } | null;
  newPlanProblem: string | null;
}

/**
 * Complete a review. `version` is the person's version when the form was opened (or, completing
 * a scheduled review, the review's): if somebody changed the record since, nothing is saved
 * (409). Records the 'reviewed' legal event on the held date, in the same transaction.
 */
export async function completeReview(ctx: ServiceContext, personId: string, input: unknown): Promise<CompletedReview> {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadPerson(tx, ctx, personId, 'person:write', true);
    // Permission before input (issue 12, finding 10).
    const data = parseInput(reviewInputSchema, input);
    if (data.heldOn > today) throw new InputError([{ path: 'heldOn', message: 'The date the review was held must be today or in the past' }]);
    const { partnershipId } = ctx.actor;
    let scheduled: ReviewRow | null = null;
    const booking = data.bookingId ? await bookingToRecord(tx, partnershipId, personId, data.bookingId) : null;
    if (data.reviewId) {
      scheduled = await loadReview(tx, partnershipId, personId, data.reviewId);
      if (scheduled.status !== 'scheduled' || (data.version !== undefined && scheduled.version !== data.version)) throw new ConflictError();
    } else if (data.version !== undefined && before.version !== data.version) {
      throw new ConflictError();
    }
    const plan = await approvedPlan(tx, partnershipId, personId);
    const now = ctx.clock.now();
    const values = {
      planId: plan?.id ?? null,
      heldOn: data.heldOn,
      status: 'completed' as const,
      attendees: data.attendees,
      goalOutcomes: data.goalOutcomes,
      needsChanged: data.needsChanged,
      s117StillApplies: data.s117StillApplies,
      s117Reasons: data.s117Reasons,
      riskUpdate: data.riskUpdate,
      contingencyUpdate: data.contingencyUpdate,
      personView: data.personView,
      nextReviewOn: data.nextReviewOn,
      completedBy: ctx.actor.userId,
      completedAt: now,
      updatedAt: now,
    };
    let saved: ReviewRow;
    if (scheduled) {
      saved = expectOneUpdated(await updateScheduledReviewAtVersion(tx, partnershipId, scheduled.id, scheduled.version, values));
    } else {
      saved = await insertReview(tx, { ...values, partnershipId, personId, dueOn: before.nextReviewDue, createdBy: ctx.actor.userId });
    }

    // The register's own use case, inside this transaction (its door joins this unit of work).
    let recorded;
    try {
      recorded = await recordEvent(ctx, personId, { event: { type: 'reviewed', date: data.heldOn }, source: 'manual' });
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.issues.map((i) => ({ path: i.path === 'date' || i.path === 'type' ? 'heldOn' : i.path, message: i.message })));
      throw error;
    }

    let newPlan: CompletedReview['newPlan'] = null;
    let newPlanProblem: string | null = null;
    if (data.needsChanged) {
      try {
        const started = await startPlan(ctx, personId);
        newPlan = { id: started.id, planNumber: started.planNumber };
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        newPlanProblem = error.issues[0]?.message ?? 'A new version of the plan could not be started';
      }
    }
    saved = await linkReview(tx, partnershipId, saved.id, { legalEventId: recorded.event.id, newPlanId: newPlan?.id ?? null });
    // The booked review is now held (issue 13, item 9).
    const held = booking
      ? expectOneUpdated(await updateBookingAtVersion(tx, partnershipId, booking.id, booking.version, { status: 'held', heldReviewId: saved.id, updatedAt: now }))
      : null;
    await audit.change({
      action: 'review.completed',
      subjectType: 'person',
      subjectId: personId,
      before: { nextReviewDue: before.nextReviewDue, review: scheduled },
      after: { review: saved, nextReviewDue: recorded.decision.nextReviewDue, ...(held ? { booking: held } : {}) },
    });
    return { review: saved, nextReviewDue: recorded.decision.nextReviewDue, newPlan, newPlanProblem };
  });
}

export interface ReviewListEntry extends ReviewRow {
  completedByName: string | null;
}

/** The person's reviews, newest first. The view is audited. */
export async function listReviews(ctx: ServiceContext, personId: string): Promise<{ person: PersonRow; reviews: ReviewListEntry[] }> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const rows = await findPersonReviews(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { page: 'reviews' });
    return { person: p, reviews: rows.map((r) => ({ ...r.review, completedByName: r.completedByName })) };
  });
}

export async function getReview(ctx: ServiceContext, personId: string, reviewId: string): Promise<{ person: PersonRow; review: ReviewListEntry }> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const r = await loadReview(tx, ctx.actor.partnershipId, personId, reviewId);
    const name = r.completedBy ? await findUserName(tx, r.completedBy) : null;
    await audit.viewPerson(personId, { review: reviewId });
    return { person: p, review: { ...r, completedByName: name } };
  });
}

/** Schedule a review (from a review meeting, inside its door transaction): due on the register's next review date. */
export async function scheduleReview(tx: Tx, audit: AuditRecorder, ctx: ServiceContext, p: PersonRow): Promise<ReviewRow> {
  const existing = await findScheduledReview(tx, ctx.actor.partnershipId, p.id);
  if (existing) return existing;
  const created = await insertReview(tx, { partnershipId: ctx.actor.partnershipId, personId: p.id, dueOn: p.nextReviewDue, status: 'scheduled', createdBy: ctx.actor.userId });
  await audit.change({ action: 'review.scheduled', subjectType: 'person', subjectId: p.id, after: created });
  return created;
}
