import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { planTotals, type FunderTotals } from '../../domain/funding.ts';
import { indicativeBudget } from '../../domain/personal-budget.ts';
import { needCategories, needDomainIds, type NeedDomain } from '../../domain/rules/index.ts';
import { ConflictError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { parseApiInput, parseWithRules } from '../../platform/http/api-input.ts';
import { advocacyKinds, deliveryRoutes, needInputSchema, serviceInputSchema } from './inputs.ts';
import type { AgreementState } from './agreement.service.ts';
import {
  addNeed,
  addService,
  getPlan,
  listPlans,
  needView,
  planAsStored,
  planForPatch,
  removeNeed,
  removeService,
  serviceView,
  startPlan,
  submitPlan,
  updateNeed,
  updatePlanDetails,
  updateService,
  type NeedView,
  type PlanRow,
  type ServiceView,
} from './plans.service.ts';

/*
 * The aftercare plans API: partners' systems read a person's plans and build a draft (its
 * co-production details, needs and services) and submit it. Approval is not here: a team
 * manager or senior practitioner of a responsible body approves a plan, in person.
 *
 * Every change to a draft takes the plan's `version` (in the body, or `?version=` for a
 * DELETE) and answers with the plan's new version, so a client can chain its changes; a stale
 * version is a 409 and nothing is changed. Money is whole pence in both directions; shares
 * are percentages (up to 2 decimal places). The rules (section 117 needs, no charge for a
 * section 117 service, splits adding up to 100%, top-ups for adults only…) are the plan
 * service's: a refusal is a 422 naming the field, as the plan pages show it.
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or no permission to change their record'),
  404: problemSchema.describe('No such person, plan, need or service'),
  409: problemSchema.describe('The plan changed since `version` was read, or it is no longer a draft: nothing was changed. Read the plan again'),
  422: problemSchema.describe('The input is not valid, or breaks a rule; `errors` names each field'),
};

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

const penceInt = (what: string) => z.int().describe(`${what}, in whole pence`);

const funderTotalsSchema = z
  .object({
    localAuthorityPence: penceInt('The local authority’s share'),
    icbPence: penceInt('The ICB’s share'),
    totalPence: penceInt('The total'),
  })
  .describe('Money by funder. Each service’s cost is split first (the local authority’s share rounded to the penny, half up; the ICB pays the rest), then the shares are summed');

const reasonOutSchema = z.object({ rule: z.string().describe('Rule id, for example "R19"'), text: z.string(), source: z.string() });

const needOutSchema = z
  .object({
    id: z.uuid(),
    lineageId: z.uuid().describe('The same need across plan versions'),
    domain: z.enum(needDomainIds),
    domainLabel: z.string(),
    description: z.string(),
    personWords: z.string().nullable(),
    strengths: z.string().nullable(),
    desiredOutcome: z.string().nullable(),
    level: z.enum(['low', 'medium', 'high']),
    arisesFromMentalDisorder: z.boolean().describe('Section 117(6) test (a)'),
    reducesRiskOfDeterioration: z.boolean().describe('Section 117(6) test (b)'),
    testsRationale: z.string(),
    accommodationEnhanced: z.boolean().nullable(),
    accommodationFeature: z.string().nullable(),
    primaryHealthNeed: z.boolean(),
    healthNeed: z.boolean(),
    eligibleCareActNeed: z.boolean(),
    category: z.enum(needCategories).describe('What meets the need: section 117 aftercare, or the law that applies when it is not'),
    categoryLabel: z.string(),
    s117: z.boolean().describe('A section 117 need: both tests met (and, for accommodation, accommodation-plus with its feature described) for a person who is entitled or pending'),
    summary: z.string(),
    reasons: z.array(reasonOutSchema).describe('Why the need was classified so'),
  })
  .describe('A need in the plan, classified by the rules engine');

const topUpOutSchema = z
  .object({
    preferredWeeklyPence: penceInt('The weekly cost of the preferred accommodation'),
    usualWeeklyPence: penceInt('What would usually be paid a week'),
    payer: z.enum(['person', 'third-party']),
    topUpWeeklyPence: penceInt('The top-up a week (preferred minus usual)'),
  })
  .nullable()
  .describe('A top-up for preferred accommodation (adults only), not part of the funders’ totals');

const serviceOutSchema = z
  .object({
    id: z.uuid(),
    lineageId: z.uuid().describe('The same service across plan versions'),
    needIds: z.array(z.uuid()).describe('The needs of this plan the service meets'),
    serviceType: z.string().describe('The type’s name, or the words of a service whose type is "other"'),
    serviceTypeCode: z.string().nullable().describe('The type of service: a code from the list, a partnership’s own "local-…" type, or "other"'),
    provider: z.string(),
    startOn: z.string().describe('YYYY-MM-DD'),
    endOn: z.string().nullable().describe('YYYY-MM-DD'),
    frequency: z.string(),
    unitsPerWeek: z.number(),
    unitCostPence: penceInt('The cost of one unit'),
    weeklyCostPence: penceInt('Unit cost × units a week, rounded to the penny (half up)'),
    deliveryRoute: z.enum(deliveryRoutes),
    s117: z.boolean().describe('A section 117 service (it meets a section 117 need): free to the person'),
    localAuthorityPercent: z.number(),
    icbPercent: z.number(),
    splitBasis: z.string(),
    chargePence: penceInt('What the person is charged a week (always 0 for a section 117 service)'),
    topUp: topUpOutSchema,
    weekly: funderTotalsSchema.describe('This service’s weekly cost by funder'),
  })
  .describe('A service in the plan');

const advocacyOutSchema = z.object({
  kind: z.enum(advocacyKinds),
  offeredOn: z.string().describe('YYYY-MM-DD'),
  used: z.boolean(),
  notes: z.string().nullable(),
});

const detailsShape = {
  personVoice: z.string().nullable().describe('What the person says, in their words'),
  goals: z.string().nullable(),
  strengths: z.string().nullable(),
  earlyWarningSigns: z.string().nullable(),
  whatHelps: z.string().nullable(),
  crisisContacts: z.string().nullable(),
  wrap: z.string().nullable().describe('WRAP or equivalent: what it is and where it is held'),
  carersInvolved: z.string().nullable(),
  carerAssessmentOfferedOn: z.string().nullable().describe('YYYY-MM-DD'),
  carerAssessmentOutcome: z.string().nullable(),
  advocacy: z.array(advocacyOutSchema),
  participants: z.string().nullable().describe('Who took part in making the plan, and how'),
};

const planOutSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    planNumber: z.int().describe('1, 2, 3… for the person'),
    status: z.enum(['draft', 'submitted', 'approved', 'superseded']),
    version: z.int().describe('Send it with every change to the draft; it changes on every change'),
    ...detailsShape,
    needs: z.array(needOutSchema),
    services: z.array(serviceOutSchema),
    totals: z
      .object({ weekly: funderTotalsSchema, yearly: funderTotalsSchema, weeksPerYear: z.int().describe('The partnership’s weeks a year (default 52)') })
      .describe('The plan’s cost by funder, a week and a year (a year is each service’s weekly cost × weeks a year, then split)'),
    indicativeBudget: z
      .object({ weeklyPence: z.int(), annualPence: z.int(), points: z.int() })
      .nullable()
      .describe('The indicative personal budget from the partnership’s resource allocation (section 117 needs only); null with no needs'),
    problems: z.array(z.string()).describe('What stops the draft being submitted; empty when it can be'),
    createdAt: z.string().describe('ISO 8601 timestamp'),
    submittedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    approvalNote: z.string().nullable().describe('The approver’s note, or why the plan was returned to draft'),
    supersededAt: z.string().nullable(),
    panelCaseId: z.uuid().nullable().describe('The funding panel case whose decision made this version (a panel never changes an approved plan: it starts the next version)'),
    agreement: z
      .object({
        required: z.array(z.enum(['local-authority', 'icb'])).describe('The bodies that must agree before the plan is approved: each body that pays (the ICB subject to the partnership’s threshold); empty when either responsible body may approve alone'),
        agreed: z.array(
          z.object({
            body: z.enum(['local-authority', 'icb']),
            organisationName: z.string().nullable(),
            agreedByName: z.string().nullable(),
            agreedAt: z.string().describe('ISO 8601 timestamp'),
            panelCaseId: z.uuid().nullable().describe('Set when the agreement is a funding panel’s decision'),
          }),
        ),
        waitingFor: z.array(z.object({ body: z.enum(['local-authority', 'icb']), name: z.string() })).describe('The bodies still to agree, by name'),
      })
      .describe('Each body that pays agrees (issue 13). Approving is done in Aftercare by the bodies’ approvers, not through the API.'),
  })
  .describe('A version of the person’s aftercare plan, with its needs, services and totals');

type PlanOut = z.input<typeof planOutSchema>;
type NeedOut = z.input<typeof needOutSchema>;
type ServiceOut = z.input<typeof serviceOutSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function needOut(n: NeedView): NeedOut {
  return {
    id: n.id,
    lineageId: n.lineageId,
    domain: n.domain as NeedDomain,
    domainLabel: n.domainLabel,
    description: n.description,
    personWords: n.personWords,
    strengths: n.strengths,
    desiredOutcome: n.desiredOutcome,
    level: n.level,
    arisesFromMentalDisorder: n.arisesFromMentalDisorder,
    reducesRiskOfDeterioration: n.reducesRiskOfDeterioration,
    testsRationale: n.testsRationale,
    accommodationEnhanced: n.accommodationEnhanced,
    accommodationFeature: n.accommodationFeature,
    primaryHealthNeed: n.primaryHealthNeed,
    healthNeed: n.healthNeed,
    eligibleCareActNeed: n.eligibleCareActNeed,
    category: n.category as (typeof needCategories)[number],
    categoryLabel: n.categoryLabel,
    s117: n.s117,
    summary: n.summary,
    reasons: n.reasons.map((r) => ({ rule: r.rule, text: r.text, source: r.source })),
  };
}

function serviceOut(s: ServiceView): ServiceOut {
  return {
    id: s.id,
    lineageId: s.lineageId,
    needIds: s.needIds,
    serviceType: s.serviceType,
    serviceTypeCode: s.serviceTypeCode,
    provider: s.provider,
    startOn: s.startOn,
    endOn: s.endOn,
    frequency: s.frequency,
    unitsPerWeek: s.unitsPerWeek,
    unitCostPence: s.unitCostPence,
    weeklyCostPence: s.weeklyCostPence,
    deliveryRoute: s.deliveryRoute,
    s117: s.s117,
    localAuthorityPercent: s.localAuthorityPercent,
    icbPercent: s.icbPercent,
    splitBasis: s.splitBasis,
    chargePence: s.chargePence,
    topUp:
      s.topUpPreferredWeeklyPence === null || s.topUpUsualWeeklyPence === null
        ? null
        : {
            preferredWeeklyPence: s.topUpPreferredWeeklyPence,
            usualWeeklyPence: s.topUpUsualWeeklyPence,
            payer: s.topUpPayer === 'third-party' ? 'third-party' : 'person',
            topUpWeeklyPence: s.topUpWeeklyPence ?? 0,
          },
    weekly: s.weekly,
  };
}

interface PlanParts {
  plan: PlanRow;
  needs: NeedView[];
  services: ServiceView[];
  totals: { weekly: FunderTotals; yearly: FunderTotals };
  weeksPerYear: number;
  indicative: { weeklyPence: number; annualPence: number; points: number } | null;
  problems: string[];
  agreement: AgreementState;
}

function planOut(p: PlanParts): PlanOut {
  const { plan } = p;
  return {
    id: plan.id,
    personId: plan.personId,
    planNumber: plan.planNumber,
    status: plan.status,
    version: plan.version,
    personVoice: plan.personVoice,
    goals: plan.goals,
    strengths: plan.strengths,
    earlyWarningSigns: plan.earlyWarningSigns,
    whatHelps: plan.whatHelps,
    crisisContacts: plan.crisisContacts,
    wrap: plan.wrap,
    carersInvolved: plan.carersInvolved,
    carerAssessmentOfferedOn: plan.carerAssessmentOfferedOn,
    carerAssessmentOutcome: plan.carerAssessmentOutcome,
    advocacy: storedAdvocacy(plan.advocacy),
    participants: plan.participants,
    needs: p.needs.map(needOut),
    services: p.services.map(serviceOut),
    totals: { weekly: p.totals.weekly, yearly: p.totals.yearly, weeksPerYear: p.weeksPerYear },
    indicativeBudget: p.indicative ? { weeklyPence: p.indicative.weeklyPence, annualPence: p.indicative.annualPence, points: p.indicative.points } : null,
    problems: p.problems,
    createdAt: plan.createdAt.toISOString(),
    submittedAt: iso(plan.submittedAt),
    approvedAt: iso(plan.approvedAt),
    approvalNote: plan.approvalNote,
    supersededAt: iso(plan.supersededAt),
    panelCaseId: plan.panelCaseId,
    agreement: {
      required: p.agreement.required,
      agreed: p.agreement.agreed.map((a) => ({ body: a.body, organisationName: a.organisationName, agreedByName: a.agreedByName, agreedAt: a.agreedAt.toISOString(), panelCaseId: a.panelCaseId })),
      waitingFor: p.agreement.waitingFor,
    },
  };
}

type AdvocacyOut = z.input<typeof advocacyOutSchema>;

function storedAdvocacy(raw: unknown): AdvocacyOut[] {
  if (!Array.isArray(raw)) return [];
  return (raw as Array<Partial<AdvocacyOut>>).map((a) => ({
    kind: a.kind ?? 'imha',
    offeredOn: a.offeredOn ?? '',
    used: a.used === true,
    notes: a.notes ?? null,
  }));
}

/** GET: the plan as the service reads it (access checked, the view audited). */
async function readPlan(ctx: ServiceContext, personId: string, planId: string): Promise<PlanOut> {
  const d = await getPlan(ctx, personId, planId);
  return planOut({ plan: d.plan, needs: d.needs, services: d.services, totals: d.totals, weeksPerYear: d.weeksPerYear, indicative: d.indicative, problems: d.problems, agreement: d.agreement });
}

/**
 * The plan as stored right after a change the actor has just made (so access was checked by the
 * change), without recording a view: the change itself is audited.
 */
async function reloadPlan(ctx: ServiceContext, personId: string, planId: string): Promise<PlanOut> {
  const { plan, needs, services, settings, agreement } = await planAsStored(ctx, personId, planId);
  const indicative =
    needs.length > 0
      ? indicativeBudget(
          settings.resourceAllocation,
          needs.map((n) => ({ domain: n.domain as NeedDomain, level: n.level, s117: n.s117 })),
          settings.weeksPerYear,
        )
      : null;
  return planOut({
    plan,
    needs: needs.map(needView),
    services: services.map((s) => serviceView(s, needs)),
    totals: planTotals(services, settings.weeksPerYear),
    weeksPerYear: settings.weeksPerYear,
    indicative,
    problems: submissionProblemsOf(needs, services),
    agreement,
  });
}

/** The same problems as the service's submission check, for the plan returned after a change. */
function submissionProblemsOf(needs: Array<{ id: string; s117: boolean; description: string }>, services: Array<{ needIds: string[]; serviceType: string }>): string[] {
  const out: string[] = [];
  if (needs.length === 0) out.push('Add at least one need');
  for (const s of services) {
    if (s.needIds.length === 0 || !s.needIds.every((id) => needs.some((n) => n.id === id))) out.push(`Say which needs “${s.serviceType}” meets`);
  }
  for (const n of needs.filter((x) => x.s117)) {
    if (!services.some((s) => s.needIds.includes(n.id))) out.push(`Add a service that meets the section 117 need “${n.description}”`);
  }
  return out;
}

const planListEntrySchema = z.object({
  id: z.uuid(),
  planNumber: z.int(),
  status: z.enum(['draft', 'submitted', 'approved', 'superseded']),
  createdAt: z.string().describe('ISO 8601 timestamp'),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedByName: z.string().nullable(),
});

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

const versionField = z
  .int({ error: 'Give the plan’s version, a whole number: the `version` of the plan as you last read it' })
  .min(1, 'The plan’s version is a whole number from 1')
  .describe('The plan’s `version` as you last read it');

const text = (label: string, max: number) => z.string({ error: `${label} must be text` }).max(max, `${label} must be ${max} characters or fewer`);
const optionalText = (label: string, max: number) => text(label, max).nullish();
const isoDate = (label: string) =>
  z
    .string({ error: `${label} must be text written YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be written YYYY-MM-DD, for example "2025-06-01"`)
    .describe(`${label}, YYYY-MM-DD`);
const pence = (label: string) =>
  z
    .int({ error: `${label} must be a whole number of pence, like 2150 for £21.50` })
    .min(0, `${label} must be 0 or more pence`)
    .max(100_000_000, `${label} must be 100000000 pence (£1,000,000) or less`)
    .describe(`${label}, in whole pence (2150 = £21.50)`);
const percent = (label: string) =>
  z
    .number({ error: `${label} must be a number from 0 to 100, like 60` })
    .min(0, `${label} must be from 0 to 100`)
    .max(100, `${label} must be from 0 to 100`)
    .describe(`${label} of the cost, a percentage with up to 2 decimal places (33.33)`);
const oneOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

const detailsBodySchema = z
  .strictObject({
    version: versionField,
    personVoice: optionalText('What the person says', 5000),
    goals: optionalText('Goals', 5000),
    strengths: optionalText('Strengths', 5000),
    earlyWarningSigns: optionalText('Early warning signs', 5000),
    whatHelps: optionalText('What helps', 5000),
    crisisContacts: optionalText('Who to contact in a crisis', 2000),
    wrap: optionalText('WRAP or equivalent', 1000),
    carersInvolved: optionalText('Carers involved', 2000),
    carerAssessmentOfferedOn: isoDate('The date a carer’s assessment was offered').nullish(),
    carerAssessmentOutcome: optionalText('Outcome of the carer’s assessment', 2000),
    advocacy: z
      .array(
        z.strictObject({
          kind: z.enum(advocacyKinds, { error: `The kind of advocate must be one of ${oneOf(advocacyKinds)}` }),
          offeredOn: isoDate('The date advocacy was offered'),
          used: z.boolean({ error: 'used must be true or false' }),
          notes: optionalText('Notes', 1000),
        }),
        { error: 'advocacy must be a list' },
      )
      .max(3, 'List at most 3 kinds of advocacy')
      .nullish()
      .describe('Advocacy offered and used (replaces the list)'),
    participants: optionalText('Who took part', 2000),
  })
  .describe('The plan’s co-production details. A field left out keeps its value; null clears it');

const needBodySchema = z
  .strictObject({
    version: versionField,
    domain: z.enum(needDomainIds, { error: `domain must be one of ${oneOf(needDomainIds)}` }).describe('The area of life the need is about'),
    description: text('The description', 2000),
    personWords: optionalText('The person’s own words', 2000),
    strengths: optionalText('Strengths', 2000),
    desiredOutcome: optionalText('The outcome they want', 2000),
    level: z.enum(['low', 'medium', 'high'], { error: 'level must be "low", "medium" or "high"' }),
    arisesFromMentalDisorder: z.boolean({ error: 'arisesFromMentalDisorder must be true or false' }).describe('Section 117(6) test (a): the need arises from or relates to the person’s mental disorder'),
    reducesRiskOfDeterioration: z
      .boolean({ error: 'reducesRiskOfDeterioration must be true or false' })
      .describe('Section 117(6) test (b): meeting the need reduces the risk of the mental condition deteriorating (and of readmission)'),
    testsRationale: text('The explanation', 4000).describe('Why the two tests are or are not met'),
    accommodationEnhanced: z
      .boolean({ error: 'accommodationEnhanced must be true, false or null' })
      .nullish()
      .describe('Required for an accommodation need: whether it is enhanced or specialised because of the mental disorder ("accommodation-plus"). Ignored for any other need'),
    accommodationFeature: optionalText('The enhanced or specialised feature', 1000).describe('Required when accommodationEnhanced is true, for example "24-hour staffing by mental health workers"'),
    primaryHealthNeed: z.boolean({ error: 'primaryHealthNeed must be true or false' }).optional().describe('Part of a primary health need (NHS Continuing Healthcare)'),
    healthNeed: z.boolean({ error: 'healthNeed must be true or false' }).optional(),
    eligibleCareActNeed: z.boolean({ error: 'eligibleCareActNeed must be true or false' }).optional(),
  })
  .describe('A need, with the two statutory tests and the rationale; the rules engine classifies it');

const serviceBodySchema = z
  .strictObject({
    version: versionField,
    needIds: z.array(z.string({ error: 'Each need id must be text' }), { error: 'needIds must be a list of the ids of needs in this plan' }).describe('The needs of this plan the service meets (at least one)'),
    serviceTypeCode: text('The code of the type of service', 80)
      .nullish()
      .describe('The type of service: a code from the partnership’s list of types (GET the plan service form or see the administrators’ "Types of service" page), or "other" with serviceType describing it'),
    serviceType: optionalText('The type of service', 200).describe(
      'The service in words: needed when serviceTypeCode is "other" or not given. Words that clearly name a type on the list (such as "Supported living (24-hour staffed)") are given that type; anything else is "other"',
    ),
    provider: text('The provider', 200),
    startOn: isoDate('The start date'),
    endOn: isoDate('The end date').nullish(),
    frequency: text('How often', 200).describe('In words, for example "3 visits a week of 1 hour"'),
    unitsPerWeek: z.number({ error: 'unitsPerWeek must be a number, like 7.5' }).describe('Units a week, up to 2 decimal places'),
    unitCostPence: pence('The unit cost'),
    deliveryRoute: z.enum(deliveryRoutes, { error: `deliveryRoute must be one of ${oneOf(deliveryRoutes)}` }),
    localAuthorityPercent: percent('The local authority’s share'),
    icbPercent: percent('The ICB’s share'),
    splitBasis: text('The basis of the split', 1000).describe('Why the split was agreed: there is no national default'),
    chargePence: pence('The weekly charge to the person').nullish().describe('A weekly charge to the person: refused for a section 117 service, which is free'),
    topUp: z
      .strictObject({
        preferredWeeklyPence: pence('The weekly cost of the preferred accommodation'),
        usualWeeklyPence: pence('The usual weekly cost'),
        payer: z.enum(['person', 'third-party'], { error: 'payer must be "person" or "third-party"' }),
      })
      .nullish()
      .describe('A top-up for preferred accommodation: adults only, and only for an accommodation need'),
  })
  .describe('A service that meets needs of the plan, with its cost, delivery route and the split between the local authority and the ICB');

const versionBodySchema = z.strictObject({ version: versionField }).describe('The plan’s version as you last read it');
const versionQuerySchema = z.object({ version: z.string().optional().describe('The plan’s version as you last read it') });

/** Pence as the plan service's pounds field takes them: 2150 → "21.50". */
function pounds(p: number): string {
  return `${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
}

function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null && v !== undefined));
}

/** A service body in the shape the plan service's own schema takes (pounds as text). */
function serviceInput(body: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, ...rest } = withoutNulls(body);
  const money = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? pounds(v) : v);
  const topUp = rest.topUp as Record<string, unknown> | undefined;
  return {
    ...rest,
    ...(rest.unitCostPence !== undefined ? { unitCostPence: money(rest.unitCostPence) } : {}),
    ...(rest.chargePence !== undefined ? { chargePence: money(rest.chargePence) } : {}),
    ...(topUp && typeof topUp === 'object' ? { topUp: { ...topUp, preferredWeeklyPence: money(topUp.preferredWeeklyPence), usualWeeklyPence: money(topUp.usualWeeklyPence) } } : {}),
  };
}

/** The plan service's rules, run on the API body too, so one answer names every problem. */
const serviceRules = z.unknown().transform((v) => (v !== null && typeof v === 'object' ? serviceInput(v as Record<string, unknown>) : v)).pipe(serviceInputSchema);

/**
 * A need body as the plan service takes it. Whether accommodation is enhanced counts only for
 * an accommodation need (as on the need form): for any other need it is left out, so it cannot
 * make the need "ordinary accommodation".
 */
function needInput(body: Record<string, unknown>): Record<string, unknown> {
  const { version: _version, ...rest } = withoutNulls(body);
  if (rest.domain !== 'accommodation') {
    delete rest.accommodationEnhanced;
    delete rest.accommodationFeature;
  }
  return rest;
}

function parseVersionQuery(query: unknown): number {
  const raw = (query as { version?: unknown }).version;
  const value = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  return parseApiInput(
    z.object({
      version: z
        .string({ error: 'Give the plan’s version as ?version=, the `version` of the plan as you last read it' })
        .regex(/^[1-9]\d{0,9}$/, 'The plan’s version must be a whole number from 1')
        .transform(Number),
    }),
    { version: value },
  ).version;
}

/** PATCH: a field left out keeps its stored value; null clears it. */
async function mergedDetails(ctx: ServiceContext, personId: string, planId: string, body: z.output<typeof detailsBodySchema>): Promise<Record<string, unknown>> {
  // 404 and 403 before anything about the plan is looked at, as the service answers them.
  const stored = await planForPatch(ctx, personId, planId);
  // Merged onto the version the client read, or not at all.
  if (stored && stored.version !== body.version && stored.status === 'draft') throw new ConflictError();
  const { version: _version, ...given } = body;
  const base: Record<string, unknown> = stored
    ? {
        personVoice: stored.personVoice,
        goals: stored.goals,
        strengths: stored.strengths,
        earlyWarningSigns: stored.earlyWarningSigns,
        whatHelps: stored.whatHelps,
        crisisContacts: stored.crisisContacts,
        wrap: stored.wrap,
        carersInvolved: stored.carersInvolved,
        carerAssessmentOfferedOn: stored.carerAssessmentOfferedOn,
        carerAssessmentOutcome: stored.carerAssessmentOutcome,
        advocacy: storedAdvocacy(stored.advocacy),
        participants: stored.participants,
      }
    : {};
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) merged[key] = value;
  // The service's schema reads a missing field (not null) as "none".
  const out = withoutNulls(merged);
  if (Array.isArray(out.advocacy)) out.advocacy = (out.advocacy as Array<Record<string, unknown>>).map((a) => withoutNulls(a));
  return out;
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

const personParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });
const planParams = personParams.extend({ planId: z.string().describe('The plan’s id (a UUID)') });
const needParams = planParams.extend({ needId: z.string().describe('The need’s id (a UUID)') });
const serviceParams = planParams.extend({ serviceId: z.string().describe('The service’s id (a UUID)') });

const planVersionOut = z.int().describe('The plan’s new version: send it with the next change');

export function plansApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['plans'];

  api.get(
    '/api/v1/people/:id/plans',
    {
      schema: {
        tags,
        summary: 'The versions of the person’s aftercare plan',
        description: 'Every version, newest first, with `open` (the draft or submitted plan, if any) and `current` (the approved plan, if any). The view is recorded in the audit trail.',
        params: personParams,
        response: {
          200: z.object({ plans: z.array(planListEntrySchema), open: z.uuid().nullable(), current: z.uuid().nullable() }),
          401: problems[401],
          403: problems[403],
          404: problems[404],
        },
      },
    },
    async (request) => {
      const result = await listPlans(request.ctx(), request.params.id);
      return {
        plans: result.plans.map((p) => ({ id: p.id, planNumber: p.planNumber, status: p.status, createdAt: p.createdAt.toISOString(), submittedAt: iso(p.submittedAt), approvedAt: iso(p.approvedAt), approvedByName: p.approvedByName })),
        open: result.open?.id ?? null,
        current: result.current?.id ?? null,
      };
    },
  );

  api.post(
    '/api/v1/people/:id/plans',
    {
      schema: {
        tags,
        summary: 'Start a draft plan',
        description:
          'For a person who is entitled to section 117 aftercare or whose entitlement is pending. The first plan starts empty; a later one starts as a copy of the approved plan (details, needs re-classified against today’s status, and services), so the draft shows only what changes. Refused with a 422 at `plan` while a draft or submitted plan is open.',
        params: personParams,
        response: { 201: planOutSchema, 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const plan = await startPlan(ctx, request.params.id);
      return reply
        .status(201)
        .header('Location', `/api/v1/people/${request.params.id}/plans/${plan.id}`)
        .send(await reloadPlan(ctx, request.params.id, plan.id));
    },
  );

  api.get(
    '/api/v1/people/:id/plans/:planId',
    {
      schema: {
        tags,
        summary: 'A version of the person’s plan',
        description: 'The plan with its co-production details, needs (category, section 117 or not, and the reasons), services (cost, split, delivery route) and the totals by funder a week and a year, in pence. The view is recorded in the audit trail.',
        params: planParams,
        response: { 200: planOutSchema, 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => readPlan(request.ctx(), request.params.id, request.params.planId),
  );

  api.patch(
    '/api/v1/people/:id/plans/:planId',
    {
      schema: {
        tags,
        summary: 'Change the draft’s co-production details',
        description: 'The person’s voice, goals, strengths, crisis and contingency plan, carers, advocacy and who took part. A field left out keeps its value; null clears it. Answers with the plan and its new version.',
        params: planParams,
        body: detailsBodySchema,
        response: { 200: planOutSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request) => {
      const ctx = request.ctx();
      const body = parseApiInput(detailsBodySchema, request.body);
      const input = await mergedDetails(ctx, request.params.id, request.params.planId, body);
      const plan = await updatePlanDetails(ctx, request.params.id, request.params.planId, body.version, input);
      return reloadPlan(ctx, request.params.id, plan.id);
    },
  );

  api.post(
    '/api/v1/people/:id/plans/:planId/needs',
    {
      schema: {
        tags,
        summary: 'Add a need to the draft',
        description:
          'The rules engine classifies the need: section 117 only when both tests of s117(6) are met (and, for accommodation, only accommodation-plus with its feature described) for a person who is entitled or pending; otherwise it says what meets it (Care Act, NHS Continuing Healthcare, other NHS, universal services).',
        params: planParams,
        body: needBodySchema,
        response: {
          201: z.object({ planVersion: planVersionOut, need: needOutSchema }),
          400: problems[400],
          401: problems[401],
          403: problems[403],
          404: problems[404],
          409: problems[409],
          422: problems[422],
        },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const body = parseWithRules(needBodySchema, needInputSchema, request.body);
      const need = await addNeed(request.ctx(), request.params.id, request.params.planId, body.version, needInput(body));
      return reply
        .status(201)
        .header('Location', `/api/v1/people/${request.params.id}/plans/${request.params.planId}`)
        .send({ planVersion: body.version + 1, need: needOut(needView(need)) });
    },
  );

  api.put(
    '/api/v1/people/:id/plans/:planId/needs/:needId',
    {
      schema: {
        tags,
        summary: 'Change a need in the draft',
        description:
          'Replaces the need and classifies it again. The services meeting it follow: a service becomes a section 117 service (free) or stops being one; a change that would make a charged service a section 117 service is refused with a 422 at `arisesFromMentalDisorder`.',
        params: needParams,
        body: needBodySchema,
        response: { 200: z.object({ planVersion: planVersionOut, need: needOutSchema }), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request) => {
      const body = parseWithRules(needBodySchema, needInputSchema, request.body);
      const need = await updateNeed(request.ctx(), request.params.id, request.params.planId, request.params.needId, body.version, needInput(body));
      return { planVersion: body.version + 1, need: needOut(needView(need)) };
    },
  );

  api.delete(
    '/api/v1/people/:id/plans/:planId/needs/:needId',
    {
      schema: {
        tags,
        summary: 'Remove a need from the draft',
        description: 'Refused with a 422 at `need` while a service meets only this need: remove or change the service first.',
        params: needParams,
        querystring: versionQuerySchema,
        response: { 200: z.object({ planVersion: planVersionOut }), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request) => {
      const version = parseVersionQuery(request.query);
      await removeNeed(request.ctx(), request.params.id, request.params.planId, request.params.needId, version);
      return { planVersion: version + 1 };
    },
  );

  api.post(
    '/api/v1/people/:id/plans/:planId/services',
    {
      schema: {
        tags,
        summary: 'Add a service to the draft',
        description:
          'A service meeting a section 117 need is a section 117 service and free: a charge on it is refused with a 422 at `chargePence` (R20). The local authority’s and the ICB’s shares must add up to 100%, with the basis recorded (R26). A top-up is only for preferred accommodation and only for an adult (R22). Amounts are whole pence.',
        params: planParams,
        body: serviceBodySchema,
        response: {
          201: z.object({ planVersion: planVersionOut, service: serviceOutSchema }),
          400: problems[400],
          401: problems[401],
          403: problems[403],
          404: problems[404],
          409: problems[409],
          422: problems[422],
        },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const body = parseWithRules(serviceBodySchema, serviceRules, request.body);
      const service = await addService(ctx, request.params.id, request.params.planId, body.version, serviceInput(body));
      return reply
        .status(201)
        .header('Location', `/api/v1/people/${request.params.id}/plans/${request.params.planId}`)
        .send({ planVersion: body.version + 1, service: serviceOut(serviceView(service, [])) });
    },
  );

  api.put(
    '/api/v1/people/:id/plans/:planId/services/:serviceId',
    {
      schema: {
        tags,
        summary: 'Change a service in the draft',
        description: 'Replaces the service; the same rules as adding one.',
        params: serviceParams,
        body: serviceBodySchema,
        response: { 200: z.object({ planVersion: planVersionOut, service: serviceOutSchema }), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request) => {
      const body = parseWithRules(serviceBodySchema, serviceRules, request.body);
      const service = await updateService(request.ctx(), request.params.id, request.params.planId, request.params.serviceId, body.version, serviceInput(body));
      return { planVersion: body.version + 1, service: serviceOut(serviceView(service, [])) };
    },
  );

  api.delete(
    '/api/v1/people/:id/plans/:planId/services/:serviceId',
    {
      schema: {
        tags,
        summary: 'Remove a service from the draft',
        params: serviceParams,
        querystring: versionQuerySchema,
        response: { 200: z.object({ planVersion: planVersionOut }), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request) => {
      const version = parseVersionQuery(request.query);
      await removeService(request.ctx(), request.params.id, request.params.planId, request.params.serviceId, version);
      return { planVersion: version + 1 };
    },
  );

  api.post(
    '/api/v1/people/:id/plans/:planId/submit',
    {
      schema: {
        tags,
        summary: 'Submit the draft for approval',
        description:
          'Refused with a 422 at `plan` listing what is missing (at least one need; every section 117 need met by a service). Approval is not part of the API: a team manager or senior practitioner of the person’s responsible local authority or ICB approves the plan in Aftercare.',
        params: planParams,
        body: versionBodySchema,
        response: { 200: planOutSchema, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      },
      attachValidation: true,
    },
    async (request) => {
      const ctx = request.ctx();
      const body = parseApiInput(versionBodySchema, request.body);
      const plan = await submitPlan(ctx, request.params.id, request.params.planId, body.version);
      return reloadPlan(ctx, request.params.id, plan.id);
    },
  );
}
