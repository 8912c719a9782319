import { describe, expect, it } from 'vitest';
import { allocate, drawSample, hashSeed, mulberry32, type SampleCandidate } from './audit-sample.ts';

const hex = (n: number) => n.toString(16).padStart(8, '0');
/** A population of `n` people over three local authorities and five teams of uneven size. */
function population(n: number): SampleCandidate[] {
  return Array.from({ length: n }, (_, i) => ({
    personId: `${hex((i * 2654435761) >>> 0)}-0000-4000-8000-${String(i).padStart(12, '0')}`,
    localAuthority: ['E06000901', 'E06000902', 'E08000903'][i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : 2]!,
    teamId: i % 5 === 0 ? null : `team-${i % 5}`,
  }));
}

describe('the seeded generator', () => {
  it('gives the same sequence for the same seed and a different one for another', () => {
    const a = mulberry32(hashSeed('audit-2026'));
    const b = mulberry32(hashSeed('audit-2026'));
    const c = mulberry32(hashSeed('audit-2027'));
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('allocation to strata by largest remainder', () => {
  it('sums to the sample size and never exceeds a stratum', () => {
    for (const total of [1, 3, 7, 10, 25, 59]) {
      const sizes = [40, 12, 5, 1, 2];
      const got = allocate(sizes, total);
      expect(got.reduce((s, n) => s + n, 0)).toBe(total);
      got.forEach((n, i) => expect(n).toBeLessThanOrEqual(sizes[i]!));
    }
  });

  it('gives every stratum at least one case when the sample is at least the number of strata', () => {
    expect(allocate([100, 1, 1], 3)).toEqual([1, 1, 1]);
    expect(allocate([100, 1, 1], 10)).toEqual([8, 1, 1]);
    expect(allocate([50, 30, 20], 10)).toEqual([5, 3, 2]);
  });

  it('gives the remainders to the largest fractions, ties to the first stratum', () => {
    // Quotas 0.4, 1.2, 1.2, 1.2: whole parts 0,1,1,1 and the one left to the largest fraction.
    expect(allocate([1, 3, 3, 3], 4)).toEqual([1, 1, 1, 1]);
    // Quotas 1⅔ each: whole parts 1,1,1, the two left go to the first two (ties).
    expect(allocate([3, 3, 3], 5)).toEqual([2, 2, 1]);
    // Fewer cases than strata: plain proportional shares.
    expect(allocate([60, 30, 10], 2)).toEqual([1, 1, 0]);
  });

  it('takes everyone when the sample is at least the population', () => {
    expect(allocate([4, 2], 6)).toEqual([4, 2]);
    expect(allocate([4, 2], 60)).toEqual([4, 2]);
  });
});

describe('drawing the sample', () => {
  const people = population(120);

  it('draws the same cases from the same seed and population, whatever order the rows come in', () => {
    const a = drawSample(people, 20, 'local-authority-and-team', 'seed-1');
    const b = drawSample([...people].reverse(), 20, 'local-authority-and-team', 'seed-1');
    expect(b.cases).toEqual(a.cases);
    expect(a.cases).toHaveLength(20);
    expect(new Set(a.cases.map((c) => c.personId)).size).toBe(20);
  });

  it('draws different cases from a different seed', () => {
    const a = drawSample(people, 20, 'local-authority', 'seed-1').cases.map((c) => c.personId);
    const b = drawSample(people, 20, 'local-authority', 'seed-2').cases.map((c) => c.personId);
    expect(b).not.toEqual(a);
  });

  it('allocates to strata in proportion and the allocation sums to the sample size', () => {
    const result = drawSample(people, 12, 'local-authority', 'x');
    expect(result.strata.map((s) => s.key)).toEqual(['E06000901', 'E06000902', 'E08000903']);
    expect(result.strata.reduce((s, x) => s + x.sampled, 0)).toBe(12);
    for (const s of result.strata) expect(result.cases.filter((c) => c.stratum === s.key)).toHaveLength(s.sampled);
    // 120 people: 4/7, 2/7 and 1/7 of them.
    expect(result.strata.map((s) => s.size)).toEqual([69, 34, 17]);
    expect(result.strata.map((s) => s.sampled)).toEqual([7, 3, 2]);
    expect(result.cases.map((c) => c.position)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('takes everybody when the sample is as large as the population', () => {
    const small = population(9);
    const result = drawSample(small, 50, 'team', 'any');
    expect(result.cases.map((c) => c.personId).sort()).toEqual(small.map((p) => p.personId).sort());
  });

  it('draws nothing from nobody', () => {
    expect(drawSample([], 10, 'team', 'any').cases).toEqual([]);
  });
});
