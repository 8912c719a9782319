/**
 * The scenario fixtures T1–T31 (test/fixtures/rules/*.json) and how a decision is compared
 * with a fixture's expectation. Shared by the library and CLI scenario tests.
 *
 * A fixture's "expected" lists only what the scenario is about. Keys compare as follows:
 *   status, entitlementStart, responsibleLocalAuthority, responsibleIcb, nextReviewDue, episodes: equal
 *   flags: the exact list (in contract order)
 *   rejectedEvents: [{ eventIndex, code }] in order (messages are not compared)
 *   needs: [{ id, s117 }] in order (reasons are not compared)
 *   reasonRules: each listed rule is cited by at least one reason (of the decision or of a need)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Decision } from '../contract.ts';

export const SCENARIO_FIXTURE_DIR = fileURLToPath(new URL('../../../../test/fixtures/rules/', import.meta.url));

export interface RuleCheck {
  function: string;
  input: unknown;
  expected: unknown;
}

export interface ScenarioFixture {
  scenario: string;
  title: string;
  source: string;
  input: unknown;
  expected: Record<string, unknown>;
  ruleCheck?: RuleCheck;
}

export interface LoadedFixture {
  file: string;
  path: string;
  fixture: ScenarioFixture;
}

export function loadScenarioFixtures(): LoadedFixture[] {
  return readdirSync(SCENARIO_FIXTURE_DIR)
    .filter((name) => /^T\d{2}-[a-z0-9-]+\.json$/.test(name))
    .sort()
    .map((file) => {
      const path = `${SCENARIO_FIXTURE_DIR}${file}`;
      return { file, path, fixture: JSON.parse(readFileSync(path, 'utf8')) as ScenarioFixture };
    });
}

/** The parts of a decision that the expectation speaks about, in the expectation's shape. */
export function projectDecision(decision: Decision, expected: Record<string, unknown>): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) {
    switch (key) {
      case 'rejectedEvents':
        projected[key] = decision.rejectedEvents.map(({ eventIndex, code }) => ({ eventIndex, code }));
        break;
      case 'needs':
        projected[key] = decision.needs.map(({ id, s117 }) => ({ id, s117 }));
        break;
      case 'reasonRules': {
        const cited = new Set(
          [...decision.reasons, ...decision.needs.flatMap((need) => need.reasons)].map((reason) => reason.rule),
        );
        projected[key] = (expected[key] as string[]).filter((rule) => cited.has(rule));
        break;
      }
      default:
        projected[key] = (decision as unknown as Record<string, unknown>)[key];
    }
  }
  return projected;
}
