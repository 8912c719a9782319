import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors/errors.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { INTERIM_LEAD_MESSAGE, listDisputes, listPersonDisputes, openDispute, organisationIdsForCodes, type DisputeView } from './disputes.service.ts';

/*
 * The disputes API: partners' systems read a person's disputes, record a new one (which records
 * the 'dispute-opened' legal event, so the rules engine raises R24/R38), and list open disputes
 * across the partnership. Bodies are named by their code (ONS code for a local authority; ODS or
 * ONS code for an ICB). Stage changes and resolution are made on the dispute's page.
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('No relationship with this person, or no permission to change their record'),
  404: problemSchema.describe('No such person'),
  422: problemSchema.describe('The input is not valid, or breaks a rule; `errors` names each field'),
};

const kinds = ['ordinary-residence', 'funding'] as const;
const stages = ['local-negotiation', 'senior-escalation', 'sos-referral', 'nhs-dispute-process', 'resolved'] as const;

const disputeOutSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    kind: z.enum(kinds),
    partyA: z.string().describe('Name of the first body'),
    partyB: z.string().describe('Name of the other body'),
    aroseOn: z.string().describe('YYYY-MM-DD'),
    ageDays: z.int().describe('Days since it arose (to its resolution, once resolved)'),
    ageMonths: z.int().describe('Whole calendar months since it arose'),
    interimLead: z.string().describe('Who funds care while the dispute is settled (R25)'),
    stage: z.enum(stages),
    stageChangedOn: z.string(),
    referredOn: z.string().nullable(),
    referralDueOn: z.string().nullable().describe('Ordinary residence: 4 calendar months after it arose (R24). Null for a funding dispute'),
    referralDue: z.boolean().describe('An unreferred ordinary-residence dispute open for 4 months or more'),
    summary: z.string(),
    outcome: z.string().nullable(),
    resolvedOn: z.string().nullable(),
    responsibleBody: z.string().nullable(),
    backPaymentPence: z.int().nullable(),
    backPaymentFrom: z.string().nullable(),
    backPaymentTo: z.string().nullable(),
  })
  .describe('A dispute about who is responsible for the person’s aftercare');

function out(d: DisputeView): z.infer<typeof disputeOutSchema> {
  return {
    id: d.id,
    personId: d.personId,
    kind: d.kind,
    partyA: d.partyAName,
    partyB: d.partyBName,
    aroseOn: d.aroseOn,
    ageDays: d.age.days,
    ageMonths: d.age.months,
    interimLead: d.interimLeadName,
    stage: d.stage,
    stageChangedOn: d.stageChangedOn,
    referredOn: d.referredOn,
    referralDueOn: d.referralDueOn,
    referralDue: d.referralDue,
    summary: d.summary,
    outcome: d.outcome,
    resolvedOn: d.resolvedOn,
    responsibleBody: d.responsibleName,
    backPaymentPence: d.backPaymentPence,
    backPaymentFrom: d.backPaymentFromName,
    backPaymentTo: d.backPaymentToName,
  };
}

const code = (what: string) => z.string({ error: `${what} must be the body’s code, like "E06000901"` }).trim().min(1, `${what} must be the body’s code, like "E06000901"`).max(20);

const openBodySchema = z
  .strictObject({
    kind: z.enum(kinds, { error: 'kind must be "ordinary-residence" or "funding"' }),
    partyA: code('partyA').describe('The first body: a local authority (ONS code) or the ICB (ODS or ONS code)'),
    partyB: code('partyB').describe('The other body'),
    aroseOn: z.string({ error: 'aroseOn must be a date, YYYY-MM-DD' }).describe('The date the dispute arose, YYYY-MM-DD, not in the future'),
    interimLead: z.string({ error: INTERIM_LEAD_MESSAGE }).trim().min(1, INTERIM_LEAD_MESSAGE).describe('Required: the body (one of the two) that funds care while the dispute is settled, so care does not wait (R25)'),
    summary: z.string({ error: 'summary must be text' }).describe('What is disputed'),
  })
  .describe('A new dispute');

const personParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });

export function disputesApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['disputes'];

  api.get(
    '/api/v1/people/:id/disputes',
    {
      schema: { tags, summary: 'The person’s disputes', description: 'Newest first, open and resolved.', params: personParams, response: { 200: z.object({ disputes: z.array(disputeOutSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] } },
    },
    async (request) => ({ disputes: (await listPersonDisputes(request.ctx(), request.params.id)).disputes.map(out) }),
  );

  api.post(
    '/api/v1/people/:id/disputes',
    {
      schema: {
        tags,
        summary: 'Record a dispute',
        description:
          'Records the dispute and the `dispute-opened` legal event, so the rules engine flags an ordinary-residence dispute due for referral to the Secretary of State at 4 months (R24) and notes a funding dispute (R38). An interim lead funder is required: care must not wait (R25). Nothing is saved if anything is wrong.',
        params: personParams,
        body: openBodySchema,
        response: { 201: disputeOutSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const raw = request.body as unknown;
      // A missing interim lead is named first, whatever else is wrong.
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw as Record<string, unknown>).interimLead) {
        throw new InputError([{ path: 'interimLead', message: INTERIM_LEAD_MESSAGE }]);
      }
      const body = parseApiInput(openBodySchema, raw);
      const { partyA: a, partyB: b, interimLead: lead } = await organisationIdsForCodes(ctx, { partyA: body.partyA, partyB: body.partyB, interimLead: body.interimLead });
      let created;
      try {
        created = await openDispute(ctx, request.params.id, { kind: body.kind, partyAOrganisationId: a, partyBOrganisationId: b, aroseOn: body.aroseOn, interimLeadOrganisationId: lead, summary: body.summary });
      } catch (error) {
        if (error instanceof InputError) {
          const rename: Record<string, string> = { partyAOrganisationId: 'partyA', partyBOrganisationId: 'partyB', interimLeadOrganisationId: 'interimLead' };
          throw new InputError(error.issues.map((i) => ({ ...i, path: rename[i.path] ?? i.path })));
        }
        throw error;
      }
      const list = await listPersonDisputes(ctx, request.params.id);
      return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/disputes`).send(out(list.disputes.find((d) => d.id === created.id)!));
    },
  );

  api.get(
    '/api/v1/disputes',
    {
      schema: {
        tags,
        summary: 'Disputes across the partnership',
        description: 'Disputes about people the caller has a relationship with, oldest first. `open=true` (the default) leaves out resolved disputes.',
        querystring: z.object({ open: z.enum(['true', 'false']).optional().describe('Only open disputes (default true)') }),
        response: { 200: z.object({ disputes: z.array(disputeOutSchema) }), 401: problems[401] },
      },
    },
    async (request) => ({ disputes: (await listDisputes(request.ctx(), { open: request.query.open !== 'false' })).map(out) }),
  );
}
