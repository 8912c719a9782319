import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { organisation } from '../../platform/db/schema.ts';
import { aftercarePlan, planService } from '../plans/index.ts';
import { legalEvent, person } from '../register/schema.ts';
import { importedFunding, registerImport } from './schema.ts';
import { registerFingerprint, uploadFile } from './testing/http.ts';

/*
 * Issue 14, item 4: a register as partnerships really keep it — only some of the optional
 * columns, legacy CTO labels, weekly costs with the council/ICB split, detentions that give no
 * right to aftercare, and former CCGs — through the web journey (upload, match the columns, dry
 * run, import) and on to the person page and the first draft plan.
 */

let t: TestApp;
let admin: Browser;
const nextNhs = nhsNumbers(820_000);

const required = ['NHS Number', 'Forename', 'Surname', 'DOB', 'Section', 'Date Detained', 'Date Discharged', 'Responsible LA', 'Responsible ICB'];

beforeAll(async () => {
  t = await createTestApp({}, { clock: clockAt('2026-12-07') });
  admin = await signedIn(t, demo.admin);
  // The ICB that replaced NHS Northumberland CCG, as a partnership using it holds it (real codes).
  const [demoIcb] = await t.database.db.select().from(organisation).where(eq(organisation.code, 'QZV'));
  await t.database.db.insert(organisation).values({ partnershipId: demoIcb!.partnershipId, type: 'icb', code: 'QHM', onsCode: 'E54000050', name: 'NHS North East and North Cumbria Integrated Care Board' });
});
afterAll(async () => t?.close());

function csv(headings: string[], rows: string[][]): Buffer {
  return Buffer.from(stringify([headings, ...rows]), 'utf8');
}

/** A person's row with the required columns: detained under `section`, discharged, Northvale responsible. */
function personRow(section: string, icb = 'QZV'): string[] {
  return [nextNhs(), 'Ann', 'Able', '1980-04-03', section, '2024-01-10', '2024-03-01', 'Northvale Council', icb];
}

async function upload(name: string, data: Buffer): Promise<string> {
  const page = await admin.get('/admin/import');
  const orgId = /<option value="([0-9a-f-]{36})"[^>]*selected/.exec(page.body)?.[1] ?? /name="organisationId" value="([0-9a-f-]{36})"/.exec(page.body)?.[1];
  const res = await uploadFile(admin, '/admin/import', { organisationId: orgId! }, { name, data });
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
  return /\/admin\/import\/([0-9a-f-]{36})\/mapping/.exec(res.headers.location as string)![1]!;
}

/** Accept the columns the page guessed (only those it could: the others stay "not in this file") and run the dry run. */
async function dryRun(id: string, extra: Record<string, string> = {}) {
  const page = await admin.get(`/admin/import/${id}/mapping`);
  expect(page.statusCode).toBe(200);
  const form: Record<string, string> = { dayFirst: 'true' };
  for (const m of page.body.matchAll(/<select class="govuk-select[^"]*" id="(column-[A-Za-z0-9]+)"[\s\S]*?<\/select>/g)) {
    form[m[1]!] = /<option value="([^"]*)" selected/.exec(m[0])?.[1]?.replace(/&amp;/g, '&') ?? '';
  }
  const res = await admin.post(`/admin/import/${id}/mapping`, { ...form, ...extra });
  expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
  return (await t.database.db.select().from(registerImport).where(eq(registerImport.id, id)))[0]!;
}

async function apply(id: string, mode: 'all-or-nothing' | 'valid-only' = 'all-or-nothing') {
  await admin.get(`/admin/import/${id}`);
  expect((await admin.post(`/admin/import/${id}/apply`, { mode })).statusCode).toBe(302);
  for (let i = 0; i < 400; i++) {
    const [row] = await t.database.db.select().from(registerImport).where(eq(registerImport.id, id));
    if (row!.status !== 'applying') return row!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import did not finish');
}

async function personByNhs(nhs: string) {
  return (await t.database.db.select().from(person).where(eq(person.nhsNumber, nhs)))[0]!;
}

async function eventsOf(personId: string) {
  return t.database.db
    .select({ type: legalEvent.type, occurredOn: legalEvent.occurredOn, payload: legalEvent.payload })
    .from(legalEvent)
    .where(eq(legalEvent.personId, personId))
    .orderBy(asc(legalEvent.occurredOn), asc(legalEvent.sequence));
}

/** The row of the dry-run table for a spreadsheet row, as text. */
const tableRow = (body: string, n: number) => (new RegExp(`data-row="${n}"[\\s\\S]*?</tr>`).exec(body)?.[0] ?? '').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('a register with only some of the optional columns', () => {
  it('checks and imports a file with only the required columns: every optional field is left "not in this file"', async () => {
    const rows = [personRow('S3'), personRow('Section 37')];
    const id = await upload('required-only.csv', csv(required, rows));
    const page = await admin.get(`/admin/import/${id}/mapping`);
    const select = (field: string) => new RegExp(`id="column-${field}"[\\s\\S]*?</select>`).exec(page.body)?.[0] ?? '';
    for (const field of ['postcode', 'team', 's117Status', 'weeklyCost', 'laShare', 'icbShare', 'notes']) {
      expect(select(field), field).toContain('Not in this file');
      expect(select(field), field).not.toContain('selected');
    }
    expect(select('dateOfBirth')).toContain('<option value="DOB" selected');
    const checked = await dryRun(id);
    expect(checked.counts).toEqual({ create: 2, update: 0, unchanged: 0, reject: 0 });
    expect(Object.keys(checked.columns as object).sort()).toEqual(['dateOfBirth', 'detainedOn', 'dischargedOn', 'familyName', 'givenName', 'icb', 'localAuthority', 'nhsNumber', 'section']);
    expect((await apply(id)).status).toBe('applied');
    expect((await personByNhs(rows[0]![0]!)).status).toBe('entitled');
  });

  it('names the required field a file has no column for, and changes nothing', async () => {
    const before = await registerFingerprint(t.database.db);
    const headings = required.filter((h) => h !== 'DOB');
    const id = await upload('no-dob.csv', csv(headings, [personRow('S3').filter((_, i) => i !== 3)]));
    const page = await admin.get(`/admin/import/${id}/mapping`);
    const res = await admin.post(`/admin/import/${id}/mapping`, { dayFirst: 'true', 'column-nhsNumber': 'NHS Number', 'column-section': 'Section' });
    expect(page.statusCode).toBe(200);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Select the column that holds the date of birth: the file must have one');
    expect(res.body).toContain('href="#column-dateOfBirth"');
    expect(await registerFingerprint(t.database.db)).toEqual(before);
  });
});

describe('legacy section labels', () => {
  it('imports "CTO (s3)" as a detention under s3, then a CTO from the discharge, and "CTO (37)" as s37 then a CTO', async () => {
    const s3 = personRow('CTO (s3)');
    const s37 = personRow('CTO (37)');
    const id = await upload('cto.csv', csv(required, [s3, s37]));
    expect((await dryRun(id)).counts).toEqual({ create: 2, update: 0, unchanged: 0, reject: 0 });
    const page = await admin.get(`/admin/import/${id}`);
    expect(tableRow(page.body, 2)).toContain('recorded as a detention under s3, then a community treatment order');
    expect((await apply(id)).status).toBe('applied');

    const first = await personByNhs(s3[0]!);
    expect(await eventsOf(first.id)).toEqual([
      { type: 'detention-started', occurredOn: '2024-01-10', payload: { legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' } },
      { type: 'detention-ended', occurredOn: '2024-03-01', payload: { reason: 'cto' } },
      { type: 'left-hospital', occurredOn: '2024-03-01', payload: {} },
    ]);
    expect(first.status).toBe('entitled');
    expect(first.legalPosition).toContain('cto');
    const second = await personByNhs(s37[0]!);
    expect((await eventsOf(second.id))[0]!.payload).toMatchObject({ legalStatusCode: '10' });
    expect(second.legalPosition).toContain('cto');
  });
});

describe('funding columns', () => {
  const headings = [...required, 'Weekly cost', 'LA %', 'ICB %'];

  it('rejects a split of 70% and 50% with its row number, and imports nothing in all-or-nothing mode', async () => {
    const before = await registerFingerprint(t.database.db);
    const id = await upload('bad-split.csv', csv(headings, [[...personRow('S3'), '£800', '60%', '40%'], [...personRow('S3'), '£950.50', '70%', '50%']]));
    const checked = await dryRun(id);
    expect(checked.counts).toMatchObject({ create: 1, reject: 1 });
    const page = await admin.get(`/admin/import/${id}?outcome=reject`);
    expect(tableRow(page.body, 3)).toContain('the council and ICB shares add up to 120%; they must add up to 100%');
    const file = parse((await admin.get(`/admin/import/${id}/rejections.csv`)).body, { bom: true }) as string[][];
    expect(file.slice(1).map((r) => [r[0], r[1]])).toEqual([['3', 'the council and ICB shares add up to 120%; they must add up to 100%']]);
    expect((await apply(id)).status).toBe('failed');
    expect(await registerFingerprint(t.database.db)).toEqual(before);
  });

  it('keeps the weekly cost and split, shows them on the person page and carries them into the first draft plan', async () => {
    const row = [...personRow('S3'), '£1,200', '60%', '40%'];
    const id = await upload('funding.csv', csv(headings, [row]));
    expect((await dryRun(id)).counts).toEqual({ create: 1, update: 0, unchanged: 0, reject: 0 });
    expect((await apply(id)).status).toBe('applied');
    const p = await personByNhs(row[0]!);
    const [funding] = await t.database.db.select().from(importedFunding).where(eq(importedFunding.personId, p.id));
    expect(funding).toMatchObject({ weeklyCostPence: 120000, localAuthorityBasisPoints: 6000, importId: id, rowNumber: 2 });

    const practitioner = await signedIn(t, demo.practitioner);
    const page = await practitioner.get(`/people/${p.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Funding brought from the old register: £1,200.00 a week, council 60%, ICB 40%');

    await practitioner.get(`/people/${p.id}/plans`);
    const started = await practitioner.post(`/people/${p.id}/plans`, {});
    expect(started.statusCode, started.body.slice(0, 2000)).toBe(302);
    const [plan] = await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.personId, p.id));
    expect(plan!.status).toBe('draft');
    const services = await t.database.db.select().from(planService).where(eq(planService.planId, plan!.id));
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({ serviceType: 'Funding brought from the old register', weeklyCostPence: 120000, localAuthorityBasisPoints: 6000, needIds: [] });
    expect(services[0]!.splitBasis).toContain('council 60%, ICB 40%');
    const planPage = await practitioner.get(`/people/${p.id}/plans/${plan!.id}`);
    expect(planPage.body).toContain('Funding brought from the old register');
  });

  it('counts the same funding again as unchanged, and a changed cost as an update', async () => {
    const row = [...personRow('S3'), '£500', '50', '50'];
    const first = await upload('funding-1.csv', csv(headings, [row]));
    await dryRun(first);
    await apply(first);
    const again = await upload('funding-2.csv', csv(headings, [row]));
    expect((await dryRun(again)).counts).toEqual({ create: 0, update: 0, unchanged: 1, reject: 0 });
    const changed = await upload('funding-3.csv', csv(headings, [[...row.slice(0, 9), '£650', '50', '50']]));
    expect((await dryRun(changed)).counts).toEqual({ create: 0, update: 1, unchanged: 0, reject: 0 });
    expect((await apply(changed)).status).toBe('applied');
    const p = await personByNhs(row[0]!);
    const [funding] = await t.database.db.select().from(importedFunding).where(eq(importedFunding.personId, p.id));
    expect(funding).toMatchObject({ weeklyCostPence: 65000, localAuthorityBasisPoints: 5000, importId: changed });
  });
});

describe('sections that give no right to aftercare', () => {
  it('rejects them by default, each with its row number and why', async () => {
    const id = await upload('s2-reject.csv', csv(required, [personRow('S3'), personRow('s2'), personRow('Section 136')]));
    const checked = await dryRun(id);
    expect(checked.counts).toMatchObject({ create: 1, reject: 2 });
    expect((checked.options as { noEntitlement: string }).noEntitlement).toBe('reject');
    const page = await admin.get(`/admin/import/${id}?outcome=reject`);
    expect(tableRow(page.body, 3)).toContain('(s2) gives no right to section 117 aftercare');
    expect(tableRow(page.body, 4)).toContain('(s136) gives no right to section 117 aftercare');
  });

  it('imports them with a warning when the user chooses to accept them', async () => {
    const s2 = personRow('s2');
    const id = await upload('s2-accept.csv', csv(required, [s2]));
    const mapping = await admin.get(`/admin/import/${id}/mapping`);
    expect(mapping.body).toContain('Rows whose section gives no right to aftercare');
    const checked = await dryRun(id, { noEntitlement: 'accept' });
    expect(checked.counts).toEqual({ create: 1, update: 0, unchanged: 0, reject: 0 });
    const page = await admin.get(`/admin/import/${id}`);
    expect(tableRow(page.body, 2)).toContain('gives no right to section 117 aftercare: imported as accepted');
    expect((await apply(id)).status).toBe('applied');
    const p = await personByNhs(s2[0]!);
    expect(p.status).not.toBe('entitled');
    expect((await eventsOf(p.id))[0]!.payload).toMatchObject({ legalStatusCode: '02' });
  });
});

describe('former CCGs', () => {
  it("maps a CCG's name or code to the ICB that replaced it: the partnership's own, or one outside it kept with a warning", async () => {
    const own = personRow('S3', 'NHS Northumberland CCG');
    const byCode = personRow('S3', '00L');
    const outside = personRow('S3', 'NHS Leeds CCG');
    const unknown = personRow('S3', 'NHS Atlantis CCG');
    const id = await upload('ccgs.csv', csv(required, [own, byCode, outside, unknown]));
    expect((await dryRun(id)).counts).toEqual({ create: 3, update: 0, unchanged: 0, reject: 1 });
    const page = await admin.get(`/admin/import/${id}`);
    expect(tableRow(page.body, 2)).toContain('read as NHS North East and North Cumbria Integrated Care Board, the ICB that replaced it');
    expect(tableRow(page.body, 4)).toContain('replaced on 1 July 2022 by NHS West Yorkshire Integrated Care Board (QWO), which is not an ICB of this partnership');
    expect(tableRow(page.body, 5)).toContain("responsible ICB 'NHS Atlantis CCG' is not an ICB of this partnership or a former CCG");
    expect((await apply(id, 'valid-only')).status).toBe('applied');
    const people = await t.database.db.select().from(person).where(inArray(person.nhsNumber, [own[0]!, byCode[0]!, outside[0]!]));
    const icbOf = (nhs: string) => people.find((x) => x.nhsNumber === nhs)!.responsibleIcb;
    expect(icbOf(own[0]!)).toBe('E54000050');
    expect(icbOf(byCode[0]!)).toBe('E54000050');
    expect(icbOf(outside[0]!)).toBe('E54000054');
    const events = await t.database.db.select().from(legalEvent).where(and(eq(legalEvent.type, 'detention-started'), inArray(legalEvent.personId, people.map((x) => x.id))));
    expect(events.map((e) => (e.payload as { icbOfGpRegistration: string }).icbOfGpRegistration).sort()).toEqual(['E54000050', 'E54000050', 'E54000054']);
  });
});
