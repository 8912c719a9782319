import { describe, expect, it } from 'vitest';
import { populationOf, ratePer100k, type PopulationRow } from './population.ts';

const rows: PopulationRow[] = [
  { localAuthority: 'E06000901', dimension: 'total', category: 'all', population: 180_000 },
  { localAuthority: 'E06000902', dimension: 'total', category: 'all', population: 240_000 },
  { localAuthority: 'E06000901', dimension: 'sex', category: 'female', population: 91_800 },
  { localAuthority: 'all', dimension: 'sex', category: 'male', population: 200_000 },
  { localAuthority: 'E06000901', dimension: 'sex', category: 'male', population: 88_200 },
];

describe('populationOf', () => {
  it('takes the chosen local authority’s figure, or nothing if it has none', () => {
    expect(populationOf(rows, 'total', 'all', 'E06000902')).toBe(240_000);
    expect(populationOf(rows, 'sex', 'female', 'E06000902')).toBeNull();
  });
  it('for the whole partnership prefers its own figure, else adds up the local authorities', () => {
    expect(populationOf(rows, 'sex', 'male', null)).toBe(200_000);
    expect(populationOf(rows, 'total', 'all', null)).toBe(420_000);
    expect(populationOf(rows, 'ethnicity', 'A', null)).toBeNull();
  });
});

describe('ratePer100k', () => {
  it('gives people per 100,000 to one decimal place', () => {
    expect(ratePer100k(9, 180_000)).toEqual({ value: 5, suppressed: false, text: '5.0' });
    expect(ratePer100k(1234, 1_000_000)).toEqual({ value: 123.4, suppressed: false, text: '123.4' });
  });
  it('says "not configured" without a population and "suppressed" with a suppressed count', () => {
    expect(ratePer100k(9, null).text).toBe('not configured');
    expect(ratePer100k(9, 0).text).toBe('not configured');
    expect(ratePer100k(3, 180_000, { suppressed: true })).toEqual({ value: null, suppressed: true, text: 'suppressed' });
  });
});
