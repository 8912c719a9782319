import { and, asc, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Decision, LegalPosition } from '../../domain/rules/index.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { person } from './schema.ts';

/* The daily re-evaluation's data layer (refresh.ts). */

/**
 * Every partnership, with the organisation the job acts for while it reads (the lead one where
 * there is one). Read outside the door, by the job itself: the only thing it reads across
 * partnerships; everything else goes through one door per partnership.
 */
export async function partnershipsToRefresh(db: Db): Promise<Array<{ partnershipId: string; organisationId: string }>> {
  return db
    .selectDistinctOn([organisation.partnershipId], { partnershipId: organisation.partnershipId, organisationId: organisation.id })
    .from(organisation)
    .orderBy(organisation.partnershipId, desc(organisation.isLead), asc(organisation.id));
}

/** People of the partnership whose stored decision is older than `today` (or missing), oldest first. */
export async function staleDecisions(q: DbOrTx, partnershipId: string, today: string, limit: number) {
  return q
    .select({ id: person.id, dateOfBirth: person.dateOfBirth, decision: person.decision, legalPosition: person.legalPosition, recordedBy: person.recordedByOrganisationId })
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), or(lt(person.decidedOn, today), isNull(person.decidedOn))))
    .orderBy(asc(person.decidedOn))
    .limit(limit);
}

/**
 * An unchanged decision: only its date (and the engine's full output) moves on; the version does
 * not. The legal position is written too: it fills in a person stored before it was kept.
 */
export async function markDecisionCurrent(q: DbOrTx, partnershipId: string, personId: string, today: string, decision: Decision, legalPosition: LegalPosition[]): Promise<void> {
  await q.update(person).set({ decidedOn: today, decision, legalPosition }).where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId)));
}
