import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { abilityKeys, attachmentKinds, bestInterestsKinds, decisionTopics } from '../../domain/mental-capacity.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import {
  assessmentForApiById,
  assessmentsForApi,
  bestInterestsForApiById,
  bestInterestsListForApi,
  createAssessment,
  emptyAssessmentInput,
  emptyBestInterestsInput,
  recordBestInterests,
} from './capacity.service.ts';

/*
 * Mental capacity and best interests through the API (issue 16, item 8): a partner's system reads a
 * person's capacity assessments and best-interests decisions and records one, with exactly the
 * pages' rules (capacity.service.ts): person:read to read, person:write to write (checked before
 * the body is read), every read audited, errors as problem+json naming each field.
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or no permission'),
  404: problemSchema.describe('No such person, or no such record about them'),
  422: problemSchema.describe('The input is not valid, or an assessment to complete is missing a part the Act requires; `errors` names each field'),
};

const personParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });

const ability = z.object({ answer: z.string().nullable().describe('met (able to), not-met (not able to), or null while unanswered'), evidence: z.string() });

const assessmentSchema = z
  .object({
    id: z.uuid(),
    version: z.int(),
    status: z.enum(['draft', 'completed']),
    topic: z.string().describe(`One of ${decisionTopics.join(', ')}`),
    decision: z.string(),
    assessedAt: z.string().nullable().describe('When the assessment was made, ISO 8601 UTC'),
    relevantInformation: z.string().describe('MCA 2005 s3(4)'),
    practicableSteps: z.string().describe('MCA 2005 s1(3)'),
    impairment: z.string().nullable().describe('yes or no: an impairment of, or a disturbance in the functioning of, the mind or brain (s2(1))'),
    impairmentDetail: z.string(),
    causalLink: z.string().nullable().describe('yes or no: unable to decide because of the impairment (s2(1)); null where not in question'),
    causalLinkEvidence: z.string(),
    abilities: z.object({ understand: ability, retain: ability, useOrWeigh: ability, communicate: ability }).describe('MCA 2005 s3(1)(a)–(d)'),
    executiveFunctioning: z.string(),
    outcome: z.string().nullable().describe('has-capacity or lacks-capacity once completed; null for a draft'),
    attached: z.object({ kind: z.string().describe(`One of ${attachmentKinds.join(', ')}`), id: z.string().nullable() }).nullable(),
    assessedBy: z.string().nullable(),
    completedAt: z.string().nullable(),
  })
  .describe('A capacity assessment: one decision at one time (MCA 2005 s2(1))');

const yesNo = z.enum(['yes', 'no'], { error: 'must be "yes" or "no"' });
const met = z.enum(['met', 'not-met'], { error: 'must be "met" or "not-met"' });
const textField = (name: string) => z.string({ error: `${name} must be text` }).optional();

const newAssessmentSchema = z
  .strictObject({
    topic: z.enum(decisionTopics, { error: `topic must be one of ${decisionTopics.map((t) => `"${t}"`).join(', ')}` }),
    decision: textField('decision'),
    assessedDate: z.string({ error: 'assessedDate must be text written YYYY-MM-DD' }).optional().describe('The date of the assessment in England, YYYY-MM-DD'),
    assessedTime: z.string({ error: 'assessedTime must be text, like "14:30"' }).optional().describe('The time of the assessment in England, like "14:30"'),
    relevantInformation: textField('relevantInformation'),
    practicableSteps: textField('practicableSteps'),
    impairment: yesNo.optional(),
    impairmentDetail: textField('impairmentDetail'),
    causalLink: yesNo.optional(),
    causalLinkEvidence: textField('causalLinkEvidence'),
    abilities: z
      .strictObject(Object.fromEntries(abilityKeys.map((k) => [k, z.strictObject({ answer: met.optional(), evidence: textField(`abilities.${k}.evidence`) }).optional()])) as Record<(typeof abilityKeys)[number], z.ZodOptional<z.ZodObject<{ answer: z.ZodOptional<typeof met>; evidence: z.ZodOptional<z.ZodString> }>>>)
      .optional(),
    executiveFunctioning: textField('executiveFunctioning'),
    attached: z.strictObject({ kind: z.enum(attachmentKinds, { error: `attached.kind must be one of ${attachmentKinds.map((k) => `"${k}"`).join(', ')}` }), id: z.string({ error: 'attached.id must be text' }).optional() }).optional(),
    complete: z.boolean({ error: 'complete must be true or false' }).optional().describe('true (the default) completes it, which needs every part the Act requires; false saves a draft'),
  })
  .describe('A capacity assessment to record');

const imcaSchema = z.object({ id: z.uuid(), instructedOn: z.string(), service: z.string(), advocate: z.string(), reportReceivedOn: z.string().nullable(), reportSummary: z.string().nullable() });

const bestInterestsSchema = z
  .object({
    id: z.uuid(),
    capacityAssessmentId: z.uuid(),
    kind: z.string().describe(`One of ${bestInterestsKinds.join(', ')}`),
    decidedOn: z.string(),
    convenedBy: z.string(),
    chairedBy: z.string(),
    personWishes: z.string().describe('MCA 2005 s4(6)(a)'),
    beliefsValues: z.string().describe('MCA 2005 s4(6)(b)'),
    consulted: z.string().describe('MCA 2005 s4(7)'),
    noOneToConsult: z.boolean().describe('Nobody appropriate to consult other than paid carers: an IMCA was instructed (ss37–39)'),
    optionsConsidered: z.string(),
    leastRestrictive: z.string().describe('MCA 2005 s1(6)'),
    decision: z.string(),
    reasons: z.string(),
    recordedBy: z.string().nullable(),
    imcaInstructions: z.array(imcaSchema),
  })
  .describe('A best-interests decision or meeting (MCA 2005 s4)');

const newBestInterestsSchema = z
  .strictObject({
    capacityAssessmentId: z.string({ error: 'capacityAssessmentId must be text' }).describe('A completed assessment of this person that found they lack capacity for the decision'),
    kind: z.enum(bestInterestsKinds, { error: `kind must be one of ${bestInterestsKinds.map((k) => `"${k}"`).join(', ')}` }),
    decidedOn: z.string({ error: 'decidedOn must be text written YYYY-MM-DD' }),
    convenedBy: z.string({ error: 'convenedBy must be text' }),
    chairedBy: textField('chairedBy'),
    personWishes: z.string({ error: 'personWishes must be text' }),
    beliefsValues: z.string({ error: 'beliefsValues must be text' }),
    consulted: textField('consulted'),
    noOneToConsult: z.boolean({ error: 'noOneToConsult must be true or false' }),
    optionsConsidered: z.string({ error: 'optionsConsidered must be text' }),
    leastRestrictive: z.string({ error: 'leastRestrictive must be text' }),
    decision: z.string({ error: 'decision must be text' }),
    reasons: z.string({ error: 'reasons must be text' }),
    imca: z
      .strictObject({ instructedOn: z.string({ error: 'imca.instructedOn must be text written YYYY-MM-DD' }), service: z.string({ error: 'imca.service must be text' }), advocate: z.string({ error: 'imca.advocate must be text' }) })
      .optional()
      .describe('Required when noOneToConsult is true'),
  })
  .describe('A best-interests decision to record');

export function capacityApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['mental capacity'];

  api.get(
    '/api/v1/people/:id/capacity',
    {
      schema: {
        tags,
        summary: 'The person’s capacity assessments',
        description: 'Every capacity assessment, drafts included, newest first. The view is recorded in the audit trail.',
        params: personParams,
        response: { 200: z.object({ assessments: z.array(assessmentSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => ({ assessments: await assessmentsForApi(request.ctx(), request.params.id) }),
  );

  api.get(
    '/api/v1/people/:id/capacity/:assessmentId',
    {
      schema: {
        tags,
        summary: 'One capacity assessment',
        description: 'The view is recorded in the audit trail.',
        params: personParams.extend({ assessmentId: z.string().describe('The assessment’s id (a UUID)') }),
        response: { 200: assessmentSchema, 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => assessmentForApiById(request.ctx(), request.params.id, request.params.assessmentId),
  );

  api.post(
    '/api/v1/people/:id/capacity',
    {
      schema: {
        tags,
        summary: 'Record a capacity assessment',
        description:
          'Completing it (the default) needs the decision, its date and time, the relevant information (s3(4)), the practicable steps (s1(3)), the impairment answered, each functional ability answered with evidence (s3(1)) and, where the person is unable to decide and has an impairment, the causal link (s2(1)); the 422 names each missing part. The outcome follows from the answers. `complete: false` saves a draft. Answers 201 with the assessment.',
        params: personParams,
        body: newAssessmentSchema,
        response: { 201: assessmentSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      // The guard answers 403/404 before the body is read; the body is checked below.
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const input = parseApiInput(newAssessmentSchema, request.body);
      const abilities = input.abilities ?? {};
      const created = await createAssessment(
        ctx,
        request.params.id,
        {
          ...emptyAssessmentInput,
          topic: input.topic,
          decision: input.decision ?? '',
          assessedOn: input.assessedDate ?? '',
          assessedTime: input.assessedTime ?? '',
          relevantInformation: input.relevantInformation ?? '',
          practicableSteps: input.practicableSteps ?? '',
          impairment: input.impairment ?? '',
          impairmentDetail: input.impairmentDetail ?? '',
          causalLink: input.causalLink ?? '',
          causalLinkEvidence: input.causalLinkEvidence ?? '',
          ...Object.fromEntries(abilityKeys.flatMap((k) => [[k, abilities[k]?.answer ?? ''], [`${k}Evidence`, abilities[k]?.evidence ?? '']])),
          executiveFunctioning: input.executiveFunctioning ?? '',
          attached: input.attached ? (input.attached.kind === 'move' ? 'move' : `${input.attached.kind}:${input.attached.id ?? ''}`) : '',
        },
        input.complete ?? true,
      );
      const stored = await assessmentForApiById(ctx, request.params.id, created.id);
      return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/capacity/${created.id}`).send(stored);
    },
  );

  api.get(
    '/api/v1/people/:id/best-interests',
    {
      schema: {
        tags,
        summary: 'The person’s best-interests decisions',
        description: 'Newest first, each with its IMCA instructions and their reports. The view is recorded in the audit trail.',
        params: personParams,
        response: { 200: z.object({ decisions: z.array(bestInterestsSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => ({ decisions: await bestInterestsListForApi(request.ctx(), request.params.id) }),
  );

  api.get(
    '/api/v1/people/:id/best-interests/:bestInterestsId',
    {
      schema: {
        tags,
        summary: 'One best-interests decision',
        description: 'With its IMCA instructions. The view is recorded in the audit trail.',
        params: personParams.extend({ bestInterestsId: z.string().describe('The decision’s id (a UUID)') }),
        response: { 200: bestInterestsSchema, 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => bestInterestsForApiById(request.ctx(), request.params.id, request.params.bestInterestsId),
  );

  api.post(
    '/api/v1/people/:id/best-interests',
    {
      schema: {
        tags,
        summary: 'Record a best-interests decision',
        description:
          'It follows a completed assessment of the person that found they lack capacity for the decision (s1(5)). The person’s wishes and feelings (s4(6)(a)), beliefs and values (s4(6)(b)), the options, the least restrictive option (s1(6)), the decision and reasons are required; who was consulted (s4(7)) unless nobody is appropriate, in which case the IMCA instruction (ss37–39) is. Answers 201 with the decision.',
        params: personParams,
        body: newBestInterestsSchema,
        response: { 201: bestInterestsSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const input = parseApiInput(newBestInterestsSchema, request.body);
      const created = await recordBestInterests(ctx, request.params.id, {
        ...emptyBestInterestsInput,
        assessmentId: input.capacityAssessmentId,
        kind: input.kind,
        decidedOn: input.decidedOn,
        convenedBy: input.convenedBy,
        chairedBy: input.chairedBy ?? '',
        personWishes: input.personWishes,
        beliefsValues: input.beliefsValues,
        consulted: input.consulted ?? '',
        noOneToConsult: input.noOneToConsult ? 'yes' : 'no',
        optionsConsidered: input.optionsConsidered,
        leastRestrictive: input.leastRestrictive,
        decision: input.decision,
        reasons: input.reasons,
        imcaInstructedOn: input.imca?.instructedOn ?? '',
        imcaService: input.imca?.service ?? '',
        imcaAdvocate: input.imca?.advocate ?? '',
      });
      const stored = await bestInterestsForApiById(ctx, request.params.id, created.id);
      return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/best-interests/${created.id}`).send(stored);
    },
  );
}
