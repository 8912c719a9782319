import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { legalEvent, person, task, team } from '../register/index.ts';
import type { CellValue, Mapping } from '../../domain/legacy-register.ts';
import { importedFunding, importMapping, registerImport, registerImportRow } from './schema.ts';

/*
 * The register import's data layer: every statement the import makes, each taking the handle
 * its caller holds (a unit of work of the door, which filters and checks the partnership). The
 * planner's reads (what the register holds already), set
 * out as named functions taking the handle the caller holds. The SQL is unchanged from when it
 * lived in plan.ts: the import's benchmark (bench/import.ts) depends on it.
 */

export async function findPartnershipOrganisations(q: DbOrTx, partnershipId: string) {
  return q
    .select({ id: organisation.id, type: organisation.type, code: organisation.code, onsCode: organisation.onsCode, name: organisation.name })
    .from(organisation)
    .where(eq(organisation.partnershipId, partnershipId));
}

export async function findPartnershipTeams(q: DbOrTx, partnershipId: string) {
  return q.select({ id: team.id, name: team.name, organisationId: team.organisationId }).from(team).where(eq(team.partnershipId, partnershipId));
}

export async function findPartnershipUsers(q: DbOrTx, partnershipId: string) {
  return q.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(eq(appUser.partnershipId, partnershipId));
}

/** The stored decision's summary columns of the people with these NHS numbers, not the decision itself (kilobytes a person). */
export async function findPeopleByNhsNumbers(q: DbOrTx, partnershipId: string, nhsNumbers: string[]) {
  return q
    .select({
      id: person.id,
      nhsNumber: person.nhsNumber,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      postcode: person.postcode,
      allocatedTeamId: person.allocatedTeamId,
      leadPractitionerId: person.leadPractitionerId,
      involvedOrganisations: person.involvedOrganisations,
      status: person.status,
      entitlementStart: person.entitlementStart,
      responsibleLocalAuthority: person.responsibleLocalAuthority,
      responsibleIcb: person.responsibleIcb,
      nextReviewDue: person.nextReviewDue,
      flags: person.flags,
    })
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), inArray(person.nhsNumber, nhsNumbers)));
}

export async function findEventsByExternalIds(q: DbOrTx, partnershipId: string, externalIds: string[]) {
  return q
    .select({ externalId: legalEvent.externalId, personId: legalEvent.personId, type: legalEvent.type, occurredOn: legalEvent.occurredOn, payload: legalEvent.payload })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), inArray(legalEvent.externalId, externalIds)));
}

/** Tasks of one kind already raised for these people. */
export async function findTasksOfKind(q: DbOrTx, partnershipId: string, personIds: string[], kind: string) {
  return q
    .select({ personId: task.personId })
    .from(task)
    .where(and(eq(task.partnershipId, partnershipId), inArray(task.personId, personIds), eq(task.kind, kind)));
}

/** The people's legal histories (events not voided). */
export async function findHistories(q: DbOrTx, partnershipId: string, personIds: string[]) {
  return q
    .select({ id: legalEvent.id, personId: legalEvent.personId, type: legalEvent.type, occurredOn: legalEvent.occurredOn, payload: legalEvent.payload, sequence: legalEvent.sequence })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), inArray(legalEvent.personId, personIds), isNull(legalEvent.voidedAt)));
}

export async function findOpenFlagTasks(q: DbOrTx, partnershipId: string, personIds: string[]) {
  return q
    .select({ id: task.id, personId: task.personId, flag: task.flag })
    .from(task)
    .where(and(eq(task.partnershipId, partnershipId), inArray(task.personId, personIds), eq(task.kind, 'flag'), eq(task.status, 'open')));
}

/** What the check decided for a row. */
export type Outcome = 'create' | 'update' | 'unchanged' | 'reject';

/** A row of the file as staged: its number in the file and its cells by heading. */
export interface StagedRow {
  rowNumber: number;
  cells: Record<string, CellValue>;
}

// ---------------------------------------------------------------------------
// The import itself: its row, its staged rows, its mappings
// ---------------------------------------------------------------------------

export type ImportRow = typeof registerImport.$inferSelect;
export type NewImport = typeof registerImport.$inferInsert;
export type ImportChanges = Partial<Omit<NewImport, 'id' | 'partnershipId'>>;

/** Rows as one JSON parameter for `jsonb_to_recordset`: one statement, one parameter, however many rows. */
const asJson = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

export async function listOrganisationsByName(q: DbOrTx, partnershipId: string) {
  return q
    .select({ id: organisation.id, name: organisation.name, code: organisation.code })
    .from(organisation)
    .where(eq(organisation.partnershipId, partnershipId))
    .orderBy(asc(organisation.name));
}

export async function insertImport(q: DbOrTx, values: NewImport): Promise<ImportRow> {
  const [created] = await q.insert(registerImport).values(values).returning();
  return created!;
}

export async function stageRows(q: DbOrTx, partnershipId: string, importId: string, rows: Array<{ rowNumber: number; cells: unknown }>): Promise<void> {
  await q.execute(sql`
    insert into register_import_row (partnership_id, import_id, row_number, cells, outcome, reasons)
    select ${partnershipId}, ${importId}, x.n, x.cells, 'reject', array['Not checked yet']
    from jsonb_to_recordset(${asJson(rows.map((r) => ({ n: r.rowNumber, cells: r.cells })))}) as x(n int, cells jsonb)`);
}

export async function findImport(q: DbOrTx, partnershipId: string, id: string): Promise<ImportRow | undefined> {
  return (await q.select().from(registerImport).where(and(eq(registerImport.partnershipId, partnershipId), eq(registerImport.id, id))))[0];
}

export async function findRecentImports(q: DbOrTx, partnershipId: string, organisationIds: string[], limit: number): Promise<ImportRow[]> {
  return q
    .select()
    .from(registerImport)
    .where(and(eq(registerImport.partnershipId, partnershipId), inArray(registerImport.organisationId, organisationIds)))
    .orderBy(desc(registerImport.createdAt))
    .limit(limit);
}

/**
 * Change an import's row; with `expectedVersion`, only if nobody has changed it since
 * (undefined when they have). Every change moves the version on.
 */
export async function updateImport(q: DbOrTx, partnershipId: string, id: string, changes: ImportChanges, expectedVersion?: number): Promise<ImportRow | undefined> {
  const [updated] = await q
    .update(registerImport)
    .set({ ...changes, updatedAt: new Date(), version: sql`${registerImport.version} + 1` })
    .where(and(eq(registerImport.partnershipId, partnershipId), eq(registerImport.id, id), expectedVersion === undefined ? undefined : eq(registerImport.version, expectedVersion)))
    .returning();
  return updated;
}

/** Progress others can see while the import runs (not a change of the import's version). */
export async function setProgress(q: DbOrTx, partnershipId: string, id: string, processed: number): Promise<void> {
  await q.update(registerImport).set({ processedRows: processed }).where(and(eq(registerImport.partnershipId, partnershipId), eq(registerImport.id, id)));
}

export async function listMappingRows(q: DbOrTx, partnershipId: string) {
  return q.select().from(importMapping).where(eq(importMapping.partnershipId, partnershipId)).orderBy(asc(importMapping.name));
}

export async function upsertMapping(q: DbOrTx, values: { partnershipId: string; name: string; columns: Mapping; options: { dayFirst: boolean }; updatedBy: string | null }) {
  const [saved] = await q
    .insert(importMapping)
    .values(values)
    .onConflictDoUpdate({
      target: [importMapping.partnershipId, importMapping.name],
      set: { columns: values.columns, options: values.options, updatedBy: values.updatedBy, updatedAt: new Date(), version: sql`${importMapping.version} + 1` },
    })
    .returning();
  return saved!;
}

export async function findStagedRows(q: DbOrTx, partnershipId: string, importId: string): Promise<Array<StagedRow & { outcome: Outcome; reasons: string[] }>> {
  const rows = await q
    .select({ rowNumber: registerImportRow.rowNumber, cells: registerImportRow.cells, outcome: registerImportRow.outcome, reasons: registerImportRow.reasons })
    .from(registerImportRow)
    .where(and(eq(registerImportRow.partnershipId, partnershipId), eq(registerImportRow.importId, importId)))
    .orderBy(asc(registerImportRow.rowNumber));
  return rows as Array<StagedRow & { outcome: Outcome; reasons: string[] }>;
}

/** Each row's outcome, reasons, record and NHS number, in one statement for the whole batch. */
export async function storeRowOutcomes(
  q: DbOrTx,
  partnershipId: string,
  importId: string,
  rows: Array<{ rowNumber: number; outcome: Outcome; reasons: string[]; record: unknown; nhsNumber: string | null }>,
): Promise<void> {
  const json = JSON.stringify(rows.map((r) => ({ n: r.rowNumber, o: r.outcome, r: r.reasons, rec: r.record, nhs: r.nhsNumber })));
  await q.execute(sql`
    update register_import_row t
    set outcome = x.o::import_row_outcome, reasons = array(select jsonb_array_elements_text(x.r)), record = x.rec, nhs_number = x.nhs
    from jsonb_to_recordset(${json}::jsonb) as x(n int, o text, r jsonb, rec jsonb, nhs text)
    where t.partnership_id = ${partnershipId} and t.import_id = ${importId} and t.row_number = x.n`);
}

export async function countRows(q: DbOrTx, partnershipId: string, importId: string, outcome: Outcome | undefined): Promise<number> {
  const [{ total }] = (await q
    .select({ total: sql<number>`count(*)::int` })
    .from(registerImportRow)
    .where(and(eq(registerImportRow.partnershipId, partnershipId), eq(registerImportRow.importId, importId), outcome ? eq(registerImportRow.outcome, outcome) : undefined))) as [{ total: number }];
  return total;
}

export async function findRowsPage(q: DbOrTx, partnershipId: string, importId: string, outcome: Outcome | undefined, limit: number, offset: number) {
  return q
    .select({ rowNumber: registerImportRow.rowNumber, outcome: registerImportRow.outcome, reasons: registerImportRow.reasons, nhsNumber: registerImportRow.nhsNumber, record: registerImportRow.record, appliedAt: registerImportRow.appliedAt })
    .from(registerImportRow)
    .where(and(eq(registerImportRow.partnershipId, partnershipId), eq(registerImportRow.importId, importId), outcome ? eq(registerImportRow.outcome, outcome) : undefined))
    .orderBy(asc(registerImportRow.rowNumber))
    .limit(limit)
    .offset(offset);
}

export async function findRejectedRows(q: DbOrTx, partnershipId: string, importId: string) {
  return q
    .select({ rowNumber: registerImportRow.rowNumber, cells: registerImportRow.cells, reasons: registerImportRow.reasons })
    .from(registerImportRow)
    .where(and(eq(registerImportRow.partnershipId, partnershipId), eq(registerImportRow.importId, importId), eq(registerImportRow.outcome, 'reject')))
    .orderBy(asc(registerImportRow.rowNumber));
}

// ---------------------------------------------------------------------------
// Writing a batch of the plan: a handful of multi-row statements for 1,000 people
// ---------------------------------------------------------------------------

export interface NewPersonRow {
  id: string; nhs: string; given: string; family: string; dob: string | null; postcode: string | null; team: string | null; lead: string | null;
  involved: string[]; status: string; es: string | null; rla: string | null; ricb: string | null; nrd: string | null; flags: string[]; lp: string[]; decision: unknown;
}
export type PersonUpdateRow = Omit<NewPersonRow, 'nhs' | 'given' | 'family' | 'dob'>;

export async function insertPeople(q: DbOrTx, partnershipId: string, recordedBy: string, decidedOn: string, rows: NewPersonRow[]): Promise<void> {
  await q.execute(sql`
    insert into person (partnership_id, id, nhs_number, given_name, family_name, date_of_birth, postcode, allocated_team_id, lead_practitioner_id,
      recorded_by_organisation_id, involved_organisations, status, entitlement_start, responsible_local_authority, responsible_icb, next_review_due,
      flags, legal_position, decision, decided_on)
    select ${partnershipId}, x.id, x.nhs, x.given, x.family, x.dob, x.postcode, x.team, x.lead, ${recordedBy},
      array(select jsonb_array_elements_text(x.involved))::uuid[], x.status, x.es, x.rla, x.ricb, x.nrd,
      array(select jsonb_array_elements_text(x.flags)), array(select jsonb_array_elements_text(x.lp)), x.decision, ${decidedOn}::date
    from jsonb_to_recordset(${asJson(rows)}) as x(id uuid, nhs text, given text, family text, dob date, postcode text, team uuid, lead uuid,
      involved jsonb, status text, es date, rla text, ricb text, nrd date, flags jsonb, lp jsonb, decision jsonb)`);
}

export async function updatePeople(q: DbOrTx, partnershipId: string, decidedOn: string, rows: PersonUpdateRow[]): Promise<void> {
  await q.execute(sql`
    update person p set
      status = x.status, entitlement_start = x.es, responsible_local_authority = x.rla,
      responsible_icb = x.ricb, next_review_due = x.nrd, flags = array(select jsonb_array_elements_text(x.flags)),
      legal_position = array(select jsonb_array_elements_text(x.lp)), decision = x.decision, decided_on = ${decidedOn}::date, postcode = x.postcode, allocated_team_id = x.team,
      lead_practitioner_id = x.lead, involved_organisations = array(select jsonb_array_elements_text(x.involved))::uuid[],
      updated_at = now(), version = p.version + 1
    from jsonb_to_recordset(${asJson(rows)}) as x(id uuid, status text, es date, rla text, ricb text, nrd date, flags jsonb, lp jsonb, decision jsonb, postcode text, team uuid, lead uuid, involved jsonb)
    where p.partnership_id = ${partnershipId} and p.id = x.id`);
}

export async function cancelTasks(q: DbOrTx, partnershipId: string, taskIds: string[], outcome: string): Promise<void> {
  await q
    .update(task)
    .set({ status: 'cancelled', outcome, completedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(task.partnershipId, partnershipId), inArray(task.id, taskIds)));
}

export interface NewTaskRow { person: string; kind: string; flag: string | null; title: string; detail: string | null; owner: string | null; due: string | null }

export async function insertTasks(q: DbOrTx, partnershipId: string, rows: NewTaskRow[]): Promise<void> {
  await q.execute(sql`
    insert into task (partnership_id, person_id, kind, flag, title, detail, owner_organisation_id, due_on)
    select ${partnershipId}, x.person, x.kind, x.flag, x.title, x.detail, x.owner, x.due
    from jsonb_to_recordset(${asJson(rows)}) as x(person uuid, kind text, flag text, title text, detail text, owner uuid, due date)`);
}

export async function markRowsApplied(q: DbOrTx, partnershipId: string, importId: string, rowNumbers: number[]): Promise<void> {
  await q.execute(sql`
    update register_import_row set applied_at = now()
    where partnership_id = ${partnershipId} and import_id = ${importId}
      and row_number in (select jsonb_array_elements_text(${asJson(rowNumbers)})::int)`);
}

// ---------------------------------------------------------------------------
// The funding the old register gave each person
// ---------------------------------------------------------------------------

export type ImportedFundingRow = typeof importedFunding.$inferSelect;

/** The imported funding already recorded for these people. */
export async function findImportedFunding(q: DbOrTx, partnershipId: string, personIds: string[]) {
  return q
    .select({ personId: importedFunding.personId, weeklyCostPence: importedFunding.weeklyCostPence, localAuthorityBasisPoints: importedFunding.localAuthorityBasisPoints })
    .from(importedFunding)
    .where(and(eq(importedFunding.partnershipId, partnershipId), inArray(importedFunding.personId, personIds)));
}

export interface ImportedFundingWrite { person: string; cost: number | null; la: number | null; row: number }

/** Record (or replace) each person's imported funding, in one statement for the batch. */
export async function upsertImportedFunding(q: DbOrTx, partnershipId: string, importId: string, rows: ImportedFundingWrite[]): Promise<void> {
  await q.execute(sql`
    insert into imported_funding (partnership_id, person_id, weekly_cost_pence, local_authority_basis_points, import_id, row_number)
    select ${partnershipId}, x.person, x.cost, x.la, ${importId}, x.row
    from jsonb_to_recordset(${asJson(rows)}) as x(person uuid, cost int, la int, row int)
    on conflict (partnership_id, person_id) do update set
      weekly_cost_pence = excluded.weekly_cost_pence, local_authority_basis_points = excluded.local_authority_basis_points,
      import_id = excluded.import_id, row_number = excluded.row_number, updated_at = now(), version = imported_funding.version + 1`);
}

/** One person's imported funding with the file it came from, or undefined. */
export async function findPersonImportedFunding(q: DbOrTx, partnershipId: string, personId: string) {
  const [row] = await personImportedFundingQuery(q, partnershipId, personId);
  return row;
}

/** The same select, not awaited: the person page runs it with its other sections' reads (platform/db/together.ts). */
export function personImportedFundingQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({
      weeklyCostPence: importedFunding.weeklyCostPence,
      localAuthorityBasisPoints: importedFunding.localAuthorityBasisPoints,
      rowNumber: importedFunding.rowNumber,
      fileName: registerImport.fileName,
      importedAt: importedFunding.updatedAt,
    })
    .from(importedFunding)
    .innerJoin(registerImport, and(eq(registerImport.partnershipId, importedFunding.partnershipId), eq(registerImport.id, importedFunding.importId)))
    .where(and(eq(importedFunding.partnershipId, partnershipId), eq(importedFunding.personId, personId)));
}
