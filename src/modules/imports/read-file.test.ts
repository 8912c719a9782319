import { describe, expect, it } from 'vitest';
import { readUpload, UploadFormatError } from './read-file.ts';
import { legacyCsv, legacyHeadings, legacyRegister, legacyXlsx } from './testing/legacy-file.ts';

describe('reading an uploaded register', () => {
  const file = legacyRegister({ rows: 120, messy: true, xlsx: true, skip: 300_000 });

  it('reads the first worksheet of a workbook: headings, row numbers as in the sheet, blank rows skipped, date cells as dates, formulas as text', async () => {
    const read = await readUpload(await legacyXlsx(file), 'register.xlsx');
    expect(read.format).toBe('xlsx');
    expect(read.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(read.headings).toEqual(legacyHeadings);
    expect(read.rows).toHaveLength(file.dataRows);
    // The blank line keeps its place in the numbering but is not a row.
    const blank = file.rows.findIndex((r) => r === null) + 2;
    expect(read.rows.some((r) => r.rowNumber === blank)).toBe(false);
    expect(read.rows.at(-1)!.rowNumber).toBe(file.rows.length + 1);
    const formula = read.rows.find((r) => r.rowNumber === file.formulaRow)!;
    expect(formula.cells.Notes).toBe('=HYPERLINK("http://example.invalid","click")');
    expect(read.rows.some((r) => Object.values(r.cells).some((c) => c instanceof Date))).toBe(true);
  });

  it('reads CSV the same way, blank lines skipped', async () => {
    const read = await readUpload(legacyCsv(file), 'register.csv');
    expect(read.format).toBe('csv');
    expect(read.rows).toHaveLength(file.dataRows);
    expect(read.rows.at(-1)!.rowNumber).toBe(file.rows.length + 1);
  });

  it('refuses a file that is neither', async () => {
    await expect(readUpload(Buffer.from([0, 1, 2, 3]), 'register.xlsx')).rejects.toThrow(UploadFormatError);
    await expect(readUpload(Buffer.from('NHS Number\n"unterminated'), 'register.csv')).rejects.toThrow(/not valid CSV/);
    await expect(readUpload(Buffer.from(''), 'register.csv')).rejects.toThrow(/empty/);
  });
});
