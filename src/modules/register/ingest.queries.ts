import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { legalEvent, person } from './schema.ts';

/* What the legal-status feed (ingest.service.ts) reads of the register before loading, in batches. */

export async function peopleWithNhsNumbers(q: DbOrTx, partnershipId: string, nhsNumbers: string[]): Promise<Array<{ id: string; nhsNumber: string; dateOfBirth: string }>> {
  return q
    .select({ id: person.id, nhsNumber: person.nhsNumber, dateOfBirth: person.dateOfBirth })
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), inArray(person.nhsNumber, nhsNumbers)));
}

export async function eventsWithExternalIds(
  q: DbOrTx,
  partnershipId: string,
  externalIds: string[],
): Promise<Array<{ externalId: string | null; personId: string; type: string; occurredOn: string; payload: unknown }>> {
  return q
    .select({ externalId: legalEvent.externalId, personId: legalEvent.personId, type: legalEvent.type, occurredOn: legalEvent.occurredOn, payload: legalEvent.payload })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), inArray(legalEvent.externalId, externalIds)));
}
