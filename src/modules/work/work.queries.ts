import { and, asc, eq, gt, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';
import { dispute } from '../disputes/index.ts';
import { informationGiven } from '../documents/index.ts';
import { endingProposal } from '../endings/index.ts';
import { panelCase, panelMeeting } from '../panels/index.ts';
import { person, task, team } from '../register/index.ts';

/*
 * The work module's data layer (issue 13, "Waiting for you"): the only file of the module that
 * imports drizzle-orm. Each query reads one kind of waiting work through the door the service
 * opened, so row-level security confines it to the actor's partnership; `visible` (the register's
 * visiblePeople) keeps every row to people the actor may open.
 */

export type TaskRow = typeof task.$inferSelect;

const personName = { givenName: person.givenName, familyName: person.familyName };
const joinPerson = (t: { partnershipId: AnyPgColumn; personId: AnyPgColumn }) => and(eq(person.partnershipId, t.partnershipId), eq(person.id, t.personId));

export interface TaskOwnership {
  userId: string | null;
  /** Organisations the actor works in as a practitioner, senior practitioner or team manager. */
  organisationIds: string[];
  /** The teams of those organisations. */
  teamIds: string[];
}

/**
 * The condition for a task that waits on the actor: assigned to them; or to one of their teams;
 * or to their organisation with no team or person named; or unassigned within the organisation
 * and about someone they lead or someone allocated to one of their teams.
 */
function waitsOn(who: TaskOwnership): SQL {
  const parts: Array<SQL | undefined> = [];
  if (who.userId) parts.push(eq(task.ownerUserId, who.userId));
  const unassigned = and(isNull(task.ownerUserId));
  if (who.teamIds.length) parts.push(and(unassigned, inArray(task.ownerTeamId, who.teamIds)));
  if (who.organisationIds.length) parts.push(and(unassigned, isNull(task.ownerTeamId), inArray(task.ownerOrganisationId, who.organisationIds)));
  if (who.teamIds.length) parts.push(and(unassigned, isNull(task.ownerTeamId), inArray(person.allocatedTeamId, who.teamIds)));
  if (who.userId) parts.push(and(unassigned, isNull(task.ownerTeamId), eq(person.leadPractitionerId, who.userId)));
  return parts.length ? or(...parts)! : sql`false`;
}

/** Open tasks waiting on the actor; snoozed ones (until after `today`) only when asked for. */
export async function findWaitingTasks(q: DbOrTx, partnershipId: string, visible: SQL, who: TaskOwnership, today: string, snoozed: boolean, limit: number) {
  return q
    .select({ task, ...personName, nhsNumber: person.nhsNumber, ownerUserName: appUser.displayName, ownerTeamName: team.name })
    .from(task)
    .innerJoin(person, joinPerson(task))
    .leftJoin(appUser, eq(appUser.id, task.ownerUserId))
    .leftJoin(team, and(eq(team.partnershipId, task.partnershipId), eq(team.id, task.ownerTeamId)))
    .where(and(eq(task.partnershipId, partnershipId), eq(task.status, 'open'), visible, waitsOn(who), snoozed ? gt(task.snoozedUntil, today) : or(isNull(task.snoozedUntil), lte(task.snoozedUntil, today))))
    .orderBy(sql`${task.dueOn} asc nulls last`, asc(task.createdAt))
    .limit(limit);
}

/** How many of the actor's open tasks are snoozed past today. */
export async function countSnoozedTasks(q: DbOrTx, partnershipId: string, visible: SQL, who: TaskOwnership, today: string): Promise<number> {
  const [row] = await q
    .select({ n: sql<number>`count(*)::int` })
    .from(task)
    .innerJoin(person, joinPerson(task))
    .where(and(eq(task.partnershipId, partnershipId), eq(task.status, 'open'), visible, waitsOn(who), gt(task.snoozedUntil, today)));
  return row?.n ?? 0;
}

/** Open tasks by id (for actions on them), with the person they are about. */
export async function findOpenTasks(q: DbOrTx, partnershipId: string, taskIds: string[], lock = false) {
  if (taskIds.length === 0) return [];
  const query = q
    .select({ task, ...personName })
    .from(task)
    .innerJoin(person, joinPerson(task))
    .where(and(eq(task.partnershipId, partnershipId), inArray(task.id, taskIds)));
  return lock ? query.for('update', { of: task }) : query;
}

export async function updateTaskAtVersion(tx: DbOrTx, partnershipId: string, taskId: string, version: number, changes: Partial<TaskRow>): Promise<TaskRow[]> {
  return tx
    .update(task)
    .set({ ...changes, version: sql`${task.version} + 1` })
    .where(and(eq(task.partnershipId, partnershipId), eq(task.id, taskId), eq(task.version, version), eq(task.status, 'open')))
    .returning();
}

/** Who a task may be handed to: active practitioners, senior practitioners and team managers of the organisations, and their teams. */
export async function findAssignees(q: DbOrTx, partnershipId: string, organisationIds: string[]) {
  if (organisationIds.length === 0) return { users: [], teams: [] };
  const [users, teams] = await Promise.all([
    q
      .select({ id: appUser.id, name: appUser.displayName, email: appUser.email, roles: membership.roles, organisationName: organisation.name })
      .from(membership)
      .innerJoin(appUser, eq(appUser.id, membership.userId))
      .innerJoin(organisation, eq(organisation.id, membership.organisationId))
      .where(and(eq(membership.partnershipId, partnershipId), inArray(membership.organisationId, organisationIds), eq(appUser.active, true)))
      .orderBy(asc(appUser.displayName)),
    q
      .select({ id: team.id, name: team.name, organisationName: organisation.name })
      .from(team)
      .innerJoin(organisation, eq(organisation.id, team.organisationId))
      .where(and(eq(team.partnershipId, partnershipId), inArray(team.organisationId, organisationIds)))
      .orderBy(asc(organisation.name), asc(team.name)),
  ]);
  const writers = ['practitioner', 'senior-practitioner', 'team-manager'];
  const seen = new Set<string>();
  return {
    users: users.filter((u) => u.roles.some((r) => writers.includes(r)) && !seen.has(u.id) && seen.add(u.id)).map(({ id, name, email, organisationName }) => ({ id, name, email, organisationName })),
    teams,
  };
}

/** Open ending (and reinstatement) proposals of people the actor may see, with who is responsible. */
export async function findOpenProposals(q: DbOrTx, partnershipId: string, visible: SQL) {
  return q
    .select({
      proposal: endingProposal,
      ...personName,
      nhsNumber: person.nhsNumber,
      partnershipId: person.partnershipId,
      responsibleLocalAuthority: person.responsibleLocalAuthority,
      responsibleIcb: person.responsibleIcb,
      involvedOrganisations: person.involvedOrganisations,
    })
    .from(endingProposal)
    .innerJoin(person, joinPerson(endingProposal))
    .where(and(eq(endingProposal.partnershipId, partnershipId), eq(endingProposal.status, 'proposed'), visible))
    .orderBy(asc(endingProposal.proposedAt))
    .limit(500);
}

/** Panel cases waiting for the panel: sent and not yet listed, or listed on a meeting not yet held. */
export async function findWaitingPanelCases(q: DbOrTx, partnershipId: string, visible: SQL) {
  return q
    .select({ panelCase, ...personName, nhsNumber: person.nhsNumber, meetsOn: panelMeeting.meetsOn })
    .from(panelCase)
    .innerJoin(person, joinPerson(panelCase))
    .leftJoin(panelMeeting, and(eq(panelMeeting.partnershipId, panelCase.partnershipId), eq(panelMeeting.id, panelCase.meetingId)))
    .where(and(eq(panelCase.partnershipId, partnershipId), inArray(panelCase.status, ['submitted', 'listed']), visible))
    .orderBy(asc(panelCase.submittedAt))
    .limit(500);
}

/** Open disputes to which one of the organisations is a party. */
export async function findPartyDisputes(q: DbOrTx, partnershipId: string, organisationIds: string[], visible: SQL) {
  if (organisationIds.length === 0) return [];
  return q
    .select({ dispute, ...personName, nhsNumber: person.nhsNumber })
    .from(dispute)
    .innerJoin(person, joinPerson(dispute))
    .where(and(eq(dispute.partnershipId, partnershipId), ne(dispute.stage, 'resolved'), or(inArray(dispute.partyAOrganisationId, organisationIds), inArray(dispute.partyBOrganisationId, organisationIds)), visible))
    .orderBy(asc(dispute.aroseOn))
    .limit(500);
}

/**
 * Information to offer again: the latest record of each subject given to a person the actor leads
 * or whose team is one of theirs, where that record says to offer it again.
 */
export async function findInformationToOfferAgain(q: DbOrTx, partnershipId: string, visible: SQL, mine: SQL) {
  const latest = q
    .selectDistinctOn([informationGiven.personId, informationGiven.subject], {
      id: informationGiven.id,
      personId: informationGiven.personId,
      subject: informationGiven.subject,
      givenOn: informationGiven.givenOn,
      offerAgain: informationGiven.offerAgain,
      offerAgainReason: informationGiven.offerAgainReason,
    })
    .from(informationGiven)
    .where(eq(informationGiven.partnershipId, partnershipId))
    .orderBy(informationGiven.personId, informationGiven.subject, sql`${informationGiven.givenOn} desc`, sql`${informationGiven.createdAt} desc`)
    .as('latest');
  return q
    .select({ id: latest.id, personId: latest.personId, subject: latest.subject, givenOn: latest.givenOn, reason: latest.offerAgainReason, ...personName, nhsNumber: person.nhsNumber })
    .from(latest)
    .innerJoin(person, and(eq(person.partnershipId, partnershipId), eq(person.id, latest.personId)))
    .where(and(eq(latest.offerAgain, true), visible, mine))
    .orderBy(asc(latest.givenOn))
    .limit(500);
}

/** The teams of the organisations (the actor's teams). */
export async function findTeamIdsOf(q: DbOrTx, partnershipId: string, organisationIds: string[]): Promise<string[]> {
  if (organisationIds.length === 0) return [];
  const rows = await q.select({ id: team.id }).from(team).where(and(eq(team.partnershipId, partnershipId), inArray(team.organisationId, organisationIds)));
  return rows.map((r) => r.id);
}

/** The condition "a person the actor leads, or allocated to one of their teams". */
export function peopleOf(userId: string | null, teamIds: string[]): SQL {
  const parts: SQL[] = [];
  if (userId) parts.push(eq(person.leadPractitionerId, userId));
  if (teamIds.length) parts.push(inArray(person.allocatedTeamId, teamIds));
  return parts.length ? or(...parts)! : sql`false`;
}
