import { and, asc, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { planStatusLabels } from '../plans/index.ts';
import { person } from '../register/index.ts';
import { bestInterestsDecision, capacityAssessment, capacitySettings, imcaInstruction } from './schema.ts';

/* The capacity module's data layer, handed the door's handle by the service (row-level security applies). */

export type CapacityRow = typeof capacityAssessment.$inferSelect;
export type BestInterestsRow = typeof bestInterestsDecision.$inferSelect;
export type ImcaRow = typeof imcaInstruction.$inferSelect;

const assessor = alias(appUser, 'assessor');
const recorder = alias(appUser, 'recorder');
const instructor = alias(appUser, 'instructor');

const assessmentColumns = { assessment: capacityAssessment, assessorName: assessor.displayName, organisationName: organisation.name };

/** A person's capacity assessments, newest first (by when assessed, drafts without a time by when started). */
export async function findAssessments(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select(assessmentColumns)
    .from(capacityAssessment)
    .leftJoin(assessor, eq(assessor.id, capacityAssessment.assessedBy))
    .leftJoin(organisation, eq(organisation.id, capacityAssessment.assessedForOrganisationId))
    .where(and(eq(capacityAssessment.partnershipId, partnershipId), eq(capacityAssessment.personId, personId)))
    .orderBy(desc(sql`coalesce(${capacityAssessment.assessedAt}, ${capacityAssessment.createdAt})`), desc(capacityAssessment.createdAt));
}

export async function findAssessment(q: DbOrTx, partnershipId: string, personId: string, id: string, lock = false) {
  const query = q
    .select(assessmentColumns)
    .from(capacityAssessment)
    .leftJoin(assessor, eq(assessor.id, capacityAssessment.assessedBy))
    .leftJoin(organisation, eq(organisation.id, capacityAssessment.assessedForOrganisationId))
    .where(and(eq(capacityAssessment.partnershipId, partnershipId), eq(capacityAssessment.personId, personId), eq(capacityAssessment.id, id)));
  return (await (lock ? query.for('update', { of: capacityAssessment }) : query))[0] ?? null;
}

/** For the person page, not awaited (it runs with the page's other reads in one statement): the newest assessments. */
export function recentAssessmentsQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ id: capacityAssessment.id, status: capacityAssessment.status, topic: capacityAssessment.topic, decision: capacityAssessment.decision, assessedAt: capacityAssessment.assessedAt, outcome: capacityAssessment.outcome })
    .from(capacityAssessment)
    .where(and(eq(capacityAssessment.partnershipId, partnershipId), eq(capacityAssessment.personId, personId)))
    .orderBy(desc(sql`coalesce(${capacityAssessment.assessedAt}, ${capacityAssessment.createdAt})`))
    .limit(5);
}

export async function insertAssessment(q: DbOrTx, values: typeof capacityAssessment.$inferInsert): Promise<CapacityRow> {
  return (await q.insert(capacityAssessment).values(values).returning())[0]!;
}

export type AssessmentChange = Omit<typeof capacityAssessment.$inferInsert, 'partnershipId' | 'id' | 'personId' | 'createdAt' | 'updatedAt' | 'version' | 'assessedBy' | 'assessedForOrganisationId'>;

/** Change a draft, at the version the form was opened at. */
export async function updateDraftAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: AssessmentChange): Promise<CapacityRow[]> {
  return q
    .update(capacityAssessment)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${capacityAssessment.version} + 1` })
    .where(and(eq(capacityAssessment.partnershipId, partnershipId), eq(capacityAssessment.id, id), eq(capacityAssessment.version, version), eq(capacityAssessment.status, 'draft')))
    .returning();
}

/**
 * The most recent completed assessment about ending aftercare (its topic, or attached to an
 * ending proposal), for the ending checklist.
 */
export async function findLatestAboutEnding(q: DbOrTx, partnershipId: string, personId: string) {
  return (
    (
      await q
        .select(assessmentColumns)
        .from(capacityAssessment)
        .leftJoin(assessor, eq(assessor.id, capacityAssessment.assessedBy))
        .leftJoin(organisation, eq(organisation.id, capacityAssessment.assessedForOrganisationId))
        .where(
          and(
            eq(capacityAssessment.partnershipId, partnershipId),
            eq(capacityAssessment.personId, personId),
            eq(capacityAssessment.status, 'completed'),
            or(eq(capacityAssessment.topic, 'ending-aftercare'), eq(capacityAssessment.attachedKind, 'ending')),
          ),
        )
        .orderBy(desc(capacityAssessment.assessedAt))
        .limit(1)
    )[0] ?? null
  );
}

/** An ending proposal's status in words (the endings module's own labels; endings reads capacity, so capacity does not import it). */
const endingStatusWords: Record<string, string> = { proposed: 'waiting for decisions', declined: 'declined', withdrawn: 'withdrawn', recorded: 'recorded' };

/** `case <column> when 'code' then 'Label' … end`: a stored code shown by its label. */
function labelled(column: SQL, labels: Record<string, string>): SQL {
  return sql`(case ${column} ${sql.join(
    Object.entries(labels).map(([code, label]) => sql`when ${code} then ${label.toLowerCase()}::text`),
    sql` `,
  )} else ${column} end)`;
}

/**
 * What an outcome may be attached to, for the form: the person's plan needs, plans and ending
 * proposals, each with a label. Read by name from the plans and endings tables (the modules that
 * own them read capacity, so capacity does not import them).
 */
export async function findAttachable(q: DbOrTx, partnershipId: string, personId: string) {
  const result = await q.execute(sql`
    select 'need' as kind, n.id::text as id, 'Plan ' || p.plan_number || ': ' || n.description as label, p.plan_number as n1, n.created_at as at
      from plan_need n join aftercare_plan p on p.partnership_id = n.partnership_id and p.id = n.plan_id
      where n.partnership_id = ${partnershipId} and n.person_id = ${personId}
    union all
    select 'plan', id::text, 'Aftercare plan ' || plan_number || ' (' || ${labelled(sql`status::text`, planStatusLabels)} || ')', plan_number, created_at
      from aftercare_plan where partnership_id = ${partnershipId} and person_id = ${personId}
    union all
    select 'ending', id::text, case kind when 'reinstatement' then 'Reinstatement' else 'Ending' end || ' proposed for ' || to_char(effective_on, 'FMDD FMMonth YYYY') || ' (' || ${labelled(sql`status::text`, endingStatusWords)} || ')', 0, created_at
      from ending_proposal where partnership_id = ${partnershipId} and person_id = ${personId}
    order by 1, 4 desc, 5 desc
    limit 200`);
  return rowsOf<{ kind: 'need' | 'plan' | 'ending'; id: string; label: string }>(result);
}

/* ---------- Best interests and IMCA ---------- */

const biColumns = { decision: bestInterestsDecision, recordedByName: recorder.displayName, assessmentDecision: capacityAssessment.decision, assessmentTopic: capacityAssessment.topic, assessmentAssessedAt: capacityAssessment.assessedAt };

export async function findBestInterestsDecisions(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select(biColumns)
    .from(bestInterestsDecision)
    .leftJoin(recorder, eq(recorder.id, bestInterestsDecision.recordedBy))
    .innerJoin(capacityAssessment, and(eq(capacityAssessment.partnershipId, bestInterestsDecision.partnershipId), eq(capacityAssessment.id, bestInterestsDecision.capacityAssessmentId)))
    .where(and(eq(bestInterestsDecision.partnershipId, partnershipId), eq(bestInterestsDecision.personId, personId)))
    .orderBy(desc(bestInterestsDecision.decidedOn), desc(bestInterestsDecision.createdAt));
}

export async function findBestInterestsDecision(q: DbOrTx, partnershipId: string, personId: string, id: string) {
  return (
    (
      await q
        .select(biColumns)
        .from(bestInterestsDecision)
        .leftJoin(recorder, eq(recorder.id, bestInterestsDecision.recordedBy))
        .innerJoin(capacityAssessment, and(eq(capacityAssessment.partnershipId, bestInterestsDecision.partnershipId), eq(capacityAssessment.id, bestInterestsDecision.capacityAssessmentId)))
        .where(and(eq(bestInterestsDecision.partnershipId, partnershipId), eq(bestInterestsDecision.personId, personId), eq(bestInterestsDecision.id, id)))
    )[0] ?? null
  );
}

export async function insertBestInterests(q: DbOrTx, values: typeof bestInterestsDecision.$inferInsert): Promise<BestInterestsRow> {
  return (await q.insert(bestInterestsDecision).values(values).returning())[0]!;
}

const imcaColumns = { instruction: imcaInstruction, instructedByName: instructor.displayName };

export async function findImcaInstructions(q: DbOrTx, partnershipId: string, personId: string, bestInterestsId?: string) {
  return q
    .select(imcaColumns)
    .from(imcaInstruction)
    .leftJoin(instructor, eq(instructor.id, imcaInstruction.instructedBy))
    .where(and(eq(imcaInstruction.partnershipId, partnershipId), eq(imcaInstruction.personId, personId), bestInterestsId ? eq(imcaInstruction.bestInterestsId, bestInterestsId) : undefined))
    .orderBy(asc(imcaInstruction.instructedOn), asc(imcaInstruction.createdAt));
}

export async function findImcaInstruction(q: DbOrTx, partnershipId: string, personId: string, id: string, lock = false) {
  const query = q
    .select(imcaColumns)
    .from(imcaInstruction)
    .leftJoin(instructor, eq(instructor.id, imcaInstruction.instructedBy))
    .where(and(eq(imcaInstruction.partnershipId, partnershipId), eq(imcaInstruction.personId, personId), eq(imcaInstruction.id, id)));
  return (await (lock ? query.for('update', { of: imcaInstruction }) : query))[0] ?? null;
}

export async function insertImca(q: DbOrTx, values: typeof imcaInstruction.$inferInsert): Promise<ImcaRow> {
  return (await q.insert(imcaInstruction).values(values).returning())[0]!;
}

export async function recordImcaReportAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: { reportReceivedOn: string; reportSummary: string; reportRecordedBy: string | null }): Promise<ImcaRow[]> {
  return q
    .update(imcaInstruction)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${imcaInstruction.version} + 1` })
    .where(and(eq(imcaInstruction.partnershipId, partnershipId), eq(imcaInstruction.id, id), eq(imcaInstruction.version, version), isNull(imcaInstruction.reportReceivedOn)))
    .returning();
}

/**
 * Instructions without a report, instructed on or before `instructedBy`, made by one user (the
 * queue) or by anyone (the reminder job), about the people `visible` selects.
 */
export async function findImcaReportsOverdue(q: DbOrTx, partnershipId: string, instructedOnOrBefore: string, visible: SQL | undefined, userId: string | null) {
  return q
    .select({ instruction: imcaInstruction, givenName: person.givenName, familyName: person.familyName, nhsNumber: person.nhsNumber })
    .from(imcaInstruction)
    .innerJoin(person, and(eq(person.partnershipId, imcaInstruction.partnershipId), eq(person.id, imcaInstruction.personId)))
    .where(
      and(
        eq(imcaInstruction.partnershipId, partnershipId),
        isNull(imcaInstruction.reportReceivedOn),
        sql`${imcaInstruction.instructedOn} <= ${instructedOnOrBefore}`,
        userId ? eq(imcaInstruction.instructedBy, userId) : undefined,
        visible,
      ),
    )
    .orderBy(asc(imcaInstruction.instructedOn))
    .limit(500);
}

/* ---------- Settings ---------- */

export async function findCapacitySettings(q: DbOrTx, partnershipId: string) {
  return (await q.select().from(capacitySettings).where(eq(capacitySettings.partnershipId, partnershipId)))[0] ?? null;
}

export async function ensureCapacitySettings(q: DbOrTx, partnershipId: string, imcaReportDays: number) {
  await q.insert(capacitySettings).values({ partnershipId, imcaReportDays }).onConflictDoNothing();
  return (await findCapacitySettings(q, partnershipId))!;
}

export async function updateCapacitySettings(q: DbOrTx, partnershipId: string, version: number, imcaReportDays: number, updatedBy: string | null) {
  return q
    .update(capacitySettings)
    .set({ imcaReportDays, updatedBy, updatedAt: sql`now()`, version: sql`${capacitySettings.version} + 1` })
    .where(and(eq(capacitySettings.partnershipId, partnershipId), eq(capacitySettings.version, version)))
    .returning();
}
