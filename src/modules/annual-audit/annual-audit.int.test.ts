import { randomUUID } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dateForm, demo, signedInBrowser, type Browser, type TestApp } from '../../../test/app.ts';
import { defaultQuestions } from '../../domain/audit-checklist.ts';
import { formatChange } from '../../domain/audit-score.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { appUser, auditEvent } from '../../platform/db/schema.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { createPerson, recordEvent } from '../register/people.service.ts';
import { team } from '../register/schema.ts';
import { auditPopulation, setFindingStatus, snapshotOf } from './audit.service.ts';
import { setItemActive } from './checklist.service.ts';
import { clockAt } from '../../../test/fixtures.ts';
import type { SettableClock } from '../../platform/clock.ts';
import { DEMO_AUDIT_NAME, seedDemoAudit } from '../demo/audit.ts';
import { auditCase, auditChecklistItem, auditFinding, auditPillar, caseAudit } from './schema.ts';

/*
 * The annual case audit (issue 7, item 3) over HTTP, as the demo quality lead. People are built
 * through the register services as the Northvale and Southmere practitioners: entitled since
 * March 2025 (in scope for any period from then), one only detained (pending: never in scope).
 */

let t: TestApp;
const numbers = syntheticNhsNumbers(871_000);
const nextNhs = () => numbers.next().value as string;
let quality: Browser;
let pendingPersonId: string;
let lastYearId: string;

async function contextFor(email: string, clock?: SettableClock): Promise<ServiceContext> {
  const user = (await t.database.db.select().from(appUser).where(eq(appUser.email, email)))[0]!;
  const actor = (await loadUserActor(t.database.db, user.id))!;
  return serviceContext({ db: t.database.db, actor, requestId: `test:${randomUUID()}`, config: t.config, clock });
}

async function makePerson(ctx: ServiceContext, la: string, i: number, teamId: string | undefined, entitled = true): Promise<string> {
  const created = await createPerson(ctx, { givenName: `Audit${i}`, familyName: `Person${i}`, dateOfBirth: '1980-04-01', nhsNumber: nextNhs(), ...(teamId ? { allocatedTeamId: teamId } : {}) }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  const events: Array<Record<string, unknown>> = [{ type: 'detention-started', date: entitled ? '2025-01-10' : '2026-02-10', legalStatusCode: '03', ordinaryResidence: la, icbOfGpRegistration: 'E54000901' }];
  if (entitled) events.push({ type: 'detention-ended', date: '2025-03-01', reason: 'discharged' }, { type: 'left-hospital', date: '2025-03-01' });
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  return created.person.id;
}

function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`);
}

const configureForm = (overrides: Record<string, string> = {}) => ({
  name: 'Section 117 case audit 2026',
  ...dateForm('periodStart', '2025-04-01'),
  ...dateForm('periodEnd', '2026-03-31'),
  sampleSize: '6',
  stratifyBy: 'local-authority',
  seed: 'fixed-seed-1',
  ...overrides,
});

async function configure(overrides: Record<string, string> = {}): Promise<string> {
  await quality.get('/audits/new');
  const res = await quality.post('/audits/new', configureForm(overrides));
  expect(res.statusCode, res.body.slice(0, 500)).toBe(302);
  return res.headers.location!.split('/').pop()!;
}

async function casesOf(auditId: string) {
  return t.database.db.select().from(auditCase).where(eq(auditCase.auditId, auditId)).orderBy(asc(auditCase.position));
}

beforeAll(async () => {
  t = await createTestApp();
  const northvale = await contextFor(demo.practitioner);
  const southmere = await contextFor(demo.senior);
  const teams = await t.database.db.select().from(team);
  const teamId = (name: string) => teams.find((x) => x.name === name)!.id;
  for (let i = 0; i < 12; i++) await makePerson(northvale, 'E06000901', i, teamId(i % 2 ? 'Northvale Community Mental Health Team' : 'Northvale Section 117 Review Team'));
  for (let i = 12; i < 18; i++) await makePerson(southmere, 'E06000902', i, teamId('Southmere Recovery Team'));
  pendingPersonId = await makePerson(northvale, 'E06000901', 99, undefined, false);
  quality = await signedInBrowser(t.app, demo.quality);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('who may run the audit', () => {
  it('shows "Annual audit" to the quality lead only, and refuses anyone else with 403', async () => {
    expect((await quality.get('/')).body).toContain('href="/audits"');
    const manager = await signedInBrowser(t.app, demo.manager);
    expect((await manager.get('/')).body).not.toContain('href="/audits"');
    for (const url of ['/audits', '/audits/new', '/audits/checklist']) expect((await manager.get(url)).statusCode).toBe(403);
    await manager.get('/');
    const before = (await t.database.db.select({ n: count() }).from(caseAudit))[0]!.n;
    expect((await manager.post('/audits/new', configureForm())).statusCode).toBe(403);
    expect((await t.database.db.select({ n: count() }).from(caseAudit))[0]!.n).toBe(before);
  });
});

describe('the checklist', () => {
  it('is seeded once with the nine pillars, seven of them marked as inferred', async () => {
    const page = await quality.get('/audits/checklist');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/data-qa="pillar"/g)).toHaveLength(9);
    expect(page.body.match(/Suggested title – change it to your partnership’s wording/g)).toHaveLength(7);
    expect(page.body).toContain('LGSCO 24 015 710');
    await quality.get('/audits/checklist');
    expect((await t.database.db.select({ n: count() }).from(auditChecklistItem))[0]!.n).toBe(defaultQuestions.length);
    expect((await t.database.db.select({ n: count() }).from(auditPillar))[0]!.n).toBe(9);
  });

  it('renames a pillar with an error summary for a blank name, and refuses a stale version', async () => {
    const form = await quality.get('/audits/checklist/pillars/3');
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const blank = await quality.post('/audits/checklist/pillars/3', { version, name: '  ', description: '' });
    expect(blank.statusCode).toBe(422);
    expect(errorSummary(blank.body)).toEqual(['#name Enter the pillar name']);
    const ok = await quality.post('/audits/checklist/pillars/3', { version, name: 'Joint working across health and social care', description: '' });
    expect(ok.statusCode).toBe(302);
    const page = await quality.get('/audits/checklist');
    expect(page.body).toContain('Pillar 3: Joint working across health and social care');
    expect(page.body.match(/Suggested title/g)).toHaveLength(6);
    await quality.get('/audits/checklist/pillars/3');
    const stale = await quality.post('/audits/checklist/pillars/3', { version, name: 'Another name', description: '' });
    expect(stale.statusCode).toBe(409);
    const events = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'audit-pillar.renamed'));
    expect(events).toHaveLength(1);
  });

  it('adds, edits and retires a question', async () => {
    await quality.get('/audits/checklist/pillars/9/questions/new');
    const missing = await quality.post('/audits/checklist/pillars/9/questions/new', { question: '', guidance: '', source: '' });
    expect(missing.statusCode).toBe(422);
    expect(errorSummary(missing.body)).toEqual(['#question Enter the question', '#source Enter the source']);
    const added = await quality.post('/audits/checklist/pillars/9/questions/new', { question: 'Was the case discussed at the quality forum?', guidance: '', source: 'LGA framework, pillar 9' });
    expect(added.statusCode).toBe(302);
    const item = (await t.database.db.select().from(auditChecklistItem).where(eq(auditChecklistItem.code, 'P9.3')))[0]!;
    expect(item.question).toBe('Was the case discussed at the quality forum?');
    await quality.get(`/audits/checklist/questions/${item.id}`);
    expect((await quality.post(`/audits/checklist/questions/${item.id}`, { version: String(item.version), question: 'Was the case discussed at the partnership quality forum?', guidance: '', source: 'LGA framework, pillar 9' })).statusCode).toBe(302);
    await quality.get('/audits/checklist');
    expect((await quality.post(`/audits/checklist/questions/${item.id}/retire`, { version: String(item.version + 1) })).statusCode).toBe(302);
    const after = (await t.database.db.select().from(auditChecklistItem).where(eq(auditChecklistItem.id, item.id)))[0]!;
    expect(after).toMatchObject({ active: false, question: 'Was the case discussed at the partnership quality forum?' });
  });

  it('brings a question back, stamped by the application’s clock, with its audit event', async () => {
    const item = (await t.database.db.select().from(auditChecklistItem).where(eq(auditChecklistItem.code, 'P9.3')))[0]!;
    const ctx = await contextFor(demo.quality, clockAt('2031-02-03'));
    const restored = await setItemActive(ctx, item.id, item.version, true);
    expect(restored).toMatchObject({ active: true, version: item.version + 1 });
    expect(restored.updatedAt.toISOString()).toBe('2031-02-03T12:00:00.000Z');
    const events = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'audit-checklist.question-restored'), eq(auditEvent.requestId, ctx.requestId)));
    expect(events).toHaveLength(1);
    // Restoring again from the same version is refused: somebody changed it first.
    await expect(setItemActive(ctx, item.id, item.version, true)).rejects.toThrow();
    await t.database.db.update(auditChecklistItem).set({ active: false }).where(eq(auditChecklistItem.id, item.id));
  });
});

describe('configuring an audit and drawing the sample', () => {
  it('shows every problem in the error summary and saves nothing', async () => {
    const before = (await t.database.db.select({ n: count() }).from(caseAudit))[0]!.n;
    await quality.get('/audits/new');
    const res = await quality.post('/audits/new', { name: '', ...dateForm('periodStart', '2026-03-31'), 'periodEnd-day': '31', 'periodEnd-month': '13', 'periodEnd-year': '2026', sampleSize: '0', seed: '' });
    expect(res.statusCode).toBe(422);
    expect(errorSummary(res.body)).toEqual([
      '#name Enter a name for the audit',
      '#periodEnd-day Last day of the period must be a real date',
      '#sampleSize The sample size must be a whole number from 1 to 500',
      '#stratifyBy Choose how to stratify the sample',
      '#seed Enter a seed: any text; the same seed draws the same sample',
    ]);
    const backwards = await quality.post('/audits/new', configureForm({ ...dateForm('periodEnd', '2025-01-01') }));
    expect(errorSummary(backwards.body)).toEqual(['#periodEnd-day The last day of the period must be on or after the first day']);
    const nobody = await quality.post('/audits/new', configureForm({ ...dateForm('periodStart', '2020-04-01'), ...dateForm('periodEnd', '2021-03-31') }));
    expect(errorSummary(nobody.body)).toEqual(['#periodStart-day Nobody you can see was entitled to section 117 aftercare in this period: choose another period']);
    expect((await t.database.db.select({ n: count() }).from(caseAudit))[0]!.n).toBe(before);
  });

  it('takes the people entitled on any day of the period, never someone only pending', async () => {
    const ctx = await contextFor(demo.quality);
    const population = await auditPopulation(ctx, '2025-04-01', '2026-03-31');
    expect(population).toHaveLength(18);
    expect(population.map((p) => p.personId)).not.toContain(pendingPersonId);
    // Entitlement started on 1 March 2025: a period ending the day before has nobody.
    expect(await auditPopulation(ctx, '2024-04-01', '2025-02-28')).toHaveLength(0);
    expect(await auditPopulation(ctx, '2024-04-01', '2025-03-01')).toHaveLength(18);
  });

  it('draws the same sample from the same seed and a different one from another seed', async () => {
    const a = await configure({ seed: 'fixed-seed-1' });
    const b = await configure({ seed: 'fixed-seed-1' });
    const c = await configure({ seed: 'fixed-seed-2' });
    const people = async (id: string) => (await casesOf(id)).map((x) => x.personId);
    expect(await people(a)).toHaveLength(6);
    expect(await people(b)).toEqual(await people(a));
    expect(await people(c)).not.toEqual(await people(a));
    // Proportional to 12 Northvale and 6 Southmere people: 4 and 2.
    const strata = (await casesOf(a)).map((x) => x.localAuthority);
    expect(strata.filter((x) => x === 'E06000901')).toHaveLength(4);
    expect(strata.filter((x) => x === 'E06000902')).toHaveLength(2);
    // The checklist is snapshotted without the retired question.
    const audit = (await t.database.db.select().from(caseAudit).where(eq(caseAudit.id, a)))[0]!;
    expect(snapshotOf(audit).items).toHaveLength(defaultQuestions.length);
    expect(snapshotOf(audit).pillars.find((p) => p.number === 3)?.name).toBe('Joint working across health and social care');
    const page = await quality.get(`/audits/${a}`);
    expect(page.body).toContain('0 of 6 cases complete');
    expect(page.body.match(/data-qa="case-row"/g)).toHaveLength(6);
  });
});

describe('auditing cases, findings and the report', () => {
  let auditId: string;
  let itemIds: string[];
  let pillarOf: Map<string, number>;

  beforeAll(async () => {
    // Last year's audit, as the demo seeds it, completed: the new audit is compared with it.
    const partnershipId = (await contextFor(demo.quality)).actor.partnershipId;
    await t.database.db.transaction(async (tx) => {
      lastYearId = (await seedDemoAudit(tx, partnershipId, t.config))!.auditId;
    });
    auditId = await configure({ sampleSize: '4', seed: 'report-seed', previousAuditId: lastYearId });
    const audit = (await t.database.db.select().from(caseAudit).where(eq(caseAudit.id, auditId)))[0]!;
    itemIds = snapshotOf(audit).items.map((i) => i.id);
    pillarOf = new Map(snapshotOf(audit).items.map((i) => [i.id, i.pillar]));
  }, 60_000);

  it('seeds last year’s audit complete, with ten cases and two findings, as the default comparison', async () => {
    const last = (await t.database.db.select().from(caseAudit).where(eq(caseAudit.id, lastYearId)))[0]!;
    expect(last).toMatchObject({ name: DEMO_AUDIT_NAME, status: 'complete', periodStart: '2025-04-01', periodEnd: '2026-03-31' });
    const cases = await casesOf(lastYearId);
    expect(cases).toHaveLength(10);
    expect(cases.every((c) => c.status === 'complete' && c.score !== null)).toBe(true);
    // The list of audits counts its cases.
    const list = await quality.get('/audits');
    expect(list.body).toMatch(new RegExp(`${DEMO_AUDIT_NAME}[^]*?10 of 10`));
    const form = await quality.get('/audits/new');
    expect(form.body).toMatch(new RegExp(`<option value="${lastYearId}" selected>`));
  });

  it('shows the key facts and records the view of the person', async () => {
    const [first] = await casesOf(auditId);
    const page = await quality.get(`/audits/${auditId}/cases/${first!.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-qa="key-facts"');
    expect(page.body).toContain('Entitled since 1 March 2025');
    expect(page.body).toContain('Rights given in writing');
    expect(page.body).toContain(`href="/people/${first!.personId}"`);
    expect(page.body.match(/data-qa="item"/g)).toHaveLength(itemIds.length);
    const views = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, first!.personId)));
    expect(views.some((v) => (v.after as { view?: string } | null)?.view === 'case-audit')).toBe(true);
  });

  it('will not complete a case until every item is answered, naming each one', async () => {
    const [first] = await casesOf(auditId);
    await quality.get(`/audits/${auditId}/cases/${first!.id}`);
    const form: Record<string, string> = { version: String(first!.version), action: 'complete' };
    for (const id of itemIds.slice(0, 3)) form[`answer-${id}`] = 'met';
    const res = await quality.post(`/audits/${auditId}/cases/${first!.id}`, form);
    expect(res.statusCode).toBe(422);
    const problems = errorSummary(res.body);
    expect(problems).toHaveLength(itemIds.length - 3);
    expect(problems[0]).toMatch(new RegExp(`^#answer-${itemIds[3]} Answer P\\d\\.\\d: `));
    // Nothing saved, and the answers given are still on the form.
    const after = (await casesOf(auditId))[0]!;
    expect(after.version).toBe(first!.version);
    expect(after.status).toBe('not-started');
    expect(res.body).toMatch(new RegExp(`name="answer-${itemIds[0]}" type="radio" value="met" checked`));
  });

  it('two auditors editing one case: the second gets 409 and the first one’s answers stay', async () => {
    const [, second] = await casesOf(auditId);
    const other = await signedInBrowser(t.app, demo.quality);
    await quality.get(`/audits/${auditId}/cases/${second!.id}`);
    await other.get(`/audits/${auditId}/cases/${second!.id}`);
    const first = await quality.post(`/audits/${auditId}/cases/${second!.id}`, { version: String(second!.version), action: 'save', [`answer-${itemIds[0]}`]: 'met', [`note-${itemIds[0]}`]: 'Plan on file at discharge' });
    expect(first.statusCode).toBe(302);
    const late = await other.post(`/audits/${auditId}/cases/${second!.id}`, { version: String(second!.version), action: 'save', [`answer-${itemIds[0]}`]: 'not-met' });
    expect(late.statusCode).toBe(409);
    expect(errorSummary(late.body)[0]).toContain('Somebody else changed this record');
    const saved = (await casesOf(auditId))[1]!;
    expect(saved.status).toBe('in-progress');
    expect(saved.answers).toEqual({ [itemIds[0]!]: { answer: 'met', note: 'Plan on file at discharge' } });
  });

  it('scores the cases, completes the audit, and reports by pillar against last year in PDF and XLSX', async () => {
    const cases = await casesOf(auditId);
    // Case 1 all met, case 2 all not met, case 3 all partly met, case 4 all met but pillar 9 not applicable.
    const answerFor = (caseIndex: number, itemId: string) =>
      caseIndex === 0 ? 'met' : caseIndex === 1 ? 'not-met' : caseIndex === 2 ? 'partly-met' : pillarOf.get(itemId) === 9 ? 'not-applicable' : 'met';
    for (const [i, c] of cases.entries()) {
      await quality.get(`/audits/${auditId}/cases/${c.id}`);
      const form: Record<string, string> = { version: String(c.version), action: 'complete' };
      for (const id of itemIds) form[`answer-${id}`] = answerFor(i, id);
      const res = await quality.post(`/audits/${auditId}/cases/${c.id}`, form);
      expect(res.statusCode, errorSummary(res.body).join('\n')).toBe(302);
    }
    const scored = await casesOf(auditId);
    expect(scored.map((c) => c.score)).toEqual([100, 0, 50, 100]);

    // A finding whose text a spreadsheet would run as a formula.
    const owner = (await t.database.db.select().from(appUser).where(eq(appUser.email, demo.manager)))[0]!;
    await quality.get(`/audits/${auditId}/findings/new`);
    const bad = await quality.post(`/audits/${auditId}/findings/new`, { pillar: '', finding: '', action: '', ownerUserId: '' });
    expect(errorSummary(bad.body)).toEqual(['#pillar Choose the pillar the finding is about', '#finding Enter the finding', '#action Enter the action agreed', '#ownerUserId Choose who owns the action', '#dueOn-day Enter the date the action is due']);
    const added = await quality.post(`/audits/${auditId}/findings/new`, {
      pillar: '4',
      auditCaseId: scored[1]!.id,
      finding: '=HYPERLINK("http://evil.example","Reviews overdue")',
      action: 'Book the overdue reviews',
      ownerUserId: owner.id,
      ...dateForm('dueOn', '2026-09-30'),
      competencyDomain: '4',
    });
    expect(added.statusCode).toBe(302);

    await quality.get(`/audits/${auditId}`);
    const version = (await t.database.db.select().from(caseAudit).where(eq(caseAudit.id, auditId)))[0]!.version;
    expect((await quality.post(`/audits/${auditId}/complete`, { version: String(version) })).statusCode).toBe(302);
    const page = await quality.get(`/audits/${auditId}`);
    expect(page.body).toContain('4 of 4 cases complete');
    expect(page.body).toContain('data-qa="audit-status">Complete');

    // Expected: every pillar but 9 pools (1 + 0 + ½ + 1) of 4 = 62.5% → 63%; pillar 9 (1 + 0 + ½) of 3 = 50%.
    const n = itemIds.length;
    const n9 = itemIds.filter((id) => pillarOf.get(id) === 9).length;
    const overall = Math.round((100 * (2.5 * n - n9)) / (4 * n - n9));
    expect(page.body).toContain(`<strong data-qa="overall">${overall}%</strong>`);
    const lastYearPage = await quality.get(`/audits/${lastYearId}`);
    const lastYear = new Map([...lastYearPage.body.matchAll(/data-pillar="(\d)">[\s\S]*?data-qa="score">(\d+)%/g)].map((m) => [Number(m[1]), Number(m[2])]));
    expect(lastYear.size).toBe(9);
    const expected = (pillar: number) => (pillar === 9 ? 50 : 63);

    const pdf = await quality.get(`/audits/${auditId}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await extractPdf(pdf.rawPayload)).text;
    expect(text).toContain('Section 117 case audit 2026: report');
    expect(text).toContain(`Overall score\n${overall}%`);
    for (const pillar of [1, 4, 9]) {
      const row = new RegExp(`${pillar}\\. [^\\n]+\\n${expected(pillar)}%\\n${lastYear.get(pillar)}%\\n${formatChange(expected(pillar) - lastYear.get(pillar)!).replace('+', '\\+')}`);
      expect(text).toMatch(row);
    }
    expect(text).toContain('Book the overdue reviews');
    expect(text).toContain('Alex Mensah');
    expect(text).toContain('30 September 2026');

    const xlsx = await quality.get(`/audits/${auditId}/report.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Summary', 'Pillars', 'Teams', 'Cases', 'Findings']);
    const pillars = wb.getWorksheet('Pillars')!;
    for (let r = 2; r <= 10; r++) {
      const row = pillars.getRow(r);
      const pillar = Number(row.getCell(1).value);
      expect(row.getCell(4).value).toBe(expected(pillar));
      expect(row.getCell(5).value).toBe(lastYear.get(pillar));
      expect(row.getCell(6).value).toBe(expected(pillar) - lastYear.get(pillar)!);
    }
    const summary = wb.getWorksheet('Summary')!;
    const overallRow = summary.getRows(1, summary.rowCount)!.find((r) => r.getCell(1).value === 'Overall score (%)')!;
    expect(overallRow.getCell(2).value).toBe(overall);
    expect(wb.getWorksheet('Cases')!.getColumn(6).values.slice(2)).toEqual([100, 0, 50, 100]);
    const finding = wb.getWorksheet('Findings')!.getRow(2);
    expect(finding.getCell(3).value).toBe(`'=HYPERLINK("http://evil.example","Reviews overdue")`);
    expect(finding.getCell(5).value).toBe('Alex Mensah');

    const downloads = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'case-audit.report-downloaded'), eq(auditEvent.subjectId, auditId)));
    expect(downloads.map((d) => (d.after as { format: string }).format).sort()).toEqual(['pdf', 'xlsx']);
  }, 60_000);

  it('marks an action done, and refuses changes to a case once the audit is complete', async () => {
    const page = await quality.get(`/audits/${auditId}`);
    const form = /action="(\/audits\/[^"]+\/findings\/[^"]+\/status)"[\s\S]*?name="version" value="(\d+)"[\s\S]*?name="status" value="done"/.exec(page.body)!;
    expect((await quality.post(form[1]!, { version: form[2]!, status: 'done' })).statusCode).toBe(302);
    expect((await quality.get(`/audits/${auditId}`)).body).toContain('data-qa="finding-status">Done');
    const [first] = await casesOf(auditId);
    await quality.get(`/audits/${auditId}/cases/${first!.id}`);
    const res = await quality.post(`/audits/${auditId}/cases/${first!.id}`, { version: String(first!.version), action: 'save' });
    expect(res.statusCode).toBe(409);
    expect((await casesOf(auditId))[0]!.score).toBe(100);
  });

  it('reopens an action stamped by the application’s clock, audited in the same unit, and refuses a stale version', async () => {
    const finding = (await t.database.db.select().from(auditFinding).where(and(eq(auditFinding.auditId, auditId), eq(auditFinding.status, 'done'))))[0]!;
    const ctx = await contextFor(demo.quality, clockAt('2031-02-03'));
    const reopened = await setFindingStatus(ctx, auditId, finding.id, finding.version, 'open');
    expect(reopened).toMatchObject({ status: 'open', version: finding.version + 1 });
    expect(reopened.updatedAt.toISOString()).toBe('2031-02-03T12:00:00.000Z');
    const events = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'case-audit.finding-reopened'), eq(auditEvent.requestId, ctx.requestId)));
    expect(events).toHaveLength(1);
    await expect(setFindingStatus(ctx, auditId, finding.id, finding.version, 'done')).rejects.toThrow();
    expect((await t.database.db.select().from(auditFinding).where(eq(auditFinding.id, finding.id)))[0]!.status).toBe('open');
  });
});
