import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { escapeFormula, guessMapping, importFields, requiredFields, type ImportField, type Mapping } from '../../domain/legacy-register.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { assertCan, organisationScope } from '../../platform/access/policy.ts';
import { recordChange, recordChanges, type ChangeEvent } from '../../platform/audit/audit.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { Db, DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { task } from '../register/index.ts';
import { ENDING_TASK_KIND, ENDING_TASK_TITLE, flagTaskRows, planImport, type ImportPlan, type Outcome, type PersonWrite, type StagedRow } from './plan.ts';
import type { ReadFile } from './read-file.ts';
import { importMapping, registerImport, registerImportRow } from './schema.ts';
import { summarise } from '../register/index.ts';
import { insertEvents } from '../register/index.ts';

/*
 * Import of an existing register: upload (rows staged), mapping and dry run (every row's
 * outcome stored), apply (all-or-nothing in one transaction, or the valid rows in batches),
 * rejection file. Writes are set-based: multi-row INSERTs of people, legal events, tasks and
 * audit events, 1,000 people a statement.
 */

/** Who is importing: a signed-in user, the command line or the background job acting for them. */
export interface ImportContext {
  db: Db;
  actor: Actor;
  requestId: string;
}

export type ImportRow = typeof registerImport.$inferSelect;
export type ImportMode = 'all-or-nothing' | 'valid-only';
export interface ImportOptions {
  headings: string[];
  dayFirst: boolean;
}

const STAGE_BATCH = 5000;
const WRITE_BATCH = 1000;
const OUTCOME_BATCH = 5000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Organisations the actor may import for (lead-organisation administrators: any). */
export async function importableOrganisations(ctx: ImportContext): Promise<Array<{ id: string; name: string; code: string }>> {
  const scope = organisationScope(ctx.actor, 'register:import');
  const all = await ctx.db
    .select({ id: organisation.id, name: organisation.name, code: organisation.code })
    .from(organisation)
    .where(eq(organisation.partnershipId, ctx.actor.partnershipId))
    .orderBy(asc(organisation.name));
  return scope.all ? all : all.filter((o) => scope.organisationIds.includes(o.id));
}

export function importOptions(row: ImportRow): ImportOptions {
  const o = (row.options ?? {}) as Partial<ImportOptions>;
  return { headings: o.headings ?? [], dayFirst: o.dayFirst ?? true };
}

/** Stage an uploaded file's rows: nothing on the register changes. */
export async function createImport(ctx: ImportContext, file: ReadFile, fileName: string, organisationId: string): Promise<ImportRow> {
  assertCan(ctx.actor, 'register:import', { partnershipId: ctx.actor.partnershipId, organisationId });
  if (file.rows.length === 0) throw new InputError([{ path: 'file', message: 'The file has headings but no rows to import' }]);
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(registerImport)
      .values({
        partnershipId: ctx.actor.partnershipId,
        fileName: fileName.slice(0, 200),
        fileSha256: file.sha256,
        format: file.format,
        columns: guessMapping(file.headings),
        options: { headings: file.headings, dayFirst: true },
        organisationId,
        totalRows: file.rows.length,
        createdBy: ctx.actor.userId,
      })
      .returning();
    // Staged rows are not checked yet: the check (dry run) writes each row's outcome.
    for (const batch of chunks(file.rows, STAGE_BATCH)) {
      await tx.execute(sql`
        insert into register_import_row (partnership_id, import_id, row_number, cells, outcome, reasons)
        select ${ctx.actor.partnershipId}, ${created!.id}, x.n, x.cells, 'reject', array['Not checked yet']
        from jsonb_to_recordset(${JSON.stringify(batch.map((r) => ({ n: r.rowNumber, cells: r.cells })))}::jsonb) as x(n int, cells jsonb)`);
    }
    await recordChange(tx, ctx, { action: 'register-import.uploaded', subjectType: 'register-import', subjectId: created!.id, after: { fileName, sha256: file.sha256, format: file.format, rows: file.rows.length, organisationId } });
    return created!;
  });
}

export async function getImport(ctx: Pick<ImportContext, 'db' | 'actor'>, id: string): Promise<ImportRow> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError('Import not found');
  const row = (await ctx.db.select().from(registerImport).where(and(eq(registerImport.partnershipId, ctx.actor.partnershipId), eq(registerImport.id, id))))[0];
  if (!row) throw new NotFoundError('Import not found');
  assertCan(ctx.actor, 'register:import', { partnershipId: row.partnershipId, organisationId: row.organisationId });
  return row;
}

export async function listImports(ctx: ImportContext): Promise<ImportRow[]> {
  const orgs = (await importableOrganisations(ctx)).map((o) => o.id);
  if (orgs.length === 0) return [];
  return ctx.db
    .select()
    .from(registerImport)
    .where(and(eq(registerImport.partnershipId, ctx.actor.partnershipId), inArray(registerImport.organisationId, orgs)))
    .orderBy(desc(registerImport.createdAt))
    .limit(20);
}

// ---------------------------------------------------------------------------
// Mappings
// ---------------------------------------------------------------------------

export async function listMappings(ctx: Pick<ImportContext, 'db' | 'actor'>) {
  return ctx.db.select().from(importMapping).where(eq(importMapping.partnershipId, ctx.actor.partnershipId)).orderBy(asc(importMapping.name));
}

const mappingSchema = z.record(z.enum(importFields), z.string().max(200)).transform((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== '')) as Mapping);

/** Check a mapping against the file's headings: every required field mapped, to a heading the file has. */
export function checkMapping(input: unknown, headings: string[]): Mapping {
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) throw new InputError([{ path: 'columns', message: 'The mapping must name a column heading for each field' }]);
  const issues = [];
  for (const field of requiredFields) {
    if (!parsed.data[field]) issues.push({ path: `columns.${field}`, message: `Select the column that holds the ${fieldLabel(field)}` });
  }
  for (const [field, heading] of Object.entries(parsed.data)) {
    if (!headings.includes(heading)) issues.push({ path: `columns.${field}`, message: `The file has no column headed '${heading}'` });
  }
  if (issues.length) throw new InputError(issues);
  return parsed.data;
}

function fieldLabel(field: ImportField): string {
  return field === 'nhsNumber' ? 'NHS number' : field === 'icb' ? 'responsible ICB' : field.replace(/([A-Z])/g, ' $1').toLowerCase().replace(/ on$/, ' date');
}

export async function saveMapping(tx: DbOrTx, ctx: ImportContext, name: string, columns: Mapping, options: { dayFirst: boolean }): Promise<string> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new InputError([{ path: 'mappingName', message: 'Enter a name for the mapping, 100 characters or fewer' }]);
  const [saved] = await tx
    .insert(importMapping)
    .values({ partnershipId: ctx.actor.partnershipId, name: trimmed, columns, options, updatedBy: ctx.actor.userId })
    .onConflictDoUpdate({
      target: [importMapping.partnershipId, importMapping.name],
      set: { columns, options, updatedBy: ctx.actor.userId, updatedAt: new Date(), version: sql`${importMapping.version} + 1` },
    })
    .returning();
  await recordChange(tx, ctx, { action: 'import-mapping.saved', subjectType: 'import-mapping', subjectId: saved!.id, after: saved });
  return saved!.id;
}

// ---------------------------------------------------------------------------
// Check (dry run)
// ---------------------------------------------------------------------------

async function stagedRows(db: DbOrTx, partnershipId: string, importId: string): Promise<Array<StagedRow & { outcome: Outcome; reasons: string[] }>> {
  const rows = await db
    .select({ rowNumber: registerImportRow.rowNumber, cells: registerImportRow.cells, outcome: registerImportRow.outcome, reasons: registerImportRow.reasons })
    .from(registerImportRow)
    .where(and(eq(registerImportRow.partnershipId, partnershipId), eq(registerImportRow.importId, importId)))
    .orderBy(asc(registerImportRow.rowNumber));
  return rows as Array<StagedRow & { outcome: Outcome; reasons: string[] }>;
}

/** Store each row's outcome and reasons; with `stored`, only the rows whose outcome or reasons changed. */
async function storeOutcomes(db: DbOrTx, partnershipId: string, importId: string, plan: ImportPlan, stored?: Array<{ rowNumber: number; outcome: Outcome; reasons: string[] }>): Promise<void> {
  const before = new Map((stored ?? []).map((s) => [s.rowNumber, s]));
  const changed = stored ? plan.rows.filter((r) => { const b = before.get(r.rowNumber); return !b || b.outcome !== r.outcome || b.reasons.join('\n') !== r.reasons.join('\n'); }) : plan.rows;
  for (const batch of chunks(changed, OUTCOME_BATCH)) {
    const json = JSON.stringify(batch.map((r) => ({ n: r.rowNumber, o: r.outcome, r: r.reasons, rec: r.record, nhs: r.nhsNumber })));
    await db.execute(sql`
      update register_import_row t
      set outcome = x.o::import_row_outcome, reasons = array(select jsonb_array_elements_text(x.r)), record = x.rec, nhs_number = x.nhs
      from jsonb_to_recordset(${json}::jsonb) as x(n int, o text, r jsonb, rec jsonb, nhs text)
      where t.partnership_id = ${partnershipId} and t.import_id = ${importId} and t.row_number = x.n`);
  }
}

/**
 * The dry run: check every row against the mapping and the register as it is now, and store
 * each row's outcome. Nothing on the register changes. `saveAs` also saves the mapping by name.
 */
export async function checkImport(ctx: ImportContext, id: string, input: { columns: unknown; dayFirst: boolean; saveAs?: string }): Promise<ImportRow> {
  const row = await getImport(ctx, id);
  if (row.status === 'applying' || row.status === 'applied') throw new InputError([{ path: 'columns', message: 'This import has been applied: upload the file again to check it again' }]);
  const options = importOptions(row);
  const columns = checkMapping(input.columns, options.headings);
  const staged = await stagedRows(ctx.db, ctx.actor.partnershipId, id);
  const today = todayInLondon();
  const plan = await planImport(ctx.db, ctx.actor, staged, columns, { dayFirst: input.dayFirst, today, organisationId: row.organisationId });
  return ctx.db.transaction(async (tx) => {
    const mappingId = input.saveAs?.trim() ? await saveMapping(tx, ctx, input.saveAs, columns, { dayFirst: input.dayFirst }) : row.mappingId;
    await storeOutcomes(tx, ctx.actor.partnershipId, id, plan);
    const [updated] = await tx
      .update(registerImport)
      .set({ columns, options: { ...options, dayFirst: input.dayFirst }, mappingId, status: 'checked', counts: plan.counts, checkedAt: new Date(), error: null, updatedAt: new Date(), version: sql`${registerImport.version} + 1` })
      .where(and(eq(registerImport.partnershipId, ctx.actor.partnershipId), eq(registerImport.id, id)))
      .returning();
    await recordChange(tx, ctx, { action: 'register-import.checked', subjectType: 'register-import', subjectId: id, after: { counts: plan.counts, columns, dayFirst: input.dayFirst } });
    return updated!;
  });
}

export const ROWS_PAGE_SIZE = 50;

export async function rowsPage(ctx: Pick<ImportContext, 'db' | 'actor'>, id: string, filter: { outcome?: Outcome | undefined; page: number }) {
  await getImport(ctx, id);
  const where = and(eq(registerImportRow.partnershipId, ctx.actor.partnershipId), eq(registerImportRow.importId, id), filter.outcome ? eq(registerImportRow.outcome, filter.outcome) : undefined);
  const [{ total }] = (await ctx.db.select({ total: sql<number>`count(*)::int` }).from(registerImportRow).where(where)) as [{ total: number }];
  const pages = Math.max(1, Math.ceil(total / ROWS_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page), pages);
  const rows = await ctx.db
    .select({ rowNumber: registerImportRow.rowNumber, outcome: registerImportRow.outcome, reasons: registerImportRow.reasons, nhsNumber: registerImportRow.nhsNumber, record: registerImportRow.record, appliedAt: registerImportRow.appliedAt })
    .from(registerImportRow)
    .where(where)
    .orderBy(asc(registerImportRow.rowNumber))
    .limit(ROWS_PAGE_SIZE)
    .offset((page - 1) * ROWS_PAGE_SIZE);
  return { rows, total, page, pages };
}

/** The rejected rows as CSV: the row number, the reasons, then the original cells; every cell formula-safe. */
export async function rejectionFile(ctx: ImportContext, id: string): Promise<{ fileName: string; csv: string }> {
  const row = await getImport(ctx, id);
  const headings = importOptions(row).headings;
  const rejected = await ctx.db
    .select({ rowNumber: registerImportRow.rowNumber, cells: registerImportRow.cells, reasons: registerImportRow.reasons })
    .from(registerImportRow)
    .where(and(eq(registerImportRow.partnershipId, ctx.actor.partnershipId), eq(registerImportRow.importId, id), eq(registerImportRow.outcome, 'reject')))
    .orderBy(asc(registerImportRow.rowNumber));
  const text = (v: unknown) => escapeFormula(typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null || v === undefined ? '' : JSON.stringify(v));
  const csv = stringify([['Row', 'Reasons', ...headings].map(text), ...rejected.map((r) => [String(r.rowNumber), text(r.reasons.join('; ')), ...headings.map((h) => text((r.cells as Record<string, unknown>)[h]))])]);
  await ctx.db.transaction(async (tx) => {
    await recordChange(tx, ctx, { action: 'register-import.rejections-downloaded', subjectType: 'register-import', subjectId: id, after: { rows: rejected.length } });
  });
  return { fileName: `${row.fileName.replace(/\.[^.]+$/, '')}-rejected-rows.csv`, csv: `\uFEFF${csv}` };
}

// ---------------------------------------------------------------------------
// Apply
// ---------------------------------------------------------------------------

export class ImportRejectedRowsError extends Error {
  constructor(readonly rejected: number) {
    super(`${rejected} row${rejected === 1 ? ' is' : 's are'} rejected, so nothing was imported (all rows or none). Fix ${rejected === 1 ? 'it' : 'them'} and upload the file again, or import only the valid rows.`);
  }
}

export interface ApplyOptions {
  /** Called after each batch with the rows dealt with so far. */
  onProgress?: (processed: number, total: number) => void | Promise<void>;
}

/** Mark an import as being applied (committed at once, so its page shows it). */
export async function startApply(ctx: ImportContext, id: string, mode: ImportMode): Promise<ImportRow> {
  const row = await getImport(ctx, id);
  if (row.status !== 'checked' && row.status !== 'failed') throw new InputError([{ path: 'mode', message: row.status === 'uploaded' ? 'Check the file (dry run) before importing it' : 'This import has already been applied or is being applied' }]);
  const [updated] = await ctx.db
    .update(registerImport)
    .set({ status: 'applying', mode, processedRows: 0, startedAt: new Date(), finishedAt: null, error: null, updatedAt: new Date(), version: sql`${registerImport.version} + 1` })
    .where(and(eq(registerImport.partnershipId, ctx.actor.partnershipId), eq(registerImport.id, id), eq(registerImport.version, row.version)))
    .returning();
  if (!updated) throw new InputError([{ path: 'mode', message: 'Someone else has just started this import' }]);
  return updated;
}

async function setProgress(db: DbOrTx, partnershipId: string, id: string, processed: number): Promise<void> {
  await db.update(registerImport).set({ processedRows: processed }).where(and(eq(registerImport.partnershipId, partnershipId), eq(registerImport.id, id)));
}

/**
 * Apply a checked import as its mode says. All-or-nothing: the check and every write in one
 * transaction, refused as a whole if any row is rejected (a process killed half-way leaves the
 * register as it was). Valid-only: the valid rows in batches of 1,000 people, each a
 * transaction; re-running it after an interruption carries on (events are idempotent by
 * externalId). Returns the final counts.
 */
export async function runApply(ctx: ImportContext, id: string, options: ApplyOptions & { progressDb?: Db | undefined } = {}): Promise<ImportRow> {
  const row = await getImport(ctx, id);
  if (row.status !== 'applying' || !row.mode) throw new InputError([{ path: 'mode', message: 'This import is not waiting to be applied' }]);
  const mode = row.mode;
  const opts = importOptions(row);
  const today = todayInLondon();
  const partnershipId = ctx.actor.partnershipId;
  const staged = await stagedRows(ctx.db, partnershipId, id);
  const progress = async (done: number, db: DbOrTx) => {
    await options.onProgress?.(done, staged.length);
    // Progress others can see: on PostgreSQL through another connection while the
    // all-or-nothing transaction runs; in valid-only mode inside each batch's transaction.
    if (options.progressDb) await setProgress(options.progressDb, partnershipId, id, done);
    else if (mode === 'valid-only') await setProgress(db, partnershipId, id, done);
  };
  const finish = async (tx: DbOrTx, plan: ImportPlan) => {
    const [done] = await tx
      .update(registerImport)
      .set({ status: 'applied', counts: plan.counts, processedRows: staged.length, finishedAt: new Date(), updatedAt: new Date(), version: sql`${registerImport.version} + 1` })
      .where(and(eq(registerImport.partnershipId, partnershipId), eq(registerImport.id, id)))
      .returning();
    await storeOutcomes(tx, partnershipId, id, plan, staged);
    await recordChange(tx, ctx, { action: 'register-import.applied', subjectType: 'register-import', subjectId: id, after: { mode, counts: plan.counts, fileName: row.fileName, sha256: row.fileSha256 } });
    return done!;
  };
  try {
    if (mode === 'all-or-nothing') {
      return await ctx.db.transaction(async (tx) => {
        const plan = await planImport(tx, ctx.actor, staged, row.columns as Mapping, { dayFirst: opts.dayFirst, today, organisationId: row.organisationId });
        if (plan.counts.reject > 0) throw new ImportRejectedRowsError(plan.counts.reject);
        await writePlan(tx, ctx, row, plan, today, (n) => progress(n, tx));
        return finish(tx, plan);
      });
    }
    const plan = await planImport(ctx.db, ctx.actor, staged, row.columns as Mapping, { dayFirst: opts.dayFirst, today, organisationId: row.organisationId });
    await writePlan(ctx.db, ctx, row, plan, today, (n, tx) => progress(n, tx), true);
    return await ctx.db.transaction(async (tx) => finish(tx, plan));
  } catch (error) {
    const message = error instanceof ImportRejectedRowsError ? error.message : `The import stopped: ${error instanceof Error ? error.message : String(error)}. Nothing was imported${mode === 'valid-only' ? ' after the last completed batch; run it again to carry on' : ''}.`;
    await ctx.db
      .update(registerImport)
      .set({ status: 'failed', error: message, finishedAt: new Date(), updatedAt: new Date(), version: sql`${registerImport.version} + 1` })
      .where(and(eq(registerImport.partnershipId, partnershipId), eq(registerImport.id, id)));
    throw error;
  }
}

/**
 * Write a plan: 1,000 people a batch, each batch a handful of multi-row statements. With
 * `batchTransactions`, each batch is its own transaction on `db`; otherwise everything runs on
 * `db` (the caller's transaction).
 */
async function writePlan(
  db: DbOrTx,
  ctx: ImportContext,
  row: ImportRow,
  plan: ImportPlan,
  today: string,
  progress: (processed: number, tx: DbOrTx) => Promise<void>,
  batchTransactions = false,
): Promise<void> {
  const alreadyDone = plan.rows.length - plan.writes.length;
  await progress(alreadyDone, db);
  let written = 0;
  for (const batch of chunks(plan.writes, WRITE_BATCH)) {
    const write = async (tx: DbOrTx) => {
      await writeBatch(tx, ctx, row, batch, today);
      written += batch.length;
      await progress(alreadyDone + written, tx);
    };
    if (batchTransactions) await (db as Db).transaction(async (tx) => write(tx));
    else await write(db);
  }
}

/** Rows as one JSON parameter for `jsonb_to_recordset`: one statement, one parameter, however many rows. */
const asJson = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

async function writeBatch(tx: DbOrTx, ctx: ImportContext, row: ImportRow, batch: PersonWrite[], today: string): Promise<void> {
  const partnershipId = ctx.actor.partnershipId;
  const creates = batch.filter((w) => w.outcome === 'create');
  const updates = batch.filter((w) => w.outcome === 'update');
  if (creates.length) {
    const rows = creates.map((w) => ({
      id: w.personId,
      nhs: w.record.nhsNumber,
      given: w.record.givenName,
      family: w.record.familyName,
      dob: w.record.dateOfBirth,
      postcode: w.fields.postcode,
      team: w.fields.allocatedTeamId,
      lead: w.fields.leadPractitionerId,
      involved: w.fields.involvedOrganisations,
      status: w.decision.status,
      es: w.decision.entitlementStart,
      rla: w.decision.responsibleLocalAuthority,
      ricb: w.decision.responsibleIcb,
      nrd: w.decision.nextReviewDue,
      flags: w.decision.flags,
      decision: w.decision,
    }));
    await tx.execute(sql`
      insert into person (partnership_id, id, nhs_number, given_name, family_name, date_of_birth, postcode, allocated_team_id, lead_practitioner_id,
        recorded_by_organisation_id, involved_organisations, status, entitlement_start, responsible_local_authority, responsible_icb, next_review_due,
        flags, decision, decided_on)
      select ${partnershipId}, x.id, x.nhs, x.given, x.family, x.dob, x.postcode, x.team, x.lead, ${row.organisationId},
        array(select jsonb_array_elements_text(x.involved))::uuid[], x.status::entitlement_status, x.es, x.rla, x.ricb, x.nrd,
        array(select jsonb_array_elements_text(x.flags)), x.decision, ${today}::date
      from jsonb_to_recordset(${asJson(rows)}) as x(id uuid, nhs text, given text, family text, dob date, postcode text, team uuid, lead uuid,
        involved jsonb, status text, es date, rla text, ricb text, nrd date, flags jsonb, decision jsonb)`);
  }
  if (updates.length) {
    const rows = updates.map((w) => ({
      id: w.personId,
      status: w.decision.status,
      es: w.decision.entitlementStart,
      rla: w.decision.responsibleLocalAuthority,
      ricb: w.decision.responsibleIcb,
      nrd: w.decision.nextReviewDue,
      flags: w.decision.flags,
      decision: w.decision,
      postcode: w.fields.postcode,
      team: w.fields.allocatedTeamId,
      lead: w.fields.leadPractitionerId,
      involved: w.fields.involvedOrganisations,
    }));
    await tx.execute(sql`
      update person p set
        status = x.status::entitlement_status, entitlement_start = x.es, responsible_local_authority = x.rla,
        responsible_icb = x.ricb, next_review_due = x.nrd, flags = array(select jsonb_array_elements_text(x.flags)),
        decision = x.decision, decided_on = ${today}::date, postcode = x.postcode, allocated_team_id = x.team,
        lead_practitioner_id = x.lead, involved_organisations = array(select jsonb_array_elements_text(x.involved))::uuid[],
        updated_at = now(), version = p.version + 1
      from jsonb_to_recordset(${asJson(rows)}) as x(id uuid, status text, es date, rla text, ricb text, nrd date, flags jsonb, decision jsonb, postcode text, team uuid, lead uuid, involved jsonb)
      where p.partnership_id = ${partnershipId} and p.id = x.id`);
  }
  // Through the register's one insert of legal events (which refuses an event of a workflow:
  // a legacy "ended" is a task for the responsible bodies, never an ending).
  await insertEvents(
    tx,
    ctx,
    batch.flatMap((w) => w.events.map((e) => ({ id: e.id, partnershipId, personId: w.personId, type: e.type, occurredOn: e.occurredOn, sequence: e.sequence, payload: e.payload, externalId: e.externalId, source: 'import', recordedBy: ctx.actor.userId }))),
  );
  const cancel = batch.flatMap((w) => w.cancelTaskIds);
  if (cancel.length) {
    await tx
      .update(task)
      .set({ status: 'cancelled', outcome: 'Closed automatically: the legal history no longer raises this question.', completedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(task.partnershipId, partnershipId), inArray(task.id, cancel)));
  }
  const tasks = batch.flatMap((w) => [
    ...flagTaskRows(partnershipId, w, today, row.organisationId),
    ...(w.endingTask ? [{ personId: w.personId, kind: ENDING_TASK_KIND, flag: null, title: ENDING_TASK_TITLE, detail: w.endingTask.detail, ownerOrganisationId: w.endingTask.ownerOrganisationId, dueOn: null as string | null }] : []),
  ]).map((t) => ({ person: t.personId, kind: t.kind, flag: t.flag, title: t.title, detail: t.detail, owner: t.ownerOrganisationId, due: t.dueOn }));
  for (const part of chunks(tasks, 2000)) {
    await tx.execute(sql`
      insert into task (partnership_id, person_id, kind, flag, title, detail, owner_organisation_id, due_on)
      select ${partnershipId}, x.person, x.kind, x.flag, x.title, x.detail, x.owner, x.due
      from jsonb_to_recordset(${asJson(part)}) as x(person uuid, kind text, flag text, title text, detail text, owner uuid, due date)`);
  }
  // One audit event per person created or updated, written together.
  const audits = batch.map((w): ChangeEvent => ({
    action: w.outcome === 'create' ? 'person.created' : 'person.updated',
    subjectType: 'person',
    subjectId: w.personId,
    before: w.before ? { ...w.before, decision: w.before.summary } : null,
    after: {
      source: 'register-import',
      importId: row.id,
      rowNumber: w.rowNumber,
      nhsNumber: w.record.nhsNumber,
      postcode: w.fields.postcode,
      allocatedTeamId: w.fields.allocatedTeamId,
      leadPractitionerId: w.fields.leadPractitionerId,
      events: w.events.map((e) => ({ type: e.type, date: e.occurredOn, externalId: e.externalId })),
      decision: summarise(w.decision),
      endingTaskRaised: w.endingTask !== null,
    },
  }));
  // Through the platform's recorder, which scrubs secrets as it does for every other change.
  await recordChanges(tx, ctx, audits);
  await tx.execute(sql`
    update register_import_row set applied_at = now()
    where partnership_id = ${partnershipId} and import_id = ${row.id}
      and row_number in (select jsonb_array_elements_text(${asJson(batch.map((w) => w.rowNumber))})::int)`);
}
