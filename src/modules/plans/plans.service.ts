/**
 * Aftercare plans (issue 5): use cases. Each write runs in one transaction, writes an audit
 * event, and takes the plan's version: every change to a draft (its details, a need, a service)
 * bumps the plan's version, so two people editing the same draft can never overwrite each
 * other silently — the second save gets a conflict and nothing of theirs is lost.
 *
 * The rules come from src/domain: needs are classified by `classifyPlanNeed` (R19, R21, R39,
 * R42–R46), services checked for charges (R20), splits (R26), top-ups (R22); money is summed to
 * the penny by src/domain/funding.ts; the indicative budget by src/domain/personal-budget.ts.
 */
import { z } from 'zod';
import { ageOn } from '../../domain/calendar-date.ts';
import { formatPounds, percentToBasisPoints, planTotals, weeklyCostPence, type PlanTotals } from '../../domain/funding.ts';
import { indicativeBudget, type IndicativeBudget } from '../../domain/personal-budget.ts';
import {
  checkFundingSplit,
  checkServiceCharge,
  classifyPlanNeed,
  needCategoryLabels,
  needDomainLabel,
  phbRequestDecision,
  topUpAmount,
  type NeedCategory,
  type NeedDomain,
  type Reason,
  type Status,
} from '../../domain/rules/index.ts';
import { canOnPerson, planApprovalBodies } from '../../platform/access/policy.ts';
import type { AuditRecorder } from '../../platform/data/door.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { publishDomainEvent } from '../../platform/webhooks/events.ts';
import { storeDocument, type OrganisationContact, type StoreDocumentInput } from '../documents/index.ts';
import { findPersonImportedFunding, importedFundingWords } from '../imports/index.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import { getPlanSettings, serviceTypeChoices, type ServiceTypeChoices } from '../settings/index.ts';
import { OTHER_SERVICE_TYPE, serviceTypeFromText } from '../../domain/reference/service-types.ts';
import { agreementStateOf, notifySubmitterApproved, notifyWaitingBodies, refusalMessage, type AgreementState } from './agreement.service.ts';
import {
  budgetRequestSchema,
  deliveryRouteLabels,
  needInputSchema,
  planDetailsSchema,
  planStatusLabels,
  serviceInputSchema,
  type NeedInput,
  type ServiceInput,
} from './inputs.ts';
import {
  countNeeds,
  deleteAgreements,
  deleteNeed,
  deleteService,
  findBudgetRequests,
  findNeed,
  findNeeds,
  findOrganisationContacts,
  findOrganisationName,
  findPlan,
  findPlanParts,
  findPlansOfPerson,
  findPlansWithApprover,
  findService,
  findUserNames,
  findOrganisationsByCode,
  highestPlanNumber,
  insertAgreement,
  insertBudgetRequest,
  insertNeed,
  insertPlan,
  insertService,
  supersedeApprovedPlans,
  updateNeedRow,
  updatePlan,
  updatePlanAtVersion,
  updateServiceRow,
  type BudgetRequestRow,
  type NeedRow,
  type PlanRow,
  type ServiceRow,
} from './plans.queries.ts';

export type { BudgetRequestRow, NeedRow, PlanRow, ServiceRow };

const isUuid = (id: string) => z.uuid().safeParse(id).success;

async function loadPlan(q: DbOrTx, ctx: Pick<ServiceContext, 'actor'>, personId: string, planId: string): Promise<PlanRow> {
  if (!isUuid(planId)) throw new NotFoundError('Plan not found');
  const row = await findPlan(q, ctx.actor.partnershipId, personId, planId);
  if (!row) throw new NotFoundError('Plan not found');
  return row;
}

/**
 * Take the plan for a change to its draft: the person must be writable by the actor, the plan
 * a draft, and its version the one the editor saw. Bumps the version and returns the plan.
 */
async function takeDraft(tx: Tx, ctx: ServiceContext, personId: string, planId: string, version: number): Promise<{ plan: PlanRow; person: PersonRow }> {
  const p = await loadPerson(tx, ctx, personId, 'person:write');
  const plan = await loadPlan(tx, ctx, personId, planId);
  if (plan.status !== 'draft') {
    throw new ConflictError(`Plan ${plan.planNumber} is ${plan.status === 'submitted' ? 'waiting for approval' : plan.status}: only a draft can be changed. Start a new version to change it.`);
  }
  const bumped = expectOneUpdated(await updatePlanAtVersion(tx, ctx.actor.partnershipId, planId, version, { version: version + 1, updatedAt: ctx.clock.now() }, 'draft'));
  return { plan: bumped, person: p };
}


// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

export interface PlanListEntry {
  id: string;
  planNumber: number;
  status: PlanRow['status'];
  createdAt: Date;
  submittedAt: Date | null;
  approvedAt: Date | null;
  approvedByName: string | null;
}

export async function listPlans(ctx: ServiceContext, personId: string) {
  // One unit: the reads and the audited view of the person's record.
  const { p, rows } = await ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const rows = await findPlansWithApprover(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { view: 'plans' });
    return { p, rows };
  });
  const plans: PlanListEntry[] = rows.map((r) => ({
    id: r.plan.id,
    planNumber: r.plan.planNumber,
    status: r.plan.status,
    createdAt: r.plan.createdAt,
    submittedAt: r.plan.submittedAt,
    approvedAt: r.plan.approvedAt,
    approvedByName: r.approvedByName,
  }));
  return {
    person: p,
    plans,
    open: plans.find((x) => x.status === 'draft' || x.status === 'submitted') ?? null,
    current: plans.find((x) => x.status === 'approved') ?? null,
    canWrite: canOnPerson(ctx.actor, 'person:write', p),
    canStart: canOnPerson(ctx.actor, 'person:write', p) && (p.status === 'entitled' || p.status === 'pending'),
  };
}

export interface ServiceView extends ServiceRow {
  localAuthorityPercent: number;
  icbPercent: number;
  weekly: { localAuthorityPence: number; icbPence: number; totalPence: number };
  deliveryRouteLabel: string;
  needLabels: string[];
}

export interface NeedView extends NeedRow {
  domainLabel: string;
  categoryLabel: string;
  reasons: Reason[];
  summary: string;
}

export interface PlanDetail {
  person: PersonRow;
  plan: PlanRow;
  needs: NeedView[];
  services: ServiceView[];
  budgets: BudgetRequestRow[];
  totals: PlanTotals;
  indicative: IndicativeBudget | null;
  weeksPerYear: number;
  submittedByName: string | null;
  approvedByName: string | null;
  approvedForName: string | null;
  canEdit: boolean;
  /** May change the person's record (and so send the plan to a funding panel). */
  canWrite: boolean;
  canSubmit: boolean;
  /** The organisation the actor would approve for, or null. */
  approvalOrganisationId: string | null;
  /** Each body that pays agrees (issue 13): who must, who has, who is still to. */
  agreement: AgreementState;
  /** The bodies the actor may agree for on this version, while it waits for approval. */
  myBodies: Array<{ body: 'local-authority' | 'icb'; organisationId: string }>;
  /** The actor may still add an agreement to this version (a body of theirs is waiting, or none must). */
  canAgree: boolean;
  problems: string[];
}

const planParts = findPlanParts;

export function needView(row: NeedRow): NeedView {
  const stored = row.classification as { reasons?: Reason[]; summary?: string };
  return {
    ...row,
    domainLabel: needDomainLabel(row.domain as NeedDomain),
    categoryLabel: needCategoryLabels[row.category as NeedCategory],
    reasons: stored.reasons ?? [],
    summary: stored.summary ?? '',
  };
}

export function serviceView(row: ServiceRow, needs: readonly NeedRow[]): ServiceView {
  const weekly = planTotals([{ unitCostPence: row.unitCostPence, unitsPerWeek: row.unitsPerWeek, localAuthorityBasisPoints: row.localAuthorityBasisPoints }]).weekly;
  return {
    ...row,
    localAuthorityPercent: row.localAuthorityBasisPoints / 100,
    icbPercent: (10_000 - row.localAuthorityBasisPoints) / 100,
    weekly,
    deliveryRouteLabel: deliveryRouteLabels[row.deliveryRoute],
    needLabels: row.needIds.map((id) => {
      const need = needs.find((n) => n.id === id);
      return need ? `${needDomainLabel(need.domain as NeedDomain)}: ${need.description}` : 'A need no longer in the plan';
    }),
  };
}

/** What stops a draft being submitted, in words. */
function submissionProblems(needs: readonly NeedRow[], services: readonly ServiceRow[]): string[] {
  const problems: string[] = [];
  if (needs.length === 0) problems.push('Add at least one need');
  for (const s of services) {
    if (s.needIds.length === 0 || !s.needIds.every((id) => needs.some((n) => n.id === id))) problems.push(`Say which needs “${s.serviceType}” meets`);
  }
  const s117Needs = needs.filter((n) => n.s117);
  for (const n of s117Needs) {
    if (!services.some((s) => s.needIds.includes(n.id))) problems.push(`Add a service that meets the section 117 need “${n.description}”`);
  }
  return problems;
}

export async function getPlan(ctx: ServiceContext, personId: string, planId: string): Promise<PlanDetail> {
  // One unit: the reads and the audited view of the person's record.
  const { p, plan, needs, services, budgets, settings, people, approvedFor, agreement } = await ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const plan = await loadPlan(tx, ctx, personId, planId);
    const [{ needs, services }, budgets, settings, people] = await Promise.all([
      planParts(tx, ctx.actor.partnershipId, planId),
      findBudgetRequests(tx, ctx.actor.partnershipId, personId),
      getPlanSettings(tx, ctx.actor.partnershipId),
      findUserNames(tx, [plan.submittedBy, plan.approvedBy].filter((x): x is string => x !== null)),
    ]);
    const approvedFor = plan.approvedForOrganisationId ? await findOrganisationName(tx, plan.approvedForOrganisationId) : null;
    const agreement = await agreementStateOf(tx, ctx.actor.partnershipId, p, plan, { needs, services });
    await audit.viewPerson(personId, { view: 'plan', planId });
    return { p, plan, needs, services, budgets, settings, people, approvedFor, agreement };
  });
  const serviceViews = services.map((s) => serviceView(s, needs));
  const canEdit = plan.status === 'draft' && canOnPerson(ctx.actor, 'person:write', p);
  const problems = submissionProblems(needs, services);
  const name = (id: string | null) => (id ? (people.find((x) => x.id === id)?.name ?? null) : null);
  const myBodies = plan.status === 'submitted' ? planApprovalBodies(ctx.actor, p) : [];
  return {
    person: p,
    plan,
    needs: needs.map(needView),
    services: serviceViews,
    budgets,
    totals: planTotals(services, settings.weeksPerYear),
    indicative:
      needs.length > 0
        ? indicativeBudget(
            settings.resourceAllocation,
            needs.map((n) => ({ domain: n.domain as NeedDomain, level: n.level, s117: n.s117 })),
            settings.weeksPerYear,
          )
        : null,
    weeksPerYear: settings.weeksPerYear,
    submittedByName: name(plan.submittedBy),
    approvedByName: name(plan.approvedBy),
    approvedForName: approvedFor,
    canEdit,
    canWrite: canOnPerson(ctx.actor, 'person:write', p),
    canSubmit: canEdit && problems.length === 0,
    approvalOrganisationId: myBodies[0]?.organisationId ?? null,
    agreement,
    myBodies,
    canAgree: myBodies.length > 0 && (agreement.waitingFor.length === 0 || agreement.waitingFor.some((w) => myBodies.some((m) => m.body === w.body))),
    problems,
  };
}

// ---------------------------------------------------------------------------
// Starting a plan, and its next version
// ---------------------------------------------------------------------------

/**
 * Start a draft plan: the first, or the next version of the approved one (copying its details,
 * needs and services, so the draft shows only what changes). Aftercare planning starts on
 * admission, so a person whose entitlement is pending can have a plan (Code of Practice 33.10).
 */
export async function startPlan(ctx: ServiceContext, personId: string): Promise<PlanRow> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:write', true);
    if (p.status !== 'entitled' && p.status !== 'pending') {
      throw new InputError([{ path: 'plan', message: 'An aftercare plan can be started only for someone who is entitled to section 117 aftercare, or whose entitlement is pending' }]);
    }
    const existing = await findPlansOfPerson(tx, ctx.actor.partnershipId, personId);
    const open = existing.find((x) => x.status === 'draft' || x.status === 'submitted');
    if (open) throw new InputError([{ path: 'plan', message: `Plan ${open.planNumber} is already ${open.status === 'draft' ? 'in draft' : 'waiting for approval'}: carry on with it` }]);
    const approved = existing.find((x) => x.status === 'approved');
    const plan = await insertNextVersion(tx, ctx, p, approved, { status: 'draft', createdBy: ctx.actor.userId });
    // The first plan for someone brought in from an old register starts with the funding it gave.
    const carried = existing.length === 0 ? await carryImportedFunding(tx, ctx, p, plan) : null;
    await audit.change({ action: 'plan.started', subjectType: 'person', subjectId: personId, after: { plan, from: approved?.id ?? null, ...(carried ? { importedFundingService: carried } : {}) } });
    return plan;
  });
}

/** The words of the service a first plan is started with from the old register's funding. */
export const IMPORTED_FUNDING_SERVICE = 'Funding brought from the old register';

/**
 * Carry the funding an imported register gave (weekly cost and the council/ICB split) into the
 * person's first draft plan as one service, for the planner to confirm: its type, provider and
 * the needs it meets are theirs to say (the plan cannot be submitted until it meets a need).
 * Only a cost with its split is carried: there is no default split to assume (R26).
 */
async function carryImportedFunding(tx: Tx, ctx: ServiceContext, p: PersonRow, plan: PlanRow): Promise<ServiceRow | null> {
  const funding = await findPersonImportedFunding(tx, ctx.actor.partnershipId, p.id);
  if (!funding || funding.weeklyCostPence === null || funding.localAuthorityBasisPoints === null) return null;
  return insertService(tx, {
    partnershipId: ctx.actor.partnershipId,
    planId: plan.id,
    personId: p.id,
    needIds: [],
    serviceType: IMPORTED_FUNDING_SERVICE,
    serviceTypeCode: OTHER_SERVICE_TYPE,
    provider: 'Not given in the old register',
    startOn: ctx.today(),
    endOn: null,
    frequency: 'Weekly',
    unitsPerWeek: 1,
    unitCostPence: funding.weeklyCostPence,
    weeklyCostPence: funding.weeklyCostPence,
    deliveryRoute: 'commissioned',
    s117: false,
    localAuthorityBasisPoints: funding.localAuthorityBasisPoints,
    splitBasis: `As in the old register (${funding.fileName}, row ${funding.rowNumber}: ${importedFundingWords(funding)}): confirm it`,
    chargePence: 0,
    position: 0,
  });
}

/**
 * Insert the person's next plan version: a copy of `from` (its details, needs re-classified
 * against today's status, and services), or empty. Runs in the caller's transaction; checks
 * nothing (the callers have).
 */
async function insertNextVersion(tx: Tx, ctx: ServiceContext, p: PersonRow, from: PlanRow | undefined, fields: Partial<Omit<PlanRow, 'id' | 'partnershipId' | 'personId' | 'planNumber'>>): Promise<PlanRow> {
  const planNumber = (await highestPlanNumber(tx, ctx.actor.partnershipId, p.id)) + 1;
  const copied = from
    ? {
        personVoice: from.personVoice,
        goals: from.goals,
        strengths: from.strengths,
        earlyWarningSigns: from.earlyWarningSigns,
        whatHelps: from.whatHelps,
        crisisContacts: from.crisisContacts,
        wrap: from.wrap,
        carersInvolved: from.carersInvolved,
        carerAssessmentOfferedOn: from.carerAssessmentOfferedOn,
        carerAssessmentOutcome: from.carerAssessmentOutcome,
        advocacy: from.advocacy,
        participants: from.participants,
      }
    : {};
  const plan = await insertPlan(tx, { partnershipId: ctx.actor.partnershipId, personId: p.id, planNumber, ...copied, ...fields });
  if (from) {
    const { needs, services } = await planParts(tx, ctx.actor.partnershipId, from.id);
    const newIds = new Map<string, string>();
    for (const n of needs) {
      const { id, planId: _planId, createdAt: _c, updatedAt: _u, version: _v, ...rest } = n;
      // Re-classify against today's status: entitlement may have changed since the last version.
      const classification = classify(rest, p.status);
      const copy = await insertNeed(tx, { ...rest, planId: plan.id, category: classification.category, s117: classification.s117, classification: { reasons: classification.reasons, summary: classification.summary } });
      newIds.set(id, copy.id);
    }
    const copiedNeeds = await findNeeds(tx, ctx.actor.partnershipId, plan.id);
    for (const s of services) {
      const { id: _id, planId: _planId, createdAt: _c, updatedAt: _u, version: _v, needIds, ...rest } = s;
      const mapped = needIds.map((id) => newIds.get(id)).filter((id): id is string => id !== undefined);
      const s117 = copiedNeeds.some((n) => mapped.includes(n.id) && n.s117);
      await insertService(tx, { ...rest, planId: plan.id, needIds: mapped, s117, chargePence: s117 ? 0 : rest.chargePence });
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------
// The draft: details, needs, services
// ---------------------------------------------------------------------------

export async function updatePlanDetails(ctx: ServiceContext, personId: string, planId: string, version: number, input: unknown): Promise<PlanRow> {
  const data = parseInput(planDetailsSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadPlan(tx, ctx, personId, planId);
    await takeDraft(tx, ctx, personId, planId, version);
    const after = await updatePlan(tx, ctx.actor.partnershipId, planId, { ...data, updatedAt: ctx.clock.now() });
    await audit.change({ action: 'plan.details-updated', subjectType: 'person', subjectId: personId, before, after });
    return after!;
  });
}

type NeedFields = Pick<NeedRow, 'domain' | 'arisesFromMentalDisorder' | 'reducesRiskOfDeterioration' | 'accommodationEnhanced' | 'accommodationFeature' | 'primaryHealthNeed' | 'healthNeed' | 'eligibleCareActNeed'>;

function classify(need: NeedFields, status: Status) {
  return classifyPlanNeed(
    {
      domain: need.domain as NeedDomain,
      arisesFromMentalDisorder: need.arisesFromMentalDisorder,
      reducesRiskOfDeterioration: need.reducesRiskOfDeterioration,
      ...(need.accommodationEnhanced === null
        ? {}
        : { accommodation: { enhancedSpecialised: need.accommodationEnhanced, ...(need.accommodationFeature ? { feature: need.accommodationFeature } : {}) } }),
      primaryHealthNeed: need.primaryHealthNeed,
      healthNeed: need.healthNeed,
      eligibleCareActNeed: need.eligibleCareActNeed,
    },
    status,
  );
}

function needValues(data: NeedInput, status: Status) {
  // The accommodation questions apply only to an accommodation need.
  const accommodationEnhanced = data.domain === 'accommodation' ? data.accommodationEnhanced : null;
  const values = { ...data, accommodationEnhanced, accommodationFeature: accommodationEnhanced ? data.accommodationFeature : null };
  const c = classify(values, status);
  return { ...values, category: c.category, s117: c.s117, classification: { reasons: c.reasons, summary: c.summary } };
}

/** After needs change, each service's section 117 tag follows its needs; a charged service cannot become section 117. */
async function retagServices(tx: Tx, ctx: ServiceContext, planId: string): Promise<void> {
  const { needs, services } = await planParts(tx, ctx.actor.partnershipId, planId);
  for (const s of services) {
    const s117 = needs.some((n) => s.needIds.includes(n.id) && n.s117);
    if (s117 === s.s117) continue;
    if (s117 && s.chargePence > 0) {
      throw new InputError([
        { path: 'arisesFromMentalDisorder', message: `This would make “${s.serviceType}” a section 117 service, which is free, but it carries a charge of ${formatPounds(s.chargePence)} a week. Remove the charge from the service first.` },
      ]);
    }
    await updateServiceRow(tx, ctx.actor.partnershipId, s.id, { s117, updatedAt: ctx.clock.now() });
  }
}

export async function addNeed(ctx: ServiceContext, personId: string, planId: string, version: number, input: unknown): Promise<NeedRow> {
  const data = parseInput(needInputSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const { person: p } = await takeDraft(tx, ctx, personId, planId, version);
    const n = await countNeeds(tx, ctx.actor.partnershipId, planId);
    const created = await insertNeed(tx, { partnershipId: ctx.actor.partnershipId, planId, personId, position: n, ...needValues(data, p.status) });
    await audit.change({ action: 'plan.need-added', subjectType: 'person', subjectId: personId, after: created });
    return created;
  });
}

async function loadNeed(tx: Tx, ctx: ServiceContext, planId: string, needId: string): Promise<NeedRow> {
  if (!isUuid(needId)) throw new NotFoundError('Need not found');
  const row = await findNeed(tx, ctx.actor.partnershipId, planId, needId);
  if (!row) throw new NotFoundError('Need not found');
  return row;
}

export async function updateNeed(ctx: ServiceContext, personId: string, planId: string, needId: string, version: number, input: unknown): Promise<NeedRow> {
  const data = parseInput(needInputSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const { person: p } = await takeDraft(tx, ctx, personId, planId, version);
    const before = await loadNeed(tx, ctx, planId, needId);
    const after = await updateNeedRow(tx, ctx.actor.partnershipId, needId, { ...needValues(data, p.status), version: before.version + 1, updatedAt: ctx.clock.now() });
    await retagServices(tx, ctx, planId);
    await audit.change({ action: 'plan.need-updated', subjectType: 'person', subjectId: personId, before, after });
    return after!;
  });
}

export async function removeNeed(ctx: ServiceContext, personId: string, planId: string, needId: string, version: number): Promise<void> {
  await ctx.data.transaction(async (tx, audit) => {
    await takeDraft(tx, ctx, personId, planId, version);
    const before = await loadNeed(tx, ctx, planId, needId);
    const { services } = await planParts(tx, ctx.actor.partnershipId, planId);
    const only = services.filter((s) => s.needIds.length === 1 && s.needIds[0] === needId);
    if (only.length > 0) {
      throw new InputError([{ path: 'need', message: `Remove or change ${only.map((s) => `“${s.serviceType}”`).join(', ')} first: ${only.length === 1 ? 'it meets' : 'they meet'} only this need` }]);
    }
    for (const s of services.filter((x) => x.needIds.includes(needId))) {
      await updateServiceRow(tx, ctx.actor.partnershipId, s.id, { needIds: s.needIds.filter((id) => id !== needId), updatedAt: ctx.clock.now() });
    }
    await deleteNeed(tx, ctx.actor.partnershipId, needId);
    await retagServices(tx, ctx, planId);
    await audit.change({ action: 'plan.need-removed', subjectType: 'person', subjectId: personId, before });
  });
}

/**
 * The type of a service (issue 13, item 8): a code from the list (shipped or the partnership's
 * own, in use; or the service's own code, kept when it is changed after its type was retired),
 * stored with its label; or "other" with the words typed, unless those words clearly name a type
 * on the list, which is then used instead (so nothing is counted apart). An API client that sends
 * only words gets the same mapping.
 */
function serviceTypeOf(data: ServiceInput, types: ServiceTypeChoices, current?: Pick<ServiceRow, 'serviceTypeCode'>): { code: string; text: string } | { issue: { path: string; message: string } } {
  const code = data.serviceTypeCode;
  const words = data.serviceType;
  if (code && code !== OTHER_SERVICE_TYPE) {
    const known = types.offered.find((t) => t.code === code) ?? (code === current?.serviceTypeCode ? types.local.find((t) => t.code === code) : undefined);
    if (!known) return { issue: { path: 'serviceTypeCode', message: 'Choose a type of service from the list' } };
    return { code: known.code, text: known.label };
  }
  if (!words) {
    return code === OTHER_SERVICE_TYPE
      ? { issue: { path: 'serviceType', message: 'Describe the service, as its type is not on the list' } }
      : { issue: { path: 'serviceTypeCode', message: 'Choose the type of service' } };
  }
  const mapped = serviceTypeFromText(words, types.local.filter((t) => types.offered.some((o) => o.code === t.code)));
  const label = mapped ? types.offered.find((t) => t.code === mapped)?.label : undefined;
  return mapped && label ? { code: mapped, text: label } : { code: OTHER_SERVICE_TYPE, text: words };
}

/**
 * Check a service against the rules and work out its stored values. Refusals are field-pathed
 * so the form and the API show them beside the field: a charge on a section 117 service (R20),
 * a split that is not whole (R26), a top-up for a child or for something other than preferred
 * accommodation (R22).
 */
function serviceValues(data: ServiceInput, needs: readonly NeedRow[], p: PersonRow, today: string, types: ServiceTypeChoices, current?: Pick<ServiceRow, 'serviceTypeCode'>) {
  const issues: Array<{ path: string; message: string }> = [];
  const type = serviceTypeOf(data, types, current);
  if ('issue' in type) issues.push(type.issue);
  const chosen = needs.filter((n) => data.needIds.includes(n.id));
  if (chosen.length !== data.needIds.length) issues.push({ path: 'needIds', message: 'Choose needs from this plan' });
  const s117 = chosen.some((n) => n.s117);
  const charge = checkServiceCharge({ s117, chargedPence: data.chargePence ?? 0 });
  if (!charge.lawful) {
    issues.push({
      path: 'chargePence',
      message: `Section 117 aftercare is free: this service meets a section 117 need, so the person cannot be charged for it (R v Manchester CC ex p Stennett [2002] UKHL 34). Remove the charge of ${formatPounds(data.chargePence ?? 0)}.`,
    });
  }
  const split = checkFundingSplit({ localAuthorityPercent: data.localAuthorityPercent, icbPercent: data.icbPercent, basis: data.splitBasis });
  for (const problem of split.problems) issues.push({ path: problem.startsWith('Record the basis') ? 'splitBasis' : 'localAuthorityPercent', message: problem });
  let topUpWeeklyPence: number | null = null;
  if (data.topUp) {
    if (!chosen.some((n) => n.domain === 'accommodation')) {
      issues.push({ path: 'topUp', message: 'A top-up can be asked for only for accommodation: choose the accommodation need this service meets' });
    }
    const age = ageOn(p.dateOfBirth, today);
    const decision = topUpAmount({
      preferredAccommodation: true,
      preferredWeeklyCostPence: data.topUp.preferredWeeklyPence ?? 0,
      usualWeeklyCostPence: data.topUp.usualWeeklyPence ?? 0,
      payer: data.topUp.payer,
      personAgeYears: age,
    });
    if (!decision.allowed) {
      issues.push({ path: 'topUp', message: `A top-up for preferred accommodation is only for adults: ${p.givenName} ${p.familyName} is ${age} (Care and Support and After-care (Choice of Accommodation) Regulations 2014)` });
    } else if (decision.topUpWeeklyPence === 0) {
      issues.push({ path: 'topUp.preferredWeeklyPence', message: 'The preferred accommodation costs no more than the usual cost, so there is no top-up: remove it' });
    }
    topUpWeeklyPence = decision.topUpWeeklyPence;
  }
  if (issues.length > 0) throw new InputError(issues);
  const unitCostPence = data.unitCostPence ?? 0;
  return {
    needIds: data.needIds,
    serviceType: 'issue' in type ? '' : type.text,
    serviceTypeCode: 'issue' in type ? null : type.code,
    provider: data.provider,
    startOn: data.startOn!,
    endOn: data.endOn,
    frequency: data.frequency,
    unitsPerWeek: data.unitsPerWeek,
    unitCostPence,
    weeklyCostPence: weeklyCostPence({ unitCostPence, unitsPerWeek: data.unitsPerWeek }),
    deliveryRoute: data.deliveryRoute,
    s117,
    localAuthorityBasisPoints: percentToBasisPoints(data.localAuthorityPercent),
    splitBasis: data.splitBasis,
    chargePence: data.chargePence ?? 0,
    topUpPreferredWeeklyPence: data.topUp?.preferredWeeklyPence ?? null,
    topUpUsualWeeklyPence: data.topUp?.usualWeeklyPence ?? null,
    topUpPayer: data.topUp?.payer ?? null,
    topUpWeeklyPence,
  };
}

/** The types a service can be given in the actor's partnership, for the service form. */
export async function serviceTypesForForm(ctx: ServiceContext): Promise<ServiceTypeChoices> {
  return ctx.data.read((q) => serviceTypeChoices(q, ctx.actor.partnershipId));
}

export async function addService(ctx: ServiceContext, personId: string, planId: string, version: number, input: unknown): Promise<ServiceRow> {
  const data = parseInput(serviceInputSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const { person: p } = await takeDraft(tx, ctx, personId, planId, version);
    const { needs, services } = await planParts(tx, ctx.actor.partnershipId, planId);
    const values = serviceValues(data, needs, p, ctx.today(), await serviceTypeChoices(tx, ctx.actor.partnershipId));
    const created = await insertService(tx, { partnershipId: ctx.actor.partnershipId, planId, personId, position: services.length, ...values });
    await audit.change({ action: 'plan.service-added', subjectType: 'person', subjectId: personId, after: created });
    return created;
  });
}

async function loadService(tx: Tx, ctx: ServiceContext, planId: string, serviceId: string): Promise<ServiceRow> {
  if (!isUuid(serviceId)) throw new NotFoundError('Service not found');
  const row = await findService(tx, ctx.actor.partnershipId, planId, serviceId);
  if (!row) throw new NotFoundError('Service not found');
  return row;
}

export async function updateService(ctx: ServiceContext, personId: string, planId: string, serviceId: string, version: number, input: unknown): Promise<ServiceRow> {
  const data = parseInput(serviceInputSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const { person: p } = await takeDraft(tx, ctx, personId, planId, version);
    const before = await loadService(tx, ctx, planId, serviceId);
    const { needs } = await planParts(tx, ctx.actor.partnershipId, planId);
    const values = serviceValues(data, needs, p, ctx.today(), await serviceTypeChoices(tx, ctx.actor.partnershipId), before);
    const after = await updateServiceRow(tx, ctx.actor.partnershipId, serviceId, { ...values, version: before.version + 1, updatedAt: ctx.clock.now() });
    await audit.change({ action: 'plan.service-updated', subjectType: 'person', subjectId: personId, before, after });
    return after!;
  });
}

export async function removeService(ctx: ServiceContext, personId: string, planId: string, serviceId: string, version: number): Promise<void> {
  await ctx.data.transaction(async (tx, audit) => {
    await takeDraft(tx, ctx, personId, planId, version);
    const before = await loadService(tx, ctx, planId, serviceId);
    await deleteService(tx, ctx.actor.partnershipId, serviceId);
    await audit.change({ action: 'plan.service-removed', subjectType: 'person', subjectId: personId, before });
  });
}

// ---------------------------------------------------------------------------
// Lifecycle: draft → submitted → approved (→ superseded by the next approved version)
// ---------------------------------------------------------------------------

export async function submitPlan(ctx: ServiceContext, personId: string, planId: string, version: number): Promise<PlanRow> {
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadPlan(tx, ctx, personId, planId);
    const { plan, person: p } = await takeDraft(tx, ctx, personId, planId, version);
    const parts = await planParts(tx, ctx.actor.partnershipId, planId);
    const problems = submissionProblems(parts.needs, parts.services);
    if (problems.length > 0) throw new InputError(problems.map((message) => ({ path: 'plan', message })));
    const now = ctx.clock.now();
    const after = (await updatePlan(tx, ctx.actor.partnershipId, plan.id, { status: 'submitted', submittedAt: now, submittedBy: ctx.actor.userId, updatedAt: now }))!;
    await audit.change({ action: 'plan.submitted', subjectType: 'person', subjectId: personId, before, after });
    // Each body that must agree hears that the plan waits on it (issue 13).
    const state = await agreementStateOf(tx, ctx.actor.partnershipId, p, after, parts);
    // A plan that costs neither body anything is approved by the local authority's approvers (or the ICB's): they hear too.
    await notifyWaitingBodies(tx, ctx, p, after, state.required.length === 0 ? [{ body: 'local-authority', name: 'the local authority' }, { body: 'icb', name: 'the ICB' }] : state.waitingFor, state.required.length === 0 ? 'approval' : 'agreement');
    return after;
  });
}

async function takeSubmitted(tx: Tx, ctx: ServiceContext, personId: string, planId: string, version: number) {
  const p = await loadPerson(tx, ctx, personId, 'person:read', true);
  const bodies = planApprovalBodies(ctx.actor, p);
  if (bodies.length === 0) {
    throw new ForbiddenError('Only a team manager or senior practitioner of the responsible local authority or ICB can approve or return this plan, or a commissioner of the responsible ICB for the ICB');
  }
  const before = await loadPlan(tx, ctx, personId, planId);
  if (before.status !== 'submitted') throw new ConflictError(`Plan ${before.planNumber} is not waiting for approval`);
  if (before.version !== version) throw new ConflictError();
  return { person: p, before, bodies };
}

/** What approving did: approved the plan, or recorded the actor's body's agreement while others are still to agree. */
export interface ApprovalOutcome {
  plan: PlanRow;
  approved: boolean;
  /** The body the actor agreed for (its organisation's name), if they added an agreement. */
  agreedFor: string | null;
  /** The bodies still to agree, by name (empty when approved). */
  waitingFor: string[];
}

/**
 * Approve a submitted plan, as one of the bodies that pays for it (issue 13): each body that pays
 * agrees, once; the plan is approved when every paying body has agreed. The actor agrees for a
 * body of theirs that is still to agree; if none of theirs is, and another body is still to
 * agree, they are refused with the names of those bodies and nothing changes. A plan whose cost
 * falls on nobody (or under the partnership's threshold for the ICB) is approved by either
 * responsible body, as before. One person never agrees for two bodies.
 */
export async function approvePlan(ctx: ServiceContext, personId: string, planId: string, version: number, note: string): Promise<ApprovalOutcome> {
  return ctx.data.transaction(async (tx, audit) => {
    const { person: p, before, bodies } = await takeSubmitted(tx, ctx, personId, planId, version);
    const state = await agreementStateOf(tx, ctx.actor.partnershipId, p, before);
    const alreadyAgreedInPerson = state.agreed.some((a) => a.agreedBy === ctx.actor.userId && a.panelCaseId === null);
    const mine = alreadyAgreedInPerson ? undefined : bodies.find((b) => state.waitingFor.some((w) => w.body === b.body));
    const stillWaiting = state.waitingFor.filter((w) => w.body !== mine?.body);
    if (!mine && state.waitingFor.length > 0) {
      throw new InputError([{ path: 'decision', message: refusalMessage(state, bodies, ctx.actor.userId) }]);
    }
    const now = ctx.clock.now();
    // Record the actor's agreement: for the waiting body of theirs, or (nobody else waiting) for
    // their first body that has not agreed yet, so who approved for whom is on record.
    const agreeFor = mine ?? bodies.find((b) => !state.agreed.some((a) => a.body === b.body));
    const orgs = agreeFor ? await findOrganisationsByCode(tx, ctx.actor.partnershipId, [p.responsibleLocalAuthority, p.responsibleIcb].filter((c): c is string => c !== null)) : [];
    const agreement = agreeFor
      ? await insertAgreement(tx, { partnershipId: ctx.actor.partnershipId, planId, personId, body: agreeFor.body, organisationId: agreeFor.organisationId, agreedBy: ctx.actor.userId, agreedAt: now, note: note.trim() || null })
      : null;
    const agreedFor = agreeFor ? (orgs.find((o) => o.id === agreeFor.organisationId)?.name ?? null) : null;
    if (stillWaiting.length > 0) {
      const after = expectOneUpdated(await updatePlanAtVersion(tx, ctx.actor.partnershipId, planId, version, { version: version + 1, updatedAt: now }));
      await audit.change({ action: 'plan.agreed', subjectType: 'person', subjectId: personId, before, after: { planId, agreement, waitingFor: stillWaiting.map((w) => w.body) } });
      await notifyWaitingBodies(tx, ctx, p, after, stillWaiting);
      return { plan: after, approved: false, agreedFor, waitingFor: stillWaiting.map((w) => w.name) };
    }
    const previous = await supersedeApprovedPlans(tx, ctx.actor.partnershipId, personId, now);
    const after = expectOneUpdated(
      await updatePlanAtVersion(tx, ctx.actor.partnershipId, planId, version, {
        status: 'approved',
        approvedAt: now,
        approvedBy: ctx.actor.userId,
        approvedForOrganisationId: (agreeFor ?? bodies[0]!).organisationId,
        approvalNote: note.trim() || null,
        version: version + 1,
        updatedAt: now,
      }),
    );
    await audit.change({ action: 'plan.approved', subjectType: 'person', subjectId: personId, before, after: { ...after, superseded: previous, agreement, agreedBefore: state.agreed.map((a) => ({ body: a.body, agreedBy: a.agreedBy, panelCaseId: a.panelCaseId })) } });
    await notifySubmitterApproved(tx, ctx, p, after);
    await publishPlanApproved(tx, p, after, now);
    return { plan: after, approved: true, agreedFor, waitingFor: [] };
  });
}

/**
 * Tell finance and case systems that a plan was approved (issue 14, item 5): its services with
 * their weekly cost, the split between the local authority and the ICB and whether the person
 * may be charged, queued in the approval's transaction (src/platform/webhooks/events.ts).
 */
async function publishPlanApproved(tx: Tx, p: PersonRow, plan: PlanRow, at: Date): Promise<void> {
  const { services } = await findPlanParts(tx, p.partnershipId, plan.id);
  const totals = planTotals(services);
  await publishDomainEvent(tx, {
    type: 'plan.approved',
    partnershipId: p.partnershipId,
    personId: p.id,
    occurredAt: at,
    data: {
      personId: p.id,
      nhsNumber: p.nhsNumber,
      status: p.status,
      entitlementStart: p.entitlementStart,
      responsibleLocalAuthority: p.responsibleLocalAuthority,
      responsibleIcb: p.responsibleIcb,
      plan: { id: plan.id, version: plan.planNumber, approvedOn: at.toISOString().slice(0, 10) },
      services: services.map((s) => ({
        id: s.id,
        serviceType: s.serviceType,
        serviceTypeCode: s.serviceTypeCode,
        provider: s.provider,
        startOn: s.startOn,
        endOn: s.endOn,
        weeklyCostPence: s.weeklyCostPence,
        localAuthorityPercent: s.localAuthorityBasisPoints / 100,
        icbPercent: (10000 - s.localAuthorityBasisPoints) / 100,
        doNotCharge: s.s117,
      })),
      weeklyTotalPence: { localAuthority: totals.weekly.localAuthorityPence, icb: totals.weekly.icbPence, total: totals.weekly.totalPence },
    },
  });
}

/** Send a submitted plan back to draft, saying why. The bodies' agreements go with it: what they agreed may change. */
export async function returnPlan(ctx: ServiceContext, personId: string, planId: string, version: number, note: string): Promise<PlanRow> {
  const reason = note.trim();
  return ctx.data.transaction(async (tx, audit) => {
    // Permission before input: the approve route's guard asks only for person:read (issue 13).
    const { before } = await takeSubmitted(tx, ctx, personId, planId, version);
    if (!reason) throw new InputError([{ path: 'note', message: 'Say what needs to change before the plan can be approved' }]);
    const after = expectOneUpdated(
      await updatePlanAtVersion(tx, ctx.actor.partnershipId, planId, version, { status: 'draft', approvalNote: reason, submittedAt: null, submittedBy: null, version: version + 1, updatedAt: ctx.clock.now() }),
    );
    const removed = await deleteAgreements(tx, ctx.actor.partnershipId, planId);
    await audit.change({ action: 'plan.returned', subjectType: 'person', subjectId: personId, before, after: { ...after, agreementsRemoved: removed } });
    return after;
  });
}

// ---------------------------------------------------------------------------
// Direct payments and personal health budgets
// ---------------------------------------------------------------------------

/**
 * Record a request for a direct payment or a personal health budget. A PHB for section 117
 * aftercare must be granted unless a reason why it is not appropriate is recorded (R23).
 */
export async function recordBudgetRequest(ctx: ServiceContext, personId: string, planId: string | null, input: unknown): Promise<BudgetRequestRow> {
  const data = parseInput(budgetRequestSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    if (planId !== null) await loadPlan(tx, ctx, personId, planId);
    if (data.kind === 'personal-health-budget' && data.status === 'refused') {
      const decision = phbRequestDecision({ requestedOn: data.requestedOn!, icbFunded: true, notAppropriateReason: data.notAppropriateReason });
      if (decision.decision === 'must-grant') {
        throw new InputError([
          {
            path: 'notAppropriateReason',
            message: 'A personal health budget for section 117 aftercare must be granted unless you record why it is not appropriate (National Health Service Commissioning Board and Clinical Commissioning Groups (Responsibilities and Standing Rules) Regulations 2012, reg 32B)',
          },
        ]);
      }
    }
    const created = await insertBudgetRequest(tx, { partnershipId: ctx.actor.partnershipId, personId, planId, recordedBy: ctx.actor.userId, ...data, requestedOn: data.requestedOn! });
    await audit.change({ action: 'plan.budget-request-recorded', subjectType: 'person', subjectId: personId, after: created });
    return created;
  });
}

// ---------------------------------------------------------------------------
// Comparing versions
// ---------------------------------------------------------------------------

export async function planVersions(ctx: ServiceContext, personId: string, fromId: string, toId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const [from, to] = await Promise.all([loadPlan(tx, ctx, personId, fromId), loadPlan(tx, ctx, personId, toId)]);
    const [a, b] = await Promise.all([planParts(tx, ctx.actor.partnershipId, fromId), planParts(tx, ctx.actor.partnershipId, toId)]);
    await audit.viewPerson(personId, { view: 'plan-compare', fromId, toId });
    return { person: p, from: { plan: from, ...a }, to: { plan: to, ...b } };
  });
}

export function formatSplit(localAuthorityBasisPoints: number): string {
  return `${localAuthorityBasisPoints / 100}% local authority, ${(10_000 - localAuthorityBasisPoints) / 100}% ICB`;
}

export { formatPounds };

// ---------------------------------------------------------------------------
// For the routes: what the pages and the API need besides the use cases above
// ---------------------------------------------------------------------------

/** The contact details of the responsible bodies named by code (ODS or ONS), for the printed plan; a code matching none shows as itself. */
export async function responsibleBodies(ctx: ServiceContext, codes: Array<string | null>): Promise<Array<OrganisationContact | null>> {
  const wanted = codes.filter((c): c is string => c !== null);
  const rows = wanted.length ? await ctx.data.read((q) => findOrganisationContacts(q, ctx.actor.partnershipId, wanted)) : [];
  return codes.map((code) => {
    if (code === null) return null;
    const row = rows.find((r) => r.code === code || r.onsCode === code);
    return row ? { name: row.name, contactPhone: row.contactPhone, contactEmail: row.contactEmail, contactAddress: row.contactAddress } : { name: code, contactPhone: null, contactEmail: null, contactAddress: null };
  });
}

/** Store the plan's PDF on the person's record (person:write, audited with the document). */
export async function storePlanDocument(ctx: ServiceContext, input: Omit<StoreDocumentInput, 'kind'>): Promise<{ id: string; contentHash: string }> {
  return ctx.data.transaction((tx) => storeDocument(tx, ctx, { ...input, kind: 'plan' }));
}

/**
 * The plan as stored right after a change the actor has just made (so access was checked by the
 * change), with its needs, services and the partnership's settings, in one read and without
 * recording a view: the change itself is audited.
 */
export async function planAsStored(ctx: ServiceContext, personId: string, planId: string) {
  return ctx.data.read(async (q) => {
    const plan = await loadPlan(q, ctx, personId, planId);
    const [{ needs, services }, settings, p] = await Promise.all([planParts(q, ctx.actor.partnershipId, planId), getPlanSettings(q, ctx.actor.partnershipId), loadPerson(q, ctx, personId, 'person:read')]);
    const agreement = await agreementStateOf(q, ctx.actor.partnershipId, p, plan, { needs, services });
    return { plan, needs, services, settings, agreement };
  });
}

/**
 * The stored plan a PATCH of its details is merged onto (the API): 404 and 403 on the person
 * first, as the service answers them; undefined when there is no such plan (the service then
 * says so).
 */
export async function planForPatch(ctx: ServiceContext, personId: string, planId: string): Promise<PlanRow | undefined> {
  return ctx.data.read(async (q) => {
    await loadPerson(q, ctx, personId, 'person:write');
    return isUuid(planId) ? findPlan(q, ctx.actor.partnershipId, personId, planId) : undefined;
  });
}

// ---------------------------------------------------------------------------
// Funding panel decisions (issues 6 and 13): a panel never changes an approved plan
// ---------------------------------------------------------------------------

export interface PanelDecisionOutcome {
  /** The version now carrying the decided split. */
  planId: string;
  planNumber: number;
  /** A new version was started from the approved one (rather than an open version changed). */
  newVersion: boolean;
}

/**
 * Carry a funding panel's decided split into the plan, in the panels module's transaction
 * (docs/decisions/0008-funding-both-bodies-agree.md). An approved plan is never changed: the
 * decision starts the next version (a copy of the approved one with the decided split on every
 * service and the panel's reference), submitted for approval as any version is, with the panel's
 * decision recorded as the agreement of both bodies (a quorate panel has members of each). A
 * version not yet approved (a draft, or one waiting for approval) takes the split itself:
 * nothing approved changes. A draft records no agreement (it can still change before it is
 * submitted); a version waiting for approval loses any earlier agreement (the split changed) and
 * takes the panel's.
 */
export async function applyPanelDecision(
  tx: Tx,
  audit: AuditRecorder,
  ctx: ServiceContext,
  decision: { personId: string; planId: string; laBasisPoints: number; basis: string; panelCaseId: string; decidedAt: Date },
): Promise<PanelDecisionOutcome> {
  const { personId, laBasisPoints, panelCaseId, decidedAt } = decision;
  if (!Number.isInteger(laBasisPoints) || laBasisPoints < 0 || laBasisPoints > 10_000) throw new InputError([{ path: 'localAuthorityPercent', message: 'The local authority share must be from 0% to 100%' }]);
  const basis = decision.basis.trim().slice(0, 2000);
  if (!basis) throw new InputError([{ path: 'basis', message: 'Record the basis of the split' }]);
  const p = await loadPerson(tx, ctx, personId, 'person:read', true);
  const decided = await loadPlan(tx, ctx, personId, decision.planId);
  const existing = await findPlansOfPerson(tx, ctx.actor.partnershipId, personId);
  const open = existing.find((x) => x.status === 'draft' || x.status === 'submitted');
  let target: PlanRow;
  let newVersion = false;
  if (open) {
    target = open;
  } else {
    const approved = existing.find((x) => x.status === 'approved') ?? decided;
    target = await insertNextVersion(tx, ctx, p, approved, { status: 'submitted', createdBy: ctx.actor.userId, submittedAt: decidedAt, submittedBy: ctx.actor.userId, panelCaseId });
    newVersion = true;
  }
  const { services: before } = await planParts(tx, ctx.actor.partnershipId, target.id);
  for (const svc of before) {
    await updateServiceRow(tx, ctx.actor.partnershipId, svc.id, { localAuthorityBasisPoints: laBasisPoints, splitBasis: basis, version: svc.version + 1, updatedAt: decidedAt });
  }
  const after = (await updatePlan(tx, ctx.actor.partnershipId, target.id, { panelCaseId, version: target.version + 1, updatedAt: decidedAt }))!;
  let removed: unknown[] = [];
  const agreements: unknown[] = [];
  if (after.status === 'submitted') {
    removed = await deleteAgreements(tx, ctx.actor.partnershipId, target.id);
    const orgs = await findOrganisationsByCode(tx, ctx.actor.partnershipId, [p.responsibleLocalAuthority, p.responsibleIcb].filter((c): c is string => c !== null));
    for (const body of ['local-authority', 'icb'] as const) {
      const code = body === 'icb' ? p.responsibleIcb : p.responsibleLocalAuthority;
      const org = code ? orgs.find((o) => o.code === code || o.onsCode === code) : undefined;
      agreements.push(await insertAgreement(tx, { partnershipId: ctx.actor.partnershipId, planId: target.id, personId, body, organisationId: org?.id ?? null, agreedBy: ctx.actor.userId, agreedAt: decidedAt, panelCaseId, note: 'The funding panel’s decision' }));
    }
  }
  await audit.change({
    action: newVersion ? 'plan.panel-version-started' : 'plan.panel-split-applied',
    subjectType: 'person',
    subjectId: personId,
    before: { planId: target.id, services: before.map((x) => ({ id: x.id, localAuthorityBasisPoints: x.localAuthorityBasisPoints, splitBasis: x.splitBasis })), agreements: removed },
    after: { planId: target.id, planNumber: target.planNumber, from: newVersion ? decided.id : null, panelCaseId, localAuthorityBasisPoints: laBasisPoints, splitBasis: basis, agreements },
  });
  if (newVersion) {
    // The new version waits for approval by an approver of a responsible body: tell them.
    await notifyWaitingBodies(tx, ctx, p, after, [{ body: 'local-authority', name: 'the local authority' }, { body: 'icb', name: 'the ICB' }], 'panel-version');
  }
  return { planId: target.id, planNumber: target.planNumber, newVersion };
}

/** For linking from another record (a safeguarding concern, issue 16 item 1): the person's aftercare plans, newest first, by number and status. */
export async function plansForLinking(q: DbOrTx, ctx: Pick<ServiceContext, 'actor'>, person: PersonRow): Promise<Array<{ id: string; text: string; href: string }>> {
  const rows = await findPlansOfPerson(q, ctx.actor.partnershipId, person.id);
  return rows.map((p) => ({
    id: p.id,
    text: `Aftercare plan ${p.planNumber} (${planStatusLabels[p.status].toLowerCase()})${p.approvedAt ? `, approved ${govukDate(p.approvedAt)}` : `, started ${govukDate(p.createdAt)}`}`,
    href: `/people/${person.id}/plans/${p.id}`,
  }));
}
