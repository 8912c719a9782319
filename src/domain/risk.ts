/**
 * Risk assessment and escalation (issue 15, item 4). Pure: no clock, no database; dates are
 * passed in as ISO calendar dates (YYYY-MM-DD).
 *
 * Sources:
 * - The sections of the assessment (risk to self, to others, from others, self-neglect, relapse
 *   and early-warning signs, protective factors, the person's own view), the formulation and the
 *   positive risk-taking plan: Department of Health, "Best practice in managing risk: principles
 *   and evidence for best practice in the assessment and management of risk to self and others in
 *   mental health services" (June 2007), principles 1 to 16: positive risk management as part of a
 *   collaborative approach (principle 1), a formulation based on the person's history and strengths
 *   (principles 8 and 10), the service user's view recorded (principle 6), a plan that is reviewed
 *   (principle 13). https://www.gov.uk/government/publications/assessing-and-managing-risk-in-mental-health-services
 * - Early-warning signs, relapse indicators, positive risk enablement and, at leader level,
 *   "oversees escalation where risk is increasing" and "ensures learning from crises and
 *   readmissions": the partnership's Section 117 Aftercare Workforce Competency Framework,
 *   domain 4 "Review, risk and prevention" (shared seed 001), expected behaviours and leader/system
 *   level.
 * - The level (low, medium, high) is the issue's own specification; what each level means is the
 *   partnership's, kept as text on the settings page (defaults below).
 */
import { compareDates, toDayNumber, type IsoDate } from './calendar-date.ts';

/** A readmission is within this many days of the previous discharge (see readmissionsWithinTwelveMonths). */
export const READMISSION_DAYS = 365;

export const riskLevels = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const riskLevelLabels: Record<RiskLevel, string> = { low: 'Low', medium: 'Medium', high: 'High' };

/** The partnership's definitions until an administrator writes its own (settings page). */
export const DEFAULT_LEVEL_DEFINITIONS: Record<RiskLevel, string> = {
  low: 'No current indicators of serious harm. The plan and usual contact manage the risks identified.',
  medium: 'Some indicators of harm or early-warning signs are present. More frequent contact and a review of the plan are needed.',
  high: 'Serious harm is likely without prompt action. The team manager must know today and a review of the plan must be arranged.',
};

/** Low < medium < high. */
export function levelRank(level: RiskLevel): number {
  return riskLevels.indexOf(level);
}

export function isRiskLevel(value: unknown): value is RiskLevel {
  return typeof value === 'string' && (riskLevels as readonly string[]).includes(value);
}

/**
 * Whether a new assessment's level is a rise that the team manager must be told about
 * (competency framework domain 4, leader level: "oversees escalation where risk is increasing").
 * Compared with the latest previous assessment; a first assessment (no previous level) counts as
 * a rise only when it is high: a person first assessed at high risk needs the same oversight as
 * one whose risk has risen to high.
 */
export function levelRose(previous: RiskLevel | null, next: RiskLevel): boolean {
  if (previous === null) return next === 'high';
  return levelRank(next) > levelRank(previous);
}

/** The sections of an assessment, in the order the form asks them, with their labels. */
export const assessmentSections = [
  { key: 'riskToSelf', label: 'Risk to self', hint: 'Self-harm, suicide, risky behaviour: what has happened, how recently, what makes it more or less likely' },
  { key: 'riskToOthers', label: 'Risk to others', hint: 'Violence, aggression or harm to others, including children' },
  { key: 'riskFromOthers', label: 'Risk from others', hint: 'Exploitation, abuse, cuckooing, financial abuse, domestic abuse' },
  { key: 'selfNeglect', label: 'Self-neglect', hint: 'Personal care, nutrition, the home, physical health, medication' },
  { key: 'relapseSigns', label: 'Relapse and early-warning signs', hint: 'What the person, family and team notice first when things are getting worse' },
  { key: 'protectiveFactors', label: 'Protective factors', hint: 'Strengths, relationships, routines and supports that keep the person well' },
  { key: 'personsView', label: 'The person’s own view', hint: 'In their words, if possible: what they think the risks are and what helps' },
  { key: 'formulation', label: 'Formulation', hint: 'Why these risks arise for this person, what makes them more or less likely, and when' },
  { key: 'positiveRiskPlan', label: 'Positive risk-taking plan', hint: 'What the person wants to do, the risks accepted with them, and how they are managed' },
] as const;
export type AssessmentSectionKey = (typeof assessmentSections)[number]['key'];

/** Whether an assessment's review date has passed (the day after the review date onwards). */
export function reviewOverdue(reviewOn: IsoDate, today: IsoDate): boolean {
  return compareDates(reviewOn, today) < 0;
}

/* ---------- Escalation outcomes ---------- */

export const escalationOutcomes = ['no-further-action', 'plan-reviewed', 'review-meeting-arranged', 'safeguarding-referral', 'crisis-team-involved', 'other'] as const;
export type EscalationOutcome = (typeof escalationOutcomes)[number];
export const escalationOutcomeLabels: Record<EscalationOutcome, string> = {
  'no-further-action': 'No further action',
  'plan-reviewed': 'Plan reviewed',
  'review-meeting-arranged': 'Review meeting arranged',
  'safeguarding-referral': 'Safeguarding referral made',
  'crisis-team-involved': 'Crisis team involved',
  other: 'Other',
};

export const escalationReasons = ['level-rose', 'significant-event'] as const;
export type EscalationReason = (typeof escalationReasons)[number];

/** The reason in plain words, as the manager sees it. */
export function escalationReasonText(reason: EscalationReason, from: RiskLevel | null, to: RiskLevel | null): string {
  if (reason === 'significant-event') return 'Significant event recorded';
  if (from === null) return `First risk assessment at ${riskLevelLabels[to ?? 'high'].toLowerCase()} risk`;
  return `Risk level rose from ${riskLevelLabels[from].toLowerCase()} to ${riskLevelLabels[to ?? 'high'].toLowerCase()}`;
}

/* ---------- When a learning review is prompted ---------- */

/**
 * A learning review is prompted (competency framework domain 4, leader level: "ensures learning
 * from crises and readmissions") by:
 * 1. a crisis: an escalation whose outcome is "crisis team involved";
 * 2. a readmission within twelve months: an admission to hospital (a detention starting, or an
 *    informal admission) on a day no more than 365 days after the person's latest earlier
 *    discharge (leaving hospital): the same definition as the dashboard's readmissions figure
 *    (src/modules/dashboards, "Readmissions within 12 months of discharge"), so the learning
 *    reviews prompted and the readmissions counted are the same events. An admission on the day
 *    of the discharge counts (the person went back the same day); one 366 days after does not.
 *    A detention of someone already in hospital (informal to section 3, section 2 to 3) is not a
 *    new admission. The first admission in a history, with no discharge before it, is not a
 *    readmission.
 */
export const admissionEventTypes = ['detention-started', 'admitted-informally'] as const;
export const dischargeEventTypes = ['left-hospital'] as const;

export interface HospitalEvent {
  id: string;
  type: string;
  occurredOn: IsoDate;
  /** Order among events of the same date. */
  sequence: number;
}

export interface Readmission {
  /** The admission event's id: the learning review is for it. */
  admissionEventId: string;
  admittedOn: IsoDate;
  dischargedOn: IsoDate;
}

const isAdmission = (type: string) => (admissionEventTypes as readonly string[]).includes(type);
const isDischarge = (type: string) => (dischargeEventTypes as readonly string[]).includes(type);

/** A person's readmissions within twelve months of the previous discharge, in date order. */
export function readmissionsWithinTwelveMonths(events: readonly HospitalEvent[]): Readmission[] {
  const ordered = [...events].sort((a, b) => compareDates(a.occurredOn, b.occurredOn) || a.sequence - b.sequence);
  const out: Readmission[] = [];
  let lastDischarge: IsoDate | null = null;
  let inHospital = false;
  for (const e of ordered) {
    if (isDischarge(e.type)) {
      lastDischarge = e.occurredOn;
      inHospital = false;
    } else if (isAdmission(e.type)) {
      // A detention of someone already in hospital (informal to section 3, or section 2 to 3)
      // is not a new admission.
      if (!inHospital && lastDischarge !== null && toDayNumber(e.occurredOn) - toDayNumber(lastDischarge) <= READMISSION_DAYS) {
        out.push({ admissionEventId: e.id, admittedOn: e.occurredOn, dischargedOn: lastDischarge });
      }
      inHospital = true;
    }
  }
  return out;
}

/** Whether an escalation outcome prompts a learning review (a crisis). */
export function outcomePromptsLearningReview(outcome: EscalationOutcome): boolean {
  return outcome === 'crisis-team-involved';
}
