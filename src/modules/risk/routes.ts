/**
 * Risk pages and API (issue 15, item 4). Thin: each handler reads the form, calls risk.service.ts
 * and renders or redirects. POSTs under /people/:id/ are guarded (person:write) before the body is
 * read (src/modules/register/person-guard.ts); the service then checks the narrower permission
 * (risk:escalation:decide) before it reads the input. Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assessmentSections, riskLevelLabels, riskLevels } from '../../domain/risk.ts';
import { ConflictError, InputError } from '../../platform/errors/errors.ts';
import { asString, asVersion, dateFromParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { formFailure, personCaption, personCrumbs, type PagePerson } from '../../platform/http/person-pages.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import {
  assessmentForm,
  completeLearningReview,
  escalationPage,
  learningReviewForm,
  openAssessment,
  recordAssessment,
  recordOutcome,
  riskForApi,
  riskPage,
  updateRiskLevelSettings,
  type AssessmentInput,
} from './risk.service.ts';

const level = z.string().describe('low, medium or high');
const riskApiSchema = z
  .object({
    personId: z.string(),
    current: z
      .object({
        id: z.string(),
        level,
        assessedOn: z.string().describe('YYYY-MM-DD'),
        reviewOn: z.string().describe('YYYY-MM-DD'),
        reviewOverdue: z.boolean(),
        ...Object.fromEntries(assessmentSections.map((s) => [s.key, z.string().describe(s.label)])),
      })
      .nullable()
      .describe('The current assessment, or null if none has been recorded'),
    history: z.array(z.object({ id: z.string(), level, assessedOn: z.string(), reviewOn: z.string(), current: z.boolean(), assessedBy: z.string().nullable() })).describe('Every assessment, newest first'),
    escalations: z
      .array(
        z.object({
          id: z.string(),
          reason: z.string().describe('level-rose or significant-event'),
          fromLevel: level.nullable(),
          toLevel: level.nullable(),
          raisedAt: z.string(),
          status: z.string().describe('open or closed'),
          outcome: z.string().nullable(),
          outcomeAt: z.string().nullable(),
        }),
      )
      .describe('Escalations, open ones first'),
  })
  .describe('A person’s risk assessments and escalations');

const v = (name: string) => `modules/risk/views/${name}.njk`;

type Person = PagePerson;
const named = personCaption;
const crumbs = (p: Person, risk = true) => personCrumbs(p, risk ? { text: 'Risk', path: 'risk' } : null);

function inputFrom(body: FormBody): AssessmentInput {
  return {
    ...(Object.fromEntries(assessmentSections.map((s) => [s.key, asString(body[s.key])])) as Record<(typeof assessmentSections)[number]['key'], string>),
    level: asString(body.level),
    reviewOn: dateFromParts(body, 'reviewOn'),
  };
}

const failed = formFailure;

export function riskRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/people/:id/risk', async (request, reply) => {
    const page = await riskPage(request.ctx(), request.params.id);
    return reply.render(v('risk'), { title: `Risk: ${page.person.givenName} ${page.person.familyName}`, ...named(page.person), ...page, breadcrumbs: crumbs(page.person, false) });
  });

  const renderForm = async (reply: FastifyReply, personId: string, values: AssessmentInput | null, reviewOn: { day: string; month: string; year: string }, errors?: GovukErrors) => {
    const form = await assessmentForm(reply.request.ctx(), personId);
    return reply.render(v('assessment-form'), {
      title: 'Record a risk assessment',
      ...named(form.person),
      current: form.current,
      values: values ?? form.values,
      reviewOn,
      sections: assessmentSections,
      levelItems: riskLevels.map((l) => ({ value: l, text: riskLevelLabels[l], hint: { text: form.definitions[l] }, checked: (values ?? form.values).level === l })),
      errors,
      breadcrumbs: crumbs(form.person),
    });
  };

  app.get<{ Params: { id: string } }>('/people/:id/risk/new', async (request, reply) => renderForm(reply, request.params.id, null, { day: '', month: '', year: '' }));

  app.post<{ Params: { id: string } }>('/people/:id/risk/new', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    const values = inputFrom(body);
    const currentId = asString(body.currentId);
    try {
      const { assessment, escalation } = await recordAssessment(ctx, request.params.id, values, { currentId: currentId === '' ? null : currentId, version: asVersion(body.currentVersion) });
      request.session.flash = {
        type: 'success',
        text: escalation ? `The risk assessment has been saved. The level rose to ${riskLevelLabels[assessment.level as 'high'].toLowerCase()}, so the team managers have been told and an escalation is waiting for their decision.` : 'The risk assessment has been saved.',
      };
      return await reply.redirect(`/people/${request.params.id}/risk/assessments/${assessment.id}`);
    } catch (error) {
      const fieldIds: Record<string, string> = { level: 'level', reviewOn: 'reviewOn-day', ...Object.fromEntries(assessmentSections.map((s) => [s.key, s.key])) };
      const errors = failed(reply, error, fieldIds, () => 'Somebody else recorded a risk assessment for this person after you opened the form. Yours has not been saved: the form now shows theirs as the current one. Check it, then record yours again.');
      return renderForm(reply, request.params.id, values, { day: asString(body['reviewOn-day']), month: asString(body['reviewOn-month']), year: asString(body['reviewOn-year']) }, errors);
    }
  });

  app.get<{ Params: { id: string; assessmentId: string } }>('/people/:id/risk/assessments/:assessmentId', async (request, reply) => {
    const page = await openAssessment(request.ctx(), request.params.id, request.params.assessmentId);
    return reply.render(v('assessment'), { title: `Risk assessment of ${page.assessment.assessedOn}`, ...named(page.person), assessment: page.assessment, breadcrumbs: crumbs(page.person) });
  });

  const renderEscalation = async (reply: FastifyReply, personId: string, escalationId: string, extra: { values?: { outcome: string; detail: string }; errors?: GovukErrors } = {}) => {
    const page = await escalationPage(reply.request.ctx(), personId, escalationId);
    const values = extra.values ?? { outcome: '', detail: '' };
    return reply.render(v('escalation'), {
      title: `Risk escalation: ${page.escalation.reasonText}`,
      ...named(page.person),
      ...page,
      values,
      outcomeItems: page.outcomes.map((o) => ({ ...o, checked: o.value === values.outcome })),
      errors: extra.errors,
      breadcrumbs: crumbs(page.person),
    });
  };

  app.get<{ Params: { id: string; escalationId: string } }>('/people/:id/risk/escalations/:escalationId', async (request, reply) => renderEscalation(reply, request.params.id, request.params.escalationId));

  app.post<{ Params: { id: string; escalationId: string } }>('/people/:id/risk/escalations/:escalationId', async (request, reply) => {
    const { id, escalationId } = request.params;
    const body = formBody(request.body);
    const values = { outcome: asString(body.outcome), detail: asString(body.detail) };
    try {
      const { learningReviewPrompted } = await recordOutcome(request.ctx(), id, escalationId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: learningReviewPrompted ? 'The outcome has been recorded and the escalation closed. The crisis team was involved, so a learning review is now waiting for you.' : 'The outcome has been recorded and the escalation closed.' };
      return await reply.redirect(`/people/${id}/risk/escalations/${escalationId}`);
    } catch (error) {
      const errors = failed(reply, error, { outcome: 'outcome', detail: 'detail' }, (e) => (e.message.includes('recorded the outcome') ? `${e.message} Yours has not been saved.` : 'Somebody else changed this escalation after you opened it. Yours has not been saved: check it as it is now.'));
      return renderEscalation(reply, id, escalationId, { values, errors });
    }
  });

  const renderReview = async (reply: FastifyReply, personId: string, trigger: string, triggerId: string, extra: { values?: Record<string, string>; errors?: GovukErrors } = {}) => {
    const page = await learningReviewForm(reply.request.ctx(), personId, trigger, triggerId);
    return reply.render(v('learning-review-form'), {
      title: 'Complete a learning review',
      ...named(page.person),
      prompt: page.prompt,
      plan: page.plan,
      values: extra.values ?? { whatHappened: '', whatPlanSaid: '', whatChanges: '' },
      errors: extra.errors,
      breadcrumbs: crumbs(page.person),
    });
  };

  app.get<{ Params: { id: string }; Querystring: { trigger?: string; for?: string } }>('/people/:id/risk/learning-reviews/new', async (request, reply) =>
    renderReview(reply, request.params.id, request.query.trigger ?? '', request.query.for ?? ''),
  );

  app.post<{ Params: { id: string } }>('/people/:id/risk/learning-reviews/new', async (request, reply) => {
    const { id } = request.params;
    const body = formBody(request.body);
    const trigger = asString(body.trigger);
    const triggerId = asString(body.for);
    const values = { whatHappened: asString(body.whatHappened), whatPlanSaid: asString(body.whatPlanSaid), whatChanges: asString(body.whatChanges) };
    try {
      await completeLearningReview(request.ctx(), id, trigger, triggerId, values);
      request.session.flash = { type: 'success', text: 'The learning review has been saved.' };
      return await reply.redirect(`/people/${id}/risk#learning-reviews`);
    } catch (error) {
      // Somebody completed it first: the error page says so (409); nothing of this form was saved.
      if (error instanceof ConflictError) throw error;
      const errors = failed(reply, error, { whatHappened: 'whatHappened', whatPlanSaid: 'whatPlanSaid', whatChanges: 'whatChanges' }, (e) => e.message);
      return renderReview(reply, id, trigger, triggerId, { values, errors });
    }
  });

  // The partnership's level definitions: their own form on the settings page (lead administrators).
  app.post('/admin/plan-settings/risk-levels', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    const values = { low: asString(body.lowDefinition), medium: asString(body.mediumDefinition), high: asString(body.highDefinition) };
    try {
      await updateRiskLevelSettings(ctx, asVersion(body.riskLevelsVersion), values);
    } catch (error) {
      if (!(error instanceof InputError) && !(error instanceof ConflictError)) throw error;
      reply.status(error instanceof InputError ? 422 : 409);
      const errors =
        error instanceof InputError
          ? toGovukErrors(
              error.issues.map((i) => ({ ...i, path: `${i.path}Definition` })),
              { lowDefinition: 'lowDefinition', mediumDefinition: 'mediumDefinition', highDefinition: 'highDefinition' },
            )
          : { list: [{ text: 'Somebody else saved the risk level definitions after you opened this page. Yours have not been saved: check theirs, then save again.', href: '#risk-levels' }], fields: {} };
      return reply.render(v('risk-levels-page'), { title: 'Risk level definitions', values, errors, version: asVersion(body.riskLevelsVersion), breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Planning settings', href: '/admin/plan-settings' }] });
    }
    request.session.flash = { type: 'success', text: 'The risk level definitions have been saved.' };
    return reply.redirect('/admin/plan-settings#risk-levels');
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/people/:id/risk',
    {
      schema: {
        tags: ['people'],
        summary: 'The person’s risk assessment: the current one, the history in summary and the escalations',
        description: 'The current risk assessment (every section, the level, the review date and whether it is overdue), every earlier assessment in summary, newest first, and the escalations with their outcomes. The same access rules as the person’s record; the view is recorded in the audit trail.',
        params: z.object({ id: z.string() }),
        response: { 200: riskApiSchema, 401: problemSchema.describe('No valid API token or session'), 403: problemSchema.describe('No relationship with this person, or no permission'), 404: problemSchema.describe('No such person in the partnership') },
      },
    },
    async (request) => riskForApi(request.ctx(), request.params.id),
  );
}
