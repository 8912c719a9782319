/**
 * Ending section 117 aftercare, and reinstating a mistaken ending (issue 6).
 *
 * A practitioner proposes; the rules engine checks the proposal (ending-checklist.ts: CTO,
 * conditional discharge, a current entitlement, lawful reasons, the person involved) on every
 * view and every decision. A proposal whose checklist fails is saved — so the work is not lost
 * and everyone sees what blocks it — but cannot be approved until every check passes.
 *
 * Two decisions, by two different people: one for the responsible local authority, one for the
 * responsible ICB (policy.ts endingApprovalOrganisation). Either can decline, with reasons. On
 * the second approval, in one transaction: the `aftercare-ended` legal event is recorded and the
 * engine re-run, so the stored decision becomes "ended" (or, for a reinstatement, the ending
 * event is voided and the entitlement comes back), the proposal is marked recorded, the ending
 * letter is produced and stored, and every step is audited.
 */
import { endingCapacityCheck } from '../capacity/index.ts';
import { endingLibertyCheck } from '../liberty/index.ts';
import { z } from 'zod';
import { endingChecklist, reinstatementChecklist, type Checklist, type EndingCheck, type HistoryForChecks } from '../../domain/ending-checklist.ts';
import type { Decision } from '../../domain/rules/index.ts';
import { canOnPerson, endingApprovalOrganisation, endingDeciderRoles, type EndingBody } from '../../platform/access/policy.ts';
import { tellEach, usersWithRoles } from '../../platform/notifications/recipients.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError, type FieldIssue } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput, zodIssues } from '../../platform/http/validation.ts';
import { storeDocument } from '../documents/index.ts';
import { fileNameFor, type OrganisationContact } from '../documents/index.ts';
import { letterFormat, wrapInLetter } from '../documents/index.ts';
import { recordEvent, voidEvent } from '../register/index.ts';
import { advocacySummaryFor } from '../carers/index.ts';
import { loadHistory, summarise, type StoredEvent } from '../register/index.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import { grantWorkflowAuthority } from '../register/index.ts';
import { decisionInputSchema, endingInputSchema, endReasonsForPerson, type EndingInput } from './inputs.ts';
import { buildEndingLetter, type EndingLetterFacts } from './letter.ts';
import {
  findEndingEventInEffect,
  findEndingLetters,
  latestPlanAdvocacy,
  findOpenProposalIds,
  findPersonProposals,
  findProposal,
  findUserNames,
  insertProposal,
  organisationsOf,
  updateProposalAtVersion,
  type EndingRow,
} from './endings.queries.ts';
import { withGovukDates } from '../../platform/plain-language.ts';

export type { EndingRow };

export const bodyLabels: Record<EndingBody, string> = { 'local-authority': 'the local authority', icb: 'the ICB' };

// ---------------------------------------------------------------------------
// The checklist, from the engine
// ---------------------------------------------------------------------------

function historyForChecks(history: StoredEvent[], dateOfBirth: string, asOf: string): HistoryForChecks {
  return { events: history.map((e) => ({ type: e.type, date: e.occurredOn, ...(e.payload as Record<string, unknown>) })), dateOfBirth, asOf };
}

/** The latest ending in the history that is in effect: the event a reinstatement would void. */
function latestEnding(history: StoredEvent[]): { index: number; event: StoredEvent } | null {
  for (let i = history.length - 1; i >= 0; i -= 1) if (history[i]!.type === 'aftercare-ended') return { index: i, event: history[i]! };
  return null;
}

async function checklistFor(db: DbOrTx, row: PersonRow, proposal: Pick<EndingRow, 'kind' | 'effectiveOn' | 'reasonCodes' | 'personInvolved' | 'legalOverride' | 'legalEventId'>, today: string): Promise<Checklist> {
  const history = await loadHistory(db, row.partnershipId, row.id);
  const forChecks = historyForChecks(history, row.dateOfBirth, today);
  if (proposal.kind === 'reinstatement') {
    const index = history.findIndex((e) => e.id === proposal.legalEventId);
    const latest = latestEnding(history);
    // Only the ending in effect now can be reinstated.
    return reinstatementChecklist(forChecks, index >= 0 && latest?.index === index ? index : null);
  }
  return endingChecklist(forChecks, { date: proposal.effectiveOn, reasons: proposal.reasonCodes, personInvolved: proposal.personInvolved, legalOverride: proposal.legalOverride });
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

type Org = Awaited<ReturnType<typeof organisationsOf>>[number];
const byCode = (orgs: Org[], code: string | null): Org | null => (code ? (orgs.find((o) => o.code === code || o.onsCode === code) ?? null) : null);
const contactOf = (org: Org | null, code: string | null): OrganisationContact | null =>
  org ? { name: org.name, contactPhone: org.contactPhone, contactEmail: org.contactEmail, contactAddress: org.contactAddress } : code ? { name: code, contactPhone: null, contactEmail: null, contactAddress: null } : null;

async function userNames(db: DbOrTx, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await findUserNames(db, wanted);
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function loadProposal(db: DbOrTx, ctx: ServiceContext, personId: string, endingId: string, lock = false): Promise<EndingRow> {
  if (!z.uuid().safeParse(endingId).success) throw new NotFoundError('Proposal not found');
  const row = await findProposal(db, ctx.actor.partnershipId, personId, endingId, lock);
  if (!row) throw new NotFoundError('Proposal not found');
  return row;
}

/** What the actor may do for each body on an open proposal, and why not. */
export interface BodyDecisionView {
  body: EndingBody;
  organisationName: string;
  decision: 'approved' | 'declined' | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  reason: string | null;
  /** The actor may decide for this body now. */
  canDecide: boolean;
  /** Why the actor, who holds a deciding role for this body, may not decide now. */
  blockedBecause: string | null;
}

function bodyViews(ctx: ServiceContext, row: PersonRow, proposal: EndingRow, orgs: Org[], names: Map<string, string>): BodyDecisionView[] {
  const views: BodyDecisionView[] = [];
  for (const body of ['local-authority', 'icb'] as const) {
    const la = body === 'local-authority';
    const code = la ? row.responsibleLocalAuthority : row.responsibleIcb;
    const decision = la ? proposal.laDecision : proposal.icbDecision;
    const decidedBy = la ? proposal.laDecidedBy : proposal.icbDecidedBy;
    const otherDecidedBy = la ? proposal.icbDecidedBy : proposal.laDecidedBy;
    const may = endingApprovalOrganisation(ctx.actor, row, body) !== null;
    let blockedBecause: string | null = null;
    if (may && proposal.status === 'proposed' && decision === null && otherDecidedBy !== null && otherDecidedBy === ctx.actor.userId) {
      blockedBecause = sameDeciderMessage(body);
    }
    views.push({
      body,
      organisationName: byCode(orgs, code)?.name ?? code ?? 'Not known',
      decision,
      decidedByName: decidedBy ? (names.get(decidedBy) ?? null) : null,
      decidedAt: la ? proposal.laDecidedAt : proposal.icbDecidedAt,
      reason: la ? proposal.laReason : proposal.icbReason,
      canDecide: may && proposal.status === 'proposed' && decision === null && blockedBecause === null,
      blockedBecause,
    });
  }
  return views;
}

function sameDeciderMessage(body: EndingBody): string {
  const other = body === 'local-authority' ? bodyLabels.icb : bodyLabels['local-authority'];
  return `You have already decided for ${other}. The decision for ${bodyLabels[body]} must be made by a different person: the two bodies decide separately.`;
}

export interface EndingSummary {
  proposal: EndingRow;
  proposedByName: string | null;
}

/** The person's proposals to end or reinstate aftercare, newest first; what the actor may start. Audited as a view. */
export async function listEndings(ctx: ServiceContext, personId: string) {
  const { row, proposals, names } = await ctx.data.transaction(async (tx, audit) => {
    const row = await loadPerson(tx, ctx, personId, 'person:read');
    const proposals = await findPersonProposals(tx, ctx.actor.partnershipId, personId);
    const names = await userNames(tx, proposals.map((p) => p.proposedBy));
    await audit.viewPerson(personId, { page: 'endings' });
    return { row, proposals, names };
  });
  const open = proposals.find((p) => p.status === 'proposed') ?? null;
  const canWrite = canOnPerson(ctx.actor, 'person:write', row);
  return {
    person: row,
    proposals: proposals.map((p) => ({ proposal: p, proposedByName: p.proposedBy ? (names.get(p.proposedBy) ?? null) : null })),
    open,
    canWrite,
    /** A new proposal: to end a current entitlement, or to reinstate an ended one. */
    canPropose: canWrite && open === null && (row.status === 'entitled' || row.status === 'ended'),
    proposeKind: (row.status === 'ended' ? 'reinstatement' : 'ending'),
  };
}

/** One proposal with its live checklist, both bodies' decisions and the letters produced. Audited as a view. */
export async function getEnding(ctx: ServiceContext, personId: string, endingId: string) {
  const today = ctx.today();
  const { row, proposal, checklist, orgs, names, letters, advocacy } = await ctx.data.transaction(async (tx, audit) => {
    const row = await loadPerson(tx, ctx, personId, 'person:read');
    const proposal = await loadProposal(tx, ctx, personId, endingId);
    const checklist: Checklist = proposal.status === 'proposed' ? await checklistFor(tx, row, proposal, today) : { checks: proposal.checks as EndingCheck[], passed: (proposal.checks as EndingCheck[]).every((c) => c.outcome === 'pass') };
    const orgs = await organisationsOf(tx, ctx.actor.partnershipId);
    const names = await userNames(tx, [proposal.proposedBy, proposal.laDecidedBy, proposal.icbDecidedBy]);
    const letters = await findEndingLetters(tx, ctx.actor.partnershipId, personId);
    // Issue 16, item 6: whether advocacy was offered and used, from the referrals and the latest plan's list.
    const advocacy = await advocacySummaryFor(tx, ctx.actor.partnershipId, personId, await latestPlanAdvocacy(tx, ctx.actor.partnershipId, personId));
    await audit.viewPerson(personId, { ending: proposal.id });
    return { row, proposal, checklist, orgs, names, letters, advocacy };
  });
  // The checklist also shows the latest completed capacity assessment about ending aftercare, or
  // that there is none (issue 16, item 2). It informs the decision; it is not a rule that blocks it.
  const capacity = await endingCapacityCheck(ctx, personId);
  // And any current deprivation of liberty authorisation or order (issue 16, item 4), to inform it too.
  const liberty = await endingLibertyCheck(ctx, personId);
  return {
    person: row,
    proposal,
    checklist,
    capacity,
    liberty,
    advocacy,
    proposedByName: proposal.proposedBy ? (names.get(proposal.proposedBy) ?? null) : null,
    bodies: bodyViews(ctx, row, proposal, orgs, names),
    // Letters produced when this proposal was recorded.
    letters: proposal.recordedAt ? letters.filter((l) => l.createdAt >= proposal.proposedAt && l.createdAt.getTime() <= proposal.recordedAt!.getTime() + 60_000) : [],
    canWrite: canOnPerson(ctx.actor, 'person:write', row),
  };
}

export type EndingDetail = Awaited<ReturnType<typeof getEnding>>;

// ---------------------------------------------------------------------------
// Proposing and withdrawing
// ---------------------------------------------------------------------------

/** The proposal's answers, with every problem reported at once (an ending also needs a date, reasons and the other care). */
function parseProposal(input: unknown, today: string): EndingInput {
  const parsed = endingInputSchema(today).safeParse(input);
  const issues: FieldIssue[] = parsed.success ? [] : zodIssues(parsed.error);
  const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  if ((parsed.success ? parsed.data.kind : raw.kind ?? 'ending') === 'ending') {
    const add = (path: string, message: string) => {
      if (!issues.some((i) => i.path === path)) issues.push({ path, message });
    };
    if (parsed.success ? !parsed.data.effectiveOn : !raw.effectiveOn) add('effectiveOn', 'Enter the date aftercare ends');
    if (parsed.success ? parsed.data.reasonCodes.length === 0 : !Array.isArray(raw.reasonCodes) || raw.reasonCodes.length === 0) add('reasonCodes', 'Choose at least one reason for ending aftercare');
    if (parsed.success ? !parsed.data.otherCarePlan : typeof raw.otherCarePlan !== 'string' || !raw.otherCarePlan.trim()) add('otherCarePlan', 'Describe the care or support that continues, or write “None”');
    if (parsed.success ? !parsed.data.messageToPerson : typeof raw.messageToPerson !== 'string' || !raw.messageToPerson.trim()) add('messageToPerson', 'Enter what to tell them in the letter, written to them');
  }
  if (issues.length > 0 || !parsed.success) throw new InputError(issues);
  return parsed.data;
}

/** Propose ending (or reinstating) aftercare. Saved even when the checklist fails: approvals are refused until it passes. */
export async function proposeEnding(ctx: ServiceContext, personId: string, input: unknown): Promise<EndingRow> {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    // Permission before input (issue 12, finding 10): who may propose, then what they sent.
    const row = await loadPerson(tx, ctx, personId, 'person:write', true);
    const data = parseProposal(input, today);
    const open = await findOpenProposalIds(tx, ctx.actor.partnershipId, personId);
    if (open.length > 0) throw new InputError([{ path: 'kind', message: 'There is already an open proposal for this person: decide or withdraw it first' }]);

    let effectiveOn: string;
    let legalEventId: string | null = null;
    let reasonCodes = data.reasonCodes;
    if (data.kind === 'reinstatement') {
      const ending = latestEnding(await loadHistory(tx, ctx.actor.partnershipId, personId));
      if (!ending || row.status !== 'ended') throw new InputError([{ path: 'kind', message: 'There is no recorded ending of their aftercare to reinstate' }]);
      effectiveOn = ending.event.occurredOn;
      legalEventId = ending.event.id;
      reasonCodes = [];
    } else {
      if (data.effectiveOn! < row.dateOfBirth) throw new InputError([{ path: 'effectiveOn', message: 'The date aftercare ends must be after their date of birth' }]);
      effectiveOn = data.effectiveOn!;
    }
    const legalOverride = data.kind === 'ending' && data.legalOverride;
    const fields = { kind: data.kind, effectiveOn, reasonCodes, personInvolved: data.personInvolved, legalOverride, legalEventId };
    const checklist = await checklistFor(tx, row, fields, today);
    const created = await insertProposal(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      ...fields,
      reasons: data.reasons,
      personView: data.personView,
      otherCarePlan: data.otherCarePlan,
      messageToPerson: data.kind === 'ending' ? data.messageToPerson : null,
      legalOverrideNote: legalOverride ? data.legalOverrideNote : null,
      checks: checklist.checks,
      proposedBy: ctx.actor.userId,
    });
    await audit.change({ action: data.kind === 'reinstatement' ? 'reinstatement.proposed' : 'ending.proposed', subjectType: 'person', subjectId: personId, after: { ...created, checksPassed: checklist.passed } });
    await tellDeciders(tx, ctx, row, created);
    return created;
  });
}

/** Withdraw an open proposal (the person's record must be writable by the actor). */
export async function withdrawEnding(ctx: ServiceContext, personId: string, endingId: string, version: number): Promise<EndingRow> {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const before = await loadProposal(tx, ctx, personId, endingId, true);
    if (before.status !== 'proposed') throw new ConflictError('This proposal has already been decided or withdrawn.');
    const after = expectOneUpdated(await updateProposalAtVersion(tx, ctx.actor.partnershipId, endingId, version, { status: 'withdrawn', updatedAt: ctx.clock.now() }));
    await audit.change({ action: `${before.kind}.withdrawn`, subjectType: 'person', subjectId: personId, before, after });
    return after;
  });
}

// ---------------------------------------------------------------------------
// Deciding: two bodies, two people
// ---------------------------------------------------------------------------

export interface DecisionOutcome {
  proposal: EndingRow;
  /** Both bodies approved and the ending (or reinstatement) is now in the legal history. */
  recorded: boolean;
  decision: Decision | null;
}

/**
 * Approve or decline for one body. `body` may be left out when the actor can decide for only one
 * body that has not decided yet. Refused (403) for anyone who is not an authorised user of a
 * responsible body; refused (422) for someone who already decided for the other body, and for an
 * approval while any check fails.
 */
export async function decideEnding(ctx: ServiceContext, personId: string, endingId: string, version: number, input: unknown): Promise<DecisionOutcome> {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const row = await loadPerson(tx, ctx, personId, 'person:read', true);
    const before = await loadProposal(tx, ctx, personId, endingId, true);
    const allowed = (['local-authority', 'icb'] as const).filter((b) => endingApprovalOrganisation(ctx.actor, row, b) !== null);
    if (allowed.length === 0) {
      throw new ForbiddenError('Only a team manager, senior practitioner or panel member of the responsible local authority, or a commissioner or panel member of the responsible ICB, can decide this.');
    }
    // Permission before input (issue 12, finding 10).
    const data = parseInput(decisionInputSchema, input);
    if (before.version !== version) throw new ConflictError();
    if (before.status !== 'proposed') throw new ConflictError('This proposal has already been decided or withdrawn.');
    const undecided = (b: EndingBody) => (b === 'local-authority' ? before.laDecision : before.icbDecision) === null;
    let body: EndingBody;
    if (data.body) {
      if (!allowed.includes(data.body)) throw new ForbiddenError(`You cannot decide for ${bodyLabels[data.body]}.`);
      body = data.body;
    } else {
      const open = allowed.filter(undecided);
      body = open[0] ?? allowed[0]!;
    }
    const decidedByOther = body === 'local-authority' ? before.icbDecidedBy : before.laDecidedBy;
    if (decidedByOther !== null && decidedByOther === ctx.actor.userId) throw new InputError([{ path: 'decision', message: sameDeciderMessage(body) }]);
    if (!undecided(body)) throw new InputError([{ path: 'decision', message: `${bodyLabels[body].replace(/^the/, 'The')} has already decided` }]);
    if (data.decision === 'decline' && !data.reason) throw new InputError([{ path: 'reason', message: 'Give the reasons for declining' }]);

    const checklist = await checklistFor(tx, row, before, today);
    if (data.decision === 'approve' && !checklist.passed) {
      throw new InputError(
        checklist.checks.filter((c) => c.outcome === 'fail').map((c) => ({ path: 'decision', message: `It cannot be approved: ${c.label.charAt(0).toLowerCase()}${c.label.slice(1)} fails (${c.rule}). ${withGovukDates(c.detail)}` })),
      );
    }
    const organisationId = endingApprovalOrganisation(ctx.actor, row, body)!;
    const decision = data.decision === 'approve' ? ('approved' as const) : ('declined' as const);
    const now = ctx.clock.now();
    const set =
      body === 'local-authority'
        ? { laDecision: decision, laDecidedBy: ctx.actor.userId, laOrganisationId: organisationId, laDecidedAt: now, laReason: data.reason }
        : { icbDecision: decision, icbDecidedBy: ctx.actor.userId, icbOrganisationId: organisationId, icbDecidedAt: now, icbReason: data.reason };
    const bothApproved = decision === 'approved' && (body === 'local-authority' ? before.icbDecision : before.laDecision) === 'approved';
    let updated = expectOneUpdated(
      await updateProposalAtVersion(
        tx,
        ctx.actor.partnershipId,
        endingId,
        version,
        { ...set, checks: checklist.checks, ...(decision === 'declined' ? { status: 'declined' as const } : {}), updatedAt: now },
        { whileOpen: true },
      ),
    );
    await audit.change({ action: `${before.kind}.${decision}`, subjectType: 'person', subjectId: personId, before, after: { ...updated, body } });
    await tellProposer(tx, ctx, row, updated, body, decision, bothApproved);
    if (!bothApproved) return { proposal: updated, recorded: false, decision: null };

    const result = before.kind === 'reinstatement' ? await voidEnding(tx, ctx, row, updated) : await recordEnding(ctx, row, updated);
    const recordedAt = ctx.clock.now();
    updated = expectOneUpdated(
      await updateProposalAtVersion(tx, ctx.actor.partnershipId, endingId, updated.version, { status: 'recorded', legalEventId: result.legalEventId, recordedAt, updatedAt: recordedAt }),
    );
    await audit.change({ action: `${before.kind}.recorded`, subjectType: 'person', subjectId: personId, after: { proposal: updated, decision: summarise(result.decision) } });
    if (before.kind === 'ending') await produceEndingLetters(tx, ctx, row, updated, today);
    return { proposal: updated, recorded: true, decision: result.decision };
  });
}

/**
 * Work finds people (issue 13): a proposal waits on the deciders of both responsible bodies, so
 * each hears of it (in the app, and by email through the outbox). Not the proposer.
 */
async function tellDeciders(tx: Tx, ctx: ServiceContext, row: PersonRow, proposal: EndingRow): Promise<void> {
  const orgs = await organisationsOf(tx, ctx.actor.partnershipId);
  const what = proposal.kind === 'reinstatement' ? 'reinstate' : 'end';
  for (const body of ['local-authority', 'icb'] as const) {
    const org = byCode(orgs, body === 'local-authority' ? row.responsibleLocalAuthority : row.responsibleIcb);
    if (!org) continue;
    const deciders = await usersWithRoles(tx, ctx.actor.partnershipId, [org.id], endingDeciderRoles(body));
    await tellEach(tx, deciders, ctx.actor.userId, {
      partnershipId: ctx.actor.partnershipId,
      dedupeKey: `ending-proposed:${proposal.id}:${body}`,
      kind: 'ending-decision-needed',
      personId: row.id,
      subject: `A proposal to ${what} ${row.givenName} ${row.familyName}’s section 117 aftercare needs ${org.name}’s decision`,
      body: `Somebody has proposed to ${what} ${row.givenName} ${row.familyName}’s section 117 aftercare. Both responsible bodies decide separately: ${org.name}’s decision is needed. Open the proposal to approve or decline it.`,
      link: `/people/${row.id}/endings/${proposal.id}`,
    });
  }
}

/** The proposer asked for a decision: tell them when each body decides. */
async function tellProposer(tx: Tx, ctx: ServiceContext, row: PersonRow, proposal: EndingRow, body: EndingBody, decision: 'approved' | 'declined', bothApproved: boolean): Promise<void> {
  if (!proposal.proposedBy) return;
  const what = proposal.kind === 'reinstatement' ? 'reinstate' : 'end';
  const outcome = bothApproved
    ? `Both bodies have approved it, and it has been recorded.`
    : decision === 'declined'
      ? `${bodyLabels[body].replace(/^the/, 'The')} declined it, so it will not go ahead.`
      : `${bodyLabels[body].replace(/^the/, 'The')} approved it. It now waits for ${bodyLabels[body === 'icb' ? 'local-authority' : 'icb']}.`;
  await tellEach(tx, [{ id: proposal.proposedBy, email: '', name: '' }], ctx.actor.userId, {
    partnershipId: ctx.actor.partnershipId,
    dedupeKey: `ending-decided:${proposal.id}:${body}`,
    kind: 'ending-decided',
    personId: row.id,
    subject: `Your proposal to ${what} ${row.givenName} ${row.familyName}’s section 117 aftercare: ${bodyLabels[body]} ${decision === 'approved' ? 'approved' : 'declined'} it`,
    body: `${outcome} Open the proposal to see the decision and its reasons.`,
    link: `/people/${row.id}/endings/${proposal.id}`,
  });
}

/**
 * Record the `aftercare-ended` legal event, approved by both bodies, through the register (the
 * engine re-runs in this transaction). The approvals were authorised above, so the register
 * needs only person:read of whoever gives the second one.
 */
async function recordEnding(ctx: ServiceContext, row: PersonRow, proposal: EndingRow): Promise<{ legalEventId: string; decision: Decision }> {
  const payload = { approvedBy: ['local-authority', 'icb'], reasons: proposal.reasonCodes, personInvolved: proposal.personInvolved, legalOverride: proposal.legalOverride };
  // Both bodies have approved, by two different people: the endings workflow's authority.
  const authority = grantWorkflowAuthority('endings', proposal.id);
  const result = await recordEvent(ctx, row.id, { event: { type: 'aftercare-ended', date: proposal.effectiveOn, ...payload } }, { permission: 'person:read', authority });
  if (result.decision.status !== 'ended') {
    // The checklist passed a moment ago; refuse rather than record an ending the engine does not accept.
    const rejected = result.decision.rejectedEvents;
    throw new InputError(rejected.length ? rejected.map((r) => ({ path: 'decision', message: r.message })) : [{ path: 'decision', message: 'The rules engine did not accept the ending: nothing was recorded' }]);
  }
  return { legalEventId: result.event.id, decision: result.decision };
}

/** Void the ending being reinstated (kept, with the reason) through the register, and check the entitlement is back. */
async function voidEnding(tx: Tx, ctx: ServiceContext, row: PersonRow, proposal: EndingRow): Promise<{ legalEventId: string; decision: Decision }> {
  if (!proposal.legalEventId) throw new InputError([{ path: 'decision', message: 'The ending to reinstate is not recorded' }]);
  const reason = `Reinstated by a joint decision of the local authority and the ICB: ${proposal.reasons}`.slice(0, 1000);
  const event = await findEndingEventInEffect(tx, ctx.actor.partnershipId, row.id, proposal.legalEventId);
  if (!event) throw new ConflictError('The ending has already been removed from the legal history.');
  const decision = await voidEvent(ctx, row.id, event.id, event.version, reason, { permission: 'person:read', authority: grantWorkflowAuthority('endings', proposal.id) });
  if (decision.status !== 'entitled') throw new InputError([{ path: 'decision', message: `Undoing the ending would leave their status "${decision.status}", not entitled: nothing was changed` }]);
  return { legalEventId: event.id, decision };
}

// ---------------------------------------------------------------------------
// The ending letter
// ---------------------------------------------------------------------------

/**
 * Produce the ending letter in standard (large print when the record asks) and easy read, and
 * store both. A joint letter: the local authority and the ICB head it, and the person who
 * decided for each signs for it. It says to the person only what was written to them
 * (messageToPerson) and the reasons in words for them; the proposal's reasons, the person's
 * view and the other care plan are staff's and are not passed to the letter.
 */
async function produceEndingLetters(tx: Tx, ctx: ServiceContext, row: PersonRow, proposal: EndingRow, today: string): Promise<void> {
  const orgs = await organisationsOf(tx, ctx.actor.partnershipId);
  const names = await userNames(tx, [proposal.laDecidedBy, proposal.icbDecidedBy]);
  const la = contactOf(byCode(orgs, row.responsibleLocalAuthority), row.responsibleLocalAuthority);
  const icb = contactOf(byCode(orgs, row.responsibleIcb), row.responsibleIcb);
  // The bodies that decided: each heads the letter and signs it, by the person who decided for it.
  const decidingBody = (organisationId: string | null, otherwise: OrganisationContact | null, fallbackName: string): OrganisationContact =>
    contactOf(orgs.find((o) => o.id === organisationId) ?? null, null) ?? otherwise ?? { name: fallbackName, contactPhone: null, contactEmail: null, contactAddress: null };
  const laBody = decidingBody(proposal.laOrganisationId, la, 'The local authority');
  const icbBody = decidingBody(proposal.icbOrganisationId, icb, 'The integrated care board');
  const laSigner = names.get(proposal.laDecidedBy ?? '') ?? 'For the local authority';
  const icbSigner = names.get(proposal.icbDecidedBy ?? '') ?? 'For the integrated care board';
  const personName = `${row.givenName} ${row.familyName}`;
  const facts: EndingLetterFacts = {
    personName,
    effectiveOn: proposal.effectiveOn,
    reasonsForPerson: proposal.reasonCodes.map((c) => endReasonsForPerson[c as keyof typeof endReasonsForPerson]).filter((r): r is string => Boolean(r)),
    messageToPerson: proposal.messageToPerson,
    localAuthority: laBody,
    icb: icbBody,
    decidedBy: { localAuthority: laSigner, icb: icbSigner },
    producedOn: today,
  };
  const largePrint = letterFormat(row.communicationNeeds).largePrint;
  for (const version of ['standard', 'easy-read'] as const) {
    const model = wrapInLetter(buildEndingLetter(facts, version), {
      recipient: { name: personName, address: row.address, postcode: row.postcode },
      date: today,
      nhsNumber: row.nhsNumber,
      from: [
        { body: laBody, signedBy: laSigner },
        { body: icbBody, signedBy: icbSigner },
      ],
      covering:
        version === 'easy-read'
          ? ['We are writing about your aftercare.', 'Your section 117 aftercare has stopped.', 'This letter says why, and what you can do.']
          : ['We are writing to tell you about a decision about your section 117 aftercare. The details, and what you can do if you disagree, are set out below.', 'If you would like this letter in another format or language, please contact us.'],
      easyRead: version === 'easy-read',
      communicationNeeds: row.communicationNeeds,
    });
    const accessibleFormat = version === 'easy-read' ? ('easy-read' as const) : largePrint ? ('large-print' as const) : ('standard' as const);
    const title = accessibleFormat === 'large-print' ? `${model.title} (large print)` : model.title;
    await storeDocument(tx, ctx, {
      personId: row.id,
      kind: 'ending-letter',
      accessibleFormat,
      language: model.language,
      title,
      mediaType: 'application/pdf',
      fileName: fileNameFor(`${model.title} ${accessibleFormat === 'standard' ? '' : accessibleFormat}`, today),
      content: await renderPdf({ ...model, title }),
    }, 'person:read'); // the deciders of both bodies approved above; an ICB decider holds no person:write
  }
}
