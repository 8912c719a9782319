/**
 * evaluate(case) → decision: the Section 117 rules engine.
 *
 * Pure and deterministic: the decision depends only on the case. It replays the person's legal
 * history in date order (events on the same date in their listed order), up to and including
 * the asOf date, and applies the rules of the catalogue. Each step below names the rule it
 * applies; each reason in the decision cites its rule and source.
 *
 * The case must come from `parseCase`, which has already checked that the history could have
 * happened (see history.ts); evaluate relies on that.
 */
import { addMonths, addWeeks, ageOn, type IsoDate } from '../calendar-date.ts';
import { isDetainedInHospital, legalStatus, placesInHospital } from '../legal-status-codes.ts';
import { because, rejectionRuleIds, type RuleId } from './catalogue.ts';
import {
  disputeKindPhrases,
  endReasonPhrases,
  episodeEndPhrases,
  flagCodes,
  type Case,
  type Decision,
  type EpisodeEndReason,
  type Flag,
  type LegalEvent,
  type LegalEventOf,
  type Policy,
  type Reason,
  type RejectedEvent,
  type RejectionCode,
  type Status,
} from './contract.ts';
import { orderEvents } from './history.ts';
import { classifyNeed } from './needs.ts';
import { s45FieldsActive } from './plan-rules.ts';
import {
  describeStatus,
  icbHoldFor,
  icbRuleFlags,
  responsibleLocalAuthority,
  type DetentionFacts,
  type Finding,
  type IcbHold,
  type StatusRecord,
} from './responsibility.ts';

// ---------------------------------------------------------------------------
// The state of the replay
// ---------------------------------------------------------------------------

/** One unbroken period under a legal status: a detention, possibly with changes of section. */
interface Detention {
  readonly first: StatusRecord;
  readonly detained: boolean;
  /** Detained again under the original order after a revoked CTO or a recall from conditional discharge (R18). */
  readonly revived: boolean;
  qualifying: StatusRecord | null;
  manualReview: StatusRecord | null;
  endedOn: IsoDate | null;
  leaveWithoutFinding: IsoDate[];
  /** Questions raised before the entitlement started, carried into the episode. */
  readonly flags: Set<Flag>;
}

interface EpisodeRecord {
  readonly start: IsoDate;
  end: IsoDate | null;
  endReason: EpisodeEndReason | null;
  readonly qualifyingLegalStatusCode: string;
  readonly responsibleLocalAuthority: string | null;
  readonly responsibleIcb: string;
  readonly flags: Set<Flag>;
}

interface OpenDispute {
  readonly kind: LegalEventOf<'dispute-opened'>['kind'];
  readonly openedOn: IsoDate;
}

interface State {
  readonly asOf: IsoDate;
  readonly policy: Policy;
  readonly dateOfBirth: IsoDate | undefined;
  /** The legal status in progress, if any. */
  period: Detention | null;
  /** A qualifying detention whose entitlement has not started yet. */
  pending: Detention | null;
  /** A detention under a status that needs manual review, with no entitlement since (R37). */
  manualReview: Detention | null;
  inHospital: boolean;
  /** The date of the latest left-hospital event. */
  leftHospitalOn: IsoDate | null;
  /** The local authority recorded on the latest left-hospital since the latest detention began. */
  dischargedTo: string | null;
  episodes: EpisodeRecord[];
  current: EpisodeRecord | null;
  icbHold: IcbHold | null;
  ctoSince: IsoDate | null;
  conditionallyDischargedSince: IsoDate | null;
  /** The order the person is in the community under (for a revival after recall or revocation). */
  communityBasis: StatusRecord | null;
  disputes: OpenDispute[];
  lastReviewOn: IsoDate | null;
  diedOn: IsoDate | null;
  readonly reasons: Reason[];
  readonly rejected: RejectedEvent[];
}

function initialState(input: Case): State {
  return {
    asOf: input.asOf,
    policy: input.policy,
    dateOfBirth: input.person?.dateOfBirth,
    period: null,
    pending: null,
    manualReview: null,
    inHospital: false,
    leftHospitalOn: null,
    dischargedTo: null,
    episodes: [],
    current: null,
    icbHold: null,
    ctoSince: null,
    conditionallyDischargedSince: null,
    communityBasis: null,
    disputes: [],
    lastReviewOn: null,
    diedOn: null,
    reasons: [],
    rejected: [],
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function note(state: State, date: IsoDate, rule: RuleId, text: string): void {
  state.reasons.push(because(rule, `${date}: ${text}`));
}

function facts(detention: Detention): DetentionFacts {
  return { first: detention.first, decisive: detention.qualifying ?? detention.manualReview ?? detention.first };
}

/** The episode that a responsibility question belongs to: the current one, the pending one, or the last. */
function responsibilityContext(state: State): { flags: Set<Flag> } | null {
  return state.current ?? state.pending ?? state.episodes.at(-1) ?? null;
}

// ---------------------------------------------------------------------------
// Detention and change of section (R1–R4, R12, R13, R15, R17, R37)
// ---------------------------------------------------------------------------

function detentionStarted(state: State, event: LegalEventOf<'detention-started'>): void {
  const status: StatusRecord = {
    code: event.legalStatusCode,
    date: event.date,
    ordinaryResidence: event.ordinaryResidence,
    icb: event.icbOfGpRegistration,
  };
  const period = state.period;
  if (period?.detained && isDetainedInHospital(status.code)) {
    // R13: a new section while already detained is a change of section in one unbroken detention.
    applyClassification(state, period, status);
    return;
  }
  const detention: Detention = {
    first: status,
    detained: isDetainedInHospital(status.code),
    revived: false,
    qualifying: null,
    manualReview: null,
    endedOn: null,
    leaveWithoutFinding: [],
    flags: new Set(),
  };
  state.period = detention;
  if (placesInHospital(status.code)) state.inHospital = true;
  if (detention.detained) state.dischargedTo = null;
  applyClassification(state, detention, status);
}

/** R4: what the legal status code means for entitlement. */
function applyClassification(state: State, detention: Detention, status: StatusRecord): void {
  switch (legalStatus(status.code).classification) {
    case 'qualifying':
      if (!detention.qualifying && !detention.revived) newQualifyingDetention(state, detention, status);
      return;
    case 'manual-review':
      if (!detention.qualifying && !detention.manualReview) statusNeedsManualReview(state, detention, status);
      return;
    case 'not-qualifying':
      nonQualifyingStatus(state, status);
      return;
  }
}

/** R1, R13, R17: a detention becomes qualifying; it supersedes any current entitlement. */
function newQualifyingDetention(state: State, detention: Detention, status: StatusRecord): void {
  detention.qualifying = status;
  note(state, status.date, 'R1', `Detained under ${describeStatus(status)}: a qualifying detention.`);
  if (state.current) supersede(state, state.current, status.date);
  if (state.pending && state.pending !== detention) {
    note(
      state,
      status.date,
      'R13',
      `The earlier qualifying detention from ${state.pending.first.date} never led to discharge; this detention replaces it.`,
    );
  }
  state.pending = detention;
  state.manualReview = null;
  holdIcb(state, detention);
}

/** R13: the existing duty ends automatically when a new qualifying detention begins. */
function supersede(state: State, episode: EpisodeRecord, date: IsoDate): void {
  episode.end = date;
  episode.endReason = 'superseded';
  state.current = null;
  note(
    state,
    date,
    'R13',
    `The entitlement that started on ${episode.start} ends (superseded) because of a new qualifying detention; a new entitlement arises on the next discharge.`,
  );
}

/** R17: the ICB at the application keeps responsibility until aftercare formally ends. */
function holdIcb(state: State, detention: Detention): void {
  const date = (detention.qualifying ?? detention.first).date;
  if (!state.icbHold) {
    state.icbHold = icbHoldFor(facts(detention));
    note(
      state,
      date,
      'R17',
      `${state.icbHold.icb} (GP registration when the detention began on ${state.icbHold.applicationDate}) is the responsible ICB.`,
    );
    return;
  }
  const recorded = (detention.qualifying ?? detention.first).icb;
  const differs = recorded !== state.icbHold.icb ? ` although the GP registration recorded now is ${recorded}` : '';
  note(
    state,
    date,
    'R17',
    `${state.icbHold.icb} stays the responsible ICB${differs}: it keeps responsibility through later detentions until aftercare formally ends.`,
  );
}

/** R37 (unsettled): a status that needs manual review neither starts nor supersedes anything. */
function statusNeedsManualReview(state: State, detention: Detention, status: StatusRecord): void {
  detention.manualReview = status;
  note(
    state,
    status.date,
    'R37',
    `Detained under ${describeStatus(status)}: whether this gives a right to aftercare, or supersedes an existing one, needs a decision by a person.`,
  );
  const context = state.current ?? state.pending;
  if (context) context.flags.add('legal-status-needs-review');
  else state.manualReview = detention;
}

/** R2, R3, R12: non-qualifying statuses never start, end or transfer an entitlement. */
function nonQualifyingStatus(state: State, status: StatusRecord): void {
  const entry = legalStatus(status.code);
  if (entry.kind === 'guardianship') {
    note(state, status.date, 'R3', `Subject to ${describeStatus(status)}: guardianship is not detention in hospital, so it gives no right to aftercare.`);
  } else if (entry.kind === 'detention') {
    note(state, status.date, 'R2', `Detained under ${describeStatus(status)}: ${entry.section} does not qualify, so it gives no right to aftercare.`);
  } else {
    note(state, status.date, 'R2', `Legal status ${describeStatus(status)}: not a qualifying detention, so it gives no right to aftercare.`);
  }
  if (state.current) {
    note(state, status.date, 'R12', `It does not end or transfer the entitlement that started on ${state.current.start}.`);
  }
}

// ---------------------------------------------------------------------------
// Leaving detention and hospital (R5, R6, R7, R8, R16, R18)
// ---------------------------------------------------------------------------

function detentionEnded(state: State, event: LegalEventOf<'detention-ended'>): void {
  const detention = state.period!;
  detention.endedOn = event.date;
  state.period = null;
  switch (event.reason) {
    case 'died':
      personDied(state, event.date);
      return;
    case 'cto':
      state.ctoSince = event.date;
      state.communityBasis = detention.qualifying ?? detention.first;
      note(state, event.date, 'R7', 'Discharged onto a community treatment order: the person is a community patient and entitlement cannot end while the CTO lasts.');
      break;
    case 'conditional-discharge':
      state.conditionallyDischargedSince = event.date;
      state.communityBasis = detention.qualifying ?? detention.first;
      note(state, event.date, 'R8', 'Conditionally discharged: the person is entitled, and ending aftercare will need a legal override.');
      break;
    case 'discharged':
    case 'regraded-informal':
    case 'absolute-discharge':
    case 'section-lapsed':
      break;
  }
  if (detention === state.pending && state.inHospital && event.reason === 'regraded-informal') {
    note(state, event.date, 'R5', `The ${describeStatus(detention.qualifying!)} detention ended and the person stayed in hospital informally: entitlement starts when they leave hospital.`);
  }
  if (detention.revived) {
    note(state, event.date, 'R18', 'Discharged after a recall or a revoked CTO: no new entitlement is calculated automatically; the question is flagged.');
  }
  startEntitlementIfDischarged(state, event.date);
}

function leftHospital(state: State, event: LegalEventOf<'left-hospital'>): void {
  state.inHospital = false;
  state.leftHospitalOn = event.date;
  state.dischargedTo = event.dischargedToLocalAuthority ?? null;
  startEntitlementIfDischarged(state, event.date);
}

/** R5: entitlement starts on the first date the person has both ceased to be detained and left hospital. */
function startEntitlementIfDischarged(state: State, date: IsoDate): void {
  const detention = state.pending;
  if (!detention || detention.endedOn === null) return;
  if (state.inHospital || state.period?.detained) return;
  const ceased = detention.endedOn;
  const left = state.leftHospitalOn!;
  const how =
    ceased === left
      ? `Ceased to be detained and left hospital on ${date}`
      : ceased < left
        ? `Left hospital on ${left}, after ceasing to be detained on ${ceased}`
        : `Ceased to be detained on ${ceased}, after leaving hospital on ${left}`;
  const why =
    date === ceased && date === left
      ? `${how}: entitlement starts that day.`
      : date === ceased || date === left
        ? `${how}: entitlement starts on the later date, ${date}.`
        : `${how}; a later detention ended on ${date}: entitlement starts that day.`;
  startEntitlement(state, detention, date, why, 'R5');
  if (detention.leaveWithoutFinding.length > 0) {
    note(
      state,
      date,
      'R6',
      `Section 17 leave from ${detention.leaveWithoutFinding.join(', ')} had no finding that the person had ceased to be detained; the start date assumes they had not.`,
    );
  }
}

/** R6 (unsettled): leave starts entitlement only with a finding that the person ceased to be detained and left hospital. */
function s17LeaveStarted(state: State, event: LegalEventOf<'s17-leave-started'>): void {
  const detention = state.period!;
  if (detention !== state.pending) return; // leave from a non-qualifying detention, or after entitlement started
  if (event.ceasedToBeDetainedFinding) {
    startEntitlement(
      state,
      detention,
      event.date,
      'Section 17 leave with a recorded finding that the person has ceased to be detained and left hospital: entitlement starts on the first day of that leave.',
      'R6',
    );
    return;
  }
  detention.leaveWithoutFinding.push(event.date);
  note(state, event.date, 'R6', 'Section 17 leave without a finding that the person has ceased to be detained and left hospital: entitlement does not start; a person must decide.');
}

function startEntitlement(state: State, detention: Detention, date: IsoDate, why: string, rule: 'R5' | 'R6'): void {
  const hold = state.icbHold!;
  const localAuthority = responsibleLocalAuthority(facts(detention), state.dischargedTo);
  const icbCheck = icbRuleFlags(hold);
  const episode: EpisodeRecord = {
    start: date,
    end: null,
    endReason: null,
    qualifyingLegalStatusCode: detention.qualifying!.code,
    responsibleLocalAuthority: localAuthority.value,
    responsibleIcb: hold.icb,
    flags: new Set([...detention.flags, ...localAuthority.flags, ...icbCheck.flags]),
  };
  state.episodes.push(episode);
  state.current = episode;
  state.pending = null;
  state.lastReviewOn = null;
  note(state, date, rule, why);
  for (const reason of [...localAuthority.reasons, ...icbCheck.reasons]) {
    state.reasons.push({ ...reason, text: `${date}: ${reason.text}` });
  }
  if (state.dateOfBirth !== undefined && ageOn(state.dateOfBirth, date) < 18) {
    note(state, date, 'R41', `Aged ${ageOn(state.dateOfBirth, date)} when entitlement started: there is no lower age limit.`);
  }
}

function admittedInformally(state: State, event: LegalEventOf<'admitted-informally'>): void {
  state.inHospital = true;
  if (state.current) {
    note(state, event.date, 'R12', `Admitted informally: this does not end or transfer the entitlement that started on ${state.current.start}.`);
  }
}

function ctoEnded(state: State, event: LegalEventOf<'cto-ended'>): void {
  state.ctoSince = null;
  if (event.reason === 'revoked') {
    revive(state, event.date, 'The CTO was revoked and the person is detained in hospital again');
    return;
  }
  note(state, event.date, 'R7', `The CTO ${event.reason === 'expired' ? 'expired' : 'ended (the person was discharged from it)'}: entitlement continues; the end of a CTO is not itself a reason to end aftercare.`);
}

function recalled(state: State, event: LegalEventOf<'recalled'>): void {
  if (state.ctoSince !== null) {
    state.inHospital = true;
    flagResponsibility(state, event.date, 'Recalled to hospital from a CTO');
    return;
  }
  recallFromConditionalDischarge(state, event.date);
}

function conditionalDischargeEnded(state: State, event: LegalEventOf<'conditional-discharge-ended'>): void {
  if (event.reason === 'recalled') {
    recallFromConditionalDischarge(state, event.date);
    return;
  }
  state.conditionallyDischargedSince = null;
  note(state, event.date, 'R8', 'Absolutely discharged: no longer conditionally discharged; entitlement continues.');
}

function recallFromConditionalDischarge(state: State, date: IsoDate): void {
  state.conditionallyDischargedSince = null;
  revive(state, date, 'Recalled to hospital from conditional discharge');
}

/** R18: detained again under the original order; responsibility does not change automatically. */
function revive(state: State, date: IsoDate, what: string): void {
  state.inHospital = true;
  if (!state.period) {
    const basis = state.communityBasis!;
    state.period = {
      first: { ...basis, date },
      detained: true,
      revived: true,
      qualifying: null,
      manualReview: null,
      endedOn: null,
      leaveWithoutFinding: [],
      flags: new Set(),
    };
  }
  flagResponsibility(state, date, what);
}

function flagResponsibility(state: State, date: IsoDate, what: string): void {
  responsibilityContext(state)?.flags.add('responsibility-unresolved');
  note(state, date, 'R18', `${what}: whether this changes the responsible authority is unresolved; the current entitlement is kept and the question is flagged.`);
}

// ---------------------------------------------------------------------------
// Reviews, endings, disputes, death (R7–R11, R24, R25, R27, R31, R38, R40)
// ---------------------------------------------------------------------------

function reviewed(state: State, event: LegalEventOf<'reviewed'>): void {
  if (state.current) {
    state.lastReviewOn = event.date;
    return;
  }
  note(state, event.date, 'R27', 'A review with no current entitlement does not count towards the review schedule.');
}

interface EndingProblem {
  readonly code: RejectionCode;
  readonly message: string;
}

/** R40: only a current entitlement can end. */
function nothingToEnd(state: State): EndingProblem | null {
  if (state.current) return null;
  const last = state.episodes.at(-1);
  let message: string;
  if (state.pending) message = 'Entitlement has not started yet (the person has not both ceased to be detained and left hospital): there is nothing to end.';
  else if (last) message = `The entitlement that started on ${last.start} ended on ${last.end} (${episodeEndPhrases[last.endReason!]}): there is nothing to end.`;
  else message = 'The person is not entitled to section 117 aftercare: there is nothing to end.';
  return { code: 'ending-not-entitled', message };
}

/** R7: never while the person is on a community treatment order. */
function endingWhileCto(state: State): EndingProblem | null {
  if (state.ctoSince === null) return null;
  return {
    code: 'ending-while-cto',
    message: `The person has been on a community treatment order since ${state.ctoSince}: aftercare cannot end while they remain a community patient.`,
  };
}

/** R8 (unsettled): while conditionally discharged, only with a legal override. */
function endingWhileConditionallyDischarged(state: State, event: LegalEventOf<'aftercare-ended'>): EndingProblem | null {
  if (state.conditionallyDischargedSince === null || event.legalOverride) return null;
  return {
    code: 'ending-conditional-discharge-needs-override',
    message: `The person has been conditionally discharged since ${state.conditionallyDischargedSince}: ending aftercare needs a recorded legal override.`,
  };
}

/** R9: both the local authority and the ICB must be satisfied. */
function endingWithoutBothApprovals(event: LegalEventOf<'aftercare-ended'>): EndingProblem | null {
  const byLocalAuthority = event.approvedBy.includes('local-authority');
  const byIcb = event.approvedBy.includes('icb');
  if (byLocalAuthority && byIcb) return null;
  const given = byLocalAuthority ? 'Only the local authority approved' : byIcb ? 'Only the ICB approved' : 'Neither the local authority nor the ICB approved';
  return {
    code: 'ending-needs-both-approvals',
    message: `${given} the ending: both must be satisfied that the person no longer needs aftercare.`,
  };
}

/** R11: the person must be involved. */
function endingWithoutPerson(event: LegalEventOf<'aftercare-ended'>): EndingProblem | null {
  if (event.personInvolved) return null;
  return {
    code: 'ending-person-not-involved',
    message: 'The person was not involved in the decision to end their aftercare.',
  };
}

/** R10: the reasons must include that the person is no longer in need. */
function endingWithoutLawfulReason(event: LegalEventOf<'aftercare-ended'>): EndingProblem | null {
  if (event.reasons.includes('no-longer-in-need')) return null;
  const given = event.reasons.length > 0 ? event.reasons.map((r) => endReasonPhrases[r]).join(', ') : 'none';
  return {
    code: 'ending-reason-not-lawful',
    message: `The reasons given (${given}) do not include that the person no longer needs aftercare services: on their own they cannot end aftercare.`,
  };
}

function endingProblems(state: State, event: LegalEventOf<'aftercare-ended'>): EndingProblem[] {
  const notEntitled = nothingToEnd(state);
  if (notEntitled) return [notEntitled];
  return [
    endingWhileCto(state),
    endingWhileConditionallyDischarged(state, event),
    endingWithoutBothApprovals(event),
    endingWithoutPerson(event),
    endingWithoutLawfulReason(event),
  ].filter((problem): problem is EndingProblem => problem !== null);
}

function aftercareEnded(state: State, event: LegalEventOf<'aftercare-ended'>, index: number): void {
  const problems = endingProblems(state, event);
  if (problems.length > 0) {
    for (const problem of problems) {
      state.rejected.push({ eventIndex: index, code: problem.code, message: problem.message });
      note(state, event.date, rejectionRuleIds[problem.code], `Ending rejected: ${lowerFirst(problem.message)} Nothing changes.`);
    }
    return;
  }
  const episode = state.current!;
  episode.end = event.date;
  episode.endReason = 'ended';
  state.current = null;
  state.icbHold = null;
  note(state, event.date, 'R9', 'Aftercare ended: the local authority and the ICB are both satisfied the person no longer needs it, with the person involved.');
  if (state.conditionallyDischargedSince !== null) {
    note(state, event.date, 'R8', 'The person is conditionally discharged; the ending rests on the recorded legal override.');
  }
  note(state, event.date, 'R17', 'The ICB is decided afresh if the person is detained under a qualifying section again.');
}

function disputeOpened(state: State, event: LegalEventOf<'dispute-opened'>): void {
  state.disputes.push({ kind: event.kind, openedOn: event.date });
  note(state, event.date, 'R25', `${event.kind === 'ordinary-residence' ? 'An' : 'A'} ${disputeKindPhrases[event.kind]} dispute arose: it does not change the status, the start date or the responsible bodies; services must not wait for it.`);
}

function disputeResolved(state: State, event: LegalEventOf<'dispute-resolved'>): void {
  const dispute = state.disputes.shift()!;
  note(state, event.date, dispute.kind === 'ordinary-residence' ? 'R24' : 'R38', `The ${disputeKindPhrases[dispute.kind]} dispute that arose on ${dispute.openedOn} was resolved.`);
}

/** R31: death ends the entitlement. */
function personDied(state: State, date: IsoDate): void {
  state.diedOn = date;
  state.period = null;
  state.pending = null;
  state.manualReview = null;
  if (state.current) {
    state.current.end = date;
    state.current.endReason = 'died';
    state.current = null;
    note(state, date, 'R31', 'The person died: the entitlement ends.');
  } else {
    note(state, date, 'R31', 'The person died.');
  }
}

// ---------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------

function apply(state: State, event: LegalEvent, index: number): void {
  switch (event.type) {
    case 'detention-started':
      return detentionStarted(state, event);
    case 'detention-ended':
      return detentionEnded(state, event);
    case 'left-hospital':
      return leftHospital(state, event);
    case 'admitted-informally':
      return admittedInformally(state, event);
    case 's17-leave-started':
      return s17LeaveStarted(state, event);
    case 'cto-ended':
      return ctoEnded(state, event);
    case 'recalled':
      return recalled(state, event);
    case 'conditional-discharge-ended':
      return conditionalDischargeEnded(state, event);
    case 'reviewed':
      return reviewed(state, event);
    case 'aftercare-ended':
      return aftercareEnded(state, event, index);
    case 'dispute-opened':
      return disputeOpened(state, event);
    case 'dispute-resolved':
      return disputeResolved(state, event);
    case 'died':
      if (state.diedOn === null) personDied(state, event.date);
      return;
  }
}

export function evaluate(input: Case): Decision {
  const state = initialState(input);
  let ignored = 0;
  for (const { event, index } of orderEvents(input.events)) {
    if (event.date > input.asOf) ignored += 1;
    else apply(state, event, index);
  }
  if (ignored > 0) {
    state.reasons.push(
      because('R32', `${ignored} event${ignored === 1 ? '' : 's'} dated after ${input.asOf} ${ignored === 1 ? 'was' : 'were'} not taken into account.`),
    );
  }
  return decide(state, input);
}

// ---------------------------------------------------------------------------
// The decision on the asOf date
// ---------------------------------------------------------------------------

function decideStatus(state: State): Status {
  if (state.diedOn !== null) return state.episodes.length > 0 ? 'ended' : 'not-entitled';
  if (state.current) return 'entitled';
  if (state.pending) return 'pending';
  if (state.manualReview) return 'manual-review';
  if (state.episodes.length > 0) return 'ended';
  return 'not-entitled';
}

interface Responsibility {
  localAuthority: string | null;
  icb: string | null;
  flags: Flag[];
  reasons: Reason[];
}

/** The prospective bodies for a detention that has not (yet) led to an entitlement. */
function prospective(state: State, detention: Detention): Responsibility {
  const localAuthority = responsibleLocalAuthority(facts(detention), state.dischargedTo);
  const hold = state.icbHold ?? icbHoldFor(facts(detention));
  const icbCheck: Finding<null> = icbRuleFlags(hold);
  return {
    localAuthority: localAuthority.value,
    icb: hold.icb,
    flags: [...detention.flags, ...localAuthority.flags, ...icbCheck.flags],
    reasons: [...localAuthority.reasons, ...icbCheck.reasons],
  };
}

function fromEpisode(episode: EpisodeRecord): Responsibility {
  return {
    localAuthority: episode.responsibleLocalAuthority,
    icb: episode.responsibleIcb,
    flags: [...episode.flags],
    reasons: [],
  };
}

function responsibilityFor(state: State, status: Status): Responsibility {
  switch (status) {
    case 'entitled':
      return fromEpisode(state.current!);
    case 'pending':
      return prospective(state, state.pending!);
    case 'manual-review': {
      const result = prospective(state, state.manualReview!);
      return { ...result, flags: [...result.flags, 'legal-status-needs-review'] };
    }
    case 'ended':
      return fromEpisode(state.episodes.at(-1)!);
    case 'not-entitled':
      return { localAuthority: null, icb: null, flags: [], reasons: [] };
  }
}

function statusReason(state: State, status: Status, responsibility: Responsibility): Reason {
  const bodies = `local authority ${responsibility.localAuthority ?? 'not known yet'}, ICB ${responsibility.icb ?? 'not known'}`;
  switch (status) {
    case 'entitled':
      return because('R5', `On ${state.asOf}: entitled to section 117 aftercare since ${state.current!.start} (${bodies}).`);
    case 'pending': {
      const detention = state.pending!;
      const what = detention.endedOn === null ? 'is still detained' : 'has ceased to be detained but has not left hospital';
      return because('R5', `On ${state.asOf}: pending. A qualifying detention began on ${detention.qualifying!.date} and the person ${what} (prospective: ${bodies}).`);
    }
    case 'manual-review':
      return because('R37', `On ${state.asOf}: the only relevant detention is under a status that needs manual review (prospective if it qualifies: ${bodies}).`);
    case 'ended': {
      const last = state.episodes.at(-1)!;
      return because(last.endReason === 'died' || state.diedOn !== null ? 'R31' : 'R9', `On ${state.asOf}: entitlement ended on ${last.end} (${episodeEndPhrases[last.endReason!]}).`);
    }
    case 'not-entitled':
      return state.diedOn !== null
        ? because('R31', `On ${state.asOf}: not entitled; the person died before any entitlement started.`)
        : because('R1', `On ${state.asOf}: not entitled; no qualifying detention followed by discharge is recorded.`);
  }
}

/** R33, R27, R34: when the next review is due, and whether it is overdue. */
function reviewSchedule(state: State, episode: EpisodeRecord): { due: IsoDate; reasons: Reason[]; overdue: boolean } {
  const reasons: Reason[] = [];
  let due: IsoDate;
  if (state.lastReviewOn === null) {
    due = addWeeks(episode.start, state.policy.firstReviewWeeks);
    reasons.push(because('R33', `First review due ${state.policy.firstReviewWeeks} weeks after the start on ${episode.start}: ${due}.`));
  } else {
    due = addMonths(state.lastReviewOn, state.policy.reviewIntervalMonths);
    reasons.push(because('R27', `Last review on ${state.lastReviewOn}: next due ${state.policy.reviewIntervalMonths} months later, ${due}.`));
  }
  const overdue = state.asOf > due;
  if (overdue) reasons.push(because('R34', `The review due on ${due} is overdue on ${state.asOf}.`));
  return { due, reasons, overdue };
}

/** R24, R38: open disputes on the asOf date. */
function disputeFindings(state: State): { flags: Flag[]; reasons: Reason[] } {
  const flags: Flag[] = [];
  const reasons: Reason[] = [];
  for (const dispute of state.disputes) {
    if (dispute.kind === 'funding') {
      reasons.push(because('R38', `A funding dispute has been open since ${dispute.openedOn}: settle it locally or through the NHS dispute process; it is not referred to the Secretary of State.`));
      continue;
    }
    const referralDue = addMonths(dispute.openedOn, 4);
    if (state.asOf >= referralDue) {
      flags.push('sos-referral-due');
      reasons.push(because('R24', `The ordinary residence dispute that arose on ${dispute.openedOn} is still open 4 months later (${referralDue}): refer it to the Secretary of State.`));
    } else {
      reasons.push(because('R24', `The ordinary residence dispute that arose on ${dispute.openedOn} is open; if unresolved on ${referralDue} it must be referred to the Secretary of State.`));
    }
  }
  return { flags, reasons };
}

/** R30: MHA 2025 s45 fields follow the configured commencement date. */
function s45Reason(state: State): Reason | null {
  const commenced = state.policy.mha2025s45CommencedOn;
  if (commenced === null) return null;
  return s45FieldsActive(state.policy, state.asOf)
    ? because('R30', `Mental Health Act 2025 s45 in force since ${commenced}: tribunal recommendations about after-care can be recorded.`)
    : because('R30', `Mental Health Act 2025 s45 is not in force until ${commenced}: its fields stay inactive on ${state.asOf}.`);
}

function byFlagOrder(flags: Iterable<Flag>): Flag[] {
  const present = new Set(flags);
  return flagCodes.filter((flag) => present.has(flag));
}

function decide(state: State, input: Case): Decision {
  const status = decideStatus(state);
  const responsibility = responsibilityFor(state, status);
  const flags: Flag[] = [...responsibility.flags];
  const reasons: Reason[] = [...state.reasons, ...responsibility.reasons, statusReason(state, status, responsibility)];

  if (status === 'pending' && state.pending!.leaveWithoutFinding.length > 0) flags.push('s17-leave-determination-needed');
  if ((status === 'entitled' || status === 'pending') && state.conditionallyDischargedSince !== null) {
    flags.push('conditionally-discharged');
    reasons.push(because('R8', `Conditionally discharged since ${state.conditionallyDischargedSince}: ending aftercare needs a legal override.`));
  }

  let nextReviewDue: IsoDate | null = null;
  if (status === 'entitled') {
    const schedule = reviewSchedule(state, state.current!);
    nextReviewDue = schedule.due;
    reasons.push(...schedule.reasons);
    if (schedule.overdue) flags.push('review-overdue');
  }

  const disputes = disputeFindings(state);
  flags.push(...disputes.flags);
  reasons.push(...disputes.reasons);

  const s45 = s45Reason(state);
  if (s45) reasons.push(s45);

  const last = state.current ?? state.episodes.at(-1) ?? null;
  return {
    status,
    entitlementStart: last?.start ?? null,
    responsibleLocalAuthority: responsibility.localAuthority,
    responsibleIcb: responsibility.icb,
    episodes: state.episodes.map((episode) => ({
      start: episode.start,
      end: episode.end,
      endReason: episode.endReason,
      qualifyingLegalStatusCode: episode.qualifyingLegalStatusCode,
      responsibleLocalAuthority: episode.responsibleLocalAuthority,
      responsibleIcb: episode.responsibleIcb,
    })),
    nextReviewDue,
    flags: byFlagOrder(flags),
    rejectedEvents: state.rejected,
    needs: input.needs.map((need) => classifyNeed(need, status)),
    reasons,
  };
}
