import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import type { ChargeRow } from './charges.service.ts';
import { chargeBodySchema, chargesForApi, importChargeFromApi } from './import.service.ts';

/*
 * Charges from a finance system: the charges it has made to a person, sent one at a time
 * with its own id (externalId), so sending one again is safe. A charge for a section 117
 * service is accepted (the money has been taken) and becomes a refund due with a refund task.
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or no permission'),
  404: problemSchema.describe('No such person in the partnership'),
  422: problemSchema.describe('The input is not valid; `errors` names each field'),
};

const chargeSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    externalId: z.string().nullable().describe('The finance system’s id for the charge'),
    serviceId: z.uuid().nullable().describe('The service in the person’s aftercare plan, when known'),
    serviceDescription: z.string(),
    s117: z.boolean().describe('Whether the service was a section 117 service: such a charge is unlawful and is refunded'),
    chargedFrom: z.string().describe('YYYY-MM-DD'),
    chargedTo: z.string().describe('YYYY-MM-DD'),
    amountPence: z.int(),
    paidOn: z.string().describe('YYYY-MM-DD'),
    status: z.enum(['lawful', 'refund-due', 'refunded']).describe('"refund-due" for a charge for a section 117 service not yet refunded'),
    source: z.string().describe('"api", "import" or "manual"'),
    refundTaskId: z.uuid().nullable().describe('The person’s refund task, for a charge for a section 117 service'),
    refundedOn: z.string().nullable().describe('YYYY-MM-DD'),
    refundedPence: z.int().nullable().describe('What was refunded, interest included'),
    version: z.int(),
    recordedAt: z.string().describe('ISO 8601 timestamp'),
  })
  .describe('A charge made to the person');

function chargeOut(c: ChargeRow): z.input<typeof chargeSchema> {
  return {
    id: c.id,
    personId: c.personId,
    externalId: c.externalId,
    serviceId: c.serviceId,
    serviceDescription: c.serviceDescription,
    s117: c.s117,
    chargedFrom: c.chargedFrom,
    chargedTo: c.chargedTo,
    amountPence: c.amountPence,
    paidOn: c.paidOn,
    status: c.status,
    source: c.source,
    refundTaskId: c.refundTaskId,
    refundedOn: c.refundedOn,
    refundedPence: c.refundedPence,
    version: c.version,
    recordedAt: c.recordedAt.toISOString(),
  };
}

const refundTaskSchema = z
  .object({ id: z.uuid(), created: z.boolean().describe('false when the person already had an open refund task, which is used') })
  .nullable()
  .describe('The person’s open refund task, for a charge for a section 117 service; null otherwise');

const idParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });

export function chargesApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/v1/people/:id/charges',
    {
      schema: {
        tags: ['charges'],
        summary: 'Record a charge the finance system has made to the person',
        description:
          'Give the service either as `serviceId` (a service in the person’s aftercare plan: whether it is a section 117 service is then taken from the plan) or as `serviceDescription` with `s117`. Section 117 aftercare is free (R20): a charge for a section 117 service is recorded with status `refund-due`, not refused, because the money has been taken, and the person gets a refund task for the responsible local authority, due in 28 days (one open refund task per person, shared by every such charge). `externalId` is the finance system’s id for the charge, unique in the partnership: sending the same charge again answers 200 with `"outcome": "already-recorded"` and changes nothing; a different charge with an externalId already used is a 422 at `externalId`. Amounts are whole pence.',
        params: idParams,
        body: chargeBodySchema,
        response: {
          200: z.object({ outcome: z.literal('already-recorded'), charge: chargeSchema, refundTask: refundTaskSchema }).describe('Already recorded with this externalId: nothing changed'),
          201: z.object({ outcome: z.literal('recorded'), charge: chargeSchema, refundTask: refundTaskSchema }).describe('Recorded'),
          400: problems[400],
          401: problems[401],
          403: problems[403],
          404: problems[404],
          422: problems[422],
        },
      },
      // 404/403 are answered before the body is checked, and the body is checked by the service.
      attachValidation: true,
    },
    async (request, reply) => {
      const result = await importChargeFromApi(request.ctx(), request.params.id, request.body);
      const out = { outcome: result.outcome, charge: chargeOut(result.charge), refundTask: result.refundTask };
      if (result.outcome === 'already-recorded') return reply.status(200).send({ ...out, outcome: 'already-recorded' as const });
      return reply.status(201).send({ ...out, outcome: 'recorded' as const });
    },
  );

  api.get(
    '/api/v1/people/:id/charges',
    {
      schema: {
        tags: ['charges'],
        summary: 'The charges recorded against the person',
        description: 'Every charge, lawful or due to be refunded or refunded, in order of the period charged for.',
        params: idParams,
        response: { 200: z.object({ charges: z.array(chargeSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => ({ charges: (await chargesForApi(request.ctx(), request.params.id)).map(chargeOut) }),
  );
}
