import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../config/config.ts';

/** Issue 12, platform findings 2, 7, 9 and 10: requests that must be refused, never crash or leak. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function stillAnswering(app: FastifyInstance = t.app): Promise<void> {
  const ping = await app.inject({ url: '/ping' });
  expect(ping.statusCode).toBe(200);
  expect(ping.json()).toEqual({ status: 'UP' });
}

/** The real app on the test database with a few extra routes, added before it is ready. */
async function appWith(addRoutes: (app: FastifyInstance) => void, logDestination?: Writable): Promise<FastifyInstance> {
  const config = logDestination ? loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', SEED_DEMO: 'false' }) : t.config;
  const app = await buildApp({ config, database: t.database, logger: false, ...(logDestination ? { logDestination } : {}) });
  addRoutes(app);
  await app.ready();
  return app;
}

async function ageSession(): Promise<void> {
  const twoMinutesAgo = Date.now() - 120_000;
  await t.database.db.execute(sql`update session set data = jsonb_set(data, '{lastSeenAt}', ${String(twoMinutesAgo)}::jsonb) where data->>'userId' is not null`);
}

describe('finding 2: one request cannot stop the server', () => {
  it('finding 2: signing in with a returnTo that carries a line break goes home and the server keeps answering', async () => {
    const b = new Browser(t.app, '10.2.0.1');
    await b.get('/sign-in');
    const res = await b.post('/sign-in', { email: demo.practitioner, password: 'demo-aftercare-117', returnTo: '/register\nx' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    await stillAnswering();
    expect((await b.get('/')).statusCode).toBe(200);
  });

  it('finding 2: a meetings address with a line break, once the session is over a minute old, is a 4xx and the server keeps answering', async () => {
    const b = await signedInBrowser(t.app, demo.practitioner);
    await ageSession();
    const res = await b.get('/people/x%0Ay/meetings');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).toContain('There is a problem');
    await stillAnswering();
    expect((await b.get('/')).statusCode).toBe(200);
  });

  it('finding 2: a redirect target with a line break, sent with a session save, is encoded and never becomes a second header', async () => {
    const app = await appWith((a) => {
      a.get('/test/redirect', { config: { public: true } }, async (request, reply) => {
        request.session.flash = { type: 'important', text: 'saved with the redirect' };
        return reply.redirect('/register\r\nSet-Cookie: injected=1');
      });
    });
    try {
      const res = await app.inject({ url: '/test/redirect' });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/register%0D%0ASet-Cookie:%20injected=1');
      expect(String(res.headers['set-cookie'])).not.toContain('injected');
      await stillAnswering(app);
    } finally {
      await app.close();
    }
  });

  it('finding 2: a header that cannot be sent, written with a session save, becomes a 500 page and the server keeps answering', async () => {
    const app = await appWith((a) => {
      a.get('/test/bad-header', { config: { public: true } }, async (request, reply) => {
        request.session.flash = { type: 'important', text: 'saved with the response' };
        return reply.header('Content-Disposition', 'attachment; filename="a\nb.csv"').send('x');
      });
    });
    try {
      const res = await app.inject({ url: '/test/bad-header' });
      expect(res.statusCode).toBe(500);
      expect(res.body).toContain('Sorry, there is a problem with the service');
      expect(res.headers['content-disposition']).toBeUndefined();
      await stillAnswering(app);
    } finally {
      await app.close();
    }
  });

  it('finding 2: an error thrown in a send hook or a pre-handler is a 500, not an exit', async () => {
    const app = await appWith((a) => {
      // Throws on the page it was meant for; the error page then goes out through the same hook.
      a.get('/test/throwing-send-hook', { config: { public: true }, onSend: async (_request, _reply, payload) => { if (payload === 'x') throw new Error('send hook failed'); return payload; } }, async () => 'x');
      a.get('/test/throwing-pre-handler', { config: { public: true }, preHandler: async () => { throw new Error('pre-handler failed'); } }, async () => 'x');
    });
    try {
      for (const url of ['/test/throwing-send-hook', '/test/throwing-pre-handler']) {
        const res = await app.inject({ url });
        expect(res.statusCode).toBe(500);
        expect(res.body).toContain('Sorry, there is a problem with the service');
      }
      await stillAnswering(app);
    } finally {
      await app.close();
    }
  });
});

describe('finding 2: a failed session save is an error response', () => {
  it('finding 2: a session save the database refuses is a 500 and the server keeps answering', async () => {
    await t.database.db.execute(sql.raw(`
      create or replace function refuse_marked_session() returns trigger language plpgsql as $$
      begin
        if new.data::text like '%refuse-this-save%' then raise exception 'session save refused for the test'; end if;
        return new;
      end $$`));
    await t.database.db.execute(sql.raw('create trigger refuse_marked_session before insert or update on session for each row execute function refuse_marked_session()'));
    const app = await appWith((a) => {
      a.get('/test/session-save', { config: { public: true } }, async (request, reply) => {
        request.session.flash = { type: 'important', text: 'refuse-this-save' };
        return reply.redirect('/register');
      });
    });
    try {
      const res = await app.inject({ url: '/test/session-save' });
      expect(res.statusCode).toBe(500);
      await stillAnswering(app);
    } finally {
      await app.close();
      await t.database.db.execute(sql.raw('drop trigger refuse_marked_session on session'));
      await t.database.db.execute(sql.raw('drop function refuse_marked_session()'));
    }
  });
});

describe('finding 7: control characters in any text are refused; database errors are logged without their values', () => {
  it('finding 7: a NUL character in a register search is a 422 with a clear message, not a 500', async () => {
    const b = await signedInBrowser(t.app, demo.practitioner);
    const res = await b.get('/register?q=a%00b');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Remove the hidden control characters (such as a null character) from this text');
    await stillAnswering();
  });

  it('finding 7: a NUL character in an API body is a 422 problem naming the field', async () => {
    const b = await signedInBrowser(t.app, demo.practitioner);
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers: { cookie, 'x-csrf-token': b.lastCsrf! },
      payload: { nhsNumber: '9990001234', givenName: 'Ada\u0000', familyName: 'Example', dateOfBirth: '1980-01-02' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 422, errors: [{ path: 'givenName' }] });
    const stored = await t.database.db.execute(sql`select count(*)::int as n from person where family_name = 'Example' and given_name like 'Ada%'`);
    expect((stored as unknown as { rows: Array<{ n: number }> }).rows?.[0]?.n ?? 0).toBe(0);
  });

  it('finding 7: a line break is still accepted in body text, but not in an address or a search', async () => {
    const b = new Browser(t.app, '10.2.0.7');
    await b.get('/sign-in');
    // A line break in the body is not refused by the check (the sign-in form then refuses the account as usual).
    const body = await b.post('/sign-in', { email: 'nobody@demo.aftercare.example', password: 'two\nlines' });
    expect(body.statusCode).toBe(401);
    const b2 = await signedInBrowser(t.app, demo.practitioner);
    expect((await b2.get('/register?q=Ada%0AExample')).statusCode).toBe(422);
  });

  it('finding 7: a failed database query is logged without its parameters (NHS number, name)', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = await appWith((a) => {
      a.get('/test/failing-query', { config: { public: true } }, async () => {
        await t.database.db.execute(sql`select ${'Ada Example'}::text as name, ${'9990001234'}::text as nhs, ${'Ada Example 9990001234'}::int as broken`);
        return 'not reached';
      });
      a.get('/test/failing-encoding', { config: { public: true } }, async () => {
        await t.database.db.execute(sql`select ${'Ada Example'}::text as name, ${'9990001234\u0000'}::text as nhs`);
        return 'not reached';
      });
    }, sink);
    try {
      for (const url of ['/test/failing-query', '/test/failing-encoding']) {
        const res = await app.inject({ url });
        expect(res.statusCode).toBe(500);
      }
      await stillAnswering(app);
    } finally {
      await app.close();
    }
    const out = lines.join('');
    const errors = lines.filter((l) => l.includes('unhandled error'));
    expect(errors).toHaveLength(2);
    expect(out).toContain('Failed query: select $1::text');
    expect(out).toContain('"code":"22P02"');
    expect(out).not.toContain('Ada Example');
    expect(out).not.toContain('9990001234');
  });
});

describe('finding 9: returnTo is accepted only as a path on this service', () => {
  it('finding 9: signing in with returnTo=/<TAB>/evil.example goes home, not to another site', async () => {
    for (const hostile of ['/\t/evil.example/x', '//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)']) {
      const b = new Browser(t.app, '10.2.0.9');
      await b.get('/sign-in');
      const res = await b.post('/sign-in', { email: demo.practitioner, password: 'demo-aftercare-117', returnTo: hostile });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/');
    }
    const b = new Browser(t.app, '10.2.0.9');
    const form = await b.get('/sign-in?returnTo=%2F%09%2Fevil.example');
    expect(form.body).not.toContain('evil.example');
  });
});

describe('finding 10: /info is not public; Fastify refusals are answered like ours without echoing the request', () => {
  it('finding 10: /info needs a signed-in user, and only administrators see the commit and Node version', async () => {
    const anonymous = await t.app.inject({ url: '/info' });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.body).not.toContain(process.version);
    const practitioner = await signedInBrowser(t.app, demo.practitioner);
    const seen = await practitioner.get('/info');
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual({ name: 'aftercare', version: expect.any(String) });
    const admin = await signedInBrowser(t.app, demo.admin);
    expect((await admin.get('/info')).json()).toMatchObject({ name: 'aftercare', node: process.version });
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
    await stillAnswering();
  });

  it('finding 10: malformed JSON is a 400 problem that does not quote the body', async () => {
    const b = await signedInBrowser(t.app, demo.practitioner);
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers: { cookie, 'x-csrf-token': b.lastCsrf!, 'content-type': 'application/json' }, payload: '{"name": Ada Example 9990001234}' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, title: 'The request body is not valid JSON' });
    expect(res.body).not.toContain('Ada');
    expect(res.body).not.toContain('9990001234');
  });

  it('finding 10: an unsupported content type is a 415 problem on the API and a GOV.UK page on a form', async () => {
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/rules/evaluate', headers: { 'content-type': 'text/xml' }, payload: '<nhs>9990001234</nhs>' });
    expect(api.statusCode).toBe(415);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.body).not.toContain('9990001234');
    const page = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'text/xml' }, payload: '<email>ada@example.org</email>' });
    expect(page.statusCode).toBe(415);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('govuk-template');
    expect(page.body).not.toContain('ada@example.org');
  });

  it('finding 10: a malformed address is a 400 problem on the API and a GOV.UK page elsewhere, without echoing it', async () => {
    const api = await t.app.inject({ url: '/api/v1/people/ada-9990001234%zz' });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json()).toMatchObject({ status: 400, title: 'The request could not be understood' });
    expect(api.body).not.toContain('9990001234');
    expect(api.headers['x-request-id']).toBeTruthy();
    const page = await t.app.inject({ url: '/people/ada-9990001234%zz/meetings' });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('The request could not be understood');
    expect(page.body).not.toContain('9990001234');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    await stillAnswering();
  });

  it('finding 10: an over-long path part is a 414 problem on the API and a GOV.UK page elsewhere, without echoing it', async () => {
    const long = `ada-example-9990001234-${'x'.repeat(200)}`;
    const api = await t.app.inject({ url: `/api/v1/people/${long}` });
    expect(api.statusCode).toBe(414);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json()).toMatchObject({ status: 414, title: 'The address is too long' });
    expect(api.body).not.toContain('9990001234');
    const page = await t.app.inject({ url: `/people/${long}/meetings` });
    expect(page.statusCode).toBe(414);
    expect(page.body).toContain('The address is too long');
    expect(page.body).not.toContain('9990001234');
    await stillAnswering();
  });
});
