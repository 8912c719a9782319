/**
 * Aftercare plan pages (issue 5). Thin: each handler reads the form, calls a use case in
 * plans.service.ts and renders or redirects. Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { diffFields, diffRecords, diffSummary, type DiffField } from '../../domain/plan-diff.ts';
import { needCategoryLabels, needDomainLabel, needDomains, type NeedCategory, type NeedDomain } from '../../domain/rules/index.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { asArray, asBoolean, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { openFundingPolicy, updateFundingPolicy, waitingLabel, type FundingPolicyView } from './agreement.service.ts';
import { can } from '../../platform/access/policy.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { fileNameFor } from '../documents/index.ts';
import { buildPlanDocument, type PlanForDocument } from '../documents/index.ts';
import { viewBlocks } from '../documents/index.ts';
import { statusLabels } from '../register/index.ts';
import { advocacyKinds, advocacyLabels, deliveryRouteLabels, deliveryRoutes, needLevelLabels, planStatusLabels, planStatusTags } from './inputs.ts';
import { advocacyOfferedUsed } from '../carers/index.ts';
import { libertyPromptForPlan } from '../liberty/index.ts';
import {
  addNeed,
  addService,
  approvePlan,
  formatPounds,
  formatSplit,
  getPlan,
  listPlans,
  planVersions,
  recordBudgetRequest,
  removeNeed,
  removeService,
  responsibleBodies,
  returnPlan,
  startPlan,
  storePlanDocument,
  submitPlan,
  updateNeed,
  updatePlanDetails,
  updateService,
  serviceTypesForForm,
  type NeedRow,
  type PlanDetail,
  type ServiceRow,
} from './plans.service.ts';
import type { ServiceTypeChoices } from '../settings/index.ts';
import { effectiveServiceType, OTHER_SERVICE_TYPE } from '../../domain/reference/service-types.ts';
import { govukDate } from '../../platform/plain-language.ts';

const v = (name: string) => `modules/plans/views/${name}.njk`;

const fieldIds: Record<string, string> = {
  domain: 'domain',
  level: 'level',
  arisesFromMentalDisorder: 'arisesFromMentalDisorder',
  reducesRiskOfDeterioration: 'reducesRiskOfDeterioration',
  accommodationEnhanced: 'accommodationEnhanced',
  needIds: 'needIds',
  deliveryRoute: 'deliveryRoute',
  startOn: 'startOn-day',
  endOn: 'endOn-day',
  topUp: 'topUp',
  'topUp.preferredWeeklyPence': 'topUpPreferred',
  'topUp.usualWeeklyPence': 'topUpUsual',
  'topUp.payer': 'topUpPayer',
  plan: 'plan',
  need: 'need',
  decision: 'decision',
  mode: 'mode',
  thresholdPounds: 'thresholdPounds',
  basis: 'basis',
  kind: 'kind',
  status: 'status',
  requestedOn: 'requestedOn-day',
  decidedOn: 'decidedOn-day',
  carerAssessmentOfferedOn: 'carerAssessmentOfferedOn-day',
};

function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  return toGovukErrors(error.issues, fieldIds);
}

const base = (personId: string, planId: string) => `/people/${personId}/plans/${planId}`;

/** The plan, formatted for the printable page and the PDF. */
async function planForDocument(ctx: ServiceContext, detail: PlanDetail): Promise<PlanForDocument> {
  const { person: p, plan } = detail;
  const [la, icb] = await responsibleBodies(ctx, [p.responsibleLocalAuthority, p.responsibleIcb]);
  const money = (t: { localAuthorityPence: number; icbPence: number; totalPence: number }) => ({ localAuthority: formatPounds(t.localAuthorityPence), icb: formatPounds(t.icbPence), total: formatPounds(t.totalPence) });
  return {
    person: { name: `${p.givenName} ${p.familyName}`, nhsNumber: p.nhsNumber, dateOfBirth: p.dateOfBirth },
    entitlement: { status: statusLabels[p.status], startDate: p.entitlementStart, localAuthority: la ?? null, icb: icb ?? null, nextReviewDue: p.nextReviewDue },
    plan: {
      number: plan.planNumber,
      status: planStatusLabels[plan.status],
      approvedOn: plan.approvedAt ? plan.approvedAt.toISOString().slice(0, 10) : null,
      approvedBy: detail.approvedByName ? `${detail.approvedByName}${detail.approvedForName ? `, ${detail.approvedForName}` : ''}` : null,
      personVoice: plan.personVoice,
      goals: plan.goals,
      strengths: plan.strengths,
      earlyWarningSigns: plan.earlyWarningSigns,
      whatHelps: plan.whatHelps,
      crisisContacts: plan.crisisContacts,
      wrap: plan.wrap,
      carersInvolved: plan.carersInvolved,
      carerAssessment: plan.carerAssessmentOfferedOn ? `Offered on ${plan.carerAssessmentOfferedOn}${plan.carerAssessmentOutcome ? `: ${plan.carerAssessmentOutcome}` : ''}` : null,
      advocacy: advocacyLines(plan.advocacy),
      participants: plan.participants,
    },
    needs: detail.needs.map((n) => ({
      domainLabel: n.domainLabel,
      description: n.description,
      personWords: n.personWords,
      desiredOutcome: n.desiredOutcome,
      categoryLabel: n.categoryLabel,
      s117: n.s117,
      testsRationale: n.testsRationale,
    })),
    services: detail.services.map((s) => ({
      serviceType: s.serviceType,
      provider: s.provider,
      frequency: s.frequency,
      startOn: s.startOn,
      endOn: s.endOn,
      weeklyCost: formatPounds(s.weeklyCostPence),
      deliveryRouteLabel: s.deliveryRouteLabel,
      s117: s.s117,
      split: formatSplit(s.localAuthorityBasisPoints),
      splitBasis: s.splitBasis,
      topUp: s.topUpWeeklyPence ? `${formatPounds(s.topUpWeeklyPence)} a week, paid by ${s.topUpPayer === 'person' ? 'the person' : 'a third party'}` : null,
    })),
    totals: { weekly: money(detail.totals.weekly), yearly: money(detail.totals.yearly) },
  };
}

interface AdvocacyEntry {
  kind: (typeof advocacyKinds)[number];
  offeredOn: string;
  used: boolean;
  notes: string | null;
}

function advocacyLines(raw: unknown): string[] {
  return ((raw as AdvocacyEntry[] | null) ?? []).map((a) => `${advocacyLabels[a.kind]}: offered on ${govukDate(a.offeredOn)}, ${a.used ? 'used' : 'not used'}${a.notes ? ` (${a.notes})` : ''}`);
}

// ---------------------------------------------------------------------------
// Forms: reading answers, and the choices each form shows
// ---------------------------------------------------------------------------

function needFormValues(body: FormBody) {
  return {
    domain: asString(body.domain) || undefined,
    description: asString(body.description),
    personWords: asString(body.personWords),
    strengths: asString(body.strengths),
    desiredOutcome: asString(body.desiredOutcome),
    level: asString(body.level) || undefined,
    arisesFromMentalDisorder: asBoolean(body.arisesFromMentalDisorder),
    reducesRiskOfDeterioration: asBoolean(body.reducesRiskOfDeterioration),
    testsRationale: asString(body.testsRationale),
    accommodationEnhanced: asString(body.domain) === 'accommodation' ? (asBoolean(body.accommodationEnhanced) ?? null) : null,
    accommodationFeature: asString(body.accommodationFeature),
    primaryHealthNeed: asArray(body.otherRoutes).includes('primaryHealthNeed'),
    healthNeed: asArray(body.otherRoutes).includes('healthNeed'),
    eligibleCareActNeed: asArray(body.otherRoutes).includes('eligibleCareActNeed'),
  };
}

type NeedValues = ReturnType<typeof needFormValues>;

function needValuesFromRow(n: NeedRow): NeedValues {
  return {
    domain: n.domain,
    description: n.description,
    personWords: n.personWords ?? '',
    strengths: n.strengths ?? '',
    desiredOutcome: n.desiredOutcome ?? '',
    level: n.level,
    arisesFromMentalDisorder: n.arisesFromMentalDisorder,
    reducesRiskOfDeterioration: n.reducesRiskOfDeterioration,
    testsRationale: n.testsRationale,
    accommodationEnhanced: n.accommodationEnhanced,
    accommodationFeature: n.accommodationFeature ?? '',
    primaryHealthNeed: n.primaryHealthNeed,
    healthNeed: n.healthNeed,
    eligibleCareActNeed: n.eligibleCareActNeed,
  };
}

const yesNoItems = (value: boolean | null | undefined) => [
  { value: 'true', text: 'Yes', checked: value === true },
  { value: 'false', text: 'No', checked: value === false },
];

function needChoices(values: Partial<NeedValues>) {
  return {
    domainItems: needDomains.map((d) => ({ value: d.id, text: d.label, checked: values.domain === d.id })),
    levelItems: (['low', 'medium', 'high'] as const).map((l) => ({ value: l, text: needLevelLabels[l], checked: values.level === l })),
    testAItems: yesNoItems(values.arisesFromMentalDisorder),
    testBItems: yesNoItems(values.reducesRiskOfDeterioration),
    accommodationItems: [
      { value: 'true', text: 'Yes: enhanced or specialised accommodation (accommodation-plus)', checked: values.accommodationEnhanced === true },
      { value: 'false', text: 'No: ordinary accommodation', checked: values.accommodationEnhanced === false },
    ],
    otherItems: [
      { value: 'primaryHealthNeed', text: 'Part of a primary health need (NHS Continuing Healthcare)', checked: values.primaryHealthNeed === true },
      { value: 'healthNeed', text: 'Another health need the NHS meets', checked: values.healthNeed === true },
      { value: 'eligibleCareActNeed', text: 'An eligible need under the Care Act 2014', checked: values.eligibleCareActNeed === true },
    ],
  };
}

function poundsText(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  return (pence / 100).toFixed(2);
}

function serviceFormValues(body: FormBody) {
  const hasTopUp = asString(body.hasTopUp) === 'yes';
  return {
    needIds: asArray(body.needIds),
    serviceTypeCode: asString(body.serviceTypeCode),
    serviceType: asString(body.serviceType),
    provider: asString(body.provider),
    startOn: dateFromParts(body, 'startOn'),
    endOn: dateFromParts(body, 'endOn'),
    frequency: asString(body.frequency),
    unitsPerWeek: asString(body.unitsPerWeek),
    unitCostPence: asString(body.unitCost),
    deliveryRoute: asString(body.deliveryRoute) || undefined,
    localAuthorityPercent: asString(body.localAuthorityPercent),
    icbPercent: asString(body.icbPercent),
    splitBasis: asString(body.splitBasis),
    chargePence: asString(body.charge),
    topUp: hasTopUp
      ? { preferredWeeklyPence: asString(body.topUpPreferred), usualWeeklyPence: asString(body.topUpUsual), payer: asString(body.topUpPayer) || undefined }
      : null,
  };
}

type ServiceValues = ReturnType<typeof serviceFormValues>;

function serviceValuesFromRow(s: ServiceRow): ServiceValues {
  return {
    needIds: s.needIds,
    // A service recorded before the list of types: the type its words clearly name, else other with its words.
    serviceTypeCode: effectiveServiceType(s.serviceTypeCode, s.serviceType),
    serviceType: effectiveServiceType(s.serviceTypeCode, s.serviceType) === OTHER_SERVICE_TYPE ? s.serviceType : '',
    provider: s.provider,
    startOn: s.startOn,
    endOn: s.endOn ?? '',
    frequency: s.frequency,
    unitsPerWeek: String(s.unitsPerWeek),
    unitCostPence: poundsText(s.unitCostPence),
    deliveryRoute: s.deliveryRoute,
    localAuthorityPercent: String(s.localAuthorityBasisPoints / 100),
    icbPercent: String((10_000 - s.localAuthorityBasisPoints) / 100),
    splitBasis: s.splitBasis,
    chargePence: s.chargePence ? poundsText(s.chargePence) : '',
    topUp: s.topUpPayer ? { preferredWeeklyPence: poundsText(s.topUpPreferredWeeklyPence), usualWeeklyPence: poundsText(s.topUpUsualWeeklyPence), payer: s.topUpPayer } : null,
  };
}

function serviceChoices(values: Partial<ServiceValues>, detail: PlanDetail, raw: FormBody | null, types: ServiceTypeChoices) {
  const date = (name: 'startOn' | 'endOn') => (raw ? { day: asString(raw[`${name}-day`]), month: asString(raw[`${name}-month`]), year: asString(raw[`${name}-year`]) } : dateParts(values[name] || null));
  const chosen = values.serviceTypeCode ?? '';
  // A service keeps a type the partnership has since retired, so the select still offers it.
  const kept = chosen && !types.offered.some((t) => t.code === chosen) ? types.local.filter((t) => t.code === chosen) : [];
  return {
    serviceTypeItems: [
      { value: '', text: 'Choose a type of service', selected: chosen === '' },
      ...[...types.offered, ...kept].map((t) => ({ value: t.code, text: t.label, selected: t.code === chosen })),
      { value: OTHER_SERVICE_TYPE, text: 'Other (not on the list): describe it below', selected: chosen === OTHER_SERVICE_TYPE },
    ],
    needItems: detail.needs.map((n) => ({
      value: n.id,
      text: `${n.domainLabel}: ${n.description}`,
      hint: { text: n.s117 ? 'Section 117 need: services meeting it are free' : `Not a section 117 need (${n.categoryLabel})` },
      checked: (values.needIds ?? []).includes(n.id),
    })),
    routeItems: deliveryRoutes.map((r) => ({ value: r, text: deliveryRouteLabels[r], checked: values.deliveryRoute === r })),
    payerItems: [
      { value: 'person', text: 'The person', checked: values.topUp?.payer === 'person' },
      { value: 'third-party', text: 'Someone else (a third party)', checked: values.topUp?.payer === 'third-party' },
    ],
    dates: { startOn: date('startOn'), endOn: date('endOn') },
  };
}

function detailsFormValues(body: FormBody) {
  const advocacy = advocacyKinds
    .filter((kind) => asString(body[`advocacy-${kind}-offered`]) === 'yes')
    .map((kind) => ({ kind, offeredOn: dateFromParts(body, `advocacy-${kind}-offeredOn`), used: asBoolean(body[`advocacy-${kind}-used`]), notes: asString(body[`advocacy-${kind}-notes`]) }));
  return {
    personVoice: asString(body.personVoice),
    goals: asString(body.goals),
    strengths: asString(body.strengths),
    earlyWarningSigns: asString(body.earlyWarningSigns),
    whatHelps: asString(body.whatHelps),
    crisisContacts: asString(body.crisisContacts),
    wrap: asString(body.wrap),
    carersInvolved: asString(body.carersInvolved),
    carerAssessmentOfferedOn: dateFromParts(body, 'carerAssessmentOfferedOn'),
    carerAssessmentOutcome: asString(body.carerAssessmentOutcome),
    advocacy,
    participants: asString(body.participants),
  };
}

function detailsChoices(plan: { advocacy: unknown; carerAssessmentOfferedOn: string | null }, raw: FormBody | null) {
  const stored = (plan.advocacy as AdvocacyEntry[] | null) ?? [];
  const date = (name: string, iso: string | null | undefined) => (raw ? { day: asString(raw[`${name}-day`]), month: asString(raw[`${name}-month`]), year: asString(raw[`${name}-year`]) } : dateParts(iso ?? null));
  const offeredKinds = raw ? advocacyKinds.filter((kind) => asString(raw[`advocacy-${kind}-offered`]) === 'yes') : [];
  return {
    carerDate: date('carerAssessmentOfferedOn', plan.carerAssessmentOfferedOn),
    advocacy: advocacyKinds.map((kind) => {
      const entry = stored.find((a) => a.kind === kind);
      const offered = raw ? asString(raw[`advocacy-${kind}-offered`]) === 'yes' : entry !== undefined;
      const used = raw ? asBoolean(raw[`advocacy-${kind}-used`]) : entry?.used;
      return {
        kind,
        /** Where this kind's answers sit in what was sent, for matching errors to fields. */
        errorIndex: offeredKinds.indexOf(kind),
        label: advocacyLabels[kind],
        offered,
        date: date(`advocacy-${kind}-offeredOn`, entry?.offeredOn),
        usedItems: yesNoItems(used),
        notes: raw ? asString(raw[`advocacy-${kind}-notes`]) : (entry?.notes ?? ''),
      };
    }),
  };
}

function budgetFormValues(body: FormBody) {
  return {
    kind: asString(body.kind) || undefined,
    requestedOn: dateFromParts(body, 'requestedOn'),
    status: asString(body.status) || undefined,
    decidedOn: dateFromParts(body, 'decidedOn'),
    notAppropriateReason: asString(body.notAppropriateReason),
    weeklyAmountPence: asString(body.weeklyAmount),
    notes: asString(body.notes),
  };
}

// ---------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------

/** Each body that must agree (or has), with who agreed and when, or that it is still to agree. */
function agreementRows(detail: PlanDetail): Array<{ body: string; text: string; at: Date | null; waiting: boolean; panelCaseId: string | null }> {
  const { agreement } = detail;
  const label = (b: 'local-authority' | 'icb') => (b === 'icb' ? 'ICB' : 'Local authority');
  const bodies = [...new Set<'local-authority' | 'icb'>([...agreement.required, ...agreement.agreed.map((a) => a.body)])].sort();
  return bodies.map((b) => {
    const a = agreement.agreed.find((x) => x.body === b);
    if (a) {
      const who = a.panelCaseId ? `The funding panel${a.agreedByName ? ` (recorded by ${a.agreedByName})` : ''}` : (a.agreedByName ?? 'Someone no longer recorded');
      return { body: label(b), text: `${who}${a.organisationName ? ` for ${a.organisationName}` : ''}`, at: a.agreedAt, waiting: false, panelCaseId: a.panelCaseId };
    }
    const w = agreement.waitingFor.find((x) => x.body === b);
    return { body: label(b), text: w ? `Waiting for ${w.name} to agree` : 'Not needed', at: null, waiting: Boolean(w), panelCaseId: null };
  });
}

function pageData(detail: PlanDetail) {
  const p = detail.person;
  return {
    p,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    plan: detail.plan,
    detail,
    base: base(p.id, detail.plan.id),
    statusTag:
      detail.plan.status === 'submitted' && detail.agreement.waitingFor.length > 0
        ? { text: waitingLabel(detail.agreement.waitingFor)!, classes: 'govuk-tag--yellow' }
        : { text: planStatusLabels[detail.plan.status], classes: planStatusTags[detail.plan.status] },
    agreementRows: agreementRows(detail),
    waitingNames: detail.agreement.waitingFor.map((w) => w.name).join(' and '),
    personStatus: statusLabels[p.status],
    money: formatPounds,
    advocacy: advocacyLines(detail.plan.advocacy),
    categoryClass: (category: string) => (category === 'section-117' ? 'govuk-tag--green' : 'govuk-tag--grey'),
  };
}

async function renderPlan(request: FastifyRequest, reply: FastifyReply, personId: string, planId: string, extra: Record<string, unknown> = {}) {
  const detail = await getPlan(request.ctx(), personId, planId);
  // Issue 16, item 6: whether advocacy was offered and used, from the referrals and this plan's list together.
  const advocacyRecord = await advocacyOfferedUsed(request.ctx(), personId, detail.plan.advocacy);
  // Issue 16, item 4: a plan whose accommodation or services suggest continuous supervision and control prompts the acid test.
  const libertyPrompt = await libertyPromptForPlan(request.ctx(), personId, planId);
  return reply.render(v('plan'), { title: `Aftercare plan ${detail.plan.planNumber}`, ...pageData(detail), advocacyRecord, libertyPrompt, ...extra });
}

async function editableDetail(request: FastifyRequest, personId: string, planId: string): Promise<PlanDetail> {
  const detail = await getPlan(request.ctx(), personId, planId);
  if (!detail.canEdit) throw new ForbiddenError(detail.plan.status === 'draft' ? 'You cannot change this plan' : 'Only a draft plan can be changed');
  return detail;
}

type PlanParams = { Params: { id: string; planId: string } };
type NeedParams = { Params: { id: string; planId: string; needId: string } };
type ServiceParams = { Params: { id: string; planId: string; serviceId: string } };

export function planRoutes(app: FastifyInstance): void {
  // ---- The person's plans
  app.get<{ Params: { id: string } }>('/people/:id/plans', async (request, reply) => {
    const overview = await listPlans(request.ctx(), request.params.id);
    const p = overview.person;
    return reply.render(v('plans'), {
      title: `Aftercare plans: ${p.givenName} ${p.familyName}`,
      ...overview,
      p,
      nhsNumber: formatNhsNumber(p.nhsNumber),
      statusLabels: planStatusLabels,
      statusTags: planStatusTags,
      personStatus: statusLabels[p.status],
    });
  });
  app.post<{ Params: { id: string } }>('/people/:id/plans', async (request, reply) => {
    try {
      const plan = await startPlan(request.ctx(), request.params.id);
      request.session.flash = { type: 'success', text: `Draft plan ${plan.planNumber} started.` };
      return await reply.redirect(base(request.params.id, plan.id));
    } catch (error) {
      const errors = errorsOf(error);
      const overview = await listPlans(request.ctx(), request.params.id);
      reply.status(422);
      return reply.render(v('plans'), { title: 'Aftercare plans', ...overview, p: overview.person, nhsNumber: formatNhsNumber(overview.person.nhsNumber), statusLabels: planStatusLabels, statusTags: planStatusTags, personStatus: statusLabels[overview.person.status], errors });
    }
  });

  // ---- Comparing two versions side by side
  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>('/people/:id/plans/compare', async (request, reply) => {
    const { from = '', to = '' } = request.query;
    const versions = await planVersions(request.ctx(), request.params.id, from, to);
    const needFields: DiffField[] = [
      { name: 'domain', label: 'Area of life', format: (x) => needDomainLabel(x as NeedDomain) },
      { name: 'description', label: 'Need' },
      { name: 'level', label: 'Level of support' },
      { name: 'category', label: 'Classified as', format: (x) => needCategoryLabels[x as NeedCategory] },
      { name: 'testsRationale', label: 'Why the two tests are or are not met' },
      { name: 'desiredOutcome', label: 'Outcome wanted' },
    ];
    const serviceFields: DiffField[] = [
      { name: 'serviceType', label: 'Service' },
      { name: 'provider', label: 'Provider' },
      { name: 'frequency', label: 'How often' },
      { name: 'weeklyCostPence', label: 'Weekly cost', format: (x) => formatPounds(x as number) },
      { name: 'deliveryRoute', label: 'Delivered as', format: (x) => deliveryRouteLabels[x as keyof typeof deliveryRouteLabels] },
      { name: 'localAuthorityBasisPoints', label: 'Split', format: (x) => formatSplit(x as number) },
      { name: 'splitBasis', label: 'Basis of the split' },
    ];
    const planFields: DiffField[] = [
      { name: 'personVoice', label: 'In their own words' },
      { name: 'goals', label: 'Goals' },
      { name: 'strengths', label: 'Strengths' },
      { name: 'earlyWarningSigns', label: 'Early warning signs' },
      { name: 'whatHelps', label: 'What helps' },
      { name: 'crisisContacts', label: 'Who to contact in a crisis' },
      { name: 'carersInvolved', label: 'Carers involved' },
      { name: 'participants', label: 'Who took part' },
    ];
    const needs = diffRecords(versions.from.needs, versions.to.needs, { key: 'lineageId', fields: needFields });
    const services = diffRecords(versions.from.services, versions.to.services, { key: 'lineageId', fields: serviceFields });
    const p = versions.person;
    return reply.render(v('plan-compare'), {
      title: `Compare plan ${versions.from.plan.planNumber} with plan ${versions.to.plan.planNumber}`,
      p,
      nhsNumber: formatNhsNumber(p.nhsNumber),
      from: versions.from.plan,
      to: versions.to.plan,
      details: diffFields(versions.from.plan, versions.to.plan, planFields),
      needs,
      services,
      needSummary: diffSummary(needs),
      serviceSummary: diffSummary(services),
    });
  });

  // ---- One plan
  app.get<PlanParams>('/people/:id/plans/:planId', async (request, reply) => renderPlan(request, reply, request.params.id, request.params.planId));

  app.get<PlanParams>('/people/:id/plans/:planId/print', async (request, reply) => {
    const detail = await getPlan(request.ctx(), request.params.id, request.params.planId);
    const model = buildPlanDocument(await planForDocument(request.ctx(), detail));
    return reply.render(v('plan-print'), { title: model.title, model, blocks: viewBlocks(model.blocks), ...pageData(detail) });
  });

  app.post<PlanParams>('/people/:id/plans/:planId/pdf', async (request, reply) => {
    const ctx = request.ctx();
    const detail = await getPlan(ctx, request.params.id, request.params.planId);
    const largePrint = detail.person.communicationNeeds.includes('large-print');
    const model = buildPlanDocument(await planForDocument(ctx, detail), { largePrint });
    const content = await renderPdf(model);
    const stored = await storePlanDocument(ctx, {
      personId: detail.person.id,
      planId: detail.plan.id,
      accessibleFormat: largePrint ? 'large-print' : 'standard',
      language: 'en-GB',
      title: model.title,
      mediaType: 'application/pdf',
      fileName: fileNameFor(`aftercare-plan-${detail.plan.planNumber}`, ctx.today()),
      content,
    });
    return reply.redirect(`/people/${detail.person.id}/documents/${stored.id}`);
  });

  // ---- Co-production details
  app.get<PlanParams>('/people/:id/plans/:planId/details', async (request, reply) => {
    const detail = await editableDetail(request, request.params.id, request.params.planId);
    return reply.render(v('details-form'), { title: 'The person’s voice, crisis plan and who was involved', ...pageData(detail), values: detail.plan, ...detailsChoices(detail.plan, null) });
  });
  app.post<PlanParams>('/people/:id/plans/:planId/details', async (request, reply) => {
    const body = formBody(request.body);
    const values = detailsFormValues(body);
    try {
      await updatePlanDetails(request.ctx(), request.params.id, request.params.planId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: 'The plan has been updated.' };
      return await reply.redirect(base(request.params.id, request.params.planId));
    } catch (error) {
      const errors = errorsOf(error);
      const detail = await editableDetail(request, request.params.id, request.params.planId);
      reply.status(422);
      return reply.render(v('details-form'), { title: 'The person’s voice, crisis plan and who was involved', ...pageData(detail), values, ...detailsChoices(detail.plan, body), errors, version: asVersion(body.version) });
    }
  });

  // ---- Needs
  app.get<PlanParams>('/people/:id/plans/:planId/needs/new', async (request, reply) => {
    const detail = await editableDetail(request, request.params.id, request.params.planId);
    return reply.render(v('need-form'), { title: 'Add a need', ...pageData(detail), action: `${base(request.params.id, request.params.planId)}/needs/new`, values: {}, ...needChoices({}) });
  });
  app.post<PlanParams>('/people/:id/plans/:planId/needs/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = needFormValues(body);
    try {
      await addNeed(request.ctx(), request.params.id, request.params.planId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: 'The need has been added and classified.' };
      return await reply.redirect(`${base(request.params.id, request.params.planId)}#needs`);
    } catch (error) {
      const errors = errorsOf(error);
      const detail = await editableDetail(request, request.params.id, request.params.planId);
      reply.status(422);
      return reply.render(v('need-form'), { title: 'Add a need', ...pageData(detail), action: `${base(request.params.id, request.params.planId)}/needs/new`, values, ...needChoices(values), errors, version: asVersion(body.version) });
    }
  });
  app.get<NeedParams>('/people/:id/plans/:planId/needs/:needId', async (request, reply) => {
    const detail = await editableDetail(request, request.params.id, request.params.planId);
    const need = detail.needs.find((n) => n.id === request.params.needId);
    if (!need) return reply.callNotFound();
    const values = needValuesFromRow(need);
    return reply.render(v('need-form'), { title: 'Change a need', ...pageData(detail), need, action: `${base(request.params.id, request.params.planId)}/needs/${need.id}`, values, ...needChoices(values) });
  });
  app.post<NeedParams>('/people/:id/plans/:planId/needs/:needId', async (request, reply) => {
    const body = formBody(request.body);
    const values = needFormValues(body);
    try {
      await updateNeed(request.ctx(), request.params.id, request.params.planId, request.params.needId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: 'The need has been changed and classified again.' };
      return await reply.redirect(`${base(request.params.id, request.params.planId)}#needs`);
    } catch (error) {
      const errors = errorsOf(error);
      const detail = await editableDetail(request, request.params.id, request.params.planId);
      reply.status(422);
      return reply.render(v('need-form'), { title: 'Change a need', ...pageData(detail), action: `${base(request.params.id, request.params.planId)}/needs/${request.params.needId}`, values, ...needChoices(values), errors, version: asVersion(body.version) });
    }
  });
  app.post<NeedParams>('/people/:id/plans/:planId/needs/:needId/remove', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await removeNeed(request.ctx(), request.params.id, request.params.planId, request.params.needId, asVersion(body.version));
      request.session.flash = { type: 'success', text: 'The need has been removed from the draft.' };
      return await reply.redirect(`${base(request.params.id, request.params.planId)}#needs`);
    } catch (error) {
      reply.status(422);
      return renderPlan(request, reply, request.params.id, request.params.planId, { errors: errorsOf(error) });
    }
  });

  // ---- Services
  app.get<PlanParams>('/people/:id/plans/:planId/services/new', async (request, reply) => {
    const detail = await editableDetail(request, request.params.id, request.params.planId);
    const values: Partial<ServiceValues> = { topUp: null };
    return reply.render(v('service-form'), { title: 'Add a service', ...pageData(detail), action: `${base(request.params.id, request.params.planId)}/services/new`, values, ...serviceChoices(values, detail, null, await serviceTypesForForm(request.ctx())) });
  });
  app.post<PlanParams>('/people/:id/plans/:planId/services/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = serviceFormValues(body);
    try {
      const added = await addService(request.ctx(), request.params.id, request.params.planId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: `${added.serviceType} has been added to the plan.` };
      return await reply.redirect(`${base(request.params.id, request.params.planId)}#services`);
    } catch (error) {
      const errors = errorsOf(error);
      const detail = await editableDetail(request, request.params.id, request.params.planId);
      reply.status(422);
      return reply.render(v('service-form'), { title: 'Add a service', ...pageData(detail), action: `${base(request.params.id, request.params.planId)}/services/new`, values, ...serviceChoices(values, detail, body, await serviceTypesForForm(request.ctx())), errors, version: asVersion(body.version) });
    }
  });
  app.get<ServiceParams>('/people/:id/plans/:planId/services/:serviceId', async (request, reply) => {
    const detail = await editableDetail(request, request.params.id, request.params.planId);
    const service = detail.services.find((s) => s.id === request.params.serviceId);
    if (!service) return reply.callNotFound();
    const values = serviceValuesFromRow(service);
    return reply.render(v('service-form'), { title: 'Change a service', ...pageData(detail), service, action: `${base(request.params.id, request.params.planId)}/services/${service.id}`, values, ...serviceChoices(values, detail, null, await serviceTypesForForm(request.ctx())) });
  });
  app.post<ServiceParams>('/people/:id/plans/:planId/services/:serviceId', async (request, reply) => {
    const body = formBody(request.body);
    const values = serviceFormValues(body);
    try {
      const changed = await updateService(request.ctx(), request.params.id, request.params.planId, request.params.serviceId, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: `${changed.serviceType} has been changed.` };
      return await reply.redirect(`${base(request.params.id, request.params.planId)}#services`);
    } catch (error) {
      const errors = errorsOf(error);
      const detail = await editableDetail(request, request.params.id, request.params.planId);
      reply.status(422);
      return reply.render(v('service-form'), { title: 'Change a service', ...pageData(detail), action: `${base(request.params.id, request.params.planId)}/services/${request.params.serviceId}`, values, ...serviceChoices(values, detail, body, await serviceTypesForForm(request.ctx())), errors, version: asVersion(body.version) });
    }
  });
  app.post<ServiceParams>('/people/:id/plans/:planId/services/:serviceId/remove', async (request, reply) => {
    const body = formBody(request.body);
    await removeService(request.ctx(), request.params.id, request.params.planId, request.params.serviceId, asVersion(body.version));
    request.session.flash = { type: 'success', text: 'The service has been removed from the draft.' };
    return reply.redirect(`${base(request.params.id, request.params.planId)}#services`);
  });

  // ---- Direct payments and personal health budgets
  app.get<PlanParams>('/people/:id/plans/:planId/budgets/new', async (request, reply) => {
    const detail = await getPlan(request.ctx(), request.params.id, request.params.planId);
    return reply.render(v('budget-form'), { title: 'Record a direct payment or personal health budget request', ...pageData(detail), values: {}, dates: { requestedOn: dateParts(null), decidedOn: dateParts(null) } });
  });
  app.post<PlanParams>('/people/:id/plans/:planId/budgets/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = budgetFormValues(body);
    try {
      await recordBudgetRequest(request.ctx(), request.params.id, request.params.planId, values);
      request.session.flash = { type: 'success', text: 'The request has been recorded.' };
      return await reply.redirect(`${base(request.params.id, request.params.planId)}#budgets`);
    } catch (error) {
      const errors = errorsOf(error);
      const detail = await getPlan(request.ctx(), request.params.id, request.params.planId);
      const date = (name: string) => ({ day: asString(body[`${name}-day`]), month: asString(body[`${name}-month`]), year: asString(body[`${name}-year`]) });
      reply.status(422);
      return reply.render(v('budget-form'), { title: 'Record a direct payment or personal health budget request', ...pageData(detail), values, dates: { requestedOn: date('requestedOn'), decidedOn: date('decidedOn') }, errors });
    }
  });

  // ---- Lifecycle
  app.post<PlanParams>('/people/:id/plans/:planId/submit', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await submitPlan(request.ctx(), request.params.id, request.params.planId, asVersion(body.version));
      request.session.flash = { type: 'success', text: 'The plan has been submitted for approval by the responsible local authority or ICB.' };
      return await reply.redirect(base(request.params.id, request.params.planId));
    } catch (error) {
      reply.status(422);
      return renderPlan(request, reply, request.params.id, request.params.planId, { errors: errorsOf(error) });
    }
  });
  app.post<PlanParams>('/people/:id/plans/:planId/approve', async (request, reply) => {
    const body = formBody(request.body);
    const decision = asString(body.decision);
    try {
      if (decision === 'return') {
        await returnPlan(request.ctx(), request.params.id, request.params.planId, asVersion(body.version), asString(body.note));
        request.session.flash = { type: 'success', text: 'The plan has been returned to draft with your comments.' };
      } else {
        const outcome = await approvePlan(request.ctx(), request.params.id, request.params.planId, asVersion(body.version), asString(body.note));
        request.session.flash = outcome.approved
          ? { type: 'success', text: 'The plan has been approved. It replaces any earlier approved plan.' }
          : {
              type: 'important',
              text: `${outcome.agreedFor ?? 'Your organisation'} has agreed to the plan. It is not approved yet: it is waiting for ${outcome.waitingFor.join(' and ')} to agree. Their approvers have been told.`,
            };
      }
      return await reply.redirect(base(request.params.id, request.params.planId));
    } catch (error) {
      reply.status(422);
      return renderPlan(request, reply, request.params.id, request.params.planId, { errors: errorsOf(error), note: asString(body.note) });
    }
  });

  // ---- The partnership's policy: when the ICB must agree a plan (issue 13)
  app.get('/admin/funding-agreement', async (request, reply) => {
    const policy = await openFundingPolicy(request.ctx());
    return renderFundingPolicy(reply, policy, fundingPolicyValues(policy));
  });
  app.post('/admin/funding-agreement', async (request, reply) => {
    const ctx = request.ctx();
    // Refuse before reading the form, so someone without the permission learns nothing from its checks.
    if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
    const body = formBody(request.body);
    const values = { mode: asString(body.mode), thresholdPounds: asString(body.thresholdPounds), alwaysForHealthNeeds: asArray(body.alwaysForHealthNeeds).includes('yes'), basis: asString(body.basis) };
    try {
      await updateFundingPolicy(ctx, asVersion(body.version), { ...values, mode: values.mode || undefined });
      request.session.flash = { type: 'success', text: 'The policy on when the ICB must agree a plan has been saved.' };
      return await reply.redirect('/admin/funding-agreement');
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderFundingPolicy(reply, await openFundingPolicy(ctx), values, errors);
    }
  });
}

function fundingPolicyValues(policy: FundingPolicyView) {
  return {
    mode: policy.icbThresholdWeeklyPence === null ? 'any' : 'threshold',
    thresholdPounds: policy.icbThresholdWeeklyPence === null ? '' : (policy.icbThresholdWeeklyPence / 100).toFixed(2),
    alwaysForHealthNeeds: policy.icbAlwaysForHealthNeeds,
    basis: policy.basis ?? '',
  };
}

function renderFundingPolicy(reply: FastifyReply, policy: FundingPolicyView, values: ReturnType<typeof fundingPolicyValues>, errors?: ReturnType<typeof errorsOf>) {
  return reply.render(v('funding-policy'), { title: 'When the ICB must agree a plan', policy, values, errors });
}
