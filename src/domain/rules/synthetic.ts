/**
 * Synthetic legal histories, for property-based tests and the benchmark. Not used in production.
 *
 * A history is built from "steps": each step proposes an event (a detention under some section,
 * a discharge, a review, an ending…) some days after the previous one. A step is kept only if
 * the event is possible at that point (history.ts decides), so every history built is valid.
 * The same builder serves fast-check (steps from arbitraries) and the benchmark (steps from a
 * seeded pseudo-random generator).
 */
import { addDays, type IsoDate } from '../calendar-date.ts';
import {
  conditionalDischargeEndReasons,
  ctoEndReasons,
  detentionEndReasons,
  disputeKinds,
  endReasons,
  type CaseInput,
  type LegalEvent,
} from './contract.ts';
import { emptyHistory, nextHistoryState, type HistoryState } from './history.ts';
import { mulberry32 } from '../random.ts';

export const stepKinds = [
  'detain-qualifying',
  'detain-s2',
  'detain-other',
  'detain-manual-review',
  'guardianship-or-informal-status',
  'end-detention',
  'leave-hospital',
  'admit-informally',
  's17-leave',
  'end-cto',
  'recall',
  'end-conditional-discharge',
  'review',
  'end-aftercare',
  'open-dispute',
  'resolve-dispute',
  'die',
] as const;
export type StepKind = (typeof stepKinds)[number];

export interface Step {
  readonly kind: StepKind;
  /** Days after the previous event (0 = same date, listed after it). */
  readonly gapDays: number;
  /** Chooses among the values the event can take (code, reason, authority…). */
  readonly pick: number;
  /** Bits for yes/no choices (approvals, involvement, findings…). */
  readonly bits: number;
}

export const QUALIFYING_CODES = ['03', '03', '03', '03', '10', '10', '09', '15', '16', '17', '18', '37', '38'] as const;
export const OTHER_DETENTION_CODES = ['04', '05', '06', '07', '08', '12', '19', '20'] as const;
export const MANUAL_REVIEW_CODES = ['13', '14', '31', '32', '99'] as const;
export const NON_DETENTION_CODES = ['35', '36', '01', '98'] as const;
export const LOCAL_AUTHORITIES = ['E10000034', 'E06000030', 'E09000007', 'E08000025', 'W06000015'] as const;
export const ICBS = ['E54000040', 'E54000066', 'E54000027', 'E54000029'] as const;

function choose<T>(values: readonly T[], pick: number): T {
  return values[Math.abs(Math.trunc(pick)) % values.length]!;
}

function bit(bits: number, n: number): boolean {
  return ((bits >>> n) & 1) === 1;
}

function detentionStarted(date: IsoDate, code: string, step: Step): LegalEvent {
  const residenceChoice = Math.trunc(step.pick / 7);
  return {
    type: 'detention-started',
    date,
    legalStatusCode: code,
    ordinaryResidence: residenceChoice % 11 === 10 ? 'none' : choose(LOCAL_AUTHORITIES, residenceChoice),
    icbOfGpRegistration: choose(ICBS, Math.trunc(step.pick / 3)),
  };
}

/** The event a step proposes on a date. */
export function proposeEvent(step: Step, date: IsoDate): LegalEvent {
  switch (step.kind) {
    case 'detain-qualifying':
      return detentionStarted(date, choose(QUALIFYING_CODES, step.pick), step);
    case 'detain-s2':
      return detentionStarted(date, '02', step);
    case 'detain-other':
      return detentionStarted(date, choose(OTHER_DETENTION_CODES, step.pick), step);
    case 'detain-manual-review':
      return detentionStarted(date, choose(MANUAL_REVIEW_CODES, step.pick), step);
    case 'guardianship-or-informal-status':
      return detentionStarted(date, choose(NON_DETENTION_CODES, step.pick), step);
    case 'end-detention':
      return { type: 'detention-ended', date, reason: choose(detentionEndReasons.filter((r) => r !== 'died'), step.pick) };
    case 'leave-hospital':
      return bit(step.bits, 0)
        ? { type: 'left-hospital', date, dischargedToLocalAuthority: choose(LOCAL_AUTHORITIES, step.pick) }
        : { type: 'left-hospital', date };
    case 'admit-informally':
      return { type: 'admitted-informally', date };
    case 's17-leave':
      return { type: 's17-leave-started', date, ceasedToBeDetainedFinding: bit(step.bits, 0) && bit(step.bits, 1) };
    case 'end-cto':
      return { type: 'cto-ended', date, reason: choose(ctoEndReasons, step.pick) };
    case 'recall':
      return { type: 'recalled', date };
    case 'end-conditional-discharge':
      return { type: 'conditional-discharge-ended', date, reason: choose(conditionalDischargeEndReasons, step.pick) };
    case 'review':
      return { type: 'reviewed', date };
    case 'end-aftercare': {
      const approvedBy = (
        [
          ['local-authority', 'icb'],
          ['local-authority', 'icb'],
          ['local-authority', 'icb'],
          ['local-authority'],
          ['icb'],
          [],
        ] as const
      )[Math.abs(step.pick) % 6]!;
      const reasons = endReasons.filter((_, i) => bit(step.bits, i + 3));
      if (bit(step.bits, 11) || bit(step.bits, 12)) reasons.unshift('no-longer-in-need');
      return {
        type: 'aftercare-ended',
        date,
        approvedBy: [...approvedBy],
        reasons: [...new Set(reasons)],
        personInvolved: !(bit(step.bits, 0) && bit(step.bits, 1) && bit(step.bits, 13)),
        legalOverride: bit(step.bits, 2),
      };
    }
    case 'open-dispute':
      return { type: 'dispute-opened', date, kind: choose(disputeKinds, step.pick) };
    case 'resolve-dispute':
      return { type: 'dispute-resolved', date };
    case 'die':
      return { type: 'died', date };
  }
}

export interface BuiltHistory {
  readonly events: LegalEvent[];
  readonly lastDate: IsoDate;
}

/** Keep each proposed event that is possible at its point in the history. */
export function buildHistory(steps: readonly Step[], startDate: IsoDate): BuiltHistory {
  const events: LegalEvent[] = [];
  let state: HistoryState = emptyHistory;
  let date = startDate;
  for (const step of steps) {
    const candidateDate = addDays(date, Math.max(0, Math.trunc(step.gapDays)));
    const event = proposeEvent(step, candidateDate);
    const next = nextHistoryState(state, event, events.length);
    if (typeof next === 'string') continue;
    state = next;
    date = candidateDate;
    events.push(event);
  }
  return { events, lastDate: date };
}

// ---------------------------------------------------------------------------
// Seeded generation for the benchmark
// ---------------------------------------------------------------------------

export { mulberry32 };

/** Step kinds weighted to resemble real histories: mostly detentions, discharges and reviews. */
const WEIGHTED_KINDS: readonly (readonly [StepKind, number])[] = [
  ['detain-qualifying', 14],
  ['detain-s2', 10],
  ['detain-other', 3],
  ['detain-manual-review', 1],
  ['guardianship-or-informal-status', 1],
  ['end-detention', 22],
  ['leave-hospital', 22],
  ['admit-informally', 4],
  ['s17-leave', 4],
  ['end-cto', 4],
  ['recall', 2],
  ['end-conditional-discharge', 2],
  ['review', 14],
  ['end-aftercare', 4],
  ['open-dispute', 1],
  ['resolve-dispute', 2],
  ['die', 0.3],
];
const TOTAL_WEIGHT = WEIGHTED_KINDS.reduce((sum, [, weight]) => sum + weight, 0);

function randomKind(random: () => number): StepKind {
  let roll = random() * TOTAL_WEIGHT;
  for (const [kind, weight] of WEIGHTED_KINDS) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return 'review';
}

export function randomSteps(random: () => number, count: number): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const kind = randomKind(random);
    const sameDay = random() < 0.25;
    steps.push({
      kind,
      gapDays: sameDay ? 0 : Math.floor(random() * (kind === 'review' ? 400 : 150)) + 1,
      pick: Math.floor(random() * 1_000_000),
      bits: Math.floor(random() * 0x4000),
    });
  }
  return steps;
}

/** A whole synthetic case: 4–40 proposed steps from 2015 onwards, asOf shortly after the last event. */
export function syntheticCase(random: () => number): CaseInput {
  const start = addDays('2015-01-01', Math.floor(random() * 3000));
  const { events, lastDate } = buildHistory(randomSteps(random, 4 + Math.floor(random() * 37)), start);
  return {
    asOf: addDays(lastDate, Math.floor(random() * 500)),
    events,
  };
}
