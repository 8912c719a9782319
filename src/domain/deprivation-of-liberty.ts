/**
 * Deprivation of liberty (issue 16, item 4; docs/deprivation-of-liberty.md, decision 0024). The
 * rules as pure functions: no clock, no database. Every rule cites its source.
 *
 * - The "acid test" (P v Cheshire West and Chester Council [2014] UKSC 19): a person is deprived of
 *   their liberty when they are under continuous supervision and control and not free to leave,
 *   and (for the safeguards of the Mental Capacity Act 2005) lack capacity to consent to those
 *   arrangements (MCA 2005 ss2–3).
 * - The route by setting: a care home or hospital → a standard authorisation from the supervisory
 *   body under MCA 2005 Schedule A1 (DoLS); any other setting → an order of the Court of Protection
 *   under s16(2)(a) (and s4A(3)) applied for by the streamlined procedure, form COPDOL11 (Re X and
 *   others [2014] EWCOP 25).
 * - Each authorisation records its statutory basis, so the Liberty Protection Safeguards (Mental
 *   Capacity (Amendment) Act 2019, Schedule AA1, not in force) can be added as another basis.
 */

import { addDays, addMonths, compareDates, toDayNumber, type IsoDate } from './calendar-date.ts';

/* ---------- The acid test (Cheshire West [2014] UKSC 19) ---------- */

export const yesNo = ['yes', 'no'] as const;
export type YesNo = (typeof yesNo)[number];

/** Capacity to consent to the arrangements (MCA 2005 ss2–3). */
export const consentCapacities = ['lacks', 'has', 'not-assessed'] as const;
export type ConsentCapacity = (typeof consentCapacities)[number];
export const consentCapacityLabels: Record<ConsentCapacity, string> = {
  lacks: 'Lacks capacity to consent to the arrangements',
  has: 'Has capacity to consent to the arrangements',
  'not-assessed': 'Not yet assessed',
};

export interface AcidTestAnswers {
  /** Under continuous supervision and control. */
  supervisionAndControl: YesNo;
  /** Free to leave (to go, or be taken, somewhere else to live permanently). */
  freeToLeave: YesNo;
  capacityToConsent: ConsentCapacity;
}

export const acidTestOutcomes = ['is', 'may-be', 'is-not'] as const;
export type AcidTestOutcome = (typeof acidTestOutcomes)[number];
export const acidTestOutcomeLabels: Record<AcidTestOutcome, string> = {
  is: 'This is a deprivation of liberty',
  'may-be': 'This may be a deprivation of liberty',
  'is-not': 'This is not a deprivation of liberty',
};

export const CHESHIRE_WEST = 'P v Cheshire West and Chester Council [2014] UKSC 19';

/**
 * The acid test: whether the arrangements are, may be, or are not a deprivation of liberty, with
 * what to do next. Both objective elements (continuous supervision and control, not free to leave)
 * must be present (Cheshire West, paras 48–49); the subjective element is the absence of valid
 * consent, so a person able to consent who does so is not deprived of liberty (Storck v Germany
 * (2005) 43 EHRR 6); where capacity to consent has not been assessed, it must be (MCA 2005 ss2–3).
 */
export function acidTest(a: AcidTestAnswers, setting: Setting): { outcome: AcidTestOutcome; reason: string; next: string } {
  if (a.supervisionAndControl === 'no' || a.freeToLeave === 'yes') {
    return {
      outcome: 'is-not',
      reason: `The person is ${a.supervisionAndControl === 'no' ? 'not under continuous supervision and control' : 'free to leave'}: both are needed for a deprivation of liberty (${CHESHIRE_WEST}).`,
      next: 'No authorisation is needed. Consider it again if the arrangements change.',
    };
  }
  if (a.capacityToConsent === 'has') {
    return {
      outcome: 'is-not',
      reason: 'The person has capacity to consent to the arrangements: if they consent, they are not deprived of their liberty (Storck v Germany (2005) 43 EHRR 6).',
      next: 'Record their consent. If they do not consent, the arrangements must change: the Mental Capacity Act 2005 safeguards do not authorise them.',
    };
  }
  if (a.capacityToConsent === 'not-assessed') {
    return {
      outcome: 'may-be',
      reason: `The person is under continuous supervision and control and not free to leave (${CHESHIRE_WEST}); whether they can consent is not known.`,
      next: 'Assess their capacity to consent to the arrangements (Mental Capacity Act 2005, sections 2 and 3), then record this again.',
    };
  }
  const route = routeFor(setting);
  return {
    outcome: 'is',
    reason: `The person is under continuous supervision and control, is not free to leave and lacks capacity to consent to the arrangements (${CHESHIRE_WEST}).`,
    next: `It must be authorised: ${routeLabels[route]} (${routeSources[route]}).`,
  };
}

/* ---------- Settings and routes ---------- */

export const settings = ['care-home', 'hospital', 'supported-living', 'own-home', 'shared-lives', 'other-community'] as const;
export type Setting = (typeof settings)[number];
export const settingLabels: Record<Setting, string> = {
  'care-home': 'A care home',
  hospital: 'A hospital',
  'supported-living': 'Supported living',
  'own-home': 'Their own home or a family home',
  'shared-lives': 'A shared lives placement',
  'other-community': 'Another community setting',
};
export const isSetting = (v: string): v is Setting => (settings as readonly string[]).includes(v);

/**
 * The statutory basis each authorisation records (decision 0024). `mca-schedule-a1`: a standard or
 * urgent authorisation under MCA 2005 Schedule A1 (DoLS); `mca-s16-order`: an order of the Court of
 * Protection under s16(2)(a) and s4A(3). The Liberty Protection Safeguards (Mental Capacity
 * (Amendment) Act 2019, Schedule AA1) are not in force; if they are, they become another basis.
 */
export const bases = ['mca-schedule-a1', 'mca-s16-order'] as const;
export type Basis = (typeof bases)[number];
export const basisLabels: Record<Basis, string> = {
  'mca-schedule-a1': 'Deprivation of Liberty Safeguards: standard authorisation',
  'mca-s16-order': 'Court of Protection order (COPDOL11)',
};
export const basisSources: Record<Basis, string> = {
  'mca-schedule-a1': 'Mental Capacity Act 2005, Schedule A1',
  'mca-s16-order': 'Mental Capacity Act 2005, sections 4A(3) and 16(2)(a)',
};
export const isBasis = (v: string): v is Basis => (bases as readonly string[]).includes(v);

const routeLabels: Record<Basis, string> = {
  'mca-schedule-a1': 'the managing authority requests a standard authorisation from the supervisory body (the local authority)',
  'mca-s16-order': 'apply to the Court of Protection for an order by the streamlined procedure, form COPDOL11',
};
const routeSources: Record<Basis, string> = {
  'mca-schedule-a1': 'Mental Capacity Act 2005, Schedule A1',
  'mca-s16-order': 'Mental Capacity Act 2005, section 16(2)(a); Re X and others [2014] EWCOP 25',
};

/**
 * The route by setting: Schedule A1 applies only to care homes and hospitals (MCA 2005 Sch A1
 * paras 1–2); anywhere else a deprivation of liberty is authorised by the Court of Protection
 * (s4A(3), s16(2)(a)), by the streamlined COPDOL11 procedure (Re X and others [2014] EWCOP 25).
 */
export function routeFor(setting: Setting): Basis {
  return setting === 'care-home' || setting === 'hospital' ? 'mca-schedule-a1' : 'mca-s16-order';
}

/* ---------- The prompt from the plan ---------- */

/** What a plan records that the prompt reads: each service's type and words, each need's accommodation feature. */
export interface PlanLine {
  serviceTypeCode: string | null;
  words: string;
}

/** Words in a service or accommodation feature that describe round-the-clock or one-to-one support. */
const constantSupport = /\b(24[- ]?hours?|24\/7|round[- ]the[- ]clock|one[- ]to[- ]one|1[:-]1|waking night|continuous supervision)\b/i;

/**
 * Whether a plan's accommodation or services suggest continuous supervision and control, the first
 * element of the acid test (Cheshire West [2014] UKSC 19, para 49): a care home place (residential
 * or nursing care), or any service or enhanced accommodation described as 24-hour, round-the-clock,
 * one-to-one or with waking nights. Returns the line that suggests it, or null.
 */
export function suggestsSupervisionAndControl(lines: readonly PlanLine[]): PlanLine | null {
  return lines.find((l) => l.serviceTypeCode === 'residential-care' || l.serviceTypeCode === 'nursing-care' || constantSupport.test(l.words)) ?? null;
}

/* ---------- Schedule A1 (DoLS) stages ---------- */

/** The six assessments a standard authorisation needs (MCA 2005 Sch A1 para 33). */
export const scheduleA1Assessments = [
  { key: 'age', label: 'Age assessment', source: 'Schedule A1, paragraph 34' },
  { key: 'mental-health', label: 'Mental health assessment', source: 'Schedule A1, paragraph 35' },
  { key: 'mental-capacity', label: 'Mental capacity assessment', source: 'Schedule A1, paragraph 37' },
  { key: 'best-interests', label: 'Best interests assessment', source: 'Schedule A1, paragraph 38' },
  { key: 'eligibility', label: 'Eligibility assessment', source: 'Schedule A1, paragraph 46' },
  { key: 'no-refusals', label: 'No refusals assessment', source: 'Schedule A1, paragraph 48' },
] as const;
export type ScheduleA1Assessment = (typeof scheduleA1Assessments)[number]['key'];
export const scheduleA1AssessmentKeys: readonly ScheduleA1Assessment[] = scheduleA1Assessments.map((a) => a.key);

/** An urgent authorisation lasts at most 7 days (Sch A1 para 78(2)) and may be extended once by at most 7 days (paras 84–85). */
export const URGENT_MAX_DAYS = 7;
export const URGENT_EXTENSION_MAX_DAYS = 7;

/** The outcome of a request or application. */
export const outcomes = ['granted', 'refused'] as const;
export type Outcome = (typeof outcomes)[number];

/** Everything recorded about an authorisation or order, dates as YYYY-MM-DD or null while not yet known. */
export interface AuthorisationRecord {
  basis: Basis;
  /** DoLS: requested by the managing authority. COPDOL11: the application prepared. */
  requestedOn: IsoDate;
  urgentGivenOn: IsoDate | null;
  urgentEndsOn: IsoDate | null;
  urgentExtendedTo: IsoDate | null;
  assessmentsDone: readonly string[];
  assessmentsCompletedOn: IsoDate | null;
  /** COPDOL11: issued by the court. */
  issuedOn: IsoDate | null;
  outcome: Outcome | null;
  decidedOn: IsoDate | null;
  startsOn: IsoDate | null;
  /** DoLS: the authorisation's end. */
  endsOn: IsoDate | null;
  /** COPDOL11: the order's review date. */
  reviewOn: IsoDate | null;
  representative: string;
}

export interface Problem {
  field: string;
  message: string;
}

const A1 = 'Mental Capacity Act 2005, Schedule A1';

/**
 * What is wrong with an authorisation's record: dates out of order (each names its field), an
 * urgent authorisation longer than 7 days (Sch A1 para 78(2)) or extended by more than 7 (para
 * 85(5)), a standard authorisation longer than one year (para 42(2)), a grant before all six
 * assessments (paras 33 and 50), an order without its review date.
 */
export function authorisationProblems(r: AuthorisationRecord, today: IsoDate, govukDate: (d: string) => string): Problem[] {
  const p: Problem[] = [];
  const notBefore = (field: string, date: IsoDate | null, after: IsoDate | null, what: string, afterWhat: string) => {
    if (date && after && compareDates(date, after) < 0) p.push({ field, message: `${what} cannot be before ${afterWhat} (${govukDate(after)})` });
  };
  const notFuture = (field: string, date: IsoDate | null, what: string) => {
    if (date && compareDates(date, today) > 0) p.push({ field, message: `${what} must be today or in the past` });
  };
  const dols = r.basis === 'mca-schedule-a1';
  const requested = dols ? 'the date it was requested' : 'the date the application was prepared';
  notFuture('requestedOn', r.requestedOn, dols ? 'The date the authorisation was requested' : 'The date the application was prepared');
  if (dols) {
    if (r.urgentGivenOn || r.urgentEndsOn || r.urgentExtendedTo) {
      if (!r.urgentGivenOn) p.push({ field: 'urgentGivenOn', message: 'Enter the date the urgent authorisation was given' });
      if (!r.urgentEndsOn) p.push({ field: 'urgentEndsOn', message: `Enter the date the urgent authorisation ends: at most ${URGENT_MAX_DAYS} days (${A1}, paragraph 78(2))` });
    }
    notFuture('urgentGivenOn', r.urgentGivenOn, 'The date the urgent authorisation was given');
    notBefore('urgentEndsOn', r.urgentEndsOn, r.urgentGivenOn, 'The end of the urgent authorisation', 'the date it was given');
    if (r.urgentGivenOn && r.urgentEndsOn && toDayNumber(r.urgentEndsOn) - toDayNumber(r.urgentGivenOn) > URGENT_MAX_DAYS) {
      p.push({ field: 'urgentEndsOn', message: `An urgent authorisation lasts at most ${URGENT_MAX_DAYS} days: it must end by ${govukDate(addDays(r.urgentGivenOn, URGENT_MAX_DAYS))} (${A1}, paragraph 78(2))` });
    }
    if (r.urgentExtendedTo && !r.urgentEndsOn) p.push({ field: 'urgentExtendedTo', message: 'An urgent authorisation can be extended only once it has an end date' });
    notBefore('urgentExtendedTo', r.urgentExtendedTo, r.urgentEndsOn, 'The extended end', 'the urgent authorisation’s end');
    if (r.urgentExtendedTo && r.urgentEndsOn && toDayNumber(r.urgentExtendedTo) - toDayNumber(r.urgentEndsOn) > URGENT_EXTENSION_MAX_DAYS) {
      p.push({ field: 'urgentExtendedTo', message: `An urgent authorisation may be extended once, by at most ${URGENT_EXTENSION_MAX_DAYS} days: to ${govukDate(addDays(r.urgentEndsOn, URGENT_EXTENSION_MAX_DAYS))} at the latest (${A1}, paragraphs 84 and 85(5))` });
    }
    notBefore('urgentGivenOn', r.urgentGivenOn, r.requestedOn, 'The urgent authorisation', requested);
    notFuture('assessmentsCompletedOn', r.assessmentsCompletedOn, 'The date the assessments were completed');
    notBefore('assessmentsCompletedOn', r.assessmentsCompletedOn, r.requestedOn, 'The assessments', requested);
    if (r.assessmentsCompletedOn && r.assessmentsDone.length < scheduleA1AssessmentKeys.length) p.push({ field: 'assessmentsDone', message: `Tick all six assessments before recording the date they were completed (${A1}, paragraph 33)` });
  } else {
    notFuture('issuedOn', r.issuedOn, 'The date the court issued the application');
    notBefore('issuedOn', r.issuedOn, r.requestedOn, 'The date the court issued the application', requested);
  }
  if (r.outcome) {
    if (!r.decidedOn) p.push({ field: 'decidedOn', message: dols ? 'Enter the date the supervisory body decided' : 'Enter the date of the court’s decision' });
    notFuture('decidedOn', r.decidedOn, dols ? 'The date of the decision' : 'The date of the court’s decision');
    notBefore('decidedOn', r.decidedOn, dols ? (r.assessmentsCompletedOn ?? r.requestedOn) : (r.issuedOn ?? r.requestedOn), dols ? 'The decision' : 'The court’s decision', dols ? (r.assessmentsCompletedOn ? 'the date the assessments were completed' : requested) : r.issuedOn ? 'the date the application was issued' : requested);
    if (!dols && r.outcome && !r.issuedOn) p.push({ field: 'issuedOn', message: 'Enter the date the court issued the application before recording its decision' });
    // A standard authorisation is given only if all the qualifying requirements are met (Sch A1 paras 12, 50).
    if (dols && r.outcome === 'granted' && r.assessmentsDone.length < scheduleA1AssessmentKeys.length) p.push({ field: 'assessmentsDone', message: `A standard authorisation can be given only once all six assessments are done (${A1}, paragraphs 33 and 50)` });
  } else if (r.decidedOn) {
    p.push({ field: 'outcome', message: dols ? 'Choose whether the authorisation was granted or refused' : 'Choose whether the court made the order or refused it' });
  }
  if (r.outcome === 'granted') {
    if (!r.startsOn) p.push({ field: 'startsOn', message: dols ? 'Enter the date the authorisation starts' : 'Enter the date the order takes effect' });
    notBefore('startsOn', r.startsOn, r.decidedOn, dols ? 'The start of the authorisation' : 'The order taking effect', 'the date of the decision');
    if (dols) {
      if (!r.endsOn) p.push({ field: 'endsOn', message: `Enter the date the authorisation ends: at most one year from its start (${A1}, paragraph 42(2))` });
      notBefore('endsOn', r.endsOn, r.startsOn, 'The end of the authorisation', 'its start');
      // Para 42(2): the maximum authorisation period is one year, counted from the date given.
      if (r.startsOn && r.endsOn && compareDates(r.endsOn, standardMaxEnd(r.startsOn)) > 0) {
        p.push({ field: 'endsOn', message: `A standard authorisation lasts at most one year: it must end by ${govukDate(standardMaxEnd(r.startsOn))} (${A1}, paragraph 42(2))` });
      }
    } else {
      if (!r.reviewOn) p.push({ field: 'reviewOn', message: 'Enter the order’s review date' });
      notBefore('reviewOn', r.reviewOn, r.startsOn ?? r.decidedOn, 'The review date', 'the order taking effect');
    }
  } else if (r.startsOn || r.endsOn || r.reviewOn) {
    p.push({ field: r.startsOn ? 'startsOn' : r.endsOn ? 'endsOn' : 'reviewOn', message: dols ? 'Only a granted authorisation has a start and end date' : 'Only an order made has a start and review date' });
  }
  return p;
}

/** The last day of a standard authorisation starting on `startsOn`: the day before its first anniversary (Sch A1 para 42(2)). */
export function standardMaxEnd(startsOn: IsoDate): IsoDate {
  return addDays(addMonths(startsOn, 12), -1);
}

export const stages = ['requested', 'urgent', 'assessing', 'application-prepared', 'issued', 'granted', 'order-made', 'refused', 'expired'] as const;
export type Stage = (typeof stages)[number];
export const stageLabels: Record<Stage, string> = {
  requested: 'Requested',
  urgent: 'Urgent authorisation in force',
  assessing: 'Assessments under way',
  'application-prepared': 'Application prepared',
  issued: 'Issued by the court',
  granted: 'Authorised',
  'order-made': 'Order made',
  refused: 'Refused',
  expired: 'Ended',
};

/** The last day an urgent authorisation is in force: its extended end, else its end. */
export function urgentLastDay(r: Pick<AuthorisationRecord, 'urgentEndsOn' | 'urgentExtendedTo'>): IsoDate | null {
  return r.urgentExtendedTo ?? r.urgentEndsOn;
}

/** Where a request or application has got to, today. */
export function stageOf(r: AuthorisationRecord, today: IsoDate): Stage {
  if (r.outcome === 'refused') return 'refused';
  if (r.outcome === 'granted') {
    const last = r.basis === 'mca-schedule-a1' ? r.endsOn : null;
    if (last && compareDates(last, today) < 0) return 'expired';
    return r.basis === 'mca-schedule-a1' ? 'granted' : 'order-made';
  }
  if (r.basis === 'mca-s16-order') return r.issuedOn ? 'issued' : 'application-prepared';
  const urgentEnd = urgentLastDay(r);
  if (r.urgentGivenOn && urgentEnd && compareDates(urgentEnd, today) >= 0) return 'urgent';
  return r.assessmentsDone.length ? 'assessing' : 'requested';
}

/* ---------- The reminder ---------- */

export const DEFAULT_RENEWAL_DAYS = 28;
/** An urgent authorisation is flagged this many days before it ends (issue 16, item 4). */
export const URGENT_WARNING_DAYS = 2;

/**
 * The date the record is next due (renewal of a standard authorisation at its end, Sch A1 Part 8;
 * the court's review of an order at its review date; an urgent authorisation at its last day) and
 * whether that is within the window: `days` for an authorisation or order (the partnership's
 * setting), URGENT_WARNING_DAYS for an urgent authorisation. Null when nothing is due.
 */
export function renewalDue(r: AuthorisationRecord, today: IsoDate, days: number): { dueOn: IsoDate; kind: 'renewal' | 'review' | 'urgent'; within: boolean } | null {
  const stage = stageOf(r, today);
  if (stage === 'urgent') {
    const last = urgentLastDay(r)!;
    return { dueOn: last, kind: 'urgent', within: toDayNumber(last) - toDayNumber(today) <= URGENT_WARNING_DAYS };
  }
  if (stage === 'granted' && r.endsOn) return { dueOn: r.endsOn, kind: 'renewal', within: toDayNumber(r.endsOn) - toDayNumber(today) <= days };
  if (stage === 'order-made' && r.reviewOn) return { dueOn: r.reviewOn, kind: 'review', within: toDayNumber(r.reviewOn) - toDayNumber(today) <= days };
  return null;
}

/** The latest due date inside the window today: what the job and the queue look for. */
export function windowEnd(today: IsoDate, days: number): IsoDate {
  return addDays(today, days);
}

/* ---------- Section 21A challenges ---------- */

export const challengeOutcomes = ['confirmed', 'varied', 'terminated'] as const;
export type ChallengeOutcome = (typeof challengeOutcomes)[number];
export const challengeOutcomeLabels: Record<ChallengeOutcome, string> = {
  confirmed: 'Authorisation confirmed',
  varied: 'Authorisation varied',
  terminated: 'Authorisation terminated',
};

export interface ChallengeRecord {
  appliedOn: IsoDate;
  directionsOn: IsoDate | null;
  hearingOn: IsoDate | null;
  outcome: ChallengeOutcome | null;
  outcomeOn: IsoDate | null;
}

const S21A = 'Mental Capacity Act 2005, section 21A';

/** A s21A challenge's dates must follow one another: application, directions, hearing, outcome (MCA 2005 s21A(2)–(3)). */
export function challengeProblems(c: ChallengeRecord, today: IsoDate, govukDate: (d: string) => string): Problem[] {
  const p: Problem[] = [];
  const order: Array<[keyof ChallengeRecord, string]> = [
    ['appliedOn', 'the application'],
    ['directionsOn', 'the directions'],
    ['hearingOn', 'the hearing'],
    ['outcomeOn', 'the outcome'],
  ];
  let previous: { date: IsoDate; what: string } | null = null;
  for (const [field, what] of order) {
    const date = c[field];
    if (!date) continue;
    if (field !== 'hearingOn' && compareDates(date, today) > 0) p.push({ field, message: `The date of ${what} must be today or in the past` });
    if (previous && compareDates(date, previous.date) < 0) p.push({ field, message: `The date of ${what} cannot be before ${previous.what} (${govukDate(previous.date)})` });
    previous = { date, what };
  }
  if (c.outcome && !c.outcomeOn) p.push({ field: 'outcomeOn', message: 'Enter the date of the court’s decision' });
  if (c.outcomeOn && !c.outcome) p.push({ field: 'outcome', message: `Choose whether the court confirmed, varied or terminated the authorisation (${S21A}(3))` });
  return p;
}

export function challengeStage(c: ChallengeRecord): string {
  if (c.outcome) return challengeOutcomeLabels[c.outcome];
  if (c.hearingOn) return 'Hearing listed';
  if (c.directionsOn) return 'Directions given';
  return 'Application made';
}
