import { describe, expect, it } from 'vitest';
import { bodiesStillToAgree, bodiesThatMustAgree, defaultAgreementPolicy } from './funding-agreement.ts';

// Source: the legal brief (/work/shared/domain/s117-brief.md) §2 (joint duty, s117(2)), §6 and
// R26 (no national split; local agreement, often at a joint panel, HSC 2000/003).
const weekly = (localAuthorityPence: number, icbPence: number) => ({ localAuthorityPence, icbPence });

describe('each body that pays agrees (s117(2) joint duty; R26 local agreement)', () => {
  it('needs both bodies when both pay, by default', () => {
    expect(bodiesThatMustAgree({ weekly: weekly(40_000, 72_500), icbPaysForHealthNeed: false, policy: defaultAgreementPolicy }).required).toEqual(['local-authority', 'icb']);
  });

  it('needs only the body that pays when one pays everything', () => {
    expect(bodiesThatMustAgree({ weekly: weekly(14_700, 0), icbPaysForHealthNeed: false, policy: defaultAgreementPolicy }).required).toEqual(['local-authority']);
    expect(bodiesThatMustAgree({ weekly: weekly(0, 6_800), icbPaysForHealthNeed: true, policy: defaultAgreementPolicy }).required).toEqual(['icb']);
  });

  it('needs no particular body for a plan that costs nothing', () => {
    expect(bodiesThatMustAgree({ weekly: weekly(0, 0), icbPaysForHealthNeed: false, policy: defaultAgreementPolicy }).required).toEqual([]);
  });

  it('by default needs the ICB for a single penny a week', () => {
    expect(bodiesThatMustAgree({ weekly: weekly(10_000, 1), icbPaysForHealthNeed: false, policy: defaultAgreementPolicy }).required).toEqual(['local-authority', 'icb']);
  });

  it('with a threshold of £100 a week needs the ICB only above it (£100.00 is not above; £100.01 is)', () => {
    const policy = { icbThresholdWeeklyPence: 10_000, icbAlwaysForHealthNeeds: false };
    expect(bodiesThatMustAgree({ weekly: weekly(5_000, 10_000), icbPaysForHealthNeed: false, policy }).required).toEqual(['local-authority']);
    expect(bodiesThatMustAgree({ weekly: weekly(5_000, 10_001), icbPaysForHealthNeed: false, policy }).required).toEqual(['local-authority', 'icb']);
  });

  it('with a threshold and "always for health needs", needs the ICB below the threshold when it pays towards a health need', () => {
    const policy = { icbThresholdWeeklyPence: 10_000, icbAlwaysForHealthNeeds: true };
    expect(bodiesThatMustAgree({ weekly: weekly(5_000, 2_000), icbPaysForHealthNeed: true, policy }).required).toEqual(['local-authority', 'icb']);
    expect(bodiesThatMustAgree({ weekly: weekly(5_000, 2_000), icbPaysForHealthNeed: false, policy }).required).toEqual(['local-authority']);
  });

  it('never lets a threshold excuse the local authority: it agrees whenever it pays', () => {
    const policy = { icbThresholdWeeklyPence: 1_000_000, icbAlwaysForHealthNeeds: false };
    expect(bodiesThatMustAgree({ weekly: weekly(1, 0), icbPaysForHealthNeed: false, policy }).required).toEqual(['local-authority']);
  });

  it('gives a reason for each body it asks for', () => {
    const decision = bodiesThatMustAgree({ weekly: weekly(1, 1), icbPaysForHealthNeed: false, policy: defaultAgreementPolicy });
    expect(decision.reasons).toHaveLength(2);
  });

  it('lists the bodies still to agree', () => {
    expect(bodiesStillToAgree(['local-authority', 'icb'], ['icb'])).toEqual(['local-authority']);
    expect(bodiesStillToAgree(['local-authority', 'icb'], ['icb', 'local-authority'])).toEqual([]);
    expect(bodiesStillToAgree([], ['icb'])).toEqual([]);
  });
});
