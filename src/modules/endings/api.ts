import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { endReasons } from '../../domain/rules/index.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { getEnding, listEndings, proposeEnding, type EndingRow } from './endings.service.ts';
import { endingKinds } from './inputs.ts';

/*
 * The endings API: partners' systems read a person's proposals to end (or reinstate) section
 * 117 aftercare, with the rules engine's checklist, and propose one. Decisions are not here:
 * an authorised person of each responsible body approves or declines, in person.
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or no permission to change their record'),
  404: problemSchema.describe('No such person or proposal'),
  422: problemSchema.describe('The input is not valid, or breaks a rule; `errors` names each field'),
};

const checkSchema = z.object({
  code: z.string().describe('The rules engine’s rejection code this check stands for'),
  label: z.string(),
  outcome: z.enum(['pass', 'fail', 'not-checked']),
  detail: z.string().describe('Why: the engine’s message when the check fails'),
  rule: z.string().describe('The rule id (see GET /api/v1/rules)'),
  source: z.string().describe('The rule’s legal or policy source'),
});

const decisionOut = z
  .object({
    decision: z.enum(['approved', 'declined']).nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .describe('One body’s decision (null until made)');

const endingOutSchema = z.object({
  id: z.uuid(),
  kind: z.enum(endingKinds),
  status: z.enum(['proposed', 'declined', 'withdrawn', 'recorded']),
  effectiveOn: z.string().describe('The date aftercare ends (for a reinstatement: the date of the ending being undone)'),
  reasonCodes: z.array(z.string()),
  reasons: z.string(),
  personInvolved: z.boolean(),
  personView: z.string().nullable(),
  otherCarePlan: z.string().nullable(),
  messageToPerson: z.string().nullable().describe('What to tell the person in the ending letter, written to them (the only free text the letter carries)'),
  legalOverride: z.boolean().describe('Legal sign-off to end aftercare while conditionally discharged (R8)'),
  legalOverrideNote: z.string().nullable(),
  proposedAt: z.string(),
  localAuthority: decisionOut,
  icb: decisionOut,
  legalEventId: z.uuid().nullable(),
  recordedAt: z.string().nullable(),
  version: z.int(),
});

const endingWithChecksSchema = endingOutSchema.extend({
  checks: z.array(checkSchema).describe('The rules engine’s checks: made again now for an open proposal, as last made otherwise'),
  checksPassed: z.boolean().describe('Every check passes: the proposal may be approved'),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function endingOut(p: EndingRow) {
  return {
    id: p.id,
    kind: p.kind,
    status: p.status,
    effectiveOn: p.effectiveOn,
    reasonCodes: p.reasonCodes,
    reasons: p.reasons,
    personInvolved: p.personInvolved,
    personView: p.personView,
    otherCarePlan: p.otherCarePlan,
    messageToPerson: p.messageToPerson,
    legalOverride: p.legalOverride,
    legalOverrideNote: p.legalOverrideNote,
    proposedAt: p.proposedAt.toISOString(),
    localAuthority: { decision: p.laDecision, decidedAt: iso(p.laDecidedAt), reason: p.laReason },
    icb: { decision: p.icbDecision, decidedAt: iso(p.icbDecidedAt), reason: p.icbReason },
    legalEventId: p.legalEventId,
    recordedAt: iso(p.recordedAt),
    version: p.version,
  };
}

async function readEnding(ctx: ServiceContext, personId: string, endingId: string) {
  const detail = await getEnding(ctx, personId, endingId);
  return { ...endingOut(detail.proposal), checks: detail.checklist.checks, checksPassed: detail.checklist.passed };
}

const proposeBody = z
  .strictObject({
    kind: z.enum(endingKinds).optional().describe('"ending" (the default) or "reinstatement" of the recorded ending'),
    effectiveOn: z.string().optional().describe('For an ending: the date aftercare ends, YYYY-MM-DD, today or earlier'),
    reasonCodes: z.array(z.enum(endReasons)).optional().describe('For an ending: the rules engine’s end reasons; must include "no-longer-in-need" to pass the checks'),
    reasons: z.string().describe('The reasons in words'),
    personInvolved: z.boolean().describe('Whether the person was involved in the decision'),
    personView: z.string().describe('The person’s view, or why they were not involved'),
    otherCarePlan: z.string().optional().describe('For an ending: the plan for any other care or support that continues (for staff)'),
    messageToPerson: z.string().optional().describe('For an ending: what to tell the person in the ending letter, written to them in plain English; the reasons, their view and the other care plan are never sent'),
    legalOverride: z.boolean().optional().describe('For an ending while conditionally discharged: legal sign-off has been given (R8); needs legalOverrideNote'),
    legalOverrideNote: z.string().optional().describe('Who gave the legal sign-off, when, and why'),
  })
  .describe('A proposal. It is saved even when a check fails; it cannot be approved until every check passes.');

const personParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });

export function endingsApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['endings'];

  api.get(
    '/api/v1/people/:id/endings',
    {
      schema: {
        tags,
        summary: 'Proposals to end or reinstate the person’s section 117 aftercare',
        description: 'Newest first. The view is recorded in the audit trail.',
        params: personParams,
        response: { 200: z.object({ endings: z.array(endingOutSchema), open: z.uuid().nullable() }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => {
      const result = await listEndings(request.ctx(), request.params.id);
      return { endings: result.proposals.map((p) => endingOut(p.proposal)), open: result.open?.id ?? null };
    },
  );

  api.post(
    '/api/v1/people/:id/endings',
    {
      schema: {
        tags,
        summary: 'Propose ending (or reinstating) section 117 aftercare',
        description:
          'The rules engine checks the proposal (not on a CTO, not conditionally discharged, a current entitlement, lawful reasons, the person involved) and the answer includes the checklist. One open proposal per person. Approvals are made in person by the two responsible bodies, not through the API.',
        params: personParams,
        body: proposeBody,
        response: { 201: endingWithChecksSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      // The body is checked in the handler, so every problem is reported as a 422 naming its field.
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const body = parseApiInput(proposeBody, request.body);
      const created = await proposeEnding(ctx, request.params.id, body);
      return reply
        .status(201)
        .header('Location', `/api/v1/people/${request.params.id}/endings/${created.id}`)
        .send(await readEnding(ctx, request.params.id, created.id));
    },
  );

  api.get(
    '/api/v1/people/:id/endings/:endingId',
    {
      schema: {
        tags,
        summary: 'A proposal, with the rules engine’s checklist',
        description: 'For an open proposal the checks are made again now. The view is recorded in the audit trail.',
        params: personParams.extend({ endingId: z.string().describe('The proposal’s id (a UUID)') }),
        response: { 200: endingWithChecksSchema, 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => readEnding(request.ctx(), request.params.id, request.params.endingId),
  );
}
