/**
 * A throwaway PostgreSQL server for the benchmark, started with scripts/test-postgres.sh on its
 * own port and data directory (so it never disturbs a test server), and a fresh database in it.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/test-postgres.sh');

export interface BenchPostgres {
  /** postgres://…/postgres: the maintenance database. */
  adminUrl: string;
  dataDir: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** Start a server; `null` when PostgreSQL is not installed. */
export async function startPostgres(): Promise<BenchPostgres | null> {
  const port = await freePort();
  const dataDir = `/tmp/aftercare-bench-pg-${port}`;
  const env = { ...process.env, PGPORT: String(port), PGDIR: dataDir };
  const started = spawnSync('bash', [script, 'start'], { env, encoding: 'utf8' });
  if (started.status !== 0) {
    if (/not installed/.test(started.stderr)) return null;
    throw new Error(`Could not start PostgreSQL: ${started.stderr || started.stdout}`);
  }
  const adminUrl = started.stdout.trim().split('\n').at(-1)!;
  let stopped = false;
  return {
    adminUrl,
    dataDir,
    stop: () => {
      if (stopped) return;
      stopped = true;
      spawnSync('bash', [script, 'stop'], { env, encoding: 'utf8' });
    },
  };
}

/** Create a new, empty database on the server (or, with `reuse`, keep one that exists) and return its URL. */
export async function createDatabase(adminUrl: string, name: string, reuse = false): Promise<{ url: string; existed: boolean; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let existed = false;
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    if (reuse && exists) existed = true;
    else {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    existed,
    drop: async () => {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** The server's version and the settings that matter for these figures. */
export async function describeServer(pool: pg.Pool): Promise<string> {
  const version = (await pool.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]!.v;
  const settings = await pool.query<{ name: string; setting: string; unit: string | null }>(
    `select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'fsync', 'synchronous_commit', 'max_connections') order by name`,
  );
  const show = settings.rows.map((s) => `${s.name}=${s.unit === '8kB' ? `${(Number(s.setting) * 8) / 1024}MB` : s.unit === 'kB' ? `${Number(s.setting) / 1024}MB` : s.setting}`).join(', ');
  return `PostgreSQL ${version} (${show})`;
}
