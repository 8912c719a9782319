/**
 * Funding panels (issue 6): a practitioner submits a case from a person's plan (its needs,
 * services, costs and a proposed split with its basis); the panel lists cases on a meeting's
 * agenda, records who was present, and decides each case: approve, approve with changes (a new
 * split), defer or decline, with reasons and conditions. A decision needs a quorum (quorum.ts).
 * Approving never changes an approved plan: the decided split goes into the plan's next version,
 * which waits for approval as any version does, with the panel's decision as both bodies'
 * agreement (applyPanelDecision, R26; docs/decisions/0008-funding-both-bodies-agree.md).
 */
import { z } from 'zod';
import { formatPounds, percentToBasisPoints } from '../../domain/funding.ts';
import { assertCan, can, canOnPerson, rolesGranted } from '../../platform/access/policy.ts';
import { tellEach, usersWithRoles } from '../../platform/notifications/recipients.ts';
import type { Role } from '../../platform/access/actor.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { h1, h2, p as para, summary, table, type Block, type DocumentModel } from '../../platform/documents/model.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { isoDateField } from '../register/index.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import { applyPanelDecision, formatSplit, getPlan, type PanelDecisionOutcome, type PlanDetail } from '../plans/index.ts';
import {
  countPlanServices,
  findCase,
  findCasesWithPeople,
  findMeeting,
  findMeetings,
  findOpenCaseOfPlan,
  findPanelBodyMemberships,
  findPersonPlan,
  findUserNames,
  insertPanelCase,
  insertPanelMeeting,
  updateCaseAtVersion,
  updateMeetingAtVersion,
  type PanelCaseRow,
  type PanelMeetingRow,
} from './panels.queries.ts';
import { averageDays, daysBetween, quorumOf, type Attendee, type PanelBody, type Quorum } from './quorum.ts';
import { govukDate } from '../../platform/plain-language.ts';

export type { PanelCaseRow, PanelMeetingRow };

const isUuid = (id: string) => z.uuid().safeParse(id).success;

export const decisionLabels: Record<NonNullable<PanelCaseRow['decision']>, string> = {
  approved: 'Approved',
  'approved-with-changes': 'Approved with changes',
  deferred: 'Deferred',
  declined: 'Declined',
};
export const caseStatusLabels: Record<PanelCaseRow['status'], string> = { submitted: 'Waiting for a panel', listed: 'On an agenda', decided: 'Decided', withdrawn: 'Withdrawn' };

const percentField = (label: string) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .transform((v) => v.replace(/%$/, ''))
    .refine((v) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) <= 100, `The ${label} must be a number from 0 to 100, with up to 2 decimal places`)
    .transform(Number);

export const submitCaseSchema = z.object({
  summary: z.string({ error: 'Summarise the case for the panel' }).trim().min(1, 'Summarise the case for the panel').max(8000, 'The summary must be 8000 characters or fewer'),
  localAuthorityPercent: percentField('local authority share'),
  basis: z.string({ error: 'Record the basis of the proposed split' }).trim().min(1, 'Record the basis of the proposed split').max(2000, 'The basis must be 2000 characters or fewer'),
});

// ---------------------------------------------------------------------------
// Submitting a case
// ---------------------------------------------------------------------------

export async function submitPanelCase(ctx: ServiceContext, personId: string, planId: string, input: unknown): Promise<PanelCaseRow> {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    // Permission before input (issue 12, finding 10).
    const data = parseInput(submitCaseSchema, input);
    if (!isUuid(planId)) throw new NotFoundError('Plan not found');
    const plan = await findPersonPlan(tx, ctx.actor.partnershipId, personId, planId);
    if (!plan) throw new NotFoundError('Plan not found');
    if (plan.status === 'superseded') throw new InputError([{ path: 'plan', message: `Plan ${plan.planNumber} has been replaced: submit the current plan` }]);
    if ((await countPlanServices(tx, ctx.actor.partnershipId, planId)) === 0) throw new InputError([{ path: 'plan', message: 'Add the services the panel is asked to fund before submitting the case' }]);
    const open = await findOpenCaseOfPlan(tx, ctx.actor.partnershipId, planId);
    if (open) throw new InputError([{ path: 'plan', message: 'This plan is already waiting for a panel decision' }]);
    const created = await insertPanelCase(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      planId,
      summary: data.summary,
      proposedLaBasisPoints: percentToBasisPoints(data.localAuthorityPercent),
      proposedBasis: data.basis,
      submittedBy: ctx.actor.userId,
    });
    await audit.change({ action: 'panel-case.submitted', subjectType: 'person', subjectId: personId, after: created });
    // Work finds people (issue 13): the case waits on the panel, so its members hear of it.
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const panel = await usersWithRoles(tx, ctx.actor.partnershipId, null, rolesGranted('panel:decide'));
    await tellEach(tx, panel, ctx.actor.userId, {
      partnershipId: ctx.actor.partnershipId,
      dedupeKey: `panel-case-submitted:${created.id}`,
      kind: 'panel-case-waiting',
      personId,
      subject: `A funding panel case for ${p.givenName} ${p.familyName} is waiting to be listed`,
      body: `A case about how the cost of ${p.givenName} ${p.familyName}’s aftercare plan ${plan.planNumber} is shared has been sent to the funding panel. Open it to put it on a meeting’s agenda.`,
      link: `/panels/cases/${created.id}`,
    });
    return created;
  });
}

// ---------------------------------------------------------------------------
// Meetings
// ---------------------------------------------------------------------------

export const meetingSchema = () =>
  z.object({
    meetsOn: isoDateField('the date of the meeting', { required: true }),
    location: z.string().trim().max(500, 'The location must be 500 characters or fewer').optional().default(''),
    agenda: z.string().trim().max(8000, 'The agenda must be 8000 characters or fewer').optional().default(''),
  });

function assertPanel(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'panel:decide')) throw new ForbiddenError('Only panel members and commissioners can run a funding panel');
}

export async function createMeeting(ctx: ServiceContext, input: unknown): Promise<PanelMeetingRow> {
  assertPanel(ctx);
  const data = parseInput(meetingSchema(), input);
  return ctx.data.transaction(async (tx, audit) => {
    const created = await insertPanelMeeting(tx, { partnershipId: ctx.actor.partnershipId, meetsOn: data.meetsOn!, location: data.location || null, agenda: data.agenda || null, createdBy: ctx.actor.userId });
    await audit.change({ action: 'panel-meeting.created', subjectType: 'panel-meeting', subjectId: created.id, after: created });
    return created;
  });
}

async function loadMeeting(q: DbOrTx, ctx: ServiceContext, meetingId: string): Promise<PanelMeetingRow> {
  if (!isUuid(meetingId)) throw new NotFoundError('Panel meeting not found');
  const row = await findMeeting(q, ctx.actor.partnershipId, meetingId);
  if (!row) throw new NotFoundError('Panel meeting not found');
  return row;
}

async function loadCase(q: DbOrTx, ctx: ServiceContext, caseId: string): Promise<PanelCaseRow> {
  if (!isUuid(caseId)) throw new NotFoundError('Panel case not found');
  const row = await findCase(q, ctx.actor.partnershipId, caseId);
  if (!row) throw new NotFoundError('Panel case not found');
  return row;
}

const panelRoles: Role[] = ['panel-member', 'commissioner'];

/** Everyone who may sit on the panel: panel members and commissioners of the ICB and the local authorities. */
export async function panelAttendees(q: DbOrTx, partnershipId: string): Promise<Attendee[]> {
  const rows = await findPanelBodyMemberships(q, partnershipId);
  const byUser = new Map<string, Attendee>();
  for (const r of rows) {
    if (!r.active || !r.roles.some((role) => panelRoles.includes(role))) continue;
    const body: PanelBody = r.type === 'icb' ? 'icb' : 'local-authority';
    const a = byUser.get(r.userId) ?? { userId: r.userId, name: r.name, bodies: [] };
    if (!a.bodies.includes(body)) a.bodies.push(body);
    byUser.set(r.userId, a);
  }
  return [...byUser.values()];
}

export async function recordAttendance(ctx: ServiceContext, meetingId: string, version: number, userIds: string[]): Promise<PanelMeetingRow> {
  assertPanel(ctx);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadMeeting(tx, ctx, meetingId);
    const eligible = await panelAttendees(tx, ctx.actor.partnershipId);
    const unique = [...new Set(userIds)];
    if (!unique.every((id) => eligible.some((a) => a.userId === id))) throw new InputError([{ path: 'presentUserIds', message: 'Choose the people present from the list' }]);
    const after = expectOneUpdated(await updateMeetingAtVersion(tx, ctx.actor.partnershipId, meetingId, version, { presentUserIds: unique, updatedAt: ctx.clock.now() }));
    await audit.change({ action: 'panel-meeting.attendance-recorded', subjectType: 'panel-meeting', subjectId: meetingId, before, after });
    return after;
  });
}

/** Put a waiting case on a meeting's agenda. */
export async function listCase(ctx: ServiceContext, meetingId: string, caseId: string): Promise<PanelCaseRow> {
  assertPanel(ctx);
  return ctx.data.transaction(async (tx, audit) => {
    const meeting = await loadMeeting(tx, ctx, meetingId);
    if (meeting.status !== 'planned') throw new InputError([{ path: 'caseId', message: 'Cases can be added only to a planned meeting' }]);
    if (!isUuid(caseId)) throw new InputError([{ path: 'caseId', message: 'Choose a case waiting for a panel' }]);
    const before = await loadCase(tx, ctx, caseId);
    if (before.status !== 'submitted') throw new InputError([{ path: 'caseId', message: 'Choose a case waiting for a panel' }]);
    const after = expectOneUpdated(await updateCaseAtVersion(tx, ctx.actor.partnershipId, caseId, before.version, { status: 'listed', meetingId, updatedAt: ctx.clock.now() }));
    await audit.change({ action: 'panel-case.listed', subjectType: 'person', subjectId: before.personId, before, after });
    return after;
  });
}

// ---------------------------------------------------------------------------
// Deciding
// ---------------------------------------------------------------------------

export const decisionSchema = z.object({
  decision: z.enum(['approved', 'approved-with-changes', 'deferred', 'declined'], { error: 'Choose the panel’s decision' }),
  localAuthorityPercent: z.string().trim().optional().default(''),
  reasons: z.string({ error: 'Give the reasons for the decision' }).trim().min(1, 'Give the reasons for the decision').max(8000, 'The reasons must be 8000 characters or fewer'),
  conditions: z.string().trim().max(8000, 'The conditions must be 8000 characters or fewer').optional().default(''),
});

export async function decideCase(ctx: ServiceContext, caseId: string, version: number, input: unknown): Promise<PanelCaseRow & { carriedInto: PanelDecisionOutcome | null }> {
  assertPanel(ctx);
  if (ctx.actor.kind !== 'user') throw new ForbiddenError('A panel decision is made by the panel, not through the API');
  const data = parseInput(decisionSchema, input);
  let decidedBp: number | null = null;
  if (data.decision === 'approved-with-changes') {
    const parsed = percentField('new local authority share').safeParse(data.localAuthorityPercent === '' ? undefined : data.localAuthorityPercent);
    if (!parsed.success) throw new InputError([{ path: 'localAuthorityPercent', message: data.localAuthorityPercent === '' ? 'If approving with changes: enter the new local authority share' : (parsed.error.issues[0]?.message ?? 'Enter the new local authority share') }]);
    decidedBp = percentToBasisPoints(parsed.data);
  }
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadCase(tx, ctx, caseId);
    await loadPerson(tx, ctx, before.personId, 'person:read');
    if (before.version !== version) throw new ConflictError();
    if (before.status !== 'listed' || !before.meetingId) throw new InputError([{ path: 'decision', message: 'Put the case on a meeting’s agenda before deciding it' }]);
    const meeting = await loadMeeting(tx, ctx, before.meetingId);
    const attendees = await panelAttendees(tx, ctx.actor.partnershipId);
    const quorum = quorumOf(attendees.filter((a) => meeting.presentUserIds.includes(a.userId)));
    if (!quorum.quorate) throw new InputError([{ path: 'decision', message: `${quorum.message} A decision cannot be recorded without a quorum.` }]);
    if (data.decision === 'approved') decidedBp = before.proposedLaBasisPoints;
    const deferred = data.decision === 'deferred';
    const now = ctx.clock.now();
    const after = expectOneUpdated(
      await updateCaseAtVersion(tx, ctx.actor.partnershipId, caseId, version, {
        status: deferred ? 'submitted' : 'decided',
        meetingId: deferred ? null : before.meetingId,
        decision: data.decision,
        decisionReasons: data.reasons,
        conditions: data.conditions || null,
        decidedLaBasisPoints: decidedBp,
        decidedBy: ctx.actor.userId,
        decidedAt: now,
        updatedAt: now,
      }),
    );
    let carriedInto: PanelDecisionOutcome | null = null;
    if (decidedBp !== null) {
      const basis = `Funding panel ${meeting.meetsOn}: ${data.decision === 'approved' ? before.proposedBasis : `approved with changes. ${data.reasons}`}`;
      carriedInto = await applyPanelDecision(tx, audit, ctx, { personId: before.personId, planId: before.planId, laBasisPoints: decidedBp, basis, panelCaseId: caseId, decidedAt: now });
    }
    await audit.change({ action: 'panel-case.decided', subjectType: 'person', subjectId: before.personId, before, after: { ...after, meetingId: before.meetingId } });
    // Whoever sent the case asked for this decision: they hear of it.
    if (before.submittedBy) {
      const p = await loadPerson(tx, ctx, before.personId, 'person:read');
      await tellEach(tx, [{ id: before.submittedBy, email: '', name: '' }], ctx.actor.userId, {
        partnershipId: ctx.actor.partnershipId,
        dedupeKey: `panel-case-decided:${caseId}:${now.getTime()}`,
        kind: 'panel-case-decided',
        personId: before.personId,
        subject: `The funding panel has ${deferred ? 'deferred' : 'decided'} the case for ${p.givenName} ${p.familyName}`,
        body: deferred
          ? `The funding panel deferred the case for ${p.givenName} ${p.familyName} to a later meeting.`
          : `The funding panel decided the case for ${p.givenName} ${p.familyName}.${carriedInto ? ' A new version of the plan carries the decided split and is waiting for approval; the plan approved before stays in place until then.' : ''} Open the case to see the decision and its reasons.`,
        link: `/panels/cases/${caseId}`,
      });
    }
    return { ...after, carriedInto };
  });
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

export interface CaseListEntry {
  case: PanelCaseRow;
  personName: string;
  personId: string;
  daysToDecision: number | null;
  proposedSplit: string;
  decidedSplit: string | null;
}

function caseEntry(row: PanelCaseRow, p: Pick<PersonRow, 'id' | 'givenName' | 'familyName'>): CaseListEntry {
  return {
    case: row,
    personName: `${p.givenName} ${p.familyName}`,
    personId: p.id,
    daysToDecision: row.decidedAt && row.status === 'decided' ? daysBetween(row.submittedAt, row.decidedAt) : null,
    proposedSplit: formatSplit(row.proposedLaBasisPoints),
    decidedSplit: row.decidedLaBasisPoints !== null ? formatSplit(row.decidedLaBasisPoints) : null,
  };
}

async function readableCases(q: DbOrTx, ctx: ServiceContext, filter: Parameters<typeof findCasesWithPeople>[2]): Promise<CaseListEntry[]> {
  const rows = await findCasesWithPeople(q, ctx.actor.partnershipId, filter, 1000);
  return rows.filter((r) => canOnPerson(ctx.actor, 'person:read', r.p)).map((r) => caseEntry(r.c, r.p));
}

export async function panelsOverview(ctx: ServiceContext) {
  assertCan(ctx.actor, 'panel:read');
  const { meetings, waiting, decided } = await ctx.data.read(async (q) => ({
    meetings: await findMeetings(q, ctx.actor.partnershipId, 200),
    waiting: await readableCases(q, ctx, { statuses: ['submitted', 'listed'] }),
    decided: await readableCases(q, ctx, { statuses: ['decided'] }),
  }));
  const days = decided.map((d) => d.daysToDecision).filter((d): d is number => d !== null);
  return { meetings, waiting, decided: decided.reverse(), averageDaysToDecision: averageDays(days), canRun: can(ctx.actor, 'panel:decide') };
}

export async function getMeeting(ctx: ServiceContext, meetingId: string) {
  assertCan(ctx.actor, 'panel:read');
  const { meeting, cases, waiting, attendees } = await ctx.data.read(async (q) => ({
    meeting: await loadMeeting(q, ctx, meetingId),
    cases: await readableCases(q, ctx, { meetingId }),
    waiting: await readableCases(q, ctx, { statuses: ['submitted'] }),
    attendees: await panelAttendees(q, ctx.actor.partnershipId),
  }));
  const present = attendees.filter((a) => meeting.presentUserIds.includes(a.userId));
  return { meeting, cases, waiting, attendees, present, quorum: quorumOf(present), canRun: can(ctx.actor, 'panel:decide') };
}

export interface CaseDetail {
  entry: CaseListEntry;
  plan: PlanDetail;
  meeting: PanelMeetingRow | null;
  quorum: Quorum | null;
  submittedByName: string | null;
  decidedByName: string | null;
  canDecide: boolean;
}

/**
 * One unit of work for the page: the plan is read (and its view of the person's record audited)
 * by the plans module, whose `ctx.data` joins this unit.
 */
export async function getCase(ctx: ServiceContext, caseId: string): Promise<CaseDetail> {
  const { row, plan, meeting, quorum, users } = await ctx.data.transaction(async (tx) => {
    const row = await loadCase(tx, ctx, caseId);
    const plan = await getPlan(ctx, row.personId, row.planId);
    const meeting = row.meetingId ? await loadMeeting(tx, ctx, row.meetingId) : null;
    let quorum: Quorum | null = null;
    if (meeting) {
      const attendees = await panelAttendees(tx, ctx.actor.partnershipId);
      quorum = quorumOf(attendees.filter((a) => meeting.presentUserIds.includes(a.userId)));
    }
    const users = await findUserNames(tx, [row.submittedBy, row.decidedBy].filter((x): x is string => x !== null));
    return { row, plan, meeting, quorum, users };
  });
  const name = (id: string | null) => (id ? (users.find((u) => u.id === id)?.name ?? null) : null);
  return {
    entry: caseEntry(row, plan.person),
    plan,
    meeting,
    quorum,
    submittedByName: name(row.submittedBy),
    decidedByName: name(row.decidedBy),
    canDecide: row.status === 'listed' && can(ctx.actor, 'panel:decide') && ctx.actor.kind === 'user',
  };
}

/** The panel pack: each case on the agenda with its summary, services, costs and proposed split. */
export async function panelPack(ctx: ServiceContext, meetingId: string): Promise<DocumentModel> {
  const { meeting, cases, present } = await getMeeting(ctx, meetingId);
  const blocks: Block[] = [
    h1(`Funding panel pack: ${govukDate(meeting.meetsOn)}`),
    summary([
      { key: 'Date', value: govukDate(meeting.meetsOn) },
      { key: 'Location', value: meeting.location ?? 'Not recorded' },
      { key: 'Cases', value: String(cases.length) },
      { key: 'Present', value: present.length ? present.map((a) => a.name).join(', ') : 'Not recorded yet' },
    ]),
  ];
  if (meeting.agenda) blocks.push(h2('Agenda'), para(meeting.agenda));
  for (const [i, c] of cases.entries()) {
    const detail = await getCase(ctx, c.case.id);
    const plan = detail.plan;
    blocks.push(
      h2(`Case ${i + 1}: ${c.personName}, plan ${plan.plan.planNumber}`),
      para(c.case.summary),
      summary([
        { key: 'Proposed split', value: c.proposedSplit },
        { key: 'Basis', value: c.case.proposedBasis },
        { key: 'Submitted', value: govukDate(c.case.submittedAt) },
      ]),
    );
    if (plan.needs.length) blocks.push(table('Needs', ['Need', 'Classified as'], plan.needs.map((n) => [`${n.domainLabel}: ${n.description}`, n.categoryLabel])));
    blocks.push(
      table(
        'Services and costs a week',
        ['Service', 'Provider', 'A week', 'Current split'],
        plan.services.map((s) => [s.serviceType, s.provider, formatPounds(s.weeklyCostPence), formatSplit(s.localAuthorityBasisPoints)]),
      ),
      table(
        'Totals by funder',
        ['', 'Local authority', 'ICB', 'Total'],
        [
          ['A week', formatPounds(plan.totals.weekly.localAuthorityPence), formatPounds(plan.totals.weekly.icbPence), formatPounds(plan.totals.weekly.totalPence)],
          [`A year (${plan.weeksPerYear} weeks)`, formatPounds(plan.totals.yearly.localAuthorityPence), formatPounds(plan.totals.yearly.icbPence), formatPounds(plan.totals.yearly.totalPence)],
        ],
        true,
      ),
    );
  }
  if (cases.length === 0) blocks.push(para('No cases are on the agenda.'));
  return { title: `Funding panel pack, ${govukDate(meeting.meetsOn)}`, language: 'en-GB', author: 'Funding panel', subject: 'Section 117 aftercare funding panel', blocks };
}

