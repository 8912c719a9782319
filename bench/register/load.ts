/**
 * Concurrent load, bounded by a request count and a time limit, and the figures it prints.
 *
 * `runConcurrent` drives any async operation with N concurrent callers (used for the floor:
 * the same queries called directly). `httpLoad` runs the HTTP clients in a worker thread, so
 * the load generator does not share the app's event loop; it keeps one keep-alive connection
 * per client on 127.0.0.1 and checks every response.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

export interface Limits {
  concurrency: number;
  /** Stop after this many measured operations… */
  maxRequests: number;
  /** …or after this long, whichever comes first. */
  maxMs: number;
  /** Operations run first and not measured. */
  warmup: number;
}

export interface LoadResult {
  /** Latency of each measured operation, in milliseconds. */
  latencies: number[];
  errors: number;
  firstError: string | null;
  elapsedMs: number;
}

export interface Figures {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  perSecond: number;
}

export function figures(result: LoadResult): Figures {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return {
    count: sorted.length,
    errors: result.errors,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    mean: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length),
    perSecond: (sorted.length / result.elapsedMs) * 1000,
  };
}

/** Call `operation(i)` from `concurrency` callers until the limits are reached. */
export async function runConcurrent(limits: Limits, operation: (i: number) => Promise<void>): Promise<LoadResult> {
  let next = 0;
  const warm = async () => {
    for (;;) {
      const i = next++;
      if (i >= limits.warmup) return;
      await operation(i);
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, warm));
  next = 0;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const deadline = started + limits.maxMs;
  const caller = async () => {
    for (;;) {
      const i = next++;
      if (i >= limits.maxRequests || performance.now() > deadline) return;
      const t = performance.now();
      try {
        await operation(limits.warmup + i);
        latencies.push(performance.now() - t);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, caller));
  return { latencies, errors, firstError, elapsedMs: performance.now() - started };
}

export interface HttpTarget {
  path: string;
  /** Text the page must contain, so an error page or an empty list is never counted as a result. */
  expect: string;
}

/** GET the targets in turn over HTTP with `limits.concurrency` clients in a worker thread. */
export async function httpLoad(baseUrl: string, cookie: string, targets: HttpTarget[], limits: Limits): Promise<LoadResult> {
  // The worker is TypeScript too: it registers tsx, then imports the worker module.
  const entry = new URL('./http-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { baseUrl, cookie, targets, limits } });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', (message: LoadResult) => resolve(message));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The HTTP load worker stopped (exit code ${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}

const ms = (n: number) => (Number.isNaN(n) ? '   n/a' : n.toFixed(1).padStart(6));

export function describeFigures(label: string, f: Figures): string {
  return `${label.padEnd(22)} p50 ${ms(f.p50)} ms   p95 ${ms(f.p95)} ms   p99 ${ms(f.p99)} ms   ${f.perSecond.toFixed(0).padStart(5)} req/s   (${f.count.toLocaleString('en-GB')} requests${f.errors ? `, ${f.errors} ERRORS` : ''})`;
}
