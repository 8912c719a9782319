import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Flag } from '../../domain/rules/index.ts';
import { neutraliseFormula } from '../../platform/exports/table.ts';
import { describeEngagement, describeEthnicity, flagLabels, statusLabels, type RegisterOptions, type RegisterRow } from './list.queries.ts';

/*
 * "Download this view": the register's current filtered and sorted rows as CSV or XLSX.
 * Any text cell that a spreadsheet could read as a formula is prefixed with an apostrophe
 * (OWASP, CSV injection), in both formats.
 */

export type ExportFormat = 'csv' | 'xlsx';

export const exportContentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

interface Column {
  header: string;
  key: string;
  /** Width in characters for XLSX. */
  width: number;
  date?: boolean;
  value(row: RegisterRow, options: RegisterOptions): string | null;
}

export const exportColumns: Column[] = [
  { header: 'NHS number', key: 'nhsNumber', width: 13, value: (r) => formatNhsNumber(r.nhsNumber) },
  { header: 'Family name', key: 'familyName', width: 20, value: (r) => r.familyName },
  { header: 'Given name', key: 'givenName', width: 20, value: (r) => r.givenName },
  { header: 'Date of birth', key: 'dateOfBirth', width: 13, date: true, value: (r) => r.dateOfBirth },
  { header: 'Status', key: 'status', width: 20, value: (r) => statusLabels[r.status] },
  { header: 'Entitlement start', key: 'entitlementStart', width: 16, date: true, value: (r) => r.entitlementStart },
  { header: 'Responsible local authority', key: 'responsibleLocalAuthority', width: 30, value: (r, o) => o.organisationName(r.responsibleLocalAuthority) },
  { header: 'Responsible local authority code', key: 'responsibleLocalAuthorityCode', width: 14, value: (r) => r.responsibleLocalAuthority },
  { header: 'Responsible ICB', key: 'responsibleIcb', width: 36, value: (r, o) => o.organisationName(r.responsibleIcb) },
  { header: 'Responsible ICB code', key: 'responsibleIcbCode', width: 14, value: (r) => r.responsibleIcb },
  { header: 'Next review due', key: 'nextReviewDue', width: 15, date: true, value: (r) => r.nextReviewDue },
  { header: 'Flags', key: 'flags', width: 40, value: (r) => r.flags.map((f) => flagLabels[f as Flag] ?? f).join('; ') },
  { header: 'Team', key: 'team', width: 30, value: (r) => r.teamName },
  { header: 'Lead practitioner', key: 'leadPractitioner', width: 22, value: (r) => r.leadPractitionerName },
  { header: 'Engagement', key: 'engagement', width: 12, value: (r) => describeEngagement(r.engagement) },
  { header: 'Ethnicity', key: 'ethnicity', width: 30, value: (r) => describeEthnicity(r.ethnicity) },
  { header: 'Last contact', key: 'lastContactOn', width: 13, date: true, value: (r) => r.lastContactOn },
];

/** One row's cells as text, safe to open in a spreadsheet. Dates stay YYYY-MM-DD. */
export function exportCells(row: RegisterRow, options: RegisterOptions): string[] {
  return exportColumns.map((c) => neutraliseFormula(c.value(row, options) ?? ''));
}

export function exportFilename(format: ExportFormat, today: string): string {
  return `aftercare-register-${today}.${format}`;
}

/** CSV with a byte-order mark (so spreadsheets read UTF-8 names correctly), streamed row by row. */
export function csvStream(rows: RegisterRow[], options: RegisterOptions): Readable {
  const stringifier = stringify({ bom: true, header: true, columns: exportColumns.map((c) => c.header), record_delimiter: 'windows' });
  return Readable.from(rows.map((r) => exportCells(r, options))).pipe(stringifier);
}

function isoToExcelDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

/**
 * XLSX through ExcelJS's streaming writer: each row is written and released as it goes,
 * so a large view does not hold a whole workbook in memory. Dates are real dates.
 */
export function xlsxStream(rows: RegisterRow[], options: RegisterOptions, meta: { title: string; createdBy: string }): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = meta.createdBy;
  workbook.title = meta.title;
  workbook.created = new Date();
  const sheet = workbook.addWorksheet('Register', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = exportColumns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.date ? { style: { numFmt: 'dd/mm/yyyy' } } : {}) }));
  const write = async () => {
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: exportColumns.length } };
    for (const row of rows) {
      const values = exportColumns.map((c) => {
        const v = c.value(row, options);
        if (v === null || v === '') return null;
        return c.date ? isoToExcelDate(v) : neutraliseFormula(v);
      });
      sheet.addRow(values).commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
