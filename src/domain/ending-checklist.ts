/**
 * The checklist for ending section 117 aftercare, and for reinstating a mistaken ending (issue 6).
 *
 * One source of truth: the checks are the rules engine's own. The proposed ending is added to
 * the person's legal history as an `aftercare-ended` event approved by both bodies (the two
 * approvals themselves are collected separately, R9) and the history is evaluated; each
 * rejection the engine gives that event fails one item of the checklist, with the engine's
 * message, the rule and its source. Pure: no clock, no database.
 */
import { rejectionRuleIds, ruleById, type RuleId } from './rules/catalogue.ts';
import { evaluate, parseCase, type Decision, type RejectionCode } from './rules/index.ts';

export type CheckOutcome = 'pass' | 'fail' | 'not-checked';

export interface EndingCheck {
  /** The engine's rejection code this item stands for (or a reinstatement check's own code). */
  code: string;
  /** What must be true, in plain words. */
  label: string;
  outcome: CheckOutcome;
  /** Why: the engine's message when it fails. */
  detail: string;
  rule: RuleId;
  source: string;
}

export interface Checklist {
  checks: EndingCheck[];
  /** Every item passes: the proposal may be approved. */
  passed: boolean;
}

/** The engine's checks on an ending, in the order a practitioner reads them. R9 (both approvals) is the approvals themselves. */
const endingItems: ReadonlyArray<{ code: RejectionCode; label: string; pass: string }> = [
  { code: 'ending-not-entitled', label: 'They are entitled to aftercare now', pass: 'They have a current entitlement, so there is something to end.' },
  { code: 'ending-while-cto', label: 'They are not on a community treatment order', pass: 'They are not a community patient on a CTO.' },
  { code: 'ending-conditional-discharge-needs-override', label: 'They are not conditionally discharged', pass: 'They are not conditionally discharged.' },
  {
    code: 'ending-reason-not-lawful',
    label: 'The reasons are lawful',
    pass: 'The reasons include that they no longer need aftercare services (not only that they refuse services, are doing well, or time has passed).',
  },
  { code: 'ending-person-not-involved', label: 'They were involved in the decision', pass: 'They were involved in the decision.' },
];

/** The engine's end reasons; also the codes a proposal may give. */
export interface ProposedEnding {
  /** The date aftercare would end (YYYY-MM-DD). */
  date: string;
  reasons: readonly string[];
  personInvolved: boolean;
  /** Legal sign-off recorded for ending while conditionally discharged (R8). */
  legalOverride?: boolean;
}

export interface HistoryForChecks {
  /** The person's legal history as contract events ({ type, date, …fields }), voided events left out, in date order. */
  events: ReadonlyArray<Record<string, unknown>>;
  dateOfBirth?: string | undefined;
  /** The date the checks are made for (today). A later ending date is checked as of that date. */
  asOf: string;
}

function item(code: string, label: string, outcome: CheckOutcome, detail: string, rule: RuleId): EndingCheck {
  return { code, label, outcome, detail, rule, source: ruleById(rule).source };
}

function evaluateEvents(history: HistoryForChecks, events: ReadonlyArray<Record<string, unknown>>, asOf: string): { ok: true; decision: Decision } | { ok: false; message: string } {
  const parsed = parseCase({ asOf, ...(history.dateOfBirth ? { person: { dateOfBirth: history.dateOfBirth } } : {}), events });
  if (!parsed.ok) return { ok: false, message: parsed.problem.errors.map((e) => e.message).join('; ') || parsed.problem.detail };
  return { ok: true, decision: evaluate(parsed.value) };
}

/** The checklist for ending aftercare on `ending.date` with these reasons: the engine's rejections of that ending. */
export function endingChecklist(history: HistoryForChecks, ending: ProposedEnding): Checklist {
  const proposed = { type: 'aftercare-ended', date: ending.date, approvedBy: ['local-authority', 'icb'], reasons: [...ending.reasons], personInvolved: ending.personInvolved, legalOverride: ending.legalOverride ?? false };
  const index = history.events.length;
  const asOf = ending.date > history.asOf ? ending.date : history.asOf;
  const result = evaluateEvents(history, [...history.events, proposed], asOf);
  if (!result.ok) {
    // The ending does not fit the history at all (for example, a date after the person died).
    const checks = endingItems.map((i, n) => item(i.code, i.label, n === 0 ? 'fail' : 'not-checked', n === 0 ? `The ending does not fit the legal history: ${result.message}` : 'Checked once the ending fits the legal history.', rejectionRuleIds[i.code]));
    return { checks, passed: false };
  }
  const rejections = result.decision.rejectedEvents.filter((r) => r.eventIndex === index);
  const notEntitled = rejections.find((r) => r.code === 'ending-not-entitled');
  const checks = endingItems.map((i) => {
    const rule = rejectionRuleIds[i.code];
    if (notEntitled && i.code !== 'ending-not-entitled') return item(i.code, i.label, 'not-checked', 'Checked only when there is a current entitlement to end.', rule);
    const rejection = rejections.find((r) => r.code === i.code);
    return rejection ? item(i.code, i.label, 'fail', rejection.message, rule) : item(i.code, i.label, 'pass', i.pass, rule);
  });
  return { checks, passed: checks.every((c) => c.outcome === 'pass') };
}

/**
 * The checklist for reinstating a mistaken ending: the ending at `endingIndex` of the history
 * is in effect (the engine accepted it and the person's aftercare is ended), and without it the
 * engine restores the entitlement.
 */
export function reinstatementChecklist(history: HistoryForChecks, endingIndex: number | null): Checklist {
  const recorded = 'An ending of their aftercare is recorded';
  const restores = 'Undoing it restores their entitlement';
  if (endingIndex === null || history.events[endingIndex]?.type !== 'aftercare-ended') {
    return {
      checks: [
        item('ending-recorded', recorded, 'fail', 'No decision to end their aftercare is recorded in the legal history: there is nothing to reinstate.', 'R9'),
        item('entitlement-restored', restores, 'not-checked', 'Checked once there is an ending to undo.', 'R5'),
      ],
      passed: false,
    };
  }
  const withEnding = evaluateEvents(history, history.events, history.asOf);
  const inEffect =
    withEnding.ok &&
    withEnding.decision.status === 'ended' &&
    !withEnding.decision.rejectedEvents.some((r) => r.eventIndex === endingIndex) &&
    withEnding.decision.episodes.at(-1)?.endReason === 'ended';
  const first = inEffect
    ? item('ending-recorded', recorded, 'pass', `Their aftercare was ended on ${String(history.events[endingIndex].date)} by a joint decision.`, 'R9')
    : item('ending-recorded', recorded, 'fail', 'The recorded ending is not the one in effect now (their status is not "ended" by that decision).', 'R9');
  const without = evaluateEvents(history, history.events.filter((_, n) => n !== endingIndex), history.asOf);
  const second =
    without.ok && without.decision.status === 'entitled'
      ? item('entitlement-restored', restores, 'pass', `Without the ending they are entitled again, from ${without.decision.entitlementStart ?? 'the original start'}.`, 'R5')
      : item('entitlement-restored', restores, 'fail', without.ok ? `Without the ending their status would be "${without.decision.status}", not entitled.` : `The history without the ending is not valid: ${without.message}`, 'R5');
  return { checks: [first, second], passed: first.outcome === 'pass' && second.outcome === 'pass' };
}
