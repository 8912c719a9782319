import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decisionSchema, legalEventSchema, statuses, flagCodes } from '../../domain/rules/index.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { PROBLEM_BASE } from '../../platform/errors/errors.ts';
import { findPeopleByNhsNumber, getEntitlement, getPersonForApi, recordEventFromApi, reloadPerson, contractEvent, eventEnvelopeSchema, type LegalEventRow } from './api.service.ts';
import { parseApiInput, parseWithRules } from '../../platform/http/api-input.ts';
import { communicationNeedKinds, dischargePlanningStatuses, engagementStatuses, ethnicCodes, personInputSchema, sexes } from './inputs.ts';
import { createPerson, type PersonRow } from './people.service.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { assertCan } from '../../platform/access/policy.ts';

/*
 * The integration API for the register: partners' systems (the trust's EPR, the MHA
 * office, a council's case system) add people, look them up by NHS number, send legal
 * events in the rules-engine contract and read the stored decision. Bearer token or
 * signed-in session (plus X-CSRF-Token for writes); errors are RFC 9457 problems.
 */
const duplicatesProblemSchema = problemSchema
  .extend({
    duplicates: z
      .array(z.object({ id: z.uuid().nullable(), nhsNumber: z.string().nullable(), hidden: z.boolean() }))
      .describe('People already on the register with the same name and date of birth but a different NHS number. For someone the caller has no relationship with, only their existence is given (hidden: true, id and nhsNumber null)'),
  })
  .describe('RFC 9457 problem: likely duplicates. Check them, then send the request again with "confirmDuplicate": true if this is a different person');

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or no permission'),
  404: problemSchema.describe('No such person in the partnership'),
  422: problemSchema.describe('The input is not valid; `errors` names each field'),
};

const isoDate = (label: string, example: string) =>
  z
    .string({ error: `${label} must be text written YYYY-MM-DD, for example "${example}"` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be written YYYY-MM-DD, for example "${example}"`)
    .describe(`${label}, YYYY-MM-DD`);
const text = (label: string, max: number) => z.string({ error: `${label} must be text` }).max(max, `${label} must be ${max} characters or fewer`);
const oneOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

/** The person fields of the register's person form, as JSON. The register service does the rest of the checking. */
export const personBodySchema = z
  .strictObject({
    nhsNumber: z.string({ error: 'Enter the NHS number as text, like "9990000018"' }).describe('10 digits with a valid check digit; spaces and hyphens are ignored'),
    givenName: text('First name', 100),
    familyName: text('Last name', 100),
    dateOfBirth: isoDate('Date of birth', '1980-05-17'),
    address: text('Address', 500).nullish(),
    postcode: z.string({ error: 'Postcode must be text' }).nullish().describe('A UK postcode, like "ZZ99 3AB"'),
    residenceLocalAuthority: z.string({ error: 'The local authority of residence must be text' }).nullish().describe('ONS code of the local authority the person lives in now, like "E06000901"'),
    gpPractice: text('GP practice code', 20).nullish(),
    gpIcb: z.string({ error: 'The GP’s ICB must be text' }).nullish().describe('ONS code of the ICB of the person’s GP practice, like "E54000901"'),
    ethnicity: z.enum(ethnicCodes, { error: `Ethnicity must be an NHS ethnic category code: ${oneOf(ethnicCodes)}` }).nullish().describe('NHS ethnic category code ("99" not known, the default)'),
    sex: z.enum(sexes, { error: `Sex must be one of ${oneOf(sexes)}` }).nullish(),
    gender: text('Gender', 100).nullish(),
    preferredLanguage: text('Preferred language', 100).nullish().describe('Default "English"'),
    interpreterNeeded: z.boolean({ error: 'interpreterNeeded must be true or false' }).nullish(),
    communicationNeeds: z
      .array(z.enum(communicationNeedKinds, { error: `Each communication need must be one of ${oneOf(communicationNeedKinds)}` }), { error: 'communicationNeeds must be a list' })
      .nullish()
      .describe('Accessible Information Standard needs'),
    communicationNotes: text('Communication notes', 1000).nullish(),
    engagement: z.enum(engagementStatuses, { error: `Engagement must be one of ${oneOf(engagementStatuses)}` }).nullish(),
    lastContactOn: isoDate('The date of last contact', '2025-06-01').nullish(),
    expectedDischargeOn: isoDate('The expected discharge date', '2025-09-01').nullish(),
    dischargePlanning: z.enum(dischargePlanningStatuses, { error: `dischargePlanning must be one of ${oneOf(dischargePlanningStatuses)}` }).nullish(),
    allocatedTeamId: z.string({ error: 'allocatedTeamId must be a team id (UUID)' }).nullish().describe('A team of the partnership'),
    leadPractitionerId: z.string({ error: 'leadPractitionerId must be a user id (UUID)' }).nullish(),
    confirmDuplicate: z
      .boolean({ error: 'confirmDuplicate must be true or false' })
      .optional()
      .describe('Send true, after checking, to add a person although people with the same name and date of birth (and another NHS number) are on the register'),
  })
  .describe('A person to add to the register');

const personSchema = z
  .object({
    id: z.uuid(),
    nhsNumber: z.string().describe('10 digits'),
    givenName: z.string(),
    familyName: z.string(),
    dateOfBirth: z.string().describe('YYYY-MM-DD'),
    address: z.string().nullable(),
    postcode: z.string().nullable(),
    residenceLocalAuthority: z.string().nullable(),
    gpPractice: z.string().nullable(),
    gpIcb: z.string().nullable(),
    ethnicity: z.string(),
    sex: z.string(),
    gender: z.string().nullable(),
    preferredLanguage: z.string(),
    interpreterNeeded: z.boolean(),
    communicationNeeds: z.array(z.string()),
    communicationNotes: z.string().nullable(),
    engagement: z.enum(engagementStatuses),
    lastContactOn: z.string().nullable(),
    expectedDischargeOn: z.string().nullable(),
    dischargePlanning: z.enum(dischargePlanningStatuses),
    allocatedTeamId: z.uuid().nullable(),
    leadPractitionerId: z.uuid().nullable(),
    status: z.enum(statuses).describe('Section 117 status from the stored decision'),
    entitlementStart: z.string().nullable().describe('YYYY-MM-DD'),
    responsibleLocalAuthority: z.string().nullable().describe('ONS code'),
    responsibleIcb: z.string().nullable().describe('ONS code'),
    nextReviewDue: z.string().nullable().describe('YYYY-MM-DD'),
    flags: z.array(z.enum(flagCodes)).describe('Questions for a person to decide (see docs/rules.md)'),
    decidedOn: z.string().nullable().describe('The date the stored decision was made for (its asOf)'),
    version: z.int().describe('Changes on every change to the record'),
    createdAt: z.string().describe('ISO 8601 timestamp'),
    updatedAt: z.string().describe('ISO 8601 timestamp'),
  })
  .describe('A person on the register, with the summary of the stored rules-engine decision');

function personOut(p: PersonRow): z.input<typeof personSchema> {
  return {
    id: p.id,
    nhsNumber: p.nhsNumber,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    address: p.address,
    postcode: p.postcode,
    residenceLocalAuthority: p.residenceLocalAuthority,
    gpPractice: p.gpPractice,
    gpIcb: p.gpIcb,
    ethnicity: p.ethnicity,
    sex: p.sex,
    gender: p.gender,
    preferredLanguage: p.preferredLanguage,
    interpreterNeeded: p.interpreterNeeded,
    communicationNeeds: p.communicationNeeds,
    communicationNotes: p.communicationNotes,
    engagement: p.engagement,
    lastContactOn: p.lastContactOn,
    expectedDischargeOn: p.expectedDischargeOn,
    dischargePlanning: p.dischargePlanning,
    allocatedTeamId: p.allocatedTeamId,
    leadPractitionerId: p.leadPractitionerId,
    status: p.status,
    entitlementStart: p.entitlementStart,
    responsibleLocalAuthority: p.responsibleLocalAuthority,
    responsibleIcb: p.responsibleIcb,
    nextReviewDue: p.nextReviewDue,
    flags: p.flags as Array<(typeof flagCodes)[number]>,
    decidedOn: p.decidedOn,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const recordedEventSchema = z
  .object({
    id: z.uuid(),
    event: legalEventSchema,
    hospital: z.string().nullable(),
    externalId: z.string().nullable(),
    source: z.string().describe('"api", "ingest" or "manual"'),
    recordedAt: z.string().describe('ISO 8601 timestamp'),
    voidedAt: z.string().nullable().describe('Set when the event was removed as a correction (it no longer counts)'),
  })
  .describe('A recorded event of the person’s legal history');

function eventOut(e: LegalEventRow): z.input<typeof recordedEventSchema> {
  return {
    id: e.id,
    event: contractEvent(e) as z.input<typeof legalEventSchema>,
    hospital: e.hospital,
    externalId: e.externalId,
    source: e.source,
    recordedAt: e.createdAt.toISOString(),
    voidedAt: e.voidedAt ? e.voidedAt.toISOString() : null,
  };
}

const idParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });

/** Drop nulls, which the register service treats as "not given". */
function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

function sendDuplicates(reply: FastifyReply, duplicates: Array<{ id: string | null; nhsNumber: string | null; hidden: boolean }>) {
  const list = duplicates.map((d) => (d.hidden ? 'a record your organisation has no access to' : `${d.nhsNumber} (id ${d.id})`)).join(', ');
  return reply
    .status(409)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `${PROBLEM_BASE}possible-duplicates`,
      title: 'Possible duplicate',
      status: 409,
      detail: `${duplicates.length === 1 ? 'A person' : `${duplicates.length} people`} with the same name and date of birth but a different NHS number ${duplicates.length === 1 ? 'is' : 'are'} already on the register: ${list}. Nobody was added. If this is a different person, send the request again with "confirmDuplicate": true.`,
      instance: reply.request.id,
      duplicates: duplicates.map((d) => ({ id: d.id, nhsNumber: d.nhsNumber, hidden: d.hidden })),
    });
}

export function peopleApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/v1/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a person to the register',
        description:
          'Validates the NHS number (check digit) and every field; a duplicate NHS number is a 422 at `nhsNumber`. People with the same name and date of birth but another NHS number are likely duplicates: the answer is 409 listing them, and nothing is added until the request is sent again with `"confirmDuplicate": true`. The token’s organisation is recorded as involved with the person, so it can see them and send their events.',
        body: personBodySchema,
        response: { 201: personSchema, 400: problems[400], 401: problems[401], 403: problems[403], 409: duplicatesProblemSchema, 422: problems[422] },
      },
      // The body is checked below, so every error is field-pathed in the same way.
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      // Permission before input: someone who may not add people learns nothing from the body's rules.
      assertCan(ctx.actor, 'person:write', { partnershipId: ctx.actor.partnershipId, organisationId: ctx.actor.activeOrganisationId });
      const { confirmDuplicate, ...fields } = parseWithRules(personBodySchema, personInputSchema(todayInLondon()), request.body);
      const result = await createPerson(ctx, withoutNulls(fields), { confirmDuplicate: confirmDuplicate === true });
      if (result.outcome === 'possible-duplicates') return sendDuplicates(reply, result.duplicates);
      const stored = await reloadPerson(ctx, result.person.id);
      return reply.status(201).header('Location', `/api/v1/people/${stored.id}`).send(personOut(stored));
    },
  );

  api.get(
    '/api/v1/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Look a person up by NHS number',
        description:
          'Exact match on the NHS number (spaces and hyphens ignored). The list holds the person if they are on the register and the token’s organisation has a relationship with them, and is empty otherwise. Each person returned counts as a view of their record in the audit trail. An invalid NHS number is a 422 at `nhsNumber`.',
        querystring: z.object({ nhsNumber: z.string().describe('The NHS number to look up, like 9990000018') }),
        response: { 200: z.object({ people: z.array(personSchema) }), 401: problems[401], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request) => {
      const query = request.query as { nhsNumber?: unknown };
      const nhsNumber = parseApiInput(
        z.object({ nhsNumber: z.string({ error: 'Give the NHS number to look up: /api/v1/people?nhsNumber=9990000018' }) }),
        { nhsNumber: Array.isArray(query.nhsNumber) ? (query.nhsNumber as unknown[])[0] : query.nhsNumber },
      ).nhsNumber;
      const people = await findPeopleByNhsNumber(request.ctx(), nhsNumber);
      return { people: people.map(personOut) };
    },
  );

  api.get(
    '/api/v1/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Read a person’s record',
        description: 'The person’s details and the summary of their stored section 117 decision. The view is recorded in the audit trail.',
        params: idParams,
        response: { 200: personSchema, 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => personOut(await getPersonForApi(request.ctx(), request.params.id)),
  );

  api.post(
    '/api/v1/people/:id/events',
    {
      schema: {
        tags: ['people'],
        summary: 'Record an event of the person’s legal history',
        description:
          'The event is in the rules-engine contract, version 1 (docs/rules.md). The rules engine re-runs over the whole history in the same transaction and the new decision is stored and returned. An event that makes the history impossible (a detention ending before it starts, anything after death…) is refused with a 422 giving the engine’s reason, and nothing changes. With an `externalId` (your own id for the event, unique in the partnership) sending the same event again is safe: the answer is 200 with `"outcome": "already-recorded"` and nothing changes; sending a different event with an externalId already used is a 422 at `externalId`. Events that belong to a workflow are refused with a 422 of type `workflow-only-event` at `event.type`, whose detail names the endpoint to use: `aftercare-ended` (propose an ending with `POST /api/v1/people/{id}/endings`; it is recorded when the local authority and the ICB have both approved it), `dispute-opened` (`POST /api/v1/people/{id}/disputes`) and `dispute-resolved` (docs/decisions/0007-legal-events-one-path.md).',
        params: idParams,
        body: eventEnvelopeSchema,
        response: {
          200: z.object({ outcome: z.literal('already-recorded'), event: recordedEventSchema, decision: decisionSchema }).describe('The event had already been recorded with this externalId: nothing changed'),
          201: z.object({ outcome: z.literal('recorded'), event: recordedEventSchema, decision: decisionSchema }).describe('Recorded; the decision is the new stored decision'),
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
      const result = await recordEventFromApi(request.ctx(), request.params.id, request.body);
      if (result.outcome === 'already-recorded') return reply.status(200).send({ outcome: result.outcome, event: eventOut(result.event), decision: result.decision });
      return reply.status(201).send({ outcome: result.outcome, event: eventOut(result.event), decision: result.decision });
    },
  );

  api.get(
    '/api/v1/people/:id/entitlement',
    {
      schema: {
        tags: ['people'],
        summary: 'The person’s section 117 entitlement: the stored rules-engine decision',
        description:
          'Exactly the decision the rules engine made when the legal history last changed, in the same shape as `POST /api/v1/rules/evaluate` returns (contract version 1). The `X-Decided-On` header gives the date it was made for. The view is recorded in the audit trail.',
        params: idParams,
        response: { 200: decisionSchema, 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request, reply) => {
      const { decision, decidedOn } = await getEntitlement(request.ctx(), request.params.id);
      if (decidedOn) void reply.header('X-Decided-On', decidedOn);
      return decision;
    },
  );
}
