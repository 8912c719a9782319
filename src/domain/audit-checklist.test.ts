import { describe, expect, it } from 'vitest';
import { defaultPillars, defaultQuestions } from './audit-checklist.ts';

describe('the default audit checklist', () => {
  it('has the nine LGA pillars, only 2 and 9 with confirmed titles', () => {
    expect(defaultPillars.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(defaultPillars.filter((p) => p.confirmedTitle).map((p) => p.number)).toEqual([2, 9]);
    expect(defaultPillars.find((p) => p.number === 2)?.name).toBe('S117 Aftercare plans are person-centred and strengths-based');
    expect(defaultPillars.find((p) => p.number === 9)?.name).toBe('Monitoring, quality assurance, and continuous improvement');
  });

  it('has questions for every pillar, each with a source and a unique code', () => {
    for (const p of defaultPillars) expect(defaultQuestions.filter((q) => q.pillar === p.number).length).toBeGreaterThan(0);
    for (const q of defaultQuestions) {
      expect(q.source.trim().length).toBeGreaterThan(5);
      expect(q.code).toMatch(new RegExp(`^P${q.pillar}\\.\\d+$`));
    }
    expect(new Set(defaultQuestions.map((q) => q.code)).size).toBe(defaultQuestions.length);
  });

  it('asks the questions the brief’s audit checklist requires', () => {
    const text = defaultQuestions.map((q) => `${q.question} ${q.source}`).join('\n');
    expect(text).toContain('LGSCO 24 015 710');
    expect(text).toMatch(/never charged for a section 117 service/);
    expect(text).toMatch(/rights in writing/);
    expect(text).toMatch(/reviewed within the last 12 months/);
    expect(text).toMatch(/joint, documented decision/);
    expect(text).toMatch(/responsible local authority and ICB/);
    expect(text).toMatch(/co-produced/);
    expect(text).toMatch(/Carers/);
    expect(text).toMatch(/Advocacy/);
  });
});
