import { describe, expect, it } from 'vitest';
import { ruleCatalogue } from './catalogue.ts';
import { citationLink, sourceParts } from './sources.ts';

describe('rule sources as links', () => {
  it('links statutes, instruments and judgments to where they are published', () => {
    expect(citationLink('MHA 1983 s117(2)')).toBe('https://www.legislation.gov.uk/ukpga/1983/20/section/117');
    expect(citationLink('MHA 1983 s117A')).toBe('https://www.legislation.gov.uk/ukpga/1983/20/section/117A');
    expect(citationLink('SI 2022/635 (in force 1 July 2022)')).toBe('https://www.legislation.gov.uk/uksi/2022/635/contents');
    expect(citationLink('R (Worcestershire CC) v SSHSC [2023] UKSC 31')).toBe('https://www.bailii.org/uk/cases/UKSC/2023/31.html');
    expect(citationLink('R (Mwanza) v Greenwich LBC [2010] EWHC 1462 (Admin)')).toBe('https://www.bailii.org/ew/cases/EWHC/Admin/2010/1462.html');
    expect(citationLink('West Sussex guide')).toBeNull();
  });

  it('splits a source into its citations, keeping every word of it', () => {
    const parts = sourceParts('MHA 1983 s117(2); MHA Code of Practice 2015 ch.33; West Sussex guide');
    expect(parts.map((p) => p.text).join('; ')).toBe('MHA 1983 s117(2); MHA Code of Practice 2015 ch.33; West Sussex guide');
    expect(parts[0]!.href).toContain('/section/117');
    expect(parts[2]!.href).toBeNull();
  });

  it('gives every rule that cites the Mental Health Act a link, and no rule shows a research note', () => {
    for (const rule of ruleCatalogue) {
      if (rule.source.includes('MHA 1983 s')) expect(sourceParts(rule.source).some((p) => p.href !== null), rule.id).toBe(true);
      expect(rule.source, rule.id).not.toMatch(/\[O\]|UNCONFIRMED|brief|Swindon|asOf|inferred|§/);
      expect(rule.statement, rule.id).not.toMatch(/\[O\]|UNCONFIRMED|brief|asOf|reviewIntervalMonths|firstReviewWeeks/);
    }
  });
});
