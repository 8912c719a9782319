import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { cliContext } from '../../cli/context.ts';
import { formatNhsNumber, syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/tokens.service.ts';
import { loadTokenActor } from '../../platform/auth/actor-loader.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { personBodySchema } from './api.ts';
import { recordEvents } from './api.service.ts';
import { personInputSchema } from './inputs.ts';
import { legalEvent, person } from './schema.ts';

let t: TestApp;
/** The trust's EPR, which adds people and sends their detentions. */
let trust: string;
/** A council with no relationship to the people the trust adds. */
let southmere: string;
// Far from the numbers the demo seed and other tests use.
const numbers = syntheticNhsNumbers(800_000);
const nextNhs = () => numbers.next().value as string;

async function tokenFor(code: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `API tests ${code}` })).token;
}

beforeAll(async () => {
  t = await createTestApp();
  trust = await tokenFor('RZV');
  southmere = await tokenFor('E06000902');
});
afterAll(async () => {
  await t.close();
});

function call(method: 'GET' | 'POST', url: string, token: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
  duplicates?: Array<{ id: string; nhsNumber: string }>;
}

/** Row counts that must not move when a request is refused. */
async function counts() {
  const n = async (table: string) => rowsOf<{ n: number }>(await t.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
  const versions = rowsOf<{ v: number }>(await t.database.db.execute(sql`select coalesce(sum(version), 0)::int as v from person`))[0]!.v;
  return { people: await n('person'), events: await n('legal_event'), audit: await n('audit_event'), tasks: await n('task'), personVersions: versions };
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, path?: string): Problem {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const problem = res.json() as Problem;
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^https:\/\/aftercare\.example\/problems\//);
  expect(problem.detail.length).toBeGreaterThan(10);
  if (path !== undefined) {
    expect(problem.errors?.map((e) => e.path), JSON.stringify(problem)).toContain(path);
    expect(problem.errors!.every((e) => e.message.length > 5)).toBe(true);
  }
  return problem;
}

interface ApiPerson {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  status: string;
  responsibleLocalAuthority: string | null;
  flags: string[];
  version: number;
  decidedOn: string | null;
}

async function addPerson(token: string, fields: Record<string, unknown> = {}): Promise<ApiPerson> {
  const res = await call('POST', '/api/v1/people', token, { nhsNumber: nextNhs(), givenName: 'Api', familyName: `Person${Math.random().toString(36).slice(2, 8)}`, dateOfBirth: '1984-07-09', ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ApiPerson;
}

const s3 = (date: string) => ({ type: 'detention-started', date, legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });

describe('POST /api/v1/people', () => {
  it('adds a person with a bearer token and answers 201 with the stored record', async () => {
    const before = await counts();
    const nhs = nextNhs();
    const res = await call('POST', '/api/v1/people', trust, {
      nhsNumber: formatNhsNumber(nhs),
      givenName: 'Robin',
      familyName: 'Apitest',
      dateOfBirth: '1979-11-02',
      postcode: 'zz99 3ab',
      sex: 'female',
      communicationNeeds: ['easy-read'],
      gender: null,
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as ApiPerson & { postcode: string; communicationNeeds: string[] };
    expect(res.headers.location).toBe(`/api/v1/people/${p.id}`);
    expect(p).toMatchObject({ nhsNumber: nhs, givenName: 'Robin', familyName: 'Apitest', dateOfBirth: '1979-11-02', postcode: 'ZZ99 3AB', communicationNeeds: ['easy-read'], status: 'not-entitled', flags: [] });
    const row = (await t.database.db.select().from(person).where(eq(person.id, p.id)))[0]!;
    expect(p.version).toBe(row.version);
    expect(p.decidedOn).toBe(row.decidedOn);
    const after = await counts();
    expect(after.people).toBe(before.people + 1);
    const created = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, p.id), eq(auditEvent.action, 'person.created')));
    expect(created).toHaveLength(1);
    expect(created[0]!.actorTokenId).not.toBeNull();
  });

  it('accepts exactly the person fields of the register form, plus confirmDuplicate', () => {
    const formFields = Object.keys(personInputSchema('2026-01-01').shape).sort();
    expect(Object.keys(personBodySchema.shape).sort()).toEqual([...formFields, 'confirmDuplicate'].sort());
  });

  it('warns about likely duplicates with 409 listing them, adds nobody, then adds them once confirmed', async () => {
    const first = await addPerson(trust, { givenName: 'Dupli', familyName: 'Cate', dateOfBirth: '1990-01-01' });
    const before = await counts();
    const body = { nhsNumber: nextNhs(), givenName: 'dupli', familyName: 'CATE', dateOfBirth: '1990-01-01' };
    const res = await call('POST', '/api/v1/people', trust, body);
    const problem = expectProblem(res, 409);
    expect(problem.type).toBe('https://aftercare.example/problems/possible-duplicates');
    expect(problem.duplicates).toEqual([{ id: first.id, nhsNumber: first.nhsNumber, hidden: false }]);
    expect(problem.detail).toContain(first.nhsNumber);
    expect(problem.detail).toContain('confirmDuplicate');
    expect(await counts()).toEqual(before);

    const confirmed = await call('POST', '/api/v1/people', trust, { ...body, confirmDuplicate: true });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['an invalid NHS number (check digit)', { nhsNumber: '9990000019' }, 'nhsNumber'],
    ['an NHS number that is not 10 digits', { nhsNumber: '12345' }, 'nhsNumber'],
    ['an impossible date of birth', { dateOfBirth: '2025-02-30' }, 'dateOfBirth'],
    ['a date of birth not written YYYY-MM-DD', { dateOfBirth: '09/07/1984' }, 'dateOfBirth'],
    ['a missing first name', { givenName: undefined }, 'givenName'],
    ['an unknown field', { nickname: 'Bob' }, 'nickname'],
    ['an unknown ethnic category', { ethnicity: 'Q' }, 'ethnicity'],
    ['an NHS number sent as a number', { nhsNumber: 9990000018 }, 'nhsNumber'],
  ];
  for (const [what, fields, path] of invalid) {
    it(`refuses ${what} with 422 at ${path} and changes nothing`, async () => {
      const before = await counts();
      const res = await call('POST', '/api/v1/people', trust, { nhsNumber: nextNhs(), givenName: 'Val', familyName: 'Idation', dateOfBirth: '1984-07-09', ...fields });
      expectProblem(res, 422, path);
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses an NHS number already on the register with 422 at nhsNumber', async () => {
    const existing = await addPerson(trust);
    const before = await counts();
    const res = await call('POST', '/api/v1/people', trust, { nhsNumber: existing.nhsNumber, givenName: 'Other', familyName: 'Person', dateOfBirth: '1970-01-01' });
    const problem = expectProblem(res, 422, 'nhsNumber');
    expect(problem.errors![0]!.message).toContain('already on the register');
    expect(await counts()).toEqual(before);
  });

  it('answers malformed JSON with a 400 problem and no token with 401', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers: { authorization: `Bearer ${trust}`, 'content-type': 'application/json' }, payload: '{"nhsNumber": ' });
    expectProblem(bad, 400);
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/people', payload: { nhsNumber: nextNhs() } });
    expectProblem(anonymous, 401);
  });
});

describe('GET /api/v1/people/{id} and ?nhsNumber=', () => {
  let p: ApiPerson;
  beforeAll(async () => {
    p = await addPerson(trust, { givenName: 'Lookup', familyName: 'Target' });
  });

  it('reads the record and audits the view', async () => {
    const views = async () => (await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, p.id), eq(auditEvent.action, 'person.viewed')))).length;
    const before = await views();
    const res = await call('GET', `/api/v1/people/${p.id}`, trust);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: p.id, nhsNumber: p.nhsNumber, givenName: 'Lookup', familyName: 'Target', status: 'not-entitled' });
    expect(await views()).toBe(before + 1);
  });

  it('answers 404 for a person who does not exist (or an id that is not a UUID) and 403 without a relationship', async () => {
    expectProblem(await call('GET', '/api/v1/people/00000000-0000-4000-8000-000000000000', trust), 404);
    expectProblem(await call('GET', '/api/v1/people/not-an-id', trust), 404);
    const before = await counts();
    const forbidden = expectProblem(await call('GET', `/api/v1/people/${p.id}`, southmere), 403);
    expect(forbidden.detail).toContain('access');
    expectProblem(await call('GET', `/api/v1/people/${p.id}/entitlement`, southmere), 403);
    expect(await counts()).toEqual(before);
  });

  it('looks people up by NHS number, normalised, and audits each person returned', async () => {
    const views = async () => (await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, p.id), eq(auditEvent.action, 'person.viewed')))).length;
    const before = await views();
    const res = await call('GET', `/api/v1/people?nhsNumber=${encodeURIComponent(formatNhsNumber(p.nhsNumber))}`, trust);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { people: ApiPerson[] };
    expect(body.people.map((x) => x.id)).toEqual([p.id]);
    expect(await views()).toBe(before + 1);
  });

  it('returns an empty list for a number not on the register, or a person the organisation has no relationship with', async () => {
    expect((await call('GET', `/api/v1/people?nhsNumber=${nextNhs()}`, trust)).json()).toEqual({ people: [] });
    const before = await counts();
    const hidden = await call('GET', `/api/v1/people?nhsNumber=${p.nhsNumber}`, southmere);
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json()).toEqual({ people: [] });
    expect(await counts()).toEqual(before);
  });

  it('refuses an invalid or missing NHS number with 422 at nhsNumber', async () => {
    const before = await counts();
    expect(expectProblem(await call('GET', '/api/v1/people?nhsNumber=9990000019', trust), 422, 'nhsNumber').errors![0]!.message).toContain('check digit');
    expectProblem(await call('GET', '/api/v1/people?nhsNumber=abc', trust), 422, 'nhsNumber');
    expectProblem(await call('GET', '/api/v1/people', trust), 422, 'nhsNumber');
    expect(await counts()).toEqual(before);
  });
});

describe('POST /api/v1/people/{id}/events and GET …/entitlement', () => {
  let p: ApiPerson;
  beforeAll(async () => {
    p = await addPerson(trust, { givenName: 'History', familyName: 'Maker' });
  });

  it('records an s3 detention and discharge, stores the decision and serves it as the entitlement', async () => {
    let res = await call('POST', `/api/v1/people/${p.id}/events`, trust, { event: s3('2025-01-10'), hospital: 'Northvale Hospital', externalId: `epr:${p.id}:1` });
    expect(res.statusCode, res.body).toBe(201);
    let body = res.json() as { outcome: string; event: { id: string; event: Record<string, unknown>; hospital: string; externalId: string; source: string; voidedAt: null }; decision: { status: string } };
    expect(body.outcome).toBe('recorded');
    expect(body.event).toMatchObject({ event: s3('2025-01-10'), hospital: 'Northvale Hospital', externalId: `epr:${p.id}:1`, source: 'api', voidedAt: null });
    expect(body.decision.status).toBe('pending');

    res = await call('POST', `/api/v1/people/${p.id}/events`, trust, { event: { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' }, externalId: `epr:${p.id}:2` });
    expect(res.statusCode, res.body).toBe(201);
    res = await call('POST', `/api/v1/people/${p.id}/events`, trust, { event: { type: 'left-hospital', date: '2025-03-01' } });
    expect(res.statusCode, res.body).toBe(201);
    body = res.json() as typeof body;
    expect(body.decision.status).toBe('entitled');

    const entitlement = await call('GET', `/api/v1/people/${p.id}/entitlement`, trust);
    expect(entitlement.statusCode).toBe(200);
    const decision = entitlement.json() as { status: string; entitlementStart: string; responsibleLocalAuthority: string; responsibleIcb: string; reasons: unknown[] };
    expect(decision).toMatchObject({ status: 'entitled', entitlementStart: '2025-03-01', responsibleLocalAuthority: 'E06000901', responsibleIcb: 'E54000901' });
    expect(decision).toEqual(body.decision);
    const decidedOn = entitlement.headers['x-decided-on'] as string;
    expect(decidedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The same shape, and the same answer, as the rules engine's own endpoint.
    const engine = await call('POST', '/api/v1/rules/evaluate', trust, {
      asOf: decidedOn,
      person: { dateOfBirth: p.dateOfBirth },
      events: [s3('2025-01-10'), { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' }, { type: 'left-hospital', date: '2025-03-01' }],
    });
    expect(engine.json()).toEqual(decision);

    const stored = (await call('GET', `/api/v1/people/${p.id}`, trust)).json() as ApiPerson;
    expect(stored).toMatchObject({ status: 'entitled', responsibleLocalAuthority: 'E06000901' });
  });

  it('is idempotent by externalId: re-sending changes nothing and says already-recorded', async () => {
    const before = await counts();
    const res = await call('POST', `/api/v1/people/${p.id}/events`, trust, { event: s3('2025-01-10'), hospital: 'Northvale Hospital', externalId: `epr:${p.id}:1` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { outcome: string; event: { externalId: string }; decision: { status: string } };
    expect(body.outcome).toBe('already-recorded');
    expect(body.event.externalId).toBe(`epr:${p.id}:1`);
    expect(body.decision.status).toBe('entitled');
    expect(await counts()).toEqual(before);
  });

  it('refuses a different event under an externalId already used, changing nothing', async () => {
    const before = await counts();
    const res = await call('POST', `/api/v1/people/${p.id}/events`, trust, { event: s3('2025-01-11'), externalId: `epr:${p.id}:1` });
    const problem = expectProblem(res, 422, 'externalId');
    expect(problem.errors![0]!.message).toContain('already used for a different event');
    expect(await counts()).toEqual(before);
    // …and for another person's event.
    const other = await addPerson(trust);
    const before2 = await counts();
    expectProblem(await call('POST', `/api/v1/people/${other.id}/events`, trust, { event: s3('2025-01-10'), externalId: `epr:${p.id}:1` }), 422, 'externalId');
    expect(await counts()).toEqual(before2);
  });

  const invalidEvents: Array<[string, unknown, string, string?]> = [
    ['an impossible date', { event: s3('2025-02-30') }, 'event.date', 'real date'],
    ['an unknown legal status code', { event: { ...s3('2025-04-01'), legalStatusCode: '21' } }, 'event.legalStatusCode', 'not a known legal status code'],
    ['an unknown event type', { event: { type: 'teleported', date: '2025-04-01' } }, 'event.type'],
    ['an unknown field in the event', { event: { ...s3('2025-04-01'), ward: 'A' } }, 'event.ward', 'Remove'],
    ['an unknown field in the body', { event: s3('2025-04-01'), priority: 'high' }, 'priority', 'Remove'],
    ['a missing event', { externalId: 'x-1' }, 'event'],
    ['a date in the future', { event: { type: 'reviewed', date: '2199-01-01' } }, 'event.date', 'today or in the past'],
    ['an ending with nothing to end', { event: { type: 'detention-ended', date: '2025-06-01', reason: 'discharged' } }, 'event.date', 'no detention in progress'],
    ['an event before the history it breaks', { event: { type: 'left-hospital', date: '2024-12-01' } }, 'event.date', 'leaving hospital must come after the admission'],
  ];
  for (const [what, body, path, message] of invalidEvents) {
    it(`refuses ${what} with 422 at ${path} and changes nothing`, async () => {
      const before = await counts();
      const problem = expectProblem(await call('POST', `/api/v1/people/${p.id}/events`, trust, body), 422, path);
      if (message) expect(problem.errors!.find((e) => e.path === path)!.message).toContain(message);
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses an event for a person who does not exist with 404, and without a relationship with 403, changing nothing', async () => {
    const before = await counts();
    const missing = expectProblem(await call('POST', '/api/v1/people/00000000-0000-4000-8000-000000000000/events', trust, { event: s3('2025-04-01') }), 404);
    expect(missing.detail).toContain('00000000-0000-4000-8000-000000000000');
    // 404 is answered before the body is looked at.
    expectProblem(await call('POST', '/api/v1/people/00000000-0000-4000-8000-000000000000/events', trust, { event: { type: 'nonsense' } }), 404);
    expectProblem(await call('POST', `/api/v1/people/${p.id}/events`, southmere, { event: { type: 'reviewed', date: '2025-04-01' } }), 403);
    expect(await counts()).toEqual(before);
  });

  it('creates the flag tasks of the new decision with the event', async () => {
    const q = await addPerson(trust);
    const res = await call('POST', `/api/v1/people/${q.id}/events`, trust, { event: { ...s3('2025-01-10'), legalStatusCode: '13' } });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as { decision: { status: string; flags: string[] } }).decision).toMatchObject({ status: 'manual-review', flags: ['legal-status-needs-review'] });
    const events = await t.database.db.select().from(legalEvent).where(eq(legalEvent.personId, q.id));
    expect(events).toHaveLength(1);
  });

  it('answers 404 for the entitlement of a person who does not exist', async () => {
    expectProblem(await call('GET', '/api/v1/people/00000000-0000-4000-8000-000000000000/entitlement', trust), 404);
  });
});

describe('recordEvents (several events of one person at once, as the legal-status feed sends them)', () => {
  async function trustContext(): Promise<ServiceContext> {
    return serviceContext({ db: t.database.db, actor: (await loadTokenActor(t.database.db, trust))!, requestId: 'test:record-events', config: t.config });
  }
  const history = [
    { event: { type: 'detention-started', date: '2024-01-05', legalStatusCode: '02', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' }, externalId: 'batch:1' },
    { event: s3('2024-01-20'), externalId: 'batch:2', hospital: 'Northvale Hospital' },
    { event: { type: 'detention-ended', date: '2024-04-01', reason: 'discharged' }, externalId: 'batch:3' },
    { event: { type: 'left-hospital', date: '2024-04-01' }, externalId: 'batch:4' },
  ];

  it('records them in one go with the decision and audit trail sending them one by one would give', async () => {
    const one = await addPerson(trust, { givenName: 'One', familyName: 'ByOne' });
    for (const h of history) expect((await call('POST', `/api/v1/people/${one.id}/events`, trust, { ...h, externalId: `single:${h.externalId}` })).statusCode).toBe(201);
    const batch = await addPerson(trust, { givenName: 'All', familyName: 'AtOnce' });
    const { results, decision } = await recordEvents(await trustContext(), batch.id, history.map((h) => ({ ...h, source: 'api' as const })));
    expect(results.map((r) => r.outcome)).toEqual(['recorded', 'recorded', 'recorded', 'recorded']);
    expect(decision).toEqual((await call('GET', `/api/v1/people/${one.id}/entitlement`, trust)).json());
    const summary = (p: ApiPerson) => ({ status: p.status, flags: p.flags, responsibleLocalAuthority: p.responsibleLocalAuthority });
    expect(summary((await call('GET', `/api/v1/people/${batch.id}`, trust)).json() as ApiPerson)).toEqual(summary((await call('GET', `/api/v1/people/${one.id}`, trust)).json() as ApiPerson));
    const audit = async (id: string) =>
      (await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, id), eq(auditEvent.action, 'legal-event.recorded'))).orderBy(auditEvent.at)).map((x) => ({
        before: x.before,
        decision: (x.after as { decision: unknown }).decision,
      }));
    expect(await audit(batch.id)).toEqual(await audit(one.id));
    const sequences = (await t.database.db.select().from(legalEvent).where(eq(legalEvent.personId, batch.id))).map((e) => [e.occurredOn, e.sequence]).sort();
    expect(sequences).toEqual([['2024-01-05', 1], ['2024-01-20', 1], ['2024-04-01', 1], ['2024-04-01', 2]]);

    // Again: nothing changes.
    const before = await counts();
    const again = await recordEvents(await trustContext(), batch.id, history);
    expect(again.results.map((r) => r.outcome)).toEqual(['already-recorded', 'already-recorded', 'already-recorded', 'already-recorded']);
    expect(again.decision).toEqual(decision);
    expect(await counts()).toEqual(before);
  });

  it('records none of them when one is refused, naming it by its place', async () => {
    const p = await addPerson(trust);
    const before = await counts();
    const refused = recordEvents(await trustContext(), p.id, [
      { event: s3('2024-02-01'), externalId: 'atomic:1' },
      { event: { type: 'detention-ended', date: '2024-03-01', reason: 'discharged' } },
      { event: { type: 'detention-ended', date: '2024-03-05', reason: 'discharged' } },
    ]);
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toMatchObject({ issues: [{ path: 'events[2].date', message: expect.stringContaining('no detention in progress') as unknown }] });
    await expect(recordEvents(await trustContext(), p.id, [{ event: s3('2024-02-01'), externalId: 'same' }, { event: { type: 'reviewed', date: '2024-02-02' }, externalId: 'same' }])).rejects.toMatchObject({
      issues: [{ path: 'events[1].externalId' }],
    });
    await expect(recordEvents(await trustContext(), p.id, [{ event: { ...s3('2024-02-01'), legalStatusCode: '77' } }])).rejects.toMatchObject({ issues: [{ path: 'events[0].legalStatusCode' }] });
    expect(await counts()).toEqual(before);
  });
});

describe('sessions and the OpenAPI document', () => {
  it('accepts a signed-in session with its CSRF token for writes, and refuses one without', async () => {
    const b = new Browser(t.app);
    await b.signIn(demo.practitioner);
    await b.get('/');
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const payload = { nhsNumber: nextNhs(), givenName: 'Session', familyName: 'Client', dateOfBirth: '1988-03-04' };
    const before = await counts();
    const without = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers: { cookie }, payload });
    expectProblem(without, 403);
    expect(await counts()).toEqual(before);
    const withToken = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers: { cookie, 'x-csrf-token': b.lastCsrf! }, payload });
    expect(withToken.statusCode, withToken.body).toBe(201);
    const read = await t.app.inject({ url: `/api/v1/people/${(withToken.json() as ApiPerson).id}`, headers: { cookie } });
    expect(read.statusCode).toBe(200);
  });

  it('refuses writes from a role that may only read', async () => {
    const b = new Browser(t.app);
    await b.signIn(demo.readOnly);
    await b.get('/');
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const before = await counts();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers: { cookie, 'x-csrf-token': b.lastCsrf! }, payload: { nhsNumber: nextNhs(), givenName: 'Read', familyName: 'Only', dateOfBirth: '1988-03-04' } });
    expectProblem(res, 403);
    expect(await counts()).toEqual(before);
  });

  it('lists every people endpoint, tagged, with request and response schemas', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown; parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>;
    };
    const expected: Array<[string, string, string[]]> = [
      ['/api/v1/people', 'post', ['201', '409', '422']],
      ['/api/v1/people', 'get', ['200', '422']],
      ['/api/v1/people/{id}', 'get', ['200', '403', '404']],
      ['/api/v1/people/{id}/events', 'post', ['200', '201', '403', '404', '422']],
      ['/api/v1/people/{id}/entitlement', 'get', ['200', '403', '404']],
    ];
    for (const [path, method, statuses] of expected) {
      const op = spec.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeTruthy();
      expect(op!.tags).toEqual(['people']);
      for (const status of statuses) expect(op!.responses[status], `${method} ${path} ${status}`).toBeTruthy();
    }
    expect(spec.paths['/api/v1/people']!.post!.requestBody).toBeTruthy();
    expect(spec.paths['/api/v1/people/{id}/events']!.post!.requestBody).toBeTruthy();
    expect(spec.paths['/api/v1/people']!.get!.parameters?.map((p) => p.name)).toContain('nhsNumber');
  });
});
