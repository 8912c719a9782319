import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';
import { reviewBooking } from './schema.ts';

/*
 * Review bookings' data layer (issue 13, item 9): the only file of the bookings use cases that
 * imports drizzle-orm. Handed the door's query handle, so row-level security confines every
 * statement to the actor's partnership; the partnership filters stay as the leading index key.
 */

export type BookingRow = typeof reviewBooking.$inferSelect;
export type NewBooking = typeof reviewBooking.$inferInsert;

/** The partnership's active users, with the email address an invitation goes to and their organisations' names. */
export async function findStaff(q: DbOrTx, partnershipId: string): Promise<Array<{ id: string; name: string; email: string; organisationName: string | null }>> {
  return q
    .select({ id: appUser.id, name: appUser.displayName, email: appUser.email, organisationName: sql<string | null>`min(${organisation.name})` })
    .from(appUser)
    .leftJoin(membership, and(eq(membership.userId, appUser.id), eq(membership.partnershipId, partnershipId)))
    .leftJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.active, true)))
    .groupBy(appUser.id, appUser.displayName, appUser.email)
    .orderBy(asc(appUser.displayName));
}

export async function findUserEmail(q: DbOrTx, userId: string): Promise<{ name: string; email: string } | undefined> {
  return (await q.select({ name: appUser.displayName, email: appUser.email }).from(appUser).where(eq(appUser.id, userId)))[0];
}

export async function insertBooking(tx: DbOrTx, values: NewBooking): Promise<BookingRow> {
  const [created] = await tx.insert(reviewBooking).values(values).returning();
  return created!;
}

export async function findBooking(q: DbOrTx, partnershipId: string, personId: string, bookingId: string): Promise<BookingRow | undefined> {
  return (await q.select().from(reviewBooking).where(and(eq(reviewBooking.partnershipId, partnershipId), eq(reviewBooking.personId, personId), eq(reviewBooking.id, bookingId))))[0];
}

/** The person's bookings, soonest first; `statuses` to confine them. */
export async function findPersonBookings(q: DbOrTx, partnershipId: string, personId: string, statuses?: Array<BookingRow['status']>): Promise<BookingRow[]> {
  return personBookingsQuery(q, partnershipId, personId, statuses);
}

/** The same select, not awaited: the person page runs it with its other sections' reads (platform/db/together.ts). */
export function personBookingsQuery(q: DbOrTx, partnershipId: string, personId: string, statuses?: Array<BookingRow['status']>) {
  return q
    .select()
    .from(reviewBooking)
    .where(and(eq(reviewBooking.partnershipId, partnershipId), eq(reviewBooking.personId, personId), statuses ? inArray(reviewBooking.status, statuses) : undefined))
    .orderBy(asc(reviewBooking.startsAt));
}

/** Update a booking saved at `version` (optimistic concurrency): the updated row, or none if somebody saved first. */
export async function updateBookingAtVersion(tx: DbOrTx, partnershipId: string, bookingId: string, version: number, changes: Partial<Omit<BookingRow, 'partnershipId' | 'id' | 'personId' | 'version'>>): Promise<BookingRow[]> {
  return tx
    .update(reviewBooking)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(reviewBooking.partnershipId, partnershipId), eq(reviewBooking.id, bookingId), eq(reviewBooking.version, version)))
    .returning();
}

/** Booked reviews from `from` on that the user is invited to or booked, soonest first, with the person's name. */
export async function findBookingsForUser(q: DbOrTx, partnershipId: string, userId: string, from: Date): Promise<Array<{ booking: BookingRow; givenName: string; familyName: string }>> {
  return q
    .select({ booking: reviewBooking, givenName: person.givenName, familyName: person.familyName })
    .from(reviewBooking)
    .innerJoin(person, and(eq(person.partnershipId, reviewBooking.partnershipId), eq(person.id, reviewBooking.personId)))
    .where(
      and(
        eq(reviewBooking.partnershipId, partnershipId),
        eq(reviewBooking.status, 'booked'),
        gte(reviewBooking.startsAt, from),
        sql`(${reviewBooking.invitees} @> ${JSON.stringify([{ userId }])}::jsonb or ${reviewBooking.createdBy} = ${userId})`,
      ),
    )
    .orderBy(asc(reviewBooking.startsAt))
    .limit(50);
}
