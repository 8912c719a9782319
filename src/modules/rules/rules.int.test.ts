import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { loadScenarioFixtures } from '../../domain/rules/testing/scenario-fixtures.ts';
import { createToken } from '../admin/tokens.service.ts';
import { cliContext } from '../../cli/context.ts';
import { organisation } from '../../platform/db/schema.ts';
import { eq } from 'drizzle-orm';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await createTestApp();
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'RZV')))[0]!;
  token = (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: 'Rules tests' })).token;
});
afterAll(async () => {
  await t.close();
});

function evaluateViaApi(body: unknown) {
  return t.app.inject({ method: 'POST', url: '/api/v1/rules/evaluate', headers: { authorization: `Bearer ${token}` }, payload: body as object });
}

describe('POST /api/v1/rules/evaluate', () => {
  const fixtures = loadScenarioFixtures();

  it('returns exactly the decision the CLI prints, for every scenario T1–T31', async () => {
    expect(fixtures).toHaveLength(31);
    // The real CLI on each scenario's input, all in one shell so the test stays quick.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-rules-'));
    const files = fixtures.map((f) => {
      const file = path.join(dir, f.file);
      fs.writeFileSync(file, JSON.stringify(f.fixture.input));
      return file;
    });
    const script = files.map((file) => `node bin/aftercare.mjs rules evaluate ${JSON.stringify(file)}; echo "@@END@@"`).join('; ');
    const { stdout } = await run('bash', ['-c', script], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const cliOutputs = stdout.split('@@END@@').slice(0, fixtures.length).map((s) => JSON.parse(s) as unknown);
    for (const [i, f] of fixtures.entries()) {
      const res = await evaluateViaApi(f.fixture.input);
      expect(res.statusCode, f.file).toBe(200);
      expect(res.json(), f.file).toEqual(cliOutputs[i]);
      expect((res.json() as { status: string }).status, f.file).toBe(f.fixture.expected.status ?? (res.json() as { status: string }).status);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('documents itself in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, { post?: { requestBody?: unknown } }> };
    expect(spec.paths['/api/v1/rules/evaluate']?.post?.requestBody).toBeTruthy();
  });

  const invalid: Array<[string, unknown, string]> = [
    ['an unknown event type', { asOf: '2026-01-01', events: [{ type: 'teleported', date: '2025-01-01' }] }, 'events[0].type'],
    ['an impossible date', { asOf: '2026-01-01', events: [{ type: 'detention-started', date: '2025-02-30', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000040' }] }, 'events[0].date'],
    ['an unknown legal status code', { asOf: '2026-01-01', events: [{ type: 'detention-started', date: '2025-02-03', legalStatusCode: '77', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000040' }] }, 'events[0].legalStatusCode'],
    [
      'a detention that ends before it starts',
      {
        asOf: '2026-01-01',
        events: [
          { type: 'detention-started', date: '2025-03-01', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000040' },
          { type: 'detention-ended', date: '2025-02-01', reason: 'discharged' },
        ],
      },
      'events[1]',
    ],
    ['a missing asOf', { events: [] }, 'asOf'],
  ];
  for (const [what, body, pathPrefix] of invalid) {
    it(`answers ${what} with 422 problem+json naming the field`, async () => {
      const res = await evaluateViaApi(body);
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json() as { status: number; errors: Array<{ path: string; message: string }> };
      expect(problem.status).toBe(422);
      expect(problem.errors.some((e) => e.path.startsWith(pathPrefix)), JSON.stringify(problem.errors)).toBe(true);
      expect(problem.errors.every((e) => e.message.length > 0)).toBe(true);
    });
  }

  it('answers malformed JSON with the same 422 problem as the CLI', async () => {
    const text = '{"asOf": "2026-01-01", "events": [';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/rules/evaluate',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: text,
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const cli = await run('bash', ['-c', `printf '%s' '${text}' | node bin/aftercare.mjs rules evaluate -`], { cwd: root }).then(
      () => null,
      (e: { stdout: string; code: number }) => ({ code: e.code, body: JSON.parse(e.stdout) as Record<string, unknown> }),
    );
    expect(cli?.code).toBe(2);
    const { instance: _instance, ...apiProblem } = res.json() as Record<string, unknown>;
    const { instance: _cliInstance, ...cliProblem } = cli!.body;
    expect(apiProblem).toEqual(cliProblem);
  });

  it('accepts a signed-in browser session with its CSRF token, and refuses it without', async () => {
    const b = new Browser(t.app);
    await b.signIn(demo.practitioner);
    await b.get('/');
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = fixtures[0]!.fixture.input as object;
    const without = await t.app.inject({ method: 'POST', url: '/api/v1/rules/evaluate', headers: { cookie }, payload: body });
    expect(without.statusCode).toBe(403);
    const withToken = await t.app.inject({ method: 'POST', url: '/api/v1/rules/evaluate', headers: { cookie, 'x-csrf-token': b.lastCsrf! }, payload: body });
    expect(withToken.statusCode).toBe(200);
    expect((withToken.json() as { status: string }).status).toBe('entitled');
  });
});

describe('the Rules page', () => {
  it('lists every rule with its source, and the legal status codes', async () => {
    const res = await t.app.inject({ url: '/rules' });
    expect(res.statusCode).toBe(200);
    for (const id of ['R1', 'R17', 'R30']) expect(res.body).toContain(`id="${id}"`);
    expect(res.body).toContain('MHA 1983 s117(1)');
    expect(res.body).toContain('Formally detained under Mental Health Act Section 3');
  });
});
