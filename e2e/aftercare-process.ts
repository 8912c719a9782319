import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/**
 * Aftercare started exactly as the README says (`node bin/aftercare.mjs serve`, which is what
 * `npm start` runs) on a free port, with an embedded database in `dataDir` (seeded with the demo
 * partnership when empty). The suite's global set-up starts one for every journey; a journey that
 * needs "tomorrow" starts its own and starts it again on the same database with the clock moved on
 * (CLOCK_OFFSET_HOURS, refused in production).
 */
export interface AftercareProcess {
  baseUrl: string;
  stop(): Promise<void>;
}

/** A port nobody is listening on now, for a server of a journey's own. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startAftercare(dataDir: string, env: Record<string, string> = {}): Promise<AftercareProcess> {
  const port = await freePort();
  const root = path.resolve(import.meta.dirname, '..');
  const child: ChildProcess = spawn(process.execPath, ['bin/aftercare.mjs', 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', AFTERCARE_DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'warn', SEED_DEMO: 'true',
      // Every journey signs in from 127.0.0.1; the sign-in limit itself is tested in the integration suite.
      SIGN_IN_MAX_PER_15_MIN: '10000', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  // First start seeds the demo partnership and its 400 people: allow for a slow, busy machine.
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Aftercare exited during start-up:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Aftercare did not start within 240 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
