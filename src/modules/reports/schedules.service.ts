/**
 * Report schedules (issue 7, item 7): set up, change, pause, resume and delete a monthly report.
 * Every write is validated (zod), made in a transaction with its audit event, and guarded by the
 * row's version, so two people changing one schedule cannot overwrite each other. Reads and
 * writes go through the door (ctx.data); the queries are in reports.queries.ts.
 */
import { z } from 'zod';
import { FIRST_DAY, firstRunOn, LAST_DAY } from '../../domain/report-schedule.ts';
import type { Actor, Role } from '../../platform/access/actor.ts';
import { assertCan, can, scheduleAccess } from '../../platform/access/policy.ts';
import { ForbiddenError, InputError, NotFoundError, type FieldIssue } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { zodIssues } from '../../platform/http/validation.ts';
import { loadRegisterOptions } from '../register/index.ts';
import { normaliseReportQuery, reportSources, toReportQuery, type ReportQuery, type ReportSource } from './report-build.ts';
import {
  deleteScheduleAtVersion,
  findRecipientMemberships,
  findSchedule,
  findSchedules,
  findSentAttachment,
  insertSchedule,
  updateScheduleAtVersion,
  type ScheduleRow,
} from './reports.queries.ts';

export type { ScheduleRow };

const isUuid = (id: string) => z.uuid().safeParse(id).success;

export function assertCanSchedule(ctx: ServiceContext): void {
  assertCan(ctx.actor, 'reports:schedule');
}

export interface RecipientChoice {
  id: string;
  name: string;
  organisations: string;
}

/** Active users of the partnership who can read the register (a copy built for anyone else would be empty). */
export async function recipientChoices(ctx: ServiceContext): Promise<RecipientChoice[]> {
  const partnershipId = ctx.actor.partnershipId;
  const rows = await ctx.data.read((q) => findRecipientMemberships(q, partnershipId));
  const byUser = new Map<string, { name: string; memberships: Array<{ organisationId: string; organisationName: string; roles: Role[] }> }>();
  for (const r of rows) {
    const entry = byUser.get(r.id) ?? { name: r.name, memberships: [] };
    entry.memberships.push({ organisationId: r.organisationId, organisationName: r.organisationName, roles: r.roles });
    byUser.set(r.id, entry);
  }
  const out: RecipientChoice[] = [];
  for (const [id, u] of byUser) {
    const actor: Actor = {
      kind: 'user',
      userId: id,
      tokenId: null,
      displayName: u.name,
      partnershipId: ctx.actor.partnershipId,
      activeOrganisationId: u.memberships[0]!.organisationId,
      memberships: u.memberships.map((m) => ({ organisationId: m.organisationId, organisationCode: '', organisationName: m.organisationName, organisationType: 'local-authority', isLead: false, roles: m.roles })),
    };
    if (can(actor, 'person:read')) out.push({ id, name: u.name, organisations: u.memberships.map((m) => m.organisationName).join(', ') });
  }
  return out;
}

export interface ScheduleInput {
  name: string;
  source: string;
  /** The filters as a query string (from the page the user came from). */
  query: string | ReportQuery;
  recipientUserIds: string[];
  dayOfMonth: string;
}

const scheduleSchema = (recipients: Set<string>) =>
  z.object({
    name: z.string().trim().min(1, 'Enter a name for the report').max(120, 'Name must be 120 characters or fewer'),
    source: z.enum(reportSources, { error: 'Choose what to send' }),
    recipientUserIds: z
      .array(z.string())
      .min(1, 'Choose at least one person to send it to')
      .max(50, 'Choose at most 50 people')
      .refine((ids) => ids.every((id) => recipients.has(id)), 'Choose people from the list'),
    dayOfMonth: z
      .string()
      .trim()
      .min(1, `Enter the day of the month, from ${FIRST_DAY} to ${LAST_DAY}`)
      .regex(/^\d{1,2}$/, `Day of the month must be a whole number from ${FIRST_DAY} to ${LAST_DAY}`)
      .transform(Number)
      .refine((d) => d >= FIRST_DAY && d <= LAST_DAY, `Day of the month must be from ${FIRST_DAY} to ${LAST_DAY}, so that every month has it`),
  });

export interface ValidSchedule {
  name: string;
  source: ReportSource;
  query: ReportQuery;
  recipientUserIds: string[];
  dayOfMonth: number;
}

async function validate(ctx: ServiceContext, input: ScheduleInput): Promise<ValidSchedule> {
  const recipients = new Set((await recipientChoices(ctx)).map((r) => r.id));
  const parsed = scheduleSchema(recipients).safeParse({ ...input, recipientUserIds: [...new Set(input.recipientUserIds)] });
  const issues: FieldIssue[] = parsed.success ? [] : zodIssues(parsed.error);
  let query: ReportQuery = {};
  if (parsed.success || reportSources.includes(input.source as ReportSource)) {
    const source = (parsed.success ? parsed.data.source : input.source) as ReportSource;
    const raw = typeof input.query === 'string' ? Object.fromEntries([...new URLSearchParams(input.query)].reduce((m, [k, v]) => m.set(k, [...(m.get(k) ?? []), v]), new Map<string, string[]>())) : input.query;
    const normalised = normaliseReportQuery(source, toReportQuery(raw), await loadRegisterOptions(ctx), ctx.today());
    query = normalised.query;
    issues.push(...normalised.issues.map((i) => ({ path: 'query', message: `Filters: ${i.message}` })));
  }
  if (!parsed.success || issues.length > 0) throw new InputError(issues);
  return { ...parsed.data, query };
}

export async function listSchedules(ctx: ServiceContext): Promise<ScheduleRow[]> {
  assertCanSchedule(ctx);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read((q) => findSchedules(q, partnershipId));
}

export async function getSchedule(ctx: ServiceContext, id: string): Promise<ScheduleRow> {
  assertCanSchedule(ctx);
  if (!isUuid(id)) throw new NotFoundError('Scheduled report not found');
  const partnershipId = ctx.actor.partnershipId;
  const row = await ctx.data.read((q) => findSchedule(q, partnershipId, id));
  if (!row) throw new NotFoundError('Scheduled report not found');
  return row;
}

/**
 * A schedule the actor may act on (policy.ts scheduleAccess): `change` (its owner) or `stop`
 * (pause, resume, delete: its owner or the lead organisation's quality and audit staff).
 * Checked before any input is read.
 */
export async function getScheduleFor(ctx: ServiceContext, id: string, action: 'change' | 'stop'): Promise<ScheduleRow> {
  const row = await getSchedule(ctx, id);
  if (!scheduleAccess(ctx.actor, row)[action]) {
    throw new ForbiddenError(action === 'change' ? 'Only the person who set up this report can change it' : 'Only the person who set up this report can pause, resume or delete it');
  }
  return row;
}

export async function createSchedule(ctx: ServiceContext, input: ScheduleInput, today = ctx.today()): Promise<ScheduleRow> {
  assertCanSchedule(ctx);
  const data = await validate(ctx, input);
  return ctx.data.transaction(async (tx, audit) => {
    const created = await insertSchedule(tx, {
      partnershipId: ctx.actor.partnershipId,
      name: data.name,
      source: data.source,
      query: data.query,
      recipientUserIds: data.recipientUserIds,
      dayOfMonth: data.dayOfMonth,
      nextRunOn: firstRunOn(data.dayOfMonth, today),
      organisationId: ctx.actor.activeOrganisationId,
      createdBy: ctx.actor.userId,
    });
    await audit.change({ action: 'report-schedule.created', subjectType: 'report-schedule', subjectId: created.id, after: created });
    return created;
  });
}

export async function updateSchedule(ctx: ServiceContext, id: string, version: number, input: ScheduleInput, today = ctx.today()): Promise<ScheduleRow> {
  const before = await getScheduleFor(ctx, id, 'change');
  const data = await validate(ctx, input);
  return ctx.data.transaction(async (tx, audit) => {
    const after = expectOneUpdated(
      await updateScheduleAtVersion(tx, ctx.actor.partnershipId, id, version, {
        name: data.name,
        source: data.source,
        query: data.query,
        recipientUserIds: data.recipientUserIds,
        dayOfMonth: data.dayOfMonth,
        // A new day takes effect from the next time it comes round.
        nextRunOn: data.dayOfMonth === before.dayOfMonth ? before.nextRunOn : firstRunOn(data.dayOfMonth, today),
        updatedAt: ctx.clock.now(),
      }),
    );
    await audit.change({ action: 'report-schedule.updated', subjectType: 'report-schedule', subjectId: id, before, after });
    return after;
  });
}

/** Pause or resume. Resuming sends next on the schedule's day on or after today (missed months are not sent). */
export async function setScheduleActive(ctx: ServiceContext, id: string, version: number, active: boolean, today = ctx.today()): Promise<ScheduleRow> {
  const before = await getScheduleFor(ctx, id, 'stop');
  return ctx.data.transaction(async (tx, audit) => {
    const after = expectOneUpdated(
      await updateScheduleAtVersion(tx, ctx.actor.partnershipId, id, version, { active, ...(active ? { nextRunOn: firstRunOn(before.dayOfMonth, today) } : {}), updatedAt: ctx.clock.now() }),
    );
    await audit.change({ action: active ? 'report-schedule.resumed' : 'report-schedule.paused', subjectType: 'report-schedule', subjectId: id, before, after });
    return after;
  });
}

export async function deleteSchedule(ctx: ServiceContext, id: string, version: number): Promise<ScheduleRow> {
  await getScheduleFor(ctx, id, 'stop');
  return ctx.data.transaction(async (tx, audit) => {
    const deleted = expectOneUpdated(await deleteScheduleAtVersion(tx, ctx.actor.partnershipId, id, version));
    await audit.change({ action: 'report-schedule.deleted', subjectType: 'report-schedule', subjectId: id, before: deleted });
    return deleted;
  });
}

/** A notification's attachment, only for its own recipient (and only once delivered). */
export async function notificationAttachment(ctx: ServiceContext, notificationId: string): Promise<{ name: string; type: string; content: Buffer } | null> {
  const userId = ctx.actor.userId;
  if (!isUuid(notificationId) || !userId) return null;
  const partnershipId = ctx.actor.partnershipId;
  const row = await ctx.data.read((q) => findSentAttachment(q, partnershipId, notificationId, userId));
  if (!row?.name || !row.base64) return null;
  return { name: row.name, type: row.type ?? 'application/octet-stream', content: Buffer.from(row.base64, 'base64') };
}
