import { z } from 'zod';
import { nhsNumberMessages, nhsNumberProblem, normaliseNhsNumber } from '../../domain/nhs-number.ts';
import { legalEventSchema, type Decision } from '../../domain/rules/index.ts';
import { assertCanOnPerson, type Permission } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { InputError, NotFoundError, type FieldIssue } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { visiblePeopleWithNhsNumber } from './api.queries.ts';
import { evaluateHistory, loadHistory, reviewPolicyFor } from './decision.ts';
import { recordEvent, type PersonRow } from './people.service.ts';
import { applyEvents, refuseWorkflowOnly, WorkflowOnlyEventError, type EventInput, type RecordedOutcome } from './events.service.ts';
import { findPerson } from './people.queries.ts';
import type { legalEvent } from './schema.ts';

/*
 * Use cases behind the integration API (/api/v1/people…) and the legal-status feed
 * (`npx aftercare ingest legal-status`). Writes go through the register service
 * (createPerson, recordEvent) or, for several events of one person at once, `recordEvents`,
 * which keeps recordEvent's rules; reads are the lighter ones an API client needs, and every
 * view of a person's record is audited, as the person page does: each use case is one unit of
 * work through the door (docs/decisions/0006-one-door-to-the-data.md), its queries in
 * people.queries.ts and api.queries.ts.
 */

export type LegalEventRow = typeof legalEvent.$inferSelect;

/** A person in the actor's partnership: 404 if there is none, 403 if the actor has no relationship with them. */
async function loadPersonFor(q: DbOrTx, ctx: ServiceContext, personId: string, permission: Permission): Promise<PersonRow> {
  if (!z.uuid().safeParse(personId).success) throw new NotFoundError(`There is no person with id ${personId}`);
  const row = await findPerson(q, ctx.actor.partnershipId, personId);
  if (!row) throw new NotFoundError(`There is no person with id ${personId}`);
  assertCanOnPerson(ctx.actor, permission, row);
  return row;
}

/** One person's record for an API client. The view is audited. */
export async function getPersonForApi(ctx: ServiceContext, personId: string): Promise<PersonRow> {
  return ctx.data.transaction(async (tx, audit) => {
    const row = await loadPersonFor(tx, ctx, personId, 'person:read');
    await audit.viewPerson(row.id, { via: 'api' });
    return row;
  });
}

/** The person as stored right after a change (no view is recorded: the change itself is audited). */
export async function reloadPerson(ctx: ServiceContext, personId: string): Promise<PersonRow> {
  const row = await ctx.data.read((q) => findPerson(q, ctx.actor.partnershipId, personId));
  if (!row) throw new NotFoundError(`There is no person with id ${personId}`);
  return row;
}

/**
 * Exact lookup by NHS number (spaces and hyphens ignored). Returns the people the actor may
 * see: none when the number is not on the register or belongs to someone outside their
 * relationships, so the answer never reveals who else is on the register. Each person
 * returned is an audited view.
 */
export async function findPeopleByNhsNumber(ctx: ServiceContext, nhsNumber: string): Promise<PersonRow[]> {
  const problem = nhsNumberProblem(nhsNumber);
  if (problem) throw new InputError([{ path: 'nhsNumber', message: nhsNumberMessages[problem] }]);
  return ctx.data.transaction(async (tx, audit) => {
    const rows = await visiblePeopleWithNhsNumber(tx, ctx.actor, normaliseNhsNumber(nhsNumber));
    for (const row of rows) await audit.viewPerson(row.id, { via: 'api', lookup: 'nhs-number' });
    return rows;
  });
}

/**
 * The stored rules-engine decision, exactly as the engine produced it when the history last
 * changed (`decidedOn` on the person says when). Audited as a view of the record.
 */
export async function getEntitlement(ctx: ServiceContext, personId: string): Promise<{ decision: Decision; decidedOn: string | null }> {
  return ctx.data.transaction(async (tx, audit) => {
    const row = await loadPersonFor(tx, ctx, personId, 'person:read');
    await audit.viewPerson(row.id, { via: 'api', part: 'entitlement' });
    if (row.decision) return { decision: row.decision as Decision, decidedOn: row.decidedOn };
    // Every write stores a decision; a row written some other way is evaluated now, not stored.
    const today = ctx.today();
    return { decision: evaluateHistory(await loadHistory(tx, ctx.actor.partnershipId, row.id), row.dateOfBirth, today, undefined, await reviewPolicyFor(tx, ctx.actor.partnershipId)), decidedOn: today };
  });
}

// ---------------------------------------------------------------------------
// Recording an event
// ---------------------------------------------------------------------------

export const eventEnvelopeSchema = z.strictObject({
  event: legalEventSchema,
  hospital: z
    .string({ error: 'The hospital must be text: its name or ODS site code' })
    .trim()
    .max(200, 'The hospital must be 200 characters or fewer')
    .nullish(),
  externalId: z
    .string({ error: 'The externalId must be text' })
    .trim()
    .min(1, 'The externalId must not be empty: leave it out if you have none')
    .max(200, 'The externalId must be 200 characters or fewer')
    .nullish(),
});

/** The contract fields of a stored event, in the contract's own shape. */
export function contractEvent(row: Pick<LegalEventRow, 'type' | 'occurredOn' | 'payload'>): Record<string, unknown> {
  return { type: row.type, date: row.occurredOn, ...(row.payload as Record<string, unknown>) };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether a stored event says the same as a contract event (field order does not matter). */
export function sameEvent(row: Pick<LegalEventRow, 'type' | 'occurredOn' | 'payload'>, event: Record<string, unknown>): boolean {
  return canonical(contractEvent(row)) === canonical(event);
}

export function describeStoredEvent(row: Pick<LegalEventRow, 'type' | 'occurredOn' | 'payload'>): string {
  const fields = Object.entries(row.payload as Record<string, unknown>).map(([k, v]) => `${k} ${JSON.stringify(v)}`);
  return `${row.type} on ${row.occurredOn}${fields.length ? ` (${fields.join(', ')})` : ''}`;
}

/**
 * The rules engine names other events by their place in the case it was given ("(events[3])");
 * a client sending one event never saw that list, and the dates in the message say which.
 */
export function withoutHistoryIndexes(message: string): string {
  return message.replace(/\s*\(events\[\d+\]\)/g, '').replace(/\s*\(since ([0-9-]+), events\[\d+\]\)/g, ' (since $1)');
}

/** Errors of the register service name the event's own fields; the API body nests them under "event". */
function underEvent(issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => {
    const message = withoutHistoryIndexes(i.message);
    if (i.path === 'externalId' || i.path === 'hospital') return { ...i, message };
    return { path: i.path ? `event.${i.path}` : 'event', message };
  });
}

/**
 * Record one event sent by an API client. 404/403 come before any check of the body, so a
 * client learns first whether the person is there for it. Re-sending an event with an
 * externalId already used changes nothing and returns what was recorded; re-using the
 * externalId for a different event is refused, so nothing sent is ever silently dropped.
 */
export async function recordEventFromApi(ctx: ServiceContext, personId: string, body: unknown) {
  await ctx.data.read((q) => loadPersonFor(q, ctx, personId, 'person:write'));
  // An ending or a dispute belongs to its workflow: say so first, whatever else is in the body.
  refuseWorkflowOnly(personId, (body as { event?: { type?: unknown } } | null)?.event?.type, 'event.type');
  const input = parseApiInput(eventEnvelopeSchema, body);
  let result: Awaited<ReturnType<typeof recordEvent>>;
  try {
    result = await recordEvent(ctx, personId, { event: input.event, hospital: input.hospital ?? null, externalId: input.externalId ?? null, source: 'api' });
  } catch (error) {
    if (error instanceof WorkflowOnlyEventError) throw error.withIssues(underEvent(error.issues));
    if (error instanceof InputError) throw new InputError(underEvent(error.issues));
    throw error;
  }
  if (result.outcome === 'already-recorded' && !sameEvent(result.event, input.event)) {
    throw new InputError([
      {
        path: 'externalId',
        message: `The externalId "${input.externalId ?? ''}" was already used for a different event: ${describeStoredEvent(result.event)}. Nothing was changed. Send a new externalId for a new event, or correct the recorded event on the person's record`,
      },
    ]);
  }
  return result;
}

// ---------------------------------------------------------------------------
// Recording several events of one person at once (the legal-status feed)
// ---------------------------------------------------------------------------

export type { RecordedOutcome } from './events.service.ts';

/**
 * Record several events of one person in one transaction, all or none: `applyEvents` (the one
 * path for legal events) in a transaction of its own. Errors name the event by its place:
 * `events[i].date`.
 */
export async function recordEvents(ctx: ServiceContext, personId: string, inputs: EventInput[]): Promise<{ results: RecordedOutcome[]; decision: Decision }> {
  return ctx.data.transaction(async (tx) => applyEvents(tx, ctx, personId, inputs));
}
