/**
 * Safeguarding adults (issue 16, item 1): the Care Act 2014 ss42–47 rules Aftercare applies to a
 * concern, its decision and its enquiry. Pure: no clock, no database; dates are ISO calendar
 * dates (YYYY-MM-DD).
 *
 * Sources:
 * - Care Act 2014, section 42(1): the duty to make (or cause to be made) enquiries applies where
 *   a local authority has reasonable cause to suspect that an adult in its area (a) has needs for
 *   care and support (whether or not the authority is meeting any of those needs), (b) is
 *   experiencing, or is at risk of, abuse or neglect, and (c) as a result of those needs is unable
 *   to protect himself or herself against the abuse or neglect or the risk of it.
 * - Care Act 2014, section 42(2): the enquiry, to decide whether any action should be taken and,
 *   if so, what and by whom.
 * - The ten categories of abuse and neglect: Care and Support Statutory Guidance (Department of
 *   Health and Social Care), chapter 14, paragraph 14.17.
 * - Making Safeguarding Personal: Care and Support Statutory Guidance, chapter 14 (the adult's
 *   views, wishes, feelings and desired outcomes lead the response), counted in NHS England Digital's
 *   Safeguarding Adults Collection (SAC) as outcomes asked, expressed and achieved.
 * - Outcomes of an enquiry (risk removed, reduced, remains) and the locations and sources of risk:
 *   NHS England Digital, Safeguarding Adults Collection (SAC), "risk outcomes", "location of risk"
 *   and "source of risk".
 * - The decision's timescale: neither the Act nor the statutory guidance sets one (chapter 14 asks
 *   for a prompt and proportionate response); local multi-agency safeguarding
 *   adults procedures set it. Aftercare's default is 2 working days from the concern being
 *   raised, and each partnership sets its own on the planning settings page.
 */
import { addDays, toDayNumber, type IsoDate } from './calendar-date.ts';

/** Care and Support Statutory Guidance, paragraph 14.17: the ten categories, in its order. */
export const abuseCategories = ['physical', 'domestic', 'sexual', 'psychological', 'financial', 'modern-slavery', 'discriminatory', 'organisational', 'neglect', 'self-neglect'] as const;
export type AbuseCategory = (typeof abuseCategories)[number];

export const abuseCategoryLabels: Record<AbuseCategory, string> = {
  physical: 'Physical abuse',
  domestic: 'Domestic abuse',
  sexual: 'Sexual abuse',
  psychological: 'Psychological abuse',
  financial: 'Financial or material abuse',
  'modern-slavery': 'Modern slavery',
  discriminatory: 'Discriminatory abuse',
  organisational: 'Organisational abuse',
  neglect: 'Neglect and acts of omission',
  'self-neglect': 'Self-neglect',
};

export const isAbuseCategory = (value: string): value is AbuseCategory => (abuseCategories as readonly string[]).includes(value);

/** Where the risk arose (Safeguarding Adults Collection, "location of risk"). */
export const riskLocations = ['own-home', 'community', 'community-service', 'care-home-nursing', 'care-home-residential', 'hospital-mental-health', 'hospital-acute', 'hospital-community', 'other'] as const;
export type RiskLocation = (typeof riskLocations)[number];
export const riskLocationLabels: Record<RiskLocation, string> = {
  'own-home': 'Own home',
  community: 'In the community (excluding community services)',
  'community-service': 'In a community service',
  'care-home-nursing': 'Care home: nursing',
  'care-home-residential': 'Care home: residential',
  'hospital-mental-health': 'Hospital: mental health',
  'hospital-acute': 'Hospital: acute',
  'hospital-community': 'Hospital: community',
  other: 'Other',
};

/** Who the risk came from (Safeguarding Adults Collection, "source of risk"). */
export const riskSources = ['service-provider', 'known-to-individual', 'unknown-to-individual'] as const;
export type RiskSource = (typeof riskSources)[number];
export const riskSourceLabels: Record<RiskSource, string> = {
  'service-provider': 'Service provider',
  'known-to-individual': 'Other: known to the person',
  'unknown-to-individual': 'Other: unknown to the person',
};

/** A concern's life: waiting for the s42(1) decision, an enquiry under s42(2), closed. */
export const concernStatuses = ['awaiting-decision', 'enquiry', 'closed'] as const;
export type ConcernStatus = (typeof concernStatuses)[number];
export const concernStatusLabels: Record<ConcernStatus, string> = {
  'awaiting-decision': 'Waiting for a section 42 decision',
  enquiry: 'Section 42 enquiry open',
  closed: 'Closed',
};

/** The three questions of Care Act 2014, section 42(1), each answered yes or no. */
export const criteriaQuestions = [
  { key: 'needsCareAndSupport', text: 'Does the person have needs for care and support (whether or not the local authority is meeting any of them)?', cite: 'Care Act 2014, section 42(1)(a)' },
  { key: 'experiencingAbuse', text: 'Is the person experiencing, or at risk of, abuse or neglect?', cite: 'Care Act 2014, section 42(1)(b)' },
  { key: 'unableToProtect', text: 'As a result of those needs, is the person unable to protect themselves against the abuse or neglect or the risk of it?', cite: 'Care Act 2014, section 42(1)(c)' },
] as const;
export type CriteriaKey = (typeof criteriaQuestions)[number]['key'];
export type CriteriaAnswers = Record<CriteriaKey, 'yes' | 'no'>;

export const decisions = ['met', 'not-met'] as const;
export type Decision = (typeof decisions)[number];
export const decisionLabels: Record<Decision, string> = { met: 'Section 42(1) criteria met: an enquiry will be made', 'not-met': 'Section 42(1) criteria not met' };

/** Care Act 2014, s42(1): the criteria are met only when all three are answered yes. */
export function criteriaMet(answers: CriteriaAnswers): boolean {
  return criteriaQuestions.every((q) => answers[q.key] === 'yes');
}

/**
 * Whether a decision may be recorded with these answers: "met" needs all three yes (s42(1)); "not
 * met" needs at least one no (otherwise the duty applies and the decision would be wrong).
 */
export function decisionAgreesWithCriteria(decision: Decision, answers: CriteriaAnswers): boolean {
  return decision === 'met' ? criteriaMet(answers) : !criteriaMet(answers);
}

/** The partnership's default timescale for the s42(1) decision, in working days (see the sources above). */
export const DEFAULT_DECISION_WORKING_DAYS = 2;
export const MAX_DECISION_WORKING_DAYS = 28;

const isWeekend = (date: IsoDate) => {
  // Day 0 of toDayNumber is 1 January 1970, a Thursday.
  const weekday = (((toDayNumber(date) + 4) % 7) + 7) % 7; // 0 Sunday … 6 Saturday
  return weekday === 0 || weekday === 6;
};

/**
 * The day `workingDays` working days (Monday to Friday) after `date`. Bank holidays are not known
 * to Aftercare, so a partnership that counts them sets its timescale accordingly.
 */
export function addWorkingDays(date: IsoDate, workingDays: number): IsoDate {
  let day = date;
  let left = workingDays;
  while (left > 0) {
    day = addDays(day, 1);
    if (!isWeekend(day)) left -= 1;
  }
  return day;
}

/** The date the s42(1) decision is due: the partnership's timescale from the day the concern was raised. */
export function decisionDueOn(raisedOn: IsoDate, workingDays: number): IsoDate {
  return addWorkingDays(raisedOn, workingDays);
}

/** A decision still waiting is overdue once its due date has passed. */
export function decisionOverdue(dueOn: IsoDate, today: IsoDate, decidedOn: IsoDate | null): boolean {
  return decidedOn === null && dueOn < today;
}

/** Whether a decision made on `decidedOn` was within the timescale (for the dashboard). */
export function decidedWithinTimescale(dueOn: IsoDate, decidedOn: IsoDate): boolean {
  return decidedOn <= dueOn;
}

/** The outcome of an enquiry for the risk (Safeguarding Adults Collection, "risk outcomes"). */
export const enquiryOutcomes = ['removed', 'reduced', 'remains'] as const;
export type EnquiryOutcome = (typeof enquiryOutcomes)[number];
export const enquiryOutcomeLabels: Record<EnquiryOutcome, string> = { removed: 'Risk removed', reduced: 'Risk reduced', remains: 'Risk remains' };

/** Making Safeguarding Personal: were the person's desired outcomes achieved (SAC). */
export const outcomesAchieved = ['fully', 'partially', 'not-achieved'] as const;
export type OutcomesAchieved = (typeof outcomesAchieved)[number];
export const outcomesAchievedLabels: Record<OutcomesAchieved, string> = { fully: 'Fully achieved', partially: 'Partially achieved', 'not-achieved': 'Not achieved' };

/** Kinds of strategy work and actions within an enquiry. */
export const enquiryRecordKinds = ['strategy-discussion', 'strategy-meeting', 'action'] as const;
export type EnquiryRecordKind = (typeof enquiryRecordKinds)[number];
export const enquiryRecordKindLabels: Record<EnquiryRecordKind, string> = { 'strategy-discussion': 'Strategy discussion', 'strategy-meeting': 'Strategy meeting', action: 'Enquiry action' };

/**
 * Child protection and public protection meetings attended (issue 16, item 1): a child protection
 * conference (Children Act 1989, section 47; Working Together to Safeguard Children 2023), MAPPA
 * (Criminal Justice Act 2003, sections 325–327) and MARAC (multi-agency risk assessment conference
 * for domestic abuse, Domestic Abuse Act 2021 statutory guidance).
 */
export const protectionMeetingKinds = ['child-protection', 'mappa', 'marac'] as const;
export type ProtectionMeetingKind = (typeof protectionMeetingKinds)[number];
export const protectionMeetingKindLabels: Record<ProtectionMeetingKind, string> = {
  'child-protection': 'Child protection conference (Children Act 1989, section 47)',
  mappa: 'MAPPA meeting (Criminal Justice Act 2003, sections 325 to 327)',
  marac: 'MARAC (multi-agency risk assessment conference)',
};

/** The next state of a concern after the s42(1) decision: an enquiry if met, closed if not. */
export function statusAfterDecision(decision: Decision): ConcernStatus {
  return decision === 'met' ? 'enquiry' : 'closed';
}

/** A concern is open (shown as the flag on the person) until it is closed. */
export const isOpen = (status: string) => status === 'awaiting-decision' || status === 'enquiry';

/** Percentage (whole number) of decisions made within the timescale; null when none were made. */
export function timelinessPercent(within: number, total: number): number | null {
  return total === 0 ? null : Math.round((within / total) * 100);
}
