import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { legalEvent, person, task, team } from '../register/index.ts';

/*
 * The register import's data layer. The planner's reads (what the register holds already), set
 * out as named functions taking the handle the caller holds. The SQL is unchanged from when it
 * lived in plan.ts: the import's benchmark (bench/import.ts) depends on it.
 */

export async function findPartnershipOrganisations(q: DbOrTx, partnershipId: string) {
  return q
    .select({ id: organisation.id, type: organisation.type, code: organisation.code, onsCode: organisation.onsCode, name: organisation.name })
    .from(organisation)
    .where(eq(organisation.partnershipId, partnershipId));
}

export async function findPartnershipTeams(q: DbOrTx, partnershipId: string) {
  return q.select({ id: team.id, name: team.name, organisationId: team.organisationId }).from(team).where(eq(team.partnershipId, partnershipId));
}

export async function findPartnershipUsers(q: DbOrTx, partnershipId: string) {
  return q.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(eq(appUser.partnershipId, partnershipId));
}

/** The stored decision's summary columns of the people with these NHS numbers, not the decision itself (kilobytes a person). */
export async function findPeopleByNhsNumbers(q: DbOrTx, partnershipId: string, nhsNumbers: string[]) {
  return q
    .select({
      id: person.id,
      nhsNumber: person.nhsNumber,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      postcode: person.postcode,
      allocatedTeamId: person.allocatedTeamId,
      leadPractitionerId: person.leadPractitionerId,
      involvedOrganisations: person.involvedOrganisations,
      status: person.status,
      entitlementStart: person.entitlementStart,
      responsibleLocalAuthority: person.responsibleLocalAuthority,
      responsibleIcb: person.responsibleIcb,
      nextReviewDue: person.nextReviewDue,
      flags: person.flags,
    })
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), inArray(person.nhsNumber, nhsNumbers)));
}

export async function findEventsByExternalIds(q: DbOrTx, partnershipId: string, externalIds: string[]) {
  return q
    .select({ externalId: legalEvent.externalId, personId: legalEvent.personId, type: legalEvent.type, occurredOn: legalEvent.occurredOn, payload: legalEvent.payload })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), inArray(legalEvent.externalId, externalIds)));
}

/** Tasks of one kind already raised for these people. */
export async function findTasksOfKind(q: DbOrTx, partnershipId: string, personIds: string[], kind: string) {
  return q
    .select({ personId: task.personId })
    .from(task)
    .where(and(eq(task.partnershipId, partnershipId), inArray(task.personId, personIds), eq(task.kind, kind)));
}

/** The people's legal histories (events not voided). */
export async function findHistories(q: DbOrTx, partnershipId: string, personIds: string[]) {
  return q
    .select({ id: legalEvent.id, personId: legalEvent.personId, type: legalEvent.type, occurredOn: legalEvent.occurredOn, payload: legalEvent.payload, sequence: legalEvent.sequence })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), inArray(legalEvent.personId, personIds), isNull(legalEvent.voidedAt)));
}

export async function findOpenFlagTasks(q: DbOrTx, partnershipId: string, personIds: string[]) {
  return q
    .select({ id: task.id, personId: task.personId, flag: task.flag })
    .from(task)
    .where(and(eq(task.partnershipId, partnershipId), inArray(task.personId, personIds), eq(task.kind, 'flag'), eq(task.status, 'open')));
}
