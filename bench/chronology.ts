/**
 * Benchmark: one person's chronology (issue 15, item 2) in a register of 200,000 people, on
 * PostgreSQL, over HTTP.
 *
 *   npx tsx bench/chronology.ts [--people 200000] [--entries 5000] [--concurrency 10] [--seconds 20] [--requests 5000]
 *                               [--database-url postgres://user@host:port/postgres] [--explain] [--only a,b] [--keep] [--sql]
 *
 * 1. Starts a throwaway PostgreSQL server (scripts/test-postgres.sh) unless --database-url names
 *    one, creates a fresh database, migrates, seeds the demo partnership and bulk-loads --people
 *    synthetic people exactly as bench/register.ts does (bench/register/bulk-load.ts).
 * 2. Gives one person the commissioner may see a long history: about --entries chronology entries
 *    across seven sources (finished case notes, some significant and some restricted; tasks open
 *    and completed; MDT and review meetings; legal events; information given; reviews held;
 *    documents produced), spread over the last years.
 * 3. Starts the real app (buildApp, production settings, a pool of 10 connections), signs in as
 *    the ICB commissioner and measures, with --concurrency HTTP clients:
 *      (a) the person page for that person        GET /people/<id>
 *      (b) the first page of their chronology     GET /people/<id>/chronology
 *    each against its floor: the session and actor look-ups every request makes, then the very
 *    service calls the route makes (getPersonRecord and the sections; chronologyPage), with the
 *    statements of one request compared with the floor's.
 * 4. Prints p50/p95/p99 and throughput of each, the ratio page/floor, in the format of
 *    bench/register.ts. Targets (issue 15): p95 under 100 ms for the person page and under 200 ms
 *    for the chronology's first page.
 */
import { parseOptions } from '../src/cli/context.ts';
import { longHistory } from './chronology/long-history.ts';
import { visiblePeople } from '../src/modules/register/access.queries.ts';
import { getPersonRecord } from '../src/modules/register/people.service.ts';
import { personSectionReads, showPersonSections } from '../src/platform/views/person-sections.ts';
import { chronologyPage } from '../src/modules/chronology/index.ts';
import { person } from '../src/modules/register/schema.ts';
import type { Limits } from './register/load.ts';
import { runPageBench, type PageBench, type Scenario } from './register/pages.ts';

const { options } = parseOptions(process.argv.slice(2));
const number = (name: string, fallback: number) => {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a whole number greater than 0`);
  return n;
};
const PEOPLE = number('people', 200_000);
const ENTRIES = number('entries', 5000);
const limits: Limits = { concurrency: number('concurrency', 10), maxRequests: number('requests', 5000), maxMs: number('seconds', 20) * 1000, warmup: 200 };
const COMMISSIONER = 'commissioner@demo.aftercare.example';
/** p95 targets (issue 15): the person page 100 ms, the chronology's first page 200 ms. */
const targetFor = (label: string) => (label.startsWith('(b)') ? 200 : 100);
const TARGET_RATIO = 2;

const fmt = (n: number) => n.toLocaleString('en-GB');

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

const bench: PageBench = {
  title: 'Chronology',
  databaseName: 'aftercare_bench_chronology',
  people: PEOPLE,
  email: COMMISSIONER,
  options,
  limits,
  targetP95Ms: targetFor,
  targetRatio: TARGET_RATIO,
  async prepare({ loader, existed, database, actor, ctxFor, authenticate }) {
    // The person with the long history: one the commissioner may open, in the middle of the register.
    const visible = await database.db.select({ id: person.id }).from(person).where(visiblePeople(actor)).orderBy(person.nhsNumber);
    const subject = visible[Math.floor(visible.length / 2)]!;
    const entries = await longHistory(loader, actor.partnershipId, subject.id, ENTRIES, existed);

    const scenarios: Scenario[] = [
      {
        label: '(a) person page, long history',
        shown: 'GET /people/<id>',
        targets: [{ path: `/people/${subject.id}`, expect: `/people/${subject.id}/chronology` }],
        floor: async (i) => {
          await authenticate();
          // As the route does: the record (its overview lists) and the other modules' sections in one
          // unit of work, their reads in one statement.
          const ctx = ctxFor(i);
          const today = ctx.today();
          await ctx.data.transaction(async () => {
            const record = await getPersonRecord(ctx, subject.id, (q) => personSectionReads(q, ctx, { id: subject.id }, today), 'overview');
            await showPersonSections(ctx, record.person, today, record.also);
          });
        },
      },
      {
        label: '(b) chronology, first page',
        shown: 'GET /people/<id>/chronology',
        targets: [{ path: `/people/${subject.id}/chronology`, expect: 'data-qa="chronology-entry"' }],
        floor: async (i) => {
          await authenticate();
          const page = await chronologyPage(ctxFor(i), subject.id, {});
          if (page.entries.length !== 50) throw new Error(`the first page has ${page.entries.length} entries`);
        },
      },
    ];
    return { lines: [`  the long history       ${fmt(entries.total)} chronology entries for one person (${entries.mix})`, `  signed in as           ${COMMISSIONER} (ICB commissioner), who may see ${fmt(visible.length)} people`], scenarios };
  },
};

try {
  process.exitCode = await runPageBench(bench);
} catch (error) {
  console.error(`Chronology benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
