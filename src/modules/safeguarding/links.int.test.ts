import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { approvedPlan, clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { auditEvent } from '../../platform/db/schema.ts';
import { riskAssessment } from '../risk/index.ts';
import { safeguardingConcern } from './index.ts';

/*
 * Issue 16, item 1 ("links to notes, risk assessments and the plan"), through HTTP: a practitioner
 * links a concern to the person's own case note, risk assessment and plan, and unlinks one, with
 * the concern's version and an audit event of ids. Another person's note is refused and nothing
 * changes; another organisation is refused (403); read-only staff are refused before their form is
 * read. A restricted note the practitioner may not see is neither offered nor shown, and their save
 * leaves its link alone. Read-only staff, who may not see safeguarding details, find no trace of
 * the link on the note, risk assessment or plan pages, nor in the API.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
let otherPersonId = '';
let concernId = '';
let noteId = '';
let restrictedNoteId = '';
let otherNoteId = '';
let riskId = '';
let planId = '';
const eastbridge = 'eastbridge@demo.aftercare.example';
const numbers = nhsNumbers(16_300);

async function writeNote(b: Browser, pid: string, fields: Record<string, string> = {}) {
  await b.get(`/people/${pid}/notes/new`);
  const res = await b.post(`/people/${pid}/notes/new`, { type: 'home-visit', ...dateForm('contactDate', '2026-12-04'), contactTime: '2:30pm', present: 'Jordan', body: 'Seen at home; bruising on her arm.', action: 'finish', ...fields });
  expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
  return /\/notes\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
}

async function concern() {
  return (await t.database.db.select().from(safeguardingConcern).where(eq(safeguardingConcern.id, concernId)))[0]!;
}

const linksUrl = () => `/people/${personId}/safeguarding/concerns/${concernId}/links`;
const concernUrl = () => `/people/${personId}/safeguarding/concerns/${concernId}`;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  // Recorded by the trust, so its read-only staff read the person; Northvale Council is the responsible local authority.
  const ctx = await contextFor(t, 'trust@demo.aftercare.example', { clock });
  personId = await entitledPerson(ctx, { nhsNumber: numbers(), givenName: 'Jordan', familyName: 'Linkfixture' });
  otherPersonId = await entitledPerson(ctx, { nhsNumber: numbers(), givenName: 'Riley', familyName: 'Otherfixture' });
  const practitioner = await signedIn(t, demo.practitioner);
  noteId = await writeNote(practitioner, personId);
  otherNoteId = await writeNote(practitioner, otherPersonId, { body: 'Riley’s own visit.' });
  // A restricted note, seen by the team manager and not the practitioner (the notes' default roles).
  restrictedNoteId = await writeNote(await signedIn(t, demo.manager), personId, { type: 'contact-with-family-or-carer', body: 'Neighbour says the nephew visits daily.', restricted: 'yes', restrictedReason: 'Third-party information' });
  const [risk] = await t.database.db
    .insert(riskAssessment)
    .values({ partnershipId: ctx.actor.partnershipId, personId, riskToSelf: 'Low', riskToOthers: 'None known', riskFromOthers: 'Financial abuse by a relative', selfNeglect: 'None', relapseSigns: 'Sleeping badly', protectiveFactors: 'Sister', personsView: 'Wants to stay at home', formulation: 'Risk from others', positiveRiskPlan: 'Weekly visits', level: 'medium', reviewOn: '2027-03-01', assessedOn: '2026-12-01' })
    .returning();
  riskId = risk!.id;
  planId = (await approvedPlan(t.database.db, { partnershipId: ctx.actor.partnershipId, personId })).planId;
  await practitioner.get(`/people/${personId}/safeguarding/new`);
  const raised = await practitioner.post(`/people/${personId}/safeguarding/new`, {
    categories: ['financial'],
    concern: 'Nephew takes her bank card.',
    reportedBy: 'Home care worker',
    riskSource: 'known-to-individual',
    location: 'own-home',
    ...dateForm('raisedOn', '2026-12-07'),
    personAsked: 'yes',
    personsViews: 'Wants it to stop.',
    desiredOutcomes: 'Money safe.',
  });
  expect(raised.statusCode, raised.body.slice(0, 1500)).toBe(302);
  concernId = /concerns\/([0-9a-f-]{36})$/.exec(raised.headers.location as string)![1]!;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('safeguarding links to notes, risk assessments and plans (issue 16, item 1)', () => {
  it('offers the person’s own note, risk assessment and plan by date, without JavaScript, and not the restricted note the practitioner may not see', async () => {
    const b = await signedIn(t, demo.practitioner);
    expect((await b.get(concernUrl())).body).toContain('Not linked to any case notes, risk assessments or plans.');
    const page = await b.get(linksUrl());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="_csrf"');
    expect(page.body).toContain(`value="${noteId}"`);
    expect(page.body).toContain('Home visit, 4 December 2026, 2:30pm, by ');
    expect(page.body).toContain(`value="${riskId}"`);
    expect(page.body).toContain('Risk assessment, 1 December 2026: medium risk');
    expect(page.body).toContain(`value="${planId}"`);
    expect(page.body).toContain('Aftercare plan 1 (approved)');
    expect(page.body).not.toContain(restrictedNoteId);
    expect(page.body).not.toContain(otherNoteId);
  });

  it('links them with the concern’s version and an audit event of ids; the concern page shows links to each', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(linksUrl());
    const before = await concern();
    const res = await b.post(linksUrl(), { version: String(before.version), notes: [noteId], riskAssessments: [riskId], plans: [planId] });
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
    expect((await concern()).version).toBe(before.version + 1);
    const page = await b.get(concernUrl());
    expect(page.body).toContain(`href="/people/${personId}/notes/${noteId}"`);
    expect(page.body).toContain(`href="/people/${personId}/risk/assessments/${riskId}"`);
    expect(page.body).toContain(`href="/people/${personId}/plans/${planId}"`);
    const [audited] = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'safeguarding-links.updated'), eq(auditEvent.subjectId, concernId)));
    expect(JSON.stringify(audited!.before)).not.toContain(noteId);
    expect(JSON.stringify(audited!.after)).toContain(noteId);
    expect(JSON.stringify(audited!.after)).toContain(planId);
    // The same page again, now stale: refused (409) and nothing changes.
    const stale = await b.post(linksUrl(), { version: String(before.version), notes: [], riskAssessments: [], plans: [] });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Somebody else changed this concern');
    expect((await b.get(concernUrl())).body).toContain(`/notes/${noteId}"`);
  });

  it('refuses another person’s note by name and changes nothing (422)', async () => {
    const b = await signedIn(t, demo.practitioner);
    await b.get(linksUrl());
    const version = (await concern()).version;
    const res = await b.post(linksUrl(), { version: String(version), notes: [noteId, otherNoteId], riskAssessments: [riskId], plans: [] });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('Choose case notes of Jordan Linkfixture from the list');
    expect((await concern()).version).toBe(version);
    expect((await b.get(concernUrl())).body).toContain(`/plans/${planId}"`);
  });

  it('keeps a link to a restricted note the practitioner cannot see when they save, and never shows it to them', async () => {
    const manager = await signedIn(t, demo.manager);
    const form = await manager.get(linksUrl());
    expect(form.body).toContain(`value="${restrictedNoteId}"`);
    const res = await manager.post(linksUrl(), { version: String((await concern()).version), notes: [noteId, restrictedNoteId], riskAssessments: [riskId], plans: [planId] });
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
    expect((await manager.get(concernUrl())).body).toContain(`/notes/${restrictedNoteId}"`);

    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.get(concernUrl())).body).not.toContain(restrictedNoteId);
    expect((await practitioner.get(`/api/v1/people/${personId}/safeguarding/${concernId}`)).body).not.toContain(restrictedNoteId);
    // Unlinking the plan: the restricted note's link stays.
    await practitioner.get(linksUrl());
    const unlinked = await practitioner.post(linksUrl(), { version: String((await concern()).version), notes: [noteId], riskAssessments: [riskId] });
    expect(unlinked.statusCode).toBe(302);
    const after = (await practitioner.get(concernUrl())).body;
    expect(after).not.toContain(`/plans/${planId}"`);
    expect(after).toContain(`/notes/${noteId}"`);
    expect((await manager.get(concernUrl())).body).toContain(`/notes/${restrictedNoteId}"`);
  });

  it('includes the links in the API’s concern, in the list and alone', async () => {
    const b = await signedIn(t, demo.practitioner);
    const one = (await b.get(`/api/v1/people/${personId}/safeguarding/${concernId}`)).json() as { links: Array<{ kind: string; id: string; href: string }> };
    expect(one.links.map((l) => [l.kind, l.id])).toEqual([
      ['note', noteId],
      ['risk-assessment', riskId],
    ]);
    const all = (await b.get(`/api/v1/people/${personId}/safeguarding`)).json() as { concerns: Array<{ id: string; links: Array<{ id: string }> }> };
    expect(all.concerns.find((c) => c.id === concernId)!.links.map((l) => l.id)).toEqual([noteId, riskId]);
  });

  it('refuses another organisation (403) and read-only staff before their form is read (403), changing nothing', async () => {
    const version = (await concern()).version;
    const other = await signedIn(t, eastbridge);
    expect((await other.get(linksUrl())).statusCode).toBe(403);
    expect((await other.post(linksUrl(), { version: String(version), notes: [] })).statusCode).toBe(403);
    const readOnly = await signedIn(t, demo.readOnly);
    expect((await readOnly.get(linksUrl())).statusCode).toBe(403);
    expect((await readOnly.post(linksUrl(), {})).statusCode).toBe(403);
    expect((await readOnly.post(linksUrl(), { version: 'nonsense', notes: ['not-an-id'] })).statusCode).toBe(403);
    expect((await concern()).version).toBe(version);
  });

  it('leaves no trace of the link for staff who may not see safeguarding details: not on the note, risk assessment or plan pages, nor the API', async () => {
    const readOnly = await signedIn(t, demo.readOnly);
    const pages = [`/people/${personId}/notes/${noteId}`, `/people/${personId}/notes`, `/people/${personId}/risk/assessments/${riskId}`, `/people/${personId}/risk`, `/people/${personId}/plans/${planId}`, `/api/v1/people/${personId}/safeguarding`];
    for (const url of pages) {
      const res = await readOnly.get(url);
      expect(res.statusCode, `${url} ${res.body.replace(/\s+/g, " ").match(/<main.*?<\/h1>.{0,300}/)?.[0]}`).toBe(200);
      expect(res.body, url).not.toContain(concernId);
      expect(res.body, url).not.toMatch(/linked to a safeguarding/i);
    }
    expect((await readOnly.get(concernUrl())).statusCode).toBe(404);
    const api = (await readOnly.get(`/api/v1/people/${personId}/safeguarding`)).json() as { concerns: unknown[] };
    expect(api.concerns).toEqual([]);
  });
});
