/**
 * Care Act pages and API (issue 16, item 7). Thin: each handler reads the form, calls
 * care-act.service.ts and renders or redirects. POSTs under /people/:id/ are guarded (person:write)
 * before the body is read (src/modules/register/person-guard.ts). Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { careOutcomes, unableWays, type CareOutcomeCode, type OutcomeAnswer, type UnableWay } from '../../domain/care-act.ts';
import { asArray, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { formFailure, personCaption, personCrumbs, type PagePerson } from '../../platform/http/person-pages.ts';
import type { GovukErrors } from '../../platform/http/validation.ts';
import { careActForApi, careActPage, financialForm, newAssessmentForm, openAssessment, recordFinancialAssessment, saveAssessment, type AssessmentInput } from './care-act.service.ts';

const v = (name: string) => `modules/care-act/views/${name}.njk`;

type Person = PagePerson;
const named = personCaption;
const crumbs = (p: Person, inside = true) => personCrumbs(p, inside ? { text: 'Care Act needs', path: 'care-act' } : null);

const yesNo = (value: string): boolean | null => (value === 'yes' ? true : value === 'no' ? false : null);
const asYesNo = (value: boolean | null) => (value === true ? 'yes' : value === false ? 'no' : '');

function inputFrom(body: FormBody): AssessmentInput {
  const outcomes: Partial<Record<CareOutcomeCode, OutcomeAnswer>> = {};
  for (const o of careOutcomes) {
    const answer = asString(body[`outcome-${o.code}`]);
    outcomes[o.code] = { unable: answer === 'unable' ? true : answer === 'able' ? false : null, ways: asArray(body[`ways-${o.code}`]) as UnableWay[], impact: asString(body[`impact-${o.code}`]) };
  }
  return {
    assessedOn: dateFromParts(body, 'assessedOn'),
    arisesFromImpairment: yesNo(asString(body.arisesFromImpairment)),
    significantImpact: yesNo(asString(body.significantImpact)),
    outcomes,
    personsView: asString(body.personsView),
  };
}

/** The form's questions, each outcome with its answer and "how". */
function formModel(values: AssessmentInput | null, errors?: GovukErrors) {
  return {
    outcomes: careOutcomes.map((o) => {
      const a = values?.outcomes[o.code];
      return {
        ...o,
        source: o.source.replace('reg', 'regulation'),
        answer: a?.unable === true ? 'unable' : a?.unable === false ? 'able' : '',
        impact: a?.impact ?? '',
        wayItems: unableWays.map((w) => ({ value: w.code, text: w.label, hint: { text: w.source.replace('reg', 'Regulation') }, checked: (a?.ways ?? []).includes(w.code) })),
        errorAnswer: errors?.fields[`outcome-${o.code}`],
        errorWays: errors?.fields[`ways-${o.code}`],
      };
    }),
    arisesFromImpairment: asYesNo(values?.arisesFromImpairment ?? null),
    significantImpact: asYesNo(values?.significantImpact ?? null),
    personsView: values?.personsView ?? '',
    assessedOn: dateParts(values?.assessedOn),
  };
}

const fieldIds: Record<string, string> = {
  assessedOn: 'assessedOn-day',
  arisesFromImpairment: 'arisesFromImpairment',
  significantImpact: 'significantImpact',
  personsView: 'personsView',
  ...Object.fromEntries(careOutcomes.flatMap((o) => [[`outcome-${o.code}`, `outcome-${o.code}`], [`ways-${o.code}`, `ways-${o.code}`]])),
};

const failed = (reply: FastifyReply, error: unknown, ids: Record<string, string>): GovukErrors => formFailure(reply, error, ids, (e) => `${e.message} Yours has not been saved: check the page as it is now.`);

const apiOutcome = z.object({ unable: z.boolean().nullable(), ways: z.array(z.string()).default([]), impact: z.string().default('') });
const apiAssessmentInput = z.object({
  assessedOn: z.string().describe('YYYY-MM-DD'),
  arisesFromImpairment: z.boolean().nullable().describe('Regulation 2(1)(a): the needs arise from or are related to a physical or mental impairment or illness'),
  significantImpact: z.boolean().nullable().describe('Regulation 2(1)(c): there is, or is likely to be, a significant impact on their well-being'),
  outcomes: z.record(z.string(), apiOutcome).describe(`By outcome code (${careOutcomes.map((o) => o.code).join(', ')}): whether they are unable to achieve it, how (${unableWays.map((w) => w.code).join(', ')}) and the impact`),
  personsView: z.string().default(''),
  complete: z.boolean().describe('true to complete it (every answer needed; the determination is worked out), false to save a draft'),
});
const apiAssessment = z.object({
  id: z.string(),
  status: z.string().describe('draft or completed'),
  assessedOn: z.string(),
  arisesFromImpairment: z.boolean().nullable(),
  significantImpact: z.boolean().nullable(),
  unableToAchieve: z.array(z.string()).describe('The outcomes they are unable to achieve'),
  eligible: z.boolean().nullable().describe('The determination (Care Act 2014 s13), null while a draft'),
  completedAt: z.string().nullable(),
});
const apiCareAct = z
  .object({
    personId: z.string(),
    assessments: z.array(apiAssessment).describe('Newest first'),
    financialAssessments: z
      .array(
        z.object({
          id: z.string(),
          planId: z.string(),
          assessedOn: z.string(),
          weeklyContributionPence: z.number().int(),
          charges: z.array(z.object({ serviceId: z.string(), service: z.string(), weeklyChargePence: z.number().int() })).describe('Never a section 117 service'),
          notChargedPence: z.number().int().describe('What the services’ costs could not absorb: not charged (Care Act 2014 s14(4))'),
        }),
      )
      .describe('Newest first'),
  })
  .describe('A person’s Care Act assessments and financial assessments (needs that are not section 117)');

export function careActRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/people/:id/care-act', async (request, reply) => {
    const page = await careActPage(request.ctx(), request.params.id);
    return reply.render(v('care-act'), { title: `Care Act needs: ${page.person.givenName} ${page.person.familyName}`, ...named(page.person), ...page, breadcrumbs: crumbs(page.person, false) });
  });

  const renderForm = async (reply: FastifyReply, personId: string, values: AssessmentInput | null, extra: { draft?: { id: string; version: number }; errors?: GovukErrors } = {}) => {
    const { person } = extra.draft ? await openAssessment(reply.request.ctx(), personId, extra.draft.id, true) : await newAssessmentForm(reply.request.ctx(), personId);
    return reply.render(v('assessment-form'), {
      title: extra.draft ? 'Continue the Care Act assessment' : 'Record a Care Act assessment',
      ...named(person),
      action: extra.draft ? `/people/${personId}/care-act/assessments/${extra.draft.id}` : `/people/${personId}/care-act/assessments/new`,
      draft: extra.draft ?? null,
      ...formModel(values, extra.errors),
      errors: extra.errors,
      breadcrumbs: crumbs(person),
    });
  };

  app.get<{ Params: { id: string } }>('/people/:id/care-act/assessments/new', async (request, reply) => renderForm(reply, request.params.id, null));

  const save = async (request: { params: { id: string }; body: unknown; session: { flash?: unknown } }, reply: FastifyReply, draft?: { id: string; version: number }) => {
    const body = formBody(request.body);
    const values = inputFrom(body);
    const complete = asString(body.action) === 'complete';
    try {
      const { assessment, determination } = await saveAssessment(reply.request.ctx(), request.params.id, values, { complete, ...(draft ? { draft } : {}) });
      request.session.flash = {
        type: 'success',
        text: determination ? `The assessment has been completed: ${determination.eligible ? 'their needs meet the eligibility criteria' : 'their needs do not meet the eligibility criteria'}.` : 'The assessment has been saved as a draft. You can finish it later.',
      };
      return await reply.redirect(`/people/${request.params.id}/care-act/assessments/${assessment.id}`);
    } catch (error) {
      const errors = failed(reply, error, fieldIds);
      return renderForm(reply, request.params.id, values, { ...(draft ? { draft } : {}), errors });
    }
  };

  app.post<{ Params: { id: string } }>('/people/:id/care-act/assessments/new', async (request, reply) => save(request, reply));

  app.get<{ Params: { id: string; assessmentId: string } }>('/people/:id/care-act/assessments/:assessmentId', async (request, reply) => {
    const page = await openAssessment(request.ctx(), request.params.id, request.params.assessmentId);
    if (page.assessment.status === 'draft' && page.mayWrite) return renderForm(reply, request.params.id, page.assessment.answers, { draft: { id: page.assessment.id, version: page.assessment.version } });
    return reply.render(v('assessment'), { title: `Care Act assessment of ${page.assessment.assessedOn}`, ...named(page.person), assessment: page.assessment, breadcrumbs: crumbs(page.person) });
  });

  app.post<{ Params: { id: string; assessmentId: string } }>('/people/:id/care-act/assessments/:assessmentId', async (request, reply) =>
    save(request, reply, { id: request.params.assessmentId, version: asVersion(formBody(request.body).version) }),
  );

  const renderFinancial = async (reply: FastifyReply, personId: string, values: { lines: string[]; weeklyContribution: string; assessedOn: { day: string; month: string; year: string } }, errors?: GovukErrors) => {
    const form = await financialForm(reply.request.ctx(), personId);
    return reply.render(v('financial-form'), {
      title: 'Record a financial assessment',
      ...named(form.person),
      plan: form.plan,
      lineItems: form.lines.filter((l) => !l.s117).map((l) => ({ value: l.id, text: l.label, hint: { text: `${l.weeklyCost} a week` }, checked: values.lines.includes(l.id) })),
      freeLines: form.lines.filter((l) => l.s117),
      values,
      errors,
      breadcrumbs: crumbs(form.person),
    });
  };

  app.get<{ Params: { id: string } }>('/people/:id/care-act/financial/new', async (request, reply) => renderFinancial(reply, request.params.id, { lines: [], weeklyContribution: '', assessedOn: { day: '', month: '', year: '' } }));

  app.post<{ Params: { id: string } }>('/people/:id/care-act/financial/new', async (request, reply) => {
    const { id } = request.params;
    const body = formBody(request.body);
    const input = { planId: asString(body.planId), lineIds: asArray(body.lines), weeklyContribution: asString(body.weeklyContribution), assessedOn: dateFromParts(body, 'assessedOn') };
    try {
      await recordFinancialAssessment(request.ctx(), id, input);
      request.session.flash = { type: 'success', text: 'The financial assessment has been recorded. Section 117 services stay free.' };
      return await reply.redirect(`/people/${id}/care-act#financial`);
    } catch (error) {
      const errors = failed(reply, error, { weeklyContribution: 'weeklyContribution', assessedOn: 'assessedOn-day', lines: 'lines' });
      return renderFinancial(reply, id, { lines: input.lineIds, weeklyContribution: input.weeklyContribution, assessedOn: { day: asString(body['assessedOn-day']), month: asString(body['assessedOn-month']), year: asString(body['assessedOn-year']) } }, errors);
    }
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/people/:id/care-act',
    {
      schema: {
        tags: ['people'],
        summary: 'The person’s Care Act assessments and financial assessments',
        description: 'Needs that are not section 117: each Care Act assessment (Care and Support (Eligibility Criteria) Regulations 2015, reg 2) with its determination, and each financial assessment (Care Act 2014 s17) with the charge it puts on each service, which is never a section 117 service. The same access rules as the person’s record; the view is recorded in the audit trail.',
        params: z.object({ id: z.string() }),
        response: { 200: apiCareAct, 401: problemSchema.describe('No valid API token or session'), 403: problemSchema.describe('No relationship with this person, or no permission'), 404: problemSchema.describe('No such person in the partnership') },
      },
    },
    async (request) => careActForApi(request.ctx(), request.params.id),
  );

  typed.post(
    '/api/v1/people/:id/care-act/assessments',
    {
      schema: {
        tags: ['people'],
        summary: 'Record a Care Act assessment (a draft, or completed with its determination)',
        description: 'Completing needs every outcome answered, how for each one they are unable to achieve, and both conditions of regulation 2(1); each missing answer is named in the problem. The determination is worked out, never sent.',
        params: z.object({ id: z.string() }),
        body: apiAssessmentInput,
        response: { 201: z.object({ id: z.string(), status: z.string(), eligible: z.boolean().nullable() }), 401: problemSchema, 403: problemSchema, 404: problemSchema, 422: problemSchema.describe('A missing or wrong answer: nothing was saved') },
      },
      // The guard answers 403/404 before the body is read; the body is checked below.
      attachValidation: true,
    },
    async (request, reply) => {
      const { complete, ...rest } = parseApiInput(apiAssessmentInput, request.body);
      const { assessment } = await saveAssessment(request.ctx(), request.params.id, { ...rest, outcomes: rest.outcomes }, { complete });
      return reply.status(201).send({ id: assessment.id, status: assessment.status, eligible: assessment.eligible });
    },
  );
}
