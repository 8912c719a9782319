/**
 * Care Act assessment, eligibility and financial assessment for the needs that are not section 117
 * (issue 16, item 7). Pure: no clock, no database.
 *
 * Sources:
 * - Eligibility: the Care and Support (Eligibility Criteria) Regulations 2015 (SI 2015/313),
 *   regulation 2. An adult's needs meet the criteria if (a) they arise from or are related to a
 *   physical or mental impairment or illness, (b) as a result the adult is unable to achieve two or
 *   more of the outcomes in reg 2(2), and (c) as a consequence there is, or is likely to be, a
 *   significant impact on the adult's well-being (reg 2(1)). "Unable to achieve" includes the four
 *   cases of reg 2(3). https://www.legislation.gov.uk/uksi/2015/313/regulation/2
 * - The assessment itself: Care Act 2014, section 9 (needs assessment) and section 13 (the
 *   eligibility determination, made in writing).
 * - Charging: Care Act 2014, section 14 (power to charge for meeting needs under ss18–20), section
 *   17 (assessment of financial resources); a charge "may not exceed the cost that is incurred in
 *   meeting the needs to which it applies" (s14(4)).
 * - Never for section 117: aftercare under the Mental Health Act 1983, section 117 is free; it is not
 *   provided under the Care Act, so its charging powers do not reach it (R v Manchester City Council
 *   ex p Stennett [2002] UKHL 34; Care and Support Statutory Guidance para 8.17; rule R20).
 */

/** The ten outcomes of reg 2(2), in the regulation's order. */
export const careOutcomes = [
  { code: 'nutrition', label: 'Managing and maintaining nutrition', source: 'reg 2(2)(a)' },
  { code: 'personal-hygiene', label: 'Maintaining personal hygiene', source: 'reg 2(2)(b)' },
  { code: 'toilet-needs', label: 'Managing toilet needs', source: 'reg 2(2)(c)' },
  { code: 'clothing', label: 'Being appropriately clothed', source: 'reg 2(2)(d)' },
  { code: 'home-safely', label: 'Being able to make use of their home safely', source: 'reg 2(2)(e)' },
  { code: 'habitable-home', label: 'Maintaining a habitable home environment', source: 'reg 2(2)(f)' },
  { code: 'relationships', label: 'Developing and maintaining family or other personal relationships', source: 'reg 2(2)(g)' },
  { code: 'work-education', label: 'Accessing and engaging in work, training, education or volunteering', source: 'reg 2(2)(h)' },
  { code: 'community', label: 'Making use of necessary facilities or services in the local community, including public transport and recreational facilities or services', source: 'reg 2(2)(i)' },
  { code: 'caring-for-child', label: 'Carrying out any caring responsibilities they have for a child', source: 'reg 2(2)(j)' },
] as const;
export type CareOutcomeCode = (typeof careOutcomes)[number]['code'];
export const careOutcomeCodes: CareOutcomeCode[] = careOutcomes.map((o) => o.code);

/** The ways reg 2(3) says an adult is "unable to achieve" an outcome. */
export const unableWays = [
  { code: 'without-assistance', label: 'They cannot achieve it without help', source: 'reg 2(3)(a)' },
  { code: 'pain-distress-anxiety', label: 'They can without help, but it causes them significant pain, distress or anxiety', source: 'reg 2(3)(b)' },
  { code: 'endangers', label: 'They can without help, but it puts their health or safety, or other people’s, at risk', source: 'reg 2(3)(c)' },
  { code: 'takes-longer', label: 'They can without help, but it takes them significantly longer than would normally be expected', source: 'reg 2(3)(d)' },
] as const;
export type UnableWay = (typeof unableWays)[number]['code'];
export const unableWayCodes: UnableWay[] = unableWays.map((w) => w.code);

export interface OutcomeAnswer {
  /** Whether the adult is unable to achieve the outcome; null when not answered. */
  unable: boolean | null;
  /** How (reg 2(3)); at least one when unable. */
  ways: UnableWay[];
  /** The impact on their well-being, in the assessor's words. */
  impact: string;
}

export interface EligibilityAnswers {
  /** reg 2(1)(a): the needs arise from or relate to a physical or mental impairment or illness. */
  arisesFromImpairment: boolean | null;
  outcomes: Partial<Record<CareOutcomeCode, OutcomeAnswer>>;
  /** reg 2(1)(c): as a consequence, a significant impact (or a likely one) on their well-being. */
  significantImpact: boolean | null;
}

export interface Problem {
  path: string;
  message: string;
}

/** What is missing before an assessment can be completed (a draft may be saved with any of these). */
export function eligibilityProblems(answers: EligibilityAnswers): Problem[] {
  const problems: Problem[] = [];
  if (answers.arisesFromImpairment === null) problems.push({ path: 'arisesFromImpairment', message: 'Say whether their needs arise from or are related to a physical or mental impairment or illness (regulation 2(1)(a))' });
  for (const o of careOutcomes) {
    const answer = answers.outcomes[o.code];
    if (!answer || answer.unable === null) problems.push({ path: `outcome-${o.code}`, message: `Say whether they are able to achieve “${o.label}” (${o.source.replace('reg', 'regulation')})` });
    else if (answer.unable && answer.ways.length === 0) problems.push({ path: `ways-${o.code}`, message: `Say how they are unable to achieve “${o.label}” (regulation 2(3))` });
  }
  if (answers.significantImpact === null) problems.push({ path: 'significantImpact', message: 'Say whether there is, or is likely to be, a significant impact on their well-being (regulation 2(1)(c))' });
  return problems;
}

export interface EligibilityDetermination {
  eligible: boolean;
  /** The outcomes they are unable to achieve. */
  unableToAchieve: CareOutcomeCode[];
  /** Why, in plain words, each part of reg 2(1) citing it. */
  reasons: string[];
}

/**
 * The eligibility determination (Care Act 2014 s13; reg 2(1)): eligible only when all three
 * conditions hold. Call only on complete answers (eligibilityProblems empty).
 */
export function determineEligibility(answers: EligibilityAnswers): EligibilityDetermination {
  const unableToAchieve = careOutcomes.filter((o) => answers.outcomes[o.code]?.unable === true).map((o) => o.code);
  const a = answers.arisesFromImpairment === true;
  const b = unableToAchieve.length >= 2;
  const c = answers.significantImpact === true;
  const reasons = [
    a ? 'Their needs arise from or are related to a physical or mental impairment or illness (regulation 2(1)(a)).' : 'Their needs do not arise from a physical or mental impairment or illness (regulation 2(1)(a)).',
    b
      ? `They are unable to achieve ${unableToAchieve.length} of the outcomes: two or more (regulation 2(1)(b)).`
      : `They are unable to achieve ${unableToAchieve.length === 0 ? 'none' : 'only one'} of the outcomes; the criteria need two or more (regulation 2(1)(b)).`,
    c ? 'As a result there is, or is likely to be, a significant impact on their well-being (regulation 2(1)(c)).' : 'There is not, and is not likely to be, a significant impact on their well-being (regulation 2(1)(c)).',
  ];
  return { eligible: a && b && c, unableToAchieve, reasons };
}

/** A line of a plan the financial assessment may be applied to. */
export interface ChargeableLine {
  id: string;
  /** What the person reads: the service and its provider. */
  label: string;
  /** A section 117 service (it meets a section 117 need). */
  s117: boolean;
  weeklyCostPence: number;
}

export interface AppliedCharge {
  lineId: string;
  weeklyChargePence: number;
}

export type ApplyResult = { ok: true; charges: AppliedCharge[]; chargedPence: number; notChargedPence: number } | { ok: false; problems: Problem[] };

/**
 * Apply an assessed weekly contribution (s17) to the chosen lines of a plan: never to a section
 * 117 service (refused, naming it), each line charged at most its cost (s14(4)), in the order given;
 * what the lines' costs cannot absorb is not charged.
 */
export function applyContribution(weeklyContributionPence: number, lines: ChargeableLine[]): ApplyResult {
  const problems: Problem[] = [];
  if (!Number.isInteger(weeklyContributionPence) || weeklyContributionPence < 0) problems.push({ path: 'weeklyContribution', message: 'Enter the weekly contribution in pounds and pence, 0 or more' });
  if (lines.length === 0) problems.push({ path: 'lines', message: 'Choose at least one service that is not section 117 aftercare' });
  for (const line of lines) {
    if (line.s117) problems.push({ path: 'lines', message: `${line.label} is section 117 aftercare, which is free: a financial assessment cannot apply to it (Mental Health Act 1983, section 117; R v Manchester City Council ex p Stennett [2002] UKHL 34)` });
  }
  if (problems.length > 0) return { ok: false, problems };
  let left = weeklyContributionPence;
  const charges = lines.map((line) => {
    const charge = Math.min(left, Math.max(0, line.weeklyCostPence));
    left -= charge;
    return { lineId: line.id, weeklyChargePence: charge };
  });
  return { ok: true, charges, chargedPence: weeklyContributionPence - left, notChargedPence: left };
}
