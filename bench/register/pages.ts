import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadUserActor } from '../../src/platform/auth/actor-loader.ts';
import { DatabaseSessionStore } from '../../src/platform/auth/session-store.ts';
import { todayInLondon } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { seedDemo } from '../../src/modules/demo/partnership.ts';
import { serviceContext, type ServiceContext } from '../../src/platform/http/context.ts';
import type { Actor } from '../../src/platform/access/actor.ts';
import { bulkLoad } from './bulk-load.ts';
import { postmasterPid } from './cpu.ts';
import { createDatabase, describeServer, startPostgres, type BenchPostgres } from './postgres.ts';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Database, Db } from '../../src/platform/db/database.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/partnership.ts';
import * as schema from '../../src/platform/db/schema.ts';
import { describeFigures, figures, httpLoad, runConcurrent, type Figures, type HttpTarget, type Limits } from './load.ts';
import { cpuMark, cpuSince, type CpuSpent } from './cpu.ts';

/*
 * Measuring a page of the running app against its floor, for bench/register.ts and
 * bench/chronology.ts: the app's database with Drizzle's logger switched on for one request at a
 * time (to compare a page's statements with its floor's), signing in over HTTP, and one
 * scenario's measurement: the page under load over HTTP, then the same service calls without
 * HTTP, with p50/p95/p99, CPU per request, the ratio and the targets.
 */

const fmt = (n: number) => n.toLocaleString('en-GB');
const log = (line = '') => console.log(line);

// ---------------------------------------------------------------------------
// The app's database, with Drizzle's logger switched on for one request at a time
// ---------------------------------------------------------------------------

export interface Statement {
  sql: string;
  params: unknown[];
}
const capture: { on: boolean; statements: Statement[] } = { on: false, statements: [] };

export function appDatabase(url: string): { database: Database; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'aftercare' });
  // Stopping the benchmark's server ends any connection still open; that is expected here.
  pool.on('error', () => undefined);
  const db = drizzle(pool, {
    schema,
    logger: {
      logQuery: (sql, params) => {
        if (capture.on) capture.statements.push({ sql, params });
      },
    },
  }) as unknown as Db;
  const database: Database = {
    db,
    engine: 'postgres',
    migrate: async () => undefined,
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      await pool.end();
    },
  };
  return { database, pool };
}

/** The statements one operation runs; the session row's rewrite (at most once a minute) is counted apart. */
async function captured(fn: () => Promise<unknown>): Promise<{ statements: Statement[]; sessionWrites: number }> {
  capture.statements = [];
  capture.on = true;
  try {
    await fn();
  } finally {
    capture.on = false;
  }
  const isSessionWrite = (s: Statement) => /^insert into "session"/i.test(s.sql);
  return { statements: capture.statements.filter((s) => !isSessionWrite(s)), sessionWrites: capture.statements.filter(isSessionWrite).length };
}

function sameStatements(a: Statement[], b: Statement[]): boolean {
  const key = (s: Statement[]) => s.map((x) => x.sql).sort().join('\n');
  return key(a) === key(b);
}

// ---------------------------------------------------------------------------
// Signing in over HTTP
// ---------------------------------------------------------------------------

function cookiesOf(response: Response, jar: Map<string, string>): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
  }
}

export async function signIn(baseUrl: string, email: string): Promise<string> {
  const jar = new Map<string, string>();
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await fetch(`${baseUrl}/sign-in`);
  cookiesOf(form, jar);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error('The sign-in page has no CSRF token');
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD }).toString(),
  });
  cookiesOf(response, jar);
  if (response.status !== 302) throw new Error(`Signing in as ${email} failed: HTTP ${response.status}`);
  return header();
}

// ---------------------------------------------------------------------------
// Measuring one page against its floor
// ---------------------------------------------------------------------------

export interface Scenario {
  label: string;
  shown: string;
  targets: HttpTarget[];
  /** The same work without HTTP: the session and actor look-ups, then the route's query functions. */
  floor: (i: number) => Promise<void>;
}

export interface Outcome {
  scenario: Scenario;
  page: Figures;
  floor: Figures;
  statements: Statement[];
  /** The app's event-loop time per request over HTTP. */
  pageCpuMs: number;
}

/** How a run measures: its load, its targets, and what it prints besides the figures. */
export interface MeasureSettings {
  limits: Limits;
  /** The p95 a page must stay under, by the scenario's label. */
  targetP95Ms: (label: string) => number;
  /** How many times its floor's p50 a page may take. */
  targetRatio: number;
  /** EXPLAIN ANALYZE every statement of every page (otherwise only the slowest, and only of a page that misses). */
  explainAll: boolean;
  /** Print every statement of a page and its floor. */
  showSql: boolean;
  /** Save each page's HTML under this prefix. */
  savePage: string | null;
  /** The partnership the signed-in user works in, for EXPLAIN under the door's policy. */
  partnershipId: string;
}

/**
 * EXPLAIN ANALYZE each of a request's SELECTs as the door runs them: as the tenant role, under
 * row-level security, for the partnership (the owner's plan, without the policy, can differ).
 */
async function explain(pool: pg.Pool, statements: Statement[], all: boolean, partnershipId: string): Promise<void> {
  const plans: { ms: number; sql: string; plan: string[] }[] = [];
  for (const s of statements) {
    if (!/^\s*(select|with)\b/i.test(s.sql) || /set_config\(/.test(s.sql)) continue;
    const client = await pool.connect();
    let lines: string[];
    try {
      await client.query('begin read only');
      await client.query(`select set_config('aftercare.partnership_id', $1, true), set_config('role', 'aftercare_tenant', true)`, [partnershipId]);
      const result = await client.query<{ 'QUERY PLAN': string }>({ text: `explain (analyze, buffers) ${s.sql}`, values: s.params });
      lines = result.rows.map((r) => r['QUERY PLAN']);
    } finally {
      await client.query('rollback');
      client.release();
    }
    const ms = Number(/Execution Time: ([\d.]+) ms/.exec(lines.at(-1) ?? '')?.[1] ?? 0);
    plans.push({ ms, sql: s.sql, plan: lines });
  }
  plans.sort((a, b) => b.ms - a.ms);
  log(`      statements by execution time: ${plans.map((p) => `${p.ms.toFixed(2)} ms`).join(', ')}`);
  for (const p of all ? plans : plans.slice(0, 1)) {
    log(`      EXPLAIN ANALYZE (${p.ms.toFixed(2)} ms): ${p.sql.length > 400 ? `${p.sql.slice(0, 400)}…` : p.sql}`);
    for (const line of p.plan) log(`        ${line}`);
  }
}

const perRequest = (spent: CpuSpent, requests: number) =>
  `app ${(spent.app / requests).toFixed(2)} ms${spent.postgres === null ? '' : ` + PostgreSQL ${(spent.postgres / requests).toFixed(2)} ms`}`;

export async function measure(s: Scenario, baseUrl: string, cookie: string, pool: pg.Pool, postmaster: number | null, settings: MeasureSettings): Promise<Outcome> {
  const { limits, targetRatio: TARGET_RATIO } = settings;
  const TARGET_P95_MS = settings.targetP95Ms(s.label);
  log();
  log(`  ${s.label}   ${s.shown}`);
  // The statements of one request over HTTP, and of one floor operation: they must be the same.
  let bytes = 0;
  const pageRun = await captured(async () => {
    const response = await fetch(`${baseUrl}${s.targets[0]!.path}`, { headers: { cookie } });
    const body = await response.text();
    bytes = Buffer.byteLength(body);
    if (settings.savePage) (await import('node:fs')).writeFileSync(`${settings.savePage}-${s.label.slice(1, 2)}.html`, body);
    if (response.status !== 200 || !body.includes(s.targets[0]!.expect)) throw new Error(`${s.targets[0]!.path}: HTTP ${response.status}, or the page lacks “${s.targets[0]!.expect}”`);
  });
  const floorRun = await captured(() => s.floor(0));
  const pageStatements = pageRun.statements;
  const same = sameStatements(pageStatements, floorRun.statements);
  log(`      SQL per request     ${pageStatements.length} statements over HTTP, ${floorRun.statements.length} in the floor${same ? ' (the same statements)' : ' — DIFFERENT:'}${pageRun.sessionWrites ? ` (and ${pageRun.sessionWrites} session write, made at most once a minute)` : ''}; the page is ${fmt(Math.round(bytes / 1024))} KB`);
  if (!same || settings.showSql) {
    for (const st of pageStatements) log(`        page:  ${st.sql.slice(0, 160)}`);
    for (const st of floorRun.statements) log(`        floor: ${st.sql.slice(0, 160)}`);
  }

  let mark = cpuMark(postmaster);
  const pageLoad = await httpLoad(baseUrl, cookie, s.targets, limits);
  const pageCpu = cpuSince(mark, postmaster);
  const page = figures(pageLoad);
  if (pageLoad.firstError) log(`      page error: ${pageLoad.firstError}`);
  mark = cpuMark(postmaster);
  const floorLoad = await runConcurrent(limits, s.floor);
  const floorCpu = cpuSince(mark, postmaster);
  const floor = figures(floorLoad);
  if (floorLoad.firstError) log(`      floor error: ${floorLoad.firstError}`);
  log(`      ${describeFigures('page over HTTP', page)}`);
  log(`      ${describeFigures('floor (its queries)', floor)}`);
  // Warm-up requests are included in the CPU figures, so they are divided by them too.
  log(`      CPU per request       page: ${perRequest(pageCpu, limits.warmup + page.count + page.errors)};   floor: ${perRequest(floorCpu, limits.warmup + floor.count + floor.errors)}`);
  const p50 = page.p50 / floor.p50;
  const p95 = page.p95 / floor.p95;
  log(`      ratio page/floor      p50 ${p50.toFixed(2)}×   p95 ${p95.toFixed(2)}×   throughput ${(floor.perSecond / page.perSecond).toFixed(2)}× fewer requests/s`);
  const fast = page.p95 < TARGET_P95_MS;
  const close = p50 <= TARGET_RATIO;
  log(`      targets               p95 < ${TARGET_P95_MS} ms: ${fast ? 'met' : 'MISSED'};   within ${TARGET_RATIO}× of its queries (p50): ${close ? 'met' : 'MISSED'}`);
  if (!fast || settings.explainAll) await explain(pool, pageStatements, settings.explainAll, settings.partnershipId);
  return { scenario: s, page, floor, statements: pageStatements, pageCpuMs: pageCpu.app / (limits.warmup + page.count + page.errors) };
}

// ---------------------------------------------------------------------------
// A whole run: the database, the app, signing in, the reference and each scenario
// ---------------------------------------------------------------------------

/** What a benchmark's scenarios are given: the loaded database, the signed-in actor and the floor's helpers. */
export interface BenchEnvironment {
  /** A small pool for loading more data. */
  loader: pg.Pool;
  /** The database was kept from an earlier run (--reuse). */
  existed: boolean;
  database: Database;
  actor: Actor;
  /** A service context for the floor's i-th operation, as a request would have. */
  ctxFor: (i: number) => ServiceContext;
  /** What every signed-in request does before its route: read the session, load the actor. */
  authenticate: () => Promise<void>;
}

/** One benchmark of pages: its name, its data and its scenarios. */
export interface PageBench {
  title: string;
  databaseName: string;
  people: number;
  /** Who signs in. */
  email: string;
  options: Record<string, string | boolean>;
  limits: Limits;
  targetP95Ms: (label: string) => number;
  targetRatio: number;
  /** More data and the scenarios, with lines to print about them. */
  prepare: (env: BenchEnvironment) => Promise<{ lines: string[]; scenarios: Scenario[] }>;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function runPageBench(bench: PageBench): Promise<number> {
  const { options, limits } = bench;
  const KEEP = options.keep === true;
  const REUSE = options.reuse === true;
  const started = performance.now();
  let server: BenchPostgres | null = null;
  let databaseUrl: string | null = null;
  const cleanups: Array<() => Promise<void>> = [];
  const stopServer = () => server?.stop();
  process.once('SIGINT', () => {
    stopServer();
    process.exit(130);
  });
  process.once('SIGTERM', () => {
    stopServer();
    process.exit(143);
  });
  try {
    let adminUrl = typeof options['database-url'] === 'string' ? options['database-url'] : null;
    if (!adminUrl) {
      server = await startPostgres();
      if (!server) {
        log(`${bench.title} benchmark SKIPPED: PostgreSQL is not installed (apt-get install -y postgresql), or pass --database-url.`);
        return 0;
      }
      adminUrl = server.adminUrl;
    }
    if (REUSE && !options['database-url']) throw new Error('--reuse needs --database-url (the server a --keep run left running)');
    const created = await createDatabase(adminUrl, bench.databaseName, REUSE);
    databaseUrl = created.url;
    if (!KEEP && !REUSE) cleanups.push(created.drop);

    const loader = new pg.Pool({ connectionString: created.url, max: 2 });
    loader.on('error', () => undefined);
    cleanups.push(async () => loader.end());
    let loaded: string[];
    if (created.existed) {
      const counts = (
        await loader.query<{ people: number; events: number; contacts: number; tasks: number }>(
          `select (select count(*) from person)::int as people, (select count(*) from legal_event)::int as events, (select count(*) from person_contact)::int as contacts, (select count(*) from task where status = 'open')::int as tasks`,
        )
      ).rows[0]!;
      const mix = await loader.query<{ status: string; n: number }>('select status, count(*)::int as n from person group by status order by n desc');
      loaded = [
        `  people                 ${fmt(counts.people)} (${fmt(counts.events)} legal events; ${fmt(counts.contacts)} contacts; ${fmt(counts.tasks)} open tasks), reused from an earlier run`,
        `  status mix             ${mix.rows.map((r) => `${r.status} ${fmt(r.n)}`).join(', ')}`,
      ];
    } else {
      // Schema and the demo partnership, exactly as the app would create them.
      const base = await openDatabase({ databaseUrl: created.url, poolSize: 2 });
      await base.migrate();
      const partnershipId = await seedDemo(base.db);
      await base.close();
      const load = await bulkLoad(loader, partnershipId, bench.people, todayInLondon(), log);
      const vacuumStarted = performance.now();
      await loader.query('vacuum analyze');
      const vacuumMs = performance.now() - vacuumStarted;
      loaded = [
        `  people                 ${fmt(load.people)} (${fmt(load.events)} legal events, ${(load.events / load.people).toFixed(1)} per person; ${fmt(load.contacts)} contacts; ${fmt(load.tasks)} open flag tasks)`,
        `  status mix             ${Object.entries(load.statuses).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`,
        `  loaded in              ${seconds(load.milliseconds.total)} (rows built in ${seconds(load.milliseconds.prepare)}, of which the rules engine ${seconds(load.milliseconds.evaluate)}; inserts ${seconds(load.milliseconds.insert)}, overlapping); vacuum analyze ${seconds(vacuumMs)}`,
      ];
    }

    const { database, pool } = appDatabase(created.url);
    cleanups.push(async () => database.close());
    const config = loadConfig({
      NODE_ENV: 'production',
      MFA_SECRET_KEY: randomBytes(48).toString('base64'),
      DATABASE_URL: created.url,
      SESSION_SECRET: randomBytes(48).toString('base64'),
      SECURE_COOKIES: 'false',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    });
    const app = await buildApp({ config, database, logger: false });
    cleanups.push(async () => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const cookie = await signIn(baseUrl, bench.email);
    const user = (await database.db.select().from(schema.appUser).where(eq(schema.appUser.email, bench.email)))[0]!;
    const actor = (await loadUserActor(database.db, user.id))!;
    // The session id is the signed cookie's value before its signature.
    const signed = decodeURIComponent(/(?:^|; )(?:__Host-)?aftercare=([^;]+)/.exec(cookie)?.[1] ?? '');
    const sid = signed.slice(0, signed.lastIndexOf('.'));
    const store = new DatabaseSessionStore(database.db, config.sessionIdleMs);
    const ctxFor = (i: number): ServiceContext => serviceContext({ db: database.db, actor, requestId: `bench-floor-${i}`, config });
    /** What every signed-in request does before its route: read the session, load the actor. */
    const authenticate = async () => {
      await new Promise<void>((resolve, reject) => store.get(sid, (error) => (error ? reject(error as Error) : resolve())));
      await loadUserActor(database.db, user.id, actor.activeOrganisationId);
    };

    const prepared = await bench.prepare({ loader, existed: created.existed, database, actor, ctxFor, authenticate });

    log(`${bench.title} benchmark (Node ${process.version}, ${os.cpus().length} cores, ${await describeServer(pool)})`);
    for (const line of loaded) log(line);
    for (const line of prepared.lines) log(line);
    log(`  load                   ${limits.concurrency} concurrent clients, ${fmt(limits.maxRequests)} requests or ${limits.maxMs / 1000} s per measurement after ${limits.warmup} warm-up requests`);
    const scenarios = prepared.scenarios;
    // --only b (or a,c) measures some of them.
    const only = typeof options.only === 'string' ? options.only.split(',').map((x) => x.trim()) : null;
    const chosen = only ? scenarios.filter((sc) => only.some((o) => sc.label.startsWith(`(${o})`))) : scenarios;
    const outcomes: Outcome[] = [];
    // PostgreSQL's CPU is read from /proc when its data directory is known (--pgdata for --database-url).
    const postmaster = server ? postmasterPid(server.dataDir) : typeof options.pgdata === 'string' ? postmasterPid(options.pgdata) : null;

    // For reading the ratios: what HTTP alone costs here, a request that touches neither the database nor a template.
    const pingMark = cpuMark(postmaster);
    const ping = figures(await httpLoad(baseUrl, '', [{ path: '/ping', expect: 'UP' }], { ...limits, maxRequests: Math.min(limits.maxRequests, 2000) }));
    const pingCpu = cpuSince(pingMark, postmaster);
    log();
    log(`  (ref) HTTP alone          GET /ping (no session, no database, no page)`);
    log(`      ${describeFigures('over HTTP', ping)}`);
    log(`      CPU per request       app ${(pingCpu.app / (limits.warmup + ping.count)).toFixed(2)} ms`);
    const settings: MeasureSettings = {
      limits,
      targetP95Ms: bench.targetP95Ms,
      targetRatio: bench.targetRatio,
      explainAll: options.explain === true,
      showSql: options.sql === true,
      savePage: typeof options['save-page'] === 'string' ? options['save-page'] : null,
      partnershipId: actor.partnershipId,
    };
    for (const s of chosen) outcomes.push(await measure(s, baseUrl, cookie, pool, postmaster, settings));

    log();
    log(`  ${'summary'.padEnd(30)} p50 ms   p95 ms    req/s   floor p50   floor p95   ratio p50   ratio p95`);
    for (const o of outcomes) {
      log(
        `  ${o.scenario.label.padEnd(30)} ${o.page.p50.toFixed(1).padStart(7)} ${o.page.p95.toFixed(1).padStart(8)} ${o.page.perSecond.toFixed(0).padStart(8)} ${o.floor.p50.toFixed(1).padStart(11)} ${o.floor.p95.toFixed(1).padStart(11)} ${(o.page.p50 / o.floor.p50).toFixed(2).padStart(10)}× ${(o.page.p95 / o.floor.p95).toFixed(2).padStart(10)}×`,
      );
    }
    log(`  (whole run ${seconds(performance.now() - started)}; the benchmark's PostgreSQL runs with fsync and synchronous_commit off, as the test server does)`);
    const failed = outcomes.some((o) => o.page.errors > 0 || o.floor.errors > 0);
    return failed ? 1 : 0;
  } finally {
    // Last opened, first closed: the app, its pool, the loader, then the database itself.
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
    if (KEEP && databaseUrl) {
      const port = new URL(databaseUrl).port;
      log(`  kept the database: ${databaseUrl}${server ? `  (stop the server with: PGPORT=${port} PGDIR=/tmp/aftercare-bench-pg-${port} scripts/test-postgres.sh stop)` : ''}`);
    } else stopServer();
  }
}
