import { describe, expect, it } from 'vitest';
import { caseScore, formatChange, overallScore, scoreChange, scoresByGroup, scoresByPillar, unansweredItems, type CaseAnswers } from './audit-score.ts';

const items = [
  { id: 'a', pillar: 1 },
  { id: 'b', pillar: 1 },
  { id: 'c', pillar: 2 },
  { id: 'd', pillar: 2 },
];
const ids = items.map((i) => i.id);

describe('case score', () => {
  it('is the percentage of applicable items met, partly met counting half', () => {
    const answers: CaseAnswers = { a: { answer: 'met' }, b: { answer: 'partly-met' }, c: { answer: 'not-met' }, d: { answer: 'not-applicable' } };
    // (1 + 0.5) / 3 = 50%
    expect(caseScore(ids, answers)).toBe(50);
    expect(caseScore(ids, { a: { answer: 'met' }, b: { answer: 'met' }, c: { answer: 'met' }, d: { answer: 'partly-met' } })).toBe(88);
  });

  it('has no score when nothing applies', () => {
    expect(caseScore(ids, Object.fromEntries(ids.map((id) => [id, { answer: 'not-applicable' as const }])))).toBeNull();
  });

  it('lists the items not answered yet', () => {
    expect(unansweredItems(ids, { a: { answer: 'met' }, c: { answer: 'not-applicable' } })).toEqual(['b', 'd']);
  });
});

describe('group scores', () => {
  const cases = [
    { group: 'north', answers: { a: { answer: 'met' }, b: { answer: 'met' }, c: { answer: 'not-met' }, d: { answer: 'not-met' } } as CaseAnswers },
    { group: 'south', answers: { a: { answer: 'partly-met' }, b: { answer: 'not-applicable' }, c: { answer: 'met' }, d: { answer: 'met' } } as CaseAnswers },
  ];

  it('pools items by pillar across cases', () => {
    const byPillar = scoresByPillar(items, cases);
    // Pillar 1: met, met, partly → 2.5 / 3 = 83%; pillar 2: 2 met of 4 = 50%.
    expect(byPillar.get(1)?.score).toBe(83);
    expect(byPillar.get(2)?.score).toBe(50);
  });

  it('pools by group and overall', () => {
    const byGroup = scoresByGroup(ids, cases);
    expect(byGroup.get('north')?.score).toBe(50);
    expect(byGroup.get('south')?.score).toBe(83);
    // 2 + 0.5 + 2 = 4.5 of 7 applicable → 64%.
    expect(overallScore(ids, cases)).toBe(64);
  });

  it('compares with last year in percentage points', () => {
    expect(scoreChange(70, 62)).toBe(8);
    expect(scoreChange(70, null)).toBeNull();
    expect(formatChange(8)).toBe('+8 points');
    expect(formatChange(-3)).toBe('-3 points');
    expect(formatChange(null)).toBe('No comparison');
  });
});
