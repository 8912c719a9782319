/**
 * Invariants of the engine over generated histories (fast-check). Histories come from
 * synthetic.ts, which keeps only events that are possible at their point, so every generated
 * case is valid; the first property checks that.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../calendar-date.ts';
import { legalStatus } from '../legal-status-codes.ts';
import { decisionSchema, parseCase, type CaseInput, type Decision } from './contract.ts';
import { evaluate } from './evaluate.ts';
import { buildHistory, type Step, type StepKind } from './synthetic.ts';

const KIND_WEIGHTS: readonly (readonly [StepKind, number])[] = [
  ['detain-qualifying', 8],
  ['detain-s2', 4],
  ['detain-other', 1],
  ['detain-manual-review', 1],
  ['guardianship-or-informal-status', 1],
  ['end-detention', 8],
  ['leave-hospital', 8],
  ['admit-informally', 2],
  ['s17-leave', 2],
  ['end-cto', 2],
  ['recall', 2],
  ['end-conditional-discharge', 2],
  ['review', 4],
  ['end-aftercare', 4],
  ['open-dispute', 1],
  ['resolve-dispute', 1],
  ['die', 1],
];

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.oneof(...KIND_WEIGHTS.map(([kind, weight]) => ({ arbitrary: fc.constant(kind), weight }))),
  gapDays: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
  pick: fc.nat(1_000_000),
  bits: fc.nat(0x3fff),
});

const caseArb: fc.Arbitrary<CaseInput> = fc
  .record({
    steps: fc.array(stepArb, { maxLength: 30 }),
    startOffset: fc.integer({ min: 0, max: 5000 }),
    asOfOffset: fc.integer({ min: -300, max: 700 }),
  })
  .map(({ steps, startOffset, asOfOffset }) => {
    const built = buildHistory(steps, addDays('2012-01-01', startOffset));
    return { asOf: addDays(built.lastDate, asOfOffset), events: built.events };
  });

function run(input: CaseInput): Decision {
  const parsed = parseCase(input);
  if (!parsed.ok) throw new Error(`generated an invalid case: ${JSON.stringify(parsed.problem.errors)}`);
  return evaluate(parsed.value);
}

/** The decision without its narrative (reasons) and without rejections. */
function outcome(decision: Decision) {
  const { reasons: _reasons, rejectedEvents: _rejected, ...rest } = decision;
  return rest;
}

const isQualifying = (code: string) => legalStatus(code).classification === 'qualifying';

/**
 * A different input order in which events on different dates move freely, and events on the
 * same date keep their listed order. Returns the new list and, for each new position, the old one.
 */
function reorder<E extends { date: string }>(events: readonly E[], keys: readonly number[]): { events: E[]; oldIndex: number[] } {
  const permutation = events.map((_, i) => i).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
  const byDate = new Map<string, number[]>();
  events.forEach((event, i) => byDate.set(event.date, [...(byDate.get(event.date) ?? []), i]));
  const nextOfDate = new Map<string, number>();
  const oldIndex = permutation.map((i) => {
    const date = events[i]!.date;
    const seen = nextOfDate.get(date) ?? 0;
    nextOfDate.set(date, seen + 1);
    return byDate.get(date)![seen]!;
  });
  return { events: oldIndex.map((i) => events[i]!), oldIndex };
}

describe('properties of the engine', () => {
  it('generated histories are valid cases, and decisions match the output schema', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const decision = run(input);
        expect(decisionSchema.safeParse(decision).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never "entitled" without a qualifying legal status code', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const decision = run(input);
        const qualifyingDetentions = input.events.filter(
          (e) => e.type === 'detention-started' && e.date <= input.asOf && isQualifying(e.legalStatusCode),
        );
        if (decision.status === 'entitled') expect(qualifyingDetentions.length).toBeGreaterThan(0);
        for (const episode of decision.episodes) expect(isQualifying(episode.qualifyingLegalStatusCode)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('the result does not depend on the input order of events on different dates', () => {
    fc.assert(
      fc.property(
        caseArb.chain((input) =>
          fc.tuple(fc.constant(input), fc.array(fc.double({ noNaN: true }), { minLength: input.events.length, maxLength: input.events.length })),
        ),
        ([input, keys]) => {
          const { events, oldIndex } = reorder(input.events, keys);
          const original = run(input);
          const reordered = run({ ...input, events });
          const mapped = {
            ...reordered,
            rejectedEvents: reordered.rejectedEvents.map((r) => ({ ...r, eventIndex: oldIndex[r.eventIndex]! })),
          };
          expect(mapped).toEqual(original);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an episode never starts before its detention, and episodes follow one another', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const decision = run(input);
        decision.episodes.forEach((episode, i) => {
          const detentionsBefore = input.events.filter(
            (e) => e.type === 'detention-started' && e.legalStatusCode === episode.qualifyingLegalStatusCode && e.date <= episode.start,
          );
          expect(detentionsBefore.length).toBeGreaterThan(0);
          if (episode.end !== null) expect(episode.end >= episode.start).toBe(true);
          const next = decision.episodes[i + 1];
          if (next) {
            expect(episode.end).not.toBeNull();
            // A superseded episode ends on the new detention's date, before the new episode starts.
            expect(next.start >= episode.end!).toBe(true);
            const between = input.events.filter((e) => e.type === 'detention-started' && e.date >= episode.start && e.date <= next.start);
            expect(between.length).toBeGreaterThan(0);
          }
        });
        const entitlementStart = decision.episodes.at(-1)?.start ?? null;
        expect(decision.entitlementStart).toBe(entitlementStart);
      }),
      { numRuns: 500 },
    );
  });

  it('a rejected ending never changes the status or anything else but its rejection', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const decision = run(input);
        const rejected = new Set(decision.rejectedEvents.map((r) => r.eventIndex));
        const without = run({ ...input, events: input.events.filter((_, i) => !rejected.has(i)) });
        expect(outcome(without)).toEqual(outcome(decision));
      }),
      { numRuns: 500 },
    );
  });

  it('an ending approved by one body only, inserted anywhere, is rejected and changes nothing', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.constantFrom(['local-authority'] as const, ['icb'] as const), (input, at, approvedBy) => {
        const position = input.events.length === 0 ? 0 : at % input.events.length;
        const date = input.events[position]?.date ?? input.asOf;
        const ending = { type: 'aftercare-ended' as const, date, approvedBy: [...approvedBy], reasons: ['no-longer-in-need' as const], personInvolved: true, legalOverride: false };
        const events = [...input.events.slice(0, position), ending, ...input.events.slice(position)];
        const withEnding = run({ ...input, events });
        if (date <= input.asOf) expect(withEnding.rejectedEvents.some((r) => r.eventIndex === position)).toBe(true);
        expect(outcome(withEnding)).toEqual(outcome(run(input)));
      }),
      { numRuns: 300 },
    );
  });

  it('events after asOf change nothing but the reason that says they were ignored', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const decision = run(input);
        const truncated = run({ ...input, events: input.events.filter((e) => e.date <= input.asOf) });
        expect(outcome(decision)).toEqual(outcome(truncated));
        expect(decision.reasons.filter((r) => r.rule !== 'R32')).toEqual(truncated.reasons);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and does not change its input', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const copy = structuredClone(input);
        const parsed = parseCase(input);
        if (!parsed.ok) throw new Error('invalid');
        expect(evaluate(parsed.value)).toEqual(evaluate(parsed.value));
        expect(input).toEqual(copy);
      }),
      { numRuns: 200 },
    );
  });
});
