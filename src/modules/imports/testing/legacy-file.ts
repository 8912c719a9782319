import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { syntheticNhsNumbers } from '../../../domain/nhs-number.ts';

/*
 * Synthetic legacy registers for tests and the benchmark: the shape partnerships keep in
 * spreadsheets, with the mess they really have when `messy` is set (mixed date formats, NHS
 * numbers with spaces and dashes, section labels written every which way, duplicate rows,
 * blank lines, an injected formula and some genuinely bad rows). NHS numbers come from the
 * 999 test range, far above the demo people's.
 */

export const legacyHeadings = [
  'NHS Number', 'Forename', 'Surname', 'DOB', 'Postcode', 'Section', 'Date Detained', 'Date Discharged', 'Responsible LA', 'Responsible ICB/CCG',
  'Team', 'Care Coordinator', 'Last Review', 'Next Review', 'S117 Status', 'Date Aftercare Ended', 'Notes',
];

export type LegacyCell = string | number | Date | null;

export interface LegacyFile {
  headings: string[];
  /** Rows as they are in the file; `null` is a blank line. */
  rows: Array<LegacyCell[] | null>;
  /** Spreadsheet row numbers (heading row is 1) of the rows that must be rejected, with a word of the reason. */
  bad: Map<number, string>;
  /** Rows that repeat an earlier row exactly (after normalisation). */
  duplicates: Map<number, number>;
  /** The row holding an injected formula. */
  formulaRow: number | null;
  /** Rows that are people (not blank), in file order. */
  dataRows: number;
}

const givenNames = ['Ann', 'Bola', 'Carys', 'Dev', 'Eilidh', 'Femi', 'Grace', 'Hamid', 'Iona', 'Jack', 'Kemi', 'Liam'];
const familyNames = ['Ashby', 'Bennett', 'Chowdhury', 'Doyle', 'Evans', 'Fraser', 'Gill', 'Hughes', 'Iqbal', 'Jones', 'Khan', 'Lowe'];
const sections = ['S3', 's.3', 'Section 3', 'section 37/41', '37/41', 's47/49', 'S37', '3', 'CTO'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** One way or another of writing a date, cycling through the formats registers use. */
function writeDate(iso: string, style: number, xlsx: boolean): LegacyCell {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  switch (style % 5) {
    case 0:
      return iso;
    case 1:
      return `${pad(d)}/${pad(m)}/${y}`;
    case 2:
      return `${d}/${m}/${String(y).slice(2)}`;
    case 3:
      return `${d} ${months[m - 1]} ${y}`;
    default:
      // A real date cell in a workbook; an Excel serial number in a CSV.
      return xlsx ? new Date(Date.UTC(y, m - 1, d)) : Math.round(Date.UTC(y, m - 1, d) / 86_400_000) + 25_569;
  }
}

function dayPlus(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function legacyRegister(options: { rows: number; skip?: number; messy?: boolean; xlsx?: boolean }): LegacyFile {
  const nhs = syntheticNhsNumbers(options.skip ?? 600_000);
  const rows: Array<LegacyCell[] | null> = [];
  const bad = new Map<number, string>();
  const duplicates = new Map<number, number>();
  let formulaRow: number | null = null;
  const messy = options.messy ?? false;
  const xlsx = options.xlsx ?? false;
  let dataRows = 0;
  const rowNumber = () => rows.length + 2;
  for (let i = 0; dataRows < options.rows; i++) {
    if (messy && i % 97 === 50) {
      rows.push(null);
      continue;
    }
    const n = nhs.next().value as string;
    const detained = dayPlus('2019-01-07', (i * 37) % 1800);
    const discharged = i % 4 === 0 ? null : dayPlus(detained, 20 + (i % 90));
    const section = messy ? sections[i % sections.length]! : 'S3';
    const sectionCell = section === 'CTO' && !discharged ? 'S3' : section;
    const review = discharged && i % 3 === 0 ? dayPlus(discharged, 60) : null;
    const ended = messy && discharged && i % 50 === 7;
    const nhsCell = messy ? (i % 3 === 0 ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : i % 3 === 1 ? `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}` : n) : n;
    const row: LegacyCell[] = [
      nhsCell,
      givenNames[i % givenNames.length]!,
      familyNames[(i * 7) % familyNames.length]!,
      messy ? writeDate(dayPlus('1960-01-01', (i * 131) % 15000), i, xlsx) : dayPlus('1960-01-01', (i * 131) % 15000),
      i % 5 === 0 ? `NV${1 + (i % 9)} ${i % 10}AB` : '',
      sectionCell,
      messy ? writeDate(detained, i + 1, xlsx) : detained,
      discharged ? (messy ? writeDate(discharged, i + 2, xlsx) : discharged) : '',
      i % 2 === 0 ? 'Northvale Council' : 'E06000902',
      i % 3 === 0 ? 'QZV' : i % 3 === 1 ? 'E54000901' : 'NHS Northvale and Southmere ICB',
      i % 7 === 0 ? 'Northvale Community Mental Health Team' : '',
      '',
      review ?? '',
      '',
      ended ? 'Ended' : 'Active',
      ended ? dayPlus(discharged, 400) : '',
      '',
    ];
    if (messy) {
      // Genuinely bad rows: a failing check digit, a section nobody knows, a date that is not one, an unknown council.
      if (i % 113 === 11) {
        row[0] = `${n.slice(0, 9)}${(Number(n[9]) + 1) % 10}`;
        bad.set(rowNumber(), 'Modulus 11');
      } else if (i % 113 === 31) {
        row[5] = 'section 999';
        bad.set(rowNumber(), 'not a Mental Health Act section');
      } else if (i % 113 === 61) {
        row[6] = '31/02/2023';
        bad.set(rowNumber(), 'not a real date');
      } else if (i % 113 === 91) {
        row[8] = 'Atlantis Council';
        bad.set(rowNumber(), 'not a local authority of this partnership');
      }
      if (formulaRow === null && i === 5) {
        row[16] = '=HYPERLINK("http://example.invalid","click")';
        formulaRow = rowNumber();
      }
    }
    rows.push(row);
    dataRows++;
    if (messy && i % 151 === 20 && dataRows < options.rows && !bad.has(rowNumber() - 1)) {
      // The same person again, written differently but meaning the same.
      const again = [...row];
      again[0] = n;
      duplicates.set(rowNumber(), rowNumber() - 1);
      rows.push(again);
      dataRows++;
    }
  }
  return { headings: legacyHeadings, rows, bad, duplicates, formulaRow, dataRows };
}

export function legacyCsv(file: LegacyFile): Buffer {
  const text = stringify([file.headings, ...file.rows.map((r) => (r ? r.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : c === null ? '' : String(c))) : []))]);
  return Buffer.from(text, 'utf8');
}

export async function legacyXlsx(file: LegacyFile): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Register');
  sheet.addRow(file.headings);
  for (const r of file.rows) {
    if (!r) {
      sheet.addRow([]);
      continue;
    }
    const added = sheet.addRow(r.map((c) => c ?? ''));
    r.forEach((c, i) => {
      if (typeof c === 'string' && c.startsWith('=')) added.getCell(i + 1).value = { formula: c.slice(1), result: 'click' };
      if (c instanceof Date) added.getCell(i + 1).numFmt = 'dd/mm/yyyy';
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
