import { and, eq } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../platform/db/schema.ts';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { caseNote, caseNoteVersion } from './index.ts';

/*
 * Issue 15, item 1: case notes through HTTP, with the settable clock. A draft is written, finished,
 * edited within 24 hours and refused after; a correction keeps the earlier text with its reason,
 * shown to the team manager and not to the practitioner; typed HTML comes out as text; a restricted
 * note is invisible to a role the partnership did not choose (list, page, subject access export);
 * another organisation's practitioner is refused.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
const eastbridge = 'eastbridge@demo.aftercare.example';

function noteForm(fields: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    type: 'home-visit',
    ...dateForm('contactDate', '2026-12-06'),
    contactTime: '2:30pm',
    present: 'Sasha and her sister',
    body: '# Visit\nSeen at home.\n\n- Eating well\n- Sleeping badly',
    ...Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)),
  };
}

async function stored(id: string) {
  return (await t.database.db.select().from(caseNote).where(eq(caseNote.id, id)))[0]!;
}

async function audited(action: string, subjectId: string): Promise<number> {
  return (await t.database.db.select({ id: auditEvent.id }).from(auditEvent).where(and(eq(auditEvent.action, action), eq(auditEvent.subjectId, subjectId)))).length;
}

async function write(b: Browser, fields: Partial<Record<string, string>>, action: 'draft' | 'finish') {
  await b.get(`/people/${personId}/notes/new`);
  const res = await b.post(`/people/${personId}/notes/new`, { ...noteForm(fields), action });
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
  return /\/notes\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  personId = await entitledPerson(practitioner, { nhsNumber: nhsNumbers(15_100)(), givenName: 'Sasha', familyName: 'Casenotes' });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('case notes (issue 15, item 1)', () => {
  let noteId = '';

  it('shows the case notes section on the person page and writes a draft, audited', async () => {
    const b = await signedIn(t, demo.practitioner);
    const page = await b.get(`/people/${personId}`);
    expect(page.body).toContain(`href="/people/${personId}/notes"`);
    noteId = await write(b, {}, 'draft');
    const row = await stored(noteId);
    expect(row).toMatchObject({ status: 'draft', finishedAt: null, type: 'home-visit', present: 'Sasha and her sister', version: 1 });
    expect(row.contactAt.toISOString()).toBe('2026-12-06T14:30:00.000Z');
    expect(await audited('case-note.drafted', noteId)).toBe(1);
    const view = await b.get(`/people/${personId}/notes/${noteId}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('6 December 2026, 2:30pm');
    expect(view.body).toContain('Home visit');
    expect(view.body).toContain('<h3 class="govuk-heading-s">Visit</h3>');
    expect(view.body).toContain('<li>Eating well</li>');
    const list = await b.get(`/people/${personId}/notes`);
    expect(list.body).toContain('Draft');
  });

  it('refuses a note without its type, time or text with the error summary (422), nothing saved', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/notes/new`);
    const before = (await t.database.db.select().from(caseNote).where(eq(caseNote.personId, personId))).length;
    const res = await b.post(`/people/${personId}/notes/new`, { ...noteForm({ type: '', contactTime: 'soon', body: '' }), action: 'finish' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Choose the type of note');
    expect(res.body).toContain('Enter the time of the contact like 2:30pm or 14:30');
    expect(res.body).toContain('Enter the note');
    expect((await t.database.db.select().from(caseNote).where(eq(caseNote.personId, personId))).length).toBe(before);
  });

  it('finishes the draft, then lets its author edit it within 24 hours; a stale save is a 409 with the error summary', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(`/people/${personId}/notes/${noteId}/edit`);
    const finished = await b.post(`/people/${personId}/notes/${noteId}/edit`, { ...noteForm({ significant: 'yes' }), version: '1', action: 'finish' });
    expect(finished.statusCode).toBe(302);
    expect(await stored(noteId)).toMatchObject({ status: 'finished', significant: true, version: 2 });
    expect((await stored(noteId)).finishedAt!.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(await audited('case-note.finished', noteId)).toBe(1);

    clock.set('2026-12-08T09:59:00Z');
    const again = await signedIn(t, demo.practitioner);
    await again.get(`/people/${personId}/notes/${noteId}/edit`);
    const edited = await again.post(`/people/${personId}/notes/${noteId}/edit`, { ...noteForm({ significant: 'yes', body: 'Seen at home. Eating well.' }), version: '2', action: 'draft' });
    expect(edited.statusCode).toBe(302);
    expect(await stored(noteId)).toMatchObject({ status: 'finished', body: 'Seen at home. Eating well.', version: 3 });
    expect(await audited('case-note.edited', noteId)).toBe(1);

    const stale = await again.post(`/people/${personId}/notes/${noteId}/edit`, { ...noteForm({ body: 'An older page' }), version: '2', action: 'draft' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('There is a problem');
    expect(stale.body).toContain('Somebody else changed this note after you opened it');
    expect(stale.body).toContain('name="version" value="3"');
    expect((await stored(noteId)).body).toBe('Seen at home. Eating well.');
  });

  it('refuses another user’s edit of the author’s note (403)', async () => {
    const manager = await signedIn(t, demo.manager);
    expect((await manager.get(`/people/${personId}/notes/${noteId}/edit`)).statusCode).toBe(403);
  });

  it('locks the note 24 hours after it was finished: the edit is refused (409), a correction needs a reason and keeps the earlier text', async () => {
    clock.set('2026-12-08T10:00:00Z');
    const b = await signedIn(t, demo.practitioner);
    const view = await b.get(`/people/${personId}/notes/${noteId}`);
    expect(view.body).toContain('Locked');
    expect(view.body).toContain('Correct this note');
    expect(view.body).not.toContain('/edit"');
    expect((await b.get(`/people/${personId}/notes/${noteId}/edit`)).statusCode).toBe(409);
    const refused = await b.post(`/people/${personId}/notes/${noteId}/edit`, { ...noteForm({ body: 'Too late' }), version: '3', action: 'draft' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('can no longer be edited: correct it instead');
    expect((await stored(noteId)).body).toBe('Seen at home. Eating well.');

    await b.get(`/people/${personId}/notes/${noteId}/correct`);
    const noReason = await b.post(`/people/${personId}/notes/${noteId}/correct`, { ...noteForm({ body: 'Seen at home. Eating poorly.' }), version: '3' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Say why the note is being corrected');
    const corrected = await b.post(`/people/${personId}/notes/${noteId}/correct`, { ...noteForm({ body: 'Seen at home. Eating poorly.', significant: 'yes' }), version: '3', reason: 'I wrote well where I meant poorly' });
    expect(corrected.statusCode).toBe(302);
    expect(await stored(noteId)).toMatchObject({ body: 'Seen at home. Eating poorly.', version: 4, corrections: 1, status: 'finished' });
    const versions = await t.database.db.select().from(caseNoteVersion).where(eq(caseNoteVersion.noteId, noteId));
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ noteVersion: 3, body: 'Seen at home. Eating well.', reason: 'I wrote well where I meant poorly' });
    expect(await audited('case-note.corrected', noteId)).toBe(1);

    const mine = await b.get(`/people/${personId}/notes/${noteId}`);
    expect(mine.body).toContain('Seen at home. Eating poorly.');
    expect(mine.body).not.toContain('Earlier versions');
    expect(mine.body).not.toContain('Eating well');

    const manager = await signedIn(t, demo.manager);
    const managed = await manager.get(`/people/${personId}/notes/${noteId}`);
    expect(managed.body).toContain('Earlier versions');
    expect(managed.body).toContain('Seen at home. Eating well.');
    expect(managed.body).toContain('I wrote well where I meant poorly');
  });

  it('shows typed HTML as text: no script or image tag reaches the page', async () => {
    const b = await signedIn(t, demo.practitioner);
    const id = await write(b, { body: '<script>alert(1)</script>\n# <img src=x onerror=alert(1)>\n- <b onmouseover="steal()">x</b>' }, 'finish');
    const view = await b.get(`/people/${personId}/notes/${id}`);
    expect(view.body).not.toContain('<script>alert(1)');
    expect(view.body).not.toContain('<img src=x');
    expect(view.body).not.toContain('<b onmouseover');
    expect(view.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(view.body).toContain('&lt;img src&#61;x onerror&#61;alert(1)&gt;');
    expect((await stored(id)).body).toContain('<script>alert(1)</script>');
  });

  it('filters significant notes', async () => {
    const b = await signedIn(t, demo.practitioner);
    const all = await b.get(`/people/${personId}/notes`);
    const significant = await b.get(`/people/${personId}/notes?significant=yes`);
    expect((all.body.match(/data-qa="note-row"/g) ?? []).length).toBe(2);
    expect((significant.body.match(/data-qa="note-row"/g) ?? []).length).toBe(1);
  });

  it('hides a restricted note from a practitioner in the list, the person page count and its page (404), and withholds it from the subject access export', async () => {
    const manager = await signedIn(t, demo.manager);
    const restrictedId = await write(manager, { type: 'contact-with-family-or-carer', body: 'Sister reports a safeguarding concern about a neighbour.', restricted: 'yes', restrictedReason: 'Third-party information' }, 'finish');
    expect((await manager.get(`/people/${personId}/notes`)).body).toContain(`/notes/${restrictedId}`);
    expect((await manager.get(`/people/${personId}/notes/${restrictedId}`)).body).toContain('Sister reports a safeguarding concern');

    const practitioner = await signedIn(t, demo.practitioner);
    const list = await practitioner.get(`/people/${personId}/notes`);
    expect(list.body).not.toContain(restrictedId);
    expect(list.body).toContain('2 notes, newest contact first');
    expect((await practitioner.get(`/people/${personId}`)).body).toMatch(/2 notes/);
    expect((await practitioner.get(`/people/${personId}/notes/${restrictedId}`)).statusCode).toBe(404);

    const quality = await signedIn(t, demo.quality);
    await quality.get(`/people/${personId}/subject-access`);
    const res = await quality.post(`/people/${personId}/subject-access`, {});
    expect(res.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const json = JSON.parse(await zip.file('person.json')!.async('string')) as { tables: Record<string, { rows: Array<{ id: string; body: string }> }>; withheld: Record<string, string> };
    expect(json.tables.case_note!.rows.map((r) => r.id)).not.toContain(restrictedId);
    expect(json.tables.case_note!.rows).toHaveLength(2);
    expect(json.tables.case_note_version!.rows).toHaveLength(1);
    expect(json.withheld).toEqual({ case_note: '1 restricted note withheld pending review' });
    expect(await zip.file('person.json')!.async('string')).not.toContain('Sister reports a safeguarding concern');
    expect(await zip.file('views.json')!.async('string')).not.toContain('Sister reports a safeguarding concern');
  });

  it('refuses another organisation’s practitioner and a commissioner’s writes (they may read notes, not write them)', async () => {
    const other = await signedIn(t, eastbridge);
    expect([403, 404]).toContain((await other.get(`/people/${personId}/notes`)).statusCode);
    expect([403, 404]).toContain((await other.get(`/people/${personId}/notes/${noteId}`)).statusCode);
    expect((await other.post(`/people/${personId}/notes/new`, { ...noteForm(), action: 'finish' })).statusCode).toBe(403);
    const commissioner = await signedIn(t, demo.commissioner);
    const list = await commissioner.get(`/people/${personId}/notes`);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Write a case note');
    expect((await commissioner.post(`/people/${personId}/notes/new`, { ...noteForm(), action: 'finish' })).statusCode).toBe(403);
  });

  it('lets the lead organisation’s administrator choose who sees restricted notes on the settings page, audited', async () => {
    const admin = await signedIn(t, demo.admin);
    const page = await admin.get('/admin/plan-settings');
    expect(page.body).toContain('Roles that see restricted case notes');
    expect(page.body).toMatch(/name="restrictedRoles" type="checkbox" value="team-manager" checked/);
    const none = await admin.post('/admin/plan-settings/restricted-notes', { restrictedNotesVersion: '0' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Choose at least one role that sees restricted notes');
    const saved = await admin.post('/admin/plan-settings/restricted-notes', { restrictedNotesVersion: '0', restrictedRoles: ['team-manager', 'practitioner'] });
    expect(saved.statusCode).toBe(302);
    const stale = await admin.post('/admin/plan-settings/restricted-notes', { restrictedNotesVersion: '1', restrictedRoles: ['team-manager'] });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Somebody else saved who sees restricted case notes');
    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.get(`/people/${personId}/notes`)).body).toContain('3 notes, newest contact first');
    const manager = await signedIn(t, demo.manager);
    expect((await manager.post('/admin/plan-settings/restricted-notes', { restrictedNotesVersion: '2', restrictedRoles: ['practitioner'] })).statusCode).toBe(403);
  });

  it('lets the author of a restricted note see it, while a role the partnership did not choose does not', async () => {
    const admin = await signedIn(t, demo.admin);
    await admin.get('/admin/plan-settings');
    expect((await admin.post('/admin/plan-settings/restricted-notes', { restrictedNotesVersion: '2', restrictedRoles: ['team-manager'] })).statusCode).toBe(302);
    const practitioner = await signedIn(t, demo.practitioner);
    const id = await write(practitioner, { body: 'A neighbour’s confidence.', restricted: 'yes', restrictedReason: 'Third-party information' }, 'finish');
    expect((await practitioner.get(`/people/${personId}/notes/${id}`)).statusCode).toBe(200);
    expect((await practitioner.get(`/people/${personId}/notes`)).body).toContain(id);
    const quality = await signedIn(t, demo.quality);
    expect((await quality.get(`/people/${personId}/notes/${id}`)).statusCode).toBe(404);
    expect((await quality.get(`/people/${personId}/notes`)).body).not.toContain(id);
  });
  it('keeps a restricted note’s words out of the audit trail, which roles not chosen may read; an edit before the lock keeps the earlier words as a version', async () => {
    const practitioner = await signedIn(t, demo.practitioner);
    const id = await write(practitioner, { body: 'Brother disclosed a debt to a lender.', present: 'Sasha’s brother', restricted: 'yes', restrictedReason: 'Third-party information' }, 'finish');
    await practitioner.get(`/people/${personId}/notes/${id}/edit`);
    const edited = await practitioner.post(`/people/${personId}/notes/${id}/edit`, { ...noteForm({ body: 'Brother disclosed a debt.', restricted: 'yes', restrictedReason: 'Third-party information' }), version: '1', action: 'draft' });
    expect(edited.statusCode, edited.body.slice(0, 2000)).toBe(302);
    const versions = await t.database.db.select().from(caseNoteVersion).where(eq(caseNoteVersion.noteId, id));
    expect(versions.map((v) => v.body)).toEqual(['Brother disclosed a debt to a lender.']);
    const rows = await t.database.db.select().from(auditEvent).where(eq(auditEvent.subjectId, id));
    expect(rows.map((r) => r.action).sort()).toEqual(['case-note.edited', 'case-note.finished']);
    expect(JSON.stringify(rows)).not.toMatch(/debt|brother/i);
    expect(JSON.stringify(rows)).toContain('bodySha256');
    // Quality and audit staff read the person's audit trail but were not chosen for restricted notes.
    const quality = await signedIn(t, demo.quality);
    const trail = await quality.get(`/people/${personId}/audit`);
    expect(trail.statusCode).toBe(200);
    expect(trail.body).not.toMatch(/debt|lender/i);
  });
});
