/**
 * The HTTP clients of the register benchmark, in a worker thread: `concurrency` clients, each
 * with its own keep-alive connection, GET the targets in turn with the session cookie, read
 * the whole body and check it. Posts a LoadResult back to the parent.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { HttpTarget, Limits, LoadResult } from './load.ts';

const { baseUrl, cookie, targets, limits } = workerData as { baseUrl: string; cookie: string; targets: HttpTarget[]; limits: Limits };
const url = new URL(baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: limits.concurrency });

function get(target: HttpTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: target.path, method: 'GET', agent, headers: { cookie, accept: 'text/html' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) reject(new Error(`GET ${target.path}: HTTP ${response.statusCode}`));
          else if (!body.includes(target.expect)) reject(new Error(`GET ${target.path}: the page does not contain “${target.expect}”`));
          else resolve();
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

async function run(): Promise<LoadResult> {
  let next = 0;
  const warm = async () => {
    for (;;) {
      const i = next++;
      if (i >= limits.warmup) return;
      await get(targets[i % targets.length]!);
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, warm));
  next = 0;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const deadline = started + limits.maxMs;
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= limits.maxRequests || performance.now() > deadline) return;
      const t = performance.now();
      try {
        await get(targets[(limits.warmup + i) % targets.length]!);
        latencies.push(performance.now() - t);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, client));
  return { latencies, errors, firstError, elapsedMs: performance.now() - started };
}

run().then(
  (result) => {
    agent.destroy();
    parentPort!.postMessage(result);
  },
  (error: unknown) => {
    agent.destroy();
    throw error;
  },
);
