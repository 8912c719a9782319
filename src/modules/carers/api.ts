import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { advocacyKinds } from '../../domain/advocacy.ts';
import { assessmentStatuses, carerOutcomeKeys } from '../../domain/carers.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { addCarer, carerForApi, carersForApi, recordReferral, referralForApi, referralsForApi } from './carers.service.ts';

/*
 * Carers and advocacy through the API (issue 16, item 8): a partner's system lists and reads a
 * person's carers and advocacy referrals, adds a carer and records a referral, with exactly the
 * pages' rules (carers.service.ts): person:read to read, person:write to write (checked before the
 * body is read), every read audited. A carer who has not agreed to share information is listed
 * without their name, contact details or support plan (consentToShare false).
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or no permission'),
  404: problemSchema.describe('No such person, or no such carer or referral of theirs'),
  422: problemSchema.describe('The input is not valid; `errors` names each field'),
};

const isoDate = z.string().nullable().describe('YYYY-MM-DD');
const personParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });

const assessmentSchema = z.object({
  id: z.string(),
  status: z.enum(assessmentStatuses).describe('offered, accepted, declined (Care Act 2014, section 10(7)) or completed'),
  offeredAt: z.string().describe('discharge, review or other'),
  offeredOn: z.string().describe('YYYY-MM-DD'),
  acceptedOn: isoDate,
  declinedOn: isoDate,
  completedOn: isoDate,
  eligible: z.boolean().nullable().describe('The determination against the Care and Support (Eligibility Criteria) Regulations 2015, regulation 3; null until completed'),
  outcomesNotAchieved: z.array(z.string()).describe(`Regulation 3(2)(b) outcomes the carer is unable to achieve: ${carerOutcomeKeys.join(', ')}`),
  supportWhat: z.string().nullable().describe('The support plan (Care Act 2014, sections 20 and 25): what will be provided; null without the carer’s consent to share'),
  supportWho: z.string().nullable().describe('Who will provide it; null without the carer’s consent to share'),
  reviewOn: isoDate.describe('The support plan’s review date, YYYY-MM-DD'),
});

const carerSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable().describe('Null when the carer has not agreed to share information'),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    address: z.string().nullable(),
    relationship: z.string().describe('The carer’s relationship to the person'),
    consentToShare: z.boolean(),
    consentRecordedOn: z.string().describe('YYYY-MM-DD'),
    assessments: z.array(assessmentSchema).describe('Carer’s assessments (Care Act 2014, section 10), newest first'),
  })
  .describe('A carer of the person');

const referralSchema = z
  .object({
    id: z.string(),
    kind: z.string().describe('imha, imca or care-act'),
    statutoryBasis: z.string().describe('Mental Health Act 1983, section 130A; Mental Capacity Act 2005, section 35; or Care Act 2014, section 67'),
    status: z.string().describe('referred, accepted, named or met'),
    referredOn: z.string().describe('YYYY-MM-DD'),
    acceptedOn: isoDate,
    advocateNamedOn: isoDate,
    firstMetOn: isoDate,
    advocateName: z.string().nullable(),
    service: z.string(),
    notes: z.string().nullable(),
  })
  .describe('A referral to an advocate');

const dateText = (name: string) => z.string({ error: `${name} must be text written YYYY-MM-DD` }).describe('YYYY-MM-DD');

const newCarerSchema = z
  .strictObject({
    name: z.string({ error: 'name must be text' }),
    relationship: z.string({ error: 'relationship must be text' }).describe('The carer’s relationship to the person, like "Mother"'),
    phone: z.string({ error: 'phone must be text' }).optional(),
    email: z.string({ error: 'email must be text' }).optional(),
    address: z.string({ error: 'address must be text' }).optional(),
    consentToShare: z.boolean({ error: 'consentToShare must be true or false' }).describe('Whether the carer agrees to information being shared with and about them'),
    consentRecordedOn: dateText('consentRecordedOn'),
  })
  .describe('A new carer, linked to the person');

const newReferralSchema = z
  .strictObject({
    kind: z.enum(advocacyKinds, { error: `kind must be one of ${advocacyKinds.map((k) => `"${k}"`).join(', ')}` }),
    referredOn: dateText('referredOn'),
    acceptedOn: dateText('acceptedOn').optional(),
    advocateNamedOn: dateText('advocateNamedOn').optional(),
    firstMetOn: dateText('firstMetOn').optional(),
    advocateName: z.string({ error: 'advocateName must be text' }).optional(),
    service: z.string({ error: 'service must be text' }).describe('The advocacy service'),
    notes: z.string({ error: 'notes must be text' }).optional(),
  })
  .describe('A referral to an advocate; each date must be on or after the one before it');

export function carersApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['carers and advocacy'];

  api.get(
    '/api/v1/people/:id/carers',
    {
      schema: {
        tags,
        summary: 'The person’s carers and their assessments',
        description: 'Each carer linked to the person, with their carer’s assessments (Care Act 2014, section 10). A carer who has not agreed to share information is listed without their name, contact details or support plan. The view is recorded in the audit trail.',
        params: personParams,
        response: { 200: z.object({ personId: z.string(), carers: z.array(carerSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => carersForApi(request.ctx(), request.params.id),
  );

  api.get(
    '/api/v1/people/:id/carers/:carerId',
    {
      schema: { tags, summary: 'One carer of the person', description: 'With the same rules as the list. The view is recorded in the audit trail.', params: personParams.extend({ carerId: z.string() }), response: { 200: carerSchema, 401: problems[401], 403: problems[403], 404: problems[404] } },
    },
    async (request) => carerForApi(request.ctx(), request.params.id, request.params.carerId),
  );

  api.post(
    '/api/v1/people/:id/carers',
    {
      schema: {
        tags,
        summary: 'Add a carer',
        description: 'A new carer, a person in their own right, linked to this person, with their consent to share and its date. Answers 201 with the carer.',
        params: personParams,
        body: newCarerSchema,
        response: { 201: carerSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      // The guard answers 403/404 before the body is read; the body is checked below.
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const input = parseApiInput(newCarerSchema, request.body);
      const created = await addCarer(ctx, request.params.id, {
        existingCarerId: '',
        name: input.name,
        relationship: input.relationship,
        phone: input.phone ?? '',
        email: input.email ?? '',
        address: input.address ?? '',
        consentToShare: input.consentToShare ? 'yes' : 'no',
        consentRecordedOn: input.consentRecordedOn,
      });
      const stored = await carerForApi(ctx, request.params.id, created.carerId);
      return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/carers/${created.carerId}`).send(stored);
    },
  );

  api.get(
    '/api/v1/people/:id/advocacy',
    {
      schema: {
        tags,
        summary: 'The person’s advocacy referrals',
        description: 'Referrals to an IMHA (Mental Health Act 1983, section 130A), an IMCA (Mental Capacity Act 2005, section 35) or a Care Act advocate (Care Act 2014, section 67), newest first. The view is recorded in the audit trail.',
        params: personParams,
        response: { 200: z.object({ personId: z.string(), referrals: z.array(referralSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => referralsForApi(request.ctx(), request.params.id),
  );

  api.get(
    '/api/v1/people/:id/advocacy/:referralId',
    {
      schema: { tags, summary: 'One advocacy referral', description: 'The view is recorded in the audit trail.', params: personParams.extend({ referralId: z.string() }), response: { 200: referralSchema, 401: problems[401], 403: problems[403], 404: problems[404] } },
    },
    async (request) => referralForApi(request.ctx(), request.params.id, request.params.referralId),
  );

  api.post(
    '/api/v1/people/:id/advocacy',
    {
      schema: {
        tags,
        summary: 'Record an advocacy referral',
        description: 'The kind, the service and the dates so far: referred, then accepted, then an advocate named, then first met the person, each on or after the one before and none in the future (a break is a 422 naming the field). Answers 201 with the referral.',
        params: personParams,
        body: newReferralSchema,
        response: { 201: referralSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const input = parseApiInput(newReferralSchema, request.body);
      const created = await recordReferral(ctx, request.params.id, {
        kind: input.kind,
        referredOn: input.referredOn,
        acceptedOn: input.acceptedOn ?? '',
        advocateNamedOn: input.advocateNamedOn ?? '',
        firstMetOn: input.firstMetOn ?? '',
        advocateName: input.advocateName ?? '',
        service: input.service,
        notes: input.notes ?? '',
      });
      const stored = await referralForApi(ctx, request.params.id, created.id);
      return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/advocacy/${created.id}`).send(stored);
    },
  );
}
