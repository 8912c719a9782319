/**
 * Small builders for rule tests: events in the contract's shape, and `decide`, which parses
 * a case (failing the test with the problem if it is invalid) and evaluates it.
 */
import type { CaseInput, Decision, LegalEvent } from '../contract.ts';
import { parseCase } from '../contract.ts';
import { evaluate } from '../evaluate.ts';

type EventInput = CaseInput['events'][number];

export const WORCESTERSHIRE = 'E10000034';
export const SWINDON = 'E06000030';
export const CAMDEN = 'E09000007';
export const BIRMINGHAM = 'E08000025';
export const ICB_A = 'E54000040';
export const ICB_B = 'E54000066';

export function detained(
  date: string,
  legalStatusCode = '03',
  ordinaryResidence: string = CAMDEN,
  icbOfGpRegistration: string = ICB_A,
): EventInput {
  return { type: 'detention-started', date, legalStatusCode, ordinaryResidence, icbOfGpRegistration };
}

export function detentionEnded(date: string, reason: Extract<LegalEvent, { type: 'detention-ended' }>['reason'] = 'discharged'): EventInput {
  return { type: 'detention-ended', date, reason };
}

export function leftHospital(date: string, dischargedToLocalAuthority?: string): EventInput {
  return dischargedToLocalAuthority ? { type: 'left-hospital', date, dischargedToLocalAuthority } : { type: 'left-hospital', date };
}

/** Ceased to be detained and left hospital on the same day. */
export function discharged(date: string, reason: Extract<LegalEvent, { type: 'detention-ended' }>['reason'] = 'discharged'): EventInput[] {
  return [detentionEnded(date, reason), leftHospital(date)];
}

export function reviewed(date: string): EventInput {
  return { type: 'reviewed', date };
}

export function aftercareEnded(
  date: string,
  options: Partial<Pick<Extract<LegalEvent, { type: 'aftercare-ended' }>, 'approvedBy' | 'reasons' | 'personInvolved' | 'legalOverride'>> = {},
): EventInput {
  return {
    type: 'aftercare-ended',
    date,
    approvedBy: options.approvedBy ?? ['local-authority', 'icb'],
    reasons: options.reasons ?? ['no-longer-in-need'],
    personInvolved: options.personInvolved ?? true,
    legalOverride: options.legalOverride ?? false,
  };
}

export function event(type: 'admitted-informally' | 'recalled' | 'dispute-resolved' | 'died', date: string): EventInput {
  return { type, date };
}

/** Parse and evaluate; a case the contract rejects fails the test with its problem. */
export function decide(input: CaseInput): Decision {
  const parsed = parseCase(input);
  if (!parsed.ok) throw new Error(`Invalid test case: ${JSON.stringify(parsed.problem.errors)}`);
  return evaluate(parsed.value);
}

/** The rule ids cited by a decision's reasons (and its needs' reasons). */
export function citedRules(decision: Decision): string[] {
  return [...decision.reasons, ...decision.needs.flatMap((n) => n.reasons)].map((r) => r.rule);
}
