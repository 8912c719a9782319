/**
 * Benchmark: the Section 117 rules engine over 100,000 synthetic legal histories.
 *
 *   npx tsx bench/rules-evaluate.ts [histories] [seed]
 *
 * Histories are generated deterministically (seeded mulberry32) by src/domain/rules/synthetic.ts:
 * s2, s3, s37 and other sections, informal admissions, re-detentions, CTOs, conditional
 * discharges, recalls, reviews, endings (lawful and not), disputes and deaths. Every history is
 * validated with parseCase first (timed separately).
 *
 * It reports evaluate() decisions per second and, as the baseline, a plain replay of the same
 * events with no rules (copy, stable sort by date, one loop over the events), measured in the
 * same run. Each measurement is the best of several rounds after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import { parseCase, type Case } from '../src/domain/rules/contract.ts';
import { evaluate } from '../src/domain/rules/evaluate.ts';
import { mulberry32, syntheticCase } from '../src/domain/rules/synthetic.ts';

const HISTORIES = Number(process.argv[2] ?? 100_000);
const SEED = Number(process.argv[3] ?? 117);
const ROUNDS = 3;

function time<T>(fn: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = fn();
  return { ms: performance.now() - start, result };
}

function best(fn: () => number): { ms: number; checksum: number } {
  let bestMs = Number.POSITIVE_INFINITY;
  let checksum = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const { ms, result } = time(fn);
    if (ms < bestMs) bestMs = ms;
    checksum = result;
  }
  return { ms: bestMs, checksum };
}

/** The baseline: replay the same events in date order and do nothing with them but count. */
function plainReplay(cases: readonly Case[]): number {
  let checksum = 0;
  for (const c of cases) {
    const ordered = c.events
      .map((event, index) => ({ event, index }))
      .sort((a, b) => (a.event.date < b.event.date ? -1 : a.event.date > b.event.date ? 1 : a.index - b.index));
    for (const { event } of ordered) {
      if (event.date <= c.asOf) checksum += event.type.length;
    }
  }
  return checksum;
}

function evaluateAll(cases: readonly Case[]): number {
  let checksum = 0;
  for (const c of cases) {
    const decision = evaluate(c);
    checksum += decision.episodes.length + decision.flags.length + decision.status.length;
  }
  return checksum;
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-GB');

const generated = time(() => {
  const random = mulberry32(SEED);
  return Array.from({ length: HISTORIES }, () => syntheticCase(random));
});
const inputs = generated.result;
const eventCount = inputs.reduce((sum, c) => sum + c.events.length, 0);

const parsedRun = time(() =>
  inputs.map((input, i) => {
    const parsed = parseCase(input);
    if (!parsed.ok) throw new Error(`synthetic history ${i} is invalid: ${parsed.problem.detail}`);
    return parsed.value;
  }),
);
const cases = parsedRun.result;

const statuses = new Map<string, number>();
for (const c of cases.slice(0, 20_000)) {
  const status = evaluate(c).status;
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
}
plainReplay(cases.slice(0, 20_000));

const engine = best(() => evaluateAll(cases));
const baseline = best(() => plainReplay(cases));

console.log(`Section 117 rules engine benchmark (Node ${process.version}, seed ${SEED})`);
console.log(`  histories              ${fmt(HISTORIES)} (${fmt(eventCount)} events, ${(eventCount / HISTORIES).toFixed(1)} per history)`);
console.log(`  generated in           ${fmt(Math.round(generated.ms))} ms`);
console.log(`  validated (parseCase)  ${fmt(Math.round(parsedRun.ms))} ms, ${fmt(perSecond(HISTORIES, parsedRun.ms))} cases/s`);
console.log(`  status mix (first 20k) ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}`);
console.log(`  evaluate()             ${fmt(Math.round(engine.ms))} ms, ${fmt(perSecond(HISTORIES, engine.ms))} decisions/s`);
console.log(`  baseline plain replay  ${fmt(Math.round(baseline.ms))} ms, ${fmt(perSecond(HISTORIES, baseline.ms))} histories/s`);
console.log(`  ratio                  evaluate() takes ${(engine.ms / baseline.ms).toFixed(1)}× the plain replay`);
console.log(`  (best of ${ROUNDS} rounds; checksums ${engine.checksum}, ${baseline.checksum})`);
