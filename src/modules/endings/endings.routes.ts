/**
 * Ending section 117 aftercare pages (issue 6). Thin: each handler reads the form, calls a use
 * case in endings.service.ts and renders or redirects. Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { endReasons } from '../../domain/rules/index.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { asArray, asBoolean, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { statusLabels } from '../register/index.ts';
import { decideEnding, getEnding, listEndings, proposeEnding, withdrawEnding, type EndingDetail } from './endings.service.ts';
import { endingStatusLabels, endingStatusTags, endReasonLabels } from './inputs.ts';

const v = (name: string) => `modules/endings/views/${name}.njk`;

const fieldIds: Record<string, string> = {
  kind: 'kind',
  effectiveOn: 'effectiveOn-day',
  reasonCodes: 'reasonCodes',
  reasons: 'reasons',
  personInvolved: 'personInvolved',
  personView: 'personView',
  otherCarePlan: 'otherCarePlan',
  messageToPerson: 'messageToPerson',
  decision: 'decision',
  reason: 'reason',
  body: 'body',
};

function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  return toGovukErrors(error.issues, fieldIds);
}

function formValues(body: FormBody) {
  return {
    kind: asString(body.kind) || 'ending',
    effectiveOn: dateFromParts(body, 'effectiveOn'),
    reasonCodes: asArray(body.reasonCodes),
    reasons: asString(body.reasons),
    personInvolved: asBoolean(body.personInvolved),
    personView: asString(body.personView),
    otherCarePlan: asString(body.otherCarePlan),
    messageToPerson: asString(body.messageToPerson),
    legalOverride: asArray(body.legalOverride).includes('yes'),
    legalOverrideNote: asString(body.legalOverrideNote),
  };
}
type FormValues = ReturnType<typeof formValues>;

function formChoices(values: Partial<FormValues>, raw: FormBody | null) {
  return {
    reasonItems: endReasons.map((r) => ({
      value: r,
      text: endReasonLabels[r],
      checked: (values.reasonCodes ?? []).includes(r),
      ...(r === 'no-longer-in-need' ? { hint: { text: 'The only reason that can end aftercare. The others cannot end it on their own.' } } : {}),
    })),
    involvedItems: [
      { value: 'yes', text: 'Yes', checked: values.personInvolved === true },
      { value: 'no', text: 'No', checked: values.personInvolved === false },
    ],
    date: raw ? { day: asString(raw['effectiveOn-day']), month: asString(raw['effectiveOn-month']), year: asString(raw['effectiveOn-year']) } : dateParts(values.effectiveOn || null),
  };
}

function personData(p: { id: string; givenName: string; familyName: string; nhsNumber: string; status: keyof typeof statusLabels }) {
  return { p, nhsNumber: formatNhsNumber(p.nhsNumber), personStatus: statusLabels[p.status] };
}

function detailData(detail: EndingDetail) {
  return {
    ...personData(detail.person),
    detail,
    proposal: detail.proposal,
    base: `/people/${detail.person.id}/endings/${detail.proposal.id}`,
    statusTag: { text: endingStatusLabels[detail.proposal.status], classes: endingStatusTags[detail.proposal.status] },
    reasonLabels: detail.proposal.reasonCodes.map((c) => endReasonLabels[c as keyof typeof endReasonLabels] ?? c),
    deciding: detail.bodies.filter((b) => b.canDecide),
    blocked: detail.bodies.filter((b) => b.blockedBecause),
    outcomeTags: { pass: { text: 'Passes', classes: 'govuk-tag--green' }, fail: { text: 'Fails', classes: 'govuk-tag--red' }, 'not-checked': { text: 'Not checked yet', classes: 'govuk-tag--grey' } },
  };
}

async function renderEnding(request: FastifyRequest, reply: FastifyReply, personId: string, endingId: string, extra: Record<string, unknown> = {}) {
  const detail = await getEnding(request.ctx(), personId, endingId);
  const title = detail.proposal.kind === 'reinstatement' ? 'Reinstating section 117 aftercare' : 'Ending section 117 aftercare';
  return reply.render(v('ending'), { title, ...detailData(detail), ...extra });
}

type EndingParams = { Params: { id: string; endingId: string } };

export function endingRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/people/:id/endings', async (request, reply) => {
    const overview = await listEndings(request.ctx(), request.params.id);
    return reply.render(v('endings'), { title: `Ending section 117 aftercare: ${overview.person.givenName} ${overview.person.familyName}`, ...personData(overview.person), ...overview, statusLabels: endingStatusLabels, statusTags: endingStatusTags });
  });

  app.get<{ Params: { id: string }; Querystring: { kind?: string } }>('/people/:id/endings/new', async (request, reply) => {
    const overview = await listEndings(request.ctx(), request.params.id);
    if (!overview.canWrite) return reply.callNotFound();
    const kind = request.query.kind === 'reinstatement' ? 'reinstatement' : 'ending';
    return reply.render(v('ending-form'), { title: kind === 'reinstatement' ? 'Propose reinstating section 117 aftercare' : 'Propose ending section 117 aftercare', ...personData(overview.person), overview, kind, values: {}, ...formChoices({}, null) });
  });

  app.post<{ Params: { id: string } }>('/people/:id/endings/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = formValues(body);
    try {
      const created = await proposeEnding(request.ctx(), request.params.id, { ...values, effectiveOn: values.effectiveOn || undefined });
      const what = created.kind === 'reinstatement' ? 'The proposal to reinstate aftercare' : 'The proposal to end aftercare';
      // A proposal the rules engine refuses is kept (everyone can see what stops it) but is no success.
      const failed = (created.checks as Array<{ outcome: string }>).filter((c) => c.outcome === 'fail').length;
      request.session.flash =
        failed === 0
          ? { type: 'success', text: `${what} has been saved.` }
          : { type: 'important', text: `${what} has been saved, but it cannot be approved: ${failed === 1 ? 'one check has' : `${failed} checks have`} failed. The checks below say what stops it.` };
      return await reply.redirect(`/people/${request.params.id}/endings/${created.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      const overview = await listEndings(request.ctx(), request.params.id);
      const kind = values.kind === 'reinstatement' ? 'reinstatement' : 'ending';
      reply.status(422);
      return reply.render(v('ending-form'), { title: kind === 'reinstatement' ? 'Propose reinstating section 117 aftercare' : 'Propose ending section 117 aftercare', ...personData(overview.person), overview, kind, values, ...formChoices(values, body), errors });
    }
  });

  app.get<EndingParams>('/people/:id/endings/:endingId', async (request, reply) => renderEnding(request, reply, request.params.id, request.params.endingId));

  app.post<EndingParams>('/people/:id/endings/:endingId/decide', async (request, reply) => {
    const body = formBody(request.body);
    const input = { decision: asString(body.decision) || undefined, body: asString(body.body) || undefined, reason: asString(body.reason) };
    try {
      const outcome = await decideEnding(request.ctx(), request.params.id, request.params.endingId, asVersion(body.version), input);
      const reinstatement = outcome.proposal.kind === 'reinstatement';
      request.session.flash = {
        type: 'success',
        text: outcome.recorded
          ? reinstatement
            ? 'Both bodies approved: the ending has been undone and their aftercare reinstated.'
            : 'Both bodies approved: the ending of their aftercare has been recorded and the letter produced.'
          : outcome.proposal.status === 'declined'
            ? 'The proposal has been declined.'
            : 'Your approval has been recorded. The other body must approve too.',
      };
      return await reply.redirect(`/people/${request.params.id}/endings/${request.params.endingId}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderEnding(request, reply, request.params.id, request.params.endingId, { errors, values: input });
    }
  });

  app.post<EndingParams>('/people/:id/endings/:endingId/withdraw', async (request, reply) => {
    const body = formBody(request.body);
    await withdrawEnding(request.ctx(), request.params.id, request.params.endingId, asVersion(body.version));
    request.session.flash = { type: 'success', text: 'The proposal has been withdrawn.' };
    return reply.redirect(`/people/${request.params.id}/endings/${request.params.endingId}`);
  });
}
