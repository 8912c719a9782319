/**
 * Dispute pages (issue 6). Thin: each handler reads the form, calls disputes.service.ts and
 * renders or redirects. Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { disputeKindLabels, disputeStageLabels, type DisputeStage } from '../../domain/disputes.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { formatPounds } from '../../domain/funding.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { asString, asVersion, dateFromParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { changeStage, DISPUTE_LIST_LIMIT, exportDisputes, getDispute, INTERIM_LEAD_MESSAGE, listDisputes, openDispute, openDisputeForm, resolveDispute, type DisputeView, type OrganisationChoice } from './disputes.service.ts';
import { sendTable, type Table, type TableFormat } from '../../platform/exports/table.ts';

const v = (name: string) => `modules/disputes/views/${name}.njk`;

const fieldIds: Record<string, string> = {
  kind: 'kind',
  aroseOn: 'aroseOn-day',
  changedOn: 'changedOn-day',
  resolvedOn: 'resolvedOn-day',
  stage: 'stage',
};

function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  return toGovukErrors(error.issues, fieldIds);
}

const rawDate = (body: FormBody | null, name: string) => ({ day: asString(body?.[`${name}-day`]), month: asString(body?.[`${name}-month`]), year: asString(body?.[`${name}-year`]) });

function bodyItems(bodies: OrganisationChoice[], selected: string, placeholder: string) {
  return [{ value: '', text: placeholder }, ...bodies.map((b) => ({ value: b.id, text: b.name, selected: b.id === selected }))];
}

function openFormValues(body: FormBody) {
  return {
    kind: asString(body.kind) || undefined,
    partyAOrganisationId: asString(body.partyAOrganisationId),
    partyBOrganisationId: asString(body.partyBOrganisationId),
    aroseOn: dateFromParts(body, 'aroseOn'),
    interimLeadOrganisationId: asString(body.interimLeadOrganisationId),
    summary: asString(body.summary),
  };
}

async function renderOpenForm(request: FastifyRequest, reply: FastifyReply, personId: string, body: FormBody | null, errors?: unknown) {
  const { person: p, bodies } = await openDisputeForm(request.ctx(), personId, body === null);
  const values = body ? openFormValues(body) : { kind: undefined, partyAOrganisationId: '', partyBOrganisationId: '', interimLeadOrganisationId: '', summary: '' };
  return reply.render(v('dispute-form'), {
    title: 'Record a dispute',
    p,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    values,
    aroseOn: rawDate(body, 'aroseOn'),
    kindItems: (['ordinary-residence', 'funding'] as const).map((k) => ({
      value: k,
      text: disputeKindLabels[k],
      checked: values.kind === k,
      hint: { text: k === 'ordinary-residence' ? 'Referred to the Secretary of State if unresolved after 4 months' : 'Settled locally or through the NHS dispute process' },
    })),
    partyAItems: bodyItems(bodies, values.partyAOrganisationId, 'Choose a body'),
    partyBItems: bodyItems(bodies, values.partyBOrganisationId, 'Choose a body'),
    leadItems: bodyItems(bodies, values.interimLeadOrganisationId, 'Choose the interim lead funder'),
    interimLeadMessage: INTERIM_LEAD_MESSAGE,
    errors,
  });
}

async function renderDispute(request: FastifyRequest, reply: FastifyReply, disputeId: string, extra: Record<string, unknown> = {}, body: FormBody | null = null) {
  const detail = await getDispute(request.ctx(), disputeId);
  const d = detail.dispute;
  const bodies = detail.bodies.filter((b) => b.id === d.partyAOrganisationId || b.id === d.partyBOrganisationId);
  return reply.render(v('dispute'), {
    title: `${disputeKindLabels[d.kind]} dispute`,
    d,
    p: detail.person,
    nhsNumber: formatNhsNumber(detail.person.nhsNumber),
    canWrite: detail.canWrite,
    kindLabel: disputeKindLabels[d.kind],
    stageLabel: disputeStageLabels[d.stage],
    money: formatPounds,
    stageItems: d.nextStages.map((s: DisputeStage) => ({ value: s, text: disputeStageLabels[s], checked: asString(body?.stage) === s })),
    changedOn: rawDate(body, 'changedOn'),
    resolvedOn: rawDate(body, 'resolvedOn'),
    responsibleItems: bodyItems(bodies, asString(body?.responsibleOrganisationId), 'Choose a body'),
    fromItems: bodyItems(bodies, asString(body?.backPaymentFromOrganisationId), 'No back payment'),
    toItems: bodyItems(bodies, asString(body?.backPaymentToOrganisationId), 'No back payment'),
    values: { outcome: asString(body?.outcome), backPayment: asString(body?.backPayment) },
    ...extra,
  });
}

export function disputesRoutes(app: FastifyInstance): void {
  app.get<{ Querystring: { all?: string } }>('/disputes', async (request, reply) => {
    const all = request.query.all === 'true';
    const disputes = await listDisputes(request.ctx(), { open: !all });
    const pairs: Array<[string, string]> = all ? [['all', 'true']] : [];
    const suffix = pairs.length > 0 ? `?${new URLSearchParams(pairs).toString()}` : '';
    return reply.render(v('disputes'), {
      title: all ? 'All disputes' : 'Open disputes',
      disputes,
      all,
      stageLabels: disputeStageLabels,
      kindLabels: disputeKindLabels,
      dueCount: disputes.filter((d) => d.referralDue).length,
      downloads: { csv: `/disputes.csv${suffix}`, xlsx: `/disputes.xlsx${suffix}`, total: disputes.length, limit: DISPUTE_LIST_LIMIT, limitText: DISPUTE_LIST_LIMIT.toLocaleString('en-GB') },
    });
  });

  const download = async (request: FastifyRequest<{ Querystring: { all?: string } }>, reply: FastifyReply, format: TableFormat) => {
    const ctx = request.ctx();
    const all = request.query.all === 'true';
    const disputes = await exportDisputes(ctx, { open: !all, format });
    const table: Table<DisputeView> = {
      title: all ? 'All disputes' : 'Open disputes',
      rows: disputes,
      columns: [
        { header: 'NHS number', width: 13, value: (d) => formatNhsNumber(d.personNhsNumber) },
        { header: 'Person', width: 28, value: (d) => d.personName },
        { header: 'Kind', width: 20, value: (d) => disputeKindLabels[d.kind] },
        { header: 'Between', width: 50, value: (d) => `${d.partyAName} and ${d.partyBName}` },
        { header: 'Arose', width: 12, date: true, value: (d) => d.aroseOn },
        { header: 'Days open', width: 10, number: true, value: (d) => d.age.days },
        { header: 'Stage', width: 24, value: (d) => disputeStageLabels[d.stage] },
        { header: 'Referral to the Secretary of State due by', width: 20, date: true, value: (d) => d.referralDueOn },
        { header: 'Interim lead', width: 30, value: (d) => d.interimLeadName },
        { header: 'Resolved', width: 12, date: true, value: (d) => d.resolvedOn },
        { header: 'Found responsible', width: 30, value: (d) => d.responsibleName },
      ],
    };
    return sendTable(reply, format, table, { filename: `aftercare-disputes-${ctx.today()}`, createdBy: ctx.actor.displayName });
  };
  app.get<{ Querystring: { all?: string } }>('/disputes.csv', async (request, reply) => download(request, reply, 'csv'));
  app.get<{ Querystring: { all?: string } }>('/disputes.xlsx', async (request, reply) => download(request, reply, 'xlsx'));

  app.get<{ Params: { id: string } }>('/people/:id/disputes/new', async (request, reply) => renderOpenForm(request, reply, request.params.id, null));
  app.post<{ Params: { id: string } }>('/people/:id/disputes/new', async (request, reply) => {
    const body = formBody(request.body);
    try {
      const created = await openDispute(request.ctx(), request.params.id, openFormValues(body));
      request.session.flash = { type: 'success', text: 'The dispute has been recorded. Care continues, funded by the interim lead, while it is settled.' };
      return await reply.redirect(`/disputes/${created.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderOpenForm(request, reply, request.params.id, body, errors);
    }
  });

  app.get<{ Params: { disputeId: string } }>('/disputes/:disputeId', async (request, reply) => renderDispute(request, reply, request.params.disputeId));
  app.post<{ Params: { disputeId: string } }>('/disputes/:disputeId/stage', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await changeStage(request.ctx(), request.params.disputeId, asVersion(body.version), { stage: asString(body.stage) || undefined, changedOn: dateFromParts(body, 'changedOn') });
      request.session.flash = { type: 'success', text: 'The stage of the dispute has been changed.' };
      return await reply.redirect(`/disputes/${request.params.disputeId}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderDispute(request, reply, request.params.disputeId, { errors }, body);
    }
  });
  app.post<{ Params: { disputeId: string } }>('/disputes/:disputeId/resolve', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await resolveDispute(request.ctx(), request.params.disputeId, asVersion(body.version), {
        outcome: asString(body.outcome),
        resolvedOn: dateFromParts(body, 'resolvedOn'),
        responsibleOrganisationId: asString(body.responsibleOrganisationId),
        backPayment: asString(body.backPayment),
        backPaymentFromOrganisationId: asString(body.backPaymentFromOrganisationId),
        backPaymentToOrganisationId: asString(body.backPaymentToOrganisationId),
      });
      request.session.flash = { type: 'success', text: 'The dispute has been resolved.' };
      return await reply.redirect(`/disputes/${request.params.disputeId}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderDispute(request, reply, request.params.disputeId, { errors }, body);
    }
  });
}
