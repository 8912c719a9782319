import { describe, expect, it } from 'vitest';
import { syntheticDemoPopulation } from '../demo/population.ts';
import { checkFigure, fingerprint, parsePopulationCsv } from './population.service.ts';

const las = ['E06000901', 'E06000902'];

describe('checkFigure', () => {
  it('accepts a figure with thousands separators and refuses unknown areas and categories', () => {
    expect(checkFigure({ localAuthority: 'E06000901', dimension: 'age-band', category: '18-25', population: '18,000' }, las).figure).toEqual({ localAuthority: 'E06000901', dimension: 'age-band', category: '18-25', population: 18000 });
    expect(checkFigure({ localAuthority: 'all', dimension: 'total', category: 'all', population: '0' }, las).issues.map((i) => i.message)).toEqual(['The population must be at least 1']);
    expect(checkFigure({ localAuthority: 'W06000001', dimension: 'sex', category: 'other', population: '10' }, las).issues.map((i) => i.path)).toEqual(['localAuthority', 'category']);
  });
});

describe('parsePopulationCsv', () => {
  it('reads a good file', () => {
    const { figures, issues } = parsePopulationCsv('Local Authority,Dimension,Category,Population\r\nE06000901,total,all,"180,000"\r\n\r\nall,ethnicity,A,500000\r\n', las);
    expect(issues).toEqual([]);
    expect(figures).toEqual([
      { localAuthority: 'E06000901', dimension: 'total', category: 'all', population: 180000 },
      { localAuthority: 'all', dimension: 'ethnicity', category: 'A', population: 500000 },
    ]);
  });
  it('gives every problem with its line and no figures', () => {
    const { figures, issues } = parsePopulationCsv('local_authority,dimension,category,population\nE06000901,total,all,x\nE06000901,colour,blue,4\n', las);
    expect(figures).toEqual([]);
    expect(issues.map((i) => i.message)).toEqual([
      'Line 2: The population must be a whole number, for example 312000',
      'Line 3: Choose what the figure counts: total, ethnicity, age band or sex',
    ]);
    expect(parsePopulationCsv('nhs_number,name\n1,2\n', las).issues[0]!.message).toContain('The first line must be the header');
  });
});

describe('fingerprint', () => {
  it('changes when any figure’s version changes, whatever the order', () => {
    const a = { localAuthority: 'all', dimension: 'total', category: 'all', version: 1 };
    const b = { localAuthority: 'E06000901', dimension: 'total', category: 'all', version: 1 };
    expect(fingerprint([a, b])).toBe(fingerprint([b, a]));
    expect(fingerprint([a, { ...b, version: 2 }])).not.toBe(fingerprint([a, b]));
    expect(fingerprint([a])).not.toBe(fingerprint([a, b]));
  });
});

describe('the synthetic demo population', () => {
  it('gives each demo local authority a total, and splits by sex and age band that add up to it (within rounding)', () => {
    const rows = syntheticDemoPopulation(['E06000901', 'E99999999']);
    expect(rows.every((r) => r.localAuthority === 'E06000901')).toBe(true);
    const total = rows.find((r) => r.dimension === 'total')!.population;
    const sum = (dimension: string) => rows.filter((r) => r.dimension === dimension).reduce((s, r) => s + r.population, 0);
    expect(Math.abs(sum('sex') - total)).toBeLessThanOrEqual(2);
    expect(Math.abs(sum('age-band') - total)).toBeLessThanOrEqual(6);
    for (const r of rows) expect(checkFigure({ ...r, population: String(r.population) }, ['E06000901']).issues).toEqual([]);
  });
});
