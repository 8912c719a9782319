/**
 * Where the person stands under the Mental Health Act now, read from their legal history: on a
 * community treatment order (MHA 1983 s17A), conditionally discharged (s37/41 by the tribunal
 * under s73, or by the Secretary of State under s42(2)), recalled to hospital (from a CTO under
 * s17E, or from conditional discharge under s42(3) or s73), and in hospital (detained, recalled
 * or an informal patient). Staff need these beside the entitlement status: aftercare cannot end
 * while the person is on a CTO (R9), and ending it while conditionally discharged needs a legal
 * override (R8).
 *
 * More than one can hold at once: a person recalled from a CTO is on a CTO, recalled and in
 * hospital. The history is the one `parseCase` accepted, so each event follows from the last
 * (history.ts); events after `asOf` are left out, as the engine leaves them out.
 */
import type { IsoDate } from '../calendar-date.ts';
import type { LegalEvent } from './contract.ts';
import { emptyHistory, nextHistoryState, orderEvents, type HistoryState } from './history.ts';

export const legalPositions = ['cto', 'conditional-discharge', 'recalled', 'in-hospital'] as const;
export type LegalPosition = (typeof legalPositions)[number];

/** Each position in words, as staff say it. */
export const legalPositionLabels: Readonly<Record<LegalPosition, string>> = {
  cto: 'Community treatment order (CTO)',
  'conditional-discharge': 'Conditionally discharged',
  recalled: 'Recalled to hospital',
  'in-hospital': 'In hospital',
};

/** Whether the event brings the person back to hospital under the order they were living under in the community. */
function isRecall(event: LegalEvent): boolean {
  return event.type === 'recalled' || (event.type === 'conditional-discharge-ended' && event.reason === 'recalled');
}

/** Whether the event ends a recall: they leave hospital again, the recall becomes a detention or the order ends. */
function endsRecall(event: LegalEvent): boolean {
  return (
    event.type === 'left-hospital' ||
    event.type === 'detention-ended' ||
    event.type === 'detention-started' ||
    event.type === 'cto-ended' ||
    event.type === 'died'
  );
}

/** The person's positions on `asOf`, in the order of `legalPositions`. */
export function legalPositionOf(events: readonly LegalEvent[], asOf: IsoDate): LegalPosition[] {
  let state: HistoryState = emptyHistory;
  let recalled = false;
  for (const { event, index } of orderEvents(events.filter((e) => e.date <= asOf))) {
    const next = nextHistoryState(state, event, index);
    // A history the rules accepted never has an impossible step; if one slips through, it changes nothing.
    if (typeof next === 'string') continue;
    state = next;
    if (isRecall(event)) recalled = true;
    else if (endsRecall(event)) recalled = false;
  }
  if (state.death) return [];
  const held: Record<LegalPosition, boolean> = {
    cto: state.cto,
    'conditional-discharge': state.conditionallyDischarged,
    recalled: recalled && state.inHospital,
    'in-hospital': state.inHospital,
  };
  return legalPositions.filter((p) => held[p]);
}
