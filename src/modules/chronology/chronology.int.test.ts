import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { cliContext } from '../../cli/context.ts';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { createToken } from '../admin/tokens.service.ts';
import { aftercarePlan } from '../plans/index.ts';
import { task } from '../register/index.ts';
import { meeting } from '../reviews/schema.ts';

/*
 * Issue 15, item 2: one chronology per person, through HTTP. Entries of several kinds in date
 * order; filters by type and "significant only"; search (with % and _ taken literally); keyset
 * pages that neither repeat nor skip; a restricted case note hidden from a role the partnership
 * did not choose (page, search, print, PDF, XLSX, API) and shown to one it chose; the PDF and
 * XLSX read back; another organisation refused; every read audited.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
let personId = '';
let partnershipId = '';
let bigId = '';
const eastbridge = 'eastbridge@demo.aftercare.example';
const RESTRICTED_WORDS = 'Neighbour disclosed a confidential matter';

async function writeNote(b: Browser, fields: Record<string, string>) {
  await b.get(`/people/${personId}/notes/new`);
  const res = await b.post(`/people/${personId}/notes/new`, {
    type: 'home-visit',
    ...dateForm('contactDate', '2026-12-06'),
    contactTime: '2:30pm',
    present: 'Robin',
    body: 'Seen at home. Sleeping badly; 100% engaged with the plan.',
    action: 'finish',
    ...fields,
  });
  expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
}

/** The titles of the entries on a chronology page, in order. */
function titles(html: string): string[] {
  return [...html.matchAll(/data-qa="entry-title">([^<]*)</g)].map((m) => m[1]!.replace(/&#39;/g, '’'));
}

async function viewsOf(subjectId: string) {
  const rows = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, subjectId)));
  return rows.map((r) => JSON.stringify(r.after ?? r.before ?? {}));
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  partnershipId = practitioner.actor.partnershipId;
  personId = await entitledPerson(practitioner, { nhsNumber: nhsNumbers(15_200)(), givenName: 'Robin', familyName: 'Chronology', detainedOn: '2024-01-10', dischargedOn: '2024-03-01' });
  const db = t.database.db;
  await db.insert(aftercarePlan).values({ partnershipId, personId, planNumber: 1, status: 'approved', goals: 'Live independently', createdAt: new Date('2026-11-02T09:00:00Z'), approvedAt: new Date('2026-11-20T11:00:00Z') });
  await db.insert(task).values({ partnershipId, personId, kind: 'follow-up', title: 'Arrange a GP appointment', createdAt: new Date('2025-06-01T08:00:00Z') });
  const b = await signedIn(t, demo.practitioner);
  await writeNote(b, { significant: 'yes' });
  const manager = await signedIn(t, demo.manager);
  await writeNote(manager, { ...dateForm('contactDate', '2026-12-05'), type: 'contact-with-family-or-carer', body: RESTRICTED_WORDS, restricted: 'yes', restrictedReason: 'Third-party information' });

  // A long history for the paging test: 120 meetings, one a day.
  bigId = await entitledPerson(practitioner, { nhsNumber: nhsNumbers(15_201)(), givenName: 'Morgan', familyName: 'Longhistory' });
  await db.insert(meeting).values(Array.from({ length: 120 }, (_, i) => ({ partnershipId, personId: bigId, kind: 'mdt' as const, startsAt: new Date(Date.UTC(2025, 0, 1 + i, 10)), location: `Room ${i + 1}` })));
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('the chronology (issue 15, item 2)', () => {
  it('links from the person page without computing the chronology there', async () => {
    const b = await signedIn(t, demo.practitioner);
    const page = await b.get(`/people/${personId}`);
    expect(page.body).toContain(`href="/people/${personId}/chronology"`);
    expect(page.body).not.toContain('data-qa="chronology-entry"');
  });

  it('merges the kinds in date order, newest first, with plain-English dates, audited', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/people/${personId}/chronology`);
    expect(res.statusCode).toBe(200);
    const order = titles(res.body);
    const at = (title: string) => {
      const i = order.indexOf(title);
      expect(i, `${title} in ${order.join(' | ')}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at('Home visit')).toBeLessThan(at('Aftercare plan version 1 approved'));
    expect(at('Aftercare plan version 1 approved')).toBeLessThan(at('Aftercare plan version 1 started'));
    expect(at('Aftercare plan version 1 started')).toBeLessThan(at('Task raised: Arrange a GP appointment'));
    expect(at('Task raised: Arrange a GP appointment')).toBeLessThan(at('Left hospital'));
    expect(at('Entitlement to section 117 aftercare began')).toBeLessThan(at('Detained in hospital'));
    expect(at('Left hospital')).toBeLessThan(at('Detained in hospital'));
    expect(res.body).toContain('6 December 2026');
    expect(res.body).toContain('2:30pm');
    expect(res.body).toContain('10 January 2024');
    expect(res.body).toContain('Northvale Hospital');
    expect(res.body).not.toMatch(/\b20\d\d-\d\d-\d\d\b/);
    expect((await viewsOf(personId)).some((d) => d.includes('"page":"chronology"'))).toBe(true);
  });

  it('filters by type and by significant only, in the database', async () => {
    const b = await signedIn(t, demo.practitioner);
    const notes = titles((await b.get(`/people/${personId}/chronology?kind=case-note`)).body);
    expect(notes).toEqual(['Home visit']);
    const two = titles((await b.get(`/people/${personId}/chronology?kind=case-note&kind=task`)).body);
    expect(two).toEqual(['Home visit', 'Task raised: Arrange a GP appointment']);
    const significant = titles((await b.get(`/people/${personId}/chronology?significant=yes`)).body);
    expect(significant).toContain('Home visit');
    expect(significant).toContain('Aftercare plan version 1 approved');
    expect(significant).toContain('Detained in hospital');
    expect(significant).not.toContain('Aftercare plan version 1 started');
    expect(significant).not.toContain('Task raised: Arrange a GP appointment');
    expect(significant).not.toContain('Left hospital');
  });

  it('searches titles and summaries case-insensitively, taking % and _ literally', async () => {
    const b = await signedIn(t, demo.practitioner);
    expect(titles((await b.get(`/people/${personId}/chronology?q=SLEEPING`)).body)).toEqual(['Home visit']);
    expect(titles((await b.get(`/people/${personId}/chronology?q=gp+appointment`)).body)).toEqual(['Task raised: Arrange a GP appointment']);
    expect(titles((await b.get(`/people/${personId}/chronology?q=100%25`)).body)).toEqual(['Home visit']);
    const none = await b.get(`/people/${personId}/chronology?q=%25%25`);
    expect(titles(none.body)).toEqual([]);
    expect(none.body).toContain('No entries match the filters.');
    expect(titles((await b.get(`/people/${personId}/chronology?q=_`)).body)).toEqual([]);
  });

  it('refuses a type that does not exist with the error summary (422) and shows the whole chronology', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/people/${personId}/chronology?kind=gossip`);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('Each type must be one of');
    expect(titles(res.body)).toContain('Detained in hospital');
  });

  it('pages a long history with a keyset: 50 at a time, none repeated or skipped', async () => {
    const b = await signedIn(t, demo.practitioner);
    const seen: string[] = [];
    let url: string | null = `/people/${bigId}/chronology?kind=meeting`;
    let pages = 0;
    while (url) {
      const res = await b.get(url);
      expect(res.statusCode).toBe(200);
      const page = titles(res.body);
      expect(page.length).toBeLessThanOrEqual(50);
      seen.push(...[...res.body.matchAll(/data-qa="entry-summary">(Room \d+)/g)].map((m) => m[1]!));
      const next = /href="([^"]+)" rel="next"/.exec(res.body);
      url = next ? next[1]!.replace(/&amp;/g, '&') : null;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe('Room 120');
    expect(seen.at(-1)).toBe('Room 1');
  });

  it('hides a restricted note from a role the partnership did not choose: page, search, print, PDF, XLSX and API', async () => {
    const practitioner = await signedIn(t, demo.practitioner);
    const page = await practitioner.get(`/people/${personId}/chronology`);
    expect(page.body).not.toContain(RESTRICTED_WORDS);
    expect(titles(page.body)).not.toContain('Contact with family or carer (restricted)');
    expect(titles((await practitioner.get(`/people/${personId}/chronology?q=confidential`)).body)).toEqual([]);
    expect((await practitioner.get(`/people/${personId}/chronology/print`)).body).not.toContain(RESTRICTED_WORDS);
    const pdf = await extractPdf((await practitioner.get(`/people/${personId}/chronology.pdf`)).rawPayload);
    expect(pdf.text).toContain('Home visit');
    expect(pdf.text).not.toContain('Neighbour disclosed');
    const xlsx = await practitioner.get(`/people/${personId}/chronology.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells = workbook.getWorksheet('Chronology')!.getSheetValues().flat().map(String).join(' ');
    expect(cells).toContain('Home visit');
    expect(cells).not.toContain(RESTRICTED_WORDS);

    const manager = await signedIn(t, demo.manager);
    const seen = await manager.get(`/people/${personId}/chronology?q=confidential`);
    expect(titles(seen.body)).toEqual(['Contact with family or carer (restricted)']);
    expect(seen.body).toContain(RESTRICTED_WORDS);
  });

  it('downloads a tagged PDF saying whose chronology, when, by whom and with which filters, audited', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/people/${personId}/chronology.pdf?significant=yes`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="chronology-chronology-2026-12-07\.pdf"/);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await extractPdf(res.rawPayload);
    expect(pdf.structureRoles).toEqual(expect.arrayContaining(['H1', 'Table', 'TH', 'TD']));
    expect(pdf.text).toContain('Chronology: Robin Chronology');
    expect(pdf.text).toContain('7 December 2026, 10:00am');
    expect(pdf.text).toMatch(/Produced by[\s\S]*Northvale/);
    expect(pdf.text).toContain('Significant entries only');
    expect(pdf.text).toContain('Detained in hospital (significant)');
    expect(pdf.text).not.toContain('Task raised');
    expect((await viewsOf(personId)).some((d) => d.includes('"download":"pdf"'))).toBe(true);
  });

  it('downloads an XLSX of the filtered entries with real dates and an About sheet, audited', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/people/${personId}/chronology.xlsx?kind=legal-event&kind=case-note`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Chronology')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Date', 'Time', 'Type', 'What happened', 'Details', 'Significant']);
    expect(sheet.getRow(2).getCell(4).value).toBe('Home visit');
    expect(sheet.getRow(2).getCell(2).value).toBe('2:30pm');
    expect((sheet.getRow(2).getCell(1).value as Date).toISOString()).toBe('2026-12-06T00:00:00.000Z');
    const last = sheet.getRow(sheet.rowCount);
    expect(last.getCell(4).value).toBe('Detained in hospital');
    expect(sheet.rowCount).toBe(1 + 1 + 3);
    const about = workbook.getWorksheet('About')!.getSheetValues().flat().map(String).join(' ');
    expect(about).toContain('Robin Chronology');
    expect(about).toContain('Only legal history, case notes');
    expect(about).toContain('7 December 2026');
    expect((await viewsOf(personId)).some((d) => d.includes('"download":"xlsx"'))).toBe(true);
  });

  it('prints every entry the filters choose on a print view with the same heading facts', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/people/${personId}/chronology/print?kind=task`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Chronology: Robin Chronology');
    expect(res.body).toContain('Only tasks');
    expect(titles(res.body)).toEqual(['Task raised: Arrange a GP appointment']);
  });

  it('refuses another organisation with no relationship, on the page, the downloads and the API', async () => {
    const other = await signedIn(t, eastbridge);
    for (const url of ['', '/print', '.pdf', '.xlsx']) expect([403, 404]).toContain((await other.get(`/people/${personId}/chronology${url}`)).statusCode);
    const api = await other.get(`/api/v1/people/${personId}/chronology`);
    expect([403, 404]).toContain(api.statusCode);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('serves the API with the same filters, cursor and restricted-note rule, and documents it in OpenAPI', async () => {
    const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    const token = (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: 'Case system' })).token;
    const call = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const res = await call(`/api/v1/people/${personId}/chronology?kind=case-note&significant=true`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { entries: Array<{ title: string; date: string; kind: string }>; next: string | null; filter: string };
    expect(body.entries.map((e) => e.title)).toEqual(['Home visit']);
    expect(body.entries[0]!.date).toBe('6 December 2026');
    expect(body.next).toBeNull();
    expect(JSON.stringify((await call(`/api/v1/people/${personId}/chronology?q=confidential`)).json())).not.toContain('Neighbour');
    const first = (await call(`/api/v1/people/${bigId}/chronology?kind=meeting`)).json() as { entries: unknown[]; next: string };
    expect(first.entries).toHaveLength(50);
    const second = (await call(`/api/v1/people/${bigId}/chronology?kind=meeting&cursor=${first.next}`)).json() as { entries: Array<{ summary: string }> };
    expect(second.entries[0]!.summary).toBe('Room 70');
    const bad = await call(`/api/v1/people/${personId}/chronology?kind=gossip`);
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const spec = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(spec.paths['/api/v1/people/{id}/chronology']!.get).toBeDefined();
  });
});
