/**
 * Safeguarding pages and API (issue 16, item 1). Thin: each handler reads the form, calls
 * safeguarding.service.ts and renders or redirects. POSTs under /people/:id/ are guarded
 * (person:write) before the body is read (src/modules/register/person-guard.ts); the service then
 * checks the narrower permission (safeguarding:decide through the responsible local authority, or
 * the enquiry's lead) before it reads the input. Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordExport } from '../../platform/audit/record-export.ts';
import { can, restrictedNoteRoleChoices } from '../../platform/access/policy.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { ConflictError, ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { tableCsv } from '../../platform/exports/table.ts';
import { asArray, asString, asVersion, dateFromParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { formFailure, personCaption, personCrumbs, type PagePerson } from '../../platform/http/person-pages.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import {
  addEnquiryRecord,
  concernForApi,
  concernForm,
  concernPage,
  concludeEnquiry,
  linksForm,
  raiseConcern,
  raiseConcernFromApi,
  recordDecision,
  recordProtectionMeeting,
  safeguardingCollection,
  safeguardingForApi,
  safeguardingPage,
  updateLinks,
  updateProtectionPlan,
  updateSafeguardingSettings,
  type ConcernInput,
  type DecisionInput,
  type LinksInput,
} from './safeguarding.service.ts';

const v = (name: string) => `modules/safeguarding/views/${name}.njk`;

type Person = PagePerson;
const named = personCaption;
const crumbs = (p: Person, section = true) => personCrumbs(p, section ? { text: 'Safeguarding', path: 'safeguarding' } : null);
const parts = (body: FormBody, name: string) => ({ day: asString(body[`${name}-day`]), month: asString(body[`${name}-month`]), year: asString(body[`${name}-year`]) });
const noDate = { day: '', month: '', year: '' };

const failed = formFailure;

function concernInput(body: FormBody): ConcernInput {
  return {
    categories: asArray(body.categories),
    reportedBy: asString(body.reportedBy),
    riskSource: asString(body.riskSource),
    location: asString(body.location),
    raisedOn: dateFromParts(body, 'raisedOn'),
    concern: asString(body.concern),
    personAsked: asString(body.personAsked),
    personsViews: asString(body.personsViews),
    desiredOutcomes: asString(body.desiredOutcomes),
  };
}

const concernApiSchema = z.object({
  id: z.string(),
  status: z.string().describe('awaiting-decision, enquiry or closed'),
  raisedOn: z.string().describe('YYYY-MM-DD'),
  raisedBy: z.string(),
  categories: z.array(z.string()).describe('Care and Support Statutory Guidance para 14.17: physical, domestic, sexual, psychological, financial, modern-slavery, discriminatory, organisational, neglect, self-neglect'),
  reportedBy: z.string(),
  riskSource: z.string().describe('service-provider, known-to-individual or unknown-to-individual (SAC source of risk)'),
  location: z.string().describe('SAC location of risk, e.g. own-home, community, care-home-nursing, hospital-mental-health'),
  concern: z.string(),
  personAsked: z.boolean().describe('Making Safeguarding Personal: the person was asked what they want to happen'),
  personsViews: z.string(),
  desiredOutcomes: z.string(),
  decisionDueOn: z.string().describe('YYYY-MM-DD: the partnership’s timescale in working days from the day raised'),
  decisionOverdue: z.boolean(),
  decision: z.string().nullable().describe('met or not-met (Care Act 2014, s42(1)); null while waiting'),
  decisionReason: z.string().nullable(),
  decidedOn: z.string().nullable(),
  enquiryLead: z.string().nullable(),
  enquiryStartedOn: z.string().nullable(),
  protectionPlan: z.string().nullable(),
  protectionPlanReviewOn: z.string().nullable(),
  outcome: z.string().nullable().describe('removed, reduced or remains'),
  outcomesAchieved: z.string().nullable().describe('fully, partially or not-achieved'),
  concludedOn: z.string().nullable(),
  links: z
    .array(z.object({ kind: z.string().describe('note, risk-assessment or plan'), id: z.string(), title: z.string().describe('The item in plain English, by its date'), href: z.string().describe('Its page') }))
    .describe('The person’s case notes, risk assessments and aftercare plans this concern is linked to, those the caller may see'),
});

const oneConcernApiSchema = concernApiSchema.extend({
  enquiryRecords: z.array(z.object({ kind: z.string().describe('strategy-discussion, strategy-meeting or action'), heldOn: z.string(), who: z.string(), detail: z.string(), dueOn: z.string().nullable() })),
});

const newConcernSchema = z
  .strictObject({
    categories: z.array(z.string(), { error: 'categories must be a list of codes' }),
    reportedBy: z.string({ error: 'reportedBy must be text' }),
    riskSource: z.string({ error: 'riskSource must be text' }),
    location: z.string({ error: 'location must be text' }),
    raisedOn: z.string({ error: 'raisedOn must be a date, YYYY-MM-DD' }),
    concern: z.string({ error: 'concern must be text' }),
    personAsked: z.boolean({ error: 'personAsked must be true or false' }),
    personsViews: z.string({ error: 'personsViews must be text' }),
    desiredOutcomes: z.string({ error: 'desiredOutcomes must be text' }).optional(),
  })
  .describe('A safeguarding concern to raise');

const errorsFor = { 401: problemSchema.describe('No valid API token or session'), 403: problemSchema.describe('No relationship with this person, or no permission'), 404: problemSchema.describe('No such person (or concern the caller may see) in the partnership') };

export function safeguardingRoutes(app: FastifyInstance): void {
  const renderPage = async (reply: FastifyReply, personId: string, extra: { meetingValues?: { kind: string; outcome: string; heldOn: typeof noDate; nextOn: typeof noDate }; errors?: GovukErrors } = {}) => {
    const page = await safeguardingPage(reply.request.ctx(), personId);
    const meetingValues = extra.meetingValues ?? { kind: '', outcome: '', heldOn: noDate, nextOn: noDate };
    return reply.render(v('safeguarding'), {
      title: `Safeguarding: ${page.person.givenName} ${page.person.familyName}`,
      ...named(page.person),
      ...page,
      meetingValues,
      meetingItems: page.meetingKinds.map((k) => ({ ...k, checked: k.value === meetingValues.kind })),
      errors: extra.errors,
      breadcrumbs: crumbs(page.person, false),
    });
  };

  app.get<{ Params: { id: string } }>('/people/:id/safeguarding', async (request, reply) => renderPage(reply, request.params.id));

  const renderForm = async (reply: FastifyReply, personId: string, values: ConcernInput, raisedOn: typeof noDate, errors?: GovukErrors) => {
    const form = await concernForm(reply.request.ctx(), personId);
    return reply.render(v('concern-form'), {
      title: 'Raise a safeguarding concern',
      ...named(form.person),
      values,
      raisedOn,
      categoryItems: form.categories.map((c) => ({ ...c, checked: values.categories.includes(c.value) })),
      riskSourceItems: form.riskSources.map((s) => ({ ...s, checked: values.riskSource === s.value })),
      locationItems: [{ value: '', text: 'Choose where' }, ...form.locations.map((l) => ({ ...l, selected: values.location === l.value }))],
      errors,
      breadcrumbs: crumbs(form.person),
    });
  };

  app.get<{ Params: { id: string } }>('/people/:id/safeguarding/new', async (request, reply) =>
    renderForm(reply, request.params.id, { categories: [], reportedBy: '', riskSource: '', location: '', raisedOn: '', concern: '', personAsked: '', personsViews: '', desiredOutcomes: '' }, noDate),
  );

  app.post<{ Params: { id: string } }>('/people/:id/safeguarding/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = concernInput(body);
    try {
      const created = await raiseConcern(request.ctx(), request.params.id, values);
      request.session.flash = { type: 'success', text: 'The safeguarding concern has been raised. The local authority’s team managers and senior practitioners have been told and the decision is waiting for them.' };
      return await reply.redirect(`/people/${request.params.id}/safeguarding/concerns/${created.id}`);
    } catch (error) {
      const errors = failed(reply, error, { categories: 'categories', riskSource: 'riskSource', location: 'location', raisedOn: 'raisedOn-day', personAsked: 'personAsked' }, (e) => e.message);
      return renderForm(reply, request.params.id, values, parts(body, 'raisedOn'), errors);
    }
  });

  type ConcernExtras = {
    decisionValues?: Partial<DecisionInput>;
    recordValues?: { kind: string; who: string; detail: string; heldOn: typeof noDate; dueOn: typeof noDate };
    planValues?: { plan: string; reviewOn: typeof noDate };
    outcomeValues?: { outcome: string; outcomesAchieved: string; detail: string };
    errors?: GovukErrors;
  };

  const renderConcern = async (reply: FastifyReply, personId: string, concernId: string, extra: ConcernExtras = {}) => {
    const page = await concernPage(reply.request.ctx(), personId, concernId);
    const decisionValues = extra.decisionValues ?? {};
    const recordValues = extra.recordValues ?? { kind: '', who: '', detail: '', heldOn: noDate, dueOn: noDate };
    const outcomeValues = extra.outcomeValues ?? { outcome: '', outcomesAchieved: '', detail: '' };
    return reply.render(v('concern'), {
      title: 'Safeguarding concern',
      ...named(page.person),
      ...page,
      decisionValues,
      decisionItems: page.decisionItems.map((d) => ({ ...d, checked: d.value === decisionValues.decision })),
      leadItems: [{ value: '', text: 'Choose who leads' }, ...page.leads.map((l) => ({ value: l.id, text: l.name, selected: l.id === decisionValues.leadId }))],
      recordValues,
      recordKindItems: page.recordKinds.map((k) => ({ ...k, checked: k.value === recordValues.kind })),
      planValues: extra.planValues ?? { plan: page.concern.protectionPlan ?? '', reviewOn: noDate },
      outcomeValues,
      outcomeItems: page.outcomeItems.map((o) => ({ ...o, checked: o.value === outcomeValues.outcome })),
      achievedItems: page.achievedItems.map((o) => ({ ...o, checked: o.value === outcomeValues.outcomesAchieved })),
      errors: extra.errors,
      breadcrumbs: crumbs(page.person),
    });
  };

  app.get<{ Params: { id: string; concernId: string } }>('/people/:id/safeguarding/concerns/:concernId', async (request, reply) => renderConcern(reply, request.params.id, request.params.concernId));

  const stale = 'Somebody else changed this concern after you opened it. Yours has not been saved: check it as it is now.';

  app.post<{ Params: { id: string; concernId: string } }>('/people/:id/safeguarding/concerns/:concernId/decision', async (request, reply) => {
    const { id, concernId } = request.params;
    const body = formBody(request.body);
    const values: DecisionInput = {
      needsCareAndSupport: asString(body.needsCareAndSupport),
      experiencingAbuse: asString(body.experiencingAbuse),
      unableToProtect: asString(body.unableToProtect),
      decision: asString(body.decision),
      reason: asString(body.reason),
      leadId: asString(body.leadId),
    };
    try {
      const after = await recordDecision(request.ctx(), id, concernId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: after.decision === 'met' ? 'The decision has been recorded: the criteria are met and the enquiry has started. Its lead has been told.' : 'The decision has been recorded: the criteria are not met, so the concern is closed.' };
      return await reply.redirect(`/people/${id}/safeguarding/concerns/${concernId}`);
    } catch (error) {
      const errors = failed(reply, error, { needsCareAndSupport: 'needsCareAndSupport', experiencingAbuse: 'experiencingAbuse', unableToProtect: 'unableToProtect', decision: 'decision', reason: 'reason', leadId: 'leadId' }, (e) => (e.message.includes('recorded the decision') ? `${e.message} Yours has not been saved.` : stale));
      return renderConcern(reply, id, concernId, { decisionValues: values, errors });
    }
  });

  app.post<{ Params: { id: string; concernId: string } }>('/people/:id/safeguarding/concerns/:concernId/records', async (request, reply) => {
    const { id, concernId } = request.params;
    const body = formBody(request.body);
    const input = { kind: asString(body.kind), heldOn: dateFromParts(body, 'heldOn'), who: asString(body.who), detail: asString(body.detail), dueOn: dateFromParts(body, 'dueOn') };
    try {
      await addEnquiryRecord(request.ctx(), id, concernId, input);
      request.session.flash = { type: 'success', text: 'It has been added to the enquiry.' };
      return await reply.redirect(`/people/${id}/safeguarding/concerns/${concernId}#enquiry`);
    } catch (error) {
      const errors = failed(reply, error, { kind: 'kind', heldOn: 'heldOn-day', who: 'who', detail: 'detail', dueOn: 'dueOn-day' }, (e) => e.message);
      return renderConcern(reply, id, concernId, { recordValues: { kind: input.kind, who: input.who, detail: input.detail, heldOn: parts(body, 'heldOn'), dueOn: parts(body, 'dueOn') }, errors });
    }
  });

  app.post<{ Params: { id: string; concernId: string } }>('/people/:id/safeguarding/concerns/:concernId/plan', async (request, reply) => {
    const { id, concernId } = request.params;
    const body = formBody(request.body);
    const input = { plan: asString(body.plan), reviewOn: dateFromParts(body, 'reviewOn') };
    try {
      await updateProtectionPlan(request.ctx(), id, concernId, asVersion(body.version), input);
      request.session.flash = { type: 'success', text: 'The protection plan has been saved.' };
      return await reply.redirect(`/people/${id}/safeguarding/concerns/${concernId}#protection-plan`);
    } catch (error) {
      const errors = failed(reply, error, { plan: 'plan', reviewOn: 'reviewOn-day' }, (e) => (e.message.includes('closed') || e.message.includes('no enquiry') ? e.message : stale));
      return renderConcern(reply, id, concernId, { planValues: { plan: input.plan, reviewOn: parts(body, 'reviewOn') }, errors });
    }
  });

  app.post<{ Params: { id: string; concernId: string } }>('/people/:id/safeguarding/concerns/:concernId/outcome', async (request, reply) => {
    const { id, concernId } = request.params;
    const body = formBody(request.body);
    const input = { outcome: asString(body.outcome), outcomesAchieved: asString(body.outcomesAchieved), detail: asString(body.detail) };
    try {
      await concludeEnquiry(request.ctx(), id, concernId, asVersion(body.version), input);
      request.session.flash = { type: 'success', text: 'The enquiry has been concluded and the concern closed.' };
      return await reply.redirect(`/people/${id}/safeguarding/concerns/${concernId}`);
    } catch (error) {
      const errors = failed(reply, error, { outcome: 'outcome', outcomesAchieved: 'outcomesAchieved', detail: 'outcomeDetail' }, (e) => (e.message.includes('closed') || e.message.includes('no enquiry') ? e.message : stale));
      return renderConcern(reply, id, concernId, { outcomeValues: input, errors });
    }
  });

  const renderLinks = async (reply: FastifyReply, personId: string, concernId: string, chosen?: LinksInput, errors?: GovukErrors) => {
    const form = await linksForm(reply.request.ctx(), personId, concernId);
    return reply.render(v('links'), {
      title: 'Link this concern to notes, risk assessments and plans',
      ...named(form.person),
      ...form,
      groups: form.groups.map((g) => ({ ...g, items: g.items.map((i) => ({ value: i.id, text: i.text, checked: chosen ? chosen[g.field].includes(i.id) : i.checked })) })),
      errors,
      breadcrumbs: [...crumbs(form.person), { text: 'Safeguarding concern', href: `/people/${personId}/safeguarding/concerns/${concernId}` }],
    });
  };

  app.get<{ Params: { id: string; concernId: string } }>('/people/:id/safeguarding/concerns/:concernId/links', async (request, reply) => renderLinks(reply, request.params.id, request.params.concernId));

  app.post<{ Params: { id: string; concernId: string } }>('/people/:id/safeguarding/concerns/:concernId/links', async (request, reply) => {
    const { id, concernId } = request.params;
    const body = formBody(request.body);
    const input: LinksInput = { notes: asArray(body.notes), riskAssessments: asArray(body.riskAssessments), plans: asArray(body.plans) };
    try {
      const saved = await updateLinks(request.ctx(), id, concernId, asVersion(body.version), input);
      request.session.flash = { type: 'success', text: saved.added + saved.removed === 0 ? 'Nothing was changed: the links are as they were.' : 'The links have been saved.' };
      return await reply.redirect(`/people/${id}/safeguarding/concerns/${concernId}#linked-records`);
    } catch (error) {
      const errors = failed(reply, error, { notes: 'notes', riskAssessments: 'riskAssessments', plans: 'plans' }, () => stale);
      return renderLinks(reply, id, concernId, input, errors);
    }
  });

  app.post<{ Params: { id: string } }>('/people/:id/safeguarding/protection-meetings', async (request, reply) => {
    const { id } = request.params;
    const body = formBody(request.body);
    const input = { kind: asString(body.kind), heldOn: dateFromParts(body, 'heldOn'), outcome: asString(body.outcome), nextOn: dateFromParts(body, 'nextOn') };
    try {
      await recordProtectionMeeting(request.ctx(), id, input);
      request.session.flash = { type: 'success', text: 'The meeting has been recorded.' };
      return await reply.redirect(`/people/${id}/safeguarding#protection-meetings`);
    } catch (error) {
      const errors = failed(reply, error, { kind: 'kind', heldOn: 'heldOn-day', outcome: 'outcome', nextOn: 'nextOn-day' }, (e) => e.message);
      return renderPage(reply, id, { meetingValues: { kind: input.kind, outcome: input.outcome, heldOn: parts(body, 'heldOn'), nextOn: parts(body, 'nextOn') }, errors });
    }
  });

  // The partnership's choices: their own form on the settings page (lead administrators).
  app.post('/admin/plan-settings/safeguarding', async (request, reply) => {
    const ctx = request.ctx();
    if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
    const body = formBody(request.body);
    const chosen = asArray(body.safeguardingRoles);
    const days = asString(body.decisionWorkingDays);
    try {
      await updateSafeguardingSettings(ctx, asVersion(body.safeguardingVersion), { roles: chosen, decisionWorkingDays: days });
    } catch (error) {
      if (!(error instanceof InputError) && !(error instanceof ConflictError)) throw error;
      reply.status(error instanceof InputError ? 422 : 409);
      const errors =
        error instanceof InputError
          ? toGovukErrors(
              error.issues.map((i) => ({ ...i, path: i.path === 'roles' ? 'safeguardingRoles' : i.path })),
              { safeguardingRoles: 'safeguardingRoles', decisionWorkingDays: 'decisionWorkingDays' },
            )
          : { list: [{ text: 'Somebody else saved the safeguarding settings after you opened this page. Yours have not been saved: check theirs, then save again.', href: '#safeguarding-settings' }], fields: {} };
      return reply.render(v('settings-page'), {
        title: 'Safeguarding settings',
        safeguarding: { version: asVersion(body.safeguardingVersion), choices: restrictedNoteRoleChoices(), restrictedRoles: chosen, chosen, enteredDays: days, decisionWorkingDays: days },
        errors,
        breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Planning settings', href: '/admin/plan-settings' }],
      });
    }
    request.session.flash = { type: 'success', text: 'The safeguarding settings have been saved.' };
    return reply.redirect('/admin/plan-settings#safeguarding-settings');
  });

  // The monthly Safeguarding Adults Collection figures (NHS England Digital) as CSV, for assurance roles.
  app.get<{ Querystring: { month?: string } }>('/safeguarding/collection.csv', async (request, reply) => {
    const ctx = request.ctx();
    const month = request.query.month ?? ctx.today().slice(0, 7);
    const figures = await safeguardingCollection(ctx, month);
    await recordExport(ctx.data, 'list.exported', { list: 'safeguarding-adults-collection', format: 'csv', filters: { month }, rowCount: figures.lines.length });
    const csv = tableCsv({
      title: `Safeguarding Adults Collection ${month}`,
      columns: [
        { header: 'Period', width: 10, value: () => month },
        { header: 'Table', width: 50, value: (r: [string, string, string, number]) => r[0] },
        { header: 'Measure', width: 40, value: (r: [string, string, string, number]) => r[1] },
        { header: 'Breakdown', width: 50, value: (r: [string, string, string, number]) => r[2] },
        { header: 'Value', width: 10, number: true, value: (r: [string, string, string, number]) => r[3] },
      ],
      rows: figures.lines,
    });
    return reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="safeguarding-adults-collection-${month}.csv"`).header('Cache-Control', 'no-store').send(csv);
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/people/:id/safeguarding',
    {
      schema: {
        tags: ['people'],
        summary: 'The person’s safeguarding concerns and enquiries (Care Act 2014, s42)',
        description:
          'Whether a safeguarding concern is open (for everyone who may read the person), and the concerns the caller may see in full: only the roles the partnership chose, the responsible local authority’s deciders, the raiser and the lead see the details. API tokens see only the flag. The view is recorded in the audit trail.',
        params: z.object({ id: z.string() }),
        response: {
          200: z.object({ personId: z.string(), openConcern: z.boolean().describe('A concern is open (the flag)'), detailsRestricted: z.boolean().describe('True when the caller is not one of the roles that see every concern’s details'), concerns: z.array(concernApiSchema) }),
          ...errorsFor,
        },
      },
    },
    async (request) => safeguardingForApi(request.ctx(), request.params.id),
  );

  api.get(
    '/api/v1/people/:id/safeguarding/:concernId',
    {
      schema: {
        tags: ['people'],
        summary: 'One safeguarding concern with its decision, enquiry records and outcome',
        description: 'A concern the caller may not see in full answers 404. The view is recorded in the audit trail.',
        params: z.object({ id: z.string(), concernId: z.string() }),
        response: { 200: oneConcernApiSchema, ...errorsFor },
      },
    },
    async (request) => concernForApi(request.ctx(), request.params.id, request.params.concernId),
  );

  api.post(
    '/api/v1/people/:id/safeguarding',
    {
      schema: {
        tags: ['people'],
        summary: 'Raise a safeguarding concern about the person',
        description: 'With the pages’ rules: at least one category, the concern, who reported it, the source and location of the risk, the date raised (today or in the last 12 months) and the person’s views. The responsible local authority’s deciders are told. Answers 201 with the concern.',
        params: z.object({ id: z.string() }),
        body: newConcernSchema,
        response: { 201: oneConcernApiSchema, 400: problemSchema.describe('The body is not valid JSON of this shape'), 422: problemSchema.describe('The concern breaks a rule; nothing was saved'), ...errorsFor },
      },
      // The guard answers 403/404 before the body is read; the body is checked below.
      attachValidation: true,
    },
    async (request, reply) => {
      const b = parseApiInput(newConcernSchema, request.body);
      const created = await raiseConcernFromApi(request.ctx(), request.params.id, { ...b, personAsked: b.personAsked ? 'yes' : 'no', desiredOutcomes: b.desiredOutcomes ?? '' });
      return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/safeguarding/${created.id}`).send(created);
    },
  );
}
