/**
 * Funding that both bodies agreed (issue 13, item 2). A plan's version is approved when every
 * body that pays for it has agreed: the local authority by one of its approvers, the ICB by one
 * of its approvers or by a funding panel's decision (docs/decisions/0008-funding-both-bodies-agree.md).
 * Whose agreement is needed is the pure rule in src/domain/funding-agreement.ts, with the
 * partnership's policy (a weekly threshold for the ICB, recorded with its basis).
 *
 * This file holds what the plan's approval, the plan page, My work and the policy page share:
 * the agreement state of a version, the notices to the bodies' approvers and the policy itself.
 */
import { z } from 'zod';
import { bodiesStillToAgree, bodiesThatMustAgree, defaultAgreementPolicy, type AgreementPolicy, type PayingBody } from '../../domain/funding-agreement.ts';
import { formatPounds, planTotals } from '../../domain/funding.ts';
import { assertCan, planAgreerRoles, planApprovalBodies } from '../../platform/access/policy.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { ConflictError, InputError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { zodIssues } from '../../platform/http/validation.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import type { PersonRow } from '../register/index.ts';
import {
  findAgreements,
  findFundingPolicy,
  findFundingPolicyWithEditor,
  findOrganisationsByCode,
  findOrganisationUsersWithRoles,
  findSubmittedPlansForBodies,
  findPlanParts,
  findPersonNames,
  saveFundingPolicy,
  type AgreementRow,
  type NeedRow,
  type PlanRow,
  type ServiceRow,
} from './plans.queries.ts';

export type { PayingBody };

/** What the plan page and the API show about the bodies' agreement. */
export interface AgreementState {
  /** The bodies that must agree (empty: either responsible body approves alone). */
  required: PayingBody[];
  reasons: string[];
  agreed: Array<{ body: PayingBody; organisationName: string | null; agreedByName: string | null; agreedAt: Date; panelCaseId: string | null; agreedBy: string | null }>;
  /** Still to agree, with the organisation's name (or "the ICB" when it is not known). */
  waitingFor: Array<{ body: PayingBody; name: string }>;
  weekly: { localAuthorityPence: number; icbPence: number };
}

/** The partnership's policy, or the default (any ICB cost needs the ICB's agreement). */
export async function agreementPolicyOf(q: DbOrTx, partnershipId: string): Promise<AgreementPolicy> {
  const row = await findFundingPolicy(q, partnershipId);
  return row ? { icbThresholdWeeklyPence: row.icbThresholdWeeklyPence, icbAlwaysForHealthNeeds: row.icbAlwaysForHealthNeeds } : defaultAgreementPolicy;
}

/** A need marked as a health need: a primary health need, or classified as NHS continuing healthcare. */
const isHealthNeed = (n: NeedRow) => n.primaryHealthNeed || n.category === 'nhs-chc';

/** The body's short name in words, for a person whose responsible bodies are known by code. */
function bodyName(body: PayingBody, orgs: Array<{ code: string; onsCode: string | null; name: string }>, p: Pick<PersonRow, 'responsibleLocalAuthority' | 'responsibleIcb'>): string {
  const code = body === 'local-authority' ? p.responsibleLocalAuthority : p.responsibleIcb;
  const org = code ? orgs.find((o) => o.code === code || o.onsCode === code) : undefined;
  return org?.name ?? (body === 'icb' ? 'the ICB' : 'the local authority');
}

/** The agreement state of a plan version from its parts (read in the caller's unit of work). */
export async function agreementStateOf(q: DbOrTx, partnershipId: string, p: PersonRow, plan: PlanRow, parts?: { needs: NeedRow[]; services: ServiceRow[] }): Promise<AgreementState> {
  const { needs, services } = parts ?? (await findPlanParts(q, partnershipId, plan.id));
  const [policy, rows, orgs] = await Promise.all([
    agreementPolicyOf(q, partnershipId),
    findAgreements(q, partnershipId, plan.id),
    findOrganisationsByCode(q, partnershipId, [p.responsibleLocalAuthority, p.responsibleIcb].filter((c): c is string => c !== null)),
  ]);
  const weekly = planTotals(services).weekly;
  const icbPaysForHealthNeed = services.some((s) => s.localAuthorityBasisPoints < 10_000 && s.weeklyCostPence > 0 && needs.some((n) => s.needIds.includes(n.id) && isHealthNeed(n)));
  const decision = bodiesThatMustAgree({ weekly, icbPaysForHealthNeed, policy });
  const agreed = rows.map((r) => ({
    body: r.agreement.body,
    organisationName: r.organisationName,
    agreedByName: r.agreedByName,
    agreedAt: r.agreement.agreedAt,
    panelCaseId: r.agreement.panelCaseId,
    agreedBy: r.agreement.agreedBy,
  }));
  const waiting = bodiesStillToAgree(decision.required, agreed.map((a) => a.body));
  return {
    required: [...decision.required],
    reasons: [...decision.reasons],
    agreed,
    waitingFor: waiting.map((body) => ({ body, name: bodyName(body, orgs, p) })),
    weekly: { localAuthorityPence: weekly.localAuthorityPence, icbPence: weekly.icbPence },
  };
}

/** "Waiting for the ICB’s agreement", "Waiting for the local authority’s and the ICB’s agreement". */
export function waitingLabel(waitingFor: ReadonlyArray<{ body: PayingBody }>): string | null {
  if (waitingFor.length === 0) return null;
  const words = waitingFor.map((w) => (w.body === 'icb' ? 'the ICB’s' : 'the local authority’s'));
  return `Waiting for ${words.join(' and ')} agreement`;
}

/**
 * Why the actor cannot agree this version, in words that say whose agreement is still needed.
 * `mine` are the bodies the actor may agree for.
 */
export function refusalMessage(state: AgreementState, mine: ReadonlyArray<{ body: PayingBody }>, actorUserId: string | null): string {
  const still = state.waitingFor.map((w) => w.name).join(' and ');
  const money = (b: PayingBody) => formatPounds(b === 'icb' ? state.weekly.icbPence : state.weekly.localAuthorityPence);
  const already = state.agreed.filter((a) => mine.some((m) => m.body === a.body));
  const costs = state.waitingFor.map((w) => `${money(w.body)} a week on ${w.name}`).join(' and ');
  const how = state.waitingFor.some((w) => w.body === 'icb')
    ? ' A team manager, senior practitioner or commissioner of the ICB agrees to it on this page, or the funding panel decides the split.'
    : ' A team manager or senior practitioner of the local authority agrees to it on this page.';
  if (already.length > 0) {
    const who = already.map((a) => a.organisationName ?? (a.body === 'icb' ? 'The ICB' : 'The local authority')).join(' and ');
    return `${who} has already agreed to this plan. It cannot be approved until ${still} agrees: the plan puts ${costs}.${how}`;
  }
  if (actorUserId !== null && state.agreed.some((a) => a.agreedBy === actorUserId && a.panelCaseId === null)) {
    return `You have already agreed to this plan for one body: somebody else must agree for ${still}.${how}`;
  }
  return `This plan cannot be approved without ${still}’s agreement: it puts ${costs}.${how}`;
}

/**
 * Tell the approvers of each body still to agree that a plan waits on them (in the app, and by
 * email through the outbox when email is set up). Queued once per version, body and person.
 */
export async function notifyWaitingBodies(
  tx: Tx,
  ctx: ServiceContext,
  p: PersonRow,
  plan: PlanRow,
  waitingFor: AgreementState['waitingFor'],
  why: 'agreement' | 'approval' | 'panel-version' = 'agreement',
): Promise<number> {
  let queued = 0;
  const orgs = await findOrganisationsByCode(tx, ctx.actor.partnershipId, [p.responsibleLocalAuthority, p.responsibleIcb].filter((c): c is string => c !== null));
  for (const w of waitingFor) {
    const code = w.body === 'icb' ? p.responsibleIcb : p.responsibleLocalAuthority;
    const org = code ? orgs.find((o) => o.code === code || o.onsCode === code) : undefined;
    if (!org) continue;
    const users = await findOrganisationUsersWithRoles(tx, ctx.actor.partnershipId, org.id, planAgreerRoles(w.body));
    for (const u of users) {
      if (u.id === ctx.actor.userId) continue;
      const added = await queueNotification(
        tx,
        {
          partnershipId: ctx.actor.partnershipId,
          dedupeKey: `plan-agreement:${plan.id}:${plan.submittedAt?.getTime() ?? 0}:${w.body}:${u.id}`,
          kind: why === 'agreement' ? 'plan-agreement-needed' : why === 'approval' ? 'plan-approval-needed' : 'plan-panel-version',
          recipientUserId: u.id,
          personId: p.id,
          subject:
            why === 'agreement'
              ? `Aftercare plan ${plan.planNumber} for ${p.givenName} ${p.familyName} needs ${org.name}’s agreement`
              : why === 'approval'
                ? `Aftercare plan ${plan.planNumber} for ${p.givenName} ${p.familyName} is waiting for approval`
                : `The funding panel’s decision made aftercare plan ${plan.planNumber} for ${p.givenName} ${p.familyName}: it is waiting for approval`,
          body:
            why === 'agreement'
              ? `Aftercare plan ${plan.planNumber} for ${p.givenName} ${p.familyName} puts costs on ${org.name}. It cannot be approved until ${org.name} agrees. Open the plan to agree to it or return it for changes.`
              : why === 'approval'
                ? `Aftercare plan ${plan.planNumber} for ${p.givenName} ${p.familyName} has been submitted. It costs neither body anything, so an approver of either responsible body may approve it. Open the plan to approve it or return it for changes.`
                : `The funding panel decided how the cost of ${p.givenName} ${p.familyName}’s aftercare is shared. Plan ${plan.planNumber} carries the decided split and is waiting for approval; the plan approved before stays in place until then.`,
          link: `/people/${p.id}/plans/${plan.id}#approve`,
        },
        'email',
      );
      if (added) queued += 1;
    }
  }
  return queued;
}

/** Tell whoever submitted the plan that it has been approved (a decision they asked for). */
export async function notifySubmitterApproved(tx: Tx, ctx: ServiceContext, p: PersonRow, plan: PlanRow): Promise<void> {
  if (!plan.submittedBy || plan.submittedBy === ctx.actor.userId) return;
  await queueNotification(
    tx,
    {
      partnershipId: ctx.actor.partnershipId,
      dedupeKey: `plan-approved:${plan.id}`,
      kind: 'plan-approved',
      recipientUserId: plan.submittedBy,
      personId: p.id,
      subject: `Aftercare plan ${plan.planNumber} for ${p.givenName} ${p.familyName} has been approved`,
      body: `Every body that pays for aftercare plan ${plan.planNumber} for ${p.givenName} ${p.familyName} has agreed, and the plan is approved.`,
      link: `/people/${p.id}/plans/${plan.id}`,
    },
    'email',
  );
}

// ---------------------------------------------------------------------------
// Plans waiting for the actor's agreement (My work)
// ---------------------------------------------------------------------------

export interface WaitingAgreement {
  personId: string;
  personName: string;
  planId: string;
  planNumber: number;
  submittedAt: Date | null;
  /** The organisation the actor would agree for. */
  organisationName: string;
}

/**
 * The submitted plans waiting for the agreement of a body the actor may agree for: each plan of a
 * person whose responsible body the actor approves for, where that body must agree and has not.
 */
export async function plansAwaitingMyAgreement(ctx: ServiceContext): Promise<WaitingAgreement[]> {
  if (ctx.actor.kind !== 'user') return [];
  const codes = ctx.actor.memberships.flatMap((m) => (m.organisationOnsCode ? [m.organisationCode, m.organisationOnsCode] : [m.organisationCode]));
  return ctx.data.read(async (q) => {
    const submitted = await findSubmittedPlansForBodies(q, ctx.actor.partnershipId, codes);
    if (submitted.length === 0) return [];
    const people = await findPersonNames(q, ctx.actor.partnershipId, [...new Set(submitted.map((s) => s.plan.personId))]);
    const out: WaitingAgreement[] = [];
    for (const { plan } of submitted) {
      const p = people.find((x) => x.id === plan.personId);
      if (!p) continue;
      const mine = planApprovalBodies(ctx.actor, p);
      if (mine.length === 0) continue;
      const state = await agreementStateOf(q, ctx.actor.partnershipId, p, plan);
      // Nobody in particular must agree (it costs neither body anything), or every body that must has
      // (a funding panel's decision counts as both): any approver of either body may approve it.
      const waitingOnMe = state.waitingFor.length === 0 ? { body: mine[0]!.body, name: bodyNameFor(ctx, mine[0]!.organisationId) } : state.waitingFor.find((w) => mine.some((m) => m.body === w.body));
      if (!waitingOnMe) continue;
      out.push({ personId: p.id, personName: `${p.givenName} ${p.familyName}`, planId: plan.id, planNumber: plan.planNumber, submittedAt: plan.submittedAt, organisationName: waitingOnMe.name });
    }
    return out;
  });
}

function bodyNameFor(ctx: ServiceContext, organisationId: string): string {
  return ctx.actor.memberships.find((m) => m.organisationId === organisationId)?.organisationName ?? 'your organisation';
}

// ---------------------------------------------------------------------------
// The partnership's policy: when the ICB must agree
// ---------------------------------------------------------------------------

export const fundingPolicySchema = z.object({
  mode: z.enum(['any', 'threshold'], { error: 'Choose when the ICB must agree a plan' }),
  thresholdPounds: z.string().trim().optional().default(''),
  alwaysForHealthNeeds: z.boolean().optional().default(false),
  basis: z.string({ error: 'Record the basis of this policy' }).trim().min(1, 'Record the basis of this policy: the local agreement it comes from').max(2000, 'The basis must be 2000 characters or fewer'),
});

export interface FundingPolicyView extends AgreementPolicy {
  basis: string | null;
  version: number;
  updatedAt: Date | null;
  updatedByName: string | null;
}

export async function openFundingPolicy(ctx: ServiceContext): Promise<FundingPolicyView> {
  assertCan(ctx.actor, 'settings:manage');
  const row = await ctx.data.read((q) => findFundingPolicyWithEditor(q, ctx.actor.partnershipId));
  if (!row) return { ...defaultAgreementPolicy, basis: null, version: 0, updatedAt: null, updatedByName: null };
  return { icbThresholdWeeklyPence: row.policy.icbThresholdWeeklyPence, icbAlwaysForHealthNeeds: row.policy.icbAlwaysForHealthNeeds, basis: row.policy.basis, version: row.policy.version, updatedAt: row.policy.updatedAt, updatedByName: row.updatedByName };
}

/** Save the policy at `version` (0: the first time): lead organisation administrators; audited with before and after. */
export async function updateFundingPolicy(ctx: ServiceContext, version: number, input: unknown): Promise<void> {
  assertCan(ctx.actor, 'settings:manage');
  // Every problem at once: the amount is checked beside the schema's own issues, not after them.
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const pounds = typeof raw.thresholdPounds === 'string' ? raw.thresholdPounds.trim().replace(/^£/, '').replace(/,/g, '') : '';
  const amountIssue =
    raw.mode === 'threshold' && !/^\d{1,7}(\.\d{1,2})?$/.test(pounds)
      ? [{ path: 'thresholdPounds', message: pounds === '' ? 'Enter the amount a week above which the ICB must agree' : 'Enter the amount a week in pounds and pence, for example 250 or 250.00' }]
      : [];
  const parsed = fundingPolicySchema.safeParse(input);
  if (!parsed.success || amountIssue.length > 0) throw new InputError([...(parsed.success ? [] : zodIssues(parsed.error)), ...amountIssue]);
  const data = parsed.data;
  const threshold = data.mode === 'threshold' ? Math.round(Number(pounds) * 100) : null;
  await ctx.data.transaction(async (tx, audit) => {
    const before = await findFundingPolicy(tx, ctx.actor.partnershipId);
    const saved = await saveFundingPolicy(tx, ctx.actor.partnershipId, version, {
      icbThresholdWeeklyPence: threshold,
      icbAlwaysForHealthNeeds: data.mode === 'threshold' && data.alwaysForHealthNeeds,
      basis: data.basis,
      updatedBy: ctx.actor.userId,
      updatedAt: ctx.clock.now(),
    });
    if (!saved) throw new ConflictError('Somebody else saved this policy after you opened it. Nothing you entered has been saved: open it again to see theirs.');
    await audit.change({ action: 'funding-policy.updated', subjectType: 'plan-settings', subjectId: ctx.actor.partnershipId, before: before ?? null, after: saved });
  });
}

export type { AgreementRow };
