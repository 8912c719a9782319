import { describe, expect, it } from 'vitest';
import { applyContribution, careOutcomes, determineEligibility, eligibilityProblems, type EligibilityAnswers, type OutcomeAnswer } from './care-act.ts';

const able: OutcomeAnswer = { unable: false, ways: [], impact: '' };
const unable: OutcomeAnswer = { unable: true, ways: ['without-assistance'], impact: 'Misses meals most days' };

function answers(unableCodes: string[], over: Partial<EligibilityAnswers> = {}): EligibilityAnswers {
  return {
    arisesFromImpairment: true,
    significantImpact: true,
    outcomes: Object.fromEntries(careOutcomes.map((o) => [o.code, unableCodes.includes(o.code) ? unable : able])),
    ...over,
  };
}

describe('Care Act eligibility (Care and Support (Eligibility Criteria) Regulations 2015, reg 2)', () => {
  it('lists the ten outcomes of reg 2(2), each citing its paragraph', () => {
    expect(careOutcomes).toHaveLength(10);
    expect(careOutcomes.map((o) => o.source)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((l) => `reg 2(2)(${l})`));
  });

  it('is eligible with an impairment, two outcomes not achieved and a significant impact on well-being', () => {
    const d = determineEligibility(answers(['nutrition', 'habitable-home']));
    expect(d.eligible).toBe(true);
    expect(d.unableToAchieve).toEqual(['nutrition', 'habitable-home']);
    expect(d.reasons[1]).toContain('2 of the outcomes');
  });

  it('is not eligible when only one outcome is not achieved (reg 2(1)(b))', () => {
    const d = determineEligibility(answers(['nutrition']));
    expect(d.eligible).toBe(false);
    expect(d.reasons[1]).toContain('only one');
  });

  it('is not eligible without an impairment or illness (2(1)(a)), or without a significant impact (2(1)(c))', () => {
    expect(determineEligibility(answers(['nutrition', 'clothing'], { arisesFromImpairment: false })).eligible).toBe(false);
    expect(determineEligibility(answers(['nutrition', 'clothing'], { significantImpact: false })).eligible).toBe(false);
  });

  it('cannot be completed until every outcome is answered, and how, and both conditions', () => {
    const partial: EligibilityAnswers = { arisesFromImpairment: null, significantImpact: null, outcomes: { nutrition: { unable: true, ways: [], impact: '' } } };
    const problems = eligibilityProblems(partial);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['arisesFromImpairment', 'significantImpact', 'ways-nutrition', 'outcome-clothing']));
    expect(problems).toHaveLength(1 + 1 + 1 + 9);
    expect(eligibilityProblems(answers(['nutrition']))).toEqual([]);
  });
});

describe('applying a financial assessment (Care Act 2014 ss14, 17)', () => {
  const care = { id: 'a', label: 'Home care, Acme Care', s117: false, weeklyCostPence: 10_000 };
  const day = { id: 'b', label: 'Day centre, Northvale', s117: false, weeklyCostPence: 3_000 };
  const s117 = { id: 'c', label: 'Supported living, Riverside', s117: true, weeklyCostPence: 80_000 };

  it('never charges a section 117 service: it is refused, by name', () => {
    const result = applyContribution(5_000, [care, s117]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toContain('Supported living, Riverside is section 117 aftercare, which is free');
  });

  it('charges the chosen lines in order, each at most its cost (s14(4)), and leaves the rest uncharged', () => {
    const result = applyContribution(12_000, [care, day]);
    expect(result).toEqual({ ok: true, charges: [{ lineId: 'a', weeklyChargePence: 10_000 }, { lineId: 'b', weeklyChargePence: 2_000 }], chargedPence: 12_000, notChargedPence: 0 });
    const more = applyContribution(20_000, [care, day]);
    expect(more.ok && more.notChargedPence).toBe(7_000);
  });

  it('refuses a negative contribution and an empty choice', () => {
    const result = applyContribution(-1, []);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual(['weeklyContribution', 'lines']);
  });
});
