import { describe, expect, it } from 'vitest';
import { importedFundingWords } from './funding.ts';

describe('funding brought from the old register, in words', () => {
  it('gives the weekly cost and both shares', () => {
    expect(importedFundingWords({ weeklyCostPence: 120000, localAuthorityBasisPoints: 6000 })).toBe('£1,200.00 a week, council 60%, ICB 40%');
    expect(importedFundingWords({ weeklyCostPence: 5050, localAuthorityBasisPoints: 3333 })).toBe('£50.50 a week, council 33.33%, ICB 66.67%');
  });

  it('says what the old register did not give', () => {
    expect(importedFundingWords({ weeklyCostPence: 42000, localAuthorityBasisPoints: null })).toBe('£420.00 a week (the old register gave no split between the council and the ICB)');
    expect(importedFundingWords({ weeklyCostPence: null, localAuthorityBasisPoints: 10000 })).toBe('council 100%, ICB 0% (the old register gave no weekly cost)');
  });
});
