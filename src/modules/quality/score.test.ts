import { describe, expect, it } from 'vitest';
import { qualityScore, qualityScoreTenths } from './rules.ts';

describe('the data quality score in tenths (daily snapshots)', () => {
  it('rounds down, so a snapshot and the page always show the same whole percent', () => {
    expect(qualityScoreTenths(3, 1)).toBe(666);
    expect(qualityScore(3, 1)).toBe(66);
    for (let total = 1; total <= 60; total += 1) {
      for (let problems = 0; problems <= total; problems += 1) {
        expect(Math.floor(qualityScoreTenths(total, problems)! / 10)).toBe(qualityScore(total, problems));
      }
    }
  });

  it('is null with nobody to score and 1000 with no problem', () => {
    expect(qualityScoreTenths(0, 0)).toBeNull();
    expect(qualityScoreTenths(8, 0)).toBe(1000);
    expect(qualityScoreTenths(8, 20)).toBe(0);
  });
});
