import { getPlanSettings } from '../settings/index.ts';
import { addDays } from '../../domain/calendar-date.ts';
import { evaluate, flagMeanings, legalPositionOf, parseCase, type Decision, type Flag, type LegalEvent, type LegalPosition } from '../../domain/rules/index.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import { publishDomainEvent, statusChangeType } from '../../platform/webhooks/events.ts';
import { cancelFlagTask, insertFlagTask, loadHistory, openFlagTasks, organisationIdByCode, statusBeforeDecision, updatePersonDecision, type StoredEvent } from './decision.queries.ts';

export { loadHistory, type StoredEvent } from './decision.queries.ts';

/**
 * Re-run the rules engine over a person's whole legal history and store the decision on the
 * person, inside the caller's transaction, so lists and reports never recompute it. Flags
 * that need a person to decide become tasks; flags that have gone close their tasks.
 */
export interface DecisionSummary {
  status: Decision['status'];
  entitlementStart: string | null;
  responsibleLocalAuthority: string | null;
  responsibleIcb: string | null;
  nextReviewDue: string | null;
  flags: Flag[];
}

export function summarise(d: Decision): DecisionSummary {
  return {
    status: d.status,
    entitlementStart: d.entitlementStart,
    responsibleLocalAuthority: d.responsibleLocalAuthority,
    responsibleIcb: d.responsibleIcb,
    nextReviewDue: d.nextReviewDue,
    flags: [...d.flags],
  };
}

/** Flags that are questions for a person, who must answer them (R4, R6, R15, R17, R18, R16, R24). */
export const taskForFlag: Partial<Record<Flag, { title: string; owner: 'local-authority' | 'icb' }>> = {
  'legal-status-needs-review': { title: 'Decide whether the legal status gives a right to section 117 aftercare', owner: 'local-authority' },
  's17-leave-determination-needed': { title: 'Decide whether, on section 17 leave, the person has ceased to be detained and left hospital', owner: 'local-authority' },
  'ordinary-residence-ambiguous': { title: 'Confirm ordinary residence immediately before the detention (both dates recorded)', owner: 'local-authority' },
  'responsibility-unresolved': { title: 'Decide which local authority is responsible after the recall or revoked CTO', owner: 'local-authority' },
  'icb-rule-pre-2022': { title: 'Confirm the responsible ICB under the rules before 1 July 2022', owner: 'icb' },
  'no-ordinary-residence': { title: 'Confirm the person had no settled residence before detention', owner: 'local-authority' },
  'sos-referral-due': { title: 'Refer the ordinary residence dispute to the Secretary of State', owner: 'local-authority' },
};

export const TASK_DUE_DAYS = 14;

/** The partnership's review policy, as the engine takes it (R27): set in the planning settings. */
export interface ReviewPolicy {
  readonly firstReviewWeeks: number;
  readonly reviewIntervalMonths: number;
}

export async function reviewPolicyFor(db: DbOrTx, partnershipId: string): Promise<ReviewPolicy> {
  const settings = await getPlanSettings(db, partnershipId);
  return { firstReviewWeeks: settings.firstReviewWeeks, reviewIntervalMonths: settings.reviewIntervalMonths };
}

/** The contract's case for a stored history. */
export function caseFor(history: StoredEvent[], dateOfBirth: string, asOf: string, policy?: ReviewPolicy): unknown {
  return {
    asOf,
    person: { dateOfBirth },
    ...(policy ? { policy: { firstReviewWeeks: policy.firstReviewWeeks, reviewIntervalMonths: policy.reviewIntervalMonths } } : {}),
    events: history.map((e) => ({ type: e.type, date: e.occurredOn, ...(e.payload as Record<string, unknown>) })),
  };
}

/**
 * Evaluate a history, or refuse it with the engine's own field-pathed reasons. `focusIndex`
 * is the position of the event being added or changed: its errors are reported against the
 * form's own fields, others as a conflict with the rest of the history.
 */
export function evaluateHistory(history: StoredEvent[], dateOfBirth: string, asOf: string, focusIndex?: number, policy?: ReviewPolicy): Decision {
  const parsed = parseCase(caseFor(history, dateOfBirth, asOf, policy));
  if (parsed.ok) return evaluate(parsed.value);
  const issues: FieldIssue[] = parsed.problem.errors.map((e) => {
    const match = /^events\[(\d+)\]\.?(.*)$/.exec(e.path);
    if (match && Number(match[1]) === focusIndex) return { path: match[2] || 'date', message: e.message };
    if (match) return { path: 'date', message: `This conflicts with the rest of the legal history: ${e.message}` };
    return { path: e.path || 'date', message: e.message };
  });
  throw new InputError(issues);
}

/**
 * Where the person stands under the Act on `asOf` (on a CTO, conditionally discharged, recalled,
 * in hospital), from a stored history: each event was checked by the contract when it was recorded.
 */
export function legalPositionFor(history: StoredEvent[], asOf: string): LegalPosition[] {
  const events = history.map((e) => ({ type: e.type, date: e.occurredOn, ...(e.payload as Record<string, unknown>) }) as LegalEvent);
  return legalPositionOf(events, asOf);
}

/**
 * Store the decision and bring flag tasks in line with it, in the caller's transaction. The legal
 * position is read from the history as it now stands in the transaction.
 * `at` is when (the caller's clock). Returns the decision.
 */
/**
 * Tell the systems outside (finance, case systems; issue 14, item 5) when the section 117 status
 * changes: every decision is stored here, whichever path changed the history (the one path for
 * legal events, an ending or reinstatement through it, the daily re-evaluation), so no change is
 * missed. The event is queued in this transaction: it goes only if the change commits.
 */
async function publishStatusChange(tx: DbOrTx, partnershipId: string, personId: string, before: { status: string; nhsNumber: string }, decision: Decision, at: Date): Promise<void> {
  const type = statusChangeType(before.status, decision.status);
  if (!type) return;
  const last = decision.episodes.at(-1);
  await publishDomainEvent(tx, {
    type,
    partnershipId,
    personId,
    occurredAt: at,
    data: {
      personId,
      nhsNumber: before.nhsNumber,
      status: decision.status,
      previousStatus: before.status,
      entitlementStart: decision.entitlementStart,
      entitlementEnd: decision.status === 'ended' ? (last?.end ?? null) : null,
      responsibleLocalAuthority: decision.responsibleLocalAuthority,
      responsibleIcb: decision.responsibleIcb,
    },
  });
}

export async function storeDecision(
  tx: DbOrTx,
  partnershipId: string,
  personId: string,
  decision: Decision,
  asOf: string,
  fallbackOwnerOrganisationId: string,
  at: Date,
): Promise<Decision> {
  const legalPosition = legalPositionFor(await loadHistory(tx, partnershipId, personId), asOf);
  const before = await statusBeforeDecision(tx, partnershipId, personId);
  await updatePersonDecision(tx, partnershipId, personId, decision, legalPosition, asOf, at);
  if (before) await publishStatusChange(tx, partnershipId, personId, before, decision, at);
  const open = await openFlagTasks(tx, partnershipId, personId);
  const wanted = decision.flags.filter((f) => taskForFlag[f]);
  for (const t of open) {
    if (t.flag && !wanted.includes(t.flag as Flag)) await cancelFlagTask(tx, partnershipId, t.id, at);
  }
  for (const flag of wanted) {
    if (open.some((t) => t.flag === flag)) continue;
    const spec = taskForFlag[flag]!;
    const owner =
      (await organisationIdByCode(tx, partnershipId, spec.owner === 'icb' ? decision.responsibleIcb : decision.responsibleLocalAuthority)) ??
      fallbackOwnerOrganisationId;
    await insertFlagTask(tx, { partnershipId, personId, flag, title: spec.title, detail: flagMeanings[flag], ownerOrganisationId: owner, dueOn: addDays(asOf, TASK_DUE_DAYS) });
  }
  return decision;
}
