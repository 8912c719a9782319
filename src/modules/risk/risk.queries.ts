import { and, asc, count, desc, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { legalEvent, person } from '../register/index.ts';
import { learningReview, riskAssessment, riskEscalation, riskSettings } from './schema.ts';

/* The risk module's data layer, handed the door's handle by the service (row-level security applies). */

export type AssessmentRow = typeof riskAssessment.$inferSelect;
export type EscalationRow = typeof riskEscalation.$inferSelect;
export type LearningReviewRow = typeof learningReview.$inferSelect;

const assessor = alias(appUser, 'assessor');
const raiser = alias(appUser, 'raiser');
const decider = alias(appUser, 'decider');

/** A person's assessments, newest first, with who assessed each. */
export async function findAssessments(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ assessment: riskAssessment, assessorName: assessor.displayName, organisationName: organisation.name })
    .from(riskAssessment)
    .leftJoin(assessor, eq(assessor.id, riskAssessment.assessedBy))
    .leftJoin(organisation, eq(organisation.id, riskAssessment.assessedForOrganisationId))
    .where(and(eq(riskAssessment.partnershipId, partnershipId), eq(riskAssessment.personId, personId)))
    .orderBy(desc(riskAssessment.createdAt));
}

export async function findAssessment(q: DbOrTx, partnershipId: string, personId: string, id: string) {
  return (
    (
      await q
        .select({ assessment: riskAssessment, assessorName: assessor.displayName, organisationName: organisation.name })
        .from(riskAssessment)
        .leftJoin(assessor, eq(assessor.id, riskAssessment.assessedBy))
        .leftJoin(organisation, eq(organisation.id, riskAssessment.assessedForOrganisationId))
        .where(and(eq(riskAssessment.partnershipId, partnershipId), eq(riskAssessment.personId, personId), eq(riskAssessment.id, id)))
    )[0] ?? null
  );
}

/** The current (not superseded) assessment, locked for update when asked. */
export async function findCurrentAssessment(q: DbOrTx, partnershipId: string, personId: string, lock = false): Promise<AssessmentRow | null> {
  const query = q
    .select()
    .from(riskAssessment)
    .where(and(eq(riskAssessment.partnershipId, partnershipId), eq(riskAssessment.personId, personId), isNull(riskAssessment.supersededAt)));
  return (await (lock ? query.for('update') : query))[0] ?? null;
}

export async function insertAssessment(q: DbOrTx, values: typeof riskAssessment.$inferInsert): Promise<AssessmentRow> {
  return (await q.insert(riskAssessment).values(values).returning())[0]!;
}

/** Mark the current assessment superseded, at the version the form was opened at. */
export async function supersedeAssessment(q: DbOrTx, partnershipId: string, id: string, version: number, at: Date, by: string): Promise<AssessmentRow[]> {
  return q
    .update(riskAssessment)
    .set({ supersededAt: at, supersededBy: by, updatedAt: sql`now()`, version: sql`${riskAssessment.version} + 1` })
    .where(and(eq(riskAssessment.partnershipId, partnershipId), eq(riskAssessment.id, id), eq(riskAssessment.version, version), isNull(riskAssessment.supersededAt)))
    .returning();
}

export async function insertEscalation(q: DbOrTx, values: typeof riskEscalation.$inferInsert): Promise<EscalationRow> {
  return (await q.insert(riskEscalation).values(values).returning())[0]!;
}

const escalationColumns = { escalation: riskEscalation, raisedByName: raiser.displayName, outcomeByName: decider.displayName };

/** A person's escalations, open ones first, newest first. */
/** For the person page, not awaited (it runs with the page's other reads in one statement): the current assessment. */
export function currentAssessmentQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select()
    .from(riskAssessment)
    .where(and(eq(riskAssessment.partnershipId, partnershipId), eq(riskAssessment.personId, personId), isNull(riskAssessment.supersededAt)));
}

/** For the person page, not awaited: the open escalations, newest first. */
export function openEscalationsQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select(escalationColumns)
    .from(riskEscalation)
    .leftJoin(raiser, eq(raiser.id, riskEscalation.raisedBy))
    .leftJoin(decider, eq(decider.id, riskEscalation.outcomeBy))
    .where(and(eq(riskEscalation.partnershipId, partnershipId), eq(riskEscalation.personId, personId), eq(riskEscalation.status, 'open')))
    .orderBy(desc(riskEscalation.raisedAt));
}

export async function findEscalations(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select(escalationColumns)
    .from(riskEscalation)
    .leftJoin(raiser, eq(raiser.id, riskEscalation.raisedBy))
    .leftJoin(decider, eq(decider.id, riskEscalation.outcomeBy))
    .where(and(eq(riskEscalation.partnershipId, partnershipId), eq(riskEscalation.personId, personId)))
    .orderBy(sql`${riskEscalation.status} = 'open' desc`, desc(riskEscalation.raisedAt));
}

export async function findEscalation(q: DbOrTx, partnershipId: string, personId: string, id: string, lock = false) {
  const query = q
    .select(escalationColumns)
    .from(riskEscalation)
    .leftJoin(raiser, eq(raiser.id, riskEscalation.raisedBy))
    .leftJoin(decider, eq(decider.id, riskEscalation.outcomeBy))
    .where(and(eq(riskEscalation.partnershipId, partnershipId), eq(riskEscalation.personId, personId), eq(riskEscalation.id, id)));
  return (await (lock ? query.for('update', { of: riskEscalation }) : query))[0] ?? null;
}

export type EscalationChange = Pick<EscalationRow, 'status' | 'outcome' | 'outcomeDetail' | 'outcomeBy' | 'outcomeAt'>;

export async function updateEscalationAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: EscalationChange): Promise<EscalationRow[]> {
  return q
    .update(riskEscalation)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${riskEscalation.version} + 1` })
    .where(and(eq(riskEscalation.partnershipId, partnershipId), eq(riskEscalation.id, id), eq(riskEscalation.version, version)))
    .returning();
}

/** Open escalations about the people `visible` selects (the queue), oldest first. */
export async function findOpenEscalations(q: DbOrTx, partnershipId: string, visible: SQL) {
  return q
    .select({ escalation: riskEscalation, givenName: person.givenName, familyName: person.familyName, nhsNumber: person.nhsNumber })
    .from(riskEscalation)
    .innerJoin(person, and(eq(person.partnershipId, riskEscalation.partnershipId), eq(person.id, riskEscalation.personId)))
    .where(and(eq(riskEscalation.partnershipId, partnershipId), eq(riskEscalation.status, 'open'), visible))
    .orderBy(asc(riskEscalation.raisedAt))
    .limit(500);
}

/** Escalations closed with a crisis outcome that have no learning review yet, about the people `visible` selects (or one person). */
export async function findCrisesWithoutReview(q: DbOrTx, partnershipId: string, visible: SQL, personId?: string) {
  return q
    .select({ escalation: riskEscalation, givenName: person.givenName, familyName: person.familyName, nhsNumber: person.nhsNumber })
    .from(riskEscalation)
    .innerJoin(person, and(eq(person.partnershipId, riskEscalation.partnershipId), eq(person.id, riskEscalation.personId)))
    .leftJoin(learningReview, and(eq(learningReview.partnershipId, riskEscalation.partnershipId), eq(learningReview.triggerId, riskEscalation.id)))
    .where(and(eq(riskEscalation.partnershipId, partnershipId), eq(riskEscalation.outcome, 'crisis-team-involved'), isNull(learningReview.id), visible, personId ? eq(riskEscalation.personId, personId) : undefined))
    .orderBy(asc(riskEscalation.outcomeAt))
    .limit(500);
}

const admissionTypes = ['detention-started', 'admitted-informally'];
const hospitalTypes = [...admissionTypes, 'left-hospital'];

/**
 * The admissions and discharges (not voided) of the people `visible` selects who were admitted on
 * or after `since` (or of one person): what src/domain/risk.ts readmissionsWithinTwelveMonths reads.
 */
export async function findHospitalEvents(q: DbOrTx, partnershipId: string, visible: SQL, since: string, personId?: string) {
  const admittedSince = q
    .select({ personId: legalEvent.personId })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), inArray(legalEvent.type, admissionTypes), gte(legalEvent.occurredOn, since), isNull(legalEvent.voidedAt), personId ? eq(legalEvent.personId, personId) : undefined));
  return q
    .select({ id: legalEvent.id, personId: legalEvent.personId, type: legalEvent.type, occurredOn: legalEvent.occurredOn, sequence: legalEvent.sequence, givenName: person.givenName, familyName: person.familyName, nhsNumber: person.nhsNumber })
    .from(legalEvent)
    .innerJoin(person, and(eq(person.partnershipId, legalEvent.partnershipId), eq(person.id, legalEvent.personId)))
    .where(and(eq(legalEvent.partnershipId, partnershipId), inArray(legalEvent.type, hospitalTypes), isNull(legalEvent.voidedAt), inArray(legalEvent.personId, admittedSince), visible))
    .orderBy(asc(legalEvent.personId), asc(legalEvent.occurredOn), asc(legalEvent.sequence));
}

/** The triggers (admission events or escalations) that already have a learning review. */
export async function findReviewedTriggers(q: DbOrTx, partnershipId: string, triggerIds: string[]): Promise<Set<string>> {
  if (triggerIds.length === 0) return new Set();
  const rows = await q
    .select({ triggerId: learningReview.triggerId })
    .from(learningReview)
    .where(and(eq(learningReview.partnershipId, partnershipId), inArray(learningReview.triggerId, triggerIds)));
  return new Set(rows.map((r) => r.triggerId));
}

export async function insertLearningReview(q: DbOrTx, values: typeof learningReview.$inferInsert): Promise<LearningReviewRow | null> {
  return (await q.insert(learningReview).values(values).onConflictDoNothing().returning())[0] ?? null;
}

export async function findLearningReviews(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ review: learningReview, completedByName: appUser.displayName })
    .from(learningReview)
    .leftJoin(appUser, eq(appUser.id, learningReview.completedBy))
    .where(and(eq(learningReview.partnershipId, partnershipId), eq(learningReview.personId, personId)))
    .orderBy(desc(learningReview.completedAt));
}

/** How many learning reviews were completed about the people `visible` selects, since a time. */
export async function countLearningReviews(q: DbOrTx, partnershipId: string, visible: SQL, since: Date): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(learningReview)
    .innerJoin(person, and(eq(person.partnershipId, learningReview.partnershipId), eq(person.id, learningReview.personId)))
    .where(and(eq(learningReview.partnershipId, partnershipId), gte(learningReview.completedAt, since), visible));
  return row?.n ?? 0;
}

/** The organisations of the partnership that are the person's responsible bodies (by code) or involved with them (by id). */
export async function findRelatedOrganisations(q: DbOrTx, partnershipId: string, codes: string[], ids: readonly string[]): Promise<string[]> {
  const conditions = [
    codes.length ? inArray(organisation.code, codes) : undefined,
    codes.length ? inArray(organisation.onsCode, codes) : undefined,
    ids.length ? inArray(organisation.id, [...ids]) : undefined,
  ].filter((c): c is SQL => c !== undefined);
  if (conditions.length === 0) return [];
  const rows = await q
    .select({ id: organisation.id })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), or(...conditions)));
  return rows.map((r) => r.id);
}

export async function findRiskSettings(q: DbOrTx, partnershipId: string) {
  return (await q.select().from(riskSettings).where(eq(riskSettings.partnershipId, partnershipId)))[0] ?? null;
}

export async function ensureRiskSettings(q: DbOrTx, partnershipId: string, defaults: { low: string; medium: string; high: string }) {
  await q.insert(riskSettings).values({ partnershipId, lowDefinition: defaults.low, mediumDefinition: defaults.medium, highDefinition: defaults.high }).onConflictDoNothing();
  return (await findRiskSettings(q, partnershipId))!;
}

export async function updateRiskSettings(q: DbOrTx, partnershipId: string, version: number, values: { lowDefinition: string; mediumDefinition: string; highDefinition: string }, updatedBy: string | null) {
  return q
    .update(riskSettings)
    .set({ ...values, updatedBy, updatedAt: sql`now()`, version: sql`${riskSettings.version} + 1` })
    .where(and(eq(riskSettings.partnershipId, partnershipId), eq(riskSettings.version, version)))
    .returning();
}
