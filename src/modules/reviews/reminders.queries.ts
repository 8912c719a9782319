import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { appUser, membership, organisation, partnership } from '../../platform/db/schema.ts';
import { person, team } from '../register/index.ts';

/*
 * The review reminder job's data layer. `partnershipsWithLead` is the job's one read outside the
 * door (the list of partnerships to iterate, with the organisation each one's system actor acts
 * for); the others run inside each partnership's own door, under row-level security.
 */

/** Every partnership, with its lead organisation (or any one of its organisations if none is marked lead). */
export async function partnershipsWithLead(db: Db): Promise<Array<{ partnershipId: string; organisationId: string | null }>> {
  const rows = await db
    .select({ partnershipId: partnership.id, organisationId: organisation.id, isLead: organisation.isLead })
    .from(partnership)
    .leftJoin(organisation, eq(organisation.partnershipId, partnership.id))
    .orderBy(partnership.id);
  const byPartnership = new Map<string, { organisationId: string | null; isLead: boolean }>();
  for (const r of rows) {
    const seen = byPartnership.get(r.partnershipId);
    if (!seen || (!seen.isLead && r.isLead)) byPartnership.set(r.partnershipId, { organisationId: r.organisationId, isLead: r.isLead ?? false });
  }
  return [...byPartnership].map(([partnershipId, { organisationId }]) => ({ partnershipId, organisationId }));
}

/** Entitled people whose next review is due on or before `dueBy`, with their lead practitioner and their allocated team's organisation. */
export async function peopleWithReviewDueBy(q: DbOrTx, partnershipId: string, dueBy: string) {
  return q
    .select({
      id: person.id,
      givenName: person.givenName,
      familyName: person.familyName,
      due: person.nextReviewDue,
      lead: person.leadPractitionerId,
      teamOrganisationId: team.organisationId,
    })
    .from(person)
    .leftJoin(team, and(eq(team.partnershipId, person.partnershipId), eq(team.id, person.allocatedTeamId)))
    .where(and(eq(person.partnershipId, partnershipId), eq(person.status, 'entitled'), isNotNull(person.nextReviewDue), lte(person.nextReviewDue, dueBy)));
}

/** The active team managers of the given organisations. */
export async function teamManagersOf(q: DbOrTx, partnershipId: string, organisationIds: string[]): Promise<Array<{ organisationId: string; userId: string }>> {
  if (organisationIds.length === 0) return [];
  return q
    .select({ organisationId: membership.organisationId, userId: appUser.id })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.partnershipId, partnershipId), inArray(membership.organisationId, organisationIds), eq(appUser.active, true), sql`'team-manager' = any(${membership.roles})`));
}
