/**
 * A synthetic MHSDS-style extract of legal status periods, for `npx aftercare ingest
 * legal-status` (docs/ingest.md). Deterministic: the same options always give the same file.
 * Every person is invented; NHS numbers come from the 999 test range.
 *
 *   npx tsx scripts/make-mhsds-extract.ts [--rows 10000] [--seed 117] [--skip 500000] [--with-errors] [--out extract.csv]
 *
 * Histories mix section 2, section 3 and section 37 (with and without restrictions), s2
 * becoming s3, CTOs, conditional discharges, informal regrading, detentions still in
 * progress and re-detentions. About one date in five is written DD/MM/YYYY. With
 * --with-errors a few deliberately bad rows are mixed in (their lines are printed on
 * standard error); without it every row loads.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { addDays, toDayNumber } from '../src/domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import { extractColumns, type ExtractColumn } from '../src/modules/register/ingest.service.ts';
import { mulberry32 } from '../src/domain/rules/synthetic.ts';

export interface ExtractOptions {
  rows: number;
  seed?: number;
  /** Where to start in the 999 test range, to stay clear of the demo's people. */
  skip?: number;
  withErrors?: boolean;
}

export interface BadRow {
  line: number;
  why: string;
}

export interface SyntheticExtract {
  csv: string;
  /** Lines of the deliberately bad rows (header is line 1). */
  bad: BadRow[];
  people: number;
}

type Row = Record<ExtractColumn, string>;

const givenNames = ['Alex', 'Sam', 'Jordan', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Taylor', 'Robin', 'Charlie', 'Avery', 'Quinn', 'Rowan', 'Skyler', 'Emery', 'Parker', 'Hayden', 'Reese', 'Drew', 'Kendall', 'Aisha', 'Tomasz', 'Priya', 'Kwame', 'Niamh', 'Olu', 'Mei', 'Dafydd', 'Zainab', 'Ioana'];
const familyNames = ['Ashdown', 'Brightwell', 'Calloway', 'Dunmore', 'Everley', 'Fairbairn', 'Greystone', 'Hollins', 'Ingleby', 'Jarrow', 'Kettering', 'Lockwood', 'Marchbank', 'Northcott', 'Oakley', 'Pendle', 'Quarry', 'Rushworth', 'Stainton', 'Thornbury', 'Underhill', 'Varley', 'Wetherby', 'Yeadon', 'Okonkwo', 'Nowak', 'Chaudhry', 'Mensah', 'Byrne', 'Lindqvist'];
const hospitals = ['Northvale Hospital', 'Southmere Mental Health Unit', 'Eastbridge Hospital', 'Riverside Psychiatric Intensive Care Unit'];
/** The demo partnership's councils, with a few from elsewhere and "none". */
const residences = ['E06000901', 'E06000901', 'E06000902', 'E06000902', 'E08000903', 'E08000903', 'E06000030', 'none'];
const icbs = ['E54000901', 'E54000901', 'E54000901', 'E54000901', 'E54000040'];

const FIRST = toDayNumber('2015-01-01');
const LAST = toDayNumber('2024-12-31');

export function makeExtract(options: ExtractOptions): SyntheticExtract {
  const random = mulberry32(options.seed ?? 117);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const nhsNumbers = syntheticNhsNumbers(options.skip ?? 500_000);
  const day = (n: number) => addDays('1970-01-01', n);
  /** Mostly ISO, sometimes as a spreadsheet writes it. */
  const written = (iso: string) => {
    if (random() >= 0.2) return iso;
    const [y, m, d] = iso.split('-');
    return `${d}/${m}/${y}`;
  };

  const badRows: Array<{ row: Row; why: string }> = [];
  const goodTarget = options.rows - (options.withErrors ? 9 : 0);
  const rows: Row[] = [];
  let people = 0;

  const period = (base: Omit<Row, 'legal_status_code' | 'start_date' | 'end_date' | 'discharge_date' | 'end_reason' | 'hospital'>, code: string, start: number, end: number | null, reason: string, discharge: number | null): Row => ({
    ...base,
    legal_status_code: code,
    start_date: written(day(start)),
    end_date: end === null ? '' : written(day(end)),
    hospital: pick(hospitals),
    discharge_date: discharge === null ? '' : written(day(discharge)),
    end_reason: reason,
  });

  /** One person's periods, oldest first. */
  const history = (maxRows: number): Row[] => {
    const person = {
      nhs_number: nhsNumbers.next().value as string,
      given_name: pick(givenNames),
      family_name: pick(familyNames),
      date_of_birth: written(day(toDayNumber('1950-01-01') + int(0, 20_000))),
      ordinary_residence: pick(residences),
      icb_of_gp_registration: pick(icbs),
    };
    const out: Row[] = [];
    let start = int(FIRST, LAST - 400);
    const episodes = maxRows >= 3 && random() < 0.18 ? int(2, 3) : 1;
    for (let e = 0; e < episodes && start < LAST - 60; e++) {
      const kind = random();
      const remaining = maxRows - out.length;
      if (kind < 0.4 || remaining < 2) {
        // Section 3, discharged (sometimes regraded informal, or onto a CTO).
        const end = start + int(20, 240);
        const variant = random();
        if (variant < 0.15) out.push(period(person, '03', start, end, 'regraded-informal', end + int(3, 30)));
        else if (variant < 0.3) out.push(period(person, '03', start, end, 'cto', end));
        else out.push(period(person, '03', start, end, variant < 0.6 ? '' : 'discharged', end + int(0, 2)));
        start = end + int(120, 900);
      } else if (kind < 0.55) {
        // Section 2 only: assessment, then home.
        const end = start + int(3, 28);
        out.push(period(person, '02', start, end, pick(['', 'discharged', 'section-lapsed']), end));
        start = end + int(120, 900);
      } else if (kind < 0.8) {
        // Section 2 becoming section 3, in one detention.
        const change = start + int(10, 27);
        const end = change + int(30, 200);
        out.push(period(person, '02', start, change, random() < 0.5 ? 'section-changed' : '', null));
        out.push(period(person, '03', change, end, '', end));
        start = end + int(120, 900);
      } else if (kind < 0.95) {
        // Section 37 hospital order, sometimes with restrictions and a conditional discharge.
        const end = start + int(90, 500);
        if (random() < 0.4) out.push(period(person, '09', start, end, 'conditional-discharge', end));
        else out.push(period(person, '10', start, end, 'discharged', end));
        start = end + int(120, 900);
      } else {
        // Still detained.
        out.push(period(person, '03', Math.max(start, LAST - 200), null, '', null));
        break;
      }
    }
    return out.slice(0, maxRows);
  };

  while (rows.length < goodTarget) {
    const next = history(goodTarget - rows.length);
    if (next.length === 0) continue;
    rows.push(...next);
    people++;
  }

  if (options.withErrors) {
    const base = { given_name: 'Bad', family_name: 'Row', date_of_birth: '1980-01-01', hospital: 'Northvale Hospital', ordinary_residence: 'E06000901', icb_of_gp_registration: 'E54000901', end_reason: '' };
    const fresh = () => nhsNumbers.next().value as string;
    const died = fresh();
    badRows.push(
      { row: { ...base, nhs_number: '9990000019', legal_status_code: '03', start_date: '2024-01-10', end_date: '', discharge_date: '' }, why: 'invalid NHS number (check digit)' },
      { row: { ...base, nhs_number: fresh(), legal_status_code: '03', start_date: '2025-02-30', end_date: '', discharge_date: '' }, why: 'impossible date' },
      { row: { ...base, nhs_number: fresh(), legal_status_code: '21', start_date: '2024-03-01', end_date: '', discharge_date: '' }, why: 'unknown legal status code' },
      { row: { ...base, nhs_number: fresh(), given_name: '', legal_status_code: '03', start_date: '2024-03-01', end_date: '', discharge_date: '' }, why: 'missing given name for a new person' },
      { row: { ...base, nhs_number: fresh(), legal_status_code: '03', start_date: '31/04/2024', end_date: '', discharge_date: '' }, why: 'impossible DD/MM/YYYY date' },
      { row: { ...base, nhs_number: fresh(), legal_status_code: '03', start_date: '2024-05-10', end_date: '2024-05-01', discharge_date: '2024-05-01' }, why: 'ends before it starts (refused by the rules engine)' },
      { row: { ...base, nhs_number: fresh(), legal_status_code: '03', start_date: '2024-06-01', end_date: '2024-07-01', end_reason: 'escaped', discharge_date: '' }, why: 'unknown end reason' },
      { row: { ...base, nhs_number: died, legal_status_code: '03', start_date: '2019-01-01', end_date: '2019-03-01', end_reason: 'died', discharge_date: '' }, why: '' },
      { row: { ...base, nhs_number: died, legal_status_code: '03', start_date: '2020-01-01', end_date: '', discharge_date: '' }, why: 'detention after death (refused by the rules engine)' },
    );
  }

  // Bad rows go at fixed places through the file.
  const all: Row[] = [...rows];
  const bad: BadRow[] = [];
  badRows.forEach((b, i) => {
    const at = Math.min(all.length, Math.floor(((i + 1) * all.length) / (badRows.length + 1)) + i);
    all.splice(at, 0, b.row);
  });
  for (const b of badRows) {
    if (!b.why) continue;
    bad.push({ line: all.indexOf(b.row) + 2, why: b.why });
  }
  bad.sort((a, b) => a.line - b.line);
  const csv = stringify(all.map((r) => extractColumns.map((c) => r[c])), { header: true, columns: [...extractColumns] });
  return { csv, bad, people: people + (options.withErrors ? 7 : 0) };
}

function main(argv: string[]): number {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      console.error(`Unexpected argument ${a}`);
      return 2;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(a.slice(2), next);
      i++;
    } else args.set(a.slice(2), true);
  }
  const number = (name: string, fallback: number) => {
    const v = args.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
    return n;
  };
  const unknown = [...args.keys()].filter((k) => !['rows', 'seed', 'skip', 'with-errors', 'out'].includes(k));
  if (unknown.length) {
    console.error(`Unknown option --${unknown[0]}\nUsage: npx tsx scripts/make-mhsds-extract.ts [--rows 10000] [--seed 117] [--skip 500000] [--with-errors] [--out file.csv]`);
    return 2;
  }
  const rows = number('rows', 10_000);
  if (args.has('with-errors') && rows < 20) {
    console.error('--with-errors needs at least 20 rows');
    return 2;
  }
  const extract = makeExtract({ rows, seed: number('seed', 117), skip: number('skip', 500_000), withErrors: args.has('with-errors') });
  const out = args.get('out');
  if (typeof out === 'string') fs.writeFileSync(out, extract.csv);
  else process.stdout.write(extract.csv);
  console.error(`${rows} rows for ${extract.people} synthetic people${typeof out === 'string' ? ` written to ${out}` : ''}.`);
  for (const b of extract.bad) console.error(`  line ${b.line}: deliberately bad: ${b.why}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
