/**
 * Mental capacity and best interests (issue 16, items 2 and 3; docs/mental-capacity.md). The rules
 * of the Mental Capacity Act 2005 that a capacity assessment and a best-interests decision must
 * follow, as pure functions: no clock, no database. Every rule cites its source.
 *
 * A capacity assessment is decision-specific and time-specific (MCA 2005 s2(1): "at the material
 * time … in relation to the matter"): one decision, at one date and time, by one assessor.
 */

import { addDays } from './calendar-date.ts';

/* ---------- The principles (MCA 2005 s1) ---------- */

/** The five statutory principles, shown on the form and the assessment's page. */
export const principles = [
  { section: 'Mental Capacity Act 2005, section 1(2)', text: 'A person must be assumed to have capacity unless it is established that they lack capacity.' },
  { section: 'Mental Capacity Act 2005, section 1(3)', text: 'A person is not to be treated as unable to make a decision unless all practicable steps to help them to do so have been taken without success.' },
  { section: 'Mental Capacity Act 2005, section 1(4)', text: 'A person is not to be treated as unable to make a decision merely because they make an unwise decision.' },
  { section: 'Mental Capacity Act 2005, section 1(5)', text: 'An act done, or decision made, for a person who lacks capacity must be done, or made, in their best interests.' },
  { section: 'Mental Capacity Act 2005, section 1(6)', text: 'Before the act is done, or the decision is made, regard must be had to whether the purpose can be as effectively achieved in a way that is less restrictive of the person’s rights and freedom of action.' },
] as const;

/* ---------- What the decision is about ---------- */

/** The kind of decision, for finding assessments about the same matter (ending aftercare is read by the ending checklist). */
export const decisionTopics = ['accommodation', 'care-and-support', 'treatment', 'ending-aftercare', 'finances', 'contact', 'other'] as const;
export type DecisionTopic = (typeof decisionTopics)[number];
export const decisionTopicLabels: Record<DecisionTopic, string> = {
  accommodation: 'Where to live (accommodation)',
  'care-and-support': 'Care and support',
  treatment: 'Medical treatment',
  'ending-aftercare': 'Ending section 117 aftercare',
  finances: 'Money and property',
  contact: 'Contact with others',
  other: 'Another decision',
};
export const isDecisionTopic = (v: string): v is DecisionTopic => (decisionTopics as readonly string[]).includes(v);

/** What a capacity outcome can be attached to (issue 16, item 2): stored as the thing's kind and id. */
export const attachmentKinds = ['need', 'plan', 'move', 'ending'] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];
export const attachmentKindLabels: Record<AttachmentKind, string> = {
  need: 'A need on the aftercare plan',
  plan: 'A decision on the aftercare plan',
  move: 'A move to a new address',
  ending: 'A proposal to end aftercare',
};
export const isAttachmentKind = (v: string): v is AttachmentKind => (attachmentKinds as readonly string[]).includes(v);

/* ---------- The test (MCA 2005 ss2 and 3) ---------- */

/** The four functional abilities of s3(1): unable to do any one of them is unable to make the decision. */
export const functionalAbilities = [
  { key: 'understand', label: 'Understand the information relevant to the decision', section: 'Mental Capacity Act 2005, section 3(1)(a)' },
  { key: 'retain', label: 'Retain that information', section: 'Mental Capacity Act 2005, section 3(1)(b)' },
  { key: 'useOrWeigh', label: 'Use or weigh that information as part of the process of making the decision', section: 'Mental Capacity Act 2005, section 3(1)(c)' },
  { key: 'communicate', label: 'Communicate the decision (by talking, sign language or any other means)', section: 'Mental Capacity Act 2005, section 3(1)(d)' },
] as const;
export type AbilityKey = (typeof functionalAbilities)[number]['key'];
export const abilityKeys: readonly AbilityKey[] = functionalAbilities.map((a) => a.key);

/** An answer to one functional ability: able ("met"), not able ("not-met"), or not yet answered (''). */
export const abilityAnswers = ['met', 'not-met'] as const;
export type AbilityAnswer = (typeof abilityAnswers)[number];
export const abilityAnswerLabels: Record<AbilityAnswer, string> = { met: 'Able to', 'not-met': 'Not able to' };

export const yesNo = ['yes', 'no'] as const;
export type YesNo = (typeof yesNo)[number];

export const capacityOutcomes = ['has-capacity', 'lacks-capacity'] as const;
export type CapacityOutcome = (typeof capacityOutcomes)[number];
export const capacityOutcomeLabels: Record<CapacityOutcome, string> = {
  'has-capacity': 'Has capacity for this decision',
  'lacks-capacity': 'Lacks capacity for this decision',
};

/** The assessment as recorded: every text may be empty and every answer unanswered ('') while it is a draft. */
export interface CapacityAnswers {
  decision: string;
  /** The information relevant to the decision: its reasonably foreseeable consequences (s3(4)). */
  relevantInformation: string;
  /** The practicable steps taken to help the person decide (s1(3), s3(2)). */
  practicableSteps: string;
  /** Stage 1 (s2(1)): an impairment of, or a disturbance in the functioning of, the mind or brain. */
  impairment: YesNo | '';
  impairmentDetail: string;
  /** The causal link (s2(1) "because of"): the inability is because of the impairment. */
  causalLink: YesNo | '';
  causalLinkEvidence: string;
  abilities: Record<AbilityKey, { answer: AbilityAnswer | ''; evidence: string }>;
}

export interface CompletionProblem {
  /** The field the problem is about (the form's name for it). */
  field: string;
  message: string;
}

const blank = (s: string) => s.trim() === '';

/**
 * What stops an assessment being completed, each naming the missing part and its section. Empty
 * when it may be completed. A draft may be saved with any of these missing.
 */
export function completionProblems(a: CapacityAnswers): CompletionProblem[] {
  const problems: CompletionProblem[] = [];
  // s2(1) "in relation to the matter": capacity is about one decision.
  if (blank(a.decision)) problems.push({ field: 'decision', message: 'Enter the decision the person is being assessed for (Mental Capacity Act 2005, section 2(1)): capacity is about one decision at one time' });
  // s3(4): the relevant information includes the reasonably foreseeable consequences of deciding either way.
  if (blank(a.relevantInformation)) problems.push({ field: 'relevantInformation', message: 'Enter the information relevant to the decision, including the likely consequences of each choice (Mental Capacity Act 2005, section 3(4))' });
  // s1(3): not to be treated as unable unless all practicable steps have been taken without success.
  if (blank(a.practicableSteps)) problems.push({ field: 'practicableSteps', message: 'Enter the practicable steps taken to help the person make the decision (Mental Capacity Act 2005, section 1(3))' });
  // s3(1)(a)–(d): each ability answered, with the evidence for the answer.
  for (const ability of functionalAbilities) {
    const given = a.abilities[ability.key];
    const short = ability.label.split(' (')[0]!.toLowerCase();
    if (given.answer === '') problems.push({ field: ability.key, message: `Say whether the person is able to ${short} (${ability.section})` });
    else if (blank(given.evidence)) problems.push({ field: `${ability.key}Evidence`, message: `Enter the evidence for whether the person is able to ${short} (${ability.section})` });
  }
  // s2(1): stage 1, the impairment or disturbance.
  if (a.impairment === '') problems.push({ field: 'impairment', message: 'Say whether the person has an impairment of, or a disturbance in the functioning of, the mind or brain (Mental Capacity Act 2005, section 2(1))' });
  else if (a.impairment === 'yes' && blank(a.impairmentDetail)) problems.push({ field: 'impairmentDetail', message: 'Describe the impairment or disturbance and the evidence for it (Mental Capacity Act 2005, section 2(1))' });
  // s2(1) "because of": only in question when the person is unable to decide and has an impairment.
  if (causalLinkInQuestion(a)) {
    if (a.causalLink === '') problems.push({ field: 'causalLink', message: 'Say whether the person is unable to make the decision because of the impairment or disturbance (Mental Capacity Act 2005, section 2(1))' });
    else if (blank(a.causalLinkEvidence)) problems.push({ field: 'causalLinkEvidence', message: 'Enter the evidence for the causal link, or its absence (Mental Capacity Act 2005, section 2(1))' });
  }
  return problems;
}

/** Whether any functional ability is answered "not able to" (s3(1): one is enough to be unable to decide). */
export function unableToDecide(a: Pick<CapacityAnswers, 'abilities'>): boolean {
  return abilityKeys.some((k) => a.abilities[k].answer === 'not-met');
}

/**
 * The causal link is asked only when both halves are present: an inability to decide (s3(1)) and
 * an impairment (s2(1)). A Local Authority v JB [2021] UKSC 52, paragraph 78: the functional test
 * first, then whether the inability is "because of" the impairment.
 */
export function causalLinkInQuestion(a: Pick<CapacityAnswers, 'abilities' | 'impairment'>): boolean {
  return a.impairment === 'yes' && unableToDecide(a);
}

/**
 * The outcome (MCA 2005 ss1(2), 2(1), 3(1)): the person lacks capacity for this decision only when
 * an impairment or disturbance is present (s2(1)), they are unable to make the decision because of
 * it (the causal link, s2(1)), and at least one functional ability is not met (s3(1)). In every
 * other case the presumption of capacity stands (s1(2)).
 */
export function capacityOutcome(a: Pick<CapacityAnswers, 'abilities' | 'impairment' | 'causalLink'>): CapacityOutcome {
  return a.impairment === 'yes' && a.causalLink === 'yes' && unableToDecide(a) ? 'lacks-capacity' : 'has-capacity';
}

/** Why the outcome is what it is, in plain words with the section, for the assessment's page. */
export function outcomeReason(a: Pick<CapacityAnswers, 'abilities' | 'impairment' | 'causalLink'>): string {
  if (capacityOutcome(a) === 'lacks-capacity') {
    const unable = functionalAbilities.filter((f) => a.abilities[f.key].answer === 'not-met').map((f) => f.label.split(' (')[0]!.toLowerCase());
    return `Unable to ${unable.join('; or ')} (Mental Capacity Act 2005, section 3(1)), because of an impairment of, or a disturbance in the functioning of, the mind or brain (section 2(1)).`;
  }
  if (!unableToDecide(a)) return 'Able to understand, retain, use or weigh the information and communicate the decision (Mental Capacity Act 2005, section 3(1)), so capacity is not displaced (section 1(2)).';
  if (a.impairment !== 'yes') return 'Unable to make the decision, but not because of an impairment of, or a disturbance in the functioning of, the mind or brain, so the presumption of capacity stands (Mental Capacity Act 2005, sections 1(2) and 2(1)).';
  return 'Unable to make the decision, but not because of the impairment or disturbance (no causal link), so the presumption of capacity stands (Mental Capacity Act 2005, sections 1(2) and 2(1)).';
}

/**
 * Executive functioning: a person may describe well what they would do and yet be unable to do it
 * when the moment comes (the gap between what they say and what they do). Where that is so, the
 * assessment should record it, and the evidence of what actually happened, as part of "use or
 * weigh" (s3(1)(c)). Source: Mental Capacity Act 2005 Code of Practice, paragraph 4.21; Royal
 * Borough of Greenwich v CDM [2019] EWCOP 32; A Local Authority v ZX [2024] EWCOP 22 (the need for
 * evidence of the mismatch beyond the interview).
 */
export const executiveFunctioningHint =
  'Where it is relevant: the gap between what the person says they would do and what they actually do, with the evidence of what happened. It belongs to whether they can use or weigh the information (Mental Capacity Act 2005, section 3(1)(c); Code of Practice, paragraph 4.21).';

/* ---------- Best interests (MCA 2005 s4) ---------- */

export const bestInterestsKinds = ['meeting', 'decision'] as const;
export type BestInterestsKind = (typeof bestInterestsKinds)[number];
export const bestInterestsKindLabels: Record<BestInterestsKind, string> = { meeting: 'Best-interests meeting', decision: 'Best-interests decision (without a meeting)' };

/** A best-interests decision follows an assessment that found the person lacks capacity for that decision (s1(5), s4). */
export function mayFollowAssessment(a: { status: string; outcome: string | null }): boolean {
  return a.status === 'completed' && a.outcome === 'lacks-capacity';
}

/**
 * IMCA (MCA 2005 ss35–39): an independent mental capacity advocate must be instructed for
 * serious medical treatment by an NHS body (s37) or long-term accommodation arranged by an NHS
 * body (s38) or a local authority (s39) when there is no one, other than paid carers, whom it
 * would be appropriate to consult in working out the person's best interests. The decision-maker
 * must take the IMCA's report into account (s37(5), s38(5), s39(6)).
 */
export function imcaRequired(noOneAppropriateToConsult: boolean): boolean {
  return noOneAppropriateToConsult;
}

/** How many days the partnership allows for an IMCA's report before it is chased, unless it chooses otherwise. */
export const DEFAULT_IMCA_REPORT_DAYS = 28;

/** The day an instruction's report becomes overdue: `days` after it was instructed (YYYY-MM-DD calendar arithmetic). */
export function imcaReportDueOn(instructedOn: string, days: number): string {
  return addDays(instructedOn, days);
}

/** An instruction with no report received is overdue once the due day has come. */
export function imcaReportOverdue(i: { instructedOn: string; reportReceivedOn: string | null }, today: string, days: number): boolean {
  return i.reportReceivedOn === null && imcaReportDueOn(i.instructedOn, days) <= today;
}

/** The checklist's line about capacity (issue 16, item 2): the latest completed assessment about ending aftercare, or none. */
export function endingCapacityLine(latest: { outcome: CapacityOutcome; assessedOn: string; assessedBy: string } | null, formatDate: (iso: string) => string): string {
  if (!latest) return 'No completed capacity assessment about ending aftercare is recorded. The person is presumed to have capacity to take part in the decision unless it is established that they lack it (Mental Capacity Act 2005, section 1(2)).';
  return `${capacityOutcomeLabels[latest.outcome]}: assessed on ${formatDate(latest.assessedOn)} by ${latest.assessedBy} (Mental Capacity Act 2005, sections 2 and 3).`;
}
