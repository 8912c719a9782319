/**
 * Reading a legacy section 117 register: the spreadsheet a partnership kept before Aftercare
 * (issue 7, item 6). Pure: no I/O, no clock (the caller passes the pivot year for two-digit
 * years). Every function turns one messy cell into a clean value or a reason in plain English.
 *
 * Sources:
 * - NHS number: NHS Data Dictionary "NHS Number" (ten digits, Modulus 11 check digit), see
 *   nhs-number.ts.
 * - Sections: Mental Health Act 1983 ss2, 3, 37, 41, 45A, 47, 48, 49 and NHS Data Dictionary
 *   "Mental Health Act Legal Status Classification Code" (legal-status-codes.ts). A community
 *   treatment order (s17A) can follow only a detention for treatment under s3 or an unrestricted
 *   hospital order under s37 (s17A(1) and Sch 1 Pt 1); both give a right to aftercare under
 *   s117(1), so a register's "CTO" is read as s3 (the commoner route) with a warning to check.
 * - Dates: UK registers write day first (dd/mm/yyyy); Excel stores dates as serial day numbers
 *   counted from 1899-12-30 (the 1900 leap-year bug makes 1 = 1900-01-01 for serials above 60).
 * - Formula cells: OWASP "CSV injection": a cell starting =, +, - or @ is read as text and
 *   neutralised with a leading apostrophe before it reaches any export.
 */
import { fromDayNumber, isInSupportedRange, isRealDate, toDayNumber, type IsoDate } from './calendar-date.ts';
import { lookupLegalStatusCode } from './legal-status-codes.ts';
import { nhsNumberProblem, normaliseNhsNumber } from './nhs-number.ts';

/** A cell as a file reader hands it over: text, a number, a Date (exceljs date cells) or nothing. */
export type CellValue = string | number | boolean | Date | null | undefined;

// ---------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------

export const importFields = [
  'nhsNumber',
  'givenName',
  'familyName',
  'dateOfBirth',
  'postcode',
  'section',
  'detainedOn',
  'dischargedOn',
  'localAuthority',
  'icb',
  'team',
  'careCoordinator',
  'lastReviewOn',
  'nextReviewOn',
  's117Status',
  'aftercareEndedOn',
  'weeklyCost',
  'laShare',
  'icbShare',
  'notes',
] as const;
export type ImportField = (typeof importFields)[number];

export const importFieldLabels: Record<ImportField, string> = {
  nhsNumber: 'NHS number',
  givenName: 'Forename',
  familyName: 'Surname',
  dateOfBirth: 'Date of birth',
  postcode: 'Postcode',
  section: 'Section',
  detainedOn: 'Date detained',
  dischargedOn: 'Date discharged',
  localAuthority: 'Responsible local authority',
  icb: 'Responsible ICB (or CCG)',
  team: 'Team',
  careCoordinator: 'Care coordinator',
  lastReviewOn: 'Last review date',
  nextReviewOn: 'Next review date',
  s117Status: 'Section 117 status',
  aftercareEndedOn: 'Date aftercare ended',
  weeklyCost: 'Weekly cost',
  laShare: 'Council share (LA %)',
  icbShare: 'ICB share (ICB %)',
  notes: 'Notes',
};

/** Each field in words for messages ("the file has no column for date of birth"). */
export const importFieldWords: Record<ImportField, string> = {
  nhsNumber: 'NHS number',
  givenName: 'forename',
  familyName: 'surname',
  dateOfBirth: 'date of birth',
  postcode: 'postcode',
  section: 'section',
  detainedOn: 'date detained',
  dischargedOn: 'date discharged',
  localAuthority: 'responsible local authority',
  icb: 'responsible ICB',
  team: 'team',
  careCoordinator: 'care coordinator',
  lastReviewOn: 'last review date',
  nextReviewOn: 'next review date',
  s117Status: 'section 117 status',
  aftercareEndedOn: 'date aftercare ended',
  weeklyCost: 'weekly cost',
  laShare: 'council share',
  icbShare: 'ICB share',
  notes: 'notes',
};

/**
 * Columns a file must have: without them no row can be imported (the name and date of birth
 * are needed to add anyone new). Every other column is optional: a file may have any of them.
 */
export const requiredFields: readonly ImportField[] = ['nhsNumber', 'givenName', 'familyName', 'dateOfBirth', 'section', 'detainedOn', 'localAuthority', 'icb'];

/** What people call each field in their spreadsheets, compared with letters and digits only. */
const headingSynonyms: Record<ImportField, string[]> = {
  nhsNumber: ['nhsnumber', 'nhsno', 'nhs', 'nhsnum'],
  givenName: ['forename', 'forenames', 'firstname', 'givenname', 'first'],
  familyName: ['surname', 'lastname', 'familyname', 'last'],
  dateOfBirth: ['dateofbirth', 'dob', 'birthdate', 'born'],
  postcode: ['postcode', 'postalcode', 'post'],
  section: ['section', 'mhasection', 'legalstatus', 'sectionofmha', 'mhastatus'],
  detainedOn: ['datedetained', 'detained', 'detentiondate', 'dateofdetention', 'admissiondate', 'dateadmitted', 'sectiondate'],
  dischargedOn: ['datedischarged', 'discharged', 'dischargedate', 'dateofdischarge'],
  localAuthority: ['responsiblela', 'la', 'localauthority', 'responsiblelocalauthority', 'council', 'responsiblecouncil'],
  icb: ['responsibleicbccg', 'responsibleicb', 'icb', 'ccg', 'icbccg', 'responsibleccg'],
  team: ['team', 'allocatedteam', 'cmht'],
  careCoordinator: ['carecoordinator', 'coordinator', 'caco', 'worker', 'leadpractitioner', 'allocatedworker'],
  lastReviewOn: ['lastreviewdate', 'lastreview', 'lastreviewed', 'datelastreviewed'],
  nextReviewOn: ['nextreviewdate', 'nextreview', 'reviewdue', 'nextreviewdue'],
  s117Status: ['s117status', 'section117status', 'status', '117status', 'aftercarestatus'],
  aftercareEndedOn: ['dateaftercareended', 'aftercareended', 's117enddate', 'dateended', 'enddate', 'dates117ended'],
  weeklyCost: ['weeklycost', 'costperweek', 'costpw', 'weeklyamount', 'weeklypackagecost', 'packagecostperweek', 'packagecost', 'costweekly', 'weeklyfunding', 'totalweeklycost'],
  laShare: ['lapercent', 'lashare', 'lasharepercent', 'lasplit', 'lasplitpercent', 'lacontribution', 'lacontributionpercent', 'councilpercent', 'councilshare', 'councilsharepercent', 'socialcarepercent', 'socialcareshare', 'lafundingpercent', 'lafunding', 'localauthoritypercent', 'localauthorityshare'],
  icbShare: ['icbpercent', 'icbshare', 'icbsharepercent', 'icbsplit', 'icbsplitpercent', 'icbcontribution', 'icbcontributionpercent', 'healthpercent', 'healthshare', 'healthsharepercent', 'healthsplit', 'nhspercent', 'nhsshare', 'ccgpercent', 'ccgshare', 'icbfundingpercent', 'icbfunding', 'icbccgpercent'],
  notes: ['notes', 'comments', 'comment', 'note'],
};

/** A heading compared by letters and digits only; "%" counts, as "LA %" is not "LA". */
const headingKey = (heading: string): string => heading.toLowerCase().replace(/%/g, 'percent').replace(/[^a-z0-9]/g, '');

/** The mapping a spreadsheet's headings suggest: each field to the first heading that names it. */
export function guessMapping(headings: readonly string[]): Partial<Record<ImportField, string>> {
  const mapping: Partial<Record<ImportField, string>> = {};
  const used = new Set<string>();
  for (const field of importFields) {
    const found = headings.find((h) => !used.has(h) && headingSynonyms[field].includes(headingKey(h)));
    if (found) {
      mapping[field] = found;
      used.add(found);
    }
  }
  return mapping;
}

// ---------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------

const FORMULA_START = /^[=+\-@]/;

/** True when a spreadsheet would run the text as a formula (OWASP CSV injection). */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** Text safe to put in a CSV or XLSX cell: a would-be formula gets a leading apostrophe. */
export function escapeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A cell as trimmed text ('' for nothing). Numbers are written without grouping. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value).trim();
}

/** A row with nothing in any cell is a blank line: skipped, not counted. */
export function isBlankRow(cells: Record<string, CellValue>): boolean {
  return Object.values(cells).every((v) => cellText(v) === '');
}

// ---------------------------------------------------------------------------
// NHS numbers
// ---------------------------------------------------------------------------

export function parseNhsNumber(value: CellValue): { nhsNumber: string } | { error: string } {
  const raw = cellText(value);
  const problem = nhsNumberProblem(raw);
  if (problem === 'missing') return { error: 'the NHS number is empty' };
  if (problem === 'not-ten-digits') return { error: `NHS number '${raw}' is not 10 digits` };
  if (problem === 'check-digit') return { error: `NHS number '${raw}' fails the Modulus 11 check digit: it is not a real NHS number` };
  return { nhsNumber: normaliseNhsNumber(raw) };
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

export interface DateOptions {
  /** Read an ambiguous 03/04/2024 as 3 April (true, the UK way) or 4 March (false). */
  dayFirst: boolean;
  /** Two-digit years up to this (0–99) are 20yy, later ones 19yy; the caller derives it from today. */
  pivotYear: number;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

/** Excel's day 0 is 1899-12-30 (so that its fictitious 1900-02-29 is day 60). */
const EXCEL_EPOCH = toDayNumber('1899-12-30');

function iso(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function fullYear(text: string, pivotYear: number): number {
  if (text.length === 4) return Number(text);
  const yy = Number(text);
  return yy <= pivotYear ? 2000 + yy : 1900 + yy;
}

export type ParsedDate = { date: IsoDate; warning?: string } | { error: string };

function checked(date: IsoDate, raw: string, warning?: string): ParsedDate {
  if (!isRealDate(date)) return { error: `'${raw}' is not a real date` };
  if (!isInSupportedRange(date)) return { error: `'${raw}' is outside the dates Aftercare accepts (1900 to 2199)` };
  return warning ? { date, warning } : { date };
}

/** An Excel serial day number (as a number cell, or digits in a CSV) as a date. */
export function excelSerialDate(serial: number): IsoDate {
  return fromDayNumber(EXCEL_EPOCH + Math.floor(serial));
}

/**
 * A date in any of the ways registers write them: 2024-03-03, 03/03/2024, 3/3/24, 3-3-2024,
 * 3.3.2024, "3 Mar 2024", "March 3, 2024", an Excel serial number, or a date cell.
 * dd/mm against mm/dd: a part above 12 settles it; otherwise `dayFirst` decides.
 */
export function parseLegacyDate(value: CellValue, options: DateOptions): ParsedDate | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { error: 'the date cell holds no valid date' };
    const d = value.toISOString().slice(0, 10);
    return checked(d, d);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 1 || value > 150_000) return { error: `'${value}' is not a date` };
    return checked(excelSerialDate(value), String(value), `${value} read as an Excel date serial number`);
  }
  const raw = cellText(value);
  if (raw === '') return null;
  // ISO, with or without a time (a date cell that went through JSON).
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(raw);
  if (m) return checked(iso(Number(m[1]), Number(m[2]), Number(m[3])), raw);
  m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(raw);
  if (m) return checked(iso(Number(m[1]), Number(m[2]), Number(m[3])), raw);
  // Numeric day/month/year with / - or . between.
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(raw);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const year = fullYear(m[3]!, options.pivotYear);
    const twoDigit = m[3]!.length === 2 ? ` (two-digit year read as ${year})` : '';
    if (a > 12 && b > 12) return { error: `'${raw}' is not a date: neither ${a} nor ${b} can be a month` };
    if (a > 12) return checked(iso(year, b, a), raw, twoDigit ? `'${raw}' read as ${iso(year, b, a)}${twoDigit}` : undefined);
    if (b > 12) return checked(iso(year, a, b), raw, `'${raw}' read month first as ${iso(year, a, b)}, because ${b} cannot be a month${twoDigit}`);
    const date = options.dayFirst ? iso(year, b, a) : iso(year, a, b);
    return checked(date, raw, twoDigit ? `'${raw}' read as ${date}${twoDigit}` : undefined);
  }
  // 3 Mar 2024, 3-Mar-24, 3rd March 2024
  m = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]+)\.?,?[\s-]+(\d{2}|\d{4})$/.exec(raw);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (!month) return { error: `'${raw}' is not a date: '${m[2]}' is not a month` };
    return checked(iso(fullYear(m[3]!, options.pivotYear), month, Number(m[1])), raw);
  }
  // March 3, 2024
  m = /^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(raw);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    if (!month) return { error: `'${raw}' is not a date: '${m[1]}' is not a month` };
    return checked(iso(Number(m[3]), month, Number(m[2])), raw);
  }
  // An Excel serial that arrived as text (a CSV saved from Excel with a number-formatted column).
  if (/^\d{5}(\.\d+)?$/.test(raw)) {
    const serial = Number(raw);
    if (serial >= 10_000 && serial <= 80_000) return checked(excelSerialDate(serial), raw, `${raw} read as an Excel date serial number`);
  }
  return { error: `'${raw}' is not a date Aftercare can read: write it as 03/03/2024 or 2024-03-03` };
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

export interface SectionMeaning {
  /** NHS Data Dictionary legal status code for the detention. */
  code: string;
  /** Short name, e.g. "s37/41". */
  section: string;
  /** The register says the person is on a CTO (after a detention under s3 or s37). */
  cto: boolean;
  /** For a CTO: whether the label said which section the detention was under ("CTO (s37)"), or s3 was assumed ("CTO"). */
  sectionStated: boolean;
}

const sectionCodes: Record<string, string> = {
  '2': '02', '3': '03', '4': '04', '5(2)': '05', '52': '05', '5(4)': '06', '54': '06', '35': '07', '36': '08',
  '37/41': '09', '3741': '09', '37': '10', '38': '12', '44': '13', '46': '14',
  '47/49': '15', '4749': '15', '47': '16', '48/49': '17', '4849': '17', '48': '18', '135': '19', '136': '20',
  '45a': '37',
};

/** A section label without any CTO words, as its legal status code. */
function plainSection(raw: string): { code: string; section: string } | null {
  const stripped = raw
    .replace(/mental health act|mha|1983/g, ' ')
    .replace(/^\s*(section|sect|sec|s)\b\.?\s*/, '')
    .replace(/^s\.?\s*/, '')
    .replace(/\s*(\/|&|and|with|-|\\|\+)\s*(section|sec|s)?\.?\s*/g, '/')
    .replace(/\s+/g, '');
  const code = sectionCodes[stripped];
  if (!code) return null;
  return { code, section: lookupLegalStatusCode(code)?.section ?? `s${stripped}` };
}

/** The words by which registers say "community treatment order". */
const CTO_WORDS = /\bcto\b|community treatment order|\b(?:s|sec|section)\.?\s*17a\b/;

/** Sections a community treatment order can follow (MHA 1983 s17A(1)): s3, and s37 without restrictions. */
const CTO_AFTER = new Set(['03', '10']);

/**
 * A section as registers write it ("S3", "s.3", "Section 3", "sec 37/41", "37-41", "s47/49",
 * "3") as its legal status code; a community treatment order with or without its section
 * ("CTO", "CTO (s3)", "CTO (37)", "s37 CTO", "CTO s.3", "Community Treatment Order (s3)") as the
 * detention it followed, marked as a CTO. Null when it is not a Mental Health Act section the
 * register knows; an error for a CTO under a section no CTO can follow ("CTO (s2)").
 */
export function parseSectionLabel(value: CellValue): SectionMeaning | { error: string } | null {
  const raw = cellText(value).toLowerCase();
  if (raw === '') return null;
  if (CTO_WORDS.test(raw)) {
    const rest = raw
      .replace(new RegExp(CTO_WORDS.source, 'g'), ' ')
      .replace(/\b(on|under|after|following|from|of|via|then)\b/g, ' ')
      .replace(/[()[\]{}:;,]/g, ' ')
      .replace(/^[\s/&+\\-]+|[\s/&+\\-]+$/g, '')
      .trim();
    if (rest === '') return { code: '03', section: 's3', cto: true, sectionStated: false };
    const under = plainSection(rest);
    if (!under) return null;
    if (!CTO_AFTER.has(under.code)) {
      return { error: `section '${cellText(value)}': a community treatment order can follow only a detention under s3 or s37 without restrictions (MHA 1983 s17A), not ${under.section}` };
    }
    return { ...under, cto: true, sectionStated: true };
  }
  const plain = plainSection(raw);
  return plain ? { ...plain, cto: false, sectionStated: true } : null;
}

/** Whether a legal status gives no right to aftercare at all (s2, s4, s5, s135, s136…: MHA 1983 s117(1)). */
export function givesNoRightToAftercare(code: string): boolean {
  return lookupLegalStatusCode(code)?.classification === 'not-qualifying';
}

// ---------------------------------------------------------------------------
// Funding: weekly cost and the split between the council and the ICB
// ---------------------------------------------------------------------------

/** The most a week's package can cost before the figure is taken for a typing error: £100,000. */
const MAX_WEEKLY_PENCE = 10_000_000;

/** A weekly cost as registers write it ("£1,250.00", "1250", "1,250 pw", a number cell) in pence. */
export function parseWeeklyCost(value: CellValue): { pence: number } | { error: string } | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return { error: `weekly cost '${value}' is not an amount of money` };
    const pence = Math.round(value * 100);
    return pence > MAX_WEEKLY_PENCE ? { error: `weekly cost '${value}' is more than £100,000 a week: check it` } : { pence };
  }
  const raw = cellText(value);
  if (raw === '') return null;
  const m = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:p\.?w\.?|per week|a week|\/\s*wk|\/\s*week|pw)?$/i.exec(raw.replace(/^gbp\s*/i, '£'));
  if (!m) return { error: `weekly cost '${raw}' is not an amount of money: write it as 1250.00 or £1,250` };
  const pence = Number(m[1]!.replace(/,/g, '')) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return pence > MAX_WEEKLY_PENCE ? { error: `weekly cost '${raw}' is more than £100,000 a week: check it` } : { pence };
}

/** A share as written: its number, and whether it can only be a percentage ("60%") or may be a fraction (0.6). */
function readShare(value: CellValue, label: string): { value: number; fractionPossible: boolean; raw: string } | { error: string } | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { error: `${label} '${value}' is not a percentage` };
    // A percentage cell in a workbook holds a fraction (60% is 0.6).
    return { value, fractionPossible: value <= 1, raw: String(value) };
  }
  const raw = cellText(value);
  if (raw === '') return null;
  const m = /^(\d{1,3}(?:\.\d+)?)\s*(%)?$/.exec(raw);
  if (!m) return { error: `${label} '${raw}' is not a percentage: write it as 60 or 60%` };
  return { value: Number(m[1]), fractionPossible: !m[2] && Number(m[1]) <= 1, raw };
}

const formatPercent = (basisPoints: number): string => `${Number((basisPoints / 100).toFixed(2))}%`;

/**
 * The council's and the ICB's shares of the cost, as the council's share in basis points
 * (6000 = 60%; the ICB pays the rest). Written as percentages ("60", "60%") or as fractions
 * (0.6, as a workbook's percentage cells hold them, when both shares are fractions that add up
 * to 1). One share alone gives the other. Shares must add up to 100% (rule R26: there is no
 * default split). Null when neither is given.
 */
export function parseFundingSplit(laValue: CellValue, icbValue: CellValue): { localAuthorityBasisPoints: number } | { error: string } | null {
  const la = readShare(laValue, 'the council share');
  const icb = readShare(icbValue, 'the ICB share');
  if (la && 'error' in la) return la;
  if (icb && 'error' in icb) return icb;
  if (!la && !icb) return null;
  const fractions = la && icb ? la.fractionPossible && icb.fractionPossible && Math.abs(la.value + icb.value - 1) < 1e-9 && la.value + icb.value > 0 : (la ?? icb)!.fractionPossible && typeof (la ? laValue : icbValue) === 'number';
  const toBasisPoints = (share: { value: number }) => Math.round(share.value * (fractions ? 10_000 : 100));
  for (const [share, label] of [[la, 'council'], [icb, 'ICB']] as const) {
    if (share && (toBasisPoints(share) < 0 || toBasisPoints(share) > 10_000)) return { error: `the ${label} share '${share.raw}' is not a percentage from 0 to 100` };
  }
  if (la && icb) {
    const total = toBasisPoints(la) + toBasisPoints(icb);
    if (total !== 10_000) return { error: `the council and ICB shares add up to ${formatPercent(total)}; they must add up to 100%` };
    return { localAuthorityBasisPoints: toBasisPoints(la) };
  }
  return { localAuthorityBasisPoints: la ? toBasisPoints(la) : 10_000 - toBasisPoints(icb!) };
}

// ---------------------------------------------------------------------------
// Organisations, teams, people
// ---------------------------------------------------------------------------

export interface KnownOrganisation {
  type: 'local-authority' | 'icb' | 'nhs-trust' | 'other-provider';
  code: string;
  onsCode: string | null;
  name: string;
}

const nameKey = (name: string): string =>
  name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\b(nhs|the|council|borough|city|county|metropolitan|district|integrated care board|icb|ccg|clinical commissioning group|of)\b/g, ' ')
    .replace(/[^a-z0-9]/g, '');

const LA_CODE = /^[EW]\d{8}$/;
const ICB_CODE = /^(E54|W11)\d{6}$/;

/**
 * A responsible local authority by ONS code or name. A valid ONS code outside the partnership is
 * kept (people can be ordinarily resident anywhere); a name must be one of the partnership's.
 */
export function resolveLocalAuthority(value: CellValue, organisations: readonly KnownOrganisation[]): { code: string } | { error: string } | null {
  const raw = cellText(value);
  if (raw === '') return null;
  const upper = raw.toUpperCase();
  const las = organisations.filter((o) => o.type === 'local-authority');
  const byCode = las.find((o) => o.code.toUpperCase() === upper || o.onsCode?.toUpperCase() === upper);
  if (byCode) return { code: (byCode.onsCode ?? byCode.code).toUpperCase() };
  if (LA_CODE.test(upper)) return { code: upper };
  const key = nameKey(raw);
  const byName = key ? las.filter((o) => nameKey(o.name) === key) : [];
  if (byName.length === 1) return { code: (byName[0]!.onsCode ?? byName[0]!.code).toUpperCase() };
  return { error: `responsible local authority '${raw}' is not a local authority of this partnership: give its name as Aftercare knows it or its 9-character ONS code (E06…)` };
}

/** The ICB that replaced a former CCG, as the caller's reference list gives it. */
export interface CcgSuccessor {
  /** The CCG as the reference list names it, e.g. "NHS Northumberland CCG (00L)". */
  ccg: string;
  icbName: string;
  icbOdsCode: string;
  /** The ICB's ONS code (E54…), the code the register and the rules engine use. */
  icbOnsCode: string;
}

/**
 * A responsible ICB by ONS code, ODS code or name; a former CCG (by its code or name, through
 * `formerCcg`) as the ICB that replaced it, with a warning: the partnership's own ICB when that
 * is the successor, or the successor's ONS code (kept, and warned about) when it is outside the
 * partnership.
 */
export function resolveIcb(
  value: CellValue,
  organisations: readonly KnownOrganisation[],
  formerCcg?: (text: string) => CcgSuccessor | null,
): { code: string; warning?: string } | { error: string } | null {
  const raw = cellText(value);
  if (raw === '') return null;
  const upper = raw.toUpperCase();
  const icbs = organisations.filter((o) => o.type === 'icb');
  const byCode = icbs.find((o) => o.code.toUpperCase() === upper || o.onsCode?.toUpperCase() === upper);
  if (byCode) return byCode.onsCode ? { code: byCode.onsCode.toUpperCase() } : { error: `ICB '${raw}' has no ONS code recorded in Aftercare: an administrator must add it` };
  if (ICB_CODE.test(upper)) return { code: upper };
  const key = nameKey(raw);
  const byName = key ? icbs.filter((o) => nameKey(o.name) === key) : [];
  if (byName.length === 1 && byName[0]!.onsCode) return { code: byName[0]!.onsCode.toUpperCase() };
  const successor = formerCcg?.(raw);
  if (successor) {
    const own = icbs.find((o) => o.onsCode && (o.code.toUpperCase() === successor.icbOdsCode || o.onsCode.toUpperCase() === successor.icbOnsCode));
    if (own) return { code: own.onsCode!.toUpperCase(), warning: `'${raw}' is the former ${successor.ccg}: read as ${own.name}, the ICB that replaced it on 1 July 2022` };
    return {
      code: successor.icbOnsCode,
      warning: `'${raw}' is the former ${successor.ccg}, replaced on 1 July 2022 by ${successor.icbName} (${successor.icbOdsCode}), which is not an ICB of this partnership: recorded as that ICB; check that the person belongs to this register`,
    };
  }
  return { error: `responsible ICB '${raw}' is not an ICB of this partnership or a former CCG Aftercare knows: give its name, its ODS code or its ONS code (E54…)` };
}

// ---------------------------------------------------------------------------
// Section 117 status
// ---------------------------------------------------------------------------

export type LegacyStatus = 'active' | 'ended' | 'not-stated';

export function parseS117Status(value: CellValue): LegacyStatus | { error: string } {
  const raw = cellText(value).toLowerCase();
  if (raw === '') return 'not-stated';
  if (/^(active|open|current|yes|y|entitled|live|ongoing)$/.test(raw)) return 'active';
  if (/^(ended|closed|discharged|no|n|finished|inactive|discharged from s117|s117 ended)$/.test(raw)) return 'ended';
  return { error: `section 117 status '${cellText(value)}' is not understood: use active or ended` };
}

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

/** A valid row, normalised: what Aftercare will record. */
export interface LegacyRecord {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: IsoDate | null;
  postcode: string | null;
  legalStatusCode: string;
  section: string;
  cto: boolean;
  detainedOn: IsoDate;
  dischargedOn: IsoDate | null;
  localAuthority: string;
  icb: string;
  team: string | null;
  careCoordinator: string | null;
  lastReviewOn: IsoDate | null;
  nextReviewOn: IsoDate | null;
  s117Status: LegacyStatus;
  aftercareEndedOn: IsoDate | null;
  /** The weekly cost of the person's package in the old register, in pence. */
  weeklyCostPence: number | null;
  /** The council's share of that cost in basis points (6000 = 60%); the ICB pays the rest. Null when the register gives no split. */
  localAuthorityBasisPoints: number | null;
  notes: string | null;
}

export type Mapping = Partial<Record<ImportField, string>>;

export interface NormaliseContext extends DateOptions {
  organisations: readonly KnownOrganisation[];
  /** Rows whose section gives no right to aftercare: imported with a warning, or rejected (the default). */
  noEntitlement?: 'accept' | 'reject';
  /** The ICB that replaced a former CCG named in the register (from the shipped reference list). */
  formerCcg?: (text: string) => CcgSuccessor | null;
}

export type NormalisedRow = { ok: true; record: LegacyRecord; warnings: string[] } | { ok: false; errors: string[]; warnings: string[]; nhsNumber: string | null };

const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/;

/** One row's cells (by heading) through the mapping into a record, or every reason it cannot be. */
export function normaliseRow(cells: Record<string, CellValue>, mapping: Mapping, context: NormaliseContext): NormalisedRow {
  const errors: string[] = [];
  const warnings: string[] = [];
  const cell = (field: ImportField): CellValue => {
    const heading = mapping[field];
    return heading === undefined ? null : cells[heading];
  };
  for (const [heading, value] of Object.entries(cells)) {
    const text = cellText(value);
    // A number cell like -3 is a number, not a formula; text starting = + - @ is flagged.
    if (typeof value === 'string' && looksLikeFormula(text)) {
      warnings.push(`'${heading}' starts with ${text[0]}: kept as text and never run as a formula (it is escaped in every download)`);
    }
  }
  const text = (field: ImportField, max = 200): string | null => {
    const t = cellText(cell(field));
    if (t.length > max) {
      errors.push(`${importFieldLabels[field].toLowerCase()} is longer than ${max} characters`);
      return null;
    }
    return t === '' ? null : t;
  };
  const date = (field: ImportField): IsoDate | null => {
    const parsed = parseLegacyDate(cell(field), context);
    if (parsed === null) return null;
    if ('error' in parsed) {
      errors.push(`${importFieldLabels[field].toLowerCase()}: ${parsed.error}`);
      return null;
    }
    if (parsed.warning) warnings.push(`${importFieldLabels[field].toLowerCase()}: ${parsed.warning}`);
    return parsed.date;
  };

  const nhs = parseNhsNumber(cell('nhsNumber'));
  if ('error' in nhs) errors.push(nhs.error);
  const givenName = text('givenName', 100);
  const familyName = text('familyName', 100);
  const dateOfBirth = date('dateOfBirth');
  let postcode = text('postcode', 10);
  if (postcode) {
    const upper = postcode.toUpperCase().replace(/\s+/g, ' ');
    if (POSTCODE.test(upper)) postcode = upper.includes(' ') ? upper : `${upper.slice(0, -3)} ${upper.slice(-3)}`;
    else {
      warnings.push(`postcode '${postcode}' is not a UK postcode: not recorded`);
      postcode = null;
    }
  }
  const sectionRaw = cellText(cell('section'));
  const parsedSection = parseSectionLabel(sectionRaw);
  const section = parsedSection && !('error' in parsedSection) ? parsedSection : null;
  if (sectionRaw === '') errors.push('the section is empty');
  else if (parsedSection && 'error' in parsedSection) errors.push(parsedSection.error);
  else if (!section) errors.push(`section '${sectionRaw}' is not a Mental Health Act section Aftercare knows`);
  else if (section.cto && !section.sectionStated) warnings.push(`section '${sectionRaw}': a CTO follows a detention under s3 or s37 (MHA s17A); recorded as s3 detention then CTO — check the section`);
  else if (section.cto) warnings.push(`section '${sectionRaw}': recorded as a detention under ${section.section}, then a community treatment order from the date discharged`);
  if (section && givesNoRightToAftercare(section.code)) {
    if ((context.noEntitlement ?? 'reject') === 'reject') {
      errors.push(`section '${sectionRaw}' (${section.section}) gives no right to section 117 aftercare (MHA 1983 s117(1): only detention under s3, s37, s45A, s47 or s48 does): rejected, as the import was told to reject such rows; to import them with a warning, choose to accept them`);
    } else {
      warnings.push(`section '${sectionRaw}' (${section.section}) gives no right to section 117 aftercare: imported as accepted, recorded as that detention, which gives no entitlement`);
    }
  }
  const detainedOn = date('detainedOn');
  if (!detainedOn && cellText(cell('detainedOn')) === '') errors.push('the date detained is empty');
  const dischargedOn = date('dischargedOn');
  const la = resolveLocalAuthority(cell('localAuthority'), context.organisations);
  if (la === null) errors.push('the responsible local authority is empty');
  else if ('error' in la) errors.push(la.error);
  const icb = resolveIcb(cell('icb'), context.organisations, context.formerCcg);
  if (icb === null) errors.push('the responsible ICB is empty');
  else if ('error' in icb) errors.push(icb.error);
  else if (icb.warning) warnings.push(icb.warning);
  const team = text('team');
  const careCoordinator = text('careCoordinator');
  const lastReviewOn = date('lastReviewOn');
  const nextReviewOn = date('nextReviewOn');
  const status = parseS117Status(cell('s117Status'));
  if (typeof status === 'object') errors.push(status.error);
  const aftercareEndedOn = date('aftercareEndedOn');
  const notes = text('notes', 2000);
  const cost = parseWeeklyCost(cell('weeklyCost'));
  if (cost && 'error' in cost) errors.push(cost.error);
  const split = parseFundingSplit(cell('laShare'), cell('icbShare'));
  if (split && 'error' in split) errors.push(split.error);

  if (detainedOn && dischargedOn && dischargedOn < detainedOn) errors.push(`the date discharged (${dischargedOn}) is before the date detained (${detainedOn})`);
  if (dateOfBirth && detainedOn && detainedOn < dateOfBirth) errors.push(`the date detained (${detainedOn}) is before the date of birth (${dateOfBirth})`);
  if (section?.cto && !dischargedOn && detainedOn) errors.push('section is CTO but the date discharged is empty: give the date the person left hospital on the CTO');
  if (lastReviewOn && (!dischargedOn || lastReviewOn <= dischargedOn)) warnings.push(`the last review (${lastReviewOn}) is not after the date discharged: not recorded as a section 117 review`);
  if (aftercareEndedOn && status !== 'ended') warnings.push('a date aftercare ended is given but the status is not ended: the date is kept for the responsible bodies to confirm');

  if (errors.length || 'error' in nhs || !section || !detainedOn || !la || 'error' in la || !icb || 'error' in icb || typeof status === 'object') {
    return { ok: false, errors, warnings, nhsNumber: 'nhsNumber' in nhs ? nhs.nhsNumber : null };
  }
  return {
    ok: true,
    warnings,
    record: {
      nhsNumber: nhs.nhsNumber,
      givenName: givenName ?? '',
      familyName: familyName ?? '',
      dateOfBirth,
      postcode,
      legalStatusCode: section.code,
      section: section.section,
      cto: section.cto,
      detainedOn,
      dischargedOn,
      localAuthority: la.code,
      icb: icb.code,
      team,
      careCoordinator,
      lastReviewOn,
      nextReviewOn,
      s117Status: status,
      aftercareEndedOn,
      weeklyCostPence: cost && 'pence' in cost ? cost.pence : null,
      localAuthorityBasisPoints: split && 'localAuthorityBasisPoints' in split ? split.localAuthorityBasisPoints : null,
      notes,
    },
  };
}

/** Same content: the normalised records are equal field by field. */
export function sameRecord(a: LegacyRecord, b: LegacyRecord): boolean {
  return (Object.keys(a) as Array<keyof LegacyRecord>).every((k) => a[k] === b[k]);
}

export type DuplicateCheck = { kind: 'first' } | { kind: 'duplicate'; of: number } | { kind: 'conflict'; with: number[] };

/**
 * Duplicate rows within one file, by NHS number: a later row with the same content is a
 * duplicate of the first (nothing more to do); rows with different content for one NHS number
 * conflict, and every one of them is rejected (which to keep is a person's decision).
 */
export function findDuplicates(rows: ReadonlyArray<{ rowNumber: number; record: LegacyRecord }>): Map<number, DuplicateCheck> {
  const byNhs = new Map<string, Array<{ rowNumber: number; record: LegacyRecord }>>();
  for (const r of rows) {
    const list = byNhs.get(r.record.nhsNumber);
    if (list) list.push(r);
    else byNhs.set(r.record.nhsNumber, [r]);
  }
  const out = new Map<number, DuplicateCheck>();
  for (const list of byNhs.values()) {
    const distinct: Array<{ rowNumber: number; record: LegacyRecord }> = [];
    for (const r of list) {
      const same = distinct.find((d) => sameRecord(d.record, r.record));
      if (same) out.set(r.rowNumber, { kind: 'duplicate', of: same.rowNumber });
      else distinct.push(r);
    }
    if (distinct.length === 1) out.set(distinct[0]!.rowNumber, { kind: 'first' });
    else {
      for (const d of distinct) out.set(d.rowNumber, { kind: 'conflict', with: distinct.filter((o) => o !== d).map((o) => o.rowNumber) });
      // A duplicate of a conflicting row conflicts too.
      for (const r of list) {
        const check = out.get(r.rowNumber);
        if (check?.kind === 'duplicate') out.set(r.rowNumber, { kind: 'conflict', with: distinct.map((o) => o.rowNumber).filter((n) => n !== r.rowNumber) });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

export interface PlannedLegalEvent {
  externalId: string;
  type: 'detention-started' | 'detention-ended' | 'left-hospital' | 'reviewed';
  date: IsoDate;
  payload: Record<string, unknown>;
}

/**
 * The legal history a row describes, in the rules-engine contract. ExternalIds come from the
 * row's content (`import:<nhs>:<type>:<date>:<code>`), so the same row in any file records its
 * events once. The legacy "responsible" LA and ICB are recorded as the ordinary residence and
 * GP registration at detention: the facts the engine derives responsibility from (s117(3)).
 * Aftercare ending is never recorded from a register: it needs both bodies' decision.
 */
export function eventsForRecord(r: LegacyRecord): PlannedLegalEvent[] {
  const id = (type: string, date: string) => `import:${r.nhsNumber}:${type}:${date}:${r.legalStatusCode}`;
  const events: PlannedLegalEvent[] = [
    {
      externalId: id('detention-started', r.detainedOn),
      type: 'detention-started',
      date: r.detainedOn,
      payload: { legalStatusCode: r.legalStatusCode, ordinaryResidence: r.localAuthority, icbOfGpRegistration: r.icb },
    },
  ];
  if (r.dischargedOn) {
    events.push({ externalId: id('detention-ended', r.dischargedOn), type: 'detention-ended', date: r.dischargedOn, payload: { reason: r.cto ? 'cto' : 'discharged' } });
    events.push({ externalId: id('left-hospital', r.dischargedOn), type: 'left-hospital', date: r.dischargedOn, payload: {} });
    if (r.lastReviewOn && r.lastReviewOn > r.dischargedOn) {
      events.push({ externalId: `import:${r.nhsNumber}:reviewed:${r.lastReviewOn}`, type: 'reviewed', date: r.lastReviewOn, payload: {} });
    }
  }
  return events;
}

/** The two-digit-year pivot for a given today: years up to this year are 20yy. */
export function pivotYearFor(today: IsoDate): number {
  return Number(today.slice(2, 4));
}
