import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { loggerOptions } from '../logging/logger.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('security headers', () => {
  it('sends a nonce-based CSP and the other headers on every page', async () => {
    const b = new Browser(t.app);
    await b.signIn(demo.admin);
    const res = await b.get('/admin/organisations');
    expect(res.statusCode).toBe(200);
    const csp = res.headers['content-security-policy'] as string;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`nonce="${nonce}"`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['permissions-policy']).toContain('camera=()');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('uses a different nonce for each response', async () => {
    const a = await t.app.inject({ url: '/sign-in' });
    const b = await t.app.inject({ url: '/sign-in' });
    expect(a.headers['content-security-policy']).not.toBe(b.headers['content-security-policy']);
  });

  it('lets static assets be cached but not pages or API answers', async () => {
    const css = await t.app.inject({ url: '/assets/stylesheets/app.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).not.toBe('no-store');
    const api = await t.app.inject({ url: '/api/v1/openapi.json' });
    expect(api.headers['cache-control']).toBe('no-store');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const res = await t.app.inject({ url: '/sign-in' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('marks cookies Secure with a __Host- prefix behind an HTTPS proxy, and sends none over plain HTTP', async () => {
    const secure = await createTestApp({ SECURE_COOKIES: 'true', TRUST_PROXY: 'true' });
    try {
      const https = await secure.app.inject({ url: '/sign-in', headers: { 'x-forwarded-proto': 'https' } });
      const cookie = String(https.headers['set-cookie']);
      expect(cookie).toMatch(/^__Host-aftercare=/);
      expect(cookie).toContain('Secure');
      const http = await secure.app.inject({ url: '/sign-in' });
      expect(String(http.headers['set-cookie'] ?? '')).not.toContain('aftercare=');
    } finally {
      await secure.close();
    }
  });

  it('propagates a well-formed X-Request-Id and replaces a malformed one', async () => {
    const good = await t.app.inject({ url: '/ping', headers: { 'x-request-id': 'abc-123' } });
    expect(good.headers['x-request-id']).toBe('abc-123');
    const bad = await t.app.inject({ url: '/ping', headers: { 'x-request-id': 'has spaces and <script>' } });
    expect(bad.headers['x-request-id']).not.toContain('script');
  });
});

describe('health', () => {
  it('reports the database', async () => {
    const res = await t.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'UP', components: { database: { status: 'UP' } } });
  });

  it('reports the version to signed-in users (issue 12: /info is no longer public)', async () => {
    const b = new Browser(t.app);
    await b.signIn(demo.practitioner);
    const res = await b.get('/info');
    expect(res.json()).toMatchObject({ name: 'aftercare', version: expect.any(String) });
  });
});

describe('errors', () => {
  it('shows a GOV.UK 404 page for an unknown page and a problem for an unknown API path', async () => {
    const b = new Browser(t.app);
    await b.signIn(demo.practitioner);
    const page = await b.get('/no-such-page');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    const api = await b.get('/api/v1/no-such-thing');
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json()).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('answers an API call without credentials with 401 problem+json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/rules/evaluate', payload: {} });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('logging', () => {
  it('never writes names, NHS numbers, addresses or query strings to the log', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const options = loggerOptions('info', false);
    const log = pino(options, sink);
    log.info({ person: { name: 'Ada Example', nhsNumber: '9990001234', address: '1 Test Street', postcode: 'ZZ99 9ZZ' } }, 'person saved');
    const reqSerializer = (options.serializers as Record<string, (v: unknown) => unknown>).req!;
    log.info({ req: reqSerializer({ method: 'GET', url: '/register?q=Ada+Example', id: 'r1' }) }, 'request');
    const out = lines.join('');
    expect(out).not.toContain('Ada Example');
    expect(out).not.toContain('9990001234');
    expect(out).not.toContain('1 Test Street');
    expect(out).not.toContain('ZZ99');
    expect(out).toContain('"url":"/register"');
  });
});
