import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { escapeFormula, guessMapping, importFields, importFieldWords, requiredFields, type ImportField, type Mapping } from '../../domain/legacy-register.ts';
import { assertCan, organisationScope } from '../../platform/access/policy.ts';
import type { ChangeEvent } from '../../platform/audit/audit.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import type { AuditRecorder } from '../../platform/data/door.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { insertEvents, summarise } from '../register/index.ts';
import {
  cancelTasks,
  countRows,
  findImport,
  findRecentImports,
  findRejectedRows,
  findRowsPage,
  findStagedRows,
  insertImport,
  insertPeople,
  insertTasks,
  listMappingRows,
  listOrganisationsByName,
  markRowsApplied,
  setProgress,
  stageRows,
  storeRowOutcomes,
  updateImport,
  updatePeople,
  upsertImportedFunding,
  upsertMapping,
  type ImportRow,
} from './imports.queries.ts';
import { ENDING_TASK_KIND, ENDING_TASK_TITLE, flagTaskRows, planImport, type ImportPlan, type Outcome, type PersonWrite } from './plan.ts';
import type { ReadFile } from './read-file.ts';

/*
 * Import of an existing register: upload (rows staged), mapping and dry run (every row's
 * outcome stored), apply (all-or-nothing in one transaction, or the valid rows in batches),
 * rejection file. Writes are set-based: multi-row INSERTs of people, legal events, tasks and
 * audit events, 1,000 people a statement. Every statement goes through the door (its SQL in
 * imports.queries.ts): the partnership is checked by the database, and each write's audit
 * events are written in its transaction.
 */

/** Who is importing: a signed-in user, the command line or the background job acting for them. */
export type ImportContext = Pick<ServiceContext, 'actor' | 'requestId' | 'data' | 'today'>;

export type { ImportRow };
export type ImportMode = 'all-or-nothing' | 'valid-only';
/** What to do with rows whose section gives no right to aftercare (s2, s136…): import them with a warning, or reject them (the default). */
export type NoEntitlementChoice = 'accept' | 'reject';
export const noEntitlementChoices: readonly NoEntitlementChoice[] = ['reject', 'accept'];

export interface ImportOptions {
  headings: string[];
  dayFirst: boolean;
  noEntitlement: NoEntitlementChoice;
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
  const all = await ctx.data.read((q) => listOrganisationsByName(q, ctx.actor.partnershipId));
  return scope.all ? all : all.filter((o) => scope.organisationIds.includes(o.id));
}

export function importOptions(row: ImportRow): ImportOptions {
  const o = (row.options ?? {}) as Partial<ImportOptions>;
  return { headings: o.headings ?? [], dayFirst: o.dayFirst ?? true, noEntitlement: o.noEntitlement === 'accept' ? 'accept' : 'reject' };
}

/** Stage an uploaded file's rows: nothing on the register changes. */
export async function createImport(ctx: ImportContext, file: ReadFile, fileName: string, organisationId: string): Promise<ImportRow> {
  assertCan(ctx.actor, 'register:import', { partnershipId: ctx.actor.partnershipId, organisationId });
  if (file.rows.length === 0) throw new InputError([{ path: 'file', message: 'The file has headings but no rows to import' }]);
  return ctx.data.transaction(async (tx, audit) => {
    const created = await insertImport(tx, {
      partnershipId: ctx.actor.partnershipId,
      fileName: fileName.slice(0, 200),
      fileSha256: file.sha256,
      format: file.format,
      columns: guessMapping(file.headings),
      options: { headings: file.headings, dayFirst: true, noEntitlement: 'reject' },
      organisationId,
      totalRows: file.rows.length,
      createdBy: ctx.actor.userId,
    });
    // Staged rows are not checked yet: the check (dry run) writes each row's outcome.
    for (const batch of chunks(file.rows, STAGE_BATCH)) await stageRows(tx, ctx.actor.partnershipId, created.id, batch);
    await audit.change({ action: 'register-import.uploaded', subjectType: 'register-import', subjectId: created.id, after: { fileName, sha256: file.sha256, format: file.format, rows: file.rows.length, organisationId } });
    return created;
  });
}

export async function getImport(ctx: Pick<ImportContext, 'data' | 'actor'>, id: string): Promise<ImportRow> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError('Import not found');
  const row = await ctx.data.read((q) => findImport(q, ctx.actor.partnershipId, id));
  if (!row) throw new NotFoundError('Import not found');
  assertCan(ctx.actor, 'register:import', { partnershipId: row.partnershipId, organisationId: row.organisationId });
  return row;
}

export async function listImports(ctx: ImportContext): Promise<ImportRow[]> {
  const orgs = (await importableOrganisations(ctx)).map((o) => o.id);
  if (orgs.length === 0) return [];
  return ctx.data.read((q) => findRecentImports(q, ctx.actor.partnershipId, orgs, 20));
}

// ---------------------------------------------------------------------------
// Mappings
// ---------------------------------------------------------------------------

export async function listMappings(ctx: Pick<ImportContext, 'data' | 'actor'>) {
  return ctx.data.read((q) => listMappingRows(q, ctx.actor.partnershipId));
}

/** A mapping as given: field → heading, any subset of the fields (blank headings mean "not in this file"). */
const mappingSchema = z.record(z.string(), z.string().max(200, 'A column heading is at most 200 characters'));

/**
 * Check a mapping against the file's headings: it may name any subset of the fields, each to a
 * heading the file has; every required field must be there. `from` says how the user gives it,
 * for the message: the mapping page (choose the column) or a mapping file (name the field).
 * Every problem is reported at once, each naming its field.
 */
export function checkMapping(input: unknown, headings: string[], from: 'page' | 'file' = 'page'): Mapping {
  const parsed = mappingSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new InputError([{ path: 'columns', message: from === 'file' ? 'The mapping must be a JSON object naming, for each field, the heading of its column, such as {"nhsNumber": "NHS No"}' : 'Choose a column for each field, or leave it as not in this file' }]);
  }
  const issues: Array<{ path: string; message: string }> = [];
  const known = new Set<string>(importFields);
  const unknown = Object.keys(parsed.data).filter((k) => !known.has(k));
  if (unknown.length) {
    issues.push({ path: 'columns', message: `The mapping names ${unknown.length === 1 ? 'a field' : 'fields'} Aftercare does not know: ${unknown.map((k) => `\`${k}\``).join(', ')}. The fields are ${importFields.map((f) => `\`${f}\``).join(', ')}` });
  }
  const mapping = Object.fromEntries(Object.entries(parsed.data).filter(([k, v]) => known.has(k) && v.trim() !== '')) as Mapping;
  for (const field of requiredFields) {
    if (mapping[field]) continue;
    issues.push({
      path: `columns.${field}`,
      message:
        from === 'file'
          ? `The file has no column for ${fieldLabel(field)}: add it, or name it in the mapping as \`${field}\``
          : `Select the column that holds the ${fieldLabel(field)}: the file must have one`,
    });
  }
  for (const [field, heading] of Object.entries(mapping)) {
    if (!headings.includes(heading)) issues.push({ path: `columns.${field}`, message: `The file has no column headed '${heading}' (for ${fieldLabel(field as ImportField)})` });
  }
  if (issues.length) throw new InputError(issues);
  return mapping;
}

function fieldLabel(field: ImportField): string {
  return importFieldWords[field];
}

async function saveMapping(tx: DbOrTx, audit: AuditRecorder, ctx: ImportContext, name: string, columns: Mapping, options: { dayFirst: boolean; noEntitlement: NoEntitlementChoice }): Promise<string> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new InputError([{ path: 'mappingName', message: 'Enter a name for the mapping, 100 characters or fewer' }]);
  const saved = await upsertMapping(tx, { partnershipId: ctx.actor.partnershipId, name: trimmed, columns, options, updatedBy: ctx.actor.userId });
  await audit.change({ action: 'import-mapping.saved', subjectType: 'import-mapping', subjectId: saved.id, after: saved });
  return saved.id;
}

// ---------------------------------------------------------------------------
// Check (dry run)
// ---------------------------------------------------------------------------

/** Store each row's outcome and reasons; with `stored`, only the rows whose outcome or reasons changed. */
async function storeOutcomes(q: DbOrTx, partnershipId: string, importId: string, plan: ImportPlan, stored?: Array<{ rowNumber: number; outcome: Outcome; reasons: string[] }>): Promise<void> {
  const before = new Map((stored ?? []).map((s) => [s.rowNumber, s]));
  const changed = stored ? plan.rows.filter((r) => { const b = before.get(r.rowNumber); return !b || b.outcome !== r.outcome || b.reasons.join('\n') !== r.reasons.join('\n'); }) : plan.rows;
  for (const batch of chunks(changed, OUTCOME_BATCH)) await storeRowOutcomes(q, partnershipId, importId, batch);
}

/**
 * The dry run: check every row against the mapping and the register as it is now, and store
 * each row's outcome. Nothing on the register changes. `saveAs` also saves the mapping by name.
 */
export async function checkImport(
  ctx: ImportContext,
  id: string,
  input: { columns: unknown; dayFirst: boolean; noEntitlement?: NoEntitlementChoice; saveAs?: string; mappingFrom?: 'page' | 'file' },
): Promise<ImportRow> {
  const row = await getImport(ctx, id);
  if (row.status === 'applying' || row.status === 'applied') throw new InputError([{ path: 'columns', message: 'This import has been applied: upload the file again to check it again' }]);
  const options = importOptions(row);
  const columns = checkMapping(input.columns, options.headings, input.mappingFrom);
  const noEntitlement = input.noEntitlement ?? 'reject';
  const partnershipId = ctx.actor.partnershipId;
  const today = ctx.today();
  const plan = await ctx.data.read(async (q) => planImport(q, ctx.actor, await findStagedRows(q, partnershipId, id), columns, { dayFirst: input.dayFirst, today, organisationId: row.organisationId, noEntitlement }));
  return ctx.data.transaction(async (tx, audit) => {
    const mappingId = input.saveAs?.trim() ? await saveMapping(tx, audit, ctx, input.saveAs, columns, { dayFirst: input.dayFirst, noEntitlement }) : row.mappingId;
    await storeOutcomes(tx, partnershipId, id, plan);
    const updated = await updateImport(tx, partnershipId, id, { columns, options: { ...options, dayFirst: input.dayFirst, noEntitlement }, mappingId, status: 'checked', counts: plan.counts, checkedAt: new Date(), error: null });
    await audit.change({ action: 'register-import.checked', subjectType: 'register-import', subjectId: id, after: { counts: plan.counts, columns, dayFirst: input.dayFirst, noEntitlement } });
    return updated!;
  });
}

export const ROWS_PAGE_SIZE = 50;

export async function rowsPage(ctx: Pick<ImportContext, 'data' | 'actor'>, id: string, filter: { outcome?: Outcome | undefined; page: number }) {
  await getImport(ctx, id);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read(async (q) => {
    const total = await countRows(q, partnershipId, id, filter.outcome);
    const pages = Math.max(1, Math.ceil(total / ROWS_PAGE_SIZE));
    const page = Math.min(Math.max(1, filter.page), pages);
    const rows = await findRowsPage(q, partnershipId, id, filter.outcome, ROWS_PAGE_SIZE, (page - 1) * ROWS_PAGE_SIZE);
    return { rows, total, page, pages };
  });
}

/** The rejected rows as CSV: the row number, the reasons, then the original cells; every cell formula-safe. */
export async function rejectionFile(ctx: ImportContext, id: string): Promise<{ fileName: string; csv: string }> {
  const row = await getImport(ctx, id);
  const headings = importOptions(row).headings;
  const rejected = await ctx.data.transaction(async (tx, audit) => {
    const rows = await findRejectedRows(tx, ctx.actor.partnershipId, id);
    await audit.change({ action: 'register-import.rejections-downloaded', subjectType: 'register-import', subjectId: id, after: { rows: rows.length } });
    return rows;
  });
  const text = (v: unknown) => escapeFormula(typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null || v === undefined ? '' : JSON.stringify(v));
  const csv = stringify([['Row', 'Reasons', ...headings].map(text), ...rejected.map((r) => [String(r.rowNumber), text(r.reasons.join('; ')), ...headings.map((h) => text((r.cells as Record<string, unknown>)[h]))])]);
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
  const updated = await ctx.data.transaction(async (tx, audit) => {
    const changed = await updateImport(tx, ctx.actor.partnershipId, id, { status: 'applying', mode, processedRows: 0, startedAt: new Date(), finishedAt: null, error: null }, row.version);
    if (changed) await audit.change({ action: 'register-import.started', subjectType: 'register-import', subjectId: id, before: { status: row.status }, after: { status: 'applying', mode } });
    return changed;
  });
  if (!updated) throw new InputError([{ path: 'mode', message: 'Someone else has just started this import' }]);
  return updated;
}

/**
 * Apply a checked import as its mode says. All-or-nothing: the check and every write in one
 * transaction, refused as a whole if any row is rejected (a process killed half-way leaves the
 * register as it was). Valid-only: the valid rows in batches of 1,000 people, each a
 * transaction; re-running it after an interruption carries on (events are idempotent by
 * externalId). Returns the final counts.
 */
export async function runApply(ctx: ImportContext, id: string, options: ApplyOptions = {}): Promise<ImportRow> {
  const row = await getImport(ctx, id);
  if (row.status !== 'applying' || !row.mode) throw new InputError([{ path: 'mode', message: 'This import is not waiting to be applied' }]);
  const mode = row.mode;
  const opts = importOptions(row);
  const today = ctx.today();
  const partnershipId = ctx.actor.partnershipId;
  const staged = await ctx.data.read((q) => findStagedRows(q, partnershipId, id));
  // Progress others can see: on PostgreSQL through another connection while the
  // all-or-nothing transaction runs; in valid-only mode inside each batch's transaction.
  const alongside = ctx.data.alongside();
  const progress = async (done: number, tx?: DbOrTx) => {
    await options.onProgress?.(done, staged.length);
    if (alongside) await alongside.transaction((other) => setProgress(other, partnershipId, id, done));
    else if (mode === 'valid-only') await (tx ? setProgress(tx, partnershipId, id, done) : ctx.data.transaction((own) => setProgress(own, partnershipId, id, done)));
  };
  const finish = async (tx: DbOrTx, audit: AuditRecorder, plan: ImportPlan) => {
    const done = await updateImport(tx, partnershipId, id, { status: 'applied', counts: plan.counts, processedRows: staged.length, finishedAt: new Date() });
    await storeOutcomes(tx, partnershipId, id, plan, staged);
    await audit.change({ action: 'register-import.applied', subjectType: 'register-import', subjectId: id, after: { mode, counts: plan.counts, fileName: row.fileName, sha256: row.fileSha256 } });
    return done!;
  };
  const planFor = (q: DbOrTx) => planImport(q, ctx.actor, staged, row.columns as Mapping, { dayFirst: opts.dayFirst, today, organisationId: row.organisationId, noEntitlement: opts.noEntitlement });
  try {
    if (mode === 'all-or-nothing') {
      return await ctx.data.transaction(async (tx, audit) => {
        const plan = await planFor(tx);
        if (plan.counts.reject > 0) throw new ImportRejectedRowsError(plan.counts.reject);
        await writePlan(plan, (n) => progress(n, tx), async (batch, done) => {
          await writeBatch(tx, audit, ctx, row, batch, today);
          await progress(done, tx);
        });
        return finish(tx, audit, plan);
      });
    }
    const plan = await ctx.data.read(planFor);
    await writePlan(plan, (n) => progress(n), (batch, done) =>
      // Each batch its own transaction: its rows, its audit events and its progress commit together.
      ctx.data.transaction(async (tx, audit) => {
        await writeBatch(tx, audit, ctx, row, batch, today);
        await progress(done, tx);
      }),
    );
    return await ctx.data.transaction((tx, audit) => finish(tx, audit, plan));
  } catch (error) {
    const message = error instanceof ImportRejectedRowsError ? error.message : `The import stopped: ${error instanceof Error ? error.message : String(error)}. Nothing was imported${mode === 'valid-only' ? ' after the last completed batch; run it again to carry on' : ''}.`;
    await ctx.data.transaction(async (tx, audit) => {
      await updateImport(tx, partnershipId, id, { status: 'failed', error: message, finishedAt: new Date() });
      await audit.change({ action: 'register-import.failed', subjectType: 'register-import', subjectId: id, after: { mode, error: message } });
    });
    throw error;
  }
}

/**
 * Write a plan, 1,000 people a batch. `write` writes one batch and is told how many rows will
 * have been dealt with once it has; `progress` reports the rows already dealt with at the start.
 */
async function writePlan(
  plan: ImportPlan,
  progress: (processed: number) => Promise<void>,
  write: (batch: PersonWrite[], processedAfter: number) => Promise<void>,
): Promise<void> {
  const alreadyDone = plan.rows.length - plan.writes.length;
  await progress(alreadyDone);
  let written = 0;
  for (const batch of chunks(plan.writes, WRITE_BATCH)) {
    written += batch.length;
    await write(batch, alreadyDone + written);
  }
}

async function writeBatch(tx: DbOrTx, audit: AuditRecorder, ctx: ImportContext, row: ImportRow, batch: PersonWrite[], today: string): Promise<void> {
  const partnershipId = ctx.actor.partnershipId;
  const creates = batch.filter((w) => w.outcome === 'create');
  const updates = batch.filter((w) => w.outcome === 'update');
  const common = (w: PersonWrite) => ({
    id: w.personId,
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
    lp: w.legalPosition,
    decision: w.decision,
  });
  if (creates.length) {
    await insertPeople(tx, partnershipId, row.organisationId, today, creates.map((w) => ({ ...common(w), nhs: w.record.nhsNumber, given: w.record.givenName, family: w.record.familyName, dob: w.record.dateOfBirth })));
  }
  if (updates.length) await updatePeople(tx, partnershipId, today, updates.map(common));
  // Through the register's one insert of legal events (which refuses an event of a workflow:
  // a legacy "ended" is a task for the responsible bodies, never an ending).
  await insertEvents(
    tx,
    ctx,
    batch.flatMap((w) => w.events.map((e) => ({ id: e.id, partnershipId, personId: w.personId, type: e.type, occurredOn: e.occurredOn, sequence: e.sequence, payload: e.payload, externalId: e.externalId, source: 'import', recordedBy: ctx.actor.userId }))),
  );
  const funding = batch.flatMap((w) => (w.funding ? [{ person: w.personId, cost: w.funding.weeklyCostPence, la: w.funding.localAuthorityBasisPoints, row: w.rowNumber }] : []));
  if (funding.length) await upsertImportedFunding(tx, partnershipId, row.id, funding);
  const cancel = batch.flatMap((w) => w.cancelTaskIds);
  if (cancel.length) await cancelTasks(tx, partnershipId, cancel, 'Closed automatically: the legal history no longer raises this question.');
  const tasks = batch.flatMap((w) => [
    ...flagTaskRows(partnershipId, w, today, row.organisationId),
    ...(w.endingTask ? [{ personId: w.personId, kind: ENDING_TASK_KIND, flag: null, title: ENDING_TASK_TITLE, detail: w.endingTask.detail, ownerOrganisationId: w.endingTask.ownerOrganisationId, dueOn: null as string | null }] : []),
  ]).map((t) => ({ person: t.personId, kind: t.kind, flag: t.flag, title: t.title, detail: t.detail, owner: t.ownerOrganisationId, due: t.dueOn }));
  for (const part of chunks(tasks, 2000)) await insertTasks(tx, partnershipId, part);
  // One audit event per person created or updated, written together through the door's
  // recorder, which scrubs secrets as it does for every other change.
  await audit.changes(
    batch.map((w): ChangeEvent => ({
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
        ...(w.funding ? { importedFunding: w.funding } : {}),
      },
    })),
  );
  await markRowsApplied(tx, partnershipId, row.id, batch.map((w) => w.rowNumber));
}
