/**
 * Benchmark: the assurance dashboard and equality monitoring (issue 7) at partnership scale.
 *
 *   npx tsx bench/dashboard.ts [--people 200000] [--runs 5] [--database-url postgres://user@host:port/postgres] [--keep]
 *
 * Starts a throwaway PostgreSQL server (scripts/test-postgres.sh) unless --database-url names
 * one, migrates, seeds the demo partnership and bulk-loads --people synthetic people with
 * bench/register's loader (real rules-engine decisions), then gives every fifth entitled person
 * an approved plan with two services (one in five of them a direct payment), an open dispute
 * to every fiftieth and a recorded ending to every tenth ended person, so every figure has work to do. It
 * then times the dashboard's computation, uncached (computeDashboard / computeEquality, the
 * functions the pages call behind their 60-second cache), as the ICB commissioner (who sees most
 * people), for the whole partnership and filtered to one local authority.
 */
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { parseOptions } from '../src/cli/context.ts';
import { loadUserActor } from '../src/platform/auth/actor-loader.ts';
import { todayInLondon } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { seedDemo } from '../src/modules/demo/partnership.ts';
import * as schema from '../src/platform/db/schema.ts';
import { serviceContext, type ServiceContext } from '../src/platform/http/context.ts';
import { computeDashboard, parseDashboardQuery } from '../src/modules/dashboards/dashboard.service.ts';
import { computeEquality } from '../src/modules/equality/equality.service.ts';
import { loadRegisterOptions } from '../src/modules/register/list.queries.ts';
import { bulkLoad } from './register/bulk-load.ts';
import { createDatabase, describeServer, startPostgres, type BenchPostgres } from './register/postgres.ts';

const { options } = parseOptions(process.argv.slice(2));
const number = (name: string, fallback: number) => {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a whole number greater than 0`);
  return n;
};
const PEOPLE = number('people', 200_000);
const RUNS = number('runs', 5);
const KEEP = options.keep === true;
const COMMISSIONER = 'commissioner@demo.aftercare.example';
const log = (line: string) => console.log(line);
const fmt = (n: number) => n.toLocaleString('en-GB');
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function addPlansDisputesEndings(pool: pg.Pool, partnershipId: string, today: string): Promise<{ plans: number; services: number; disputes: number; endings: number }> {
  const plans = await pool.query(
    `insert into aftercare_plan (partnership_id, person_id, plan_number, status, approved_at)
     select partnership_id, id, 1, 'approved', (coalesce(entitlement_start, $2::date) + 30)::timestamptz
     from person where partnership_id = $1 and status = 'entitled' and abs(hashtext(id::text)) % 5 = 0`,
    [partnershipId, today],
  );
  const services = await pool.query(
    `insert into plan_service (partnership_id, plan_id, person_id, need_ids, service_type, provider, start_on, frequency, units_per_week, unit_cost_pence, weekly_cost_pence, delivery_route, s117, local_authority_basis_points, split_basis)
     select a.partnership_id, a.id, a.person_id, '{}', t.service_type, 'Bench Care', $2::date - 60, 'weekly', t.units, t.unit_cost, round(t.units * t.unit_cost)::int,
            (case when t.n = 2 and abs(hashtext(a.id::text)) % 5 = 0 then 'direct-payment' else 'commissioned' end)::delivery_route, true, t.split, 'Bench split'
     from aftercare_plan a
     cross join (values (1, 'Supported accommodation', 7::numeric, 9500, 5000), (2, 'Community support', 6.5::numeric, 2150, 10000)) as t(n, service_type, units, unit_cost, split)
     where a.partnership_id = $1`,
    [partnershipId, today],
  );
  const orgs = await pool.query<{ id: string; code: string }>(`select id, code from organisation where partnership_id = $1 and code in ('E06000901', 'E06000902')`, [partnershipId]);
  const [a, b] = orgs.rows;
  const disputes = await pool.query(
    `insert into dispute (partnership_id, person_id, kind, party_a_organisation_id, party_b_organisation_id, arose_on, interim_lead_organisation_id, stage_changed_on, summary)
     select partnership_id, id, 'ordinary-residence', $2, $3, $4::date - (abs(hashtext(id::text)) % 200), $2, $4::date, 'Bench dispute'
     from person where partnership_id = $1 and status = 'entitled' and abs(hashtext(id::text)) % 50 = 1`,
    [partnershipId, a!.id, b!.id, today],
  );
  const endings = await pool.query(
    `insert into ending_proposal (partnership_id, person_id, status, effective_on, reason_codes, reasons, person_involved)
     select partnership_id, id, 'recorded', $2::date - (abs(hashtext(id::text)) % 400), array['doing-well', 'no-longer-in-need'], 'Bench ending', true
     from person where partnership_id = $1 and status = 'ended' and abs(hashtext(id::text)) % 10 = 2`,
    [partnershipId, today],
  );
  return { plans: plans.rowCount ?? 0, services: services.rowCount ?? 0, disputes: disputes.rowCount ?? 0, endings: endings.rowCount ?? 0 };
}

async function time(label: string, run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up: plans cached, pages in memory
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)]!;
  log(`  ${label.padEnd(52)} median ${ms(median)}, min ${ms(times[0]!)}, max ${ms(times.at(-1)!)} (${RUNS} runs)`);
  return median;
}

async function main(): Promise<number> {
  const started = performance.now();
  let server: BenchPostgres | null = null;
  const cleanups: Array<() => Promise<void>> = [];
  process.once('SIGINT', () => {
    server?.stop();
    process.exit(130);
  });
  try {
    let adminUrl = typeof options['database-url'] === 'string' ? options['database-url'] : null;
    if (!adminUrl) {
      server = await startPostgres();
      if (!server) {
        log('Dashboard benchmark SKIPPED: PostgreSQL is not installed (apt-get install -y postgresql), or pass --database-url.');
        return 0;
      }
      adminUrl = server.adminUrl;
    }
    const created = await createDatabase(adminUrl, 'aftercare_bench_dashboard');
    if (!KEEP) cleanups.push(created.drop);
    const loader = new pg.Pool({ connectionString: created.url, max: 2 });
    loader.on('error', () => undefined);
    cleanups.push(async () => loader.end());
    const today = todayInLondon();

    const base = await openDatabase({ databaseUrl: created.url, poolSize: 2 });
    await base.migrate();
    const partnershipId = await seedDemo(base.db);
    await base.close();
    const load = await bulkLoad(loader, partnershipId, PEOPLE, today, () => undefined);
    const extra = await addPlansDisputesEndings(loader, partnershipId, today);
    await loader.query('vacuum analyze');

    const database = await openDatabase({ databaseUrl: created.url, poolSize: 4 });
    cleanups.push(async () => database.close());
    const config = loadConfig({ NODE_ENV: 'production', MFA_SECRET_KEY: randomBytes(48).toString('base64'), DATABASE_URL: created.url, SESSION_SECRET: randomBytes(48).toString('base64'), SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
    const user = (await database.db.select().from(schema.appUser).where(eq(schema.appUser.email, COMMISSIONER)))[0]!;
    const actor = (await loadUserActor(database.db, user.id))!;
    const ctx: ServiceContext = serviceContext({ db: database.db, actor, requestId: 'bench-dashboard', config });
    const registerOptions = await loadRegisterOptions(ctx);

    log(`Dashboard benchmark (Node ${process.version}, ${os.cpus().length} cores, ${await describeServer(loader)})`);
    log(`  people                 ${fmt(load.people)}; ${fmt(extra.plans)} approved plans, ${fmt(extra.services)} services, ${fmt(extra.disputes)} open disputes, ${fmt(extra.endings)} recorded endings`);
    log(`  loaded in              ${(load.milliseconds.total / 1000).toFixed(1)} s`);
    const whole = parseDashboardQuery({}, registerOptions, today);
    const oneLa = parseDashboardQuery({ la: 'E06000901' }, registerOptions, today);
    // The baseline: one pass over the partnership's people, grouped by status (the least any
    // dashboard over them could cost), measured in this run on the same server.
    const baseline = await time('baseline: one grouped scan of the people table', () =>
      loader.query('select status, count(*) from person where partnership_id = $1 group by status', [partnershipId]),
    );
    const ratio = (median: number) => log(`  ${''.padEnd(52)} ratio to the baseline ${(median / baseline).toFixed(1)}×`);
    ratio(await time('dashboard, whole partnership (commissioner)', () => computeDashboard(ctx, whole, registerOptions, today)));
    ratio(await time('dashboard, one local authority', () => computeDashboard(ctx, oneLa, registerOptions, today)));
    ratio(await time('equality monitoring, whole partnership', () => computeEquality(ctx, whole, registerOptions, today)));
    ratio(await time('equality monitoring, one local authority', () => computeEquality(ctx, oneLa, registerOptions, today)));
    log('  (uncached; the pages serve a computed dashboard from memory for 60 s per scope and filters)');
    log(`  (whole run ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
    if (KEEP) log(`  kept the database (--keep): ${options['database-url'] ?? server?.adminUrl}; data directory ${server?.dataDir ?? 'n/a'}`);
    else server?.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`Dashboard benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
