import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { getCase, submitPanelCase, type CaseDetail } from './panels.service.ts';

/*
 * The funding panel API: a partner's case system submits a plan to the panel with a proposed
 * split, and reads the case back (its status, decision, reasons, conditions and decided split).
 * Panels decide in meetings, with a quorum, on the pages: not through the API.
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('No relationship with this person, or no permission to change their record'),
  404: problemSchema.describe('No such person, plan or panel case'),
  422: problemSchema.describe('The input is not valid, or breaks a rule; `errors` names each field'),
};

const panelCaseOutSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    planId: z.uuid(),
    meetingId: z.uuid().nullable(),
    status: z.enum(['submitted', 'listed', 'decided', 'withdrawn']),
    summary: z.string(),
    proposedLocalAuthorityPercent: z.number().describe('The local authority’s proposed share; the ICB pays the rest'),
    proposedBasis: z.string(),
    submittedAt: z.string(),
    decision: z.enum(['approved', 'approved-with-changes', 'deferred', 'declined']).nullable(),
    decisionReasons: z.string().nullable(),
    conditions: z.string().nullable(),
    decidedLocalAuthorityPercent: z.number().nullable(),
    decidedAt: z.string().nullable(),
    daysToDecision: z.int().nullable(),
    weeklyTotals: z.object({ localAuthorityPence: z.int(), icbPence: z.int(), totalPence: z.int() }).describe('The plan’s weekly totals by funder, as its services are split now'),
  })
  .describe('A case submitted to the funding panel');

function out(d: CaseDetail): z.infer<typeof panelCaseOutSchema> {
  const c = d.entry.case;
  return {
    id: c.id,
    personId: c.personId,
    planId: c.planId,
    meetingId: c.meetingId,
    status: c.status,
    summary: c.summary,
    proposedLocalAuthorityPercent: c.proposedLaBasisPoints / 100,
    proposedBasis: c.proposedBasis,
    submittedAt: c.submittedAt.toISOString(),
    decision: c.decision,
    decisionReasons: c.decisionReasons,
    conditions: c.conditions,
    decidedLocalAuthorityPercent: c.decidedLaBasisPoints === null ? null : c.decidedLaBasisPoints / 100,
    decidedAt: c.decidedAt ? c.decidedAt.toISOString() : null,
    daysToDecision: d.entry.daysToDecision,
    weeklyTotals: d.plan.totals.weekly,
  };
}

const submitBodySchema = z
  .strictObject({
    planId: z.string({ error: 'planId must be the id of one of the person’s plans' }),
    summary: z.string({ error: 'summary must be text' }),
    proposedLocalAuthorityPercent: z.number({ error: 'proposedLocalAuthorityPercent must be a number from 0 to 100, like 60' }).min(0, 'proposedLocalAuthorityPercent must be from 0 to 100').max(100, 'proposedLocalAuthorityPercent must be from 0 to 100'),
    proposedBasis: z.string({ error: 'proposedBasis must be text' }),
  })
  .describe('A plan submitted to the funding panel with a proposed split');

export function panelsApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['panels'];

  api.post(
    '/api/v1/people/:id/panel-cases',
    {
      schema: {
        tags,
        summary: 'Submit a plan to the funding panel',
        description: 'The plan must have services; one case at a time per plan. There is no national default split: propose one and its basis (R26).',
        params: z.object({ id: z.string().describe('The person’s id (a UUID)') }),
        body: submitBodySchema,
        response: { 201: panelCaseOutSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const body = parseApiInput(submitBodySchema, request.body);
      const created = await submitPanelCase(ctx, request.params.id, body.planId, { summary: body.summary, localAuthorityPercent: String(body.proposedLocalAuthorityPercent), basis: body.proposedBasis });
      return reply.status(201).header('Location', `/api/v1/panel-cases/${created.id}`).send(out(await getCase(ctx, created.id)));
    },
  );

  api.get(
    '/api/v1/panel-cases/:id',
    {
      schema: {
        tags,
        summary: 'A funding panel case',
        description: 'Its status, the proposed split, and once decided the decision, reasons, conditions, decided split and the days from submission to decision.',
        params: z.object({ id: z.string().describe('The panel case’s id (a UUID)') }),
        response: { 200: panelCaseOutSchema, 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => out(await getCase(request.ctx(), request.params.id)),
  );
}
