import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../../platform/exports/table.ts';

/*
 * The monthly partnership return: a fixed layout (docs/monthly-return.md). Columns never
 * change order or header without a new layout version; money is in pounds with two decimals.
 */

export const RETURN_LAYOUT_VERSION = '1';

export interface ReturnLine {
  /** ONS GSS code, or null for people with no responsible local authority. */
  localAuthorityCode: string | null;
  localAuthorityName: string;
  entitledAtMonthEnd: number;
  newEntitlementsInMonth: number;
  endingsInMonth: number;
  reviewsOverdueAtMonthEnd: number;
  reviewsHeldInMonth: number;
  approvedPlansAtMonthEnd: number;
  weeklyCostLocalAuthorityPence: number;
  weeklyCostIcbPence: number;
  weeklyCostTotalPence: number;
  openDisputesAtMonthEnd: number;
  peopleWithDirectPayment: number;
  peopleWithPersonalHealthBudget: number;
}

export interface MonthlyReturn {
  month: string;
  first: string;
  last: string;
  lines: ReturnLine[];
}

type Counted = Exclude<keyof ReturnLine, 'localAuthorityCode' | 'localAuthorityName'>;

export function emptyLine(localAuthorityCode: string | null, localAuthorityName: string): ReturnLine {
  return {
    localAuthorityCode,
    localAuthorityName,
    entitledAtMonthEnd: 0,
    newEntitlementsInMonth: 0,
    endingsInMonth: 0,
    reviewsOverdueAtMonthEnd: 0,
    reviewsHeldInMonth: 0,
    approvedPlansAtMonthEnd: 0,
    weeklyCostLocalAuthorityPence: 0,
    weeklyCostIcbPence: 0,
    weeklyCostTotalPence: 0,
    openDisputesAtMonthEnd: 0,
    peopleWithDirectPayment: 0,
    peopleWithPersonalHealthBudget: 0,
  };
}

interface ReturnColumn {
  header: string;
  key: Counted;
  money?: boolean;
}

/** The counted columns, in layout order, after "Month", "Local authority code" and "Local authority". */
export const returnColumns: readonly ReturnColumn[] = [
  { header: 'People entitled at month end', key: 'entitledAtMonthEnd' },
  { header: 'New entitlements in month', key: 'newEntitlementsInMonth' },
  { header: 'Endings in month', key: 'endingsInMonth' },
  { header: 'Reviews overdue at month end', key: 'reviewsOverdueAtMonthEnd' },
  { header: 'Reviews held in month', key: 'reviewsHeldInMonth' },
  { header: 'Approved plans at month end', key: 'approvedPlansAtMonthEnd' },
  { header: 'Weekly cost, local authority (£)', key: 'weeklyCostLocalAuthorityPence', money: true },
  { header: 'Weekly cost, ICB (£)', key: 'weeklyCostIcbPence', money: true },
  { header: 'Weekly cost, total (£)', key: 'weeklyCostTotalPence', money: true },
  { header: 'Open disputes at month end', key: 'openDisputesAtMonthEnd' },
  { header: 'People with a direct payment', key: 'peopleWithDirectPayment' },
  { header: 'People with a personal health budget', key: 'peopleWithPersonalHealthBudget' },
];

export const returnHeaders: readonly string[] = ['Month', 'Local authority code', 'Local authority', ...returnColumns.map((c) => c.header)];

export const TOTAL_LABEL = 'Total';

/** The first and last day of a YYYY-MM month; throws RangeError for anything else. */
export function monthBounds(month: string): { first: string; last: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError('Month must be written YYYY-MM, for example 2026-01');
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const lastDay = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(lastDay).padStart(2, '0')}` };
}

/** The sum of every line, as the total line. */
export function totalLine(lines: readonly ReturnLine[]): ReturnLine {
  const total = emptyLine(null, TOTAL_LABEL);
  for (const line of lines) for (const c of returnColumns) total[c.key] += line[c.key];
  return total;
}

const pounds = (pence: number) => (pence / 100).toFixed(2);

/** The rows of the return as cells (lines, then the total), every text cell formula-safe. */
export function returnRows(ret: MonthlyReturn): Array<Array<string | number>> {
  const all = [...ret.lines, totalLine(ret.lines)];
  return all.map((line, i) => [
    ret.month,
    i === all.length - 1 ? '' : neutraliseFormula(line.localAuthorityCode ?? ''),
    neutraliseFormula(line.localAuthorityName),
    ...returnColumns.map((c) => (c.money ? Number(pounds(line[c.key])) : line[c.key])),
  ]);
}

export function returnFilename(month: string, format: 'csv' | 'xlsx'): string {
  return `aftercare-monthly-return-${month}.${format}`;
}

export function returnCsv(ret: MonthlyReturn): Readable {
  const stringifier = stringify({ bom: true, header: true, columns: [...returnHeaders], record_delimiter: 'windows' });
  const rows = returnRows(ret).map((r) => r.map((cell, i) => (typeof cell === 'number' && i >= 3 && returnColumns[i - 3]!.money ? cell.toFixed(2) : String(cell))));
  return Readable.from(rows).pipe(stringifier);
}

export function returnXlsx(ret: MonthlyReturn, createdBy: string): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = neutraliseFormula(createdBy);
  workbook.title = `Section 117 monthly return, ${ret.month}`;
  const sheet = workbook.addWorksheet('Monthly return', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = returnHeaders.map((header, i) => ({
    header,
    key: `c${i}`,
    width: i === 2 ? 36 : Math.max(12, Math.min(24, header.length)),
    ...(i >= 3 && returnColumns[i - 3]!.money ? { style: { numFmt: '#,##0.00' } } : {}),
  }));
  const write = async () => {
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    const rows = returnRows(ret);
    rows.forEach((row, i) => {
      const added = sheet.addRow(row);
      if (i === rows.length - 1) added.font = { bold: true };
      added.commit();
    });
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
