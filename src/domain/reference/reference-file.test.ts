import { describe, expect, it } from 'vitest';
import { formatReferenceFile, odsNameToTitle, refreshReferenceFile, ReferenceFileError, type ReferenceFile } from './reference-file.ts';
import { referenceBody, referenceName, referenceTrusts } from './organisations.ts';

const las: ReferenceFile = {
  kind: 'local-authorities',
  source: 'old',
  licence: 'Open Government Licence v3.0',
  compiled: '2026-01-01',
  bodies: [
    { code: 'E06000030', name: 'Swindon Borough Council' },
    { code: 'E06000099', name: 'A council since abolished' },
    { code: 'E10000012', name: 'Essex County Council' },
  ],
};

describe('refreshing a reference list from an official download', () => {
  it('takes an ONS districts file: councils with social services duties only, names of councils kept, county councils left alone', () => {
    const rows = [
      ['LAD23CD', 'LAD23NM', 'LAD23NMW', 'ObjectId'],
      ['E06000030', 'Swindon', '', '1'],
      ['E06000001', 'Hartlepool', '', '2'],
      ['E07000066', 'Basildon', '', '3'],
    ];
    const result = refreshReferenceFile('local-authorities', rows, las, { compiled: '2026-12-07', source: 'ONS LAD 2023' });
    expect(result.file.bodies).toEqual([
      { code: 'E06000001', name: 'Hartlepool' },
      { code: 'E06000030', name: 'Swindon Borough Council' },
      { code: 'E10000012', name: 'Essex County Council' },
    ]);
    expect(result.added.map((b) => b.code)).toEqual(['E06000001']);
    expect(result.removed.map((b) => b.code)).toEqual(['E06000099']);
    expect(result.skipped).toBe(1);
    expect(result.file.compiled).toBe('2026-12-07');
    expect(result.file.source).toBe('ONS LAD 2023');
  });

  it('reads ICB files with their ODS codes', () => {
    const icbs: ReferenceFile = { ...las, kind: 'icbs', bodies: [{ code: 'W11000023', odsCode: '7A1', name: 'Betsi Cadwaladr University Health Board' }] };
    const rows = [['ICB23CD', 'ICB23CDH', 'ICB23NM'], ['E54000040', 'QOX', 'NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board']];
    const result = refreshReferenceFile('icbs', rows, icbs, { compiled: '2026-12-07', source: 'ONS ICB 2023' });
    expect(result.file.bodies).toEqual([
      { code: 'E54000040', odsCode: 'QOX', name: 'NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board' },
      { code: 'W11000023', odsCode: '7A1', name: 'Betsi Cadwaladr University Health Board' },
    ]);
  });

  it('reads ODS etr.csv (no header), drops closed trusts and writes names in title case', () => {
    const trusts: ReferenceFile = { ...las, kind: 'trusts', bodies: [{ code: 'RW3', name: 'Central Manchester University Hospitals NHS Foundation Trust' }] };
    const rows = [
      ['RXT', 'BIRMINGHAM AND SOLIHULL MENTAL HEALTH NHS FOUNDATION TRUST', 'Y60', 'QHL', 'UNIT 1', '', '', '', '', 'B1 3RB', '20110401', ''],
      ['RW3', 'CENTRAL MANCHESTER UNIVERSITY HOSPITALS NHS FOUNDATION TRUST', 'Y62', 'QOP', '', '', '', '', '', 'M13 9WL', '20010401', '20170930'],
    ];
    const result = refreshReferenceFile('trusts', rows, trusts, { compiled: '2026-12-07', source: 'ODS etr.csv' });
    expect(result.file.bodies).toEqual([{ code: 'RXT', name: 'Birmingham and Solihull Mental Health NHS Foundation Trust' }]);
    expect(result.removed.map((b) => b.code)).toEqual(['RW3']);
  });

  it('says which columns it needs when the file is not an ONS names-and-codes file', () => {
    expect(() => refreshReferenceFile('local-authorities', [['Code', 'Name'], ['E06000001', 'Hartlepool']], las, { compiled: 'x', source: 'y' })).toThrow(ReferenceFileError);
    expect(() => refreshReferenceFile('local-authorities', [['Code', 'Name']], las, { compiled: 'x', source: 'y' })).toThrow(/LADyyCD and LADyyNM/);
  });

  it('title-cases ODS names as people write them', () => {
    expect(odsNameToTitle("ST GEORGE'S UNIVERSITY HOSPITALS NHS FOUNDATION TRUST")).toBe("St George's University Hospitals NHS Foundation Trust");
    expect(odsNameToTitle('TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST')).toBe('Tees, Esk and Wear Valleys NHS Foundation Trust');
  });

  it('formats a file one body a line, read back unchanged', () => {
    expect(JSON.parse(formatReferenceFile(las))).toEqual(las);
  });
});

describe('the shipped trusts', () => {
  it('names NHS trusts by ODS code and knows an ICB by its ODS code too', () => {
    expect(referenceTrusts.length).toBeGreaterThan(200);
    for (const t of referenceTrusts) expect(t.code).toMatch(/^R[A-Z0-9]{2}$/);
    expect(referenceName('RXT')).toBe('Birmingham and Solihull Mental Health NHS Foundation Trust');
    expect(referenceBody('rxt')?.kind).toBe('nhs-trust');
    expect(referenceBody('QOX')).toMatchObject({ kind: 'icb', code: 'E54000040', odsCode: 'QOX' });
    expect(referenceBody('E06000030')).toMatchObject({ kind: 'local-authority', name: 'Swindon Borough Council' });
    expect(referenceBody('E07000066')).toBeNull();
  });
});
