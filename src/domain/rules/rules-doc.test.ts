import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleCatalogue } from './catalogue.ts';
import { flagCodes, rejectionCodes } from './contract.ts';
import { renderRulesDoc } from './rules-doc.ts';

const committed = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');

describe('docs/rules.md', () => {
  it('is up to date with the catalogue and the contract (run `npm run docs:rules` if not)', () => {
    expect(committed === renderRulesDoc(), 'docs/rules.md is out of date: run npm run docs:rules').toBe(true);
  });

  it('lists every rule with its source, every flag and every rejection code', () => {
    const doc = renderRulesDoc();
    for (const rule of ruleCatalogue) {
      expect(doc).toContain(`### ${rule.id} ${rule.title}`);
      expect(doc).toContain(`Source: ${rule.source}`);
    }
    for (const code of [...flagCodes, ...rejectionCodes]) expect(doc).toContain(`| \`${code}\` |`);
    expect(doc).toContain('npx aftercare rules evaluate case.json');
    expect(doc).toContain('POST /api/v1/rules/evaluate');
  });

  it('is deterministic', () => {
    expect(renderRulesDoc()).toBe(renderRulesDoc());
  });
});
