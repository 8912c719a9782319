import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { addDays } from '../../domain/calendar-date.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { dispute } from '../disputes/schema.ts';
import { aftercarePlan, planService } from '../plans/schema.ts';
import { createPerson, recordEvent } from '../register/people.service.ts';
import { grantWorkflowAuthority } from '../register/workflow-authority.ts';
import { monthlyReturn, registerFhirBundle } from './exports.service.ts';
import { previousMonth } from './exports.routes.ts';
import { fhirErrors } from './fixtures/fhir-validate.ts';
import { monthBounds, totalLine, type MonthlyReturn, type ReturnLine, type returnColumns } from './monthly-return.ts';

/*
 * The monthly return counts what is on the register (checked as the change fixture people make
 * to the figures), the FHIR bundles validate, and no export cell can run as a formula.
 */

let t: TestApp;
const today = todayInLondon();
const month = previousMonth(today);
const { first } = monthBounds(month);
const nextNhs = nhsNumbers(9_000);
const NORTHVALE = 'E06000901';

async function make(ctx: ServiceContext, input: Record<string, unknown>, events: Array<Record<string, unknown>>): Promise<string> {
  const created = await createPerson(ctx, { dateOfBirth: '1980-04-01', nhsNumber: nextNhs(), ...input }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  // An ending in the fixture stands for one already approved by both bodies (the endings workflow's authority).
  const authority = grantWorkflowAuthority('endings', 'test fixture');
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null }, { authority });
  return created.person.id;
}

const detained = (date: string) => ({ type: 'detention-started', date, legalStatusCode: '03', ordinaryResidence: NORTHVALE, icbOfGpRegistration: 'E54000901' });
const discharged = (date: string) => [
  { type: 'detention-ended', date, reason: 'discharged' },
  { type: 'left-hospital', date },
];

function lineOf(ret: MonthlyReturn, code: string): ReturnLine {
  return ret.lines.find((l) => l.localAuthorityCode === code) ?? ({ localAuthorityCode: code, localAuthorityName: '' } as ReturnLine);
}

const FORMULA = /^[=+\-@]/;
let before: MonthlyReturn;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const manager = await contextFor(t, demo.manager);
  before = await monthlyReturn(manager, month);

  const nv = await contextFor(t, demo.practitioner);
  // Entitled since 2021, reviewed in the month, with an approved plan (direct payment and PHB) and an open dispute.
  ids.formula = await make(nv, { givenName: '@Ada', familyName: '=HYPERLINK("http://x.example","y")' }, [
    detained('2021-01-10'),
    ...discharged('2021-03-01'),
    { type: 'reviewed', date: addDays(first, 9) },
  ]);
  // Discharged in the month: a new entitlement.
  ids.fresh = await make(nv, { givenName: '+Ben', familyName: '-New' }, [detained(addDays(first, -60)), ...discharged(addDays(first, 2))]);
  // Entitled, then ended lawfully in the month: an ending, not entitled at month end.
  ids.ended = await make(nv, { givenName: 'Cara', familyName: 'Ended' }, [
    detained('2022-01-10'),
    ...discharged('2022-03-01'),
    { type: 'aftercare-ended', date: addDays(first, 4), approvedBy: ['local-authority', 'icb'], reasons: ['no-longer-in-need'], personInvolved: true, legalOverride: false },
  ]);

  const pid = nv.actor.partnershipId;
  const planId = randomUUID();
  await db.insert(aftercarePlan).values({ partnershipId: pid, id: planId, personId: ids.formula, planNumber: 1, status: 'approved', approvedAt: new Date(`${addDays(first, -20)}T12:00:00Z`) });
  const service = (fields: Partial<typeof planService.$inferInsert>) => ({
    partnershipId: pid,
    planId,
    personId: ids.formula!,
    needIds: [],
    serviceType: 'Support worker',
    provider: '=Provider',
    startOn: '2021-03-01',
    frequency: 'Weekly',
    unitsPerWeek: 2,
    unitCostPence: 10_000,
    weeklyCostPence: 20_000,
    deliveryRoute: 'direct-payment' as const,
    s117: true,
    localAuthorityBasisPoints: 6_000,
    splitBasis: 'Agreed at panel',
    ...fields,
  });
  await db.insert(planService).values([service({}), service({ serviceType: 'Therapy', unitsPerWeek: 1, unitCostPence: 5_001, weeklyCostPence: 5_001, deliveryRoute: 'personal-health-budget', localAuthorityBasisPoints: 0 })]);
  const orgId = async (code: string) => (await db.select().from(organisation).where(eq(organisation.code, code)))[0]!.id;
  const northvale = await orgId(NORTHVALE);
  const southmere = await orgId('E06000902');
  await db.insert(dispute).values({ partnershipId: pid, personId: ids.formula, kind: 'ordinary-residence', partyAOrganisationId: northvale, partyBOrganisationId: southmere, aroseOn: addDays(first, 1), interimLeadOrganisationId: northvale, stageChangedOn: addDays(first, 1), summary: 'Where did they live?' });
  // An organisation name that a spreadsheet would run.
  await db.update(organisation).set({ name: '=Northvale Council' }).where(eq(organisation.id, northvale));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('monthly return', () => {
  it('counts the fixture people exactly', async () => {
    const after = await monthlyReturn(await contextFor(t, demo.manager), month);
    const a = lineOf(after, NORTHVALE);
    const b = lineOf(before, NORTHVALE);
    const delta = (key: (typeof returnColumns)[number]['key']) => (a[key] ?? 0) - (b[key] ?? 0);
    expect(delta('entitledAtMonthEnd')).toBe(2);
    expect(delta('newEntitlementsInMonth')).toBe(1);
    expect(delta('endingsInMonth')).toBe(1);
    expect(delta('reviewsOverdueAtMonthEnd')).toBe(0);
    expect(delta('reviewsHeldInMonth')).toBe(1);
    expect(delta('approvedPlansAtMonthEnd')).toBe(1);
    // 2 × £100 at 60% LA, plus £50.01 all ICB.
    expect(delta('weeklyCostLocalAuthorityPence')).toBe(12_000);
    expect(delta('weeklyCostIcbPence')).toBe(8_000 + 5_001);
    expect(delta('weeklyCostTotalPence')).toBe(25_001);
    expect(delta('openDisputesAtMonthEnd')).toBe(1);
    expect(delta('peopleWithDirectPayment')).toBe(1);
    expect(delta('peopleWithPersonalHealthBudget')).toBe(1);
    // The total line adds up the lines.
    const total = totalLine(after.lines);
    expect(total.entitledAtMonthEnd).toBe(after.lines.reduce((n, l) => n + l.entitledAtMonthEnd, 0));
  });

  it('downloads as CSV with a total row and no formula cell', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get(`/exports/monthly-return?month=${month}&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('People entitled at month end');
    expect(lines.at(-1)).toContain('Total');
    expect(res.body).toContain("'=Northvale Council");
    for (const line of lines) for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(FORMULA);
    const audit = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'register.exported'));
    expect(audit.some((e) => JSON.stringify(e.after).includes('monthly-return'))).toBe(true);
  });

  it('downloads as XLSX with no formula cell', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get(`/exports/monthly-return?month=${month}&format=xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const texts: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => {
      expect(cell.formula).toBeFalsy();
      if (typeof cell.value === 'string') texts.push(cell.value);
    }));
    expect(texts).toContain("'=Northvale Council");
    for (const text of texts) expect(text).not.toMatch(FORMULA);
  });

  it('refuses a month that is not YYYY-MM', async () => {
    const b = await signedIn(t, demo.manager);
    expect((await b.get('/exports/monthly-return?month=2026-13')).statusCode).toBe(422);
    const page = await b.get('/exports?month=nonsense');
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('There is a problem');
  });

  it('shows the exports page with the downloads', async () => {
    const b = await signedIn(t, demo.manager);
    const page = await b.get(`/exports?month=${month}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/exports/monthly-return?month=${month}&amp;format=xlsx`);
  });
});

describe('FHIR', () => {
  it('gives a person’s bundle that validates, and audits the read', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get(`/api/v1/people/${ids.formula}/fhir`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const body = JSON.parse(res.body) as { entry: Array<{ resource: Record<string, unknown> }> };
    expect(fhirErrors(body)).toEqual([]);
    expect(body.entry.map((e) => e.resource.resourceType)).toEqual(['Patient', 'EpisodeOfCare', 'CarePlan']);
    const views = await t.database.db.select().from(auditEvent).where(eq(auditEvent.subjectId, ids.formula!));
    expect(views.some((e) => e.action === 'person.viewed')).toBe(true);
  });

  it('refuses someone outside the actor’s relationships', async () => {
    const b = await signedIn(t, 'eastbridge@demo.aftercare.example');
    expect((await b.get(`/api/v1/people/${ids.formula}/fhir`)).statusCode).toBe(403);
  });

  it('gives the visible register as one bundle that validates', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get('/exports/register.fhir.json');
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { entry: Array<{ resource: Record<string, unknown> }> };
    expect(fhirErrors(body)).toEqual([]);
    const patients = body.entry.filter((e) => e.resource.resourceType === 'Patient').map((e) => e.resource.id);
    expect(patients).toEqual(expect.arrayContaining([ids.formula, ids.fresh, ids.ended]));
  });

  it('refuses a register bundle over the limit with a clear message', async () => {
    await expect(registerFhirBundle(await contextFor(t, demo.manager), new Date(), 2)).rejects.toThrow(/can hold up to 2/);
  });

  it('dates the register bundle by the application’s clock and audits the download with it; a refused download records nothing', async () => {
    const ctx = await contextFor(t, demo.manager, { clock: clockAt('2031-02-03') });
    const body = (await registerFhirBundle(ctx)) as { timestamp: string; entry: unknown[] };
    expect(body.timestamp).toBe('2031-02-03T12:00:00.000Z');
    expect(body.entry.length).toBeGreaterThan(0);
    const recorded = await t.database.db.select().from(auditEvent).where(eq(auditEvent.requestId, ctx.requestId));
    expect(recorded.map((e) => [e.action, (e.after as { format: string }).format])).toEqual([['register.exported', 'fhir']]);

    const refused = await contextFor(t, demo.manager);
    await expect(registerFhirBundle(refused, new Date(), 2)).rejects.toThrow(/can hold up to 2/);
    expect(await t.database.db.select().from(auditEvent).where(eq(auditEvent.requestId, refused.requestId))).toEqual([]);
  });
});
