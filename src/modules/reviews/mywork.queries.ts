/**
 * "My work" (issue 6): for the signed-in practitioner, the people they lead on (or their teams'
 * people), with overdue reviews, reviews due in the next 30 days, open tasks and flags. Filtered
 * and sorted on the server from the query string, so it works without JavaScript. Every query is
 * scoped by `visiblePeople`, so it never shows someone the user could not open.
 */
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { addDays } from '../../domain/calendar-date.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { daysOverdue, daysUntil, DUE_SOON_DAYS } from '../../domain/reviews.ts';
import type { Flag } from '../../domain/rules/index.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { visiblePeople } from '../register/index.ts';
import { flagLabels } from '../register/index.ts';
import { person, task, team } from '../register/index.ts';
import { meetingAction } from './schema.ts';

export const scopes = ['me', 'team'] as const;
export type Scope = (typeof scopes)[number];
export const sections = ['all', 'overdue', 'due', 'tasks', 'flags'] as const;
export type Section = (typeof sections)[number];
export const sortKeys = ['due', 'name'] as const;
export type SortKey = (typeof sortKeys)[number];

export interface MyWorkQuery {
  scope: Scope;
  /** One of my teams, or null for all of them (scope "team" only). */
  team: string | null;
  show: Section;
  sort: SortKey;
  order: 'asc' | 'desc';
}

const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => (typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback);

export function parseMyWorkQuery(raw: Record<string, unknown>, teamIds: string[]): MyWorkQuery {
  const teamValue = typeof raw.team === 'string' && teamIds.includes(raw.team) ? raw.team : null;
  return {
    scope: pick(raw.scope, scopes, 'me'),
    team: teamValue,
    show: pick(raw.show, sections, 'all'),
    sort: pick(raw.sort, sortKeys, 'due'),
    order: pick(raw.order, ['asc', 'desc'] as const, 'asc'),
  };
}

/** My teams: the teams of the organisations I work for as a practitioner, senior practitioner or team manager. */
export async function myTeams(ctx: ServiceContext) {
  const orgIds = writerOrganisations(ctx.actor);
  if (orgIds.length === 0) return [];
  return ctx.data.read((q) =>
    q
      .select({ id: team.id, name: team.name, organisationName: organisation.name })
      .from(team)
      .innerJoin(organisation, eq(organisation.id, team.organisationId))
      .where(and(eq(team.partnershipId, ctx.actor.partnershipId), inArray(team.organisationId, orgIds)))
      .orderBy(asc(organisation.name), asc(team.name)),
  );
}

function writerOrganisations(actor: Actor): string[] {
  return actor.memberships.filter((m) => m.roles.some((r) => r === 'practitioner' || r === 'senior-practitioner' || r === 'team-manager')).map((m) => m.organisationId);
}

export interface ReviewRowView {
  id: string;
  name: string;
  nhsNumber: string;
  due: string;
  days: number;
  teamName: string | null;
  leadName: string | null;
}

export interface TaskRowView {
  id: string;
  personId: string;
  name: string;
  title: string;
  dueOn: string | null;
  overdue: boolean;
}

export interface FlagRowView {
  personId: string;
  name: string;
  flags: Array<{ code: string; label: string }>;
}

export interface ActionRowView {
  id: string;
  personId: string;
  meetingId: string;
  name: string;
  description: string;
  dueOn: string | null;
  overdue: boolean;
}

export interface MyWork {
  overdue: ReviewRowView[];
  dueSoon: ReviewRowView[];
  tasks: TaskRowView[];
  flags: FlagRowView[];
  actions: ActionRowView[];
  counts: { overdue: number; dueSoon: number; tasks: number; flags: number; actions: number };
}

const ROW_LIMIT = 200;

export async function loadMyWork(ctx: ServiceContext, q: MyWorkQuery, teamIds: string[], today: string): Promise<MyWork> {
  const me = ctx.actor.userId;
  const scope: SQL | undefined =
    q.scope === 'me'
      ? me
        ? eq(person.leadPractitionerId, me)
        : sql`false`
      : q.team
        ? eq(person.allocatedTeamId, q.team)
        : teamIds.length
          ? inArray(person.allocatedTeamId, teamIds)
          : sql`false`;
  const mine = and(visiblePeople(ctx.actor), scope);
  const lead = appUser;
  const dir = (col: SQL | typeof person.nextReviewDue) => (q.order === 'desc' ? desc(col) : asc(col));
  const nameOrder = [dir(sql`lower(${person.familyName})`), dir(sql`lower(${person.givenName})`)];
  const reviewOrder = q.sort === 'name' ? nameOrder : [dir(person.nextReviewDue), asc(sql`lower(${person.familyName})`)];
  const reviewColumns = {
    id: person.id,
    givenName: person.givenName,
    familyName: person.familyName,
    nhsNumber: person.nhsNumber,
    due: person.nextReviewDue,
    teamName: team.name,
    leadName: lead.displayName,
  };
  // Each list its own short read, so they run at once on separate connections.
  const reviews = (where: SQL | undefined) =>
    ctx.data.read((db) =>
      db
        .select(reviewColumns)
        .from(person)
        .leftJoin(team, and(eq(team.partnershipId, person.partnershipId), eq(team.id, person.allocatedTeamId)))
        .leftJoin(lead, eq(lead.id, person.leadPractitionerId))
        .where(and(mine, eq(person.status, 'entitled'), isNotNull(person.nextReviewDue), where))
        .orderBy(...reviewOrder)
        .limit(ROW_LIMIT),
    );
  const want = (s: Section) => q.show === 'all' || q.show === s;
  const [overdueRows, dueRows, taskRows, flagRows, actionRows] = await Promise.all([
    want('overdue') ? reviews(lt(person.nextReviewDue, today)) : Promise.resolve([]),
    want('due') ? reviews(and(gte(person.nextReviewDue, today), lte(person.nextReviewDue, addDays(today, DUE_SOON_DAYS)))) : Promise.resolve([]),
    want('tasks')
      ? ctx.data.read((db) =>
          db
          .select({ id: task.id, personId: person.id, givenName: person.givenName, familyName: person.familyName, title: task.title, dueOn: task.dueOn })
          .from(task)
          .innerJoin(person, and(eq(person.partnershipId, task.partnershipId), eq(person.id, task.personId)))
          .where(and(visiblePeople(ctx.actor), eq(task.status, 'open'), or(scope, me ? eq(task.ownerUserId, me) : undefined)))
          .orderBy(...(q.sort === 'name' ? nameOrder : [q.order === 'desc' ? sql`${task.dueOn} desc nulls last` : sql`${task.dueOn} asc nulls last`]))
          .limit(ROW_LIMIT),
        )
      : Promise.resolve([]),
    want('flags')
      ? ctx.data.read((db) =>
          db
          .select({ personId: person.id, givenName: person.givenName, familyName: person.familyName, flags: person.flags })
          .from(person)
          .where(and(mine, gt(sql`cardinality(${person.flags})`, 0)))
          .orderBy(...nameOrder)
          .limit(ROW_LIMIT),
        )
      : Promise.resolve([]),
    want('tasks') && me
      ? ctx.data.read((db) =>
          db
          .select({ id: meetingAction.id, personId: person.id, meetingId: meetingAction.meetingId, givenName: person.givenName, familyName: person.familyName, description: meetingAction.description, dueOn: meetingAction.dueOn })
          .from(meetingAction)
          .innerJoin(person, and(eq(person.partnershipId, meetingAction.partnershipId), eq(person.id, meetingAction.personId)))
          .where(and(visiblePeople(ctx.actor), eq(meetingAction.done, false), eq(meetingAction.ownerUserId, me), ne(meetingAction.description, '')))
          .orderBy(sql`${meetingAction.dueOn} asc nulls last`)
          .limit(ROW_LIMIT),
        )
      : Promise.resolve([]),
  ]);
  const name = (r: { givenName: string; familyName: string }) => `${r.givenName} ${r.familyName}`;
  const toReview = (overdue: boolean) => (r: (typeof overdueRows)[number]): ReviewRowView => ({
    id: r.id,
    name: name(r),
    // Spaced as everywhere else (999 000 0018), and kept on one line in the table.
    nhsNumber: formatNhsNumber(r.nhsNumber).replace(/ /g, '\u00a0'),
    due: r.due!,
    days: overdue ? daysOverdue(r.due!, today) : daysUntil(r.due!, today),
    teamName: r.teamName,
    leadName: r.leadName,
  });
  const result: MyWork = {
    overdue: overdueRows.map(toReview(true)),
    dueSoon: dueRows.map(toReview(false)),
    tasks: taskRows.map((t) => ({ id: t.id, personId: t.personId, name: name(t), title: t.title, dueOn: t.dueOn, overdue: t.dueOn !== null && t.dueOn < today })),
    flags: flagRows.map((f) => ({ personId: f.personId, name: name(f), flags: f.flags.map((code) => ({ code, label: flagLabels[code as Flag] ?? code })) })),
    actions: actionRows.map((a) => ({ id: a.id, personId: a.personId, meetingId: a.meetingId, name: name(a), description: a.description, dueOn: a.dueOn, overdue: a.dueOn !== null && a.dueOn < today })),
    counts: { overdue: 0, dueSoon: 0, tasks: 0, flags: 0, actions: 0 },
  };
  result.counts = { overdue: result.overdue.length, dueSoon: result.dueSoon.length, tasks: result.tasks.length, flags: result.flags.length, actions: result.actions.length };
  return result;
}
