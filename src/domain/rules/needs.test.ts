import { describe, expect, it } from 'vitest';
import type { Status } from './contract.ts';
import { classifyNeed, classifyPlanNeed, needCategories, needCategoryLabels, needDomainIds, needDomainLabel, needDomains, type PlanNeedInput } from './needs.ts';

const rules = (reasons: { rule: string }[]) => reasons.map((r) => r.rule);

/** Both s117(6) tests met. */
const MEETS_BOTH = { arisesFromMentalDisorder: true, reducesRiskOfDeterioration: true } as const;

describe('need domains', () => {
  it('lists the 11 domains a care coordinator assesses, with their labels, in plan order', () => {
    expect(needDomains).toHaveLength(11);
    expect(needDomainIds).toEqual([
      'mental-health-relapse-prevention',
      'accommodation',
      'daily-living',
      'medication',
      'physical-health',
      'substance-use',
      'finances-benefits',
      'work-education-volunteering',
      'relationships-social-inclusion',
      'safety-risk',
      'carers',
    ]);
    expect(needDomainLabel('mental-health-relapse-prevention')).toBe('Mental health and relapse prevention');
    expect(needDomainLabel('work-education-volunteering')).toBe('Work, education and volunteering');
    expect(needDomainLabel('carers')).toBe('Carers');
  });

  it('names every category a need can fall into', () => {
    expect(Object.keys(needCategoryLabels)).toEqual([...needCategories]);
  });
});

describe('classifyPlanNeed', () => {
  it('a relapse-prevention need of an entitled person after a s3 discharge is section 117, free, citing R19 and R39', () => {
    const result = classifyPlanNeed({ domain: 'mental-health-relapse-prevention', ...MEETS_BOTH }, 'entitled');
    expect(result).toMatchObject({ category: 'section-117', s117: true });
    expect(rules(result.reasons)).toEqual(['R19', 'R19', 'R39']);
    expect(result.summary).toBe('Section 117 aftercare: arranged jointly by the local authority and the ICB, and free to the person.');
  });

  it('plans aftercare before discharge: a pending person\'s need can be section 117 (CoP 33.10)', () => {
    expect(classifyPlanNeed({ domain: 'daily-living', ...MEETS_BOTH }, 'pending').category).toBe('section-117');
  });

  it('section 117 takes precedence over CHC: a s117 need with a primary health need stays section 117', () => {
    const result = classifyPlanNeed({ domain: 'medication', ...MEETS_BOTH, primaryHealthNeed: true, healthNeed: true }, 'entitled');
    expect(result.category).toBe('section-117');
    expect(rules(result.reasons)).not.toContain('R43');
  });

  describe('accommodation-plus (T23, Mwanza)', () => {
    it('an ordinary tenancy is not section 117: rent is a universal, common need', () => {
      const result = classifyPlanNeed({ domain: 'accommodation', ...MEETS_BOTH, accommodation: { enhancedSpecialised: false } }, 'entitled');
      expect(result).toMatchObject({ category: 'universal', s117: false });
      expect(rules(result.reasons)).toEqual(['R19', 'R19', 'R21', 'R39', 'R46']);
      expect(result.summary).toContain('ordinary housing');
    });

    it('an accommodation need with no accommodation details is treated as ordinary accommodation', () => {
      const result = classifyPlanNeed({ domain: 'accommodation', ...MEETS_BOTH }, 'entitled');
      expect(result.s117).toBe(false);
      expect(result.reasons.find((r) => r.rule === 'R21')?.text).toContain('Ordinary accommodation is a common need');
    });

    it('24-hour staffed supported living described as the enhanced feature is section 117', () => {
      const result = classifyPlanNeed(
        { domain: 'accommodation', ...MEETS_BOTH, accommodation: { enhancedSpecialised: true, feature: '  24-hour staffed supported living  ' } },
        'entitled',
      );
      expect(result).toMatchObject({ category: 'section-117', s117: true });
      expect(rules(result.reasons)).toEqual(['R19', 'R19', 'R21', 'R42', 'R39']);
      expect(result.reasons.find((r) => r.rule === 'R42')?.text).toBe('The enhanced or specialised feature recorded: 24-hour staffed supported living.');
    });

    it.each([undefined, '', '   '])('enhanced but with no feature described (%j) is not section 117 until the feature is recorded', (feature) => {
      const accommodation = feature === undefined ? { enhancedSpecialised: true } : { enhancedSpecialised: true, feature };
      const result = classifyPlanNeed({ domain: 'accommodation', ...MEETS_BOTH, accommodation, eligibleCareActNeed: true }, 'entitled');
      expect(result).toMatchObject({ category: 'care-act', s117: false });
      expect(result.reasons.find((r) => r.rule === 'R42')?.text).toMatch(/record the feature/);
      expect(rules(result.reasons)).not.toContain('R21');
    });

    it('applies the accommodation-plus test whenever accommodation is given, whatever the domain', () => {
      const input: PlanNeedInput = { domain: 'safety-risk', ...MEETS_BOTH, accommodation: { enhancedSpecialised: false } };
      expect(classifyPlanNeed(input, 'entitled').s117).toBe(false);
    });
  });

  describe('needs outside section 117 (North Lincs: purely physical needs are chargeable elsewhere)', () => {
    /** A need unrelated to the mental disorder: test (a) fails. */
    const unrelated = { arisesFromMentalDisorder: false, reducesRiskOfDeterioration: false } as const;

    it('diabetes care amounting to a primary health need is NHS Continuing Healthcare (R43)', () => {
      const result = classifyPlanNeed({ domain: 'physical-health', ...unrelated, primaryHealthNeed: true, healthNeed: true, eligibleCareActNeed: true }, 'entitled');
      expect(result).toMatchObject({ category: 'nhs-chc', s117: false });
      expect(result.reasons.at(-1)?.rule).toBe('R43');
      expect(result.summary).toContain('funded by the ICB, and free to the person');
    });

    it('physiotherapy after a fall is another NHS service (R44)', () => {
      const result = classifyPlanNeed({ domain: 'physical-health', ...unrelated, healthNeed: true, eligibleCareActNeed: true }, 'entitled');
      expect(result).toMatchObject({ category: 'other-nhs', s117: false });
      expect(result.reasons.at(-1)?.source).toContain('NHS Act 2006');
    });

    it('help with washing after a stroke, meeting the eligibility criteria, is Care Act and chargeable (R45)', () => {
      const result = classifyPlanNeed({ domain: 'daily-living', ...unrelated, eligibleCareActNeed: true }, 'entitled');
      expect(result).toMatchObject({ category: 'care-act', s117: false });
      expect(result.reasons.at(-1)?.source).toContain('SI 2015/313');
      expect(result.summary).toContain('may be charged for after a financial assessment');
    });

    it('a need that meets neither test and nothing else goes to universal services (R46)', () => {
      const result = classifyPlanNeed({ domain: 'finances-benefits', ...unrelated }, 'entitled');
      expect(result).toMatchObject({ category: 'universal', s117: false });
    });

    it('test (b) alone failing is enough to take a need outside section 117', () => {
      const result = classifyPlanNeed({ domain: 'carers', arisesFromMentalDisorder: true, reducesRiskOfDeterioration: false, eligibleCareActNeed: true }, 'entitled');
      expect(result.category).toBe('care-act');
      expect(result.reasons[1]?.text).toMatch(/^Test \(b\) not met/);
    });
  });

  it.each<[Status, string]>([
    ['not-entitled', 'care-act'],
    ['ended', 'care-act'],
    ['manual-review', 'care-act'],
  ])('a person who is %s has no section 117 needs: a need meeting both tests falls to %s', (status, category) => {
    const result = classifyPlanNeed({ domain: 'daily-living', ...MEETS_BOTH, eligibleCareActNeed: true }, status);
    expect(result).toMatchObject({ category, s117: false });
    expect(rules(result.reasons)).toEqual(['R19', 'R19', 'R39', 'R45']);
  });
});

describe('classifyNeed (contract version 1) is unchanged', () => {
  it('still classifies an enhanced accommodation need without asking for the feature', () => {
    const decision = classifyNeed({ id: 'n1', ...MEETS_BOTH, accommodation: { enhancedSpecialised: true } }, 'entitled');
    expect(decision).toMatchObject({ id: 'n1', s117: true });
    expect(rules(decision.reasons)).toEqual(['R19', 'R19', 'R21', 'R39']);
  });
});
