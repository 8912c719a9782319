/**
 * Which needs are section 117 needs: the two statutory tests of s117(6) (R19), the
 * accommodation-plus test (R21), and only for a person who is, or is about to be, entitled (R39).
 *
 * `classifyNeed` serves the evaluate contract (version 1). `classifyPlanNeed` serves the plan
 * screens: it takes the need's domain, requires the accommodation-plus feature to be described
 * (R42), and says what meets a need that is not a section 117 need (R43–R46).
 */
import { because } from './catalogue.ts';
import type { Need, NeedDecision, Reason, Status } from './contract.ts';

/** R19 (a): the need arises from or relates to the person's mental disorder. */
function arisesFromMentalDisorder(need: Pick<Need, 'arisesFromMentalDisorder'>): Reason {
  return because(
    'R19',
    need.arisesFromMentalDisorder
      ? 'Test (a) met: the need arises from or relates to the person\'s mental disorder (any mental disorder, including a later or different one).'
      : 'Test (a) not met: the need does not arise from or relate to the person\'s mental disorder.',
  );
}

/** R19 (b): meeting the need reduces the risk of deterioration and of readmission. */
function reducesRiskOfDeterioration(need: Pick<Need, 'reducesRiskOfDeterioration'>): Reason {
  return because(
    'R19',
    need.reducesRiskOfDeterioration
      ? 'Test (b) met: meeting the need reduces the risk of the person\'s mental condition deteriorating, and so of readmission.'
      : 'Test (b) not met: meeting the need does not reduce the risk of the person\'s mental condition deteriorating.',
  );
}

/** R21: accommodation counts only when it is enhanced or specialised ("accommodation-plus"). */
function accommodationPlus(need: Pick<Need, 'accommodation'>): Reason | null {
  if (!need.accommodation) return null;
  return because(
    'R21',
    need.accommodation.enhancedSpecialised
      ? 'Accommodation-plus: the accommodation has enhanced or specialised features because of the mental disorder.'
      : 'Ordinary accommodation is a common need, not aftercare: rent and ordinary housing costs are not section 117 services.',
  );
}

/** R39: only a person who is entitled, or pending, has section 117 needs. */
function personHasSection117(status: Status): Reason {
  switch (status) {
    case 'entitled':
      return because('R39', 'The person is entitled to section 117 aftercare.');
    case 'pending':
      return because('R39', 'The person\'s entitlement is pending: aftercare is planned before discharge.');
    case 'manual-review':
      return because('R39', 'Whether the person is entitled needs manual review, so no need is section 117 yet.');
    case 'ended':
      return because('R39', 'The person\'s entitlement has ended, so no need is section 117.');
    case 'not-entitled':
      return because('R39', 'The person is not entitled to section 117 aftercare, so no need is section 117.');
  }
}

export function classifyNeed(need: Need, status: Status): NeedDecision {
  const accommodation = accommodationPlus(need);
  const reasons = [arisesFromMentalDisorder(need), reducesRiskOfDeterioration(need)];
  if (accommodation) reasons.push(accommodation);
  reasons.push(personHasSection117(status));
  const s117 =
    need.arisesFromMentalDisorder &&
    need.reducesRiskOfDeterioration &&
    (need.accommodation === undefined || need.accommodation.enhancedSpecialised) &&
    (status === 'entitled' || status === 'pending');
  return { id: need.id, s117, reasons };
}

// ---------------------------------------------------------------------------
// Plan needs: domains, accommodation-plus features, and what meets other needs
// ---------------------------------------------------------------------------

/** The domains a plan's needs are assessed in, in the order the plan shows them. */
export const needDomains = [
  { id: 'mental-health-relapse-prevention', label: 'Mental health and relapse prevention' },
  { id: 'accommodation', label: 'Accommodation' },
  { id: 'daily-living', label: 'Daily living' },
  { id: 'medication', label: 'Medication' },
  { id: 'physical-health', label: 'Physical health' },
  { id: 'substance-use', label: 'Substance use' },
  { id: 'finances-benefits', label: 'Finances and benefits' },
  { id: 'work-education-volunteering', label: 'Work, education and volunteering' },
  { id: 'relationships-social-inclusion', label: 'Relationships and social inclusion' },
  { id: 'safety-risk', label: 'Safety and risk' },
  { id: 'carers', label: 'Carers' },
] as const;
export type NeedDomain = (typeof needDomains)[number]['id'];

/** The domain ids, as a non-empty tuple for `z.enum`. */
export const needDomainIds = needDomains.map((d) => d.id) as unknown as readonly [NeedDomain, ...NeedDomain[]];

const domainLabels: ReadonlyMap<string, string> = new Map(needDomains.map((d) => [d.id, d.label]));

/** "Mental health and relapse prevention" for 'mental-health-relapse-prevention'. */
export function needDomainLabel(domain: NeedDomain): string {
  return domainLabels.get(domain)!;
}

/** What meets a need: section 117 aftercare, or the law that applies when it is not. */
export const needCategories = ['section-117', 'care-act', 'nhs-chc', 'other-nhs', 'universal'] as const;
export type NeedCategory = (typeof needCategories)[number];

export const needCategoryLabels: Readonly<Record<NeedCategory, string>> = {
  'section-117': 'Section 117 aftercare',
  'care-act': 'Care Act 2014 (eligible need)',
  'nhs-chc': 'NHS Continuing Healthcare',
  'other-nhs': 'Other NHS services',
  universal: 'Universal and community services',
};

export interface PlanNeedInput {
  readonly domain: NeedDomain;
  /** Section 117(6)(a): the need arises from or relates to the person's mental disorder. */
  readonly arisesFromMentalDisorder: boolean;
  /** Section 117(6)(b): meeting it reduces the risk of deterioration (and of readmission). */
  readonly reducesRiskOfDeterioration: boolean;
  /** For an accommodation need: whether it is enhanced or specialised, and the feature that makes it so. */
  readonly accommodation?: { readonly enhancedSpecialised: boolean; readonly feature?: string };
  /** The need is part of a primary health need (NHS Continuing Healthcare eligibility). */
  readonly primaryHealthNeed?: boolean;
  /** Any other health need the NHS meets. */
  readonly healthNeed?: boolean;
  /** The need meets the Care Act national eligibility criteria. */
  readonly eligibleCareActNeed?: boolean;
}

export interface PlanNeedClassification {
  readonly category: NeedCategory;
  readonly s117: boolean;
  readonly reasons: Reason[];
  /** One plain sentence for the plan: what meets the need, who funds it, and whether it is free. */
  readonly summary: string;
}

const categorySummaries: Readonly<Record<NeedCategory, string>> = {
  'section-117':
    'Section 117 aftercare: arranged jointly by the local authority and the ICB, and free to the person.',
  'nhs-chc':
    'Not section 117: NHS Continuing Healthcare (a primary health need), arranged and funded by the ICB, and free to the person.',
  'other-nhs':
    'Not section 117: met by NHS services, free at the point of use except where the law allows a charge (such as prescriptions).',
  'care-act':
    'Not section 117: an eligible need under the Care Act 2014, met by the local authority, and may be charged for after a financial assessment.',
  universal:
    'Not section 117: met by universal and community services (such as ordinary housing), on the same terms as anyone else.',
};

/**
 * R21 and R42 for a plan need: accommodation is section 117 only as accommodation-plus, and
 * only once the enhanced feature is described. Null when the need is not about accommodation.
 */
function planAccommodation(input: PlanNeedInput): { reasons: Reason[]; qualifies: boolean } | null {
  if (input.domain !== 'accommodation' && input.accommodation === undefined) return null;
  const accommodation = input.accommodation ?? { enhancedSpecialised: false };
  if (!accommodation.enhancedSpecialised) {
    return { reasons: [accommodationPlus({ accommodation })!], qualifies: false };
  }
  const feature = accommodation.feature?.trim() ?? '';
  if (feature === '') {
    return {
      qualifies: false,
      reasons: [
        because(
          'R42',
          'The accommodation is marked enhanced or specialised, but the feature that makes it so is not described: record the feature (for example 24-hour staffed support) before it can count as accommodation-plus.',
        ),
      ],
    };
  }
  return {
    qualifies: true,
    reasons: [accommodationPlus({ accommodation })!, because('R42', `The enhanced or specialised feature recorded: ${feature}.`)],
  };
}

/** R43–R46: what meets a need that is not a section 117 need. */
function otherCategory(input: PlanNeedInput): { category: Exclude<NeedCategory, 'section-117'>; reason: Reason } {
  if (input.primaryHealthNeed === true) {
    return {
      category: 'nhs-chc',
      reason: because('R43', 'The need is part of a primary health need: NHS Continuing Healthcare, funded by the ICB and free to the person.'),
    };
  }
  if (input.healthNeed === true) {
    return {
      category: 'other-nhs',
      reason: because('R44', 'A health need: met by NHS services under the NHS Act 2006.'),
    };
  }
  if (input.eligibleCareActNeed === true) {
    return {
      category: 'care-act',
      reason: because(
        'R45',
        'An eligible need under the Care Act 2014 (section 13 and the Eligibility Criteria Regulations 2015): met by the local authority and may be charged for.',
      ),
    };
  }
  return {
    category: 'universal',
    reason: because('R46', 'Not a health need or an eligible care need: met by universal and community services, such as ordinary housing.'),
  };
}

/**
 * Classify a need in an aftercare plan: section 117 (both s117(6) tests, accommodation-plus with
 * its feature described, and a person who is entitled or pending), or else what meets it.
 */
export function classifyPlanNeed(input: PlanNeedInput, status: Status): PlanNeedClassification {
  const reasons = [arisesFromMentalDisorder(input), reducesRiskOfDeterioration(input)];
  const accommodation = planAccommodation(input);
  if (accommodation) reasons.push(...accommodation.reasons);
  reasons.push(personHasSection117(status));
  const s117 =
    input.arisesFromMentalDisorder &&
    input.reducesRiskOfDeterioration &&
    (accommodation === null || accommodation.qualifies) &&
    (status === 'entitled' || status === 'pending');
  if (s117) return { category: 'section-117', s117: true, reasons, summary: categorySummaries['section-117'] };
  const other = otherCategory(input);
  reasons.push(other.reason);
  return { category: other.category, s117: false, reasons, summary: categorySummaries[other.category] };
}
