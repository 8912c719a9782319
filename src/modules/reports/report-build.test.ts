import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { queryFromSearch, searchOf, tablesOfBlocks, tablesWorkbook, toReportQuery } from './report-build.ts';

describe('scheduled report workbooks', () => {
  it('writes whole numbers as numbers and neutralises any text a spreadsheet would run', () => {
    const [table] = tablesOfBlocks([
      {
        id: 'x',
        title: 'Figures',
        svg: null,
        headers: [{ text: 'Measure' }, { text: 'People', numeric: true }],
        rows: [
          [{ text: '=HYPERLINK("http://evil.example")' }, { text: '1,234', numeric: true }],
          [{ text: '@SUM(A1)' }, { text: 'fewer than 5', numeric: true }],
          [{ text: 'Cost' }, { text: '-£12.00', numeric: true }],
        ],
      },
    ]);
    expect(table!.rows).toEqual([
      [`'=HYPERLINK("http://evil.example")`, 1234],
      [`'@SUM(A1)`, 'fewer than 5'],
      ['Cost', `'-£12.00`],
    ]);
  });

  it('builds a workbook ExcelJS opens, with an About sheet and one sheet per table', async () => {
    const bytes = await tablesWorkbook({ title: '+Report', recipient: 'Alex', builtOn: '2026-11-24', filters: 'Northvale Council', notes: ['A note'] }, [
      { title: 'Reviews: due / overdue?', headers: ['Review', 'People'], rows: [['Overdue', 3]] },
      { title: 'Reviews: due / overdue?', headers: ['Review', 'People'], rows: [['Due', 4]] },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Reviews  due   overdue', 'Reviews  due   overdue 2']);
    expect(wb.getWorksheet('About')!.getCell('B1').value).toBe(`'+Report`);
    expect(wb.worksheets[1]!.getCell('B3').value).toBe(3);
  });

  it('reads queries from links and storage, dropping blanks', () => {
    expect(queryFromSearch('la=E06000901&status=entitled&status=pending&q=')).toEqual({ la: ['E06000901'], status: ['entitled', 'pending'] });
    expect(toReportQuery({ la: 'E06000901', team: [' ', 'abc'], bad: 3 })).toEqual({ la: ['E06000901'], team: ['abc'] });
    expect(toReportQuery(['x'])).toEqual({});
    expect(searchOf({ status: ['entitled', 'pending'] })).toBe('status=entitled&status=pending');
  });
});
