import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula, tableCells, tableCsv, tableXlsx, type Table } from './table.ts';

interface Row {
  name: string;
  on: string | null;
  days: number;
}

const table: Table<Row> = {
  title: 'People: [test]',
  rows: [
    { name: '=HYPERLINK("http://example.invalid","x")', on: '2026-03-01', days: 12 },
    { name: "O'Brien", on: null, days: 0 },
    { name: '@SUM(A1)', on: null, days: 3 },
  ],
  columns: [
    { header: 'Name', width: 20, value: (r) => r.name },
    { header: 'On', width: 12, date: true, value: (r) => r.on },
    { header: 'Days', width: 6, number: true, value: (r) => r.days },
  ],
};

async function text(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('list downloads', () => {
  it('neutralises every cell a spreadsheet would run as a formula, and nothing else', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${start}1`)).toBe(`'${start}1`);
    expect(tableCells(table, table.rows[0]!)).toEqual([`'=HYPERLINK("http://example.invalid","x")`, '2026-03-01', '12']);
    expect(tableCells(table, table.rows[1]!)).toEqual(["O'Brien", '', '0']);
  });

  it('writes CSV with a byte-order mark, a heading row and CRLF line ends', async () => {
    const csv = (await text(tableCsv(table))).toString('utf8');
    expect(csv.startsWith('\uFEFFName,On,Days\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://example.invalid"",""x"")",2026-03-01,12\r\n`);
    expect(csv).toContain("'@SUM(A1),,3");
  });

  it('writes XLSX with real dates and numbers, neutralised text and a valid sheet name', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await text(tableXlsx(table, '=Someone'))) as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('People   test ');
    expect(sheet.getRow(1).values).toEqual([undefined, 'Name', 'On', 'Days']);
    expect(sheet.getRow(2).getCell(1).value).toBe(`'=HYPERLINK("http://example.invalid","x")`);
    expect(sheet.getRow(2).getCell(2).value).toEqual(new Date('2026-03-01T00:00:00.000Z'));
    expect(sheet.getRow(2).getCell(3).value).toBe(12);
    expect(sheet.getRow(4).getCell(1).value).toBe("'@SUM(A1)");
    expect(wb.creator).toBe("'=Someone");
  });
});
