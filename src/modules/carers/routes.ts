/**
 * Carers and advocacy pages (issue 16, items 5 and 6). Thin: each handler reads the form, calls
 * carers.service.ts and renders or redirects. POSTs under /people/:id/ are guarded (person:write)
 * before the body is read (src/modules/register/person-guard.ts); the service checks again before
 * it reads the input. Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { advocacyKindLabels, advocacyKinds, advocacySources } from '../../domain/advocacy.ts';
import { carerOutcomes, CARERS_ASSESSMENT_SOURCE, CARERS_ELIGIBILITY_SOURCE, CARERS_REFUSAL_SOURCE, CARERS_SUPPORT_SOURCE } from '../../domain/carers.ts';
import { ConflictError } from '../../platform/errors/errors.ts';
import { asArray, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { formFailure, personCaption, personCrumbs, type PagePerson } from '../../platform/http/person-pages.ts';
import type { GovukErrors } from '../../platform/http/validation.ts';
import { carersApiRoutes } from './api.ts';
import {
  addCarer,
  assessmentPage,
  assessmentValues,
  carerPage,
  newCarerForm,
  offerAssessment,
  offeredAtKinds,
  offeredAtLabels,
  recordAssessment,
  recordReferral,
  referralForm,
  referralPage,
  referralValues,
  updateConsent,
  updateReferral,
  type AssessmentInput,
  type CarerInput,
  type ReferralInput,
} from './carers.service.ts';

const v = (name: string) => `modules/carers/views/${name}.njk`;

type Person = PagePerson;
const named = personCaption;
const crumbs = (p: Person, extra: Array<{ text: string; href: string }> = []) => [...personCrumbs(p), ...extra];
const dates = (body: FormBody, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, { day: asString(body[`${n}-day`]), month: asString(body[`${n}-month`]), year: asString(body[`${n}-year`]) }]));
const yesNoItems = (value: string) => [
  { value: 'yes', text: 'Yes', checked: value === 'yes' },
  { value: 'no', text: 'No', checked: value === 'no' },
];

/** A path on this service to go back to after recording an offer from a review (never another site). */
function localReturn(value: string, fallback: string): string {
  return /^\/people\/[0-9a-f-]{36}\/reviews(\/[0-9a-f-]{36}|\/new)?(\?[\w=&-]*)?$/.test(value) ? value : fallback;
}

const failed = formFailure;

const assessmentDateNames = ['acceptedOn', 'declinedOn', 'completedOn', 'reviewOn'] as const;
const referralDateNames = ['referredOn', 'acceptedOn', 'advocateNamedOn', 'firstMetOn'] as const;
const dateIds = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, `${n}-day`]));

export function carersRoutes(app: FastifyInstance): void {
  /* ----- Add or link a carer ----- */

  const renderNewCarer = async (reply: FastifyReply, personId: string, values: CarerInput, consentOn: Record<string, string>, errors?: GovukErrors) => {
    const form = await newCarerForm(reply.request.ctx(), personId);
    return reply.render(v('carer-form'), {
      title: 'Add a carer',
      ...named(form.person),
      values,
      consentOn,
      existingItems: form.linkable.length
        ? [...form.linkable.map((c) => ({ value: c.id, text: c.name, checked: values.existingCarerId === c.id })), { divider: 'or' }, { value: 'new', text: 'A new carer', checked: values.existingCarerId === 'new' || values.existingCarerId === '' }]
        : null,
      consentItems: yesNoItems(values.consentToShare),
      errors,
      breadcrumbs: crumbs(form.person),
    });
  };

  const emptyCarer: CarerInput = { existingCarerId: '', name: '', relationship: '', phone: '', email: '', address: '', consentToShare: '', consentRecordedOn: '' };

  app.get<{ Params: { id: string } }>('/people/:id/carers/new', async (request, reply) => renderNewCarer(reply, request.params.id, emptyCarer, { day: '', month: '', year: '' }));

  app.post<{ Params: { id: string } }>('/people/:id/carers/new', async (request, reply) => {
    const { id } = request.params;
    const body = formBody(request.body);
    const values: CarerInput = {
      existingCarerId: asString(body.existingCarerId),
      name: asString(body.name),
      relationship: asString(body.relationship),
      phone: asString(body.phone),
      email: asString(body.email),
      address: asString(body.address),
      consentToShare: asString(body.consentToShare),
      consentRecordedOn: dateFromParts(body, 'consentRecordedOn'),
    };
    try {
      const result = await addCarer(request.ctx(), id, values);
      request.session.flash = { type: 'success', text: result.linked ? `${result.name} is now linked as a carer.` : `${result.name} has been added as a carer. Offer them a carer’s assessment (Care Act 2014, section 10).` };
      return await reply.redirect(`/people/${id}/carers/${result.carerId}`);
    } catch (error) {
      const errors = failed(reply, error, { existingCarerId: 'existingCarerId', name: 'name', relationship: 'relationship', phone: 'phone', email: 'email', address: 'address', consentToShare: 'consentToShare', consentRecordedOn: 'consentRecordedOn-day' }, 'This carer is already linked to the person.');
      return renderNewCarer(reply, id, values, dates(body, ['consentRecordedOn']).consentRecordedOn!, errors);
    }
  });

  /* ----- The carer's page ----- */

  const renderCarer = async (reply: FastifyReply, personId: string, carerId: string, extra: { offer?: { offeredAt: string; offeredOn: Record<string, string> }; consent?: { consentToShare: string; consentRecordedOn: Record<string, string> }; errors?: GovukErrors } = {}) => {
    const page = await carerPage(reply.request.ctx(), personId, carerId);
    const offer = extra.offer ?? { offeredAt: '', offeredOn: { day: '', month: '', year: '' } };
    const consent = extra.consent ?? { consentToShare: page.carer.consentToShare ? 'yes' : 'no', consentRecordedOn: { day: '', month: '', year: '' } };
    return reply.render(v('carer'), {
      title: `Carer: ${page.carer.name}`,
      ...named(page.person),
      ...page,
      offer,
      offeredAtItems: offeredAtKinds.map((k) => ({ value: k, text: offeredAtLabels[k], checked: offer.offeredAt === k })),
      consent,
      consentItems: yesNoItems(consent.consentToShare),
      sources: { assessment: CARERS_ASSESSMENT_SOURCE, refusal: CARERS_REFUSAL_SOURCE, support: CARERS_SUPPORT_SOURCE },
      errors: extra.errors,
      breadcrumbs: crumbs(page.person),
    });
  };

  app.get<{ Params: { id: string; carerId: string } }>('/people/:id/carers/:carerId', async (request, reply) => renderCarer(reply, request.params.id, request.params.carerId));

  app.post<{ Params: { id: string; carerId: string } }>('/people/:id/carers/:carerId/consent', async (request, reply) => {
    const { id, carerId } = request.params;
    const body = formBody(request.body);
    const values = { consentToShare: asString(body.consentToShare), consentRecordedOn: dateFromParts(body, 'consentRecordedOn') };
    try {
      await updateConsent(request.ctx(), id, carerId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: 'The carer’s consent to share has been updated.' };
      return await reply.redirect(`/people/${id}/carers/${carerId}`);
    } catch (error) {
      const errors = failed(reply, error, { consentToShare: 'consentToShare', consentRecordedOn: 'consentRecordedOn-day' }, 'Somebody else changed this carer’s record after you opened it. Yours has not been saved: check it as it is now.');
      return renderCarer(reply, id, carerId, { consent: { consentToShare: values.consentToShare, consentRecordedOn: dates(body, ['consentRecordedOn']).consentRecordedOn! }, errors });
    }
  });

  /** Offer an assessment: from the carer's page, the person page's discharge prompt or a review (returnTo). */
  app.post<{ Params: { id: string; carerId: string } }>('/people/:id/carers/:carerId/assessments', async (request, reply) => {
    const { id, carerId } = request.params;
    const body = formBody(request.body);
    const offeredOnRaw = dateFromParts(body, 'offeredOn');
    const values = { offeredAt: asString(body.offeredAt), offeredOn: offeredOnRaw === '' && asString(body.today) === 'yes' ? request.ctx().today() : offeredOnRaw };
    const back = localReturn(asString(body.returnTo), '');
    try {
      const created = await offerAssessment(request.ctx(), id, carerId, values);
      request.session.flash = { type: 'success', text: 'The carer’s assessment has been offered. Record the carer’s answer on the assessment when you have it.' };
      return await reply.redirect(back || `/people/${id}/carers/${carerId}/assessments/${created.id}`);
    } catch (error) {
      const errors = failed(reply, error, { offeredAt: 'offeredAt', offeredOn: 'offeredOn-day' }, '');
      return renderCarer(reply, id, carerId, { offer: { offeredAt: values.offeredAt, offeredOn: dates(body, ['offeredOn']).offeredOn! }, errors });
    }
  });

  /* ----- One assessment: the answer, the completion and eligibility, the support plan ----- */

  const renderAssessment = async (reply: FastifyReply, personId: string, carerId: string, assessmentId: string, extra: { values?: AssessmentInput; dateValues?: Record<string, Record<string, string>>; errors?: GovukErrors } = {}) => {
    const page = await assessmentPage(reply.request.ctx(), personId, carerId, assessmentId);
    const values = extra.values ?? assessmentValues(page.assessment);
    const dateValues = extra.dateValues ?? Object.fromEntries(assessmentDateNames.map((n) => [n, dateParts(values[n])]));
    return reply.render(v('assessment'), {
      title: `Carer’s assessment for ${page.carer.name}`,
      ...named(page.person),
      carer: page.carer,
      assessment: page.view,
      version: page.assessment.version,
      mayWrite: page.mayWrite,
      values,
      dateValues,
      yesNo: { needsAriseFromCaring: yesNoItems(values.needsAriseFromCaring), healthAtRisk: yesNoItems(values.healthAtRisk), significantImpact: yesNoItems(values.significantImpact) },
      outcomeItems: carerOutcomes.map((o) => ({ value: o.key, text: o.label, hint: { text: `Regulation 3(2)(b), ${o.source.replace('regulation 3(2)(b)', '').trim()}` }, checked: values.outcomesNotAchieved.includes(o.key) })),
      sources: { assessment: CARERS_ASSESSMENT_SOURCE, refusal: CARERS_REFUSAL_SOURCE, eligibility: CARERS_ELIGIBILITY_SOURCE, support: CARERS_SUPPORT_SOURCE },
      errors: extra.errors,
      breadcrumbs: crumbs(page.person, [{ text: page.carer.name, href: `/people/${personId}/carers/${carerId}` }]),
    });
  };

  app.get<{ Params: { id: string; carerId: string; assessmentId: string } }>('/people/:id/carers/:carerId/assessments/:assessmentId', async (request, reply) => renderAssessment(reply, request.params.id, request.params.carerId, request.params.assessmentId));

  app.post<{ Params: { id: string; carerId: string; assessmentId: string } }>('/people/:id/carers/:carerId/assessments/:assessmentId', async (request, reply) => {
    const { id, carerId, assessmentId } = request.params;
    const body = formBody(request.body);
    const values: AssessmentInput = {
      acceptedOn: dateFromParts(body, 'acceptedOn'),
      declinedOn: dateFromParts(body, 'declinedOn'),
      completedOn: dateFromParts(body, 'completedOn'),
      needsAriseFromCaring: asString(body.needsAriseFromCaring),
      healthAtRisk: asString(body.healthAtRisk),
      outcomesNotAchieved: asArray(body.outcomesNotAchieved),
      significantImpact: asString(body.significantImpact),
      summary: asString(body.summary),
      supportWhat: asString(body.supportWhat),
      supportWho: asString(body.supportWho),
      reviewOn: dateFromParts(body, 'reviewOn'),
    };
    try {
      const saved = await recordAssessment(request.ctx(), id, carerId, assessmentId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: saved.completedOn ? `The carer’s assessment has been completed: ${saved.eligible ? 'the carer has eligible needs' : 'the carer does not have eligible needs'}.` : 'The carer’s assessment has been saved.' };
      return await reply.redirect(`/people/${id}/carers/${carerId}/assessments/${assessmentId}`);
    } catch (error) {
      const errors = failed(
        reply,
        error,
        { ...dateIds(assessmentDateNames), needsAriseFromCaring: 'needsAriseFromCaring', healthAtRisk: 'healthAtRisk', significantImpact: 'significantImpact', outcomesNotAchieved: 'outcomesNotAchieved', summary: 'summary', supportWhat: 'supportWhat', supportWho: 'supportWho' },
        'Somebody else changed this assessment after you opened it. Yours has not been saved: check it as it is now, then enter your changes again.',
      );
      return renderAssessment(reply, id, carerId, assessmentId, error instanceof ConflictError ? { errors } : { values, dateValues: dates(body, assessmentDateNames), errors });
    }
  });

  /* ----- Advocacy referrals ----- */

  const kindItems = (value: string) => advocacyKinds.map((k) => ({ value: k, text: advocacyKindLabels[k], hint: { text: advocacySources[k] }, checked: value === k }));
  const emptyReferral: ReferralInput = { kind: '', referredOn: '', acceptedOn: '', advocateNamedOn: '', firstMetOn: '', advocateName: '', service: '', notes: '' };
  const referralFromBody = (body: FormBody): ReferralInput => ({
    kind: asString(body.kind),
    referredOn: dateFromParts(body, 'referredOn'),
    acceptedOn: dateFromParts(body, 'acceptedOn'),
    advocateNamedOn: dateFromParts(body, 'advocateNamedOn'),
    firstMetOn: dateFromParts(body, 'firstMetOn'),
    advocateName: asString(body.advocateName),
    service: asString(body.service),
    notes: asString(body.notes),
  });
  const referralFieldIds = { kind: 'kind', advocateName: 'advocateName', service: 'service', notes: 'notes', ...dateIds(referralDateNames) };

  const renderNewReferral = async (reply: FastifyReply, personId: string, values: ReferralInput, dateValues: Record<string, Record<string, string>>, errors?: GovukErrors) => {
    const form = await referralForm(reply.request.ctx(), personId);
    return reply.render(v('referral-form'), { title: 'Record an advocacy referral', ...named(form.person), values, dateValues, kindItems: kindItems(values.kind), action: `/people/${personId}/advocacy/new`, version: null, errors, breadcrumbs: crumbs(form.person) });
  };

  app.get<{ Params: { id: string } }>('/people/:id/advocacy/new', async (request, reply) => renderNewReferral(reply, request.params.id, emptyReferral, Object.fromEntries(referralDateNames.map((n) => [n, dateParts(null)]))));

  app.post<{ Params: { id: string } }>('/people/:id/advocacy/new', async (request, reply) => {
    const { id } = request.params;
    const body = formBody(request.body);
    const values = referralFromBody(body);
    try {
      const created = await recordReferral(request.ctx(), id, values);
      request.session.flash = { type: 'success', text: 'The advocacy referral has been recorded.' };
      return await reply.redirect(`/people/${id}/advocacy/${created.id}`);
    } catch (error) {
      const errors = failed(reply, error, referralFieldIds, '');
      return renderNewReferral(reply, id, values, dates(body, referralDateNames), errors);
    }
  });

  const renderReferral = async (reply: FastifyReply, personId: string, referralId: string, extra: { values?: ReferralInput; dateValues?: Record<string, Record<string, string>>; errors?: GovukErrors } = {}) => {
    const page = await referralPage(reply.request.ctx(), personId, referralId);
    const values = extra.values ?? referralValues(page.referral);
    return reply.render(v('referral'), {
      title: `Advocacy referral: ${page.view.kindLabel}`,
      ...named(page.person),
      referral: page.view,
      mayWrite: page.mayWrite,
      values,
      dateValues: extra.dateValues ?? Object.fromEntries(referralDateNames.map((n) => [n, dateParts(values[n])])),
      kindItems: kindItems(values.kind),
      action: `/people/${personId}/advocacy/${referralId}`,
      version: page.referral.version,
      errors: extra.errors,
      breadcrumbs: crumbs(page.person),
    });
  };

  app.get<{ Params: { id: string; referralId: string } }>('/people/:id/advocacy/:referralId', async (request, reply) => renderReferral(reply, request.params.id, request.params.referralId));

  app.post<{ Params: { id: string; referralId: string } }>('/people/:id/advocacy/:referralId', async (request, reply) => {
    const { id, referralId } = request.params;
    const body = formBody(request.body);
    const values = referralFromBody(body);
    try {
      await updateReferral(request.ctx(), id, referralId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: 'The advocacy referral has been updated.' };
      return await reply.redirect(`/people/${id}/advocacy/${referralId}`);
    } catch (error) {
      const errors = failed(reply, error, referralFieldIds, 'Somebody else changed this referral after you opened it. Yours has not been saved: check it as it is now, then enter your changes again.');
      return renderReferral(reply, id, referralId, error instanceof ConflictError ? { errors } : { values, dateValues: dates(body, referralDateNames), errors });
    }
  });

  carersApiRoutes(app);
}
