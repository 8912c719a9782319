import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { because, R24, ruleById, ruleCatalogue } from './catalogue.ts';
import { flagCodes } from './contract.ts';

const ruleTests = readFileSync(new URL('./rules.test.ts', import.meta.url), 'utf8');

describe('the rule catalogue', () => {
  it('numbers its rules R1, R2, … without gaps, keeping the brief\'s R1–R30', () => {
    expect(ruleCatalogue.map((r) => r.id)).toEqual(ruleCatalogue.map((_, i) => `R${i + 1}`));
    expect(ruleCatalogue.length).toBeGreaterThanOrEqual(30);
  });

  it('gives every rule a title, a plain-English statement and a source', () => {
    for (const rule of ruleCatalogue) {
      expect(rule.title.length, rule.id).toBeGreaterThan(3);
      expect(rule.statement, rule.id).toMatch(/\.$/);
      expect(rule.source.length, rule.id).toBeGreaterThan(5);
    }
  });

  it('raises a flag for every rule where the law is unsettled', () => {
    const unsettled = ruleCatalogue.filter((r) => 'unsettled' in r && r.unsettled);
    expect(unsettled.map((r) => r.id)).toEqual(['R6', 'R8', 'R18', 'R35', 'R36', 'R37']);
    for (const rule of unsettled) expect('flag' in rule && rule.flag, rule.id).toBeTruthy();
  });

  it('names a rule for every flag the engine can raise', () => {
    const flagged = new Set(ruleCatalogue.map((r) => ('flag' in r ? r.flag : undefined)).filter(Boolean));
    expect([...flagCodes].filter((flag) => !flagged.has(flag))).toEqual([]);
  });

  it('has a unit test block for every rule', () => {
    const missing = ruleCatalogue.filter((r) => !ruleTests.includes(`describe('${r.id} `)).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('builds reasons that carry the rule\'s source', () => {
    expect(because('R24', 'x')).toEqual({ rule: 'R24', text: 'x', source: R24.source });
    expect(ruleById('R24')).toBe(R24);
  });
});
