import { describe, expect, it } from 'vitest';
import {
  cellText,
  escapeFormula,
  eventsForRecord,
  excelSerialDate,
  findDuplicates,
  guessMapping,
  isBlankRow,
  looksLikeFormula,
  normaliseRow,
  parseLegacyDate,
  parseNhsNumber,
  parseS117Status,
  parseSectionLabel,
  resolveIcb,
  resolveLocalAuthority,
  type KnownOrganisation,
  type LegacyRecord,
} from './legacy-register.ts';

const uk = { dayFirst: true, pivotYear: 26 };
const us = { dayFirst: false, pivotYear: 26 };
const date = (v: Parameters<typeof parseLegacyDate>[0], o = uk) => {
  const r = parseLegacyDate(v, o);
  return r && 'date' in r ? r.date : r;
};

const orgs: KnownOrganisation[] = [
  { type: 'icb', code: 'QZV', onsCode: 'E54000901', name: 'NHS Northvale and Southmere Integrated Care Board' },
  { type: 'local-authority', code: 'E06000901', onsCode: null, name: 'Northvale Council' },
  { type: 'local-authority', code: 'E06000902', onsCode: null, name: 'Southmere Borough Council' },
  { type: 'nhs-trust', code: 'RZV', onsCode: null, name: 'Northvale and Southmere Mental Health NHS Foundation Trust' },
];

describe('NHS numbers', () => {
  it('accepts spaces and dashes and checks the Modulus 11 digit', () => {
    expect(parseNhsNumber('999 000 0018')).toEqual({ nhsNumber: '9990000018' });
    expect(parseNhsNumber('999-000-0018')).toEqual({ nhsNumber: '9990000018' });
    expect(parseNhsNumber(9990000018)).toEqual({ nhsNumber: '9990000018' });
    expect(parseNhsNumber('9990000019')).toEqual({ error: expect.stringContaining('Modulus 11') });
    expect(parseNhsNumber('12345')).toEqual({ error: expect.stringContaining('not 10 digits') });
    expect(parseNhsNumber('')).toEqual({ error: 'the NHS number is empty' });
  });
});

describe('dates', () => {
  it('reads ISO, UK numeric, two-digit years, month names and ISO with a time', () => {
    expect(date('2024-03-05')).toBe('2024-03-05');
    expect(date('05/03/2024')).toBe('2024-03-05');
    expect(date('5/3/24')).toBe('2024-03-05');
    expect(date('5/3/85')).toBe('1985-03-05');
    expect(date('5.3.2024')).toBe('2024-03-05');
    expect(date('3 Mar 2024')).toBe('2024-03-03');
    expect(date('3rd March 2024')).toBe('2024-03-03');
    expect(date('3-Mar-24')).toBe('2024-03-03');
    expect(date('March 3, 2024')).toBe('2024-03-03');
    expect(date('2024-03-03T00:00:00.000Z')).toBe('2024-03-03');
  });

  it('resolves ambiguous day and month day first by default, month first when asked', () => {
    expect(date('03/04/2024', uk)).toBe('2024-04-03');
    expect(date('03/04/2024', us)).toBe('2024-03-04');
    // A part above 12 settles it whatever the option, with a warning when read month first.
    expect(date('13/04/2024', us)).toBe('2024-04-13');
    const monthFirst = parseLegacyDate('04/13/2024', uk);
    expect(monthFirst).toEqual({ date: '2024-04-13', warning: expect.stringContaining('month first') });
  });

  it('reads Excel serial numbers and Date cells', () => {
    expect(excelSerialDate(45354)).toBe('2024-03-03');
    expect(date(45354)).toBe('2024-03-03');
    expect(date('45354')).toBe('2024-03-03');
    expect(date(new Date(Date.UTC(2024, 2, 3)))).toBe('2024-03-03');
  });

  it('refuses what is not a date, with the cell in the reason', () => {
    expect(parseLegacyDate('31/02/2024', uk)).toEqual({ error: "'31/02/2024' is not a real date" });
    expect(parseLegacyDate('13/13/2024', uk)).toEqual({ error: expect.stringContaining('neither') });
    expect(parseLegacyDate('soon', uk)).toEqual({ error: expect.stringContaining("'soon'") });
    expect(parseLegacyDate('3 Smarch 2024', uk)).toEqual({ error: expect.stringContaining('not a month') });
    expect(parseLegacyDate('', uk)).toBeNull();
  });
});

describe('sections', () => {
  it.each([
    ['S3', '03'],
    ['s.3', '03'],
    ['Section 3', '03'],
    ['sec 3', '03'],
    ['3', '03'],
    ['section 37/41', '09'],
    ['37/41', '09'],
    ['s37 / s41', '09'],
    ['37-41', '09'],
    ['s47/49', '15'],
    ['s48/49', '17'],
    ['S37', '10'],
    ['s2', '02'],
    ['s5(2)', '05'],
    ['s45A', '37'],
  ])('%s is legal status code %s', (label, code) => {
    expect(parseSectionLabel(label)?.code).toBe(code);
  });

  it('reads CTO as a detention under s3 followed by a CTO', () => {
    expect(parseSectionLabel('CTO')).toEqual({ code: '03', section: 's3', cto: true });
  });

  it('knows nothing of other labels', () => {
    expect(parseSectionLabel('xyz')).toBeNull();
    expect(parseSectionLabel('s999')).toBeNull();
    expect(parseSectionLabel('')).toBeNull();
  });
});

describe('organisations', () => {
  it('finds a local authority by ONS code or name, and keeps a valid code outside the partnership', () => {
    expect(resolveLocalAuthority('Northvale Council', orgs)).toEqual({ code: 'E06000901' });
    expect(resolveLocalAuthority('northvale', orgs)).toEqual({ code: 'E06000901' });
    expect(resolveLocalAuthority('e06000902', orgs)).toEqual({ code: 'E06000902' });
    expect(resolveLocalAuthority('E09000033', orgs)).toEqual({ code: 'E09000033' });
    expect(resolveLocalAuthority('Atlantis Council', orgs)).toEqual({ error: expect.stringContaining("'Atlantis Council'") });
    expect(resolveLocalAuthority('', orgs)).toBeNull();
  });

  it('finds the ICB by ONS code, ODS code or name', () => {
    expect(resolveIcb('E54000901', orgs)).toEqual({ code: 'E54000901' });
    expect(resolveIcb('QZV', orgs)).toEqual({ code: 'E54000901' });
    expect(resolveIcb('NHS Northvale and Southmere ICB', orgs)).toEqual({ code: 'E54000901' });
    expect(resolveIcb('Northvale CCG', orgs)).toEqual({ error: expect.stringContaining('CCG') });
  });
});

describe('cells', () => {
  it('flags would-be formulas and escapes them for export', () => {
    for (const s of ['=1+1', '+44', '-3', '@SUM(A1)']) {
      expect(looksLikeFormula(s)).toBe(true);
      expect(escapeFormula(s)).toBe(`'${s}`);
    }
    expect(escapeFormula('Ann')).toBe('Ann');
  });

  it('treats a row of empty cells as blank', () => {
    expect(isBlankRow({ a: '', b: null, c: '  ' })).toBe(true);
    expect(isBlankRow({ a: '', b: 0 })).toBe(false);
    expect(cellText(3)).toBe('3');
  });

  it('reads section 117 statuses', () => {
    expect(parseS117Status('Active')).toBe('active');
    expect(parseS117Status('closed')).toBe('ended');
    expect(parseS117Status('')).toBe('not-stated');
    expect(parseS117Status('maybe')).toEqual({ error: expect.stringContaining("'maybe'") });
  });
});

const headings = ['NHS No', 'Forename', 'Surname', 'DOB', 'Postcode', 'Section', 'Date Detained', 'Date Discharged', 'Responsible LA', 'Responsible ICB/CCG', 'Team', 'Care Coordinator', 'Last Review', 'Next Review', 'S117 Status', 'Date Aftercare Ended', 'Notes'];

describe('mapping', () => {
  it('guesses every field from the usual headings', () => {
    const m = guessMapping(headings);
    expect(m).toMatchObject({ nhsNumber: 'NHS No', dateOfBirth: 'DOB', localAuthority: 'Responsible LA', icb: 'Responsible ICB/CCG', s117Status: 'S117 Status', aftercareEndedOn: 'Date Aftercare Ended', detainedOn: 'Date Detained' });
    expect(Object.keys(m)).toHaveLength(17);
  });
});

describe('rows', () => {
  const mapping = guessMapping(headings);
  const context = { ...uk, organisations: orgs };
  const row = (over: Record<string, unknown> = {}) => ({
    'NHS No': '999 000 0018', Forename: 'Ann', Surname: 'Able', DOB: '03/04/1980', Postcode: 'nv12ab', Section: 'S3',
    'Date Detained': '1/2/2023', 'Date Discharged': '3 Mar 2023', 'Responsible LA': 'Northvale Council', 'Responsible ICB/CCG': 'QZV',
    Team: '', 'Care Coordinator': '', 'Last Review': '2023-09-01', 'Next Review': '', 'S117 Status': 'active', 'Date Aftercare Ended': '', Notes: '',
    ...over,
  }) as Record<string, string>;

  it('normalises a messy valid row', () => {
    const n = normaliseRow(row(), mapping, context);
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.record).toMatchObject({ nhsNumber: '9990000018', dateOfBirth: '1980-04-03', postcode: 'NV1 2AB', legalStatusCode: '03', detainedOn: '2023-02-01', dischargedOn: '2023-03-03', localAuthority: 'E06000901', icb: 'E54000901', lastReviewOn: '2023-09-01' });
  });

  it('lists every reason a row is rejected', () => {
    const n = normaliseRow(row({ 'NHS No': '9990000019', Section: 'xyz', 'Date Detained': 'soon', 'Responsible LA': 'Atlantis' }), mapping, context);
    expect(n.ok).toBe(false);
    if (n.ok) return;
    expect(n.errors.join('\n')).toContain('Modulus 11');
    expect(n.errors.join('\n')).toContain("section 'xyz' is not a Mental Health Act section Aftercare knows");
    expect(n.errors.join('\n')).toContain("'soon'");
    expect(n.errors.join('\n')).toContain("'Atlantis'");
  });

  it('keeps a formula cell as text with a warning', () => {
    const n = normaliseRow(row({ Notes: '=HYPERLINK("http://x")' }), mapping, context);
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.record.notes).toBe('=HYPERLINK("http://x")');
    expect(n.warnings.join()).toContain("'Notes' starts with =");
  });

  it('derives events and externalIds from the content, never an ending of aftercare', () => {
    const n = normaliseRow(row({ 'S117 Status': 'ended', 'Date Aftercare Ended': '2024-01-01' }), mapping, context);
    if (!n.ok) throw new Error('row should be valid');
    const events = eventsForRecord(n.record);
    expect(events.map((e) => e.externalId)).toEqual([
      'import:9990000018:detention-started:2023-02-01:03',
      'import:9990000018:detention-ended:2023-03-03:03',
      'import:9990000018:left-hospital:2023-03-03:03',
      'import:9990000018:reviewed:2023-09-01',
    ]);
    expect(events.some((e) => (e.type as string) === 'aftercare-ended')).toBe(false);
  });

  it('finds duplicates and conflicting duplicates within a file', () => {
    const rec = (over: Partial<LegacyRecord>): LegacyRecord => ({ ...(normaliseRow(row(), mapping, context) as { record: LegacyRecord }).record, ...over });
    const result = findDuplicates([
      { rowNumber: 2, record: rec({}) },
      { rowNumber: 3, record: rec({}) },
      { rowNumber: 4, record: rec({ nhsNumber: '9990000026' }) },
      { rowNumber: 5, record: rec({ nhsNumber: '9990000026', detainedOn: '2020-01-01' }) },
    ]);
    expect(result.get(2)).toEqual({ kind: 'first' });
    expect(result.get(3)).toEqual({ kind: 'duplicate', of: 2 });
    expect(result.get(4)).toEqual({ kind: 'conflict', with: [5] });
    expect(result.get(5)).toEqual({ kind: 'conflict', with: [4] });
  });
});
