import { normaliseHeader, readCsvRecords } from '../../platform/csv.ts';
import { z } from 'zod';
import { isRealDate } from '../../domain/calendar-date.ts';
import { formatPounds } from '../../domain/funding.ts';
import { formatNhsNumber, nhsNumberMessages, nhsNumberProblem, normaliseNhsNumber } from '../../domain/nhs-number.ts';
import { MAX_CHARGE_PENCE } from '../../domain/refund.ts';
import { AppError, InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { parseExtractDate } from '../register/index.ts';
import { describeService, loadPerson, openRefundTask, type ChargeRow } from './charges.service.ts';
import { parsePounds } from '../../domain/money.ts';
import { findChargeByExternalId, findChargesForApi, findPeopleByNhsNumber, findPersonPlanService, insertCharge } from './charges.queries.ts';

/*
 * Charges sent by a finance system: `POST /api/v1/people/{id}/charges` and
 * `npx aftercare ingest charges <file.csv>` (docs/charges.md). Unlike a charge typed in by
 * hand, a charge for a section 117 service is not refused here: the money has already been
 * taken. It is stored as "refund due" and the person gets one open refund task (R20). The
 * finance system's id for the charge (externalId) makes sending it again change nothing.
 */

/** One check, one message: no `abort`, which would stop the checks across fields from running. */
const isoDate = (field: string) =>
  z.string({ error: `${field} must be a date written YYYY-MM-DD, for example "2025-04-01"` }).superRefine((v, ctx) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) ctx.addIssue({ code: 'custom', message: `${field} must be a date written YYYY-MM-DD, for example "2025-04-01"` });
    else if (!isRealDate(v)) ctx.addIssue({ code: 'custom', message: `${field} must be a real date: ${v} does not exist` });
    else if (v < '1900-01-01' || v > '2199-12-31') ctx.addIssue({ code: 'custom', message: `${field} must be between 1900-01-01 and 2199-12-31` });
  });

/** A charge as a finance system sends it (the API body; each row of the charges file becomes one). */
export const chargeBodySchema = z
  .strictObject({
    externalId: z
      .string({ error: 'externalId must be text: the finance system’s own id for the charge' })
      .trim()
      .min(1, 'externalId must not be empty: give the finance system’s own id for the charge')
      .max(200, 'externalId must be 200 characters or fewer')
      .describe('The finance system’s id for the charge, unique in the partnership. Sending the same charge again with it changes nothing'),
    serviceId: z
      .uuid({ error: 'serviceId must be the id (a UUID) of a service in the person’s aftercare plan' })
      .nullish()
      .describe('The service in the person’s aftercare plan that was charged for. Whether it is a section 117 service is then taken from the plan'),
    serviceDescription: z
      .string({ error: 'serviceDescription must be text' })
      .trim()
      .min(1, 'serviceDescription must not be empty: leave it out if you give serviceId')
      .max(500, 'serviceDescription must be 500 characters or fewer')
      .nullish()
      .describe('What was charged for, in words. Required without serviceId'),
    s117: z
      .boolean({ error: 's117 must be true or false' })
      .nullish()
      .describe('Whether the service is a section 117 service. Required without serviceId; with serviceId, the service counts as section 117 if the plan or this field says so'),
    chargedFrom: isoDate('chargedFrom').meta({ format: 'date', description: 'The first day the charge was for, YYYY-MM-DD' }),
    chargedTo: isoDate('chargedTo').meta({ format: 'date', description: 'The last day the charge was for, YYYY-MM-DD; not before chargedFrom' }),
    amountPence: z
      .number({ error: 'amountPence must be a whole number of pence, for example 12550 for £125.50' })
      .superRefine((v, ctx) => {
        if (v <= 0) ctx.addIssue({ code: 'custom', message: 'amountPence must be more than 0: the amount the person paid, in pence (a refund is not a charge)' });
        else if (!Number.isInteger(v)) ctx.addIssue({ code: 'custom', message: 'amountPence must be a whole number of pence, for example 12550 for £125.50' });
        else if (v > MAX_CHARGE_PENCE) ctx.addIssue({ code: 'custom', message: `amountPence must be ${MAX_CHARGE_PENCE} (${formatPounds(MAX_CHARGE_PENCE)}) or less` });
      })
      .meta({ type: 'integer', minimum: 1, maximum: MAX_CHARGE_PENCE, description: 'What the person paid, in whole pence: 12550 is £125.50' }),
    paidOn: isoDate('paidOn').meta({ format: 'date', description: 'The day the person paid, YYYY-MM-DD; not in the future' }),
  })
  .describe('A charge made to the person, as recorded by a finance system');
export type ChargeImport = z.output<typeof chargeBodySchema>;

const isDate = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && isRealDate(value);

/** The body schema with the checks that compare fields, or need today's date. */
export function chargeImportSchema(today: string) {
  // Runs even when a field is wrong, so a client hears of every problem at once; a field that
  // failed holds no usable value, hence the checks of type.
  return chargeBodySchema.superRefine(
    (v, ctx) => {
      if (v === null || typeof v !== 'object') return;
      const given = (value: unknown) => value !== undefined && value !== null;
      if (!given(v.serviceId)) {
        if (!given(v.serviceDescription)) ctx.addIssue({ code: 'custom', path: ['serviceDescription'], message: 'Give serviceDescription (what was charged for), or serviceId (the service in the person’s plan)' });
        if (!given(v.s117)) ctx.addIssue({ code: 'custom', path: ['s117'], message: 'Give s117 (true or false: whether the service is a section 117 service), or serviceId so it can be taken from the plan' });
      }
      if (isDate(v.chargedFrom) && isDate(v.chargedTo) && v.chargedTo < v.chargedFrom) ctx.addIssue({ code: 'custom', path: ['chargedTo'], message: `chargedTo (${v.chargedTo}) is before chargedFrom (${v.chargedFrom})` });
      if (isDate(v.paidOn) && v.paidOn > today) ctx.addIssue({ code: 'custom', path: ['paidOn'], message: `paidOn (${v.paidOn}) is in the future: record a charge once it has been paid` });
    },
    { when: () => true },
  );
}

export interface ImportOutcome {
  outcome: 'recorded' | 'already-recorded';
  charge: ChargeRow;
  /** The person's open refund task, for a charge for a section 117 service. */
  refundTask: { id: string; created: boolean } | null;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (e: unknown) => (e !== null && typeof e === 'object' && 'code' in e ? e.code : undefined);
  return code(error) === '23505' || (error instanceof Error && code(error.cause) === '23505');
}

function describeCharge(c: Pick<ChargeRow, 'serviceDescription' | 'chargedFrom' | 'chargedTo' | 'amountPence' | 'paidOn' | 's117'>): string {
  return `${formatPounds(c.amountPence)} for "${c.serviceDescription}"${c.s117 ? ' (section 117)' : ''} from ${c.chargedFrom} to ${c.chargedTo}, paid on ${c.paidOn}`;
}

/**
 * Record one charge sent by a finance system (already checked against chargeImportSchema).
 * One transaction, holding the person's row lock so that charges arriving together share one
 * refund task. The same externalId with the same charge changes nothing; with a different
 * charge it is refused, so nothing sent is dropped silently.
 */
export async function importCharge(ctx: ServiceContext, personId: string, input: ChargeImport, source: 'api' | 'import'): Promise<ImportOutcome> {
  try {
    return await ctx.data.transaction(async (tx, audit) => {
      const p = await loadPerson(tx, ctx, personId, 'person:write', true);
      let serviceId: string | null = null;
      let description = input.serviceDescription ?? null;
      let s117 = input.s117 === true;
      if (input.serviceId) {
        const service = await findPersonPlanService(tx, ctx.actor.partnershipId, personId, input.serviceId);
        if (!service) throw new InputError([{ path: 'serviceId', message: `There is no service with id ${input.serviceId} in this person’s aftercare plans` }]);
        serviceId = service.id;
        description ??= describeService(service);
        // Either the plan or the finance system saying so makes it a section 117 service: the safe side.
        s117 = service.s117 || s117;
      }
      const fields = {
        serviceId,
        serviceDescription: description!,
        s117,
        chargedFrom: input.chargedFrom,
        chargedTo: input.chargedTo,
        amountPence: input.amountPence,
        paidOn: input.paidOn,
      };

      const existing = await findChargeByExternalId(tx, ctx.actor.partnershipId, input.externalId);
      if (existing) {
        if (existing.personId !== personId) throw new InputError([{ path: 'externalId', message: `The externalId "${input.externalId}" has already been used for another person’s charge. Nothing was changed` }]);
        const same = (Object.keys(fields) as Array<keyof typeof fields>).every((k) => existing[k] === fields[k]);
        if (!same) {
          throw new InputError([
            {
              path: 'externalId',
              message: `The externalId "${input.externalId}" was already used for a different charge: ${describeCharge(existing)}. Nothing was changed. Send a new externalId for a new charge`,
            },
          ]);
        }
        return { outcome: 'already-recorded' as const, charge: existing, refundTask: existing.refundTaskId ? { id: existing.refundTaskId, created: false } : null };
      }

      const refundTask = s117 ? await openRefundTask(tx, audit, ctx, p) : null;
      const created = await insertCharge(tx, {
          partnershipId: ctx.actor.partnershipId,
          personId,
          ...fields,
          status: s117 ? 'refund-due' : 'lawful',
          source,
          externalId: input.externalId,
          refundTaskId: refundTask?.id ?? null,
          recordedBy: ctx.actor.userId,
        });
      await audit.change({ action: s117 ? 'charge.imported-refund-due' : 'charge.imported', subjectType: 'person', subjectId: personId, after: created });
      return { outcome: 'recorded' as const, charge: created, refundTask };
    });
  } catch (error) {
    // Two requests with one new externalId at once, for different people: the index decides.
    if (isUniqueViolation(error)) throw new InputError([{ path: 'externalId', message: `The externalId "${input.externalId}" has just been used for another charge. Nothing was changed` }]);
    throw error;
  }
}

/** A charge sent to the API. 404/403 come before any check of the body. */
export async function importChargeFromApi(ctx: ServiceContext, personId: string, body: unknown): Promise<ImportOutcome> {
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const input = parseApiInput(chargeImportSchema(ctx.today()), body);
  return importCharge(ctx, personId, input, 'api');
}

/** The charges recorded against a person, for an API client. */
export async function chargesForApi(ctx: ServiceContext, personId: string): Promise<ChargeRow[]> {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    await audit.viewPerson(personId, { via: 'api', part: 'charges' });
    return findChargesForApi(tx, ctx.actor.partnershipId, personId);
  });
}

// ---------------------------------------------------------------------------
// The charges file: `npx aftercare ingest charges <file.csv>`
// ---------------------------------------------------------------------------

export const chargeColumns = ['nhs_number', 'external_id', 'service', 's117', 'charged_from', 'charged_to', 'amount', 'paid_on'] as const;
export type ChargeColumn = (typeof chargeColumns)[number];

/** The file cannot be read as a charges file (no header, wrong columns): nothing is loaded. */
export class ChargesFileFormatError extends Error {}

export interface RowProblem {
  line: number;
  message: string;
}

export interface ChargesFileRow {
  line: number;
  values: Record<ChargeColumn, string>;
}

export interface ChargesFile {
  rows: ChargesFileRow[];
  unreadable: RowProblem[];
}

/** Parse the CSV text: a header row naming the columns in any order, then one row per charge. */
export function readChargesFile(text: string): ChargesFile {
  const { records, unreadable } = readCsvRecords(text);
  const first = records[0];
  if (!first) throw new ChargesFileFormatError(`The file holds no rows. The first line must be the header naming the columns (${chargeColumns.join(', ')}).`);
  const header = first.record.map(normaliseHeader);
  const missing = chargeColumns.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(chargeColumns as readonly string[]).includes(h));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  const problems = [
    missing.length ? `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
    unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (remove ${unknown.length > 1 ? 'them' : 'it'}: nothing is ignored silently)` : '',
    repeated.length ? `repeated column${repeated.length > 1 ? 's' : ''} ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length) throw new ChargesFileFormatError(`The header row is not right: ${problems.join('; ')}. The columns are ${chargeColumns.join(', ')}, in any order (see docs/charges.md).`);

  const rows: ChargesFileRow[] = [];
  for (const { record, info } of records.slice(1)) {
    const line = info.lines - record.reduce((n, field) => n + (field.split('\n').length - 1), 0);
    if (record.length !== header.length) {
      unreadable.push({ line, message: `has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${header.length}` });
      continue;
    }
    rows.push({ line, values: Object.fromEntries(chargeColumns.map((c) => [c, record[header.indexOf(c)] ?? ''])) as Record<ChargeColumn, string> });
  }
  return { rows, unreadable };
}

const yes = new Set(['yes', 'y', 'true', '1']);
const no = new Set(['no', 'n', 'false', '0']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PlannedCharge {
  line: number;
  nhsNumber: string;
  input: ChargeImport;
}

/** Check one row on its own: formats, required values, dates in order. */
export function checkChargeRow(row: ChargesFileRow, today: string): { planned: PlannedCharge } | { problems: string[] } {
  const v = row.values;
  const problems: string[] = [];
  const nhsProblem = nhsNumberProblem(v.nhs_number);
  if (nhsProblem) problems.push(`nhs_number: ${nhsProblem === 'missing' ? 'the NHS number is empty' : `${v.nhs_number}: ${nhsNumberMessages[nhsProblem]}`}`);

  if (!v.external_id) problems.push('external_id: empty: give the finance system’s id for the charge, so that loading the file again does not record it twice');
  else if (v.external_id.length > 200) problems.push('external_id: must be 200 characters or fewer');

  const serviceIsId = UUID.test(v.service);
  if (!v.service) problems.push('service: empty: give what was charged for, or the id of the service in the person’s aftercare plan');
  else if (v.service.length > 500) problems.push('service: must be 500 characters or fewer');

  let s117: boolean | undefined;
  const s117Text = v.s117.toLowerCase();
  if (yes.has(s117Text)) s117 = true;
  else if (no.has(s117Text)) s117 = false;
  else if (s117Text === '') {
    if (!serviceIsId && v.service) problems.push('s117: empty: say yes or no (whether the service is a section 117 service), or give the plan service’s id in the service column');
  } else problems.push(`s117: "${v.s117}" is not yes or no`);

  const date = (column: ChargeColumn): string | null => {
    const raw = v[column];
    if (!raw) {
      problems.push(`${column}: empty: give the ${column === 'paid_on' ? 'date the person paid' : column === 'charged_from' ? 'first day charged for' : 'last day charged for'}`);
      return null;
    }
    const parsed = parseExtractDate(raw);
    if ('error' in parsed) {
      problems.push(`${column}: ${parsed.error}`);
      return null;
    }
    return parsed.date;
  };
  const chargedFrom = date('charged_from');
  const chargedTo = date('charged_to');
  const paidOn = date('paid_on');
  if (chargedFrom && chargedTo && chargedTo < chargedFrom) problems.push(`charged_to: ${v.charged_to} is before charged_from ${v.charged_from}`);
  if (paidOn && paidOn > today) problems.push(`paid_on: ${v.paid_on} is in the future: load a charge once it has been paid`);

  let amountPence: number | null = null;
  const amount = parsePounds(v.amount);
  if ('pence' in amount) {
    if (amount.pence === 0) problems.push('amount: must be more than £0.00');
    else if (amount.pence > MAX_CHARGE_PENCE) problems.push(`amount: must be ${formatPounds(MAX_CHARGE_PENCE)} or less`);
    else amountPence = amount.pence;
  } else {
    const messages = {
      missing: 'amount: empty: give the amount the person paid, in pounds, for example 125.50',
      negative: `amount: ${v.amount} is negative: give the amount the person paid (a refund is not a charge)`,
      'not-money': `amount: "${v.amount}" is not an amount in pounds, for example 125.50`,
      'too-many-decimals': `amount: ${v.amount} has more than 2 decimal places`,
    } as const;
    problems.push(messages[amount.problem]);
  }

  if (problems.length || !chargedFrom || !chargedTo || !paidOn || amountPence === null) return { problems };
  return {
    planned: {
      line: row.line,
      nhsNumber: normaliseNhsNumber(v.nhs_number),
      input: {
        externalId: v.external_id,
        ...(serviceIsId ? { serviceId: v.service.toLowerCase() } : { serviceDescription: v.service }),
        ...(s117 === undefined ? {} : { s117 }),
        chargedFrom,
        chargedTo,
        amountPence,
        paidOn,
      },
    },
  };
}

const fieldColumn: Record<string, ChargeColumn> = {
  externalId: 'external_id',
  serviceId: 'service',
  serviceDescription: 'service',
  s117: 's117',
  chargedFrom: 'charged_from',
  chargedTo: 'charged_to',
  amountPence: 'amount',
  paidOn: 'paid_on',
};

function rowIssue(issue: FieldIssue): string {
  const column = fieldColumn[issue.path.split('.')[0] ?? ''];
  return column ? `${column}: ${issue.message}` : issue.message;
}

export interface ChargesIngestResult {
  rowsRead: number;
  chargesRecorded: number;
  chargesAlreadyPresent: number;
  /** Charges for section 117 services recorded by this load, now due to be refunded. */
  refundsDue: number;
  refundTasksCreated: number;
  rowsRejected: number;
  rejected: RowProblem[];
}

/**
 * Load a charges file as the context's actor. Each row is its own transaction: a row refused
 * changes nothing and the rows around it still load. Every refused row is reported with its
 * line and every reason.
 */
export async function ingestCharges(ctx: ServiceContext, file: ChargesFile): Promise<ChargesIngestResult> {
  const today = ctx.today();
  const result: ChargesIngestResult = {
    rowsRead: file.rows.length + file.unreadable.length,
    chargesRecorded: 0,
    chargesAlreadyPresent: 0,
    refundsDue: 0,
    refundTasksCreated: 0,
    rowsRejected: 0,
    rejected: [],
  };
  const reject = (line: number, messages: string[]) => {
    result.rowsRejected++;
    result.rejected.push({ line, message: messages.join('; ') });
  };
  for (const u of file.unreadable) reject(u.line, [u.message]);

  const planned: PlannedCharge[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of file.rows) {
    const checked = checkChargeRow(row, today);
    if ('problems' in checked) {
      reject(row.line, checked.problems);
      continue;
    }
    const seen = firstLineOf.get(checked.planned.input.externalId);
    if (seen !== undefined) {
      reject(row.line, [`external_id: "${checked.planned.input.externalId}" is also on line ${seen}: each charge needs its own id`]);
      continue;
    }
    firstLineOf.set(checked.planned.input.externalId, row.line);
    planned.push(checked.planned);
  }

  const numbers = [...new Set(planned.map((p) => p.nhsNumber))];
  const people = await ctx.data.read((q) => findPeopleByNhsNumber(q, ctx.actor.partnershipId, numbers));

  for (const row of planned) {
    const personId = people.get(row.nhsNumber);
    if (!personId) {
      reject(row.line, [`nhs_number: ${formatNhsNumber(row.nhsNumber)} is not on the register: add the person first, or check the NHS number`]);
      continue;
    }
    try {
      const input = parseApiInput(chargeImportSchema(today), row.input);
      const outcome = await importCharge(ctx, personId, input, 'import');
      if (outcome.outcome === 'already-recorded') {
        result.chargesAlreadyPresent++;
        continue;
      }
      result.chargesRecorded++;
      if (outcome.charge.status === 'refund-due') result.refundsDue++;
      if (outcome.refundTask?.created) result.refundTasksCreated++;
    } catch (error) {
      if (error instanceof InputError) reject(row.line, error.issues.map(rowIssue));
      else if (error instanceof AppError && error.statusCode < 500) reject(row.line, [error.message]);
      else throw error;
    }
  }
  result.rejected.sort((a, b) => a.line - b.line);
  return result;
}
