/**
 * Deprivation of liberty pages (issue 16, item 4). Thin: each handler reads the form, calls
 * liberty.service.ts and renders or redirects. POSTs under /people/:id/ are guarded (person:write)
 * before the body is read (src/modules/register/person-guard.ts). Every flow works without
 * JavaScript.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CHESHIRE_WEST, basisLabels, basisSources, challengeOutcomeLabels, challengeOutcomes, consentCapacities, consentCapacityLabels, isSetting, routeFor, scheduleA1Assessments, settingLabels, settings } from '../../domain/deprivation-of-liberty.ts';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { asArray, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { formFailure, personCaption, personCrumbs, type PagePerson } from '../../platform/http/person-pages.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import {
  authorisationDateFields,
  authorisationForm,
  considerationForm,
  createAuthorisation,
  emptyAuthorisationInput,
  emptyChallengeInput,
  libertyPage,
  openAuthorisation,
  recordChallenge,
  recordConsideration,
  updateAuthorisation,
  updateChallenge,
  updateLibertySettingsFor,
  type AuthorisationInput,
  type ChallengeInput,
  type ConsiderationInput,
} from './liberty.service.ts';

const v = (name: string) => `modules/liberty/views/${name}.njk`;
const named = personCaption;
const crumbs = (p: PagePerson, inside = true) => personCrumbs(p, inside ? { text: 'Deprivation of liberty', path: 'deprivation-of-liberty' } : null);
const base = (personId: string) => `/people/${personId}/deprivation-of-liberty`;
type Parts = { day: string; month: string; year: string };
const partsFrom = (body: FormBody | null, name: string, iso = ''): Parts => (body ? { day: asString(body[`${name}-day`]), month: asString(body[`${name}-month`]), year: asString(body[`${name}-year`]) } : dateParts(iso));
const dateIds = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, `${n}-day`]));

/* ---------- The acid test ---------- */

const considerationFields = ['planId', 'setting', 'supervisionAndControl', 'freeToLeave', 'capacityToConsent', 'capacityAssessmentId', 'arrangements'] as const;

function considerationInputFrom(body: FormBody): ConsiderationInput {
  return { ...(Object.fromEntries(considerationFields.map((f) => [f, asString(body[f])])) as Omit<ConsiderationInput, 'consideredOn'>), consideredOn: dateFromParts(body, 'consideredOn') };
}

/* ---------- Authorisations ---------- */

const authorisationTextFields = ['considerationId', 'setting', 'place', 'body', 'outcome', 'representative', 'conditions', 'documents'] as const;

function authorisationInputFrom(body: FormBody): AuthorisationInput {
  return {
    ...emptyAuthorisationInput,
    ...(Object.fromEntries(authorisationTextFields.map((f) => [f, asString(body[f])])) as Partial<AuthorisationInput>),
    ...(Object.fromEntries(authorisationDateFields.map((f) => [f, dateFromParts(body, f)])) as Partial<AuthorisationInput>),
    assessmentsDone: asArray(body.assessmentsDone),
  };
}

const authorisationIds: Record<string, string> = { ...Object.fromEntries(authorisationTextFields.map((f) => [f, f])), ...dateIds(authorisationDateFields), assessmentsDone: 'assessmentsDone' };

/* ---------- Challenges ---------- */

const challengeDateFields = ['appliedOn', 'directionsOn', 'hearingOn', 'outcomeOn'] as const;

function challengeInputFrom(body: FormBody): ChallengeInput {
  return { ...emptyChallengeInput, applicant: asString(body.applicant), outcome: asString(body.outcome), notes: asString(body.notes), ...(Object.fromEntries(challengeDateFields.map((f) => [f, dateFromParts(body, f)])) as Partial<ChallengeInput>) };
}

const challengeIds: Record<string, string> = { applicant: 'applicant', outcome: 'outcome', notes: 'notes', ...dateIds(challengeDateFields) };

export function libertyRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/people/:id/deprivation-of-liberty', async (request, reply) => {
    const page = await libertyPage(request.ctx(), request.params.id);
    return reply.render(v('liberty'), { title: `Deprivation of liberty: ${page.person.givenName} ${page.person.familyName}`, ...named(page.person), ...page, cheshireWest: CHESHIRE_WEST, breadcrumbs: crumbs(page.person, false) });
  });

  /* The acid test */

  const renderConsider = async (reply: FastifyReply, personId: string, planId: string | null, values: ConsiderationInput | null, body: FormBody | null, errors?: GovukErrors) => {
    const form = await considerationForm(reply.request.ctx(), personId, planId);
    const vals: ConsiderationInput = values ?? { planId: form.prompt?.planId ?? planId ?? '', consideredOn: '', setting: '', supervisionAndControl: '', freeToLeave: '', capacityToConsent: '', capacityAssessmentId: '', arrangements: '' };
    const yesNoItems = (name: 'supervisionAndControl' | 'freeToLeave') => [
      { value: 'yes', text: 'Yes', checked: vals[name] === 'yes' },
      { value: 'no', text: 'No', checked: vals[name] === 'no' },
    ];
    return reply.render(v('consider-form'), {
      title: 'Consider whether this is a deprivation of liberty',
      ...named(form.person),
      prompt: form.prompt,
      latestAssessment: form.latestAssessment,
      values: vals,
      consideredOn: partsFrom(body, 'consideredOn'),
      settingItems: settings.map((s) => ({ value: s, text: settingLabels[s], checked: vals.setting === s, hint: { text: routeFor(s) === 'mca-schedule-a1' ? 'Route: a DoLS standard authorisation (Mental Capacity Act 2005, Schedule A1)' : 'Route: an application to the Court of Protection, form COPDOL11 (section 16(2)(a))' } })),
      supervisionItems: yesNoItems('supervisionAndControl'),
      leaveItems: yesNoItems('freeToLeave'),
      capacityItems: consentCapacities.map((c) => ({ value: c, text: consentCapacityLabels[c], checked: vals.capacityToConsent === c })),
      cheshireWest: CHESHIRE_WEST,
      errors,
      breadcrumbs: crumbs(form.person),
    });
  };

  app.get<{ Params: { id: string }; Querystring: { plan?: string } }>('/people/:id/deprivation-of-liberty/consider', async (request, reply) => renderConsider(reply, request.params.id, request.query.plan ?? null, null, null));

  app.post<{ Params: { id: string } }>('/people/:id/deprivation-of-liberty/consider', async (request, reply) => {
    const body = formBody(request.body);
    const values = considerationInputFrom(body);
    try {
      await recordConsideration(request.ctx(), request.params.id, values);
      request.session.flash = { type: 'success', text: 'The consideration has been recorded.' };
      return await reply.redirect(`${base(request.params.id)}#considerations`);
    } catch (error) {
      const errors = formFailure(reply, error, { ...Object.fromEntries(considerationFields.map((f) => [f, f])), consideredOn: 'consideredOn-day' }, (e) => e.message);
      return renderConsider(reply, request.params.id, values.planId || null, values, body, errors);
    }
  });

  /* Starting and advancing an authorisation or application */

  const renderAuthorisationForm = async (reply: FastifyReply, personId: string, authorisationId: string | null, posted: { values: AuthorisationInput; body: FormBody } | null, preset: Partial<AuthorisationInput> = {}, errors?: GovukErrors) => {
    const form = await authorisationForm(reply.request.ctx(), personId, authorisationId);
    const values: AuthorisationInput = posted?.values ?? form.existing?.values ?? { ...emptyAuthorisationInput, ...preset };
    const basis = form.existing?.basis ?? (isSetting(values.setting) ? routeFor(values.setting) : null);
    const dates = Object.fromEntries(authorisationDateFields.map((f) => [f, partsFrom(posted?.body ?? null, f, values[f])]));
    return reply.render(v('authorisation-form'), {
      title: form.existing ? `Update: ${basisLabels[form.existing.basis]}` : 'Start a deprivation of liberty authorisation or application',
      ...named(form.person),
      existing: form.existing,
      action: form.existing ? `${base(personId)}/${form.existing.id}/edit` : `${base(personId)}/new`,
      values,
      dates,
      basis,
      basisLabel: basis ? basisLabels[basis] : null,
      basisSource: basis ? basisSources[basis] : null,
      dols: basis === 'mca-schedule-a1',
      court: basis === 'mca-s16-order',
      settingItems: settings
        .filter((s) => !form.existing || routeFor(s) === form.existing.basis)
        .map((s) => ({ value: s, text: settingLabels[s], checked: values.setting === s, hint: { text: routeFor(s) === 'mca-schedule-a1' ? 'A DoLS standard authorisation (Mental Capacity Act 2005, Schedule A1)' : 'An application to the Court of Protection, form COPDOL11 (section 16(2)(a); Re X and others [2014] EWCOP 25)' } })),
      assessmentItems: scheduleA1Assessments.map((a) => ({ value: a.key, text: a.label, hint: { text: `Mental Capacity Act 2005, ${a.source}` }, checked: values.assessmentsDone.includes(a.key) })),
      outcomeItems: [
        { value: '', text: 'Not decided yet', checked: values.outcome === '' },
        { value: 'granted', text: basis === 'mca-s16-order' ? 'The court made the order' : 'Granted', checked: values.outcome === 'granted' },
        { value: 'refused', text: 'Refused', checked: values.outcome === 'refused' },
      ],
      errors,
      breadcrumbs: crumbs(form.person),
    });
  };

  app.get<{ Params: { id: string }; Querystring: { setting?: string; consideration?: string } }>('/people/:id/deprivation-of-liberty/new', async (request, reply) =>
    renderAuthorisationForm(reply, request.params.id, null, null, { setting: request.query.setting && isSetting(request.query.setting) ? request.query.setting : '', considerationId: request.query.consideration ?? '' }),
  );

  const saveAuthorisation = async (reply: FastifyReply, personId: string, authorisationId: string | null) => {
    const request = reply.request;
    const body = formBody(request.body);
    const values = authorisationInputFrom(body);
    try {
      const saved = authorisationId ? await updateAuthorisation(request.ctx(), personId, authorisationId, asVersion(body.version), values) : await createAuthorisation(request.ctx(), personId, values);
      request.session.flash = { type: 'success', text: authorisationId ? 'The authorisation has been updated.' : 'It has been started. Update it as it moves through its stages.' };
      return await reply.redirect(`${base(personId)}/${saved.id}`);
    } catch (error) {
      const errors = formFailure(reply, error, authorisationIds, () => 'Somebody else saved this after you opened it. Yours has not been saved: the form now shows theirs. Check it, then save again.');
      return renderAuthorisationForm(reply, personId, authorisationId, reply.statusCode === 409 ? null : { values, body }, {}, errors);
    }
  };

  app.post<{ Params: { id: string } }>('/people/:id/deprivation-of-liberty/new', async (request, reply) => saveAuthorisation(reply, request.params.id, null));
  app.get<{ Params: { id: string; authorisationId: string } }>('/people/:id/deprivation-of-liberty/:authorisationId/edit', async (request, reply) => renderAuthorisationForm(reply, request.params.id, request.params.authorisationId, null));
  app.post<{ Params: { id: string; authorisationId: string } }>('/people/:id/deprivation-of-liberty/:authorisationId/edit', async (request, reply) => saveAuthorisation(reply, request.params.id, request.params.authorisationId));

  app.get<{ Params: { id: string; authorisationId: string } }>('/people/:id/deprivation-of-liberty/:authorisationId', async (request, reply) => {
    const page = await openAuthorisation(request.ctx(), request.params.id, request.params.authorisationId);
    return reply.render(v('authorisation'), { title: `${page.authorisation.basisLabel}: ${page.authorisation.place}`, ...named(page.person), ...page, breadcrumbs: crumbs(page.person) });
  });

  /* Section 21A challenges */

  const outcomeItems = (chosen: string) => [{ value: '', text: 'No outcome yet', checked: chosen === '' }, ...challengeOutcomes.map((o) => ({ value: o, text: challengeOutcomeLabels[o], checked: chosen === o }))];

  const renderChallengeForm = async (reply: FastifyReply, personId: string, authorisationId: string, challengeId: string | null, values: ChallengeInput | null, body: FormBody | null, errors?: GovukErrors) => {
    const page = await openAuthorisation(reply.request.ctx(), personId, authorisationId);
    const existing = challengeId ? (page.authorisation.challenges.find((c) => c.id === challengeId) ?? null) : null;
    if (challengeId && !existing) throw new NotFoundError('There is no such section 21A challenge');
    const vals: ChallengeInput = values ?? (existing ? { appliedOn: '', applicant: existing.applicant, ...existing.values } : emptyChallengeInput);
    return reply.render(v('challenge-form'), {
      title: existing ? 'Update the section 21A challenge' : 'Record a section 21A challenge',
      ...named(page.person),
      authorisation: page.authorisation,
      existing,
      action: existing ? `${base(personId)}/${authorisationId}/challenges/${existing.id}` : `${base(personId)}/${authorisationId}/challenges/new`,
      values: vals,
      dates: Object.fromEntries(challengeDateFields.map((f) => [f, partsFrom(body, f, vals[f])])),
      outcomeItems: outcomeItems(vals.outcome),
      errors,
      breadcrumbs: crumbs(page.person),
    });
  };

  app.get<{ Params: { id: string; authorisationId: string } }>('/people/:id/deprivation-of-liberty/:authorisationId/challenges/new', async (request, reply) => renderChallengeForm(reply, request.params.id, request.params.authorisationId, null, null, null));

  app.post<{ Params: { id: string; authorisationId: string } }>('/people/:id/deprivation-of-liberty/:authorisationId/challenges/new', async (request, reply) => {
    const { id, authorisationId } = request.params;
    const body = formBody(request.body);
    const values = challengeInputFrom(body);
    try {
      await recordChallenge(request.ctx(), id, authorisationId, values);
      request.session.flash = { type: 'success', text: 'The section 21A challenge has been recorded.' };
      return await reply.redirect(`${base(id)}/${authorisationId}#challenges`);
    } catch (error) {
      if (error instanceof ConflictError) throw error;
      const errors = formFailure(reply, error, challengeIds, (e) => e.message);
      return renderChallengeForm(reply, id, authorisationId, null, values, body, errors);
    }
  });

  app.get<{ Params: { id: string; authorisationId: string; challengeId: string } }>('/people/:id/deprivation-of-liberty/:authorisationId/challenges/:challengeId', async (request, reply) =>
    renderChallengeForm(reply, request.params.id, request.params.authorisationId, request.params.challengeId, null, null),
  );

  app.post<{ Params: { id: string; authorisationId: string; challengeId: string } }>('/people/:id/deprivation-of-liberty/:authorisationId/challenges/:challengeId', async (request, reply) => {
    const { id, authorisationId, challengeId } = request.params;
    const body = formBody(request.body);
    const values = challengeInputFrom(body);
    try {
      await updateChallenge(request.ctx(), id, challengeId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: 'The section 21A challenge has been updated.' };
      return await reply.redirect(`${base(id)}/${authorisationId}#challenges`);
    } catch (error) {
      const errors = formFailure(reply, error, challengeIds, () => 'Somebody else saved this challenge after you opened it. Yours has not been saved: check theirs, then save again.');
      return renderChallengeForm(reply, id, authorisationId, challengeId, reply.statusCode === 409 ? null : values, reply.statusCode === 409 ? null : body, errors);
    }
  });

  // The days before an end or review date that it is due: its own form on the settings page (lead administrators).
  app.post('/admin/plan-settings/liberty', async (request, reply) => {
    const body = formBody(request.body);
    const values = { renewalDays: asString(body.renewalDays) };
    try {
      await updateLibertySettingsFor(request.ctx(), asVersion(body.libertyVersion), values);
    } catch (error) {
      if (!(error instanceof InputError) && !(error instanceof ConflictError)) throw error;
      reply.status(error instanceof InputError ? 422 : 409);
      const errors = error instanceof InputError ? toGovukErrors(error.issues, { renewalDays: 'renewalDays' }) : { list: [{ text: 'Somebody else saved this setting after you opened the page. Yours has not been saved: check theirs, then save again.', href: '#liberty-settings' }], fields: {} };
      return reply.render(v('settings-page'), { title: 'Deprivation of liberty renewals', libertySettings: { ...values, version: asVersion(body.libertyVersion) }, errors, breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Planning settings', href: '/admin/plan-settings' }] });
    }
    request.session.flash = { type: 'success', text: 'The days before a renewal or review have been saved.' };
    return reply.redirect('/admin/plan-settings#liberty-settings');
  });
}
