/**
 * Benchmark: the Section 117 register at partnership scale and beyond, on PostgreSQL, over HTTP.
 *
 *   npx tsx bench/register.ts [--people 200000] [--concurrency 10] [--seconds 20] [--requests 5000]
 *                             [--database-url postgres://user@host:port/postgres] [--explain] [--only a,b,c]
 *                             [--keep] [--reuse --pgdata DIR] [--sql]
 *
 * 1. Starts a throwaway PostgreSQL server (scripts/test-postgres.sh, on a free port and its own
 *    data directory; stopped at the end) unless --database-url names one, and creates a fresh
 *    database in it. Without PostgreSQL installed it says so and skips.
 * 2. Migrates, seeds the demo partnership (organisations, teams, users), then bulk-loads
 *    --people synthetic people: the demo's deterministic histories (s3, s2→s3, s37/41, CTOs,
 *    re-detentions, disputes, endings, deaths, people still detained…), each person's stored
 *    decision computed by the real rules engine, with their legal events, contacts and flag tasks.
 * 3. Starts the real app (buildApp, production settings, a pool of 10 connections) on 127.0.0.1,
 *    signs in once as the ICB commissioner (who sees most people) and measures, with
 *    --concurrency HTTP clients in a worker thread, each page for --seconds or --requests:
 *      (a) register search by NHS number   GET /register?q=<NHS number>
 *      (b) a filtered and sorted register   GET /register?status=entitled&la=E06000901&sort=review
 *      (c) the person page                  GET /people/<id>
 *    and, as the floor, the same queries run directly with the same concurrency: the session
 *    and actor look-ups every request makes, then the very query functions the route calls
 *    (loadRegisterOptions + registerPage, or getPersonRecord with the other modules' sections' reads, then the sections) with the same context. Before
 *    measuring, the SQL of one request is captured through Drizzle's logger and compared with
 *    the floor's, so the floor runs the same statements.
 * 4. Prints p50/p95/p99 latency and throughput of each, and the ratio page/floor. Targets (issue 4):
 *    p95 under 100 ms, page time within 2× of its queries. A missed target prints EXPLAIN ANALYZE
 *    of the page's slowest statement (all of them with --explain). It also prints the CPU each
 *    request cost the app's event loop and PostgreSQL (steadier than latency when other work
 *    shares the machine), and, for reference, what HTTP alone costs (GET /ping).
 *
 * --keep leaves the loaded database (and the server it started) running for investigation, and
 * prints how to reach and stop them; --reuse with --database-url measures that kept database
 * again without reloading it (add --pgdata <its data directory> to count PostgreSQL's CPU). --sql
 * prints the statements of one request of each page.
 */
import { parseOptions } from '../src/cli/context.ts';
import { todayInLondon } from '../src/platform/clock.ts';
import { visiblePeople } from '../src/modules/register/access.queries.ts';
import { loadRegisterOptions, parseRegisterQuery, registerPage } from '../src/modules/register/list.queries.ts';
import { getPersonRecord } from '../src/modules/register/people.service.ts';
import { personSectionReads, showPersonSections } from '../src/platform/views/person-sections.ts';
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
const limits: Limits = { concurrency: number('concurrency', 10), maxRequests: number('requests', 5000), maxMs: number('seconds', 20) * 1000, warmup: 200 };
const COMMISSIONER = 'commissioner@demo.aftercare.example';
const TARGET_P95_MS = 100;
const TARGET_RATIO = 2;

const fmt = (n: number) => n.toLocaleString('en-GB');

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

const bench: PageBench = {
  title: 'Register',
  databaseName: 'aftercare_bench_register',
  people: PEOPLE,
  email: COMMISSIONER,
  options,
  limits,
  targetP95Ms: () => TARGET_P95_MS,
  targetRatio: TARGET_RATIO,
  async prepare({ database, actor, ctxFor, authenticate }) {
    // People the commissioner may open, spread through the register (deterministic choice).
    const visible = await database.db.select({ id: person.id, nhsNumber: person.nhsNumber }).from(person).where(visiblePeople(actor)).orderBy(person.nhsNumber);
    const step = Math.max(1, Math.floor(visible.length / 2000));
    const sample = visible.filter((_, i) => i % step === 0).slice(0, 2000);

    const filteredQuery = { status: 'entitled', la: 'E06000901', sort: 'review' };
    const scenarios: Scenario[] = [
      {
        label: '(a) search by NHS number',
        shown: 'GET /register?q=<NHS number>',
        targets: sample.map((p) => ({ path: `/register?q=${p.nhsNumber}`, expect: `href="/people/${p.id}"` })),
        floor: async (i) => {
          const ctx = ctxFor(i);
          await authenticate();
          // As the route does: one short read for the lists and the page.
          const result = await ctx.data.read(async () => {
            const registerOptions = await loadRegisterOptions(ctx);
            const { filter } = parseRegisterQuery({ q: sample[i % sample.length]!.nhsNumber }, registerOptions);
            return registerPage(ctx, filter, registerOptions, todayInLondon());
          });
          if (result.total !== 1) throw new Error(`search found ${result.total} people`);
        },
      },
      {
        label: '(b) filtered, sorted register',
        shown: `GET /register?${new URLSearchParams(filteredQuery).toString()}`,
        targets: [{ path: `/register?${new URLSearchParams(filteredQuery).toString()}`, expect: 'data-qa="register-row"' }],
        floor: async (i) => {
          const ctx = ctxFor(i);
          await authenticate();
          // As the route does: one short read for the lists and the page.
          const result = await ctx.data.read(async () => {
            const registerOptions = await loadRegisterOptions(ctx);
            const { filter } = parseRegisterQuery(filteredQuery, registerOptions);
            return registerPage(ctx, filter, registerOptions, todayInLondon());
          });
          if (result.rows.length !== 50) throw new Error(`the page has ${result.rows.length} rows`);
        },
      },
      {
        label: '(c) person page',
        shown: 'GET /people/<id>',
        targets: sample.map((p) => ({ path: `/people/${p.id}`, expect: `/people/${p.id}/history` })),
        floor: async (i) => {
          await authenticate();
          // As the route does: the record and the other modules' sections in one unit of work, their reads in one statement.
          const ctx = ctxFor(i);
          const id = sample[i % sample.length]!.id;
          const today = ctx.today();
          await ctx.data.transaction(async () => {
            const record = await getPersonRecord(ctx, id, (q) => personSectionReads(q, ctx, { id }, today), 'overview');
            await showPersonSections(ctx, record.person, today, record.also);
          });
        },
      },
    ];
    return { lines: [`  signed in as           ${COMMISSIONER} (ICB commissioner), who may see ${fmt(visible.length)} people`], scenarios };
  },
};

try {
  process.exitCode = await runPageBench(bench);
} catch (error) {
  console.error(`Register benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
