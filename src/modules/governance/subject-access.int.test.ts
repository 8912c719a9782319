import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../platform/db/schema.ts';
import { storeDocument } from '../documents/index.ts';
import { addContact, task } from '../register/index.ts';
import { createTestApp, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { approvedPlan, clockAt, contextFor, createPartnership, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';

/*
 * Issue 14, item 6: the subject access export through HTTP. An administrator or quality and audit
 * member of an organisation that can see the person gets a zip: person.json with rows of each kind,
 * the stored documents byte for byte, a PDF summary and views.json with the audit of a view. Others
 * are refused (403) and nothing is audited as exported; another partnership's person is not found.
 */

const clock = clockAt('2026-12-07');
let t: TestApp;
let personId = '';
let nhsNumber = '';
let otherPartnershipPersonId = '';
const documentBytes = Buffer.from('%PDF-1.7 a stored letter, byte for byte');

async function exportsAudited(): Promise<number> {
  return (await t.database.db.select({ id: auditEvent.id }).from(auditEvent).where(and(eq(auditEvent.subjectId, personId), eq(auditEvent.action, 'person.subject_access_exported')))).length;
}

async function download(b: Browser, id: string) {
  await b.get(`/people/${id}/subject-access`);
  return t.app.inject({
    method: 'POST',
    url: `/people/${id}/subject-access`,
    payload: new URLSearchParams({ _csrf: b.lastCsrf ?? '' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  nhsNumber = nhsNumbers(16_100)();
  personId = await entitledPerson(practitioner, { nhsNumber, givenName: 'Sasha', familyName: 'Subjectaccess' });
  const partnershipId = practitioner.actor.partnershipId;
  await approvedPlan(t.database.db, { partnershipId, personId }, [{ serviceType: 'Community support worker', weeklyCostPence: 12_000 }]);
  await addContact(practitioner, personId, { relationship: 'carer', name: 'Robin Carer', consentToShare: true });
  await t.database.db.insert(task).values({ partnershipId, personId, kind: 'follow-up', title: 'Call Sasha about the review' });
  await practitioner.data.transaction((tx) =>
    storeDocument(tx, { actor: practitioner.actor, requestId: 'test' }, { personId, kind: 'letter', accessibleFormat: 'standard', language: 'en-GB', title: 'A letter', mediaType: 'application/pdf', fileName: 'letter.pdf', content: documentBytes }),
  );
  // A view of the record by the practitioner, which the export's audit must show.
  const b = await signedIn(t, demo.practitioner);
  expect((await b.get(`/people/${personId}`)).statusCode).toBe(200);

  const other = await createPartnership(t.database.db, 'Elsewhere');
  const otherCtx = await contextFor(t, other.users.practitioner, { clock });
  otherPartnershipPersonId = await entitledPerson(otherCtx, { nhsNumber: nhsNumbers(16_200)(), ordinaryResidence: other.organisations.localAuthority.code, icb: other.organisations.icb.onsCode! });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('subject access export (issue 14, item 6)', () => {
  it('offers the export on the person page to quality and audit staff, and not to a practitioner', async () => {
    const quality = await signedIn(t, demo.quality);
    const page = await quality.get(`/people/${personId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/people/${personId}/subject-access"`);
    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.get(`/people/${personId}`)).body).not.toContain('/subject-access');
  });

  it('gives an administrator, who finds the person by NHS number, a zip of every kind of row, the documents, a PDF and the audit of who viewed the record; and audits the export', async () => {
    const admin = await signedIn(t, demo.admin);
    const found = await admin.get(`/governance/subject-access?nhsNumber=${nhsNumber}`);
    expect(found.statusCode).toBe(302);
    expect(found.headers.location).toBe(`/people/${personId}/subject-access`);
    const page = await admin.get(`/people/${personId}/subject-access`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Download the subject access export');

    const before = await exportsAudited();
    const res = await download(admin, personId);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="subject-access-2026-12-07-[0-9a-f]{8}\.zip"$/);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const names = Object.keys(zip.files);
    expect(names).toEqual(expect.arrayContaining(['person.json', 'views.json', 'summary.pdf', 'documents/001-letter.pdf']));

    const json = JSON.parse(await zip.file('person.json')!.async('string')) as { person: { id: string; nhs_number: string }; tables: Record<string, { rows: Array<Record<string, unknown>> }> };
    expect(json.person.id).toBe(personId);
    expect(json.person.nhs_number).toBe(nhsNumber);
    const count = (table: string) => json.tables[table]!.rows.length;
    expect(count('legal_event')).toBe(3);
    expect(count('aftercare_plan')).toBe(1);
    expect(count('plan_service')).toBe(1);
    expect(count('person_contact')).toBe(1);
    expect(count('task')).toBeGreaterThanOrEqual(1);
    expect(count('person_document')).toBe(1);
    expect(json.tables.person_document!.rows[0]).not.toHaveProperty('content');
    expect(json.tables.person_contact!.rows[0]).toMatchObject({ name: 'Robin Carer' });

    expect(Buffer.from(await zip.file('documents/001-letter.pdf')!.async('nodebuffer')).equals(documentBytes)).toBe(true);
    const pdf = await zip.file('summary.pdf')!.async('nodebuffer');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const views = JSON.parse(await zip.file('views.json')!.async('string')) as { events: Array<{ action: string; actorName: string | null; organisationName: string | null; subjectId: string }> };
    expect(views.events).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'person.viewed', subjectId: personId, organisationName: 'Northvale Council' })]));
    // Changes are there too: the contact added, and the plan's rows' own events when they have any.
    expect(views.events.some((e) => e.action === 'contact.added')).toBe(true);

    expect(await exportsAudited()).toBe(before + 1);
    const event = (await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, personId), eq(auditEvent.action, 'person.subject_access_exported'))))[0]!;
    expect(event.after).toMatchObject({ sha256: res.headers['x-content-sha256'], documents: 1, rows: expect.objectContaining({ legal_event: 3 }) });
  }, 60_000);

  it('gives quality and audit staff the export too', async () => {
    const quality = await signedIn(t, demo.quality);
    const res = await download(quality, personId);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
  }, 60_000);

  it('refuses a practitioner, a team manager and a read-only user with 403, and audits nothing as exported', async () => {
    const before = await exportsAudited();
    for (const who of [demo.practitioner, demo.manager, demo.readOnly]) {
      const b = await signedIn(t, who);
      const page = await b.get(`/people/${personId}/subject-access`);
      expect(page.statusCode, who).toBe(403);
      const res = await download(b, personId);
      expect(res.statusCode, who).toBe(403);
      expect((await b.get(`/governance/subject-access?nhsNumber=${nhsNumber}`)).statusCode, who).toBe(403);
    }
    expect(await exportsAudited()).toBe(before);
  }, 60_000);

  it('does not find another partnership’s person (404), by id or by NHS number', async () => {
    const admin = await signedIn(t, demo.admin);
    expect((await download(admin, otherPartnershipPersonId)).statusCode).toBe(404);
    expect((await admin.get(`/people/${otherPartnershipPersonId}/subject-access`)).statusCode).toBe(404);
    expect((await download(admin, randomUUID())).statusCode).toBe(404);
    const missing = await admin.get(`/governance/subject-access?nhsNumber=${nhsNumbers(16_300)()}`);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('There is nobody with this NHS number whom your organisation is responsible for or involved with');
  }, 60_000);
});
