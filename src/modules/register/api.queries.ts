import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { visiblePeople } from './access.queries.ts';
import { person } from './schema.ts';

/* The integration API's own reads (api.service.ts); a person by id is people.queries.ts's findPerson. */

/** The people with this (normalised) NHS number whom the actor may read: none if the number is someone else's. */
export async function visiblePeopleWithNhsNumber(q: DbOrTx, actor: Actor, nhsNumber: string): Promise<Array<typeof person.$inferSelect>> {
  return q
    .select()
    .from(person)
    .where(and(visiblePeople(actor, 'person:read'), eq(person.nhsNumber, nhsNumber)));
}
