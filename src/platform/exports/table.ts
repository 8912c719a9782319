import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

/*
 * "Download this list": any list page's rows as CSV or XLSX (issue 7, item 5). Every text cell a
 * spreadsheet could read as a formula is prefixed with an apostrophe (OWASP, CSV injection), in
 * both formats; dates are ISO text in CSV and real dates in XLSX. The register's own download
 * (src/modules/register/list.export.ts) streams the same way with its wider column set.
 */

export type TableFormat = 'csv' | 'xlsx';

export const tableContentTypes: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet would run as a formula gets a leading apostrophe; everything else is unchanged. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export interface TableColumn<Row> {
  header: string;
  /** Width in characters for XLSX. */
  width: number;
  /** The value is an ISO date (YYYY-MM-DD): a real date in XLSX. */
  date?: boolean;
  /** A whole number: a number cell in XLSX. */
  number?: boolean;
  value(row: Row): string | number | null;
}

export interface Table<Row> {
  /** Sheet name and title, e.g. "Hospital pipeline". */
  title: string;
  columns: Array<TableColumn<Row>>;
  rows: readonly Row[];
}

/** One row as text cells, safe to open in a spreadsheet. */
export function tableCells<Row>(table: Table<Row>, row: Row): string[] {
  return table.columns.map((c) => {
    const v = c.value(row);
    return v === null ? '' : typeof v === 'number' ? String(v) : neutraliseFormula(v);
  });
}

/** CSV with a byte-order mark (spreadsheets then read UTF-8 names correctly) and CRLF line ends. */
export function tableCsv<Row>(table: Table<Row>): Readable {
  const stringifier = stringify({ bom: true, header: true, columns: table.columns.map((c) => c.header), record_delimiter: 'windows' });
  return Readable.from(table.rows.map((r) => tableCells(table, r))).pipe(stringifier);
}

/** XLSX through ExcelJS's streaming writer; a bold, frozen, filterable heading row. */
export function tableXlsx<Row>(table: Table<Row>, createdBy: string): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = neutraliseFormula(createdBy);
  workbook.title = neutraliseFormula(table.title);
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(table.title.replace(/[[\]*?:/\\]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width, ...(c.date ? { style: { numFmt: 'dd/mm/yyyy' } } : {}) }));
  const write = async () => {
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
    for (const row of table.rows) {
      const values = table.columns.map((c) => {
        const v = c.value(row);
        if (v === null || v === '') return null;
        if (typeof v === 'number') return v;
        return c.date ? new Date(`${v}T00:00:00Z`) : neutraliseFormula(v);
      });
      sheet.addRow(values).commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/** Send a table as a download: `<name>-<today>.<format>`, never cached. */
export function sendTable<Row>(reply: FastifyReply, format: TableFormat, table: Table<Row>, meta: { filename: string; createdBy: string }): FastifyReply {
  reply
    .header('Content-Type', tableContentTypes[format])
    .header('Content-Disposition', `attachment; filename="${meta.filename}.${format}"`)
    .header('Cache-Control', 'no-store');
  return reply.send(format === 'csv' ? tableCsv(table) : tableXlsx(table, meta.createdBy));
}
