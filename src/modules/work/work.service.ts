/**
 * "Waiting for you" (issue 13, item 1): everything that waits on the signed-in user, from every
 * workflow, in one queue: plans to approve or agree for their body, endings to decide for their
 * body, funding panel cases, disputes at a stage that needs their organisation, tasks assigned to
 * them or their team, and information to offer a person again. Each item has its age and due
 * date; tasks can be completed, handed on or put aside (snoozed with a reason) here, one at a time
 * or several at once. Everything is read and written through the door, so the partnership, the
 * access policy (only people the actor may open) and the audit trail apply.
 */
import { z } from 'zod';
import { addDays, isRealDate, toDayNumber } from '../../domain/calendar-date.ts';
import { disputeActorRoles, disputeKindLabels, disputeWaitsOn } from '../../domain/disputes.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { can, endingApprovalOrganisation } from '../../platform/access/policy.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { tellEach } from '../../platform/notifications/recipients.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { plansAwaitingMyAgreement } from '../plans/index.ts';
import { loadPerson, visiblePeople } from '../register/index.ts';
import { riskWaitingOn } from '../risk/index.ts';
import { capacityWaitingOn } from '../capacity/index.ts';
import { libertyWaitingOn } from '../liberty/index.ts';
import { safeguardingWaitingOn } from '../safeguarding/index.ts';
import { carersWaitingOn } from '../carers/index.ts';
import {
  countSnoozedTasks,
  findAssignees,
  findInformationToOfferAgain,
  findOpenProposals,
  findOpenTasks,
  findPartyDisputes,
  findTeamIdsOf,
  findWaitingPanelCases,
  findWaitingTasks,
  peopleOf,
  updateTaskAtVersion,
  type TaskOwnership,
} from './work.queries.ts';

export const waitingKinds = ['plan', 'ending', 'panel-case', 'dispute', 'safeguarding', 'escalation', 'learning-review', 'imca-report', 'liberty-renewal', 'carer-assessment', 'task', 'information'] as const;
export type WaitingKind = (typeof waitingKinds)[number];
export const waitingKindLabels: Record<WaitingKind, string> = {
  plan: 'Plans to approve',
  ending: 'Endings to decide',
  'panel-case': 'Funding panel cases',
  dispute: 'Disputes',
  safeguarding: 'Safeguarding decisions',
  escalation: 'Risk escalations',
  'learning-review': 'Learning reviews',
  'imca-report': 'IMCA reports overdue',
  'liberty-renewal': 'Deprivation of liberty renewals and reviews',
  'carer-assessment': 'Carers’ assessments',
  task: 'Tasks',
  information: 'Information to offer again',
};

export interface WaitingItem {
  kind: WaitingKind;
  kindLabel: string;
  /** Unique within the queue. */
  key: string;
  personId: string | null;
  personName: string | null;
  nhsNumber: string | null;
  /** What is needed, in plain words. */
  what: string;
  href: string;
  /** The day it started waiting. */
  since: string;
  ageDays: number;
  dueOn: string | null;
  overdue: boolean;
  /** For tasks: what the row's actions need. */
  task: { id: string; version: number; owner: string | null; snoozedUntil: string | null; snoozeReason: string | null } | null;
}

export const sortKeys = ['due', 'age', 'name'] as const;
export interface WaitingQuery {
  kind: WaitingKind | 'all';
  sort: (typeof sortKeys)[number];
  order: 'asc' | 'desc';
  /** Show the tasks put aside instead of the queue. */
  snoozed: boolean;
}

const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => (typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback);

export function parseWaitingQuery(raw: Record<string, unknown>): WaitingQuery {
  return {
    kind: pick(raw.kind, ['all', ...waitingKinds] as const, 'all'),
    sort: pick(raw.sort, sortKeys, 'due'),
    order: pick(raw.order, ['asc', 'desc'] as const, 'asc'),
    snoozed: raw.snoozed === 'yes',
  };
}

export interface WaitingForYou {
  items: WaitingItem[];
  counts: Record<WaitingKind, number>;
  total: number;
  snoozedTasks: number;
}

const writerRoles = ['practitioner', 'senior-practitioner', 'team-manager'];
const ROW_LIMIT = 500;

function writerOrganisations(actor: Actor): string[] {
  return actor.memberships.filter((m) => m.roles.some((r) => writerRoles.includes(r))).map((m) => m.organisationId);
}

const nameOf = (r: { givenName: string; familyName: string }) => `${r.givenName} ${r.familyName}`;
const dayOf = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : todayInLondon(d));

/** Everything waiting on the actor, filtered and sorted as asked; counts are of the whole queue. */
export async function waitingForYou(ctx: ServiceContext, query: WaitingQuery): Promise<WaitingForYou> {
  const actor = ctx.actor;
  const today = ctx.today();
  const empty = (): WaitingForYou => ({ items: [], counts: { plan: 0, ending: 0, 'panel-case': 0, dispute: 0, safeguarding: 0, escalation: 0, 'learning-review': 0, 'imca-report': 0, 'liberty-renewal': 0, 'carer-assessment': 0, task: 0, information: 0 }, total: 0, snoozedTasks: 0 });
  if (actor.kind !== 'user') return empty();
  const pid = actor.partnershipId;
  const visible = visiblePeople(actor);
  const writerOrgs = writerOrganisations(actor);
  const disputeOrgs = actor.memberships.filter((m) => m.roles.some((r) => (disputeActorRoles as readonly string[]).includes(r))).map((m) => m.organisationId);
  const items: WaitingItem[] = [];
  const age = (since: string) => Math.max(0, toDayNumber(today) - toDayNumber(since));
  const push = (item: Omit<WaitingItem, 'kindLabel' | 'ageDays' | 'overdue'>) => items.push({ ...item, kindLabel: waitingKindLabels[item.kind], ageDays: age(item.since), overdue: item.dueOn !== null && item.dueOn < today });

  const plans = await plansAwaitingMyAgreement(ctx);
  // Risk escalations and learning reviews (issue 15, item 4), read from the risk module's records.
  const risk = await riskWaitingOn(ctx);
  // IMCA instructions whose report is overdue (issue 16, item 3), for the person who instructed the IMCA.
  const imcaReports = await capacityWaitingOn(ctx);
  // Authorisations and orders due for renewal or review (issue 16, item 4), for the practitioner responsible.
  const liberty = await libertyWaitingOn(ctx);
  // Safeguarding concerns waiting for the s42(1) decision (issue 16, item 1), from the safeguarding module.
  const safeguarding = await safeguardingWaitingOn(ctx);
  // Carers' assessments unanswered for 28 days and support plans due for review (issue 16, item 5).
  const carers = await carersWaitingOn(ctx);
  const { tasks, snoozedTasks, proposals, cases, disputes, information } = await ctx.data.read(async (q) => {
    const teamIds = await findTeamIdsOf(q, pid, writerOrgs);
    const who: TaskOwnership = { userId: actor.userId, organisationIds: writerOrgs, teamIds };
    const mayTask = writerOrgs.length > 0;
    return {
      tasks: mayTask ? await findWaitingTasks(q, pid, visible, who, today, query.snoozed, ROW_LIMIT) : [],
      snoozedTasks: mayTask ? await countSnoozedTasks(q, pid, visible, who, today) : 0,
      proposals: await findOpenProposals(q, pid, visible),
      cases: can(actor, 'panel:decide') ? await findWaitingPanelCases(q, pid, visible) : [],
      disputes: await findPartyDisputes(q, pid, disputeOrgs, visible),
      information: mayTask ? await findInformationToOfferAgain(q, pid, visible, peopleOf(actor.userId, teamIds)) : [],
    };
  });

  for (const w of plans) {
    push({
      kind: 'plan',
      key: `plan:${w.planId}`,
      personId: w.personId,
      personName: w.personName,
      nhsNumber: null,
      what: `Approve or return plan ${w.planNumber}, for ${w.organisationName}`,
      href: `/people/${w.personId}/plans/${w.planId}#approve`,
      since: w.submittedAt ? dayOf(w.submittedAt) : today,
      dueOn: null,
      task: null,
    });
  }
  for (const r of proposals) {
    const p = r.proposal;
    const bodies = (['local-authority', 'icb'] as const).filter((body) => {
      if (endingApprovalOrganisation(actor, r, body) === null) return false;
      const decided = body === 'local-authority' ? p.laDecision : p.icbDecision;
      const otherBy = body === 'local-authority' ? p.icbDecidedBy : p.laDecidedBy;
      return decided === null && otherBy !== actor.userId;
    });
    if (bodies.length === 0) continue;
    const forWhom = bodies.map((b) => (b === 'icb' ? 'the ICB' : 'the local authority')).join(' or ');
    push({
      kind: 'ending',
      key: `ending:${p.id}`,
      personId: p.personId,
      personName: nameOf(r),
      nhsNumber: r.nhsNumber,
      what: `${p.kind === 'reinstatement' ? 'Decide whether to reinstate aftercare' : `Decide whether aftercare ends on ${govukDate(p.effectiveOn)}`}, for ${forWhom}`,
      href: `/people/${p.personId}/endings/${p.id}`,
      since: dayOf(p.proposedAt),
      dueOn: p.kind === 'ending' ? p.effectiveOn : null,
      task: null,
    });
  }
  for (const r of cases) {
    const c = r.panelCase;
    push({
      kind: 'panel-case',
      key: `panel-case:${c.id}`,
      personId: c.personId,
      personName: nameOf(r),
      nhsNumber: r.nhsNumber,
      what: c.status === 'submitted' ? 'Put the case on a funding panel meeting’s agenda' : `Decide the case at the panel meeting on ${govukDate(r.meetsOn)}`,
      href: `/panels/cases/${c.id}`,
      since: dayOf(c.submittedAt),
      dueOn: c.status === 'listed' ? r.meetsOn : null,
      task: null,
    });
  }
  for (const r of disputes) {
    const d = r.dispute;
    const wait = disputeWaitsOn(d);
    if (!wait) continue;
    push({
      kind: 'dispute',
      key: `dispute:${d.id}`,
      personId: d.personId,
      personName: nameOf(r),
      nhsNumber: r.nhsNumber,
      what: `${wait.action} (${disputeKindLabels[d.kind].replace(/ \(.*\)$/, '').toLowerCase()} dispute)`,
      href: `/disputes/${d.id}`,
      since: d.stageChangedOn,
      dueOn: wait.dueOn,
      task: null,
    });
  }
  for (const r of safeguarding) {
    push({ kind: 'safeguarding', key: r.key, personId: r.personId, personName: r.personName, nhsNumber: r.nhsNumber, what: r.what, href: r.href, since: r.since, dueOn: r.dueOn, task: null });
  }
  for (const r of risk) {
    push({ kind: r.kind, key: r.key, personId: r.personId, personName: r.personName, nhsNumber: r.nhsNumber, what: r.what, href: r.href, since: r.since, dueOn: null, task: null });
  }
  for (const r of imcaReports) {
    push({ kind: r.kind, key: r.key, personId: r.personId, personName: r.personName, nhsNumber: r.nhsNumber, what: r.what, href: r.href, since: r.since, dueOn: r.dueOn, task: null });
  }
  for (const r of liberty) {
    push({ kind: r.kind, key: r.key, personId: r.personId, personName: r.personName, nhsNumber: r.nhsNumber, what: r.what, href: r.href, since: r.since, dueOn: r.dueOn, task: null });
  }
  for (const c of carers) {
    push({ kind: 'carer-assessment', key: c.key, personId: c.personId, personName: c.personName, nhsNumber: c.nhsNumber, what: c.what, href: c.href, since: c.since, dueOn: c.dueOn, task: null });
  }
  for (const r of tasks) {
    const t = r.task;
    push({
      kind: 'task',
      key: `task:${t.id}`,
      personId: t.personId,
      personName: nameOf(r),
      nhsNumber: r.nhsNumber,
      what: t.title,
      href: `/waiting/tasks/${t.id}`,
      since: dayOf(t.createdAt),
      dueOn: t.dueOn,
      task: { id: t.id, version: t.version, owner: r.ownerUserName ?? r.ownerTeamName ?? null, snoozedUntil: t.snoozedUntil, snoozeReason: t.snoozeReason },
    });
  }
  for (const r of information) {
    push({
      kind: 'information',
      key: `information:${r.id}`,
      personId: r.personId,
      personName: nameOf(r),
      nhsNumber: r.nhsNumber,
      what: `Offer again what was given on ${govukDate(r.givenOn)}${r.reason ? `: ${r.reason}` : ''}`,
      href: `/people/${r.personId}/documents#information-given`,
      since: r.givenOn,
      dueOn: null,
      task: null,
    });
  }

  const counts = empty().counts;
  for (const i of items) if (!query.snoozed || i.kind === 'task') counts[i.kind] += 1;
  const shown = items.filter((i) => (query.snoozed ? i.kind === 'task' : query.kind === 'all' || i.kind === query.kind));
  const dir = query.order === 'desc' ? -1 : 1;
  shown.sort((a, b) => {
    if (query.sort === 'name') return dir * (a.personName ?? '').localeCompare(b.personName ?? '') || a.since.localeCompare(b.since);
    if (query.sort === 'age') return dir * (b.ageDays - a.ageDays) || (a.personName ?? '').localeCompare(b.personName ?? '');
    // Due date first (soonest first), then those with none, oldest first.
    if (a.dueOn && b.dueOn) return dir * a.dueOn.localeCompare(b.dueOn) || b.ageDays - a.ageDays;
    if (a.dueOn) return -1;
    if (b.dueOn) return 1;
    return b.ageDays - a.ageDays;
  });
  for (const i of shown) i.nhsNumber = i.nhsNumber ? formatNhsNumber(i.nhsNumber) : null;
  return { items: shown, counts, total: query.snoozed ? counts.task : items.length, snoozedTasks };
}

// ---------------------------------------------------------------------------
// Acting on tasks: complete, hand on, put aside; one or several at once
// ---------------------------------------------------------------------------

const taskRef = z.string().regex(/^[0-9a-f-]{36}:\d+$/i);

/** "id:version" pairs from a form (one, or several ticked). */
export function parseTaskRefs(raw: unknown): Array<{ id: string; version: number }> {
  const values = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).filter((v): v is string => typeof v === 'string' && taskRef.safeParse(v).success);
  return values.map((v) => {
    const [id, version] = v.split(':');
    return { id: id!, version: Number(version) };
  });
}

/** Load the tasks and check the actor may change each one's person's record: permission before input. */
async function tasksToChange(ctx: ServiceContext, refs: Array<{ id: string; version: number }>) {
  if (refs.length === 0) throw new InputError([{ path: 'tasks', message: 'Select at least one task' }]);
  if (refs.some((r) => !/^[0-9a-f-]{36}$/i.test(r.id))) throw new NotFoundError('Task not found');
  return ctx.data.read(async (q) => {
    const rows = await findOpenTasks(q, ctx.actor.partnershipId, refs.map((r) => r.id));
    if (rows.length !== refs.length) throw new NotFoundError('Task not found');
    for (const r of rows) await loadPerson(q, ctx, r.task.personId, 'person:write');
    return rows;
  });
}

async function changeTasks(
  ctx: ServiceContext,
  refs: Array<{ id: string; version: number }>,
  action: string,
  change: (row: Awaited<ReturnType<typeof findOpenTasks>>[number]) => Record<string, unknown>,
  after?: (tx: Parameters<Parameters<ServiceContext['data']['transaction']>[0]>[0], row: Awaited<ReturnType<typeof findOpenTasks>>[number]) => Promise<void>,
): Promise<number> {
  return ctx.data.transaction(async (tx, audit) => {
    const rows = await findOpenTasks(tx, ctx.actor.partnershipId, refs.map((r) => r.id), true);
    for (const ref of refs) {
      const row = rows.find((r) => r.task.id === ref.id);
      if (!row) throw new NotFoundError('Task not found');
      if (row.task.status !== 'open' || row.task.version !== ref.version) {
        throw new ConflictError(`Somebody else changed the task “${row.task.title}” for ${nameOf(row)} after you opened it. Nothing has been changed: look at the task again.`);
      }
      const [updated] = await updateTaskAtVersion(tx, ctx.actor.partnershipId, ref.id, ref.version, { ...change(row), updatedAt: ctx.clock.now() });
      if (!updated) throw new ConflictError();
      await audit.change({ action, subjectType: 'person', subjectId: row.task.personId, before: row.task, after: updated });
      if (after) await after(tx, { ...row, task: updated });
    }
    return refs.length;
  });
}

const outcomeSchema = z.object({ outcome: z.string({ error: 'Enter what was decided or done' }).trim().min(1, 'Enter what was decided or done').max(2000, 'What was done must be 2000 characters or fewer') });

export async function completeTasks(ctx: ServiceContext, refs: Array<{ id: string; version: number }>, input: unknown): Promise<number> {
  await tasksToChange(ctx, refs);
  const data = parseInput(outcomeSchema, input);
  return changeTasks(ctx, refs, 'task.completed', () => ({ status: 'done', outcome: data.outcome, completedAt: ctx.clock.now(), completedBy: ctx.actor.userId }));
}

const snoozeSchema = (today: string) =>
  z.object({
    until: z
      .string({ error: 'Enter the date to bring it back' })
      .trim()
      .min(1, 'Enter the date to bring it back')
      .refine((v) => isRealDate(v), 'Enter the date to bring it back as a real date, for example 27 3 2027')
      .refine((v) => v > today, 'The date to bring it back must be in the future')
      .refine((v) => v <= addDays(today, 366), 'A task can be put aside for a year at most'),
    reason: z.string({ error: 'Give the reason for putting it aside' }).trim().min(1, 'Give the reason for putting it aside').max(500, 'The reason must be 500 characters or fewer'),
  });

export async function snoozeTasks(ctx: ServiceContext, refs: Array<{ id: string; version: number }>, input: unknown): Promise<number> {
  await tasksToChange(ctx, refs);
  const data = parseInput(snoozeSchema(ctx.today()), input);
  return changeTasks(ctx, refs, 'task.snoozed', () => ({ snoozedUntil: data.until, snoozeReason: data.reason }));
}

/** Bring a snoozed task back into the queue now. */
export async function unsnoozeTask(ctx: ServiceContext, ref: { id: string; version: number }): Promise<number> {
  await tasksToChange(ctx, [ref]);
  return changeTasks(ctx, [ref], 'task.unsnoozed', () => ({ snoozedUntil: null, snoozeReason: null }));
}

/** Who the actor may hand a task to: colleagues who act on records in their organisations, and those organisations' teams. */
export async function assigneeChoices(ctx: ServiceContext) {
  const orgs = writerOrganisations(ctx.actor);
  return ctx.data.read((q) => findAssignees(q, ctx.actor.partnershipId, orgs));
}

export async function reassignTasks(ctx: ServiceContext, refs: Array<{ id: string; version: number }>, input: unknown): Promise<number> {
  await tasksToChange(ctx, refs);
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).to : undefined;
  const to = typeof raw === 'string' ? raw : '';
  const choices = await assigneeChoices(ctx);
  const [kind, id] = to.split(':');
  const user = kind === 'user' ? choices.users.find((u) => u.id === id) : undefined;
  const team = kind === 'team' ? choices.teams.find((t) => t.id === id) : undefined;
  if (!user && !team) throw new InputError([{ path: 'to', message: to ? 'Choose someone in your organisation, or one of its teams' : 'Choose who to give it to' }]);
  return changeTasks(
    ctx,
    refs,
    'task.reassigned',
    () => (user ? { ownerUserId: user.id, ownerTeamId: null } : { ownerUserId: null, ownerTeamId: team!.id }),
    async (tx, row) => {
      if (!user) return;
      await tellEach(tx, [user], ctx.actor.userId, {
        partnershipId: ctx.actor.partnershipId,
        dedupeKey: `task-assigned:${row.task.id}:${row.task.version}`,
        kind: 'task-assigned',
        personId: row.task.personId,
        subject: `A task about ${nameOf(row)} has been given to you`,
        body: `${ctx.actor.displayName} gave you the task “${row.task.title}” about ${nameOf(row)}${row.task.dueOn ? `, due ${govukDate(row.task.dueOn)}` : ''}. It is in your queue: Waiting for you.`,
        link: `/waiting/tasks/${row.task.id}`,
      });
    },
  );
}

/** One task, for its page (the actor must be able to change the person's record). */
export async function openTask(ctx: ServiceContext, taskId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(taskId)) throw new NotFoundError('Task not found');
  return ctx.data.read(async (q) => {
    const [row] = await findOpenTasks(q, ctx.actor.partnershipId, [taskId]);
    if (!row) throw new NotFoundError('Task not found');
    await loadPerson(q, ctx, row.task.personId, 'person:write');
    if (row.task.status !== 'open') throw new NotFoundError('This task has already been completed or cancelled');
    return { task: row.task, personName: nameOf(row) };
  });
}

export function assertUser(ctx: ServiceContext): void {
  if (ctx.actor.kind !== 'user') throw new ForbiddenError();
}
