import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bases, scheduleA1AssessmentKeys, settings, stages } from '../../domain/deprivation-of-liberty.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { authorisationForApiById, authorisationsForApi, createAuthorisation, emptyAuthorisationInput, inputOfAuthorisationForApi, updateAuthorisation, type AuthorisationInput } from './liberty.service.ts';

/*
 * Deprivation of liberty through the API (issue 16, items 4 and 8): a partner's system reads a
 * person's DoLS authorisations and Court of Protection orders, starts one and advances it through
 * its stages, with exactly the pages' rules (liberty.service.ts): person:read to read,
 * person:write to write (checked before the body is read), every read audited, errors as
 * problem+json naming each field.
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or no permission'),
  404: problemSchema.describe('No such person, or no such authorisation'),
  409: problemSchema.describe('The authorisation changed since the version given'),
  422: problemSchema.describe('The input is not valid: dates out of order, an urgent authorisation longer than 7 days, a standard authorisation longer than one year; `errors` names each field'),
};

const personParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });
const date = z.string().nullable();

const authorisationSchema = z
  .object({
    id: z.uuid(),
    version: z.int(),
    basis: z.string().describe(`The statutory basis: ${bases.join(' (MCA 2005 Schedule A1, DoLS) or ')} (MCA 2005 s16(2)(a), COPDOL11). The Liberty Protection Safeguards, if brought into force, would be another basis`),
    setting: z.string().describe(`One of ${settings.join(', ')}`),
    place: z.string(),
    body: z.string().describe('DoLS: the supervisory body; COPDOL11: the applicant'),
    stage: z.string().describe(`One of ${stages.join(', ')}`),
    requestedOn: z.string().describe('DoLS: requested by the managing authority; COPDOL11: application prepared'),
    urgentGivenOn: date,
    urgentEndsOn: date.describe('At most 7 days after it was given (Schedule A1 para 78(2))'),
    urgentExtendedTo: date.describe('At most 7 days after urgentEndsOn, once (paras 84, 85(5))'),
    assessmentsDone: z.array(z.string()).describe(`Of ${scheduleA1AssessmentKeys.join(', ')} (Schedule A1 para 33)`),
    assessmentsCompletedOn: date,
    issuedOn: date.describe('COPDOL11: issued by the court'),
    outcome: z.string().nullable().describe('granted (an order made) or refused'),
    decidedOn: date,
    startsOn: date,
    endsOn: date.describe('DoLS: at most one year from startsOn (Schedule A1 para 42(2))'),
    reviewOn: date.describe('COPDOL11: the order’s review date'),
    representative: z.string(),
    conditions: z.string(),
    documents: z.string(),
    due: z.object({ on: z.string(), kind: z.enum(['renewal', 'review', 'urgent']) }).nullable().describe('Set when within the partnership’s days of its end or review date (2 days for an urgent authorisation)'),
  })
  .describe('A DoLS authorisation or a Court of Protection order (COPDOL11)');

const dateIn = (name: string) => z.string({ error: `${name} must be text written YYYY-MM-DD` }).optional();
const textIn = (name: string) => z.string({ error: `${name} must be text` }).optional();

const stageFields = {
  place: textIn('place'),
  body: textIn('body'),
  requestedOn: dateIn('requestedOn'),
  urgentGivenOn: dateIn('urgentGivenOn'),
  urgentEndsOn: dateIn('urgentEndsOn'),
  urgentExtendedTo: dateIn('urgentExtendedTo'),
  assessmentsDone: z.array(z.string({ error: 'assessmentsDone must be a list of text' }), { error: 'assessmentsDone must be a list' }).optional(),
  assessmentsCompletedOn: dateIn('assessmentsCompletedOn'),
  issuedOn: dateIn('issuedOn'),
  outcome: z.enum(['granted', 'refused'], { error: 'outcome must be "granted" or "refused"' }).optional(),
  decidedOn: dateIn('decidedOn'),
  startsOn: dateIn('startsOn'),
  endsOn: dateIn('endsOn'),
  reviewOn: dateIn('reviewOn'),
  representative: textIn('representative'),
  conditions: textIn('conditions'),
  documents: textIn('documents'),
};

const newAuthorisationSchema = z
  .strictObject({ setting: z.enum(settings, { error: `setting must be one of ${settings.map((s) => `"${s}"`).join(', ')}` }), ...stageFields })
  .describe('A DoLS request or COPDOL11 application to start: the basis follows from the setting');

const stageUpdateSchema = z.strictObject({ version: z.int({ error: 'version must be a whole number' }), ...stageFields }).describe('The authorisation’s fields to change, at the version read; fields left out keep their value');

type StageFields = Partial<Record<keyof typeof stageFields, string | string[] | undefined>>;

function inputFrom(body: StageFields, start: AuthorisationInput): AuthorisationInput {
  const out: AuthorisationInput = { ...start };
  for (const [k, value] of Object.entries(body)) if (value !== undefined && k in out) (out as unknown as Record<string, unknown>)[k] = value;
  return out;
}

export function libertyApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['deprivation of liberty'];

  api.get(
    '/api/v1/people/:id/deprivation-of-liberty',
    {
      schema: {
        tags,
        summary: 'The person’s DoLS authorisations and Court of Protection orders',
        description: 'Newest first, each with its statutory basis, stage and whether it is due for renewal or review. The view is recorded in the audit trail.',
        params: personParams,
        response: { 200: z.object({ authorisations: z.array(authorisationSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => ({ authorisations: await authorisationsForApi(request.ctx(), request.params.id) }),
  );

  api.get(
    '/api/v1/people/:id/deprivation-of-liberty/:authorisationId',
    {
      schema: {
        tags,
        summary: 'One authorisation or order',
        description: 'The view is recorded in the audit trail.',
        params: personParams.extend({ authorisationId: z.string().describe('The authorisation’s id (a UUID)') }),
        response: { 200: authorisationSchema, 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => authorisationForApiById(request.ctx(), request.params.id, request.params.authorisationId),
  );

  api.post(
    '/api/v1/people/:id/deprivation-of-liberty',
    {
      schema: {
        tags,
        summary: 'Start a DoLS request or a COPDOL11 application',
        description:
          'A care home or hospital starts a DoLS request (MCA 2005 Schedule A1); any other setting an application to the Court of Protection (s16(2)(a); COPDOL11). Dates must follow one another; an urgent authorisation lasts at most 7 days (para 78(2)), extended once by at most 7 (paras 84, 85(5)); a standard authorisation at most one year (para 42(2)). Answers 201 with the authorisation.',
        params: personParams,
        body: newAuthorisationSchema,
        response: { 201: authorisationSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      // The guard answers 403/404 before the body is read; the body is checked below.
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const input = parseApiInput(newAuthorisationSchema, request.body);
      const created = await createAuthorisation(ctx, request.params.id, inputFrom(input, { ...emptyAuthorisationInput, setting: input.setting }));
      const stored = await authorisationForApiById(ctx, request.params.id, created.id);
      return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/deprivation-of-liberty/${created.id}`).send(stored);
    },
  );

  api.patch(
    '/api/v1/people/:id/deprivation-of-liberty/:authorisationId',
    {
      schema: {
        tags,
        summary: 'Advance an authorisation or application through its stages',
        description: 'The same rules as starting one. The basis does not change. Answers 200 with the authorisation; 409 if it changed since the version given.',
        params: personParams.extend({ authorisationId: z.string().describe('The authorisation’s id (a UUID)') }),
        body: stageUpdateSchema,
        response: { 200: authorisationSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request) => {
      const ctx = request.ctx();
      const { id, authorisationId } = request.params;
      const input = parseApiInput(stageUpdateSchema, request.body);
      const { version, ...fields } = input;
      const current = await inputOfAuthorisationForApi(ctx, id, authorisationId);
      await updateAuthorisation(ctx, id, authorisationId, version, inputFrom(fields, current));
      return authorisationForApiById(ctx, id, authorisationId);
    },
  );
}
