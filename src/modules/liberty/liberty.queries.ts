import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { appUser } from '../../platform/db/schema.ts';
import { capacityAssessment } from '../capacity/index.ts';
import { person } from '../register/index.ts';
import { libertyAuthorisation, libertyChallenge, libertyConsideration, libertySettings } from './schema.ts';

/* The liberty module's data layer, handed the door's handle by the service (row-level security applies). */

export type ConsiderationRow = typeof libertyConsideration.$inferSelect;
export type AuthorisationRow = typeof libertyAuthorisation.$inferSelect;
export type ChallengeRow = typeof libertyChallenge.$inferSelect;

const recorder = alias(appUser, 'recorder');
const responsible = alias(appUser, 'responsible');

/* ---------- Considerations (the acid test) ---------- */

export async function findConsiderations(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ consideration: libertyConsideration, recordedByName: recorder.displayName })
    .from(libertyConsideration)
    .leftJoin(recorder, eq(recorder.id, libertyConsideration.recordedBy))
    .where(and(eq(libertyConsideration.partnershipId, partnershipId), eq(libertyConsideration.personId, personId)))
    .orderBy(desc(libertyConsideration.consideredOn), desc(libertyConsideration.createdAt));
}

export async function insertConsideration(q: DbOrTx, values: typeof libertyConsideration.$inferInsert): Promise<ConsiderationRow> {
  return (await q.insert(libertyConsideration).values(values).returning())[0]!;
}

/** The person's most recent completed capacity assessment (issue 16, item 2), to cite in the acid test. */
export async function findLatestCompletedAssessment(q: DbOrTx, partnershipId: string, personId: string) {
  return (
    (
      await q
        .select({ id: capacityAssessment.id, decision: capacityAssessment.decision, assessedAt: capacityAssessment.assessedAt, outcome: capacityAssessment.outcome })
        .from(capacityAssessment)
        .where(and(eq(capacityAssessment.partnershipId, partnershipId), eq(capacityAssessment.personId, personId), eq(capacityAssessment.status, 'completed')))
        .orderBy(desc(capacityAssessment.assessedAt))
        .limit(1)
    )[0] ?? null
  );
}

/* ---------- The plan prompt ---------- */

/**
 * A plan's lines the prompt reads: each service's type code and words (type and frequency), each
 * enhanced accommodation need's feature. Read by name from the plans tables (the plans module
 * reads liberty for its page, so liberty does not import plans). `planId` null: the person's
 * current plan, the newest that is not superseded.
 */
export async function findPlanLines(q: DbOrTx, partnershipId: string, personId: string, planId: string | null) {
  const plan = planId
    ? sql`(select id, plan_number from aftercare_plan where partnership_id = ${partnershipId} and person_id = ${personId} and id = ${planId})`
    : sql`(select id, plan_number from aftercare_plan where partnership_id = ${partnershipId} and person_id = ${personId} and status <> 'superseded' order by plan_number desc limit 1)`;
  const result = await q.execute(sql`
    with p as ${plan}
    select p.id::text as plan_id, p.plan_number, 'service' as kind, s.service_type_code as code, s.service_type as label, s.service_type || ' ' || s.frequency as words,
      exists (select 1 from liberty_consideration c where c.partnership_id = ${partnershipId} and c.person_id = ${personId} and c.plan_id = p.id) as considered
      from p join plan_service s on s.partnership_id = ${partnershipId} and s.plan_id = p.id
    union all
    select p.id::text, p.plan_number, 'need', null, n.description, coalesce(n.accommodation_feature, ''),
      exists (select 1 from liberty_consideration c where c.partnership_id = ${partnershipId} and c.person_id = ${personId} and c.plan_id = p.id)
      from p join plan_need n on n.partnership_id = ${partnershipId} and n.plan_id = p.id
      where n.accommodation_enhanced`);
  return rowsOf<{ plan_id: string; plan_number: number; kind: 'service' | 'need'; code: string | null; label: string; words: string; considered: boolean }>(result);
}

export async function isPlanOf(q: DbOrTx, partnershipId: string, personId: string, planId: string): Promise<boolean> {
  const result = await q.execute(sql`select 1 from aftercare_plan where partnership_id = ${partnershipId} and person_id = ${personId} and id = ${planId}`);
  return rowsOf(result).length > 0;
}

/* ---------- Authorisations and orders ---------- */

const authorisationColumns = { authorisation: libertyAuthorisation, responsibleName: responsible.displayName };

export async function findAuthorisations(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select(authorisationColumns)
    .from(libertyAuthorisation)
    .leftJoin(responsible, eq(responsible.id, libertyAuthorisation.responsibleUserId))
    .where(and(eq(libertyAuthorisation.partnershipId, partnershipId), eq(libertyAuthorisation.personId, personId)))
    .orderBy(desc(libertyAuthorisation.requestedOn), desc(libertyAuthorisation.createdAt));
}

export async function findAuthorisation(q: DbOrTx, partnershipId: string, personId: string, id: string, lock = false) {
  const query = q
    .select(authorisationColumns)
    .from(libertyAuthorisation)
    .leftJoin(responsible, eq(responsible.id, libertyAuthorisation.responsibleUserId))
    .where(and(eq(libertyAuthorisation.partnershipId, partnershipId), eq(libertyAuthorisation.personId, personId), eq(libertyAuthorisation.id, id)));
  return (await (lock ? query.for('update', { of: libertyAuthorisation }) : query))[0] ?? null;
}

export async function insertAuthorisation(q: DbOrTx, values: typeof libertyAuthorisation.$inferInsert): Promise<AuthorisationRow> {
  return (await q.insert(libertyAuthorisation).values(values).returning())[0]!;
}

export type AuthorisationChange = Omit<typeof libertyAuthorisation.$inferInsert, 'partnershipId' | 'id' | 'personId' | 'basis' | 'createdAt' | 'updatedAt' | 'version' | 'responsibleUserId' | 'recordedForOrganisationId' | 'considerationId'>;

export async function updateAuthorisationAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: AuthorisationChange): Promise<AuthorisationRow[]> {
  return q
    .update(libertyAuthorisation)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${libertyAuthorisation.version} + 1` })
    .where(and(eq(libertyAuthorisation.partnershipId, partnershipId), eq(libertyAuthorisation.id, id), eq(libertyAuthorisation.version, version)))
    .returning();
}

/**
 * Authorisations and orders that may be due on or before `until` (the domain decides exactly,
 * renewalDue): granted with an end or review date by then, or an urgent authorisation still
 * undecided ending by `urgentUntil`; for one responsible user (the queue) or anyone (the job),
 * about the people `visible` selects.
 */
export async function findPossiblyDue(q: DbOrTx, partnershipId: string, until: string, urgentUntil: string, visible: SQL | undefined, userId: string | null) {
  const a = libertyAuthorisation;
  return q
    .select({ authorisation: a, givenName: person.givenName, familyName: person.familyName, nhsNumber: person.nhsNumber })
    .from(a)
    .innerJoin(person, and(eq(person.partnershipId, a.partnershipId), eq(person.id, a.personId)))
    .where(
      and(
        eq(a.partnershipId, partnershipId),
        sql`((${a.outcome} = 'granted' and coalesce(${a.endsOn}, ${a.reviewOn}) <= ${until}) or (${a.outcome} is null and ${a.urgentGivenOn} is not null and coalesce(${a.urgentExtendedTo}, ${a.urgentEndsOn}) <= ${urgentUntil}))`,
        userId ? eq(a.responsibleUserId, userId) : undefined,
        visible,
      ),
    )
    .orderBy(asc(sql`coalesce(${a.endsOn}, ${a.reviewOn}, ${a.urgentExtendedTo}, ${a.urgentEndsOn})`))
    .limit(500);
}

/* ---------- Section 21A challenges ---------- */

export async function findChallenges(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select()
    .from(libertyChallenge)
    .where(and(eq(libertyChallenge.partnershipId, partnershipId), eq(libertyChallenge.personId, personId)))
    .orderBy(desc(libertyChallenge.appliedOn), desc(libertyChallenge.createdAt));
}

export async function findChallenge(q: DbOrTx, partnershipId: string, personId: string, id: string, lock = false) {
  const query = q
    .select()
    .from(libertyChallenge)
    .where(and(eq(libertyChallenge.partnershipId, partnershipId), eq(libertyChallenge.personId, personId), eq(libertyChallenge.id, id)));
  return (await (lock ? query.for('update') : query))[0] ?? null;
}

export async function insertChallenge(q: DbOrTx, values: typeof libertyChallenge.$inferInsert): Promise<ChallengeRow> {
  return (await q.insert(libertyChallenge).values(values).returning())[0]!;
}

export async function updateChallengeAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: Pick<ChallengeRow, 'directionsOn' | 'hearingOn' | 'outcome' | 'outcomeOn' | 'notes'>): Promise<ChallengeRow[]> {
  return q
    .update(libertyChallenge)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${libertyChallenge.version} + 1` })
    .where(and(eq(libertyChallenge.partnershipId, partnershipId), eq(libertyChallenge.id, id), eq(libertyChallenge.version, version)))
    .returning();
}

/* ---------- Settings ---------- */

export async function findLibertySettings(q: DbOrTx, partnershipId: string) {
  return (await q.select().from(libertySettings).where(eq(libertySettings.partnershipId, partnershipId)))[0] ?? null;
}

export async function ensureLibertySettings(q: DbOrTx, partnershipId: string, renewalDays: number) {
  await q.insert(libertySettings).values({ partnershipId, renewalDays }).onConflictDoNothing();
  return (await findLibertySettings(q, partnershipId))!;
}

export async function updateLibertySettings(q: DbOrTx, partnershipId: string, version: number, renewalDays: number, updatedBy: string | null) {
  return q
    .update(libertySettings)
    .set({ renewalDays, updatedBy, updatedAt: sql`now()`, version: sql`${libertySettings.version} + 1` })
    .where(and(eq(libertySettings.partnershipId, partnershipId), eq(libertySettings.version, version)))
    .returning();
}
