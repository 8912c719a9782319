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
  parseFundingSplit,
  parseSectionLabel,
  parseWeeklyCost,
  resolveIcb,
  resolveLocalAuthority,
  type CcgSuccessor,
  type KnownOrganisation,
  type LegacyRecord,
  type SectionMeaning,
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
    expect((parseSectionLabel(label) as SectionMeaning | null)?.code).toBe(code);
  });

  it('reads CTO as a detention under s3 followed by a CTO', () => {
    expect(parseSectionLabel('CTO')).toEqual({ code: '03', section: 's3', cto: true, sectionStated: false });
  });

  it.each([
    ['CTO (s3)', '03', 's3'],
    ['CTO (37)', '10', 's37'],
    ['s37 CTO', '10', 's37'],
    ['CTO s.3', '03', 's3'],
    ['Community Treatment Order (s3)', '03', 's3'],
    ['community treatment order under section 37', '10', 's37'],
    ['CTO - S3', '03', 's3'],
    ['S3/CTO', '03', 's3'],
    ['s17A (s37)', '10', 's37'],
  ])('reads the legacy label %s as a detention under the section stated, then a CTO', (label, code, section) => {
    expect(parseSectionLabel(label)).toEqual({ code, section, cto: true, sectionStated: true });
  });

  it('refuses a CTO after a section no CTO can follow, naming it', () => {
    expect(parseSectionLabel('CTO (s2)')).toEqual({ error: expect.stringContaining('not s2') });
    expect(parseSectionLabel('CTO (37/41)')).toEqual({ error: expect.stringContaining('not s37/41') });
    expect(parseSectionLabel('CTO (s999)')).toBeNull();
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

  const successor: CcgSuccessor = { ccg: 'NHS Northumberland CCG (00L)', icbName: 'NHS North East and North Cumbria Integrated Care Board', icbOdsCode: 'QHM', icbOnsCode: 'E54000050' };
  const formerCcg = (text: string) => (['00L', 'NHS Northumberland CCG'].includes(text) ? successor : null);

  it('reads a former CCG as the ICB of the partnership that replaced it, with a note', () => {
    const withIcb: KnownOrganisation[] = [...orgs, { type: 'icb', code: 'QHM', onsCode: 'E54000050', name: 'NHS North East and North Cumbria ICB' }];
    expect(resolveIcb('NHS Northumberland CCG', withIcb, formerCcg)).toEqual({ code: 'E54000050', warning: expect.stringContaining('read as NHS North East and North Cumbria ICB') });
    expect(resolveIcb('00L', withIcb, formerCcg)).toEqual({ code: 'E54000050', warning: expect.stringContaining('former NHS Northumberland CCG (00L)') });
  });

  it('keeps the successor ICB of a former CCG outside the partnership, and warns', () => {
    expect(resolveIcb('NHS Northumberland CCG', orgs, formerCcg)).toEqual({ code: 'E54000050', warning: expect.stringContaining('which is not an ICB of this partnership') });
    expect(resolveIcb('NHS Atlantis CCG', orgs, formerCcg)).toEqual({ error: expect.stringContaining("'NHS Atlantis CCG'") });
  });
});

describe('funding', () => {
  it('reads a weekly cost written any usual way, in pence', () => {
    expect(parseWeeklyCost('£1,250.50')).toEqual({ pence: 125050 });
    expect(parseWeeklyCost('1250')).toEqual({ pence: 125000 });
    expect(parseWeeklyCost('£420 pw')).toEqual({ pence: 42000 });
    expect(parseWeeklyCost(380.2)).toEqual({ pence: 38020 });
    expect(parseWeeklyCost('')).toBeNull();
    expect(parseWeeklyCost('lots')).toEqual({ error: expect.stringContaining("weekly cost 'lots' is not an amount of money") });
    expect(parseWeeklyCost('£250,000')).toEqual({ error: expect.stringContaining('more than £100,000 a week') });
  });

  it('reads the council and ICB shares as percentages or fractions', () => {
    expect(parseFundingSplit('60%', '40%')).toEqual({ localAuthorityBasisPoints: 6000 });
    expect(parseFundingSplit('60', '40')).toEqual({ localAuthorityBasisPoints: 6000 });
    expect(parseFundingSplit(0.6, 0.4)).toEqual({ localAuthorityBasisPoints: 6000 });
    expect(parseFundingSplit('33.33', '66.67')).toEqual({ localAuthorityBasisPoints: 3333 });
    expect(parseFundingSplit('100', '0')).toEqual({ localAuthorityBasisPoints: 10000 });
    expect(parseFundingSplit('', '')).toBeNull();
  });

  it('takes one share alone as giving the other', () => {
    expect(parseFundingSplit('70%', '')).toEqual({ localAuthorityBasisPoints: 7000 });
    expect(parseFundingSplit('', '25')).toEqual({ localAuthorityBasisPoints: 7500 });
  });

  it('refuses shares that do not add up to 100%, saying what they add up to', () => {
    expect(parseFundingSplit('70%', '50%')).toEqual({ error: 'the council and ICB shares add up to 120%; they must add up to 100%' });
    expect(parseFundingSplit('50', '49.5')).toEqual({ error: 'the council and ICB shares add up to 99.5%; they must add up to 100%' });
    expect(parseFundingSplit('half', '50')).toEqual({ error: expect.stringContaining("'half' is not a percentage") });
    expect(parseFundingSplit('150', '')).toEqual({ error: expect.stringContaining('from 0 to 100') });
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

  it('guesses the funding columns, and tells "LA %" from "LA"', () => {
    expect(guessMapping(['NHS No', 'LA', 'Weekly cost (£)', 'LA %', 'ICB %'])).toMatchObject({ localAuthority: 'LA', weeklyCost: 'Weekly cost (£)', laShare: 'LA %', icbShare: 'ICB %' });
    expect(guessMapping(['Cost per week', 'LA share', 'Health %'])).toEqual({ weeklyCost: 'Cost per week', laShare: 'LA share', icbShare: 'Health %' });
  });

  it('guesses only the columns a file has', () => {
    expect(guessMapping(['NHS Number', 'Section', 'Date detained'])).toEqual({ nhsNumber: 'NHS Number', section: 'Section', detainedOn: 'Date detained' });
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

  it('records a "CTO (37)" row as a detention under s37 then a CTO on the date discharged', () => {
    const n = normaliseRow(row({ Section: 'CTO (37)' }), mapping, context);
    if (!n.ok) throw new Error(n.errors.join());
    expect(n.record).toMatchObject({ legalStatusCode: '10', section: 's37', cto: true });
    expect(eventsForRecord(n.record).map((e) => [e.type, e.date, e.payload])).toEqual([
      ['detention-started', '2023-02-01', { legalStatusCode: '10', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' }],
      ['detention-ended', '2023-03-03', { reason: 'cto' }],
      ['left-hospital', '2023-03-03', {}],
      ['reviewed', '2023-09-01', {}],
    ]);
    expect(n.warnings.join()).toContain('recorded as a detention under s37, then a community treatment order');
  });

  it('rejects a row whose section gives no right to aftercare, or imports it with a warning when told to accept it', () => {
    const rejected = normaliseRow(row({ Section: 's136' }), mapping, context);
    expect(rejected.ok).toBe(false);
    if (rejected.ok) return;
    expect(rejected.errors.join()).toContain("section 's136' (s136) gives no right to section 117 aftercare");
    const accepted = normaliseRow(row({ Section: 's2' }), mapping, { ...context, noEntitlement: 'accept' });
    if (!accepted.ok) throw new Error(accepted.errors.join());
    expect(accepted.record.legalStatusCode).toBe('02');
    expect(accepted.warnings.join()).toContain("section 's2' (s2) gives no right to section 117 aftercare: imported as accepted");
  });

  it('keeps the weekly cost and the split, and rejects a split that is not 100%', () => {
    const funded = guessMapping([...headings, 'Weekly cost', 'LA %', 'ICB %']);
    const ok = normaliseRow({ ...row(), 'Weekly cost': '£1,200', 'LA %': '60%', 'ICB %': '40%' }, funded, context);
    if (!ok.ok) throw new Error(ok.errors.join());
    expect(ok.record).toMatchObject({ weeklyCostPence: 120000, localAuthorityBasisPoints: 6000 });
    const bad = normaliseRow({ ...row(), 'Weekly cost': '£1,200', 'LA %': '70%', 'ICB %': '50%' }, funded, context);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toContain('the council and ICB shares add up to 120%; they must add up to 100%');
  });

  it('reads a row with only the required columns', () => {
    const only = { 'NHS No': '999 000 0018', Forename: 'Ann', Surname: 'Able', DOB: '03/04/1980', Section: 'S3', 'Date Detained': '1/2/2023', 'Responsible LA': 'Northvale Council', 'Responsible ICB/CCG': 'QZV' };
    const n = normaliseRow(only, guessMapping(Object.keys(only)), context);
    if (!n.ok) throw new Error(n.errors.join());
    expect(n.record).toMatchObject({ nhsNumber: '9990000018', dischargedOn: null, s117Status: 'not-stated', weeklyCostPence: null, localAuthorityBasisPoints: null });
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
