import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { isBlankRow, type CellValue } from '../../domain/legacy-register.ts';
import { readCsvRecords } from '../../platform/csv.ts';

/*
 * Reading an uploaded register: XLSX (the first worksheet, exceljs) or CSV (the platform CSV
 * reader). The first non-blank row is the headings; blank rows are skipped and not counted;
 * every other row keeps the number the user sees in their spreadsheet. Formula cells are read
 * as the text of their formula (never their result), so nothing a file carries is run.
 */

export class UploadFormatError extends Error {}

export interface ReadFile {
  format: 'xlsx' | 'csv';
  sha256: string;
  headings: string[];
  rows: Array<{ rowNumber: number; cells: Record<string, CellValue> }>;
}

export const MAX_ROWS = 200_000;

function uniqueHeadings(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    const base = h.trim() || `Column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

function xlsxCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'object') {
    if ('formula' in value && typeof value.formula === 'string') return `=${value.formula}`;
    if ('sharedFormula' in value && typeof value.sharedFormula === 'string') return `=${value.sharedFormula}`;
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((t) => t.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return value.error;
  }
  return JSON.stringify(value);
}

export async function readUpload(data: Buffer, fileName: string): Promise<ReadFile> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  const isZip = data.length > 4 && data[0] === 0x50 && data[1] === 0x4b;
  if (isZip || /\.xlsx$/i.test(fileName)) {
    if (!isZip) throw new UploadFormatError('The file is named .xlsx but is not an Excel workbook: save it again as .xlsx or as CSV');
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw new UploadFormatError('The file could not be read as an Excel workbook: save it again as .xlsx or as CSV');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new UploadFormatError('The workbook has no worksheets');
    let headings: string[] | null = null;
    const rows: ReadFile['rows'] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = row.values as ExcelJS.CellValue[];
      if (!headings) {
        const raw = values.slice(1).map((v) => { const c = xlsxCell(v); return c instanceof Date ? c.toISOString().slice(0, 10) : c === null || c === undefined ? '' : `${c}`; });
        if (raw.every((h) => h.trim() === '')) return;
        headings = uniqueHeadings(raw);
        return;
      }
      const cells: Record<string, CellValue> = {};
      headings.forEach((h, i) => {
        cells[h] = xlsxCell(values[i + 1] ?? null);
      });
      if (isBlankRow(cells)) return;
      rows.push({ rowNumber, cells });
    });
    if (!headings) throw new UploadFormatError('The first worksheet is empty: the first row must hold the column headings');
    if (rows.length > MAX_ROWS) throw new UploadFormatError(`The file has ${rows.length} rows; at most ${MAX_ROWS} can be imported at once`);
    return { format: 'xlsx', sha256, headings, rows };
  }
  if (data.includes(0)) throw new UploadFormatError('The file is neither an Excel workbook (.xlsx) nor a CSV file');
  const { records, unreadable } = readCsvRecords(data.toString('utf8'));
  if (unreadable.length) throw new UploadFormatError(`Line ${unreadable[0]!.line} is not valid CSV (${unreadable[0]!.message}): fix it and upload the file again`);
  const first = records[0];
  if (!first) throw new UploadFormatError('The file is empty: the first row must hold the column headings');
  const headings = uniqueHeadings(first.record);
  const rows: ReadFile['rows'] = [];
  for (const { record, info } of records.slice(1)) {
    // info.lines is the line the record ends on; a quoted field may span lines.
    const rowNumber = info.lines - record.reduce((n, field) => n + (field.split('\n').length - 1), 0);
    const cells: Record<string, CellValue> = {};
    headings.forEach((h, i) => {
      cells[h] = record[i] ?? '';
    });
    if (isBlankRow(cells)) continue;
    rows.push({ rowNumber, cells });
  }
  if (rows.length > MAX_ROWS) throw new UploadFormatError(`The file has ${rows.length} rows; at most ${MAX_ROWS} can be imported at once`);
  return { format: 'csv', sha256, headings, rows };
}
