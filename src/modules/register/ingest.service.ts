import { normaliseHeader, readCsvRecords } from '../../platform/csv.ts';
import { isRealDate } from '../../domain/calendar-date.ts';
import { nhsNumberMessages, nhsNumberProblem, normaliseNhsNumber } from '../../domain/nhs-number.ts';
import { legalEventSchema } from '../../domain/rules/index.ts';
import { AppError, InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { describeStoredEvent, recordEvents, sameEvent, withoutHistoryIndexes } from './api.service.ts';
import { eventsWithExternalIds, peopleWithNhsNumbers } from './ingest.queries.ts';
import { createPerson } from './people.service.ts';

/*
 * Loading an MHSDS-style extract of legal status periods (docs/ingest.md). Every row goes
 * through the register's own services (createPerson, recordEvent), so the rules engine
 * checks and re-evaluates each history and every change is audited. Each row is one
 * transaction: a row the rules refuse changes nothing, and the rows around it still load.
 * Events carry externalIds derived from the row, so loading the same extract again changes
 * nothing.
 */

export const extractColumns = [
  'nhs_number',
  'given_name',
  'family_name',
  'date_of_birth',
  'legal_status_code',
  'start_date',
  'end_date',
  'hospital',
  'discharge_date',
  'ordinary_residence',
  'icb_of_gp_registration',
  'end_reason',
] as const;
export type ExtractColumn = (typeof extractColumns)[number];

/** The file cannot be read as an extract at all (no header, wrong columns): nothing is loaded. */
export class ExtractFormatError extends Error {}

export interface ExtractRow {
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  values: Record<ExtractColumn, string>;
}

export interface RowProblem {
  line: number;
  message: string;
}

export interface Extract {
  rows: ExtractRow[];
  /** Lines that are not valid CSV or have the wrong number of fields. */
  unreadable: RowProblem[];
}

/** Parse the CSV text: a header row naming the columns in any order, then one row per legal status period. */
export function readExtract(text: string): Extract {
  const { records, unreadable } = readCsvRecords(text);
  const first = records[0];
  if (!first) throw new ExtractFormatError('The file holds no rows. The first line must be the header naming the columns.');
  const header = first.record.map(normaliseHeader);
  if (header.some((h) => /^\d/.test(h)) && !header.includes('nhs_number')) {
    throw new ExtractFormatError(`Line 1 must be the header row naming the columns (${extractColumns.join(', ')}), in any order.`);
  }
  const missing = extractColumns.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(extractColumns as readonly string[]).includes(h));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  const problems = [
    missing.length ? `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
    unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (remove ${unknown.length > 1 ? 'them' : 'it'}: nothing is ignored silently)` : '',
    repeated.length ? `repeated column${repeated.length > 1 ? 's' : ''} ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length) throw new ExtractFormatError(`The header row is not right: ${problems.join('; ')}. The columns are ${extractColumns.join(', ')}, in any order (see docs/ingest.md).`);

  const rows: ExtractRow[] = [];
  for (const { record, info } of records.slice(1)) {
    // info.lines is the line the record ends on; a quoted field may span lines.
    const line = info.lines - record.reduce((n, field) => n + (field.split('\n').length - 1), 0);
    if (record.length !== header.length) {
      unreadable.push({ line, message: `has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${header.length}` });
      continue;
    }
    const values = Object.fromEntries(extractColumns.map((c) => [c, record[header.indexOf(c)] ?? ''])) as Record<ExtractColumn, string>;
    rows.push({ line, values });
  }
  return { rows, unreadable };
}

/** YYYY-MM-DD, or DD/MM/YYYY as spreadsheets write it (D/M/YYYY too). */
export function parseExtractDate(raw: string): { date: string } | { error: string } {
  let iso: string | null = null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) iso = raw;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (uk) iso = `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
  if (!iso) return { error: `"${raw}" is not a date: write it YYYY-MM-DD or DD/MM/YYYY` };
  if (!isRealDate(iso)) return { error: `${raw} is not a real date` };
  if (iso < '1900-01-01') return { error: `${raw} is before 1900` };
  return { date: iso };
}

type DetentionEndReason = 'discharged' | 'regraded-informal' | 'cto' | 'conditional-discharge' | 'absolute-discharge' | 'section-lapsed' | 'died';
/** `section-changed`: the next period's section follows on in the same detention (s2 then s3): nothing ends. */
type EndReason = DetentionEndReason | 'section-changed';

export const endReasonValues: Record<string, EndReason> = {
  discharged: 'discharged',
  discharge: 'discharged',
  'regraded-informal': 'regraded-informal',
  'regraded-to-informal': 'regraded-informal',
  informal: 'regraded-informal',
  cto: 'cto',
  'community-treatment-order': 'cto',
  'conditional-discharge': 'conditional-discharge',
  'conditionally-discharged': 'conditional-discharge',
  'absolute-discharge': 'absolute-discharge',
  'absolutely-discharged': 'absolute-discharge',
  'section-lapsed': 'section-lapsed',
  lapsed: 'section-lapsed',
  expired: 'section-lapsed',
  died: 'died',
  death: 'died',
  'section-changed': 'section-changed',
  'changed-section': 'section-changed',
};
const canonicalEndReasons = [...new Set(Object.values(endReasonValues))];

export interface PlannedEvent {
  /** The column whose date the event carries, for messages. */
  column: ExtractColumn;
  externalId: string;
  event: Record<string, unknown> & { type: string; date: string };
  hospital: string | null;
}

export interface PlannedRow {
  line: number;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  code: string;
  startDate: string;
  endDate: string | null;
  endReason: EndReason | null;
  dischargeDate: string | null;
  hospital: string | null;
  ordinaryResidence: string;
  icb: string;
  events: PlannedEvent[];
}

const eventFieldColumn: Record<string, ExtractColumn> = {
  legalStatusCode: 'legal_status_code',
  ordinaryResidence: 'ordinary_residence',
  icbOfGpRegistration: 'icb_of_gp_registration',
  reason: 'end_reason',
};

/** Check one row on its own (formats, codes, required values). History order is the rules engine's job. */
function checkRow(row: ExtractRow): { planned: PlannedRow } | { problems: string[] } {
  const v = row.values;
  const problems: string[] = [];
  const nhsRaw = v.nhs_number;
  const nhsProblem = nhsNumberProblem(nhsRaw);
  if (nhsProblem) problems.push(`nhs_number: ${nhsProblem === 'missing' ? 'the NHS number is empty' : `${nhsRaw}: ${nhsNumberMessages[nhsProblem]}`}`);

  const date = (column: ExtractColumn, required: boolean): string | null => {
    const raw = v[column];
    if (!raw) {
      if (required) problems.push(`${column}: the ${column.replace(/_/g, ' ')} is empty`);
      return null;
    }
    const parsed = parseExtractDate(raw);
    if ('error' in parsed) {
      problems.push(`${column}: ${parsed.error}`);
      return null;
    }
    return parsed.date;
  };
  const startDate = date('start_date', true);
  const endDate = date('end_date', false);
  const dischargeDate = date('discharge_date', false);
  const dateOfBirth = date('date_of_birth', false);

  const code = /^\d$/.test(v.legal_status_code) ? `0${v.legal_status_code}` : v.legal_status_code;
  if (!code) problems.push('legal_status_code: the legal status code is empty');
  const ordinaryResidence = v.ordinary_residence.toLowerCase() === 'none' ? 'none' : v.ordinary_residence.toUpperCase();
  if (!ordinaryResidence) problems.push('ordinary_residence: empty: give the ONS code of the local authority the person was ordinarily resident in before this detention, or none');
  const icb = v.icb_of_gp_registration.toUpperCase();
  if (!icb) problems.push('icb_of_gp_registration: empty: give the ONS code of the ICB of the person’s GP practice when the application was made');

  let endReason: EndReason | null = null;
  if (v.end_reason) {
    const key = v.end_reason.toLowerCase().replace(/[\s_]+/g, '-');
    const mapped = endReasonValues[key];
    if (!mapped) problems.push(`end_reason: "${v.end_reason}" is not a known end reason. Use one of ${canonicalEndReasons.join(', ')} (empty means discharged)`);
    else endReason = mapped;
    if (!v.end_date) problems.push('end_reason: an end reason is given but end_date is empty');
  }
  const hospital = v.hospital || null;
  if (hospital && hospital.length > 200) problems.push('hospital: must be 200 characters or fewer');
  if (v.given_name.length > 100) problems.push('given_name: must be 100 characters or fewer');
  if (v.family_name.length > 100) problems.push('family_name: must be 100 characters or fewer');

  // The start event is checked against the contract now, so a bad code or ONS code is
  // reported without touching the database.
  if (code && ordinaryResidence && icb && startDate) {
    const parsed = legalEventSchema.safeParse({ type: 'detention-started', date: startDate, legalStatusCode: code, ordinaryResidence, icbOfGpRegistration: icb });
    if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`${eventFieldColumn[String(issue.path[0])] ?? 'start_date'}: ${issue.message}`);
  }
  if (problems.length) return { problems };
  return {
    planned: {
      line: row.line,
      nhsNumber: normaliseNhsNumber(nhsRaw),
      givenName: v.given_name,
      familyName: v.family_name,
      dateOfBirth,
      code,
      startDate: startDate!,
      endDate,
      endReason,
      dischargeDate,
      hospital,
      ordinaryResidence,
      icb,
      events: [],
    },
  };
}

/**
 * The events of each period, in the order they happened. A period whose end_date is the
 * start_date of the same person's next period, with no end_reason and no discharge_date, is
 * a change of section within one detention (s2 then s3): nothing ends.
 */
function planEvents(rows: PlannedRow[]): void {
  rows.forEach((row, i) => {
    const next = rows[i + 1];
    const id = `mhsds:${row.nhsNumber}:${row.code}:${row.startDate}`;
    const sectionChange =
      row.endReason === 'section-changed' || (row.endReason === null && row.endDate !== null && row.dischargeDate === null && next?.nhsNumber === row.nhsNumber && next.startDate === row.endDate);
    row.events.push({
      column: 'start_date',
      externalId: `${id}:start`,
      event: { type: 'detention-started', date: row.startDate, legalStatusCode: row.code, ordinaryResidence: row.ordinaryResidence, icbOfGpRegistration: row.icb },
      hospital: row.hospital,
    });
    if (row.endDate && !sectionChange) {
      row.events.push({ column: 'end_date', externalId: `${id}:end`, event: { type: 'detention-ended', date: row.endDate, reason: row.endReason ?? 'discharged' }, hospital: null });
    }
    if (row.dischargeDate) {
      row.events.push({ column: 'discharge_date', externalId: `${id}:left-hospital`, event: { type: 'left-hospital', date: row.dischargeDate }, hospital: null });
    }
  });
}

/**
 * Every row checked on its own, the good ones in (NHS number, start date) order with the
 * events each will record. Rows with problems are listed with all their reasons.
 */
export function planExtract(extract: Extract): { rows: PlannedRow[]; rejected: RowProblem[] } {
  const rejected: RowProblem[] = [...extract.unreadable];
  const rows: PlannedRow[] = [];
  for (const row of extract.rows) {
    const checked = checkRow(row);
    if ('problems' in checked) rejected.push({ line: row.line, message: checked.problems.join('; ') });
    else rows.push(checked.planned);
  }
  rows.sort((a, b) => (a.nhsNumber < b.nhsNumber ? -1 : a.nhsNumber > b.nhsNumber ? 1 : a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.line - b.line));
  planEvents(rows);
  return { rows, rejected };
}

export interface IngestResult {
  rowsRead: number;
  peopleCreated: number;
  eventsRecorded: number;
  eventsAlreadyPresent: number;
  rowsRejected: number;
  /** People added although people with the same name and date of birth were on the register. */
  possibleDuplicates: number;
  rejected: RowProblem[];
  warnings: RowProblem[];
}

class RowRejected extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('; '));
  }
}

interface Ready {
  row: PlannedRow;
  /** Events not yet on the register. */
  fresh: PlannedEvent[];
  /** Events of the row already on the register, exactly as the row says. */
  present: number;
}

function dateOfBirthMismatch(row: PlannedRow, registered: string): string {
  return `date_of_birth: ${row.dateOfBirth ?? ''} does not match ${registered}, the date of birth already recorded for NHS number ${row.nhsNumber}: check the NHS number`;
}

const personFieldColumn: Record<string, ExtractColumn> = { nhsNumber: 'nhs_number', givenName: 'given_name', familyName: 'family_name', dateOfBirth: 'date_of_birth' };

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface KnownEvent {
  personId: string;
  type: string;
  occurredOn: string;
  payload: unknown;
}

/**
 * Load an extract as the context's actor. Rows are taken in (NHS number, start date) order so
 * each history is built in date order; every row is all or nothing.
 */
export async function ingestLegalStatus(ctx: ServiceContext, extract: Extract): Promise<IngestResult> {
  const result: IngestResult = {
    rowsRead: extract.rows.length + extract.unreadable.length,
    peopleCreated: 0,
    eventsRecorded: 0,
    eventsAlreadyPresent: 0,
    rowsRejected: 0,
    possibleDuplicates: 0,
    rejected: [],
    warnings: [],
  };
  const reject = (line: number, messages: string[]) => {
    const problem = { line, message: messages.join('; ') };
    result.rowsRejected++;
    result.rejected.push(problem);
  };
  const warn = (line: number, message: string) => {
    result.warnings.push({ line, message });
  };

  const plan = planExtract(extract);
  for (const problem of plan.rejected) reject(problem.line, [problem.message]);
  const planned = plan.rows;

  // What is already on the register, in a few queries rather than one per row, in one read.
  const partnershipId = ctx.actor.partnershipId;
  const people = new Map<string, { id: string; dateOfBirth: string }>();
  const known = new Map<string, KnownEvent>();
  await ctx.data.read(async (q) => {
    for (const batch of chunks([...new Set(planned.map((r) => r.nhsNumber))], 1000)) {
      for (const p of await peopleWithNhsNumbers(q, partnershipId, batch)) people.set(p.nhsNumber, { id: p.id, dateOfBirth: p.dateOfBirth });
    }
    for (const batch of chunks(planned.flatMap((r) => r.events.map((e) => e.externalId)), 1000)) {
      for (const e of await eventsWithExternalIds(q, partnershipId, batch)) known.set(e.externalId!, e);
    }
  });

  // Check each row against what the register holds, and group the rows with something new by person.
  const groups: Ready[][] = [];
  for (const row of planned) {
    const existing = people.get(row.nhsNumber);
    const problems: string[] = [];
    if (existing && row.dateOfBirth && row.dateOfBirth !== existing.dateOfBirth) problems.push(dateOfBirthMismatch(row, existing.dateOfBirth));
    const fresh: PlannedEvent[] = [];
    let present = 0;
    for (const e of row.events) {
      const stored = known.get(e.externalId);
      if (!stored) fresh.push(e);
      else if (stored.personId !== existing?.id) problems.push(`${e.column}: the event ${e.externalId} is already recorded for a person with another NHS number`);
      else if (!sameEvent(stored, e.event)) problems.push(`${e.column}: this period's ${e.event.type} was already recorded differently (${describeStoredEvent(stored)}). Correct it on the person's record instead`);
      else present++;
    }
    if (problems.length) reject(row.line, problems);
    else if (fresh.length === 0) result.eventsAlreadyPresent += present;
    else {
      const last = groups.at(-1);
      if (last && last[0]!.row.nhsNumber === row.nhsNumber) last.push({ row, fresh, present });
      else groups.push([{ row, fresh, present }]);
    }
  }

  /** Load some rows of one person in one transaction: all or nothing. */
  const load = async (rows: Ready[]): Promise<void> => {
    const first = rows[0]!.row;
    const existing = people.get(first.nhsNumber);
    const events = rows.flatMap((r) => r.fresh.map((e) => ({ ...e, line: r.row.line })));
    const run = async (c: ServiceContext) => {
      let personId = existing?.id;
      let duplicates: string[] = [];
      if (existing) {
        const other = rows.find((r) => r.row.dateOfBirth && r.row.dateOfBirth !== existing.dateOfBirth);
        if (other) throw new RowRejected([dateOfBirthMismatch(other.row, existing.dateOfBirth)]);
      }
      if (!personId) {
        const missing = (['given_name', 'family_name', 'date_of_birth'] as const).filter((col) => (col === 'date_of_birth' ? !first.dateOfBirth : !first[col === 'given_name' ? 'givenName' : 'familyName']));
        if (missing.length) throw new RowRejected([`${missing.join(', ')}: empty, but needed to add NHS number ${first.nhsNumber}, who is not on the register yet`]);
        const other = rows.find((r) => r.row.dateOfBirth && r.row.dateOfBirth !== first.dateOfBirth);
        if (other) throw new RowRejected([dateOfBirthMismatch(other.row, first.dateOfBirth!)]);
        const input = { nhsNumber: first.nhsNumber, givenName: first.givenName, familyName: first.familyName, dateOfBirth: first.dateOfBirth };
        try {
          let attempt = await createPerson(c, input);
          if (attempt.outcome === 'possible-duplicates') {
            duplicates = attempt.duplicates.map((d) => d.nhsNumber ?? 'a record the loading organisation cannot see');
            attempt = await createPerson(c, input, { confirmDuplicate: true });
          }
          if (attempt.outcome !== 'created') throw new RowRejected(['the person could not be added']);
          personId = attempt.person.id;
        } catch (error) {
          if (error instanceof InputError) throw new RowRejected(error.issues.map((i) => `${personFieldColumn[i.path] ?? i.path}: ${i.message}`));
          throw error;
        }
      }
      try {
        const { results } = await recordEvents(
          c,
          personId,
          events.map((e) => ({ event: e.event, hospital: e.hospital, externalId: e.externalId, source: 'ingest' as const })),
        );
        results.forEach((r, i) => {
          const e = events[i]!;
          if (r.outcome === 'already-recorded' && !sameEvent(r.event, e.event)) {
            throw new RowRejected([`${e.column}: this period's ${e.event.type} was already recorded differently (${describeStoredEvent(r.event)})`]);
          }
        });
        return { personId, created: !existing, duplicates, recorded: results.filter((r) => r.outcome === 'recorded').length, already: results.filter((r) => r.outcome === 'already-recorded').length };
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const index = Number(/^events\[(\d+)\]/.exec(error.issues[0]?.path ?? '')?.[1] ?? 0);
        const culprit = events[index] ?? events[0]!;
        throw new RowRejected(error.issues.map((i) => eventIssue(i, culprit)));
      }
    };
    // A new person and their events are one transaction (createPerson and recordEvents join the
    // door's unit); for someone already on the register, recordEvents is its own.
    const outcome = existing ? await run(ctx) : await ctx.data.transaction(() => run(ctx));
    if (outcome.created) {
      people.set(first.nhsNumber, { id: outcome.personId, dateOfBirth: first.dateOfBirth! });
      result.peopleCreated++;
      if (outcome.duplicates.length) {
        result.possibleDuplicates++;
        warn(first.line, `added NHS number ${first.nhsNumber} although people with the same name and date of birth are on the register (NHS number ${outcome.duplicates.join(', ')}): check whether they are the same person`);
      }
    }
    result.eventsRecorded += outcome.recorded;
    result.eventsAlreadyPresent += outcome.already + rows.reduce((n, r) => n + r.present, 0);
  };

  const refused = (error: unknown): RowRejected | null => {
    if (error instanceof RowRejected) return error;
    if (error instanceof AppError && error.statusCode < 500) return new RowRejected([error.message]);
    return null;
  };
  for (const group of groups) {
    // A person's rows usually load together; if any is refused, each row is tried on its own,
    // so exactly the rows at fault are reported and the rest still load.
    try {
      await load(group);
      continue;
    } catch (error) {
      const r = refused(error);
      if (!r) throw error;
      if (group.length === 1) {
        reject(group[0]!.row.line, r.messages);
        continue;
      }
    }
    for (const ready of group) {
      try {
        await load([ready]);
      } catch (error) {
        const r = refused(error);
        if (!r) throw error;
        reject(ready.row.line, r.messages);
      }
    }
  }
  result.rejected.sort((a, b) => a.line - b.line);
  result.warnings.sort((a, b) => a.line - b.line);
  return result;
}

/** recordEvents' field path for an event ("events[2].legalStatusCode"), as the extract's column. */
function eventIssue(issue: FieldIssue, e: PlannedEvent): string {
  const field = issue.path.replace(/^events\[\d+\]\.?/, '');
  const message = withoutHistoryIndexes(issue.message);
  if (field === 'date' || field === '') return `${e.column}: ${message}`;
  if (field === 'externalId') return `${e.column}: ${message} (${e.externalId})`;
  return `${eventFieldColumn[field] ?? field}: ${message}`;
}
