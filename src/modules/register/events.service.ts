import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { legalEventSchema, type Decision, type Flag } from '../../domain/rules/index.ts';
import { assertCanOnPerson } from '../../platform/access/policy.ts';
import { recordChanges, type AuditScope, type ChangeEvent } from '../../platform/audit/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { InputError, NotFoundError, type FieldIssue } from '../../platform/errors/errors.ts';
import { expectOneUpdated } from '../../platform/http/context.ts';
import { pathToString } from '../../platform/http/validation.ts';
import { evaluateHistory, loadHistory, reviewPolicyFor, storeDecision, summarise, type DecisionSummary, type StoredEvent } from './decision.ts';
import {
  eventsByExternalId,
  eventTypeOf,
  insertEventRowsInBulk,
  insertEventRowsReturning,
  lastSequenceOn,
  lockPersonForEvents,
  setInvolvedOrganisations,
  storedDecisionOf,
  voidEventAtVersion,
  type LegalEventRow,
  type LockedPerson,
  type NewEventRow,
} from './events.queries.ts';
import { isoDateField } from './inputs.ts';
import { isGranted, workflowOnly, type WorkflowAuthority, type WorkflowOnlyEvent } from './workflow-authority.ts';

/*
 * The one path for legal events (docs/decisions/0007-legal-events-one-path.md). The forms, the
 * people API, the legal-status feed, the register import, the workflows (reviews, disputes,
 * endings) and the demo seed all record events through `applyEvents`; removing a mistaken
 * event goes through `voidEvents`. Both run in the caller's transaction and do everything a
 * legal event needs: refuse events that belong to a workflow unless the workflow's authority is
 * given, validate against the rules-engine contract, keep externalIds idempotent, insert the
 * events (one multi-row statement), re-evaluate the whole history and store the decision with
 * its flag tasks, and audit each event through the platform's recorder (which scrubs secrets).
 * Its queries are in events.queries.ts, which only this file may import; an architectural test
 * (events.architecture.test.ts) checks that no other file writes legal_event or imports them.
 */

export type { LegalEventRow, NewEventRow } from './events.queries.ts';

/**
 * Who records (the audit scope) and their clock: the service context of the caller, whose
 * clock dates the events' checks and the decision.
 */
export type EventScope = AuditScope & { readonly clock: Clock };

export interface EventInput {
  /** An event of the rules-engine contract: { type, date, …fields }. */
  event: unknown;
  hospital?: string | null;
  /** The sender's id: an event already recorded with it is returned unchanged. */
  externalId?: string | null;
  source?: 'manual' | 'api' | 'ingest' | 'import';
}

export type RecordedOutcome = { outcome: 'recorded' | 'already-recorded'; event: LegalEventRow };

export interface ApplyOptions {
  /**
   * The authority of the workflow the events belong to (workflow-authority.ts). Without it, an
   * event that only a workflow may record is refused, whoever sends it.
   */
  readonly authority?: WorkflowAuthority;
  /**
   * Who may change the history: person:write, unless a workflow's authority is given and the
   * workflow has authorised the change itself (the second approver of a joint ending may be a
   * commissioner with person:read).
   */
  readonly permission?: 'person:write' | 'person:read';
  /** The date the history is evaluated at: today by the scope's clock unless given. */
  readonly today?: string;
}

/** An event that belongs to a workflow, sent without its authority: 422, with the way to do it. */
export class WorkflowOnlyEventError extends InputError {
  override readonly problemType = 'workflow-only-event';
  override readonly title = 'This event can only be recorded by its workflow';
  constructor(
    readonly spec: WorkflowOnlyEvent,
    readonly personId: string,
    issues: FieldIssue[],
    readonly removing = false,
  ) {
    super(issues);
    this.message = removing ? spec.removeMessage : spec.apiDetail(personId);
  }

  /** The same refusal with its field paths renamed (the API nests events under "event"). */
  withIssues(issues: FieldIssue[]): WorkflowOnlyEventError {
    return new WorkflowOnlyEventError(this.spec, this.personId, issues, this.removing);
  }
}

function issuesOf(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = pathToString(issue.path);
    const join = (p: string) => [prefix, p].filter((s) => s !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: join(base ? `${base}.${key}` : key), message: `Remove "${key}": it is not a field of ${base ? `"${join(base)}"` : 'the event'}` }));
    }
    return [{ path: join(base), message: issue.message }];
  });
}

function assertAuthorised(personId: string, types: Array<{ index: number; type: unknown }>, authority: WorkflowAuthority | undefined, removing = false): void {
  for (const { index, type } of types) {
    const spec = typeof type === 'string' ? workflowOnly(type) : undefined;
    if (spec && !isGranted(authority, spec.workflow)) {
      throw new WorkflowOnlyEventError(spec, personId, [{ path: removing ? 'reason' : `events[${index}].type`, message: removing ? spec.removeMessage : spec.formMessage }], removing);
    }
  }
}

/**
 * Refuse an event of a workflow before its body is checked (for callers that validate an
 * envelope of their own first, like the people API): the answer is the same whatever else is wrong.
 */
export function refuseWorkflowOnly(personId: string, type: unknown, path: string): void {
  const spec = typeof type === 'string' ? workflowOnly(type) : undefined;
  if (spec) throw new WorkflowOnlyEventError(spec, personId, [{ path, message: spec.formMessage }]);
}

async function lockPerson(tx: DbOrTx, scope: AuditScope, personId: string, permission: 'person:write' | 'person:read'): Promise<LockedPerson> {
  if (!z.uuid().safeParse(personId).success) throw new NotFoundError(`There is no person with id ${personId}`);
  const before = await lockPersonForEvents(tx, scope.actor.partnershipId, personId);
  if (!before) throw new NotFoundError(`There is no person with id ${personId}`);
  assertCanOnPerson(scope.actor, permission, before);
  return before;
}

const summaryOf = (p: LockedPerson): DecisionSummary => ({
  status: p.status,
  entitlementStart: p.entitlementStart,
  responsibleLocalAuthority: p.responsibleLocalAuthority,
  responsibleIcb: p.responsibleIcb,
  nextReviewDue: p.nextReviewDue,
  flags: p.flags as Flag[],
});

/**
 * The one way legal events are inserted. Refuses an event of a workflow without its authority, then
 * writes the rows with multi-row statements (2,000 a statement). `applyEvents` calls it after
 * validating and evaluating one person's events; the register import calls it for a batch of
 * people whose rows its plan validated and evaluated with the same engine, set-based
 * (imports/plan.ts), and audits them through the same recorder.
 */
export async function insertEvents(tx: DbOrTx, scope: AuditScope, rows: NewEventRow[], options: Pick<ApplyOptions, 'authority'> & { returning?: boolean } = {}): Promise<LegalEventRow[]> {
  rows.forEach((row, index) => {
    if (row.partnershipId !== scope.actor.partnershipId) throw new Error('A legal event must belong to the partnership of whoever records it');
    assertAuthorised(row.personId, [{ index, type: row.type }], options.authority);
  });
  if (options.returning) return insertEventRowsReturning(tx, rows);
  await insertEventRowsInBulk(tx, scope.actor.partnershipId, rows);
  return [];
}

/**
 * Record legal events of one person in the caller's transaction: all or none. The result is
 * what recording each input in turn would give (the same checks, in the same order, each new
 * event after those already on its date, one audit event per event with the decision before
 * and after it), with one read of the history and one write of the decision. Flags that come
 * and go within the batch raise no task. Errors name the event by its place: `events[i].date`.
 * Permission is checked before the events are.
 */
export async function applyEvents(tx: DbOrTx, scope: EventScope, personId: string, inputs: EventInput[], options: ApplyOptions = {}): Promise<{ results: RecordedOutcome[]; decision: Decision }> {
  const today = options.today ?? scope.clock.today();
  const permission = options.authority && options.permission === 'person:read' ? 'person:read' : 'person:write';
  const before = await lockPerson(tx, scope, personId, permission);
  const partnershipId = scope.actor.partnershipId;

  // Events that belong to a workflow, before anything else about them.
  assertAuthorised(personId, inputs.map((input, index) => ({ index, type: (input.event as { type?: unknown } | null)?.type })), options.authority);

  const notFuture = isoDateField('the date', { required: true, notFuture: true, today });
  const parsed = inputs.map((input, i) => {
    const result = legalEventSchema.safeParse(input.event);
    if (!result.success) throw new InputError(issuesOf(result.error, `events[${i}]`));
    if (!notFuture.safeParse(result.data.date).success) throw new InputError([{ path: `events[${i}].date`, message: 'The date of a legal event must be today or in the past' }]);
    const { type, date, ...payload } = result.data as { type: string; date: string } & Record<string, unknown>;
    return { type, date, payload, hospital: input.hospital?.trim() || null, externalId: input.externalId?.trim() || null, source: input.source ?? 'manual' };
  });
  const externalIds: string[] = [];
  for (const [i, p] of parsed.entries()) {
    if (!p.externalId) continue;
    if (externalIds.includes(p.externalId)) throw new InputError([{ path: `events[${i}].externalId`, message: `The externalId "${p.externalId}" is given to two events` }]);
    externalIds.push(p.externalId);
  }

  const existing = new Map<string, LegalEventRow>();
  if (externalIds.length) {
    for (const row of await eventsByExternalId(tx, partnershipId, externalIds)) existing.set(row.externalId!, row);
  }
  const fresh = parsed.filter((p) => !p.externalId || !existing.has(p.externalId));
  let history: StoredEvent[] = fresh.length ? await loadHistory(tx, partnershipId, personId) : [];
  const policy = fresh.length ? await reviewPolicyFor(tx, partnershipId) : undefined;
  // A new event goes after every event already recorded on its date, removed ones included,
  // so no two events of a day ever share a place in the order.
  const lastSequence = new Map<string, number>();
  const dates = [...new Set(fresh.map((p) => p.date))];
  if (dates.length) {
    for (const r of await lastSequenceOn(tx, partnershipId, personId, dates)) lastSequence.set(r.on, r.last);
  }
  let summary = summaryOf(before);
  let decision: Decision | null = null;
  const results: Array<RecordedOutcome | null> = [];
  const toInsert: NewEventRow[] = [];
  const changes: Array<{ before: DecisionSummary; after: Decision; row: NewEventRow }> = [];
  for (const [i, p] of parsed.entries()) {
    const stored = p.externalId ? existing.get(p.externalId) : undefined;
    if (stored) {
      if (stored.personId !== personId) throw new InputError([{ path: `events[${i}].externalId`, message: 'This externalId has already been used for another person’s event' }]);
      results.push({ outcome: 'already-recorded', event: stored });
      continue;
    }
    const id = randomUUID();
    const sequence = (lastSequence.get(p.date) ?? 0) + 1;
    lastSequence.set(p.date, sequence);
    const next = [...history, { id, type: p.type, occurredOn: p.date, payload: p.payload }].sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0));
    let after: Decision;
    try {
      after = evaluateHistory(next, before.dateOfBirth, today, next.findIndex((e) => e.id === id), policy);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.issues.map((issue) => ({ path: `events[${i}].${issue.path || 'date'}`, message: issue.message })));
      throw error;
    }
    const row = { id, partnershipId, personId, type: p.type, occurredOn: p.date, sequence, payload: p.payload, hospital: p.hospital, externalId: p.externalId, source: p.source, recordedBy: scope.actor.userId };
    toInsert.push(row);
    changes.push({ before: summary, after, row });
    results.push(null);
    history = next;
    decision = after;
    summary = summarise(after);
  }
  if (!decision) {
    return { results: results as RecordedOutcome[], decision: (await storedDecisionOf(tx, partnershipId, personId)) as Decision };
  }

  const inserted = await insertEvents(tx, scope, toInsert, { authority: options.authority, returning: true });
  const byId = new Map(inserted.map((r) => [r.id, r]));
  let n = 0;
  const out = results.map((r) => r ?? { outcome: 'recorded' as const, event: byId.get(toInsert[n++]!.id)! });
  // The organisation recording the events (usually the trust) is involved from then on.
  if (!before.involvedOrganisations.includes(scope.actor.activeOrganisationId)) {
    await setInvolvedOrganisations(tx, partnershipId, personId, [...before.involvedOrganisations, scope.actor.activeOrganisationId]);
  }
  await storeDecision(tx, partnershipId, personId, decision, today, before.recordedByOrganisationId, scope.clock.now());
  await recordChanges(
    tx,
    scope,
    changes.map(
      (c): ChangeEvent => ({
        action: 'legal-event.recorded',
        subjectType: 'person',
        subjectId: personId,
        before: { decision: c.before },
        after: { event: { id: c.row.id, type: c.row.type, date: c.row.occurredOn, ...(c.row.payload as Record<string, unknown>), hospital: c.row.hospital, externalId: c.row.externalId }, decision: summarise(c.after) },
      }),
    ),
  );
  return { results: out, decision };
}

/**
 * Remove a mistaken event: it is voided (kept, with the reason) and the history re-evaluated,
 * in the caller's transaction. An event that belongs to a workflow is removed only by it (for
 * an ending, a reinstatement approved by both bodies).
 */
export async function voidEvents(
  tx: DbOrTx,
  scope: EventScope,
  personId: string,
  eventId: string,
  version: number,
  reason: string,
  options: ApplyOptions = {},
): Promise<Decision> {
  const why = reason.trim();
  const today = options.today ?? scope.clock.today();
  const permission = options.authority && options.permission === 'person:read' ? 'person:read' : 'person:write';
  const before = await lockPerson(tx, scope, personId, permission);
  const partnershipId = scope.actor.partnershipId;
  const targetType = await eventTypeOf(tx, partnershipId, personId, eventId);
  if (targetType !== undefined) assertAuthorised(personId, [{ index: 0, type: targetType }], options.authority, true);
  if (!why) throw new InputError([{ path: 'reason', message: 'Enter why this event is being removed' }]);
  if (why.length > 1000) throw new InputError([{ path: 'reason', message: 'Reason must be 1000 characters or fewer' }]);
  const now = scope.clock.now();
  const voided = expectOneUpdated(await voidEventAtVersion(tx, partnershipId, personId, eventId, version, why, now));
  const decision = evaluateHistory(await loadHistory(tx, partnershipId, personId), before.dateOfBirth, today, undefined, await reviewPolicyFor(tx, partnershipId));
  await storeDecision(tx, partnershipId, personId, decision, today, before.recordedByOrganisationId, now);
  await recordChanges(tx, scope, [
    {
      action: 'legal-event.voided',
      subjectType: 'person',
      subjectId: personId,
      before: { event: { id: voided.id, type: voided.type, date: voided.occurredOn }, decision: summaryOf(before) },
      after: { reason: why, decision: summarise(decision) },
    },
  ]);
  return decision;
}
