import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import JSZip from 'jszip';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliContext } from '../../cli/context.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { EICAR_TEST_STRING } from '../../platform/scanning/scanner.ts';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { createToken } from '../admin/index.ts';
import { uploadedBlob, uploadedDocument } from './index.ts';

/*
 * Issue 15, item 3: documents uploaded to a person's record, through HTTP (pages and API) on the
 * real app, with the built-in scanner (no clamd configured), which flags the EICAR test file.
 * The size limit is set to 1 MB here (UPLOAD_MAX_MB) so that "too large" is cheap to test.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
let northvaleToken = '';
let eastbridgeToken = '';
const eastbridge = 'eastbridge@demo.aftercare.example';

/** A small real PDF, different each time it is made unless a seed is given. */
function pdf(seed = randomBytes(8).toString('hex')): Buffer {
  return Buffer.from(`%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${seed}\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1');
}

/** A Linux executable's first bytes (ELF header), to be named .pdf. */
const elf = Buffer.concat([Buffer.from('7f454c4602010100000000000000000002003e00', 'hex'), Buffer.alloc(200, 0x90)]);

function multipart(fields: Record<string, string>, file: { name: string; data: Buffer; type?: string } | null) {
  const boundary = `----aftercare${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`), file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const metadata = (overrides: Record<string, string> = {}) => ({ category: 'tribunal-report', ...dateForm('documentDate', '2026-11-20'), author: 'Dr A Example, responsible clinician', description: 'Report for the tribunal hearing', ...overrides });

/** Post the upload form as a browser does, with its CSRF token and cookies. */
async function uploadPage(b: Browser, fields: Record<string, string>, file: { name: string; data: Buffer; type?: string } | null): Promise<LightMyRequestResponse> {
  await b.get(`/people/${personId}/uploads/new`);
  const { payload, contentType } = multipart({ _csrf: b.lastCsrf ?? '', ...fields }, file);
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return t.app.inject({ method: 'POST', url: `/people/${personId}/uploads/new`, payload, headers: { 'content-type': contentType, cookie } });
}

function uploadApi(token: string, fields: Record<string, string>, file: { name: string; data: Buffer } | null, id = personId) {
  const { payload, contentType } = multipart(fields, file);
  return t.app.inject({ method: 'POST', url: `/api/v1/people/${id}/documents`, payload, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });
}
const apiGet = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

async function documentsOf(id = personId) {
  return t.database.db.select().from(uploadedDocument).where(eq(uploadedDocument.personId, id));
}
async function blobCount(): Promise<number> {
  return (await t.database.db.select({ sha256: uploadedBlob.sha256 }).from(uploadedBlob)).length;
}
async function audits(action: string, subjectId: string) {
  return t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, action), eq(auditEvent.subjectId, subjectId)));
}
async function tokenFor(code: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `Upload tests ${code}` })).token;
}

beforeAll(async () => {
  t = await createTestApp({ UPLOAD_MAX_MB: '1' }, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  personId = await entitledPerson(practitioner, { nhsNumber: nhsNumbers(15_300)(), givenName: 'Robin', familyName: 'Uploads' });
  northvaleToken = await tokenFor('E06000901');
  eastbridgeToken = await tokenFor('E08000903');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('uploading a document on the page, and downloading it (issue 15, item 3)', () => {
  let documentId = '';
  const bytes = pdf('first');

  it('shows the section on the person page, uploads a PDF with what it is, and lists it', async () => {
    const b = await signedIn(t, demo.practitioner);
    const page = await b.get(`/people/${personId}`);
    expect(page.body).toContain('No documents uploaded yet.');
    expect(page.body).toContain(`href="/people/${personId}/uploads"`);
    const form = await b.get(`/people/${personId}/uploads/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.body).toContain('smaller than 1 MB');

    const res = await uploadPage(b, metadata(), { name: 'Tribunal report – Robin.pdf', data: bytes });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    expect(res.headers.location).toBe(`/people/${personId}/uploads`);
    const rows = await documentsOf();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ category: 'tribunal-report', documentDate: '2026-11-20', author: 'Dr A Example, responsible clinician', fileName: 'Tribunal report – Robin.pdf', fileKind: 'pdf', mediaType: 'application/pdf', status: 'available', scannedBy: 'built-in EICAR check', sizeBytes: bytes.length });
    documentId = rows[0]!.id;
    expect((await audits('uploaded-document.uploaded', personId)).map((a) => (a.after as { documentId: string }).documentId)).toEqual([documentId]);

    const list = await b.get(`/people/${personId}/uploads`);
    expect(list.body).toContain('has been uploaded');
    expect(list.body).toContain('Tribunal report – Robin.pdf');
    expect(list.body).toContain('20 November 2026');
    expect(list.body).toContain('Tribunal report');
    expect(list.body).toContain('Dr A Example, responsible clinician');
    expect((await b.get(`/people/${personId}`)).body).toContain('1 document uploaded');
  });

  it('downloads exactly the same bytes as an attachment with a safe type, audited as a view of the record', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get(`/people/${personId}/uploads/${documentId}/file`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Tribunal report _ Robin.pdf"; filename*=UTF-8''Tribunal%20report%20%E2%80%93%20Robin.pdf`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    const views = (await audits('person.viewed', personId)).filter((a) => (a.after as { page?: string } | null)?.page === 'uploaded-document-download');
    expect(views.map((v) => (v.after as { documentId: string }).documentId)).toContain(documentId);
  });

  it('stores the same bytes uploaded twice once: one blob, two documents', async () => {
    const blobsBefore = await blobCount();
    const b = await signedIn(t, demo.practitioner);
    const res = await uploadPage(b, metadata({ category: 'letter-received', description: 'The same report, sent again with a letter' }), { name: 'copy.pdf', data: bytes });
    expect(res.statusCode).toBe(302);
    const rows = await documentsOf();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.sha256)).size).toBe(1);
    expect(await blobCount()).toBe(blobsBefore);
    const second = rows.find((r) => r.fileName === 'copy.pdf')!;
    expect((await b.get(`/people/${personId}/uploads/${second.id}/file`)).rawPayload.equals(bytes)).toBe(true);
  });

  it('refuses a file named .pdf that is really an executable (422, clear message), storing nothing', async () => {
    const before = { documents: (await documentsOf()).length, blobs: await blobCount() };
    const b = await signedIn(t, demo.practitioner);
    const res = await uploadPage(b, metadata(), { name: 'tribunal-report.pdf', data: elf, type: 'application/pdf' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('The file is a program, not a document, whatever its name says');
    expect(res.body).toContain('href="#file"');
    // What was typed is kept.
    expect(res.body).toContain('value="Dr A Example, responsible clinician"');
    expect({ documents: (await documentsOf()).length, blobs: await blobCount() }).toEqual(before);
  });

  it('lists every problem with the form at once, and refuses a file over the size limit with a message, not a 500', async () => {
    const b = await signedIn(t, demo.practitioner);
    const empty = await uploadPage(b, { category: '', author: '', description: '', 'documentDate-day': '31', 'documentDate-month': '2', 'documentDate-year': '2026' }, null);
    expect(empty.statusCode).toBe(422);
    for (const message of ['Choose what kind of document it is', 'The date of the document must be a real date', 'Enter who wrote the document', 'Select the file to upload']) expect(empty.body).toContain(message);
    const future = await uploadPage(b, metadata(dateForm('documentDate', '2026-12-08')), { name: 'a.pdf', data: pdf() });
    expect(future.body).toContain('The date of the document must be today or in the past');

    const big = Buffer.concat([pdf(), Buffer.alloc(1024 * 1024 + 10, 0x20)]);
    const tooLarge = await uploadPage(b, metadata(), { name: 'scan.pdf', data: big });
    expect(tooLarge.statusCode).toBe(422);
    expect(tooLarge.body).toContain('The file must be smaller than 1 MB');
    expect(await documentsOf()).toHaveLength(2);
  });

  it('quarantines a file with the EICAR test string: listed as quarantined, never served, the refusal audited, the uploader told', async () => {
    const b = await signedIn(t, demo.practitioner);
    const infected = Buffer.concat([pdf(), Buffer.from(`\n% ${EICAR_TEST_STRING}\n`)]);
    const res = await uploadPage(b, metadata({ category: 'letter-received' }), { name: 'letter.pdf', data: infected });
    expect(res.statusCode).toBe(302);
    const row = (await documentsOf()).find((r) => r.fileName === 'letter.pdf')!;
    expect(row).toMatchObject({ status: 'quarantined', scanFinding: 'Eicar-Test-Signature' });
    expect(await audits('uploaded-document.quarantined', personId)).toHaveLength(1);
    const told = await t.database.db.select().from(notification).where(eq(notification.dedupeKey, `uploaded-document-quarantined:${row.id}`));
    expect(told).toHaveLength(1);

    const list = await b.get(`/people/${personId}/uploads`);
    expect(list.body).toContain('It has been quarantined');
    expect(list.body).toContain('Quarantined');
    expect(list.body).not.toContain(`/uploads/${row.id}/file`);

    const download = await b.get(`/people/${personId}/uploads/${row.id}/file`);
    expect(download.statusCode).toBe(404);
    expect(download.rawPayload.includes(Buffer.from('EICAR'))).toBe(false);
    expect(download.body).toContain('kept in quarantine');
    const apiDownload = await apiGet(northvaleToken, `/api/v1/people/${personId}/documents/${row.id}/content`);
    expect(apiDownload.statusCode).toBe(404);
    expect(apiDownload.headers['content-type']).toContain('application/problem+json');
    const refusals = (await audits('person.viewed', personId)).filter((a) => (a.after as { refused?: string } | null)?.refused === 'quarantined');
    expect(refusals).toHaveLength(2);
    expect((await b.get(`/people/${personId}`)).body).toContain('1 quarantined by the virus check');
  });

  it('puts the files in the subject access export, leaving the quarantined one out and counting it', async () => {
    const quality = await signedIn(t, demo.quality);
    await quality.get(`/people/${personId}/subject-access`);
    const res = await quality.post(`/people/${personId}/subject-access`, {});
    expect(res.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const uploaded = Object.keys(zip.files).filter((n) => n.startsWith('uploaded-documents/') && !n.endsWith('/'));
    expect(uploaded).toHaveLength(2);
    for (const name of uploaded) expect((await zip.file(name)!.async('nodebuffer')).equals(bytes)).toBe(true);
    const json = JSON.parse(await zip.file('person.json')!.async('string')) as { tables: Record<string, { rows: unknown[] }>; leftOut: Record<string, string> };
    expect(json.tables.uploaded_document!.rows).toHaveLength(3);
    expect(json.leftOut).toEqual({ uploaded_document: '1 uploaded file left out: flagged by the virus check and kept in quarantine' });
  });
});

describe('who may upload and download', () => {
  it('refuses read-only users and commissioners an upload (403), storing nothing; a commissioner may still list and download', async () => {
    const before = (await documentsOf()).length;
    for (const email of [demo.readOnly, demo.commissioner]) {
      const b = await signedIn(t, email);
      expect([403, 404]).toContain((await b.get(`/people/${personId}/uploads/new`)).statusCode);
      const { payload, contentType } = multipart({ _csrf: b.lastCsrf ?? '', ...metadata() }, { name: 'a.pdf', data: pdf() });
      const res = await t.app.inject({ method: 'POST', url: `/people/${personId}/uploads/new`, payload, headers: { 'content-type': contentType, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      expect(res.statusCode, email).toBe(403);
    }
    const commissioner = await signedIn(t, demo.commissioner);
    const list = await commissioner.get(`/people/${personId}/uploads`);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Upload a document');
    expect(await documentsOf()).toHaveLength(before);
  });

  it('refuses another organisation’s practitioner and API token on every route', async () => {
    const doc = (await documentsOf()).find((r) => r.status === 'available')!;
    const other = await signedIn(t, eastbridge);
    expect((await other.get(`/people/${personId}/uploads`)).statusCode).toBe(403);
    expect((await other.get(`/people/${personId}/uploads/new`)).statusCode).toBe(403);
    expect((await other.get(`/people/${personId}/uploads/${doc.id}/file`)).statusCode).toBe(403);
    expect((await apiGet(eastbridgeToken, `/api/v1/people/${personId}/documents`)).statusCode).toBe(403);
    expect((await apiGet(eastbridgeToken, `/api/v1/people/${personId}/documents/${doc.id}/content`)).statusCode).toBe(403);
    const refused = await uploadApi(eastbridgeToken, { category: 'other', documentDate: '2026-11-01', author: 'X' }, { name: 'a.pdf', data: pdf() });
    expect(refused.statusCode).toBe(403);
  });
});

describe('the API', () => {
  it('uploads a Word document and an email, lists them and serves the bytes back', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
    zip.file('word/document.xml', '<w:document/>');
    const docx = await zip.generateAsync({ type: 'nodebuffer' });
    const created = await uploadApi(northvaleToken, { category: 'discharge-summary', documentDate: '2026-11-30', author: 'Ward 3' }, { name: 'summary', data: docx });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<{ id: string; fileName: string; mediaType: string; status: string; contentUrl: string; uploadedBy: string }>();
    expect(body).toMatchObject({ fileName: 'summary.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', status: 'available' });
    const content = await apiGet(northvaleToken, body.contentUrl);
    expect(content.statusCode).toBe(200);
    expect(content.rawPayload.equals(docx)).toBe(true);
    expect(content.headers['content-disposition']).toContain("filename*=UTF-8''summary.docx");

    const email = Buffer.from('From: Ward 3 <ward3@trust.example>\r\nTo: team@northvale.example\r\nSubject: Discharge on Friday\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\n\r\nRobin is due to leave hospital on Friday.\r\n');
    const mail = await uploadApi(northvaleToken, { category: 'letter-received', documentDate: '2026-11-30', author: 'Ward 3' }, { name: 'discharge.eml', data: email });
    expect(mail.statusCode, mail.body).toBe(201);
    expect(mail.json<{ mediaType: string }>().mediaType).toBe('message/rfc822');

    const list = await apiGet(northvaleToken, `/api/v1/people/${personId}/documents`);
    expect(list.statusCode).toBe(200);
    const docs = list.json<{ documents: Array<{ id: string; status: string; contentUrl: string | null }> }>().documents;
    expect(docs.map((d) => d.id)).toContain(body.id);
    expect(docs.find((d) => d.status === 'quarantined')?.contentUrl).toBeNull();
  });

  it('answers bad input with a problem naming each field (422), storing nothing', async () => {
    const before = (await documentsOf()).length;
    const res = await uploadApi(northvaleToken, { category: 'minutes', documentDate: '30/11/2026', author: '' }, { name: 'report.pdf', data: elf });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<{ errors: Array<{ path: string; message: string }> }>();
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['author', 'category', 'documentDate', 'file']);
    expect(problem.errors.find((e) => e.path === 'file')!.message).toContain('The file is a program');
    expect(await documentsOf()).toHaveLength(before);
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> }>();
    expect(Object.keys(spec.paths['/api/v1/people/{id}/documents']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(spec.paths['/api/v1/people/{id}/documents']!.post!.requestBody!.content)).toEqual(['multipart/form-data']);
    expect(spec.paths['/api/v1/people/{id}/documents/{documentId}/content']!.get).toBeDefined();
  });
});

