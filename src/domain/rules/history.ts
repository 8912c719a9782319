/**
 * The order of a person's legal history: the one place that decides whether a history
 * could have happened (a detention ends only after it starts, a person leaves hospital only
 * after being admitted, nothing happens after death…).
 *
 * `parseCase` runs `checkCaseSemantics` and rejects histories that fail, with a field path for
 * each problem, so `evaluate` can rely on these facts without checking them again.
 * The synthetic-history builder uses `nextHistoryState` to produce only valid histories.
 */
import type { IsoDate } from '../calendar-date.ts';
import { isDetainedInHospital, legalStatus, placesInHospital } from '../legal-status-codes.ts';
import type { FieldError, LegalEvent, ParsedCase } from './contract.ts';

export interface OrderedEvent<E> {
  readonly event: E;
  /** Position in the input list, used in paths and in rejectedEvents. */
  readonly index: number;
}

/** Events in date order; events on the same date keep their listed order. */
export function orderEvents<E extends { date: IsoDate }>(events: readonly E[]): OrderedEvent<E>[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => (a.event.date < b.event.date ? -1 : a.event.date > b.event.date ? 1 : a.index - b.index));
}

/** The facts about where the person is and what order they are under, after each event. */
export interface HistoryState {
  readonly period: { readonly detained: boolean; readonly code: string; readonly startDate: IsoDate; readonly startIndex: number } | null;
  readonly inHospital: boolean;
  readonly cto: boolean;
  readonly conditionallyDischarged: boolean;
  readonly openDisputes: number;
  readonly death: { readonly date: IsoDate; readonly index: number; readonly viaDetentionEnded: boolean } | null;
}

export const emptyHistory: HistoryState = Object.freeze({
  period: null,
  inHospital: false,
  cto: false,
  conditionallyDischarged: false,
  openDisputes: 0,
  death: null,
});

export type HistoryProblem =
  | 'after-death'
  | 'still-detained'
  | 'no-detention-to-end'
  | 'reason-needs-hospital-detention'
  | 'not-in-hospital'
  | 'already-detained'
  | 'no-detention-for-leave'
  | 'no-cto'
  | 'nothing-to-recall'
  | 'no-conditional-discharge'
  | 'no-open-dispute';

/** Ways a detention can end that only make sense for someone detained in hospital. */
const HOSPITAL_ONLY_REASONS: ReadonlySet<string> = new Set(['cto', 'conditional-discharge', 'regraded-informal']);

function isDetained(state: HistoryState): boolean {
  return state.period?.detained === true;
}

/** The state after one more event, or the problem that makes the event impossible at that point. */
export function nextHistoryState(state: HistoryState, event: LegalEvent, index: number): HistoryState | HistoryProblem {
  if (state.death) {
    const repeatsDeath = event.type === 'died' && state.death.viaDetentionEnded && event.date === state.death.date;
    return repeatsDeath ? state : 'after-death';
  }
  switch (event.type) {
    case 'detention-started': {
      const detained = isDetainedInHospital(event.legalStatusCode);
      if (isDetained(state)) {
        // A change of section within one unbroken detention, unless the new status is not a detention.
        if (!detained) return 'still-detained';
        return { ...state, period: { ...state.period!, code: event.legalStatusCode } };
      }
      return {
        ...state,
        period: { detained, code: event.legalStatusCode, startDate: event.date, startIndex: index },
        inHospital: state.inHospital || placesInHospital(event.legalStatusCode),
      };
    }
    case 'detention-ended': {
      if (!state.period) return 'no-detention-to-end';
      if (!state.period.detained && HOSPITAL_ONLY_REASONS.has(event.reason)) return 'reason-needs-hospital-detention';
      return {
        ...state,
        period: null,
        cto: state.cto || event.reason === 'cto',
        conditionallyDischarged: state.conditionallyDischarged || event.reason === 'conditional-discharge',
        death: event.reason === 'died' ? { date: event.date, index, viaDetentionEnded: true } : null,
      };
    }
    case 'left-hospital':
      return state.inHospital ? { ...state, inHospital: false } : 'not-in-hospital';
    case 'admitted-informally':
      return isDetained(state) ? 'already-detained' : { ...state, inHospital: true };
    case 's17-leave-started':
      return isDetained(state) ? state : 'no-detention-for-leave';
    case 'cto-ended': {
      if (!state.cto) return 'no-cto';
      if (event.reason !== 'revoked') return { ...state, cto: false };
      return { ...state, cto: false, inHospital: true, period: state.period ?? revivedPeriod(event.date, index) };
    }
    case 'recalled': {
      if (state.cto) return { ...state, inHospital: true };
      if (state.conditionallyDischarged) return recallFromConditionalDischarge(state, event.date, index);
      return 'nothing-to-recall';
    }
    case 'conditional-discharge-ended': {
      if (!state.conditionallyDischarged) return 'no-conditional-discharge';
      if (event.reason === 'recalled') return recallFromConditionalDischarge(state, event.date, index);
      return { ...state, conditionallyDischarged: false };
    }
    case 'dispute-opened':
      return { ...state, openDisputes: state.openDisputes + 1 };
    case 'dispute-resolved':
      return state.openDisputes > 0 ? { ...state, openDisputes: state.openDisputes - 1 } : 'no-open-dispute';
    case 'died':
      return { ...state, period: null, inHospital: false, death: { date: event.date, index, viaDetentionEnded: false } };
    case 'reviewed':
    case 'aftercare-ended':
      return state;
  }
}

/** After a revoked CTO or a recall from conditional discharge the person is detained again under the original order. */
function revivedPeriod(date: IsoDate, index: number): NonNullable<HistoryState['period']> {
  return { detained: true, code: 'revived', startDate: date, startIndex: index };
}

function recallFromConditionalDischarge(state: HistoryState, date: IsoDate, index: number): HistoryState {
  return {
    ...state,
    conditionallyDischarged: false,
    inHospital: true,
    period: state.period ?? revivedPeriod(date, index),
  };
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

type Ordered = readonly OrderedEvent<LegalEvent>[];

function findLater(ordered: Ordered, from: number, test: (event: LegalEvent) => boolean): OrderedEvent<LegalEvent> | undefined {
  for (let i = from + 1; i < ordered.length; i++) {
    const candidate = ordered[i]!;
    if (test(candidate.event)) return candidate;
  }
  return undefined;
}

const isDetentionStart = (e: LegalEvent): boolean => e.type === 'detention-started' && isDetainedInHospital(e.legalStatusCode);
const isAnyStatusStart = (e: LegalEvent): boolean => e.type === 'detention-started';
const isAdmission = (e: LegalEvent): boolean =>
  (e.type === 'detention-started' && placesInHospital(e.legalStatusCode)) || e.type === 'admitted-informally';

function describeProblem(problem: HistoryProblem, state: HistoryState, ordered: Ordered, position: number): string {
  const { event } = ordered[position]!;
  const date = event.date;
  switch (problem) {
    case 'after-death':
      return `The person died on ${state.death!.date} (events[${state.death!.index}]): no event can come after their death`;
    case 'still-detained': {
      const period = state.period!;
      const label = event.type === 'detention-started' ? legalStatus(event.legalStatusCode).label : 'status';
      return `The person is still detained on ${date} (since ${period.startDate}, events[${period.startIndex}]). Add a detention-ended event before this new status (${label})`;
    }
    case 'no-detention-to-end': {
      const later = findLater(ordered, position, isAnyStatusStart);
      return later
        ? `The detention ends on ${date}, before it starts on ${later.event.date} (events[${later.index}]). Check both dates: a detention must start before it ends`
        : `There is no detention in progress on ${date} to end. Add its detention-started event, or check the date`;
    }
    case 'reason-needs-hospital-detention': {
      const period = state.period!;
      const reason = event.type === 'detention-ended' ? event.reason : '';
      return `The status that began on ${period.startDate} (events[${period.startIndex}], code ${period.code}) is not a detention in hospital, so it cannot end with reason "${reason}". Use "discharged" or "section-lapsed"`;
    }
    case 'not-in-hospital': {
      const later = findLater(ordered, position, isAdmission);
      return later
        ? `The person leaves hospital on ${date}, before the admission on ${later.event.date} (events[${later.index}]). Check both dates: leaving hospital must come after the admission`
        : `The person is not in hospital on ${date}: they have already left or no admission is recorded. Add the detention-started or admitted-informally event, or check the date`;
    }
    case 'already-detained': {
      const period = state.period!;
      return `The person is detained on ${date} (since ${period.startDate}, events[${period.startIndex}]), so cannot be admitted informally. If their section ended and they stayed in hospital, record detention-ended with reason "regraded-informal" instead`;
    }
    case 'no-detention-for-leave': {
      const later = findLater(ordered, position, isDetentionStart);
      return later
        ? `Section 17 leave starts on ${date}, before the detention starts on ${later.event.date} (events[${later.index}]). Check both dates: leave is granted only during a detention`
        : `Section 17 leave is granted only to a detained person, but no detention is in progress on ${date}. Check the date`;
    }
    case 'no-cto':
      return `There is no community treatment order in force on ${date}. A CTO starts with a detention-ended event with reason "cto"; check the dates`;
    case 'nothing-to-recall':
      return `There is no community treatment order or conditional discharge in force on ${date} to recall the person from. Check the dates`;
    case 'no-conditional-discharge':
      return `There is no conditional discharge in force on ${date}. A conditional discharge starts with a detention-ended event with reason "conditional-discharge"; check the dates`;
    case 'no-open-dispute': {
      const later = findLater(ordered, position, (e) => e.type === 'dispute-opened');
      return later
        ? `The dispute is resolved on ${date}, before it opens on ${later.event.date} (events[${later.index}]). Check both dates`
        : `There is no open dispute on ${date} to resolve. Add the dispute-opened event, or check the date`;
    }
  }
}

/** Every problem with the order of the history, each with its field path. */
export function checkHistory(events: readonly LegalEvent[]): FieldError[] {
  const ordered = orderEvents(events);
  const errors: FieldError[] = [];
  let state = emptyHistory;
  ordered.forEach(({ event, index }, position) => {
    const next = nextHistoryState(state, event, index);
    if (typeof next === 'string') {
      const field = next === 'reason-needs-hospital-detention' ? 'reason' : 'date';
      errors.push({ path: `events[${index}].${field}`, message: describeProblem(next, state, ordered, position) });
    } else {
      state = next;
    }
  });
  return errors.sort((a, b) => eventPosition(a.path) - eventPosition(b.path));
}

function eventPosition(path: string): number {
  return Number(/^events\[(\d+)\]/.exec(path)?.[1] ?? -1);
}

/** All the checks a well-formed case must pass before it is evaluated. */
export function checkCaseSemantics(parsed: ParsedCase): FieldError[] {
  const errors: FieldError[] = [];
  const dateOfBirth = parsed.person?.dateOfBirth;
  if (dateOfBirth !== undefined) {
    if (dateOfBirth > parsed.asOf) {
      errors.push({
        path: 'person.dateOfBirth',
        message: `The date of birth must be on or before the asOf date (${parsed.asOf})`,
      });
    }
    parsed.events.forEach((event, index) => {
      if (event.date < dateOfBirth) {
        errors.push({
          path: `events[${index}].date`,
          message: `The event date ${event.date} is before the person's date of birth (${dateOfBirth})`,
        });
      }
    });
  }
  errors.push(...checkHistory(parsed.events));
  const firstUse = new Map<string, number>();
  parsed.needs.forEach((need, index) => {
    const earlier = firstUse.get(need.id);
    if (earlier === undefined) firstUse.set(need.id, index);
    else
      errors.push({
        path: `needs[${index}].id`,
        message: `The need id "${need.id}" is already used by needs[${earlier}]: give each need its own id`,
      });
  });
  return errors;
}
