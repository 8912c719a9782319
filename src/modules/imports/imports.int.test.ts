import { and, eq, sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, signedInBrowser, type Browser, type TestApp } from '../../../test/app.ts';
import { auditEvent } from '../../platform/db/schema.ts';
import { person, task } from '../register/schema.ts';
import { ENDING_TASK_KIND } from './plan.ts';
import { importMapping, registerImport } from './schema.ts';
import { legacyCsv, legacyHeadings, legacyRegister, legacyXlsx } from './testing/legacy-file.ts';
import { registerFingerprint, uploadFile } from './testing/http.ts';

let t: TestApp;
let admin: Browser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInBrowser(t.app, demo.admin);
});
afterAll(async () => t?.close());

const messy = legacyRegister({ rows: 240, messy: true, skip: 700_000 });

/** Upload a file and return the import's id (the mapping page it lands on). */
async function upload(b: Browser, name: string, data: Buffer): Promise<string> {
  await b.get('/admin/import');
  const page = await b.get('/admin/import');
  const orgId = /<option value="([0-9a-f-]{36})"[^>]*selected/.exec(page.body)?.[1] ?? /name="organisationId" value="([0-9a-f-]{36})"/.exec(page.body)?.[1];
  const res = await uploadFile(b, '/admin/import', { organisationId: orgId! }, { name, data });
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
  const id = /\/admin\/import\/([0-9a-f-]{36})\/mapping/.exec(res.headers.location as string)![1]!;
  return id;
}

/** Accept the mapping the page suggests (guessed or saved) and run the dry run. */
async function dryRun(b: Browser, id: string, extra: Record<string, string> = {}, mappingQuery = ''): Promise<void> {
  const page = await b.get(`/admin/import/${id}/mapping${mappingQuery}`);
  expect(page.statusCode).toBe(200);
  const form: Record<string, string> = { dayFirst: 'true' };
  for (const m of page.body.matchAll(/<select class="govuk-select[^"]*" id="(column-[A-Za-z0-9]+)"[\s\S]*?<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected/.exec(m[0]);
    form[m[1]!] = selected?.[1]?.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"') ?? '';
  }
  const res = await b.post(`/admin/import/${id}/mapping`, { ...form, ...extra });
  expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
}

async function apply(b: Browser, id: string, mode: 'all-or-nothing' | 'valid-only') {
  await b.get(`/admin/import/${id}`);
  const res = await b.post(`/admin/import/${id}/apply`, { mode });
  expect(res.statusCode).toBe(302);
  for (let i = 0; i < 200; i++) {
    const [row] = await t.database.db.select().from(registerImport).where(eq(registerImport.id, id));
    if (row!.status !== 'applying') return row!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import did not finish');
}

async function importRow(id: string) {
  return (await t.database.db.select().from(registerImport).where(eq(registerImport.id, id)))[0]!;
}

describe('import of an existing register', () => {
  it('is for administrators: others get 403, and the upload checks the CSRF token', async () => {
    const practitioner = await signedInBrowser(t.app, demo.practitioner);
    expect((await practitioner.get('/admin/import')).statusCode).toBe(403);
    const res = await uploadFile(practitioner, '/admin/import', { organisationId: '00000000-0000-0000-0000-000000000000' }, { name: 'r.csv', data: legacyCsv(messy) });
    expect(res.statusCode).toBe(403);
    const commissioner = await signedInBrowser(t.app, demo.commissioner);
    expect((await commissioner.get('/admin/import')).statusCode).toBe(403);

    await admin.get('/admin/import');
    const noToken = await uploadFile(admin, '/admin/import', {}, { name: 'r.csv', data: legacyCsv(messy) }, null);
    expect(noToken.statusCode).toBe(403);
    const adminPage = await admin.get('/admin');
    expect(adminPage.body).toContain('href="/admin/import"');
  });

  it('dry run reports every problem with its row number and changes nothing', async () => {
    const before = await registerFingerprint(t.database.db);
    const id = await upload(admin, 'legacy.xlsx', await legacyXlsx(messy));
    const staged = await importRow(id);
    // Blank lines are skipped and not counted.
    expect(staged.totalRows).toBe(messy.dataRows);
    expect(staged.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    await dryRun(admin, id);
    const row = await importRow(id);
    expect(row.status).toBe('checked');
    const counts = row.counts as Record<string, number>;
    expect(counts.reject).toBe(messy.bad.size);
    expect(counts.unchanged).toBe(messy.duplicates.size);
    expect(counts.create).toBe(messy.dataRows - messy.bad.size - messy.duplicates.size);

    // The rejected rows, filtered, each with its number and reason.
    const rejected = await admin.get(`/admin/import/${id}?outcome=reject`);
    expect(rejected.statusCode).toBe(200);
    for (const [n, reason] of messy.bad) {
      const cell = new RegExp(`data-row="${n}"[\\s\\S]*?</tr>`).exec(rejected.body)?.[0] ?? '';
      expect(cell, `row ${n}`).toContain(reason);
    }
    const unchanged = await admin.get(`/admin/import/${id}?outcome=unchanged`);
    for (const [n, of] of messy.duplicates) expect(unchanged.body).toMatch(new RegExp(`data-row="${n}"[\\s\\S]*?duplicate of row ${of}`));
    const all = await admin.get(`/admin/import/${id}`);
    expect(all.body).toMatch(new RegExp(`data-row="${messy.formulaRow}"[\\s\\S]*?starts with =`));
    expect(await registerFingerprint(t.database.db)).toEqual(before);
  });

  it('all rows or none with a bad row imports nothing', async () => {
    const before = await registerFingerprint(t.database.db);
    const id = await upload(admin, 'legacy.csv', legacyCsv(messy));
    await dryRun(admin, id);
    const done = await apply(admin, id, 'all-or-nothing');
    expect(done.status).toBe('failed');
    expect(done.error).toContain(`${messy.bad.size} rows are rejected`);
    const page = await admin.get(`/admin/import/${id}`);
    expect(page.body).toContain('Nothing was imported');
    expect(await registerFingerprint(t.database.db)).toEqual(before);
  });

  it('imports only the valid rows, through the rules engine, with a rejection file', async () => {
    const id = await upload(admin, 'legacy.csv', legacyCsv(messy));
    await dryRun(admin, id, { save: 'yes', mappingName: 'Legacy register v1' });
    const checked = await importRow(id);
    const done = await apply(admin, id, 'valid-only');
    expect(done.status).toBe('applied');
    expect(done.processedRows).toBe(done.totalRows);
    const created = (checked.counts as Record<string, number>).create!;
    expect((done.counts as Record<string, number>).create).toBe(created);
    const imported = await t.database.db.select().from(person).where(sql`${person.nhsNumber} >= '9997'`);
    expect(imported.length).toBe(created);

    // The first data row: detained under s3, discharged: entitled, Northvale responsible, computed by the engine.
    const first = messy.rows[0]!;
    const nhs = String(first[0]).replace(/\D/g, '');
    const p = imported.find((x) => x.nhsNumber === nhs)!;
    expect(p.status).toBe(first[7] ? 'entitled' : 'pending');
    expect(p.responsibleLocalAuthority).toBe('E06000901');
    expect(p.responsibleIcb).toBe('E54000901');
    expect(p.decision).not.toBeNull();

    // "Ended" in the register: not ended, a task for the responsible bodies to confirm it.
    const endedRows = messy.rows.filter((r) => r && r[14] === 'Ended');
    expect(endedRows.length).toBeGreaterThan(0);
    const endingTasks = await t.database.db.select().from(task).where(eq(task.kind, ENDING_TASK_KIND));
    const endedPeople = imported.filter((x) => endingTasks.some((tk) => tk.personId === x.id));
    expect(endedPeople.length).toBeGreaterThan(0);
    for (const x of endedPeople) expect(x.status).not.toBe('ended');

    // Audited: one event for the import and one per person created.
    const audits = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent).where(and(eq(auditEvent.action, 'person.created'), sql`${auditEvent.after}->>'importId' = ${id}`));
    expect(audits[0]!.n).toBe(created);
    const applied = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'register-import.applied'), eq(auditEvent.subjectId, id)));
    expect(applied).toHaveLength(1);

    // The rejection file: row number, reason, the original cells.
    const file = await admin.get(`/admin/import/${id}/rejections.csv`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    const records = parse(file.body, { bom: true }) as string[][];
    expect(records[0]).toEqual(['Row', 'Reasons', ...legacyHeadings]);
    expect(records.slice(1).map((r) => Number(r[0]))).toEqual([...messy.bad.keys()].sort((a, b) => a - b));
  });

  it('importing the same file again changes nothing: every row unchanged or rejected as before', async () => {
    const before = await registerFingerprint(t.database.db);
    const id = await upload(admin, 'legacy-again.csv', legacyCsv(messy));
    await dryRun(admin, id);
    const row = await importRow(id);
    expect(row.counts).toEqual({ create: 0, update: 0, unchanged: messy.dataRows - messy.bad.size, reject: messy.bad.size });
    const done = await apply(admin, id, 'valid-only');
    expect(done.status).toBe('applied');
    expect(await registerFingerprint(t.database.db)).toEqual(before);
  });

  it('saves the mapping by name and offers it for the next file', async () => {
    const saved = await t.database.db.select().from(importMapping).where(eq(importMapping.name, 'Legacy register v1'));
    expect(saved).toHaveLength(1);
    expect((saved[0]!.columns as Record<string, string>).nhsNumber).toBe('NHS Number');
    // A file with different headings: the guess cannot match "Patient ID", the saved mapping can be chosen.
    const renamed = legacyCsv({ ...messy, headings: legacyHeadings.map((h) => (h === 'Surname' ? 'Family' : h)) });
    const id = await upload(admin, 'renamed.csv', renamed);
    const page = await admin.get(`/admin/import/${id}/mapping`);
    expect(page.body).toContain('Legacy register v1');
    const withSaved = await admin.get(`/admin/import/${id}/mapping?mapping=${saved[0]!.id}`);
    expect(withSaved.body).toMatch(/id="column-nhsNumber"[\s\S]*?<option value="NHS Number" selected/);
    // Its surname heading is not in this file: left for the user to choose.
    expect(withSaved.body).not.toMatch(/id="column-familyName"[\s\S]*?<\/select>[\s\S]*?selected[\s\S]*?id="column-dateOfBirth"/);
  });

  it('refuses a mapping with a required field missing, with an error summary, and changes nothing', async () => {
    const id = await upload(admin, 'legacy.csv', legacyCsv(messy));
    const res = await admin.post(`/admin/import/${id}/mapping`, { dayFirst: 'true', 'column-nhsNumber': '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#column-nhsNumber"');
    expect((await importRow(id)).status).toBe('uploaded');
  });

  it('escapes formula cells in the rejection file', async () => {
    const csv = Buffer.from(
      [
        legacyHeadings.join(','),
        `9990000018,Ann,Able,1980-01-01,,section xyz,2022-01-01,,Northvale Council,QZV,,,,,active,,"=HYPERLINK(""http://evil.invalid"",""x"")"`,
        `@SUM(A1),+44,-3,1980-01-01,,S3,2022-01-01,,Northvale Council,QZV,,,,,active,,`,
      ].join('\n'),
    );
    const id = await upload(admin, 'formulas.csv', csv);
    await dryRun(admin, id);
    const file = await admin.get(`/admin/import/${id}/rejections.csv`);
    const records = parse(file.body, { bom: true }) as string[][];
    expect(records).toHaveLength(3);
    const notes = records[1]![2 + legacyHeadings.indexOf('Notes')]!;
    expect(notes).toBe(`'=HYPERLINK("http://evil.invalid","x")`);
    expect(records[2]!.slice(2, 5)).toEqual(["'@SUM(A1)", "'+44", "'-3"]);
    for (const r of records) for (const c of r) expect(c).not.toMatch(/^[=+\-@]/);
  });
});

describe('a later file about people already imported', () => {
  it('updates a person with what is new (a discharge), re-evaluated and audited with before and after', async () => {
    const index = messy.rows.findIndex((r, i) => r !== null && !messy.bad.has(i + 2) && r[7] === '' && r[5] !== 'CTO' && ![...messy.duplicates.values()].includes(i + 2));
    const changed = [...messy.rows[index]!];
    changed[7] = '30/06/2024';
    const nhs = String(changed[0]).replace(/\D/g, '');
    const [before] = await t.database.db.select().from(person).where(eq(person.nhsNumber, nhs));
    expect(before!.status).toBe('pending');
    const id = await upload(admin, 'discharges.csv', legacyCsv({ ...messy, rows: [changed] }));
    await dryRun(admin, id);
    expect((await importRow(id)).counts).toEqual({ create: 0, update: 1, unchanged: 0, reject: 0 });
    const done = await apply(admin, id, 'all-or-nothing');
    expect(done.status).toBe('applied');
    const [after] = await t.database.db.select().from(person).where(eq(person.nhsNumber, nhs));
    expect(after!.status).toBe('entitled');
    expect(after!.entitlementStart).toBe('2024-06-30');
    expect(after!.version).toBeGreaterThan(before!.version);
    const [audit] = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.updated'), eq(auditEvent.subjectId, before!.id), sql`${auditEvent.after}->>'importId' = ${id}`));
    expect((audit!.before as { decision: { status: string } }).decision.status).toBe('pending');
    expect((audit!.after as { decision: { status: string } }).decision.status).toBe('entitled');
  });
});

describe('the rows the engine refuses', () => {
  it('rejects a row whose history conflicts with what the register holds, naming it', async () => {
    // A person imported above, discharged; a later file says they were discharged on another
    // day: a second discharge from a detention that has already ended cannot have happened.
    const index = messy.rows.findIndex((r, i) => r !== null && !messy.bad.has(i + 2) && r[7] !== '' && r[5] !== 'CTO');
    const original = messy.rows[index]!;
    const changed = [...original];
    changed[7] = '2024-12-31';
    const id = await upload(admin, 'conflict.csv', legacyCsv({ ...messy, rows: [changed] }));
    await dryRun(admin, id);
    const row = await importRow(id);
    expect(row.counts).toMatchObject({ reject: 1 });
    const page = await admin.get(`/admin/import/${id}?outcome=reject`);
    expect(page.body).toMatch(/data-row="2"[\s\S]*?the legal history would not make sense at the detention-ended of 2024-12-31/);
  });
});
