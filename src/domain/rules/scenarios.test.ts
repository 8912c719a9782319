/**
 * The brief's scenarios T1–T31, table-driven from test/fixtures/rules/*.json, through the library.
 * The same fixtures run through the CLI in src/cli/commands/rules-evaluate.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase } from './index.ts';
import {
  checkFundingSplit,
  checkPlanItem,
  checkServiceCharge,
  phbRequestDecision,
  s45FieldsActive,
  topUpAmount,
} from './plan-rules.ts';
import { loadScenarioFixtures, projectDecision } from './testing/scenario-fixtures.ts';

const fixtures = loadScenarioFixtures();

/** The pure rule functions a fixture's "ruleCheck" may name (plans, money, MHA 2025). */
const ruleFunctions: Record<string, (input: never) => unknown> = {
  checkServiceCharge,
  topUpAmount,
  phbRequestDecision,
  checkFundingSplit,
  checkPlanItem,
  s45FieldsActive: (input: { policy: { mha2025s45CommencedOn: string | null }; onDate: string }) =>
    s45FieldsActive(input.policy, input.onDate),
};

describe('scenario fixtures', () => {
  it('has one fixture for each scenario T1–T31, named T01-<slug>.json …', () => {
    expect(fixtures.map(({ fixture }) => fixture.scenario)).toEqual(Array.from({ length: 31 }, (_, i) => `T${i + 1}`));
    for (const { file, fixture } of fixtures) {
      expect(file.startsWith(`T${fixture.scenario.slice(1).padStart(2, '0')}-`)).toBe(true);
      expect(fixture.title).not.toBe('');
      expect(fixture.source).not.toBe('');
      expect(Object.keys(fixture.expected)).toContain('status');
    }
  });
});

describe.each(fixtures.map(({ file, fixture }) => [`${fixture.scenario}: ${fixture.title}`, file, fixture] as const))(
  '%s',
  (_name, _file, fixture) => {
    it('is a valid case under contract version 1', () => {
      const parsed = parseCase(fixture.input);
      expect(parsed.ok ? [] : parsed.problem.errors).toEqual([]);
    });

    it('gives the expected decision', () => {
      const parsed = parseCase(fixture.input);
      if (!parsed.ok) throw new Error(parsed.problem.detail);
      const decision = evaluate(parsed.value);
      expect(projectDecision(decision, fixture.expected)).toEqual(fixture.expected);
    });

    if (fixture.ruleCheck) {
      const check = fixture.ruleCheck;
      it(`passes its rule check (${check.function})`, () => {
        const fn = ruleFunctions[check.function];
        expect(fn, `unknown rule function ${check.function}`).toBeTypeOf('function');
        const result = fn!(check.input as never);
        if (typeof check.expected === 'object' && check.expected !== null) expect(result).toMatchObject(check.expected);
        else expect(result).toBe(check.expected);
      });
    }
  },
);
