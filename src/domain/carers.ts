/**
 * Carers and their assessments (issue 16, item 5). Pure: no clock, no database; dates are ISO
 * calendar dates (YYYY-MM-DD) passed in.
 *
 * Sources:
 * - Care Act 2014, section 10(1): where it appears to a local authority that a carer may have needs
 *   for support (now or in the future), it must assess whether the carer does have such needs and
 *   what they are (the "carer's assessment"). The duty arises on the appearance of need, so the
 *   offer is made whenever a cared-for person is discharged or reviewed (see `offerDue`).
 * - Care Act 2014, section 10(7): a carer may refuse the assessment, and the authority is then not
 *   required to carry it out; section 10(8): it must still assess if the carer later asks, or if
 *   their circumstances change. A refusal is recorded with its date; a new offer can follow.
 * - Care Act 2014, section 20: the duty to meet a carer's eligible needs for support; section 25:
 *   the support plan (what will be provided, by whom); section 27: its review.
 * - The Care and Support (Eligibility Criteria) Regulations 2015 (SI 2015/313), regulation 3: a
 *   carer's needs are eligible if (a) they arise as a consequence of providing necessary care for an
 *   adult, (b) their effect is that the carer's physical or mental health is, or is at risk of,
 *   deteriorating, or the carer is unable to achieve any of the outcomes in regulation 3(2)(b)
 *   (listed in `carerOutcomes`; "unable to achieve" has the meaning in regulation 3(3)), and (c) as
 *   a consequence there is, or is likely to be, a significant impact on the carer's well-being.
 * - Care and Support Statutory Guidance (Department of Health and Social Care), paragraph 13.32: a
 *   support plan is reviewed no later than every 12 months.
 */
import { addDays, addMonths, isRealDate, type IsoDate } from './calendar-date.ts';

/** A carer's assessment offered and not answered for this many days waits on its practitioner. */
export const OFFER_ANSWER_DAYS = 28;
/** Care and Support Statutory Guidance, paragraph 13.32: review at least every 12 months. */
export const SUPPORT_PLAN_REVIEW_MONTHS = 12;

export const CARERS_ASSESSMENT_SOURCE = 'Care Act 2014, section 10';
export const CARERS_REFUSAL_SOURCE = 'Care Act 2014, section 10(7)';
export const CARERS_ELIGIBILITY_SOURCE = 'Care and Support (Eligibility Criteria) Regulations 2015, regulation 3';
export const CARERS_SUPPORT_SOURCE = 'Care Act 2014, sections 20 and 25';

/**
 * The outcomes of regulation 3(2)(b) of the Care and Support (Eligibility Criteria) Regulations
 * 2015, in the regulation's order.
 */
export const carerOutcomes = [
  { key: 'childCare', label: 'Carrying out any caring responsibilities for a child', source: 'regulation 3(2)(b)(i)' },
  { key: 'otherCare', label: 'Providing care to other people they care for', source: 'regulation 3(2)(b)(ii)' },
  { key: 'home', label: 'Maintaining a habitable home environment', source: 'regulation 3(2)(b)(iii)' },
  { key: 'nutrition', label: 'Managing and maintaining nutrition', source: 'regulation 3(2)(b)(iv)' },
  { key: 'relationships', label: 'Developing and maintaining family or other personal relationships', source: 'regulation 3(2)(b)(v)' },
  { key: 'work', label: 'Engaging in work, training, education or volunteering', source: 'regulation 3(2)(b)(vi)' },
  { key: 'community', label: 'Making use of necessary facilities or services in the local community', source: 'regulation 3(2)(b)(vii)' },
  { key: 'recreation', label: 'Engaging in recreational activities', source: 'regulation 3(2)(b)(viii)' },
] as const;
export type CarerOutcomeKey = (typeof carerOutcomes)[number]['key'];
export const carerOutcomeKeys = carerOutcomes.map((o) => o.key) as [CarerOutcomeKey, ...CarerOutcomeKey[]];

export const assessmentStatuses = ['offered', 'accepted', 'declined', 'completed'] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];
export const assessmentStatusLabels: Record<AssessmentStatus, string> = { offered: 'Offered, waiting for an answer', accepted: 'Accepted, not yet completed', declined: 'Declined', completed: 'Completed' };

export interface AssessmentDates {
  offeredOn: IsoDate;
  acceptedOn: IsoDate | null;
  declinedOn: IsoDate | null;
  completedOn: IsoDate | null;
}

/** Where the assessment has got to: offered, then accepted or declined (s10(7)), then completed. */
export function assessmentStatus(a: AssessmentDates): AssessmentStatus {
  if (a.completedOn) return 'completed';
  if (a.declinedOn) return 'declined';
  if (a.acceptedOn) return 'accepted';
  return 'offered';
}

export interface DateIssue {
  path: string;
  message: string;
}

/**
 * The lifecycle's order, with a specific message for each break: accepted and declined are
 * alternatives (s10(7)); completion needs an acceptance; no date before the offer or after today.
 */
export function assessmentDateIssues(a: AssessmentDates, today: IsoDate): DateIssue[] {
  const issues: DateIssue[] = [];
  const real = (d: IsoDate | null) => d !== null && isRealDate(d);
  if (real(a.offeredOn) && a.offeredOn > today) issues.push({ path: 'offeredOn', message: 'The date the assessment was offered must be today or in the past' });
  if (a.acceptedOn && a.declinedOn) issues.push({ path: 'declinedOn', message: 'A carer either accepts or declines the assessment: enter one date, not both' });
  for (const [path, label] of [
    ['acceptedOn', 'accepted'],
    ['declinedOn', 'declined'],
    ['completedOn', 'completed'],
  ] as const) {
    const d = a[path];
    if (!real(d)) continue;
    if (real(a.offeredOn) && d! < a.offeredOn) issues.push({ path, message: `The date the assessment was ${label} must be on or after the date it was offered (${a.offeredOn})` });
    if (d! > today) issues.push({ path, message: `The date the assessment was ${label} must be today or in the past` });
  }
  if (a.completedOn && !a.acceptedOn) issues.push({ path: 'completedOn', message: 'An assessment can only be completed once the carer has accepted it: enter the date they accepted' });
  if (real(a.completedOn) && real(a.acceptedOn) && a.completedOn! < a.acceptedOn!) issues.push({ path: 'completedOn', message: 'The date the assessment was completed must be on or after the date the carer accepted it' });
  return issues;
}

export interface EligibilityAnswers {
  /** Reg 3(1)(a): the needs arise as a consequence of providing necessary care for an adult. */
  needsAriseFromCaring: boolean;
  /** Reg 3(2)(a): the carer's physical or mental health is, or is at risk of, deteriorating. */
  healthAtRisk: boolean;
  /** Reg 3(2)(b): the outcomes the carer is unable to achieve (reg 3(3)). */
  outcomesNotAchieved: readonly CarerOutcomeKey[];
  /** Reg 3(1)(c): as a consequence there is, or is likely to be, a significant impact on well-being. */
  significantImpact: boolean;
}

export interface EligibilityDetermination {
  eligible: boolean;
  /** Why, citing the regulation, for the page and the letter. */
  reasons: string[];
}

/** The carers' eligibility criteria: regulation 3 of the Eligibility Criteria Regulations 2015. */
export function carerEligibility(a: EligibilityAnswers): EligibilityDetermination {
  const reasons: string[] = [];
  if (!a.needsAriseFromCaring) reasons.push('The needs do not arise from providing necessary care for an adult (regulation 3(1)(a)).');
  const circumstance = a.healthAtRisk || a.outcomesNotAchieved.length > 0;
  if (!circumstance) reasons.push('The carer’s health is not at risk and they are able to achieve every outcome in regulation 3(2)(b) (regulation 3(1)(b)).');
  if (!a.significantImpact) reasons.push('There is not, and is not likely to be, a significant impact on the carer’s well-being (regulation 3(1)(c)).');
  const eligible = reasons.length === 0;
  if (eligible) {
    const effects = [...(a.healthAtRisk ? ['their health is, or is at risk of, deteriorating (regulation 3(2)(a))'] : []), ...(a.outcomesNotAchieved.length ? [`they are unable to achieve ${a.outcomesNotAchieved.length === 1 ? 'one outcome' : `${a.outcomesNotAchieved.length} outcomes`} (regulation 3(2)(b))`] : [])];
    reasons.push(`The needs arise from providing necessary care; ${effects.join(' and ')}; and there is, or is likely to be, a significant impact on their well-being (regulation 3(1)(c)).`);
  }
  return { eligible, reasons };
}

/** The default review date of a support plan: 12 months after it was agreed (guidance para 13.32). */
export function defaultReviewOn(agreedOn: IsoDate): IsoDate {
  return addMonths(agreedOn, SUPPORT_PLAN_REVIEW_MONTHS);
}

/** A review date is valid if after the agreement and within 12 months of it. */
export function reviewDateIssue(agreedOn: IsoDate, reviewOn: IsoDate): string | null {
  if (reviewOn <= agreedOn) return 'The review date must be after the date the support plan was agreed';
  if (reviewOn > addMonths(agreedOn, SUPPORT_PLAN_REVIEW_MONTHS)) return 'The review date must be within 12 months of the date the support plan was agreed (Care and Support Statutory Guidance, paragraph 13.32)';
  return null;
}

/** An offer unanswered for OFFER_ANSWER_DAYS days: the day it starts waiting, or null. */
export function offerAnswerDueOn(a: AssessmentDates): IsoDate | null {
  return assessmentStatus(a) === 'offered' ? addDays(a.offeredOn, OFFER_ANSWER_DAYS) : null;
}

export function offerUnanswered(a: AssessmentDates, today: IsoDate): boolean {
  const due = offerAnswerDueOn(a);
  return due !== null && due <= today;
}

export function reviewReached(reviewOn: IsoDate | null, today: IsoDate): boolean {
  return reviewOn !== null && reviewOn <= today;
}

/**
 * Whether a carer should be offered an assessment now (s10(1)): at discharge or a review, unless
 * an assessment is already in hand (offered and unanswered, accepted, or completed with a support
 * plan review still ahead). A decline does not stop a fresh offer at the next discharge or review
 * (s10(8)).
 */
export function offerDue(latest: (AssessmentDates & { reviewOn: IsoDate | null }) | null, today: IsoDate): boolean {
  if (!latest) return true;
  const status = assessmentStatus(latest);
  if (status === 'offered' || status === 'accepted') return false;
  if (status === 'completed') return latest.reviewOn === null || latest.reviewOn <= today;
  return true;
}
