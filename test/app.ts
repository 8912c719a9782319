import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDeps } from '../src/app.ts';
import type { Clock } from '../src/platform/clock.ts';
import { loadConfig, type Config } from '../src/platform/config/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/demo/partnership.ts';
import { freshDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

/**
 * The real app on a fresh database seeded with the demo partnership. CSRF stays on. `clock` sets
 * the app's date; `onRoute` is told of every route (the permission matrix).
 */
export async function createTestApp(env: Record<string, string> = {}, options: { clock?: Clock; onRoute?: AppDeps['onRoute'] } = {}): Promise<TestApp> {
  const database = await freshDatabase();
  await seedDemo(database.db);
  // Tests sign in far more often than people do; the rate-limit test sets its own limit.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', SIGN_IN_MAX_PER_15_MIN: '1000', ...env });
  const app = await buildApp({ config, database, logger: false, clock: options.clock, ...(options.onRoute ? { onRoute: options.onRoute } : {}) });
  await app.ready();
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** A browser-like client: keeps cookies, reads CSRF tokens from forms. */
export class Browser {
  cookies = new Map<string, string>();
  lastCsrf: string | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly ip = '127.0.0.1',
  ) {}

  private cookieHeader(): string | undefined {
    return this.cookies.size ? [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires instanceof Date && c.expires.getTime() < Date.now());
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (match) this.lastCsrf = match[1];
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const cookie = this.cookieHeader();
    const res = await this.app.inject({ method: 'GET', url, remoteAddress: this.ip, headers: { ...headers, ...(cookie ? { cookie } : {}) } });
    this.remember(res);
    return res;
  }

  /** Post a form. `_csrf` is the token of the last page fetched unless given (null leaves it out). */
  async post(url: string, form: Record<string, string | string[]>, csrf: string | null | undefined = this.lastCsrf): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (csrf !== null && csrf !== undefined) body.append('_csrf', csrf);
    for (const [k, v] of Object.entries(form)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
    const cookie = this.cookieHeader();
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    });
    this.remember(res);
    return res;
  }

  async signIn(email: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    return this.post('/sign-in', { email, password });
  }
}

export const demo = {
  practitioner: 'practitioner@demo.aftercare.example',
  senior: 'senior@demo.aftercare.example',
  manager: 'manager@demo.aftercare.example',
  commissioner: 'commissioner@demo.aftercare.example',
  panel: 'panel@demo.aftercare.example',
  quality: 'quality@demo.aftercare.example',
  admin: 'admin@demo.aftercare.example',
  laAdmin: 'la-admin@demo.aftercare.example',
  readOnly: 'readonly@demo.aftercare.example',
};

/** A test browser signed in as a demo user, on its home page (so it holds a CSRF token). */
export async function signedInBrowser(app: FastifyInstance, email: string): Promise<Browser> {
  const b = new Browser(app);
  const res = await b.signIn(email);
  if (res.statusCode !== 302) throw new Error(`Signing in as ${email} failed with ${res.statusCode}`);
  await b.get('/');
  return b;
}

/** The fields of a GOV.UK date input (prefix-day, -month, -year) for an ISO date. */
export function dateForm(prefix: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! };
}
