/**
 * Data quality rules (issue 7, item 2): what each rule looks for, in plain English, why it
 * matters (with the rule of the catalogue or the source behind it, where there is one), and
 * where each problem is fixed. Pure metadata: the SQL that finds the problems is in
 * quality.queries.ts.
 */

export const STALE_DAYS = 30;

export const qualityRuleIds = [
  'nhs-number',
  'no-responsible-body',
  'no-approved-plan',
  'plan-incomplete',
  'split-basis-missing',
  'review-overdue',
  'flag-unresolved',
  'likely-duplicate',
] as const;
export type QualityRuleId = (typeof qualityRuleIds)[number];

/** Where a problem is fixed. */
export type FixTarget = 'person-edit' | 'event-form' | 'plans' | 'plan' | 'reviews' | 'person-tasks';

export interface QualityRule {
  readonly id: QualityRuleId;
  readonly title: string;
  /** What the rule finds, for the list page. */
  readonly finds: string;
  readonly whyItMatters: string;
  /** The catalogue rule or published source behind it, when there is one. */
  readonly source: string | null;
  readonly fix: FixTarget;
  /** The text of the fix-it link (a visually hidden person's name follows it). */
  readonly fixText: string;
}

export const qualityRules: readonly QualityRule[] = [
  {
    id: 'nhs-number',
    title: 'Missing or invalid NHS number',
    finds: 'People whose stored NHS number is not 10 digits or fails the modulus 11 check digit.',
    whyItMatters: 'The NHS number is how partners, the trust’s systems and national returns match a person. A wrong one links records to the wrong person or to nobody.',
    source: 'NHS Data Dictionary, “NHS Number” data element (modulus 11 check digit)',
    fix: 'person-edit',
    fixText: 'Correct the NHS number',
  },
  {
    id: 'no-responsible-body',
    title: 'No responsible local authority or ICB',
    finds: 'People who are entitled, or detained on a qualifying section, without a responsible local authority or a responsible ICB.',
    whyItMatters: 'Section 117 aftercare is a joint duty of one local authority and one ICB. Until both are known nobody is clearly accountable for planning and paying for aftercare. Record the missing legal history (ordinary residence, GP registration) so the rules engine can decide.',
    source: 'R14 and R17 (MHA 1983 s117(3))',
    fix: 'event-form',
    fixText: 'Record an event',
  },
  {
    id: 'no-approved-plan',
    title: 'Entitled with no approved plan',
    finds: 'People entitled to section 117 aftercare who have no approved aftercare plan.',
    whyItMatters: 'Every entitled person needs an agreed aftercare plan setting out their needs, the services that meet them and who pays. Without one, services cannot be shown to meet the duty.',
    source: 'R19 and R29 (MHA 1983 s117(2), (6); MHA Code of Practice 2015 ch.33)',
    fix: 'plans',
    fixText: 'Go to the plans',
  },
  {
    id: 'plan-incomplete',
    title: 'Plan with unclassified needs, or a draft older than 30 days',
    finds: `People whose current plan has a need the rules engine has not classified, or whose draft plan was started more than ${STALE_DAYS} days ago.`,
    whyItMatters: 'Each need must be classified as section 117 or not, so the person is never charged for section 117 aftercare and each service has the right funder. A draft left for weeks usually means the plan was never agreed.',
    source: 'R19 and R29',
    fix: 'plan',
    fixText: 'Open the plan',
  },
  {
    id: 'split-basis-missing',
    title: 'Service without a recorded split basis',
    finds: 'People whose approved plan has a service with no basis recorded for the split of its cost between the local authority and the ICB.',
    whyItMatters: 'There is no national default split: each package records how its cost is shared and on what basis. Without the basis, the split cannot be explained to auditors or defended in a funding dispute.',
    source: 'R26 (HSC 2000/003 LAC(2000)3)',
    fix: 'plans',
    fixText: 'Go to the plans',
  },
  {
    id: 'review-overdue',
    title: 'Review overdue',
    finds: 'Entitled people whose next review date has passed.',
    whyItMatters: 'Aftercare must be reviewed regularly, at least every 12 months, to check the plan still meets the person’s needs and whether section 117 still applies.',
    source: 'R27 and R34 (Camden and Lambeth procedures; LGA framework for section 117, pillar 9)',
    fix: 'reviews',
    fixText: 'Go to the reviews',
  },
  {
    id: 'flag-unresolved',
    title: `Flags unresolved for more than ${STALE_DAYS} days`,
    finds: `People with a task raised by a rules-engine flag that has been open for more than ${STALE_DAYS} days.`,
    whyItMatters: 'The rules engine raises a flag where the law needs a person to decide (for example unclear ordinary residence). Until someone decides, the person’s entitlement or responsible bodies may be wrong.',
    source: null,
    fix: 'person-tasks',
    fixText: 'Go to the task',
  },
  {
    id: 'likely-duplicate',
    title: 'Likely duplicates',
    finds: 'People with another record of the same name and date of birth but a different NHS number.',
    whyItMatters: 'Two records for one person split their history, plans and reviews, and one of the NHS numbers is probably wrong. Aftercare warns about likely duplicates and never merges them: check the records and correct the wrong details.',
    source: null,
    fix: 'person-edit',
    fixText: 'Check the details',
  },
];

export function isQualityRuleId(value: string): value is QualityRuleId {
  return (qualityRuleIds as readonly string[]).includes(value);
}

export function qualityRule(id: QualityRuleId): QualityRule {
  return qualityRules.find((r) => r.id === id)!;
}

/**
 * The data quality score: the share of people (that the actor can see) with no problem, as a
 * whole number from 0 to 100, rounded down so that 100 means no problem at all. Null when there
 * is nobody to score.
 */
export function qualityScore(total: number, withProblems: number): number | null {
  if (total <= 0) return null;
  const clean = Math.max(0, total - Math.min(withProblems, total));
  return Math.floor((clean * 100) / total);
}

/**
 * The same score in tenths of a percent (875 = 87.5%), rounded down, as the daily snapshots
 * store it. Whole percent = floor(tenths / 10), so a snapshot and the page always agree.
 */
export function qualityScoreTenths(total: number, withProblems: number): number | null {
  if (total <= 0) return null;
  const clean = Math.max(0, total - Math.min(withProblems, total));
  return Math.floor((clean * 1000) / total);
}

/** The page that fixes a problem. */
export function fixHref(rule: QualityRule, personId: string, planId: string | null): string {
  switch (rule.fix) {
    case 'person-edit':
      return `/people/${personId}/edit`;
    case 'event-form':
      return `/people/${personId}/events/new`;
    case 'plans':
      return `/people/${personId}/plans`;
    case 'plan':
      return planId ? `/people/${personId}/plans/${planId}` : `/people/${personId}/plans`;
    case 'reviews':
      return `/people/${personId}/reviews`;
    case 'person-tasks':
      return `/people/${personId}`;
  }
}
