import { z } from 'zod';
import { organisationScope, relationshipScope } from '../../platform/access/policy.ts';
import { ForbiddenError } from '../../platform/errors/errors.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { countAuditEvents, findAuditEvents, findReadablePeople } from './audit.queries.ts';
import { parseDateInput } from '../../platform/plain-language.ts';

/** A date as people type it ("1 November 2026", "1/11/2026" or 2026-11-01), kept as an ISO date; none when left empty. */
const isoDate = z.string().transform((v, ctx) => {
  if (v.trim() === '') return undefined;
  const iso = parseDateInput(v);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: 'Enter a real date, like 1 November 2026' });
    return z.NEVER;
  }
  return iso;
});

export const auditFilterSchema = z.object({
  action: z.string().trim().max(100).optional().transform((v) => v || undefined),
  subjectType: z.string().trim().max(100).optional().transform((v) => v || undefined),
  subjectId: z.string().trim().max(100).optional().transform((v) => v || undefined),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const AUDIT_PAGE_SIZE = 50;

/**
 * Subject types whose events hold only staff accounts and configuration (never the details of
 * a person on the register): their before/after is shown to everyone who may read the trail.
 */
const staffSubjectTypes: ReadonlySet<string> = new Set([
  'user',
  'organisation',
  'api-token',
  'partnership',
  'plan-settings',
  'population-figures',
  'import-mapping',
  'audit-checklist',
  'panel-meeting',
  'register-import',
]);

/** Shown instead of an event's contents the actor may not read. */
export const WITHHELD_PERSON =
  'Details withheld: this event is about a person’s record, and you do not have access to that person’s record. Their team, or your quality and audit staff, can see the details.';
export const WITHHELD_MAY_NAME_PEOPLE =
  'Details withheld: this event may include details of people on the register (such as search terms or the people in an audit sample), and your roles do not let you read people’s records.';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Person ids named in an event's contents (`personId`, `personIds`), at any depth. */
function personIdsIn(value: unknown, found: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 6 || value === null || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    for (const item of value) personIdsIn(item, found, depth + 1);
    return found;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === 'personId' && typeof v === 'string') {
      found.add(v);
    } else if (key === 'personIds' && Array.isArray(v)) {
      for (const id of v) if (typeof id === 'string') found.add(id);
    } else {
      personIdsIn(v, found, depth + 1);
    }
  }
  return found;
}

interface AuditRowContents {
  subjectType: string;
  subjectId: string | null;
  before: unknown;
  after: unknown;
}

/**
 * The one rule for an event's contents (the access policy's person:read, finding 6 of issue 12):
 *  - an event about a person (subject type `person`) shows its before/after only to an actor
 *    who may read that person now;
 *  - staff and configuration events (`staffSubjectTypes`) show them to every reader of the trail;
 *  - any other event (exports with their filters, audit samples, report schedules, and any
 *    subject type added later) may name people: its contents are shown only to an actor who
 *    holds a person-reading role and may read every person it names.
 * Withheld events still show who did what, when, and to which subject.
 */
async function withholdPersonData<T extends AuditRowContents>(ctx: ServiceContext, q: DbOrTx, rows: T[]): Promise<Array<T & { withheld: string | null }>> {
  const readsPeople = relationshipScope(ctx.actor, 'person:read').organisationIds.length > 0;
  const named = new Map<T, string[]>();
  const candidates = new Set<string>();
  for (const row of rows) {
    if (staffSubjectTypes.has(row.subjectType)) continue;
    const ids = row.subjectType === 'person' ? (row.subjectId ? [row.subjectId] : []) : [...personIdsIn([row.before, row.after])];
    named.set(row, ids);
    for (const id of ids) if (uuidPattern.test(id)) candidates.add(id);
  }
  const readable = new Set<string>(readsPeople ? await findReadablePeople(q, ctx.actor, [...candidates]) : []);
  return rows.map((row) => {
    const ids = named.get(row);
    let withheld: string | null = null;
    if (ids !== undefined) {
      if (row.subjectType === 'person') withheld = ids.length === 1 && readable.has(ids[0]!) ? null : WITHHELD_PERSON;
      else withheld = readsPeople && ids.every((id) => readable.has(id)) ? null : WITHHELD_MAY_NAME_PEOPLE;
    }
    return withheld === null ? { ...row, withheld } : { ...row, before: null, after: null, withheld };
  });
}

/**
 * The audit trail as the actor may see it: the whole partnership for administrators and
 * quality staff of the lead organisation, otherwise events made for their own organisations.
 * Every event is listed, but the contents of events about people are shown only to those who
 * may read them (`withholdPersonData`).
 */
export async function searchAuditEvents(ctx: ServiceContext, rawFilter: unknown) {
  const filter = parseInput(auditFilterSchema, rawFilter);
  const scope = organisationScope(ctx.actor, 'audit:read');
  if (!scope.all && scope.organisationIds.length === 0) throw new ForbiddenError();
  const search = {
    partnershipId: ctx.actor.partnershipId,
    organisationIds: scope.all ? ('all' as const) : scope.organisationIds,
    action: filter.action,
    subjectType: filter.subjectType,
    subjectId: filter.subjectId,
    from: filter.from,
    to: filter.to,
  };
  // One unit of work for the page: the events, their count and which people the actor may read.
  return ctx.data.read(async (q) => {
    const rows = await findAuditEvents(q, search, { limit: AUDIT_PAGE_SIZE, offset: (filter.page - 1) * AUDIT_PAGE_SIZE });
    const total = await countAuditEvents(q, search);
    return { filter, rows: await withholdPersonData(ctx, q, rows), total };
  });
}
