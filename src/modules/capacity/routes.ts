/**
 * Mental capacity and best-interests pages (issue 16, items 2 and 3). Thin: each handler reads the
 * form, calls capacity.service.ts and renders or redirects. POSTs under /people/:id/ are guarded
 * (person:write) before the body is read (src/modules/register/person-guard.ts). Every flow works
 * without JavaScript.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { attachmentKindLabels, bestInterestsKindLabels, bestInterestsKinds, decisionTopicLabels, decisionTopics, executiveFunctioningHint, functionalAbilities, principles } from '../../domain/mental-capacity.ts';
import { ConflictError, InputError } from '../../platform/errors/errors.ts';
import { asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { formFailure, personCaption, personCrumbs, type PagePerson } from '../../platform/http/person-pages.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import {
  assessmentForm,
  bestInterestsForm,
  capacityPage,
  createAssessment,
  emptyBestInterestsInput,
  openAssessment,
  openBestInterests,
  recordBestInterests,
  recordImcaReport,
  updateAssessment,
  updateCapacitySettingsFor,
  type AssessmentInput,
  type BestInterestsInput,
} from './capacity.service.ts';

const v = (name: string) => `modules/capacity/views/${name}.njk`;

type Person = PagePerson;
const named = personCaption;
const crumbs = (p: Person, capacity = true) => personCrumbs(p, capacity ? { text: 'Mental capacity', path: 'capacity' } : null);

const textFields = ['topic', 'decision', 'assessedTime', 'relevantInformation', 'practicableSteps', 'impairment', 'impairmentDetail', 'causalLink', 'causalLinkEvidence', 'understand', 'understandEvidence', 'retain', 'retainEvidence', 'useOrWeigh', 'useOrWeighEvidence', 'communicate', 'communicateEvidence', 'executiveFunctioning', 'attached'] as const;

function assessmentInputFrom(body: FormBody): AssessmentInput {
  return { ...(Object.fromEntries(textFields.map((f) => [f, asString(body[f])])) as Omit<AssessmentInput, 'assessedOn'>), assessedOn: dateFromParts(body, 'assessedOn') };
}

const assessmentFieldIds: Record<string, string> = { ...Object.fromEntries(textFields.map((f) => [f, f])), assessedOn: 'assessedOn-day' };

const failed = formFailure;

const bestInterestsFields = ['assessmentId', 'kind', 'convenedBy', 'chairedBy', 'personWishes', 'beliefsValues', 'consulted', 'noOneToConsult', 'optionsConsidered', 'leastRestrictive', 'decision', 'reasons', 'imcaService', 'imcaAdvocate'] as const;

function bestInterestsInputFrom(body: FormBody): BestInterestsInput {
  return {
    ...emptyBestInterestsInput,
    ...(Object.fromEntries(bestInterestsFields.map((f) => [f, asString(body[f])])) as Partial<BestInterestsInput>),
    decidedOn: dateFromParts(body, 'decidedOn'),
    imcaInstructedOn: dateFromParts(body, 'imcaInstructedOn'),
  };
}

export function capacityRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/people/:id/capacity', async (request, reply) => {
    const page = await capacityPage(request.ctx(), request.params.id);
    return reply.render(v('capacity'), { title: `Mental capacity: ${page.person.givenName} ${page.person.familyName}`, ...named(page.person), ...page, principles, breadcrumbs: crumbs(page.person, false) });
  });

  const renderForm = async (reply: FastifyReply, personId: string, assessmentId: string | null, posted: { values: AssessmentInput; body: FormBody } | null, errors?: GovukErrors) => {
    const form = await assessmentForm(reply.request.ctx(), personId, assessmentId);
    const values = posted?.values ?? form.values;
    const assessedOn = posted ? { day: asString(posted.body['assessedOn-day']), month: asString(posted.body['assessedOn-month']), year: asString(posted.body['assessedOn-year']) } : dateParts(form.values.assessedOn);
    const attachItems = [
      { value: '', text: 'Nothing: the assessment stands on its own', selected: values.attached === '' },
      { value: 'move', text: attachmentKindLabels.move, selected: values.attached === 'move' },
      ...form.attachable.map((o) => ({ value: `${o.kind}:${o.id}`, text: `${attachmentKindLabels[o.kind]}: ${o.label}`, selected: values.attached === `${o.kind}:${o.id}` })),
    ];
    return reply.render(v('assessment-form'), {
      title: form.draft ? 'Carry on with a capacity assessment' : 'Record a capacity assessment',
      ...named(form.person),
      draft: form.draft,
      action: form.draft ? `/people/${personId}/capacity/assessments/${form.draft.id}/edit` : `/people/${personId}/capacity/new`,
      values,
      assessedOn,
      principles,
      abilities: functionalAbilities,
      executiveFunctioningHint,
      topicItems: [{ value: '', text: 'Choose' }, ...decisionTopics.map((t) => ({ value: t, text: decisionTopicLabels[t], selected: values.topic === t }))],
      attachItems,
      errors,
      breadcrumbs: crumbs(form.person),
    });
  };

  const save = async (reply: FastifyReply, personId: string, assessmentId: string | null) => {
    const request = reply.request;
    const body = formBody(request.body);
    const values = assessmentInputFrom(body);
    const complete = asString(body.action) === 'complete';
    try {
      const saved = assessmentId ? await updateAssessment(request.ctx(), personId, assessmentId, asVersion(body.version), values, complete) : await createAssessment(request.ctx(), personId, values, complete);
      request.session.flash = { type: 'success', text: complete ? 'The capacity assessment has been completed.' : 'The capacity assessment has been saved as a draft. It can be completed once every part is answered.' };
      return await reply.redirect(`/people/${personId}/capacity/assessments/${saved.id}`);
    } catch (error) {
      // A completed assessment is never changed: the error page says so (409); nothing was saved.
      if (error instanceof ConflictError && error.message.includes('completed')) throw error;
      const errors = failed(reply, error, assessmentFieldIds, () => 'Somebody else saved this draft after you opened it. Yours has not been saved: the form now shows theirs. Check it, then save again.');
      // After a conflict the form shows the draft as it is now; after bad input, what was sent.
      return renderForm(reply, personId, assessmentId, reply.statusCode === 409 ? null : { values, body }, errors);
    }
  };

  app.get<{ Params: { id: string } }>('/people/:id/capacity/new', async (request, reply) => renderForm(reply, request.params.id, null, null));
  app.post<{ Params: { id: string } }>('/people/:id/capacity/new', async (request, reply) => save(reply, request.params.id, null));
  app.get<{ Params: { id: string; assessmentId: string } }>('/people/:id/capacity/assessments/:assessmentId/edit', async (request, reply) => renderForm(reply, request.params.id, request.params.assessmentId, null));
  app.post<{ Params: { id: string; assessmentId: string } }>('/people/:id/capacity/assessments/:assessmentId/edit', async (request, reply) => save(reply, request.params.id, request.params.assessmentId));

  app.get<{ Params: { id: string; assessmentId: string } }>('/people/:id/capacity/assessments/:assessmentId', async (request, reply) => {
    const page = await openAssessment(request.ctx(), request.params.id, request.params.assessmentId);
    const a = page.assessment;
    return reply.render(v('assessment'), { title: a.draft ? 'Capacity assessment (draft)' : `Capacity assessment${a.assessedAt ? ` of ${a.assessedAt}` : ''}`, ...named(page.person), ...page, principles, breadcrumbs: crumbs(page.person) });
  });

  const renderBestInterests = async (reply: FastifyReply, personId: string, values: BestInterestsInput, body: FormBody | null, errors?: GovukErrors) => {
    const form = await bestInterestsForm(reply.request.ctx(), personId);
    const parts = (name: string) => (body ? { day: asString(body[`${name}-day`]), month: asString(body[`${name}-month`]), year: asString(body[`${name}-year`]) } : { day: '', month: '', year: '' });
    return reply.render(v('best-interests-form'), {
      title: 'Record a best-interests decision',
      ...named(form.person),
      values,
      decidedOn: parts('decidedOn'),
      imcaInstructedOn: parts('imcaInstructedOn'),
      assessmentItems: form.assessments.map((a) => ({ value: a.id, text: `${a.decision} (${a.outcomeLabel?.toLowerCase()}, assessed ${a.assessedAt})`, checked: values.assessmentId === a.id })),
      kindItems: bestInterestsKinds.map((k) => ({ value: k, text: bestInterestsKindLabels[k], checked: values.kind === k })),
      errors,
      breadcrumbs: crumbs(form.person),
    });
  };

  app.get<{ Params: { id: string }; Querystring: { assessment?: string } }>('/people/:id/capacity/best-interests/new', async (request, reply) =>
    renderBestInterests(reply, request.params.id, { ...emptyBestInterestsInput, assessmentId: request.query.assessment ?? '' }, null),
  );

  app.post<{ Params: { id: string } }>('/people/:id/capacity/best-interests/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = bestInterestsInputFrom(body);
    try {
      const saved = await recordBestInterests(request.ctx(), request.params.id, values);
      request.session.flash = { type: 'success', text: values.noOneToConsult === 'yes' ? 'The best-interests decision and the IMCA instruction have been saved. Record the IMCA’s report when it arrives.' : 'The best-interests decision has been saved.' };
      return await reply.redirect(`/people/${request.params.id}/capacity/best-interests/${saved.id}`);
    } catch (error) {
      const ids: Record<string, string> = { ...Object.fromEntries(bestInterestsFields.map((f) => [f, f])), decidedOn: 'decidedOn-day', imcaInstructedOn: 'imcaInstructedOn-day' };
      const errors = failed(reply, error, ids, (e) => e.message);
      return renderBestInterests(reply, request.params.id, values, body, errors);
    }
  });

  const renderDecision = async (reply: FastifyReply, personId: string, id: string, extra: { report?: { instructionId: string; receivedOn: { day: string; month: string; year: string }; summary: string }; errors?: GovukErrors } = {}) => {
    const page = await openBestInterests(reply.request.ctx(), personId, id);
    return reply.render(v('best-interests'), { title: page.decision.kindLabel, ...named(page.person), ...page, report: extra.report ?? null, errors: extra.errors, breadcrumbs: crumbs(page.person) });
  };

  app.get<{ Params: { id: string; bestInterestsId: string } }>('/people/:id/capacity/best-interests/:bestInterestsId', async (request, reply) => renderDecision(reply, request.params.id, request.params.bestInterestsId));

  app.post<{ Params: { id: string; instructionId: string } }>('/people/:id/capacity/imca/:instructionId/report', async (request, reply) => {
    const { id, instructionId } = request.params;
    const body = formBody(request.body);
    const bestInterestsId = asString(body.bestInterestsId);
    const input = { receivedOn: dateFromParts(body, 'receivedOn'), summary: asString(body.summary) };
    try {
      await recordImcaReport(request.ctx(), id, instructionId, asVersion(body.version), input);
      request.session.flash = { type: 'success', text: 'The IMCA’s report has been recorded.' };
      return await reply.redirect(bestInterestsId ? `/people/${id}/capacity/best-interests/${bestInterestsId}#imca-${instructionId}` : `/people/${id}/capacity`);
    } catch (error) {
      const errors = failed(reply, error, { receivedOn: `receivedOn-${instructionId}-day`, summary: `summary-${instructionId}` }, (e) => e.message);
      if (!bestInterestsId) throw error;
      return renderDecision(reply, id, bestInterestsId, { report: { instructionId, receivedOn: { day: asString(body['receivedOn-day']), month: asString(body['receivedOn-month']), year: asString(body['receivedOn-year']) }, summary: input.summary }, errors });
    }
  });

  // The days allowed for an IMCA's report: its own form on the settings page (lead administrators).
  app.post('/admin/plan-settings/capacity', async (request, reply) => {
    const body = formBody(request.body);
    const values = { imcaReportDays: asString(body.imcaReportDays) };
    try {
      await updateCapacitySettingsFor(request.ctx(), asVersion(body.capacityVersion), values);
    } catch (error) {
      if (!(error instanceof InputError) && !(error instanceof ConflictError)) throw error;
      reply.status(error instanceof InputError ? 422 : 409);
      const errors = error instanceof InputError ? toGovukErrors(error.issues, { imcaReportDays: 'imcaReportDays' }) : { list: [{ text: 'Somebody else saved this setting after you opened the page. Yours has not been saved: check theirs, then save again.', href: '#capacity-settings' }], fields: {} };
      return reply.render(v('settings-page'), { title: 'IMCA reports', capacitySettings: { ...values, version: asVersion(body.capacityVersion) }, errors, breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Planning settings', href: '/admin/plan-settings' }] });
    }
    request.session.flash = { type: 'success', text: 'The days allowed for an IMCA’s report have been saved.' };
    return reply.redirect('/admin/plan-settings#capacity-settings');
  });
}
