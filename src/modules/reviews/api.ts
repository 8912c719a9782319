/**
 * The reviews API (issue 6): a person's reviews and meetings, and recording a completed review.
 * Recording a review records the 'reviewed' legal event in the same transaction, so the answer
 * carries the register's new next review date (R27).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { listMeetings, meetingKinds } from './meetings.service.ts';
import { attendeeKinds, completeReview, listReviews, type ReviewRow } from './reviews.service.ts';

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or may not change their record'),
  404: problemSchema.describe('No such person'),
  409: problemSchema.describe('The person’s record (or the scheduled review) changed since `version` was read: nothing was saved'),
  422: problemSchema.describe('The input is not valid; `errors` names each field'),
};

const personParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });
const isoDate = z.string().describe('YYYY-MM-DD');

const attendeeSchema = z.object({ kind: z.enum(attendeeKinds), name: z.string(), role: z.string().nullable() });
const goalOutcomeSchema = z.object({ goal: z.string(), outcome: z.string().nullable() });

const reviewOutSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['scheduled', 'completed', 'cancelled']),
    planId: z.uuid().nullable().describe('The approved plan reviewed'),
    dueOn: isoDate.nullable(),
    heldOn: isoDate.nullable(),
    attendees: z.array(attendeeSchema),
    goalOutcomes: z.array(goalOutcomeSchema),
    needsChanged: z.boolean().nullable(),
    newPlanId: z.uuid().nullable().describe('The draft plan started because needs changed'),
    s117StillApplies: z.boolean().nullable(),
    s117Reasons: z.string().nullable(),
    riskUpdate: z.string().nullable(),
    contingencyUpdate: z.string().nullable(),
    personView: z.string().nullable(),
    nextReviewOn: isoDate.nullable().describe('The next review date chosen at the review'),
    legalEventId: z.uuid().nullable().describe('The "reviewed" legal event recorded on the held date'),
    completedAt: z.string().nullable(),
    version: z.int(),
  })
  .describe('A section 117 review');

function reviewOut(r: ReviewRow): z.infer<typeof reviewOutSchema> {
  return {
    id: r.id,
    status: r.status,
    planId: r.planId,
    dueOn: r.dueOn,
    heldOn: r.heldOn,
    attendees: r.attendees as z.infer<typeof attendeeSchema>[],
    goalOutcomes: r.goalOutcomes as z.infer<typeof goalOutcomeSchema>[],
    needsChanged: r.needsChanged,
    newPlanId: r.newPlanId,
    s117StillApplies: r.s117StillApplies,
    s117Reasons: r.s117Reasons,
    riskUpdate: r.riskUpdate,
    contingencyUpdate: r.contingencyUpdate,
    personView: r.personView,
    nextReviewOn: r.nextReviewOn,
    legalEventId: r.legalEventId,
    completedAt: r.completedAt ? r.completedAt.toISOString() : null,
    version: r.version,
  };
}

const reviewBodySchema = z
  .strictObject({
    version: z.int().optional().describe('The person’s version when read (or the scheduled review’s, with reviewId): a stale one is a 409'),
    reviewId: z.uuid().optional().describe('Complete this scheduled review'),
    heldOn: isoDate.describe('When the review was held: today or earlier'),
    attendees: z.array(z.strictObject({ kind: z.enum(attendeeKinds), name: z.string(), role: z.string().nullish() })).min(1),
    goalOutcomes: z.array(z.strictObject({ goal: z.string(), outcome: z.string().nullish() })).optional(),
    needsChanged: z.boolean().describe('true starts the next version of the plan as a draft'),
    s117StillApplies: z.boolean(),
    s117Reasons: z.string(),
    riskUpdate: z.string().nullish(),
    contingencyUpdate: z.string().nullish(),
    personView: z.string().nullish(),
    nextReviewOn: isoDate.describe('After heldOn and at most 12 months after it'),
  })
  .describe('A completed review');

const meetingOutSchema = z.object({
  id: z.uuid(),
  kind: z.enum(meetingKinds),
  reviewId: z.uuid().nullable(),
  startsAt: z.string().describe('ISO 8601 instant'),
  durationMinutes: z.int(),
  location: z.string().nullable(),
  attendees: z.array(z.object({ name: z.string(), role: z.string().nullable(), organisation: z.string().nullable() })),
  discussion: z.string().nullable(),
  decisions: z.string().nullable(),
  actions: z.array(z.object({ id: z.uuid(), description: z.string(), ownerUserId: z.uuid().nullable(), ownerName: z.string().nullable(), dueOn: isoDate.nullable(), done: z.boolean(), version: z.int() })),
});

export function reviewsApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reviews'];

  api.get(
    '/api/v1/people/:id/reviews',
    {
      schema: {
        tags,
        summary: 'The person’s section 117 reviews',
        description: 'Scheduled and completed reviews, newest first, with the register’s next review date. The view is recorded in the audit trail.',
        params: personParams,
        response: { 200: z.object({ nextReviewDue: isoDate.nullable(), reviews: z.array(reviewOutSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => {
      const { person, reviews } = await listReviews(request.ctx(), request.params.id);
      return { nextReviewDue: person.nextReviewDue, reviews: reviews.map(reviewOut) };
    },
  );

  api.post(
    '/api/v1/people/:id/reviews',
    {
      schema: {
        tags,
        summary: 'Record a completed review',
        description:
          'Saves the review and records a "reviewed" legal event on `heldOn` in the same transaction; the rules engine re-evaluates and the register’s next review date moves on (R27). Answers with the review and `nextReviewDue`.',
        params: personParams,
        body: reviewBodySchema,
        response: { 201: z.object({ review: reviewOutSchema, nextReviewDue: isoDate.nullable(), newPlanId: z.uuid().nullable() }), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const body = parseApiInput(reviewBodySchema, request.body);
      const done = await completeReview(request.ctx(), request.params.id, body);
      return reply
        .status(201)
        .header('Location', `/api/v1/people/${request.params.id}/reviews`)
        .send({ review: reviewOut(done.review), nextReviewDue: done.nextReviewDue, newPlanId: done.newPlan?.id ?? null });
    },
  );

  api.get(
    '/api/v1/people/:id/meetings',
    {
      schema: {
        tags,
        summary: 'The person’s review and MDT meetings',
        description: 'Newest first, with their actions. The view is recorded in the audit trail.',
        params: personParams,
        response: { 200: z.object({ meetings: z.array(meetingOutSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => {
      const { meetings } = await listMeetings(request.ctx(), request.params.id);
      return {
        meetings: meetings.map((m) => ({
          id: m.id,
          kind: m.kind,
          reviewId: m.reviewId,
          startsAt: m.startsAt.toISOString(),
          durationMinutes: m.durationMinutes,
          location: m.location,
          attendees: m.attendees as Array<{ name: string; role: string | null; organisation: string | null }>,
          discussion: m.discussion,
          decisions: m.decisions,
          actions: m.actions.map((a) => ({ id: a.id, description: a.description, ownerUserId: a.ownerUserId, ownerName: a.ownerName, dueOn: a.dueOn, done: a.done, version: a.version })),
        })),
      };
    },
  );
}
