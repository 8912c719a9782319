/**
 * Funding panel pages (issue 6). Thin: each handler reads the form, calls panels.service.ts and
 * renders or redirects. Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { can } from '../../platform/access/policy.ts';
import { ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { asArray, asString, asVersion, dateFromParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { formatPounds, formatSplit, getPlan } from '../plans/index.ts';
import { caseStatusLabels, createMeeting, decideCase, decisionLabels, getCase, getMeeting, listCase, panelPack, panelsOverview, recordAttendance, submitPanelCase } from './panels.service.ts';

const v = (name: string) => `modules/panels/views/${name}.njk`;

const fieldIds: Record<string, string> = { meetsOn: 'meetsOn-day', decision: 'decision', presentUserIds: 'presentUserIds', caseId: 'caseId', plan: 'summary' };

function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  return toGovukErrors(error.issues, fieldIds);
}

type CaseParams = { Params: { caseId: string } };
type MeetingParams = { Params: { meetingId: string } };
type PlanParams = { Params: { id: string; planId: string } };

async function renderSubmit(request: FastifyRequest<PlanParams>, reply: FastifyReply, body: FormBody | null, errors?: unknown) {
  const detail = await getPlan(request.ctx(), request.params.id, request.params.planId);
  const first = detail.services[0];
  return reply.render(v('submit-form'), {
    title: 'Submit the plan to the funding panel',
    detail,
    p: detail.person,
    plan: detail.plan,
    nhsNumber: formatNhsNumber(detail.person.nhsNumber),
    base: `/people/${detail.person.id}/plans/${detail.plan.id}`,
    money: formatPounds,
    values: body
      ? { summary: asString(body.summary), localAuthorityPercent: asString(body.localAuthorityPercent), basis: asString(body.basis) }
      : { summary: '', localAuthorityPercent: first ? String(first.localAuthorityBasisPoints / 100) : '', basis: first?.splitBasis ?? '' },
    errors,
  });
}

async function renderMeeting(request: FastifyRequest<MeetingParams>, reply: FastifyReply, extra: Record<string, unknown> = {}) {
  const m = await getMeeting(request.ctx(), request.params.meetingId);
  return reply.render(v('meeting'), {
    title: `Funding panel, ${m.meeting.meetsOn}`,
    ...m,
    attendeeItems: m.attendees.map((a) => ({
      value: a.userId,
      text: a.name,
      hint: { text: a.bodies.map((b) => (b === 'icb' ? 'ICB' : 'local authority')).join(' and ') },
      checked: m.meeting.presentUserIds.includes(a.userId),
    })),
    waitingItems: [{ value: '', text: 'Choose a case' }, ...m.waiting.map((c) => ({ value: c.case.id, text: `${c.personName} (submitted ${c.case.submittedAt.toISOString().slice(0, 10)})` }))],
    decisionLabels,
    statusLabels: caseStatusLabels,
    ...extra,
  });
}

async function renderCase(request: FastifyRequest<CaseParams>, reply: FastifyReply, body: FormBody | null = null, errors?: unknown) {
  const detail = await getCase(request.ctx(), request.params.caseId);
  const chosen = asString(body?.decision);
  return reply.render(v('case'), {
    title: `Panel case: ${detail.entry.personName}`,
    ...detail,
    c: detail.entry.case,
    p: detail.plan.person,
    nhsNumber: formatNhsNumber(detail.plan.person.nhsNumber),
    money: formatPounds,
    split: formatSplit,
    decisionLabels,
    statusLabels: caseStatusLabels,
    decisionItems: (['approved', 'approved-with-changes', 'deferred', 'declined'] as const).map((d) => ({ value: d, text: decisionLabels[d], checked: chosen === d })),
    values: { localAuthorityPercent: asString(body?.localAuthorityPercent), reasons: asString(body?.reasons), conditions: asString(body?.conditions) },
    errors,
  });
}

export function panelRoutes(app: FastifyInstance): void {
  app.get<PlanParams>('/people/:id/plans/:planId/panel', async (request, reply) => renderSubmit(request, reply, null));
  app.post<PlanParams>('/people/:id/plans/:planId/panel', async (request, reply) => {
    const body = formBody(request.body);
    try {
      const created = await submitPanelCase(request.ctx(), request.params.id, request.params.planId, { summary: asString(body.summary), localAuthorityPercent: asString(body.localAuthorityPercent), basis: asString(body.basis) });
      request.session.flash = { type: 'success', text: 'The case has been submitted to the funding panel.' };
      return await reply.redirect(`/panels/cases/${created.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderSubmit(request, reply, body, errors);
    }
  });

  app.get('/panels', async (request, reply) => {
    const overview = await panelsOverview(request.ctx());
    return reply.render(v('panels'), { title: 'Funding panels', ...overview, decisionLabels, statusLabels: caseStatusLabels });
  });

  app.get('/panels/meetings/new', async (request, reply) => {
    if (!can(request.ctx().actor, 'panel:decide')) throw new ForbiddenError('Only panel members and commissioners can run a funding panel');
    return reply.render(v('meeting-form'), { title: 'Plan a panel meeting', values: {}, meetsOn: { day: '', month: '', year: '' } });
  });
  app.post('/panels/meetings/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = { meetsOn: dateFromParts(body, 'meetsOn'), location: asString(body.location), agenda: asString(body.agenda) };
    try {
      const meeting = await createMeeting(request.ctx(), values);
      request.session.flash = { type: 'success', text: 'The panel meeting has been planned.' };
      return await reply.redirect(`/panels/meetings/${meeting.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return reply.render(v('meeting-form'), { title: 'Plan a panel meeting', values, meetsOn: { day: asString(body['meetsOn-day']), month: asString(body['meetsOn-month']), year: asString(body['meetsOn-year']) }, errors });
    }
  });

  app.get<MeetingParams>('/panels/meetings/:meetingId', async (request, reply) => renderMeeting(request, reply));
  app.post<MeetingParams>('/panels/meetings/:meetingId/attendance', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await recordAttendance(request.ctx(), request.params.meetingId, asVersion(body.version), asArray(body.presentUserIds));
      request.session.flash = { type: 'success', text: 'Who was present has been recorded.' };
      return await reply.redirect(`/panels/meetings/${request.params.meetingId}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderMeeting(request, reply, { errors });
    }
  });
  app.post<MeetingParams>('/panels/meetings/:meetingId/cases', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await listCase(request.ctx(), request.params.meetingId, asString(body.caseId));
      request.session.flash = { type: 'success', text: 'The case has been added to the agenda.' };
      return await reply.redirect(`/panels/meetings/${request.params.meetingId}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderMeeting(request, reply, { errors });
    }
  });
  app.get<MeetingParams>('/panels/meetings/:meetingId/pack.pdf', async (request, reply) => {
    const model = await panelPack(request.ctx(), request.params.meetingId);
    const content = await renderPdf(model);
    return reply
      .type('application/pdf')
      .header('Content-Disposition', `attachment; filename="${model.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.pdf"`)
      .header('Cache-Control', 'no-store')
      .send(content);
  });

  app.get<CaseParams>('/panels/cases/:caseId', async (request, reply) => renderCase(request, reply));
  app.post<CaseParams>('/panels/cases/:caseId/decision', async (request, reply) => {
    const body = formBody(request.body);
    try {
      const decided = await decideCase(request.ctx(), request.params.caseId, asVersion(body.version), {
        decision: asString(body.decision) || undefined,
        localAuthorityPercent: asString(body.localAuthorityPercent),
        reasons: asString(body.reasons),
        conditions: asString(body.conditions),
      });
      const carried = decided.carriedInto;
      const next = carried?.newVersion ? ` Plan ${carried.planNumber} carries the decided split and is waiting for approval; the approved plan stays in place until then.` : '';
      request.session.flash = { type: 'success', text: `The panel’s decision has been recorded: ${decisionLabels[decided.decision!].toLowerCase()}.${next}` };
      return await reply.redirect(`/panels/cases/${request.params.caseId}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderCase(request, reply, body, errors);
    }
  });
}
