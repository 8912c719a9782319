/**
 * Whose agreement an aftercare plan needs before it is approved: each body that pays agrees.
 *
 * Sources (the legal brief, /work/shared/domain/s117-brief.md):
 *  - The duty to provide aftercare is a joint, free-standing duty of the local authority and the
 *    ICB (MHA 1983 s117(2), (2D); Care Act 2014 Explanatory Notes para 447; brief §2). Neither
 *    body can commit the other's money: a plan that spends a body's money needs that body's
 *    agreement.
 *  - There is no national split; the split is a local agreement, decided case by case, often at
 *    a joint panel, and stored per package with its basis (HSC 2000/003 LAC(2000)3; Derbyshire
 *    FOI 1666; Camden's funding panel; rule R26; brief §6).
 *  - Joint decisions are written decisions, with the names of the decision-makers (LGSCO/PHSO
 *    guidance; Camden; brief §4, by analogy with ending aftercare, R9 and R11).
 *
 * A partnership may agree locally (HSC 2000/003: "joint policies stating … how financed") that
 * the ICB's agreement is needed only above an amount a week, and may still want it for health
 * needs whatever the amount. That threshold is a local policy recorded with its basis, not law:
 * with no policy, any cost on the ICB needs the ICB's agreement.
 *
 * Pure: no I/O, no clock.
 */

export type PayingBody = 'local-authority' | 'icb';

export const payingBodyLabels: Readonly<Record<PayingBody, string>> = { 'local-authority': 'the local authority', icb: 'the ICB' };

export interface AgreementPolicy {
  /**
   * The ICB's agreement is needed only when the ICB pays more than this a week (pence). Null:
   * any cost on the ICB needs its agreement (the default).
   */
  readonly icbThresholdWeeklyPence: number | null;
  /** With a threshold: the ICB's agreement is still needed, whatever the amount, when the plan meets a health need it pays towards. */
  readonly icbAlwaysForHealthNeeds: boolean;
}

export const defaultAgreementPolicy: AgreementPolicy = { icbThresholdWeeklyPence: null, icbAlwaysForHealthNeeds: false };

export interface AgreementInput {
  /** What each body pays a week for the plan's services, in pence. */
  readonly weekly: { readonly localAuthorityPence: number; readonly icbPence: number };
  /** Whether a need the ICB pays towards is marked a health need (primary health need, or classified as NHS continuing healthcare). */
  readonly icbPaysForHealthNeed: boolean;
  readonly policy: AgreementPolicy;
}

export interface AgreementDecision {
  /** The bodies that must each agree, in a fixed order (local authority first). */
  readonly required: readonly PayingBody[];
  /** Why, for each body, in plain words. */
  readonly reasons: readonly string[];
}

/**
 * The bodies whose agreement a plan needs. The local authority must agree whenever it pays
 * anything; the ICB whenever it pays anything, unless the partnership's threshold says the amount
 * is small enough for the local authority to commit it alone (and the health-needs option does
 * not apply). A plan that costs neither body anything needs no particular body: either
 * responsible body may approve it, as any plan could before.
 */
export function bodiesThatMustAgree(input: AgreementInput): AgreementDecision {
  const { weekly, policy } = input;
  const required: PayingBody[] = [];
  const reasons: string[] = [];
  if (weekly.localAuthorityPence > 0) {
    required.push('local-authority');
    reasons.push('The local authority pays for services in this plan, so it must agree (s117(2)).');
  }
  if (weekly.icbPence > 0) {
    const threshold = policy.icbThresholdWeeklyPence;
    if (threshold === null) {
      required.push('icb');
      reasons.push('The ICB pays for services in this plan, so it must agree (s117(2)).');
    } else if (weekly.icbPence > threshold) {
      required.push('icb');
      reasons.push('The ICB pays more a week than the partnership’s threshold, so it must agree.');
    } else if (policy.icbAlwaysForHealthNeeds && input.icbPaysForHealthNeed) {
      required.push('icb');
      reasons.push('The ICB pays towards a health need, so it must agree whatever the amount (the partnership’s policy).');
    }
  }
  return { required, reasons };
}

/** The bodies still to agree, given those that have. */
export function bodiesStillToAgree(required: readonly PayingBody[], agreed: readonly PayingBody[]): PayingBody[] {
  return required.filter((b) => !agreed.includes(b));
}
