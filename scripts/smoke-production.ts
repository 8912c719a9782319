/**
 * Production smoke test (issue 14, item 7): the documented production set-up, end to end, on
 * this machine.
 *
 *   npx tsx scripts/smoke-production.ts [--database-url postgres://user@host:port/postgres] [--keep]
 *
 * 1. Starts a throwaway PostgreSQL (scripts/test-postgres.sh, its own port and directory) unless
 *    --database-url names a server, and creates a fresh database in it.
 * 2. With the production environment a council's IT team writes (docs/operations/aftercare.env.example:
 *    NODE_ENV=production, DATABASE_URL, SESSION_SECRET, MFA_SECRET_KEY, PUBLIC_BASE_URL,
 *    TRUST_PROXY=true behind a TLS proxy), runs `aftercare migrate` and `aftercare partnership create`
 *    exactly as the README's "Going live" says, and takes the set-password link it prints last.
 * 3. Starts `node bin/aftercare.mjs serve`, the systemd unit's ExecStart, and waits for /health.
 * 4. As a browser behind the TLS proxy would (X-Forwarded-Proto: https): opens the link, sets the
 *    administrator's password, signs in, is sent to set up the second factor (required of
 *    administrators in production), sets it up with a code made from the key on the page, and
 *    reaches Home; then checks the security headers, /ping, /health and that /setup is gone.
 * 5. Stops the app with SIGTERM (as systemd does) and checks it exits cleanly.
 * Prints each step and ends with "production smoke test passed" or the step that failed (exit 1).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'otplib';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const KEEP = args.includes('--keep');

const step = (text: string) => console.log(`  ✓ ${text}`);
class SmokeFailure extends Error {}
function expectThat(condition: unknown, what: string): asserts condition {
  if (!condition) throw new SmokeFailure(what);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A browser's cookie jar, behind a TLS-terminating proxy (the app sees X-Forwarded-Proto: https). */
class Visitor {
  private jar = new Map<string, string>();
  constructor(private readonly base: string) {}
  private remember(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }
  async get(url: string): Promise<{ status: number; body: string; headers: Headers; location: string | null }> {
    const response = await fetch(new URL(url, this.base), { redirect: 'manual', headers: this.headers() });
    this.remember(response);
    return { status: response.status, body: await response.text(), headers: response.headers, location: response.headers.get('location') };
  }
  async post(url: string, form: Record<string, string>): Promise<{ status: number; body: string; location: string | null }> {
    const response = await fetch(new URL(url, this.base), {
      method: 'POST',
      redirect: 'manual',
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    this.remember(response);
    return { status: response.status, body: await response.text(), location: response.headers.get('location') };
  }
  private headers(): Record<string, string> {
    return { 'x-forwarded-proto': 'https', cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  }
}

const csrfOf = (html: string) => {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  expectThat(token, 'the form carries a CSRF token');
  return token;
};

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<void> | void> = [];
  let app: ChildProcess | null = null;
  try {
    // 1. PostgreSQL and a fresh database.
    let serverUrl = argValue('--database-url');
    if (!serverUrl) {
      const port = await freePort();
      const env = { ...process.env, PGPORT: String(port), PGDIR: `/tmp/aftercare-smoke-pg-${port}` };
      serverUrl = execFileSync('bash', [path.join(root, 'scripts/test-postgres.sh'), 'start'], { env, encoding: 'utf8' }).trim();
      if (!KEEP) cleanups.push(() => void execFileSync('bash', [path.join(root, 'scripts/test-postgres.sh'), 'stop'], { env }));
    }
    const name = `aftercare_smoke_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const databaseUrl = serverUrl.replace(/\/[^/]*$/, `/${name}`);
    step(`a fresh PostgreSQL database (${name})`);

    // 2. The production environment, the migrations and the partnership.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: randomBytes(48).toString('base64'),
      MFA_SECRET_KEY: randomBytes(48).toString('base64'),
      SSO_SECRET_KEY: randomBytes(32).toString('base64'),
      WEBHOOK_SECRET_KEY: randomBytes(48).toString('base64'),
      PUBLIC_BASE_URL: 'https://aftercare.example.nhs.uk',
      TRUST_PROXY: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const cli = (...cliArgs: string[]) => execFileSync(process.execPath, [path.join(root, 'bin/aftercare.mjs'), ...cliArgs], { env, encoding: 'utf8', cwd: root });
    expectThat(cli('migrate').includes('Migrations applied'), '`aftercare migrate` applies the migrations');
    step('aftercare migrate');
    const created = cli('partnership', 'create', '--name', 'Smoke Test Section 117 Partnership', '--icb', 'QWU', '--local-authorities', 'E08000026,E10000031', '--trusts', 'RYG', '--admin-email', 'admin@smoke.example.nhs.uk');
    const link = created.trim().split('\n').at(-1)!;
    expectThat(link.startsWith('https://aftercare.example.nhs.uk/set-password/'), `the last line printed is the set-password link on PUBLIC_BASE_URL (got "${link}")`);
    step('aftercare partnership create printed the set-password link last');

    // 3. The app as the systemd unit starts it.
    app = spawn(process.execPath, [path.join(root, 'bin/aftercare.mjs'), 'serve'], { env, cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    const started = Date.now();
    for (;;) {
      const health = await fetch(`${base}/health`).catch(() => null);
      if (health?.status === 200) break;
      expectThat(app.exitCode === null, `the app exited while starting (code ${app.exitCode})`);
      expectThat(Date.now() - started < 120_000, 'the app answers /health within two minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    step(`aftercare serve is up (/health 200 in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // 4. The first administrator, as a browser would.
    const browser = new Visitor(base);
    const linkPath = new URL(link).pathname;
    const form = await browser.get(linkPath);
    expectThat(form.status === 200 && form.body.includes('Set your password'), 'the link opens the set-password page');
    const password = `smoke ${randomBytes(9).toString('base64url')} password`;
    const set = await browser.post(linkPath, { _csrf: csrfOf(form.body), password, confirm: password });
    expectThat(set.status === 200 && set.body.includes('Your password has been set'), `the password is set (HTTP ${set.status})`);
    expectThat((await browser.get(linkPath)).status === 410, 'the link works once');
    step('the link set the password, once');

    const signInPage = await browser.get('/sign-in');
    expectThat(signInPage.headers.get('strict-transport-security') && signInPage.headers.get('content-security-policy'), 'security headers (HSTS, CSP) are sent');
    const signedIn = await browser.post('/sign-in', { _csrf: csrfOf(signInPage.body), email: 'admin@smoke.example.nhs.uk', password });
    expectThat(signedIn.status === 302, `signing in redirects (HTTP ${signedIn.status})`);
    const cookieSet = (await browser.get('/')).location;
    expectThat(cookieSet?.startsWith('/account/two-factor'), `an administrator without a second factor is sent to set one up (went to ${cookieSet})`);
    step('the administrator signed in and was sent to set up a second factor');

    const overview = await browser.get('/account/two-factor');
    const start = await browser.post('/account/two-factor/start', { _csrf: csrfOf(overview.body) });
    expectThat(start.location === '/account/two-factor/set-up', 'setting up starts');
    const setUp = await browser.get('/account/two-factor/set-up');
    const key = /data-qa="secret-key">([^<]+)</.exec(setUp.body)?.[1]?.replace(/\s+/g, '');
    expectThat(key, 'the set-up page shows the key as text');
    const confirmed = await browser.post('/account/two-factor/set-up', { _csrf: csrfOf(setUp.body), code: await generate({ secret: key }) });
    expectThat(confirmed.status === 200 && /recovery codes/i.test(confirmed.body), `a code from the key turns the second factor on (HTTP ${confirmed.status})`);
    const home = await browser.get('/');
    expectThat(home.status === 200, `Home opens (HTTP ${home.status})`);
    const organisations = await browser.get('/admin/organisations');
    expectThat(organisations.status === 200 && organisations.body.includes('Coventry City Council'), 'the partnership’s organisations are named from the reference list');
    step('the second factor is on; Home and the organisations page open');

    expectThat((await fetch(`${base}/ping`)).status === 200, '/ping answers');
    expectThat((await fetch(`${base}/setup`)).status === 404, '/setup is gone once a partnership exists');
    step('/ping answers and /setup is not found');

    // 5. A clean stop on SIGTERM.
    const exited = new Promise<number | null>((resolve) => app!.once('exit', (code) => resolve(code)));
    app.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
    expectThat(code === 0, `the app stops cleanly on SIGTERM (exit ${code})`);
    app = null;
    step('SIGTERM: the app stopped cleanly');
    console.log('production smoke test passed');
  } finally {
    if (app && app.exitCode === null) app.kill('SIGKILL');
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().catch((error) => {
  console.error(error instanceof SmokeFailure ? `production smoke test FAILED: ${error.message}` : error);
  process.exitCode = 1;
});
