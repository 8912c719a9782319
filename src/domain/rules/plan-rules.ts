/**
 * Rules about aftercare plans, services and money, which version 1 of the evaluate contract
 * does not carry: charges (R20), top-ups (R22), personal health budgets (R23), funding splits
 * (R26), plan items (R29) and the MHA 2025 s45 fields (R30). Pure functions, each returning its
 * answer with the reasons, for the plan and funding screens to use.
 */
import { type IsoDate } from '../calendar-date.ts';
import { because } from './catalogue.ts';
import type { Reason } from './contract.ts';

// ---------------------------------------------------------------------------
// R20: no charges for section 117 services
// ---------------------------------------------------------------------------

export interface ServiceCharge {
  /** Whether the service is a section 117 service. */
  readonly s117: boolean;
  /** The amount charged to the person, in pence. */
  readonly chargedPence: number;
}

export interface ChargeCheck {
  readonly lawful: boolean;
  readonly refundDuePence: number;
  /** The human work the result creates. */
  readonly task: 'refund' | null;
  readonly reasons: Reason[];
}

export function checkServiceCharge(charge: ServiceCharge): ChargeCheck {
  if (!charge.s117) {
    return {
      lawful: true,
      refundDuePence: 0,
      task: null,
      reasons: [because('R20', 'Not a section 117 service: the no-charging rule does not apply; other charging rules do.')],
    };
  }
  if (charge.chargedPence <= 0) {
    return { lawful: true, refundDuePence: 0, task: null, reasons: [because('R20', 'A section 117 service with no charge.')] };
  }
  return {
    lawful: false,
    refundDuePence: charge.chargedPence,
    task: 'refund',
    reasons: [
      because('R20', `Section 117 services are free: the charge of ${formatPounds(charge.chargedPence)} is not lawful and must be refunded.`),
    ],
  };
}

// ---------------------------------------------------------------------------
// R22: top-ups for preferred accommodation
// ---------------------------------------------------------------------------

export interface TopUpRequest {
  /** The accommodation is the one the person chose in preference to the one arranged for them. */
  readonly preferredAccommodation: boolean;
  readonly preferredWeeklyCostPence: number;
  /** What the authority would usually pay for accommodation that meets the person's needs. */
  readonly usualWeeklyCostPence: number;
  readonly payer: 'person' | 'third-party';
  readonly personAgeYears: number;
}

export interface TopUpDecision {
  readonly allowed: boolean;
  readonly topUpWeeklyPence: number;
  readonly payer: 'person' | 'third-party' | null;
  readonly reasons: Reason[];
}

export function topUpAmount(request: TopUpRequest): TopUpDecision {
  if (!request.preferredAccommodation) {
    return {
      allowed: false,
      topUpWeeklyPence: 0,
      payer: null,
      reasons: [because('R22', 'A top-up can be asked for only for accommodation the person prefers; the arranged accommodation is free.')],
    };
  }
  if (request.personAgeYears < 18) {
    return {
      allowed: false,
      topUpWeeklyPence: 0,
      payer: null,
      reasons: [because('R22', `The choice of accommodation with a top-up is for adults; the person is ${request.personAgeYears}.`)],
    };
  }
  const difference = request.preferredWeeklyCostPence - request.usualWeeklyCostPence;
  if (difference <= 0) {
    return {
      allowed: true,
      topUpWeeklyPence: 0,
      payer: null,
      reasons: [because('R22', 'The preferred accommodation costs no more than usual: no top-up is needed.')],
    };
  }
  return {
    allowed: true,
    topUpWeeklyPence: difference,
    payer: request.payer,
    reasons: [
      because(
        'R22',
        `Top-up ${formatPounds(difference)} a week (preferred ${formatPounds(request.preferredWeeklyCostPence)} minus usual ${formatPounds(request.usualWeeklyCostPence)}), paid by ${request.payer === 'person' ? 'the person' : 'a third party'}.`,
      ),
    ],
  };
}

// ---------------------------------------------------------------------------
// R23: personal health budgets
// ---------------------------------------------------------------------------

/** The right to have a personal health budget for s117 aftercare, in force from this date. */
export const PHB_RIGHT_IN_FORCE: IsoDate = '2019-12-02';

export interface PhbRequest {
  readonly requestedOn: IsoDate;
  /** The services are section 117 services arranged and funded by the ICB. */
  readonly icbFunded: boolean;
  /** A recorded reason why a personal health budget is not appropriate, if any. */
  readonly notAppropriateReason: string | null;
}

export interface PhbDecision {
  readonly decision: 'must-grant' | 'refusal-allowed' | 'right-does-not-apply';
  readonly reasons: Reason[];
}

export function phbRequestDecision(request: PhbRequest): PhbDecision {
  if (request.requestedOn < PHB_RIGHT_IN_FORCE) {
    return {
      decision: 'right-does-not-apply',
      reasons: [because('R23', `The legal right to a personal health budget for section 117 aftercare began on ${PHB_RIGHT_IN_FORCE}.`)],
    };
  }
  if (!request.icbFunded) {
    return {
      decision: 'right-does-not-apply',
      reasons: [
        because('R23', 'The right covers ICB-funded services; local authority services can be taken as a direct payment and stay section 117 aftercare.'),
      ],
    };
  }
  const reason = request.notAppropriateReason?.trim() ?? '';
  if (reason === '') {
    return {
      decision: 'must-grant',
      reasons: [because('R23', 'No reason why a personal health budget is not appropriate is recorded: the ICB must grant the request.')],
    };
  }
  return {
    decision: 'refusal-allowed',
    reasons: [because('R23', `The ICB may refuse, for the recorded reason: ${reason}.`)],
  };
}

// ---------------------------------------------------------------------------
// R26: funding split per package, no national default
// ---------------------------------------------------------------------------

export interface FundingSplit {
  readonly localAuthorityPercent: number;
  readonly icbPercent: number;
  /** Why the split was agreed, for example "mostly health needs: medication prompts". */
  readonly basis: string;
}

export interface ItemCheck {
  readonly valid: boolean;
  readonly problems: string[];
  readonly reasons: Reason[];
}

export function checkFundingSplit(split: FundingSplit | null): ItemCheck {
  if (split === null) {
    return {
      valid: false,
      problems: ['Record how this package\'s cost is split between the local authority and the ICB: there is no national default'],
      reasons: [because('R26', 'No split recorded; a default (such as 50/50) is not assumed.')],
    };
  }
  const problems: string[] = [];
  const shares = [split.localAuthorityPercent, split.icbPercent];
  if (shares.some((share) => !Number.isFinite(share) || share < 0 || share > 100)) {
    problems.push('Each share must be a percentage from 0 to 100');
  } else if (Math.abs(split.localAuthorityPercent + split.icbPercent - 100) > 1e-9) {
    // Rounded for the message: 50 + 50.01 is 100.00999999999999 in floating point.
    problems.push(`The shares must add up to 100%; they add up to ${Math.round((split.localAuthorityPercent + split.icbPercent) * 1e6) / 1e6}%`);
  }
  if (split.basis.trim() === '') problems.push('Record the basis on which the split was agreed');
  return {
    valid: problems.length === 0,
    problems,
    reasons: [
      because(
        'R26',
        problems.length === 0
          ? `Split ${split.localAuthorityPercent}% local authority, ${split.icbPercent}% ICB, agreed on this basis: ${split.basis.trim()}.`
          : 'The split is not complete.',
      ),
    ],
  };
}

// ---------------------------------------------------------------------------
// R29: plan items tagged section 117 or not, with a funder
// ---------------------------------------------------------------------------

export const funders = ['local-authority', 'icb', 'joint', 'person', 'other'] as const;
export type Funder = (typeof funders)[number];

export interface PlanItem {
  readonly s117: boolean | null;
  readonly funder: Funder | null;
}

export function checkPlanItem(item: PlanItem): ItemCheck {
  const problems: string[] = [];
  if (item.s117 === null) problems.push('Say whether this item is a section 117 service');
  if (item.funder === null) problems.push('Say who funds this item');
  if (item.s117 === true && item.funder === 'person') problems.push('A section 117 service cannot be funded by the person: it is free');
  return {
    valid: problems.length === 0,
    problems,
    reasons: [
      because(
        'R29',
        problems.length === 0
          ? `Tagged ${item.s117 ? 'section 117' : 'not section 117'}, funded by ${item.funder}.`
          : 'Each plan item must be tagged section 117 or not, with its funder.',
      ),
    ],
  };
}

// ---------------------------------------------------------------------------
// R30: MHA 2025 s45 fields
// ---------------------------------------------------------------------------

/** Whether the MHA 2025 s45 (tribunal recommendations about after-care) fields are active on a date. */
export function s45FieldsActive(policy: { readonly mha2025s45CommencedOn: IsoDate | null }, onDate: IsoDate): boolean {
  return policy.mha2025s45CommencedOn !== null && onDate >= policy.mha2025s45CommencedOn;
}

function formatPounds(pence: number): string {
  const pounds = pence / 100;
  return `£${Number.isInteger(pounds) ? pounds.toString() : pounds.toFixed(2)}`;
}
