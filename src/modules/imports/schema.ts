import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Import of an existing register (issue 7, item 6). A spreadsheet is uploaded, its columns mapped
 * to Aftercare fields (the mapping is saved by name for next time), every row checked in a dry
 * run (create / update / unchanged / reject, with reasons and the row number), and then applied
 * either all-or-nothing in one transaction or for the valid rows only, with a rejection file.
 * Rows are staged in `register_import_row` so a large file's dry run can be paged through and a
 * long apply can be left running (a job), with its progress on the import.
 */
const partnershipId = partnershipKey;

/** A saved column mapping: Aftercare field → the spreadsheet's column heading. */
export const importMapping = pgTable(
  'import_mapping',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** { [aftercareField]: sourceHeading } */
    columns: jsonb('columns').notNull(),
    /** Options such as the day-first preference for ambiguous dates. */
    options: jsonb('options').notNull().default(sql`'{}'::jsonb`),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] }), uniqueIndex('import_mapping_name_uq').on(t.partnershipId, t.name)],
);

export const importStatus = pgEnum('import_status', ['uploaded', 'checked', 'applying', 'applied', 'failed']);
export const importMode = pgEnum('import_mode', ['all-or-nothing', 'valid-only']);

export const registerImport = pgTable(
  'register_import',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    fileName: text('file_name').notNull(),
    /** SHA-256 of the uploaded file. */
    fileSha256: text('file_sha256').notNull(),
    format: text('format').notNull(),
    /** The mapping used (copied, so a later edit of the saved mapping does not change this import). */
    columns: jsonb('columns').notNull(),
    options: jsonb('options').notNull().default(sql`'{}'::jsonb`),
    mappingId: uuid('mapping_id'),
    /** The organisation the import acts for (recorded-by on new people). */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    status: importStatus('status').notNull().default('uploaded'),
    mode: importMode('mode'),
    totalRows: integer('total_rows').notNull().default(0),
    /** Rows applied so far while applying (progress). */
    processedRows: integer('processed_rows').notNull().default(0),
    /** { create, update, unchanged, reject } from the check, then from the apply. */
    counts: jsonb('counts').notNull().default(sql`'{}'::jsonb`),
    error: text('error'),
    createdBy: uuid('created_by').references(() => appUser.id),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] }), index('register_import_created_idx').on(t.partnershipId, t.createdAt)],
);

export const importRowOutcome = pgEnum('import_row_outcome', ['create', 'update', 'unchanged', 'reject']);

/** One data row of an uploaded file: its cells, what the check made of it, and what happened. */
export const registerImportRow = pgTable(
  'register_import_row',
  {
    partnershipId: partnershipId(),
    importId: uuid('import_id').notNull(),
    /** The row number as the user sees it in their spreadsheet (heading row is 1). */
    rowNumber: integer('row_number').notNull(),
    /** The cells, by source heading. */
    cells: jsonb('cells').notNull(),
    /** The normalised record the row maps to, when it is valid. */
    record: jsonb('record'),
    nhsNumber: text('nhs_number'),
    outcome: importRowOutcome('outcome').notNull(),
    /** Why a row is rejected, or what was normalised (warnings), in plain English. */
    reasons: text('reasons').array().notNull().default(sql`'{}'::text[]`),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.importId, t.rowNumber] }),
    index('register_import_row_outcome_idx').on(t.partnershipId, t.importId, t.outcome),
  ],
);

/**
 * The funding a person's row in the old register gave (issue 14, item 4): the weekly cost of
 * their package and how it was split between the council and the ICB, one record a person
 * (the latest import that gave it). Shown on the person page, and carried into the person's
 * first draft aftercare plan as a service to confirm (src/modules/plans, startPlan).
 */
export const importedFunding = pgTable(
  'imported_funding',
  {
    partnershipId: partnershipId(),
    personId: uuid('person_id').notNull(),
    /** The weekly cost in pence; null when the register gave none. */
    weeklyCostPence: integer('weekly_cost_pence'),
    /** The council's share in basis points (6000 = 60%); the ICB pays the rest. Null when the register gave no split. */
    localAuthorityBasisPoints: integer('local_authority_basis_points'),
    /** The import and row it came from. */
    importId: uuid('import_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.personId] }),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('imported_funding_la_share', sql`${t.localAuthorityBasisPoints} is null or ${t.localAuthorityBasisPoints} between 0 and 10000`),
    check('imported_funding_cost', sql`${t.weeklyCostPence} is null or ${t.weeklyCostPence} >= 0`),
  ],
);
