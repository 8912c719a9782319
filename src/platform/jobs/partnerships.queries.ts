import { asc, desc } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import type { Db } from '../db/database.ts';
import { organisation } from '../db/schema.ts';

/*
 * What a job that works across partnerships needs (decision 0006: one door per partnership, opened
 * as that partnership's system actor): the list of partnerships, read outside the door by the job
 * itself, and the actor it acts as in each.
 */

/** Every partnership, with the organisation a job acts for in it (the lead one where there is one). */
export async function partnershipsForJobs(db: Db): Promise<Array<{ partnershipId: string; organisationId: string }>> {
  return db
    .selectDistinctOn([organisation.partnershipId], { partnershipId: organisation.partnershipId, organisationId: organisation.id })
    .from(organisation)
    .orderBy(organisation.partnershipId, desc(organisation.isLead), asc(organisation.id));
}

/** The system actor a job acts as in one partnership: no user, no roles, named as the audit trail shows it ("Aftercare (IMCA report reminders)"). */
export function jobActor(partnershipId: string, organisationId: string, name: string): Actor {
  return { kind: 'user', userId: null, tokenId: null, displayName: `Aftercare (${name})`, partnershipId, activeOrganisationId: organisationId, memberships: [] };
}
