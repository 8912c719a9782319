import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, dateForm, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { cliContext } from '../../cli/context.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { loadTokenActor } from '../../platform/auth/actor-loader.ts';
import { recordChange, recordChanges } from '../../platform/audit/audit.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { createToken } from '../admin/tokens.service.ts';
import { recordEvents } from './api.service.ts';
import { insertEvents, WorkflowOnlyEventError } from './events.service.ts';
import { recordEvent } from './people.service.ts';
import { legalEvent, person } from './schema.ts';
import { grantWorkflowAuthority, type WorkflowAuthority } from './workflow-authority.ts';
import { serviceContext } from '../../platform/http/context.ts';

/*
 * Finding 1 of issue 12: a single practitioner could end section 117 through the generic
 * "Record an event" form or POST /api/v1/people/{id}/events. An ending (and its undoing, a
 * reinstatement) and the dispute events belong to their workflows; every other path refuses them.
 */

let t: TestApp;
let trust: string;
const numbers = syntheticNhsNumbers(820_000);
const nextNhs = () => numbers.next().value as string;

async function tokenFor(code: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `Finding 1 ${code}` })).token;
}

beforeAll(async () => {
  t = await createTestApp();
  trust = await tokenFor('RZV');
});
afterAll(async () => {
  await t.close();
});

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);
const s3 = (date: string) => ({ type: 'detention-started', date, legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
const ending = (date: string) => ({ type: 'aftercare-ended', date, approvedBy: ['local-authority', 'icb'], reasons: ['no-longer-in-need'], personInvolved: true, legalOverride: false });

function call(method: 'GET' | 'POST', url: string, token: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** Someone entitled since 1 March 2025, added and discharged by the trust's EPR. */
async function entitledPerson(): Promise<string> {
  const res = await call('POST', '/api/v1/people', trust, { nhsNumber: nextNhs(), givenName: 'Finding', familyName: `One${Math.random().toString(36).slice(2, 8)}`, dateOfBirth: '1984-07-09' });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  for (const event of [s3('2025-01-10'), { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' }, { type: 'left-hospital', date: '2025-03-01' }]) {
    const r = await call('POST', `/api/v1/people/${id}/events`, trust, { event });
    expect(r.statusCode, r.body).toBe(201);
  }
  return id;
}

async function stored(id: string) {
  const p = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
  const events = await t.database.db.select().from(legalEvent).where(and(eq(legalEvent.personId, id), isNull(legalEvent.voidedAt)));
  return { status: p.status, types: events.map((e) => e.type) };
}

async function trustContext(): Promise<ServiceContext> {
  return serviceContext({ db: t.database.db, actor: (await loadTokenActor(t.database.db, trust))!, requestId: 'test:finding-1', config: t.config });
}

describe('finding 1: only the endings workflow ends section 117', () => {
  it('finding 1: the event form no longer offers "Section 117 aftercare ended", refuses it with a GOV.UK error pointing to "Propose ending aftercare", and the person stays entitled', async () => {
    const id = await entitledPerson();
    const b = await signedIn(demo.practitioner);
    const choose = await b.get(`/people/${id}/events/new`);
    expect(choose.statusCode).toBe(200);
    expect(choose.body).not.toContain('value="aftercare-ended"');
    expect(choose.body).not.toContain('Section 117 aftercare ended');
    expect(choose.body).toContain(`href="/people/${id}/endings"`);

    // Choosing it anyway (a crafted form): refused on the same page.
    const chosen = await b.post(`/people/${id}/events/new`, { type: 'aftercare-ended' });
    expect(chosen.statusCode).toBe(422);
    expect(chosen.body).toContain('govuk-error-summary');
    expect(chosen.body).toContain('Use “Propose ending aftercare” on the person’s Ending aftercare page');

    // The old form's address leads to the endings workflow.
    const form = await b.get(`/people/${id}/events/new/aftercare-ended`);
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe(`/people/${id}/endings`);

    // The attack of the finding: both bodies ticked, answers checked and confirmed.
    const fields = { ...dateForm('date', '2025-06-01'), approvedBy: ['local-authority', 'icb'], reasons: ['no-longer-in-need'], personInvolved: 'true', legalOverride: 'false' };
    for (const body of [fields, { ...fields, confirm: 'yes' }]) {
      const res = await b.post(`/people/${id}/events/new/aftercare-ended`, body);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('govuk-error-summary');
      expect(res.body).toContain('Section 117 aftercare can only be ended by a joint decision of the local authority and the ICB');
    }
    const page = await b.get(`/people/${id}`);
    expect(page.body).toMatch(/data-qa="status"[^>]*>\s*Entitled/);
    expect(page.body).not.toContain('ended from');
    expect(await stored(id)).toEqual({ status: 'entitled', types: ['detention-started', 'detention-ended', 'left-hospital'] });
  });

  it('finding 1: POST /api/v1/people/{id}/events refuses aftercare-ended with a 422 problem naming the endings endpoint, and changes nothing', async () => {
    const id = await entitledPerson();
    const res = await call('POST', `/api/v1/people/${id}/events`, trust, { event: ending('2025-06-01'), externalId: 'finding-1-api' });
    expect(res.statusCode).toBe(422);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    const problem = res.json() as { type: string; title: string; detail: string; errors: Array<{ path: string; message: string }> };
    expect(problem.type).toBe('https://aftercare.example/problems/workflow-only-event');
    expect(problem.title).toBe('This event can only be recorded by its workflow');
    expect(problem.detail).toContain('can only be recorded by the endings workflow');
    expect(problem.detail).toContain(`POST /api/v1/people/${id}/endings`);
    expect(problem.errors.map((e) => e.path)).toEqual(['event.type']);
    // Even with an invalid body the answer is the same: the endpoint is not the way to end aftercare.
    const bare = await call('POST', `/api/v1/people/${id}/events`, trust, { event: { type: 'aftercare-ended', date: '2025-06-01' } });
    expect(bare.statusCode).toBe(422);
    expect((bare.json() as { type: string }).type).toBe('https://aftercare.example/problems/workflow-only-event');
    expect(await stored(id)).toEqual({ status: 'entitled', types: ['detention-started', 'detention-ended', 'left-hospital'] });
  });

  it('finding 1: the batch path (the legal-status feed) refuses it too, naming the event, and records none of the batch', async () => {
    const id = await entitledPerson();
    const ctx = await trustContext();
    const error = await recordEvents(ctx, id, [{ event: { type: 'reviewed', date: '2025-05-01' } }, { event: ending('2025-06-01') }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowOnlyEventError);
    expect((error as WorkflowOnlyEventError).issues).toEqual([{ path: 'events[1].type', message: expect.stringContaining('Propose ending aftercare') }]);
    expect(await stored(id)).toEqual({ status: 'entitled', types: ['detention-started', 'detention-ended', 'left-hospital'] });
  });

  it('finding 1: a look-alike authority is not an authority; only one granted to the workflow is', async () => {
    const id = await entitledPerson();
    const ctx = await trustContext();
    const forged = { workflow: 'endings', reference: 'forged' } as WorkflowAuthority;
    await expect(recordEvent(ctx, id, { event: ending('2025-06-01') }, { authority: forged })).rejects.toBeInstanceOf(WorkflowOnlyEventError);
    // The disputes workflow's authority does not end aftercare either.
    await expect(recordEvent(ctx, id, { event: ending('2025-06-01') }, { authority: grantWorkflowAuthority('disputes', 'test') })).rejects.toBeInstanceOf(WorkflowOnlyEventError);
    expect((await stored(id)).status).toBe('entitled');
    const done = await recordEvent(ctx, id, { event: ending('2025-06-01') }, { authority: grantWorkflowAuthority('endings', 'test') });
    expect(done.decision.status).toBe('ended');
  });

  it('finding 1: a recorded ending cannot be removed from the history by the generic form (reinstatement only through the workflow)', async () => {
    const id = await entitledPerson();
    const ctx = await trustContext();
    await recordEvent(ctx, id, { event: ending('2025-06-01') }, { authority: grantWorkflowAuthority('endings', 'test: approved by both bodies') });
    expect((await stored(id)).status).toBe('ended');
    const event = (await t.database.db.select().from(legalEvent).where(and(eq(legalEvent.personId, id), eq(legalEvent.type, 'aftercare-ended'))))[0]!;

    const b = await signedIn(demo.practitioner);
    const history = await b.get(`/people/${id}/history`);
    expect(history.body).not.toContain(`/events/${event.id}/remove`);
    await b.get(`/people/${id}/history`);
    const res = await b.post(`/people/${id}/events/${event.id}/remove`, { version: String(event.version), reason: 'Ended by mistake' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Use “Propose reinstating aftercare” on the person’s Ending aftercare page');
    expect(await stored(id)).toEqual({ status: 'ended', types: ['detention-started', 'detention-ended', 'left-hospital', 'aftercare-ended'] });
  });

  it('finding 1: dispute events belong to the disputes workflow: the form does not offer them and the API refuses them', async () => {
    const id = await entitledPerson();
    const b = await signedIn(demo.practitioner);
    const choose = await b.get(`/people/${id}/events/new`);
    expect(choose.body).not.toContain('value="dispute-opened"');
    expect(choose.body).not.toContain('value="dispute-resolved"');
    const res = await call('POST', `/api/v1/people/${id}/events`, trust, { event: { type: 'dispute-opened', date: '2025-05-01', kind: 'ordinary-residence' } });
    expect(res.statusCode).toBe(422);
    expect((res.json() as { detail: string }).detail).toContain(`POST /api/v1/people/${id}/disputes`);
    expect((await stored(id)).types).not.toContain('dispute-opened');
  });

  it('finding 1: permission comes before the workflow check: a read-only user gets 403, not 422', async () => {
    const id = await entitledPerson();
    const b = await signedIn(demo.readOnly);
    await b.get(`/people/${id}`);
    const res = await b.post(`/people/${id}/events/new/aftercare-ended`, { ...dateForm('date', '2025-06-01'), approvedBy: ['local-authority', 'icb'], reasons: ['no-longer-in-need'], personInvolved: 'true', legalOverride: 'false', confirm: 'yes' });
    expect(res.statusCode).toBe(403);
  });
});

describe('finding 1: one path for the import and the feed', () => {
  it('finding 1: the import’s writer (insertEvents) refuses an ending row, so a legacy "Ended" can only become the confirmation task', async () => {
    const id = await entitledPerson();
    const ctx = await trustContext();
    const row = { id: randomUUID(), partnershipId: ctx.actor.partnershipId, personId: id, type: 'aftercare-ended', occurredOn: '2025-06-01', sequence: 1, payload: ending('2025-06-01'), externalId: 'legacy-ended', source: 'import', recordedBy: ctx.actor.userId };
    await expect(t.database.db.transaction(async (tx) => insertEvents(tx, ctx, [row]))).rejects.toBeInstanceOf(WorkflowOnlyEventError);
    expect(await stored(id)).toEqual({ status: 'entitled', types: ['detention-started', 'detention-ended', 'left-hospital'] });
  });

  it('finding 1: a batch’s audit rows (the import, the feed) are scrubbed exactly like a form’s', async () => {
    const ctx = await trustContext();
    const subjectId = randomUUID();
    const change = { action: 'scrub.checked', subjectType: 'person', subjectId, before: { password: 'hunter2', nested: { tokenHash: 'abc' } }, after: { token: 'secret', passwordHash: 'x', name: 'kept' } };
    await t.database.db.transaction(async (tx) => {
      await recordChange(tx, { ...ctx, requestId: 'test:one' }, change);
      await recordChanges(tx, { ...ctx, requestId: 'test:batch' }, [change, change]);
    });
    const rows = await t.database.db.select().from(auditEvent).where(eq(auditEvent.subjectId, subjectId));
    expect(rows).toHaveLength(3);
    const shape = (r: (typeof rows)[number]) => ({ action: r.action, subjectType: r.subjectType, actorTokenId: r.actorTokenId, organisationId: r.organisationId, partnershipId: r.partnershipId, before: r.before, after: r.after });
    expect(new Set(rows.map((r) => JSON.stringify(shape(r)))).size).toBe(1);
    expect(rows[0]!.before).toEqual({ password: '[not recorded]', nested: { tokenHash: '[not recorded]' } });
    expect(rows[0]!.after).toEqual({ token: '[not recorded]', passwordHash: '[not recorded]', name: 'kept' });
  });
});
