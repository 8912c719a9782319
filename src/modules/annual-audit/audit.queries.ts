import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { aftercarePlan } from '../plans/index.ts';
import { person, team } from '../register/index.ts';
import { review } from '../reviews/index.ts';
import { auditCase, auditFinding, caseAudit } from './schema.ts';

/*
 * The annual case audit's data layer. The service hands these functions the handle of its door
 * unit, so row-level security confines them to the actor's partnership; the partnership filters
 * stay as the leading index key.
 */

export type CaseAuditRow = typeof caseAudit.$inferSelect;
export type AuditCaseRow = typeof auditCase.$inferSelect;
export type FindingRow = typeof auditFinding.$inferSelect;
export type PersonRow = typeof person.$inferSelect;

export interface PreviousAuditChoice {
  id: string;
  name: string;
  periodEnd: string;
}

/** Completed audits, most recent first: the candidates to compare a new audit with. */
export async function completedAudits(q: DbOrTx, partnershipId: string): Promise<PreviousAuditChoice[]> {
  return q
    .select({ id: caseAudit.id, name: caseAudit.name, periodEnd: caseAudit.periodEnd })
    .from(caseAudit)
    .where(and(eq(caseAudit.partnershipId, partnershipId), eq(caseAudit.status, 'complete')))
    .orderBy(desc(caseAudit.periodEnd), desc(caseAudit.completedAt));
}

export interface PopulationMember {
  personId: string;
  localAuthority: string | null;
  teamId: string | null;
}

/** People matching `visible` who were entitled on at least one day of the period. */
export async function findPopulation(q: DbOrTx, visible: SQL, periodStart: string, periodEnd: string): Promise<PopulationMember[]> {
  return q
    .select({ personId: person.id, localAuthority: person.responsibleLocalAuthority, teamId: person.allocatedTeamId })
    .from(person)
    .where(
      and(
        visible,
        sql`exists (select 1 from jsonb_array_elements(coalesce(${person.decision} -> 'episodes', '[]'::jsonb)) as episode
          where episode ->> 'start' <= ${periodEnd} and (episode ->> 'end' is null or episode ->> 'end' >= ${periodStart}))`,
      ),
    );
}

export async function insertAuditWithCases(
  tx: DbOrTx,
  values: typeof caseAudit.$inferInsert,
  cases: ReadonlyArray<Omit<typeof auditCase.$inferInsert, 'partnershipId' | 'auditId'>>,
): Promise<CaseAuditRow> {
  const [created] = await tx.insert(caseAudit).values(values).returning();
  await tx.insert(auditCase).values(cases.map((c) => ({ ...c, partnershipId: values.partnershipId, auditId: created!.id })));
  return created!;
}

export async function findAudit(q: DbOrTx, partnershipId: string, auditId: string): Promise<CaseAuditRow | undefined> {
  return (await q.select().from(caseAudit).where(and(eq(caseAudit.partnershipId, partnershipId), eq(caseAudit.id, auditId))))[0];
}

export async function listAuditRows(q: DbOrTx, partnershipId: string): Promise<Array<CaseAuditRow & { cases: number; complete: number }>> {
  const rows = await q
    .select({
      a: caseAudit,
      // Written out with an alias: in a single-table select Drizzle leaves column names unqualified,
      // which inside this subquery would bind to audit_case's own partnership_id and id.
      cases: sql<number>`(select count(*)::int from audit_case ac where ac.partnership_id = case_audit.partnership_id and ac.audit_id = case_audit.id)`,
      complete: sql<number>`(select count(*)::int from audit_case ac where ac.partnership_id = case_audit.partnership_id and ac.audit_id = case_audit.id and ac.status = 'complete')`,
    })
    .from(caseAudit)
    .where(eq(caseAudit.partnershipId, partnershipId))
    .orderBy(desc(caseAudit.periodEnd), desc(caseAudit.createdAt));
  return rows.map((r) => ({ ...r.a, cases: r.cases, complete: r.complete }));
}

export async function organisationNames(q: DbOrTx, partnershipId: string): Promise<Map<string, string>> {
  const rows = await q.select({ code: organisation.code, onsCode: organisation.onsCode, name: organisation.name }).from(organisation).where(eq(organisation.partnershipId, partnershipId));
  const out = new Map<string, string>();
  for (const r of rows) {
    out.set(r.code, r.name);
    if (r.onsCode) out.set(r.onsCode, r.name);
  }
  return out;
}

export async function teamNames(q: DbOrTx, partnershipId: string): Promise<Map<string, string>> {
  const rows = await q.select({ id: team.id, name: team.name }).from(team).where(eq(team.partnershipId, partnershipId));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function casesOf(q: DbOrTx, partnershipId: string, auditId: string): Promise<AuditCaseRow[]> {
  return q.select().from(auditCase).where(and(eq(auditCase.partnershipId, partnershipId), eq(auditCase.auditId, auditId))).orderBy(asc(auditCase.position));
}

/** The audit's cases with the people sampled, in order. */
export async function casesWithPeople(q: DbOrTx, partnershipId: string, auditId: string): Promise<Array<{ c: AuditCaseRow; p: PersonRow }>> {
  return q
    .select({ c: auditCase, p: person })
    .from(auditCase)
    .innerJoin(person, and(eq(person.partnershipId, auditCase.partnershipId), eq(person.id, auditCase.personId)))
    .where(and(eq(auditCase.partnershipId, partnershipId), eq(auditCase.auditId, auditId)))
    .orderBy(asc(auditCase.position));
}

export async function findAuditName(q: DbOrTx, partnershipId: string, auditId: string): Promise<{ id: string; name: string } | null> {
  return (await q.select({ id: caseAudit.id, name: caseAudit.name }).from(caseAudit).where(and(eq(caseAudit.partnershipId, partnershipId), eq(caseAudit.id, auditId))))[0] ?? null;
}

export async function findingsWithOwners(q: DbOrTx, partnershipId: string, auditId: string): Promise<Array<{ f: FindingRow; ownerName: string | null }>> {
  return q
    .select({ f: auditFinding, ownerName: appUser.displayName })
    .from(auditFinding)
    .leftJoin(appUser, eq(appUser.id, auditFinding.ownerUserId))
    .where(and(eq(auditFinding.partnershipId, partnershipId), eq(auditFinding.auditId, auditId)))
    .orderBy(asc(auditFinding.pillar), asc(auditFinding.createdAt));
}

export async function completeAuditAtVersion(tx: DbOrTx, partnershipId: string, auditId: string, version: number, at: Date): Promise<CaseAuditRow[]> {
  return tx
    .update(caseAudit)
    .set({ status: 'complete', completedAt: at, version: version + 1, updatedAt: at })
    .where(and(eq(caseAudit.partnershipId, partnershipId), eq(caseAudit.id, auditId), eq(caseAudit.version, version)))
    .returning();
}

export async function findCase(q: DbOrTx, partnershipId: string, auditId: string, caseId: string): Promise<AuditCaseRow | undefined> {
  return (await q.select().from(auditCase).where(and(eq(auditCase.partnershipId, partnershipId), eq(auditCase.auditId, auditId), eq(auditCase.id, caseId))))[0];
}

export async function countCases(q: DbOrTx, partnershipId: string, auditId: string): Promise<number> {
  const [n] = await q.select({ n: sql<number>`count(*)::int` }).from(auditCase).where(and(eq(auditCase.partnershipId, partnershipId), eq(auditCase.auditId, auditId)));
  return n?.n ?? 0;
}

/** The person's plans, newest first (status and approval time). */
export async function plansOf(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ status: aftercarePlan.status, approvedAt: aftercarePlan.approvedAt })
    .from(aftercarePlan)
    .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId)))
    .orderBy(desc(aftercarePlan.planNumber));
}

/** The day of the person's last completed review, if any. */
export async function lastReviewOn(q: DbOrTx, partnershipId: string, personId: string): Promise<string | null> {
  const rows = await q
    .select({ heldOn: sql<string | null>`max(${review.heldOn})::text` })
    .from(review)
    .where(and(eq(review.partnershipId, partnershipId), eq(review.personId, personId), eq(review.status, 'completed')));
  return rows[0]?.heldOn ?? null;
}

export async function updateCaseAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  caseId: string,
  version: number,
  changes: Pick<AuditCaseRow, 'answers' | 'summary' | 'status' | 'score' | 'completedAt' | 'auditorId' | 'updatedAt'>,
): Promise<AuditCaseRow[]> {
  return tx
    .update(auditCase)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(auditCase.partnershipId, partnershipId), eq(auditCase.id, caseId), eq(auditCase.version, version)))
    .returning();
}

export interface UserChoice {
  id: string;
  displayName: string;
}

/** Active users of the partnership: who can own an action. */
export async function partnershipUsers(q: DbOrTx, partnershipId: string): Promise<UserChoice[]> {
  return q
    .select({ id: appUser.id, displayName: appUser.displayName })
    .from(appUser)
    .where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.active, true)))
    .orderBy(asc(appUser.displayName));
}

export async function insertFinding(tx: DbOrTx, values: typeof auditFinding.$inferInsert): Promise<FindingRow> {
  return (await tx.insert(auditFinding).values(values).returning())[0]!;
}

export async function findFinding(q: DbOrTx, partnershipId: string, auditId: string, findingId: string): Promise<FindingRow | undefined> {
  return (await q.select().from(auditFinding).where(and(eq(auditFinding.partnershipId, partnershipId), eq(auditFinding.auditId, auditId), eq(auditFinding.id, findingId))))[0];
}

export async function updateFindingStatusAtVersion(tx: DbOrTx, partnershipId: string, findingId: string, version: number, status: FindingRow['status'], at: Date): Promise<FindingRow[]> {
  return tx
    .update(auditFinding)
    .set({ status, version: version + 1, updatedAt: at })
    .where(and(eq(auditFinding.partnershipId, partnershipId), eq(auditFinding.id, findingId), eq(auditFinding.version, version)))
    .returning();
}
