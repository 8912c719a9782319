import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';
import { retentionPolicy, retentionReview } from './schema.ts';

/* The retention review's data layer, handed the door's handle by the service. */

export type RetentionPolicyRow = typeof retentionPolicy.$inferSelect;
export type RetentionReviewRow = typeof retentionReview.$inferSelect;

export async function findPolicy(q: DbOrTx, partnershipId: string): Promise<RetentionPolicyRow | null> {
  return (await q.select().from(retentionPolicy).where(eq(retentionPolicy.partnershipId, partnershipId)))[0] ?? null;
}

/** Create the partnership's row with the Code's defaults if it has none (version 1). */
export async function ensurePolicy(q: DbOrTx, partnershipId: string): Promise<RetentionPolicyRow> {
  await q.insert(retentionPolicy).values({ partnershipId }).onConflictDoNothing();
  return (await findPolicy(q, partnershipId))!;
}

export async function updatePolicy(q: DbOrTx, partnershipId: string, version: number, values: { yearsAfterEntitlementEnded: number; yearsAfterDeath: number; updatedBy: string | null }) {
  return q
    .update(retentionPolicy)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${retentionPolicy.version} + 1` })
    .where(and(eq(retentionPolicy.partnershipId, partnershipId), eq(retentionPolicy.version, version)))
    .returning();
}

export async function markListed(q: DbOrTx, partnershipId: string, on: string): Promise<void> {
  await q.update(retentionPolicy).set({ lastListedOn: on }).where(eq(retentionPolicy.partnershipId, partnershipId));
}

export interface RetentionCandidate {
  personId: string;
  lastEntitlementEndedOn: string | null;
  diedOn: string | null;
  keepUntil: string | null;
  markedForDestruction: boolean;
  openReview: boolean;
}

/**
 * People whose entitlement has ended or who have died: the end of their last episode (from the
 * stored decision), the date of death (the legal history's 'died' event, unless voided), the
 * latest "keep until" decided, and whether a review is open or the record is already marked.
 */
export async function findRetentionCandidates(q: DbOrTx, partnershipId: string): Promise<RetentionCandidate[]> {
  return rowsOf<RetentionCandidate>(
    await q.execute(sql`
      select p.id as "personId",
        case when p.status = 'ended' then (select max((e->>'end')::date)::text from jsonb_array_elements(coalesce(p.decision->'episodes', '[]'::jsonb)) e where e->>'end' is not null) end as "lastEntitlementEndedOn",
        (select min(le.occurred_on)::text from legal_event le where le.partnership_id = p.partnership_id and le.person_id = p.id and le.type = 'died' and le.voided_at is null) as "diedOn",
        (select max(r.keep_until)::text from retention_review r where r.partnership_id = p.partnership_id and r.person_id = p.id and r.decision = 'keep') as "keepUntil",
        exists (select 1 from retention_review r where r.partnership_id = p.partnership_id and r.person_id = p.id and r.decision = 'destroy') as "markedForDestruction",
        exists (select 1 from retention_review r where r.partnership_id = p.partnership_id and r.person_id = p.id and r.decision is null) as "openReview"
      from person p
      where p.partnership_id = ${partnershipId}
        and (p.status = 'ended' or exists (select 1 from legal_event le where le.partnership_id = p.partnership_id and le.person_id = p.id and le.type = 'died' and le.voided_at is null))`),
  );
}

export async function insertReviews(q: DbOrTx, rows: Array<typeof retentionReview.$inferInsert>) {
  if (rows.length === 0) return [];
  return q.insert(retentionReview).values(rows).onConflictDoNothing().returning({ id: retentionReview.id, personId: retentionReview.personId, dueFrom: retentionReview.dueFrom });
}

const reviewColumns = {
  review: retentionReview,
  givenName: person.givenName,
  familyName: person.familyName,
  nhsNumber: person.nhsNumber,
  dateOfBirth: person.dateOfBirth,
  decidedByName: appUser.displayName,
};

/** Records waiting for a decision (oldest due first), then the latest decisions. */
export async function findReviews(q: DbOrTx, partnershipId: string, decided: boolean, limit = 500) {
  return q
    .select(reviewColumns)
    .from(retentionReview)
    .innerJoin(person, and(eq(person.partnershipId, retentionReview.partnershipId), eq(person.id, retentionReview.personId)))
    .leftJoin(appUser, eq(appUser.id, retentionReview.decidedBy))
    .where(and(eq(retentionReview.partnershipId, partnershipId), decided ? isNotNull(retentionReview.decision) : isNull(retentionReview.decision)))
    .orderBy(decided ? desc(retentionReview.decidedAt) : asc(retentionReview.dueFrom), asc(person.familyName))
    .limit(limit);
}

export async function findReview(q: DbOrTx, partnershipId: string, id: string) {
  return (
    await q
      .select(reviewColumns)
      .from(retentionReview)
      .innerJoin(person, and(eq(person.partnershipId, retentionReview.partnershipId), eq(person.id, retentionReview.personId)))
      .leftJoin(appUser, eq(appUser.id, retentionReview.decidedBy))
      .where(and(eq(retentionReview.partnershipId, partnershipId), eq(retentionReview.id, id)))
  )[0] ?? null;
}

export async function decideReview(
  q: DbOrTx,
  partnershipId: string,
  id: string,
  version: number,
  values: { decision: 'keep' | 'destroy'; keepYears: number | null; keepUntil: string | null; reason: string; decidedBy: string | null },
) {
  return q
    .update(retentionReview)
    .set({ ...values, decidedAt: sql`now()`, updatedAt: sql`now()`, version: sql`${retentionReview.version} + 1` })
    .where(and(eq(retentionReview.partnershipId, partnershipId), eq(retentionReview.id, id), eq(retentionReview.version, version), isNull(retentionReview.decision)))
    .returning();
}

/** The lead organisation of each partnership (the job acts as it). */
export async function findPartnershipLeads(q: DbOrTx): Promise<Array<{ partnershipId: string; organisationId: string }>> {
  return rowsOf<{ partnershipId: string; organisationId: string }>(
    await q.execute(sql`
      select p.id as "partnershipId", o.id as "organisationId"
      from partnership p
      cross join lateral (select id from ${organisation} where partnership_id = p.id order by is_lead desc, name, id limit 1) o
      order by p.id`),
  );
}

/** The ids of the partnership's lead organisation(s). */
export async function findLeadOrganisationIds(q: DbOrTx, partnershipId: string): Promise<string[]> {
  return (await q.select({ id: organisation.id }).from(organisation).where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.isLead, true)))).map((r) => r.id);
}
