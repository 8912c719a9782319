import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { cliContext } from '../../cli/context.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/index.ts';
import { caseNote } from './index.ts';
import { createNote } from './notes.service.ts';

/*
 * Issue 15, item 6: case notes through the API, with the pages' rules. Northvale Council's case
 * system (a token: no role the partnership chose for restricted notes) reads and writes notes of a
 * person Northvale is responsible for and never sees a restricted note; the team manager, signed
 * in, does; Southmere, with no relationship, is refused.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
let openNoteId = '';
let restrictedNoteId = '';
let northvale = '';
let southmere = '';

async function tokenFor(code: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `Notes API tests ${code}` })).token;
}

function call(method: 'GET' | 'POST', url: string, token: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

const input = { type: 'home-visit', contactDate: '2026-12-06', contactTime: '14:30', present: 'Rowan and their mother', body: '# Visit\nSeen at home.', significant: false, restricted: false, restrictedReason: '', link: '' };

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  personId = await entitledPerson(practitioner, { nhsNumber: nhsNumbers(15_700)(), givenName: 'Rowan', familyName: 'Notesapi' });
  openNoteId = (await createNote(practitioner, personId, { ...input, significant: true }, true)).id;
  const manager = await contextFor(t, demo.manager, { clock });
  restrictedNoteId = (await createNote(manager, personId, { ...input, type: 'contact-with-family-or-carer', body: 'Third-party information from the neighbour.', restricted: true, restrictedReason: 'Third-party information' }, true)).id;
  northvale = await tokenFor('E06000901');
  southmere = await tokenFor('E06000902');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('case notes API (issue 15, item 6)', () => {
  it('lists the notes a partner may see, never a restricted one, and audits the read', async () => {
    const res = await call('GET', `/api/v1/people/${personId}/notes`, northvale);
    expect(res.statusCode, res.body).toBe(200);
    const notes = (res.json() as { notes: Array<{ id: string; body: string; typeLabel: string; significant: boolean; state: string }> }).notes;
    expect(notes.map((n) => n.id)).toEqual([openNoteId]);
    expect(notes[0]).toMatchObject({ body: '# Visit\nSeen at home.', typeLabel: 'Home visit', significant: true, state: 'finished' });
    expect(res.body).not.toContain('neighbour');
    const views = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, personId)));
    expect(views.some((v) => JSON.stringify(v.after ?? v).includes('api-case-notes'))).toBe(true);
  });

  it('answers 404 for a restricted note to a caller outside the partnership’s choice, and shows it to the team manager', async () => {
    expect((await call('GET', `/api/v1/people/${personId}/notes/${restrictedNoteId}`, northvale)).statusCode).toBe(404);
    const manager = await signedIn(t, demo.manager);
    const list = await manager.get(`/api/v1/people/${personId}/notes`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { notes: Array<{ id: string }> }).notes.map((n) => n.id).sort()).toEqual([openNoteId, restrictedNoteId].sort());
    const one = await manager.get(`/api/v1/people/${personId}/notes/${restrictedNoteId}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ restricted: true, restrictedReason: 'Third-party information', earlierVersions: [] });
  });

  it('filters to significant notes', async () => {
    const manager = await signedIn(t, demo.manager);
    const res = await manager.get(`/api/v1/people/${personId}/notes?significant=true`);
    expect((res.json() as { notes: Array<{ id: string }> }).notes.map((n) => n.id)).toEqual([openNoteId]);
  });

  it('writes a note with the pages’ rules, and the note is on the person’s record', async () => {
    const res = await call('POST', `/api/v1/people/${personId}/notes`, northvale, { type: 'telephone', contactDate: '2026-12-07', contactTime: '9:15am', body: 'Rang to confirm the review date.' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { id: string; contactAt: string; state: string; author: string | null };
    expect(res.headers.location).toBe(`/api/v1/people/${personId}/notes/${body.id}`);
    expect(body).toMatchObject({ contactAt: '2026-12-07T09:15:00.000Z', state: 'finished' });
    const stored = (await t.database.db.select().from(caseNote).where(eq(caseNote.id, body.id)))[0]!;
    expect(stored.body).toBe('Rang to confirm the review date.');
    expect(stored.personId).toBe(personId);
  });

  it('refuses a contact in the future and an unknown field, naming each, and stores nothing', async () => {
    const before = (await t.database.db.select().from(caseNote).where(eq(caseNote.personId, personId))).length;
    const future = await call('POST', `/api/v1/people/${personId}/notes`, northvale, { type: 'telephone', contactDate: '2026-12-08', contactTime: '09:00', body: 'Not yet.' });
    expect(future.statusCode).toBe(422);
    expect(future.headers['content-type']).toContain('application/problem+json');
    expect((future.json() as { errors: Array<{ path: string; message: string }> }).errors).toContainEqual({ path: 'contactDate', message: 'The date and time of the contact must be in the past' });
    const unknown = await call('POST', `/api/v1/people/${personId}/notes`, northvale, { type: 'telephone', contactDate: '2026-12-06', contactTime: '09:00', body: 'x', mood: 'fine' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('Remove \\"mood\\"');
    expect((await t.database.db.select().from(caseNote).where(eq(caseNote.personId, personId))).length).toBe(before);
  });

  it('refuses another organisation with no relationship, and a read-only user, before reading the body', async () => {
    expect((await call('GET', `/api/v1/people/${personId}/notes`, southmere)).statusCode).toBe(403);
    expect((await call('POST', `/api/v1/people/${personId}/notes`, southmere, { nonsense: true })).statusCode).toBe(403);
    const readOnly = await signedIn(t, demo.readOnly);
    const res = await readOnly.post(`/api/v1/people/${personId}/notes`, { nonsense: 'yes' });
    expect(res.statusCode).toBe(403);
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/v1/people/{id}/notes'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(spec.paths['/api/v1/people/{id}/notes/{noteId}'] ?? {})).toEqual(['get']);
  });
});
