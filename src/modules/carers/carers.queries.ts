import { and, asc, count, desc, eq, isNull, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { person } from '../register/index.ts';
import { advocacyReferral, carer, carerAssessment, carerLink, type AdvocacyReferralRow, type CarerAssessmentRow, type CarerRow } from './schema.ts';

/* The carers and advocacy data layer, handed the door's handle by the service (row-level security applies). */

export type { AdvocacyReferralRow, CarerAssessmentRow, CarerRow };

/** The carers linked to a person, with the relationship, oldest link first. */
export function carersOfPersonQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ carer, relationship: carerLink.relationship, linkedOn: carerLink.linkedOn })
    .from(carerLink)
    .innerJoin(carer, and(eq(carer.partnershipId, carerLink.partnershipId), eq(carer.id, carerLink.carerId)))
    .where(and(eq(carerLink.partnershipId, partnershipId), eq(carerLink.personId, personId)))
    .orderBy(asc(carerLink.createdAt));
}

/** Every assessment offered to the carers of a person (in any cared-for person's context), newest first. */
export function assessmentsOfPersonsCarersQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select()
    .from(carerAssessment)
    .where(and(eq(carerAssessment.partnershipId, partnershipId), sql`${carerAssessment.carerId} in (select l.carer_id from carer_link l where l.partnership_id = ${partnershipId} and l.person_id = ${personId})`))
    .orderBy(desc(carerAssessment.offeredOn), desc(carerAssessment.createdAt));
}

/** A person's advocacy referrals, newest first. */
export function referralsOfPersonQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select()
    .from(advocacyReferral)
    .where(and(eq(advocacyReferral.partnershipId, partnershipId), eq(advocacyReferral.personId, personId)))
    .orderBy(desc(advocacyReferral.referredOn), desc(advocacyReferral.createdAt));
}

/** The person's entitlement, for the discharge prompt. */
export function personStatusQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ status: person.status, entitlementStart: person.entitlementStart, dischargePlanning: person.dischargePlanning })
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId)));
}

/** The carer linked to this person, locked for update when asked. */
export async function findLinkedCarer(q: DbOrTx, partnershipId: string, personId: string, carerId: string, lock = false) {
  const query = q
    .select({ carer, relationship: carerLink.relationship, linkedOn: carerLink.linkedOn })
    .from(carerLink)
    .innerJoin(carer, and(eq(carer.partnershipId, carerLink.partnershipId), eq(carer.id, carerLink.carerId)))
    .where(and(eq(carerLink.partnershipId, partnershipId), eq(carerLink.personId, personId), eq(carerLink.carerId, carerId)));
  return (await (lock ? query.for('update', { of: carer }) : query))[0] ?? null;
}

/** The people a carer cares for (only those `visible` to the actor), with the relationship. */
export async function findCaredFor(q: DbOrTx, partnershipId: string, carerId: string, visible: SQL) {
  return q
    .select({ personId: person.id, givenName: person.givenName, familyName: person.familyName, relationship: carerLink.relationship })
    .from(carerLink)
    .innerJoin(person, and(eq(person.partnershipId, carerLink.partnershipId), eq(person.id, carerLink.personId)))
    .where(and(eq(carerLink.partnershipId, partnershipId), eq(carerLink.carerId, carerId), visible))
    .orderBy(asc(person.familyName));
}

export async function countCaredFor(q: DbOrTx, partnershipId: string, carerId: string): Promise<number> {
  return (await q.select({ n: count() }).from(carerLink).where(and(eq(carerLink.partnershipId, partnershipId), eq(carerLink.carerId, carerId))))[0]?.n ?? 0;
}

/** Carers of people the actor may see, not yet linked to this person: those that may be linked. */
export async function findLinkableCarers(q: DbOrTx, partnershipId: string, personId: string, visible: SQL) {
  return q
    .selectDistinct({ id: carer.id, name: carer.name })
    .from(carer)
    .innerJoin(carerLink, and(eq(carerLink.partnershipId, carer.partnershipId), eq(carerLink.carerId, carer.id)))
    .innerJoin(person, and(eq(person.partnershipId, carerLink.partnershipId), eq(person.id, carerLink.personId)))
    .where(and(eq(carer.partnershipId, partnershipId), visible, sql`not exists (select 1 from carer_link own where own.partnership_id = ${partnershipId} and own.carer_id = ${carer.id} and own.person_id = ${personId})`))
    .orderBy(asc(carer.name))
    .limit(200);
}

export async function insertCarer(q: DbOrTx, values: typeof carer.$inferInsert): Promise<CarerRow> {
  return (await q.insert(carer).values(values).returning())[0]!;
}

export async function insertLink(q: DbOrTx, values: typeof carerLink.$inferInsert) {
  return (await q.insert(carerLink).values(values).onConflictDoNothing().returning())[0] ?? null;
}

export async function updateCarerAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: Partial<typeof carer.$inferInsert>): Promise<CarerRow[]> {
  return q
    .update(carer)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${carer.version} + 1` })
    .where(and(eq(carer.partnershipId, partnershipId), eq(carer.id, id), eq(carer.version, version)))
    .returning();
}

export async function findAssessmentsOfCarer(q: DbOrTx, partnershipId: string, carerId: string): Promise<CarerAssessmentRow[]> {
  return q
    .select()
    .from(carerAssessment)
    .where(and(eq(carerAssessment.partnershipId, partnershipId), eq(carerAssessment.carerId, carerId)))
    .orderBy(desc(carerAssessment.offeredOn), desc(carerAssessment.createdAt));
}

export async function findAssessment(q: DbOrTx, partnershipId: string, carerId: string, id: string, lock = false): Promise<CarerAssessmentRow | null> {
  const query = q
    .select()
    .from(carerAssessment)
    .where(and(eq(carerAssessment.partnershipId, partnershipId), eq(carerAssessment.carerId, carerId), eq(carerAssessment.id, id)));
  return (await (lock ? query.for('update') : query))[0] ?? null;
}

export async function insertAssessment(q: DbOrTx, values: typeof carerAssessment.$inferInsert): Promise<CarerAssessmentRow> {
  return (await q.insert(carerAssessment).values(values).returning())[0]!;
}

export async function updateAssessmentAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: Partial<typeof carerAssessment.$inferInsert>): Promise<CarerAssessmentRow[]> {
  return q
    .update(carerAssessment)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${carerAssessment.version} + 1` })
    .where(and(eq(carerAssessment.partnershipId, partnershipId), eq(carerAssessment.id, id), eq(carerAssessment.version, version)))
    .returning();
}

export async function findReferral(q: DbOrTx, partnershipId: string, personId: string, id: string, lock = false): Promise<AdvocacyReferralRow | null> {
  const query = q
    .select()
    .from(advocacyReferral)
    .where(and(eq(advocacyReferral.partnershipId, partnershipId), eq(advocacyReferral.personId, personId), eq(advocacyReferral.id, id)));
  return (await (lock ? query.for('update') : query))[0] ?? null;
}

export async function insertReferral(q: DbOrTx, values: typeof advocacyReferral.$inferInsert): Promise<AdvocacyReferralRow> {
  return (await q.insert(advocacyReferral).values(values).returning())[0]!;
}

export async function updateReferralAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: Partial<typeof advocacyReferral.$inferInsert>): Promise<AdvocacyReferralRow[]> {
  return q
    .update(advocacyReferral)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${advocacyReferral.version} + 1` })
    .where(and(eq(advocacyReferral.partnershipId, partnershipId), eq(advocacyReferral.id, id), eq(advocacyReferral.version, version)))
    .returning();
}

/**
 * For "Waiting for you": assessments of carers of `visible` people that are offered and unanswered
 * since `offeredBy` or earlier, or completed with a review date reached, with the cared-for
 * person's lead practitioner.
 */
export async function findAssessmentsWaiting(q: DbOrTx, partnershipId: string, visible: SQL | undefined, unansweredSince: string, today: string) {
  return q
    .select({
      assessment: carerAssessment,
      carerName: carer.name,
      givenName: person.givenName,
      familyName: person.familyName,
      nhsNumber: person.nhsNumber,
      leadPractitionerId: person.leadPractitionerId,
    })
    .from(carerAssessment)
    .innerJoin(carer, and(eq(carer.partnershipId, carerAssessment.partnershipId), eq(carer.id, carerAssessment.carerId)))
    .innerJoin(person, and(eq(person.partnershipId, carerAssessment.partnershipId), eq(person.id, carerAssessment.personId)))
    .where(
      and(
        eq(carerAssessment.partnershipId, partnershipId),
        visible,
        or(
          and(isNull(carerAssessment.acceptedOn), isNull(carerAssessment.declinedOn), isNull(carerAssessment.completedOn), lte(carerAssessment.offeredOn, unansweredSince)),
          and(sql`${carerAssessment.completedOn} is not null`, lte(carerAssessment.reviewOn, today)),
        ),
        // Only the latest assessment of each carer about this person counts: a newer offer replaces a review that is due.
        sql`not exists (select 1 from carer_assessment later where later.partnership_id = ${carerAssessment.partnershipId} and later.carer_id = ${carerAssessment.carerId} and later.person_id = ${carerAssessment.personId} and (later.offered_on, later.created_at) > (${carerAssessment.offeredOn}, ${carerAssessment.createdAt}))`,
      ),
    )
    .orderBy(asc(carerAssessment.offeredOn))
    .limit(500);
}

/** Dashboard counts about `visible` people: carers known, and assessments offered, completed and declined in the period. */
export async function carerCounts(q: DbOrTx, partnershipId: string, visible: SQL, from: string, to: string) {
  const known = await q
    .select({ n: sql<number>`count(distinct ${carerLink.carerId})::int` })
    .from(carerLink)
    .innerJoin(person, and(eq(person.partnershipId, carerLink.partnershipId), eq(person.id, carerLink.personId)))
    .where(and(eq(carerLink.partnershipId, partnershipId), visible));
  const within = (column: SQLWrapper) => sql<number>`count(*) filter (where ${column} between ${from} and ${to})::int`;
  const assessments = await q
    .select({ offered: within(carerAssessment.offeredOn), completed: within(carerAssessment.completedOn), declined: within(carerAssessment.declinedOn) })
    .from(carerAssessment)
    .innerJoin(person, and(eq(person.partnershipId, carerAssessment.partnershipId), eq(person.id, carerAssessment.personId)))
    .where(and(eq(carerAssessment.partnershipId, partnershipId), visible));
  return { known: known[0]?.n ?? 0, offered: assessments[0]?.offered ?? 0, completed: assessments[0]?.completed ?? 0, declined: assessments[0]?.declined ?? 0 };
}

/** For the plan page and the ending checklist: a person's referrals (kinds and dates). */
export async function findReferralsOf(q: DbOrTx, partnershipId: string, personId: string): Promise<AdvocacyReferralRow[]> {
  return referralsOfPersonQuery(q, partnershipId, personId);
}

