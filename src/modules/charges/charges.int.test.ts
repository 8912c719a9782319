import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, dateForm, demo, type TestApp } from '../../../test/app.ts';
import { approvedPlan, clockAt, nhsNumbers, signedIn as signedInTo } from '../../../test/fixtures.ts';
import { cliContext } from '../../cli/context.ts';
import { addDays } from '../../domain/calendar-date.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { auditEvent, organisation, partnership } from '../../platform/db/schema.ts';
import { createToken } from '../admin/tokens.service.ts';
import { personDocument } from '../documents/schema.ts';
import { planSettings } from '../settings/schema.ts';
import { task } from '../register/schema.ts';
import { REFUND_TASK_TITLE, S117_FREE_MESSAGE } from './charges.service.ts';
import { personCharge } from './schema.ts';

let t: TestApp;
/** Northvale Council's finance system. */
let finance: string;
let northvaleId: string;
let partnershipId: string;
const nextNhs = nhsNumbers(850_000);

async function tokenFor(code: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `Charges tests ${code}` })).token;
}

beforeAll(async () => {
  t = await createTestApp();
  finance = await tokenFor('E06000901');
  northvaleId = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!.id;
  partnershipId = (await t.database.db.select().from(partnership))[0]!.id;
});
afterAll(async () => {
  await t.close();
});

function call(method: 'GET' | 'POST', url: string, payload?: unknown, token = finance) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

interface Problem {
  status: number;
  type: string;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, path?: string): Problem {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const problem = res.json() as Problem;
  if (path !== undefined) expect(problem.errors?.map((e) => e.path), JSON.stringify(problem)).toContain(path);
  return problem;
}

/** Row counts that must not move when something is refused or sent again. */
async function counts() {
  const n = async (table: string) => rowsOf<{ n: number }>(await t.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
  return { charges: await n('person_charge'), tasks: await n('task'), audit: await n('audit_event'), documents: await n('person_document') };
}

/**
 * A person entitled to section 117 aftercare with Northvale Council responsible (so its
 * finance system and its practitioners have a relationship with them), and an approved plan
 * with a section 117 service and a service outside section 117.
 */
async function entitledPerson(fields: Record<string, unknown> = {}) {
  const created = await call('POST', '/api/v1/people', { nhsNumber: nextNhs(), givenName: 'Casey', familyName: `Charged${Math.random().toString(36).slice(2, 7)}`, dateOfBirth: '1975-02-03', ...fields });
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as { id: string }).id;
  for (const event of [
    { type: 'detention-started', date: '2024-01-10', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' },
    { type: 'detention-ended', date: '2024-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2024-03-01' },
  ]) {
    const res = await call('POST', `/api/v1/people/${id}/events`, { event });
    expect(res.statusCode, res.body).toBe(201);
  }
  const {
    serviceIds: [homeSupport, lunchClub],
  } = await approvedPlan(t.database.db, { partnershipId, personId: id }, [
    { serviceType: 'Home support', provider: 'Riverside Supported Living', startOn: '2024-03-01', frequency: '3 visits a week', unitsPerWeek: 3, unitCostPence: 2150, weeklyCostPence: 6450, deliveryRoute: 'commissioned', s117: true, localAuthorityBasisPoints: 5000, splitBasis: 'Joint policy' },
    { serviceType: 'Lunch club', provider: 'Northvale Community Centre', startOn: '2024-03-01', frequency: 'Weekly', unitsPerWeek: 1, unitCostPence: 500, weeklyCostPence: 500, deliveryRoute: 'commissioned', s117: false, localAuthorityBasisPoints: 10000, splitBasis: 'Care Act', chargePence: 500 },
  ]);
  return { id, s117Service: homeSupport!, otherService: lunchClub! };
}

const signedIn = (email: string): Promise<Browser> => signedInTo(t, email);

const chargesOf = (personId: string) => t.database.db.select().from(personCharge).where(eq(personCharge.personId, personId));
const openRefundTasks = (personId: string) => t.database.db.select().from(task).where(and(eq(task.personId, personId), eq(task.kind, 'refund'), eq(task.status, 'open')));

describe('recording a charge by hand', () => {
  it('refuses a charge for a section 117 service from the plan with the R20 message, and saves nothing', async () => {
    const p = await entitledPerson();
    const b = await signedIn(demo.practitioner);
    const form = await b.get(`/people/${p.id}/charges/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Home support, Riverside Supported Living');
    expect(form.body).toContain('Section 117 service: free to the person');
    const before = await counts();
    const res = await b.post(`/people/${p.id}/charges/new`, { service: p.s117Service, ...dateForm('chargedFrom', '2025-04-01'), ...dateForm('chargedTo', '2025-04-30'), amount: '125.50', ...dateForm('paidOn', '2025-05-05') });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Section 117 aftercare is free: this service cannot be charged for');
    expect(res.body).toContain('<a href="#service">Section 117 aftercare is free');
    // What was typed is kept.
    expect(res.body).toMatch(/name="amount"[^>]*value="125.50"/);
    expect(await chargesOf(p.id)).toHaveLength(0);
    expect(await counts()).toEqual(before);
  });

  it('refuses a service typed in and said to be a section 117 service, and saves nothing', async () => {
    const p = await entitledPerson();
    const b = await signedIn(demo.practitioner);
    await b.get(`/people/${p.id}/charges/new`);
    const before = await counts();
    const res = await b.post(`/people/${p.id}/charges/new`, { service: 'other', description: 'Supported accommodation', s117: 'yes', ...dateForm('chargedFrom', '2025-04-01'), ...dateForm('chargedTo', '2025-04-30'), amount: '300', ...dateForm('paidOn', '2025-05-05') });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(S117_FREE_MESSAGE.slice(0, 90));
    expect(res.body).toContain('<a href="#s117">Section 117 aftercare is free: this service cannot be charged for');
    expect(await counts()).toEqual(before);
  });

  it('records a lawful charge for a service outside section 117, audited, and lists it with the totals', async () => {
    const p = await entitledPerson();
    const b = await signedIn(demo.practitioner);
    await b.get(`/people/${p.id}/charges/new`);
    const res = await b.post(`/people/${p.id}/charges/new`, { service: p.otherService, ...dateForm('chargedFrom', '2025-04-01'), ...dateForm('chargedTo', '2025-04-30'), amount: '£1,020.00', ...dateForm('paidOn', '2025-05-05') });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    expect(res.headers.location).toBe(`/people/${p.id}/charges`);
    const [charge] = await chargesOf(p.id);
    expect(charge).toMatchObject({ status: 'lawful', s117: false, amountPence: 102000, serviceId: p.otherService, serviceDescription: 'Lunch club, Northvale Community Centre', source: 'manual', chargedFrom: '2025-04-01', chargedTo: '2025-04-30', paidOn: '2025-05-05' });
    expect(await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'charge.recorded'), eq(auditEvent.subjectId, p.id)))).toHaveLength(1);
    const page = await b.get(`/people/${p.id}/charges`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The charge of £1,020.00 for Lunch club, Northvale Community Centre has been recorded.');
    expect(page.body).toContain('1 April 2025 to 30 April 2025');
    expect(page.body).toContain('<td class="govuk-table__cell govuk-table__cell--numeric">£1,020.00</td>');
    expect(page.body).toMatch(/data-qa="total-refund-due">£0.00</);
    expect(page.body).not.toContain('data-qa="refund-warning"');
    // The person page links to charges and refunds.
    expect((await b.get(`/people/${p.id}`)).body).toContain(`href="/people/${p.id}/charges"`);
  });

  it('names every field that is wrong, and saves nothing', async () => {
    const p = await entitledPerson();
    const b = await signedIn(demo.practitioner);
    await b.get(`/people/${p.id}/charges/new`);
    const before = await counts();
    const res = await b.post(`/people/${p.id}/charges/new`, { service: 'other', description: '', ...dateForm('chargedFrom', '2025-04-30'), ...dateForm('chargedTo', '2025-04-01'), amount: '-12.50', 'paidOn-day': '30', 'paidOn-month': '2', 'paidOn-year': '2025' });
    expect(res.statusCode).toBe(422);
    for (const [href, text] of [
      ['#description', 'Enter the service charged for'],
      ['#s117', 'Select whether it is a section 117 service'],
      ['#chargedTo-day', 'The last day charged for must be the same as or after the first day'],
      ['#paidOn-day', 'Date the person paid must be a real date'],
      ['#amount', 'The amount charged cannot be negative'],
    ]) {
      expect(res.body).toContain(`<a href="${href}">${text}`);
    }
    expect(await counts()).toEqual(before);
  });

  it('shows a person’s charges only to organisations with a relationship with them (403 otherwise)', async () => {
    const p = await entitledPerson();
    const b = await signedIn(demo.senior); // Southmere
    expect((await b.get(`/people/${p.id}/charges`)).statusCode).toBe(403);
    expect((await b.get(`/people/${p.id}/charges/new`)).statusCode).toBe(403);
    expect((await b.get(`/people/${p.id}/charges/refund`)).statusCode).toBe(403);
    // The ICB's commissioner sees them (the ICB is responsible) but cannot record a charge.
    const commissioner = await signedIn(demo.commissioner);
    expect((await commissioner.get(`/people/${p.id}/charges`)).statusCode).toBe(200);
    expect((await commissioner.get(`/people/${p.id}/charges/new`)).statusCode).toBe(403);
  });
});

describe('POST /api/v1/people/{id}/charges', () => {
  const charge = (fields: Record<string, unknown> = {}) => ({
    externalId: `fin-${Math.random().toString(36).slice(2, 10)}`,
    serviceDescription: 'Home care',
    s117: true,
    chargedFrom: '2025-04-01',
    chargedTo: '2025-04-30',
    amountPence: 12550,
    paidOn: '2025-05-05',
    ...fields,
  });

  it('records a charge for a section 117 service as refund due with exactly one open refund task, and a re-send changes nothing', async () => {
    const p = await entitledPerson();
    const body = charge();
    const before = await counts();
    const res = await call('POST', `/api/v1/people/${p.id}/charges`, body);
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { outcome: string; charge: { id: string; status: string; s117: boolean; refundTaskId: string }; refundTask: { id: string; created: boolean } };
    expect(out.outcome).toBe('recorded');
    expect(out.charge).toMatchObject({ status: 'refund-due', s117: true, amountPence: 12550, source: 'api', externalId: body.externalId });
    expect(out.refundTask.created).toBe(true);
    const tasks = await openRefundTasks(p.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: REFUND_TASK_TITLE, ownerOrganisationId: northvaleId, dueOn: addDays(todayInLondon(), 28), status: 'open' });
    expect(out.charge.refundTaskId).toBe(tasks[0]!.id);
    const after = await counts();
    expect(after.charges).toBe(before.charges + 1);
    expect(after.tasks).toBe(before.tasks + 1);
    const audited = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, p.id), eq(auditEvent.action, 'charge.imported-refund-due')));
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actorTokenId).not.toBeNull();

    // Sent again: nothing changes.
    const again = await call('POST', `/api/v1/people/${p.id}/charges`, body);
    expect(again.statusCode, again.body).toBe(200);
    expect((again.json() as { outcome: string; charge: { id: string } })).toMatchObject({ outcome: 'already-recorded', charge: { id: out.charge.id }, refundTask: { id: tasks[0]!.id, created: false } });
    expect(await counts()).toEqual(after);

    // Another such charge shares the open refund task.
    const second = await call('POST', `/api/v1/people/${p.id}/charges`, charge({ chargedFrom: '2025-05-01', chargedTo: '2025-05-31', paidOn: '2025-06-05' }));
    expect(second.statusCode).toBe(201);
    expect((second.json() as { refundTask: { id: string; created: boolean } }).refundTask).toEqual({ id: tasks[0]!.id, created: false });
    expect(await openRefundTasks(p.id)).toHaveLength(1);
    // The person page shows the task.
    const b = await signedIn(demo.practitioner);
    expect((await b.get(`/people/${p.id}`)).body).toContain(REFUND_TASK_TITLE);
  });

  it('takes section 117 from the plan when the charge names a plan service', async () => {
    const p = await entitledPerson();
    const res = await call('POST', `/api/v1/people/${p.id}/charges`, charge({ serviceDescription: undefined, s117: undefined, serviceId: p.s117Service }));
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as { charge: unknown }).charge).toMatchObject({ status: 'refund-due', s117: true, serviceId: p.s117Service, serviceDescription: 'Home support, Riverside Supported Living' });
    const lawful = await call('POST', `/api/v1/people/${p.id}/charges`, charge({ serviceDescription: undefined, s117: undefined, serviceId: p.otherService }));
    expect(lawful.statusCode).toBe(201);
    expect((lawful.json() as { charge: unknown; refundTask: unknown })).toMatchObject({ charge: { status: 'lawful', s117: false }, refundTask: null });
    expect(await openRefundTasks(p.id)).toHaveLength(1);
  });

  it('refuses a used externalId for a different charge, and bad fields, with field-pathed problems; nothing changes', async () => {
    const p = await entitledPerson();
    const body = charge({ s117: false });
    expect((await call('POST', `/api/v1/people/${p.id}/charges`, body)).statusCode).toBe(201);
    const before = await counts();
    const changed = expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, { ...body, amountPence: 99 }), 422, 'externalId');
    expect(changed.errors![0]!.message).toContain('was already used for a different charge');

    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ chargedFrom: '2025-02-30' })), 422, 'chargedFrom');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ paidOn: '05/05/2025' })), 422, 'paidOn');
    const negative = expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ amountPence: -500 })), 422, 'amountPence');
    expect(negative.errors!.find((e) => e.path === 'amountPence')!.message).toContain('must be more than 0');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ amountPence: 12.5 })), 422, 'amountPence');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ s117: undefined })), 422, 's117');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ chargedTo: '2025-03-01' })), 422, 'chargedTo');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ paidOn: addDays(todayInLondon(), 3) })), 422, 'paidOn');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ serviceId: '00000000-0000-4000-8000-000000000000' })), 422, 'serviceId');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ amount: 10 })), 422, 'amount');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge({ externalId: '' })), 422, 'externalId');
    expectProblem(await call('POST', '/api/v1/people/00000000-0000-4000-8000-000000000000/charges', charge()), 404);
    expect(await counts()).toEqual(before);
  });

  it('refuses an organisation with no relationship with the person (403), and lists charges for one that has', async () => {
    const p = await entitledPerson();
    const southmere = await tokenFor('E06000902');
    expectProblem(await call('POST', `/api/v1/people/${p.id}/charges`, charge(), southmere), 403);
    expectProblem(await call('GET', `/api/v1/people/${p.id}/charges`, undefined, southmere), 403);
    await call('POST', `/api/v1/people/${p.id}/charges`, charge());
    const list = await call('GET', `/api/v1/people/${p.id}/charges`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { charges: unknown[] }).charges).toHaveLength(1);
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    const post = spec.paths['/api/v1/people/{id}/charges']?.post;
    expect(post).toBeDefined();
    expect(JSON.stringify(post!.requestBody)).toContain('externalId');
    expect(spec.paths['/api/v1/people/{id}/charges']?.get).toBeDefined();
  });
});

describe('the refund', () => {
  async function withCharges(communicationNeeds: string[] = []) {
    const p = await entitledPerson({ communicationNeeds, address: '1 Mill Lane, Northvale', postcode: 'ZZ99 3AB' });
    for (const c of [
      { externalId: `r-${p.id}-1`, serviceDescription: 'Supported accommodation', s117: true, chargedFrom: '2024-12-01', chargedTo: '2024-12-31', amountPence: 100000, paidOn: '2025-01-01' },
      { externalId: `r-${p.id}-2`, serviceDescription: 'Home care', s117: true, chargedFrom: '2025-03-15', chargedTo: '2025-03-15', amountPence: 12345, paidOn: '2025-03-15' },
      { externalId: `r-${p.id}-3`, serviceDescription: 'Meals on wheels', s117: false, chargedFrom: '2025-03-01', chargedTo: '2025-03-31', amountPence: 4000, paidOn: '2025-04-02' },
    ]) {
      expect((await call('POST', `/api/v1/people/${p.id}/charges`, c)).statusCode).toBe(201);
    }
    return p;
  }

  it('shows each charge due to be refunded with days and interest to the chosen date, to the penny', async () => {
    const p = await withCharges();
    const b = await signedIn(demo.practitioner);
    // Hand-computed at the default 8% a year, simple, 365-day year, halves up, to 31 December 2025:
    //  £1,000.00 paid 1 Jan 2025: 364 days; 100000 × 0.08 × 364/365 = 7978.08p → £79.78; line £1,079.78
    //  £123.45 paid 15 Mar 2025: 291 days; 12345 × 0.08 × 291/365 = 787.37p → £7.87; line £131.32
    //  Totals £1,123.45 + (£79.78 + £7.87 = £87.65) = £1,211.10. The lawful charge (meals) is not refunded.
    for (const url of [`/people/${p.id}/charges/refund?to=2025-12-31`, `/people/${p.id}/charges/refund?to-day=31&to-month=12&to-year=2025`]) {
      const page = await b.get(url);
      expect(page.statusCode).toBe(200);
      const lines = [...page.body.matchAll(/<tr class="govuk-table__row" data-qa="refund-line">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
      expect(lines).toHaveLength(2);
      const cell = (line: string, qa: string) => new RegExp(`data-qa="${qa}">([^<]*)<`).exec(line)![1];
      expect(lines.map((l) => [cell(l, 'amount'), cell(l, 'days'), cell(l, 'interest'), cell(l, 'line-total')])).toEqual([
        ['£1,000.00', '364', '£79.78', '£1,079.78'],
        ['£123.45', '291', '£7.87', '£131.32'],
      ]);
      expect(page.body).toContain('data-qa="total-amount">£1,123.45<');
      expect(page.body).toContain('data-qa="total-interest">£87.65<');
      expect(page.body).toContain('data-qa="grand-total">£1,211.10<');
      expect(page.body).toContain('8% a year');
      expect(page.body).not.toContain('Meals on wheels');
      expect(page.body).toMatch(/name="to-day"[^>]*value="31"/);
    }
    // The partnership's rate applies: at 3.25%, £1,000.00 for 364 days is 3241.10p → £32.41.
    await t.database.db
      .insert(planSettings)
      .values({ partnershipId, resourceAllocation: {}, refundInterestBasisPoints: 325 })
      .onConflictDoUpdate({ target: planSettings.partnershipId, set: { refundInterestBasisPoints: 325 } });
    try {
      const page = await b.get(`/people/${p.id}/charges/refund?to=2025-12-31`);
      expect(page.body).toContain('3.25% a year');
      expect(page.body).toContain('data-qa="interest">£32.41<');
    } finally {
      await t.database.db.update(planSettings).set({ refundInterestBasisPoints: 800 }).where(eq(planSettings.partnershipId, partnershipId));
    }
  });

  it('refuses a date that is not a date with an error summary', async () => {
    const p = await withCharges();
    const b = await signedIn(demo.practitioner);
    const page = await b.get(`/people/${p.id}/charges/refund?to-day=30&to-month=2&to-year=2025`);
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('<a href="#to-day">The date to work the refund out to must be a real date');
    expect(page.body).not.toContain('data-qa="refund"');
  });

  it('produces the refund letter as a PDF with the same figures, kept with the person’s documents; large print when their record asks', async () => {
    const p = await withCharges(['large-print']);
    const b = await signedIn(demo.practitioner);
    const page = await b.get(`/people/${p.id}/charges/refund?to=2025-12-31`);
    expect(page.body).toContain('data-qa="large-print"');
    const res = await b.post(`/people/${p.id}/charges/refund/letter`, { to: '2025-12-31' });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="refund-of-charges-for-your-section-117-aftercare-large-print-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const docs = await t.database.db.select().from(personDocument).where(eq(personDocument.personId, p.id));
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: 'refund-letter', accessibleFormat: 'large-print', mediaType: 'application/pdf' });
    expect(docs[0]!.id).toBe(res.headers['x-document-id']);
    const pdf = await extractPdf(res.rawPayload);
    expect(pdf.text).toContain('Refund of charges for your section 117 aftercare');
    expect(pdf.text).toContain("£1,211.10");
    expect(pdf.text).toContain('£79.78');
    expect(pdf.text).toContain('Section 117 aftercare is free');
    expect(Math.min(...pdf.fontSizes)).toBeGreaterThanOrEqual(18);
  });

  it('records a refund paid, refuses a stale or short one, and completes the refund task when nothing is left to refund', async () => {
    const p = await withCharges();
    const due = (await chargesOf(p.id)).filter((c) => c.status === 'refund-due').sort((a, b) => a.paidOn.localeCompare(b.paidOn));
    expect(due).toHaveLength(2);
    expect(await openRefundTasks(p.id)).toHaveLength(1);
    const b = await signedIn(demo.practitioner);
    const list = await b.get(`/people/${p.id}/charges`);
    expect(list.body).toContain('data-qa="refund-warning"');
    expect(list.body).toContain(`href="/people/${p.id}/charges/${due[0]!.id}/refund-paid"`);

    const form = await b.get(`/people/${p.id}/charges/${due[0]!.id}/refund-paid`);
    expect(form.statusCode).toBe(200);
    const short = await b.post(`/people/${p.id}/charges/${due[0]!.id}/refund-paid`, { version: String(due[0]!.version), ...dateForm('refundedOn', '2025-12-31'), amount: '999.99' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('The amount refunded must be at least the £1,000.00 charged');

    const paid = await b.post(`/people/${p.id}/charges/${due[0]!.id}/refund-paid`, { version: String(due[0]!.version), ...dateForm('refundedOn', '2025-12-31'), amount: '1079.78' });
    expect(paid.statusCode, paid.body.slice(0, 2000)).toBe(302);
    expect((await chargesOf(p.id)).find((c) => c.id === due[0]!.id)).toMatchObject({ status: 'refunded', refundedOn: '2025-12-31', refundedPence: 107978 });
    expect(await openRefundTasks(p.id)).toHaveLength(1);

    // A second save from the same, now stale, form: 409 and nothing changes.
    const before = await counts();
    const stale = await b.post(`/people/${p.id}/charges/${due[0]!.id}/refund-paid`, { version: String(due[0]!.version), ...dateForm('refundedOn', '2025-12-30'), amount: '2000' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Somebody else changed this record');
    expect(await counts()).toEqual(before);
    expect((await chargesOf(p.id)).find((c) => c.id === due[0]!.id)!.refundedPence).toBe(107978);

    await b.get(`/people/${p.id}/charges/${due[1]!.id}/refund-paid`);
    expect((await b.post(`/people/${p.id}/charges/${due[1]!.id}/refund-paid`, { version: String(due[1]!.version), ...dateForm('refundedOn', '2025-12-31'), amount: '131.32' })).statusCode).toBe(302);
    expect(await openRefundTasks(p.id)).toHaveLength(0);
    const done = await t.database.db.select().from(task).where(and(eq(task.personId, p.id), eq(task.kind, 'refund')));
    expect(done).toMatchObject([{ status: 'done' }]);
    const page = await b.get(`/people/${p.id}/charges`);
    expect(page.body).not.toContain('data-qa="refund-warning"');
    expect(page.body).toContain('£1,079.78 on 31 December 2025');
    const refund = await b.get(`/people/${p.id}/charges/refund`);
    expect(refund.body).toContain('There are no charges to refund.');
  });
});

describe('issue 12, the one door to the data: charges take the date from the application’s clock', () => {
  it('refuses a charge paid after the clock’s today and dates the refund task 28 days from it', async () => {
    const own = await createTestApp({}, { clock: clockAt('2025-06-01') });
    try {
      const org = (await own.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
      const token = (await createToken(cliContext(own.database, own.config, org.partnershipId, org), { organisationId: org.id, name: 'Charges clock test' })).token;
      const send = (method: 'POST', url: string, payload: object) => own.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
      const created = await send('POST', '/api/v1/people', { nhsNumber: nextNhs(), givenName: 'Casey', familyName: 'Clocked', dateOfBirth: '1975-02-03' });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as { id: string }).id;
      for (const event of [
        { type: 'detention-started', date: '2024-01-10', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' },
        { type: 'detention-ended', date: '2024-03-01', reason: 'discharged' },
        { type: 'left-hospital', date: '2024-03-01' },
      ]) {
        const res = await send('POST', `/api/v1/people/${id}/events`, { event });
        expect(res.statusCode, res.body).toBe(201);
      }
      const charge = { serviceDescription: 'Home care', s117: true, chargedFrom: '2025-04-01', chargedTo: '2025-04-30', amountPence: 12550 };
      // 10 June 2025 is after the app's today (1 June 2025), though long past by the wall clock.
      const future = await send('POST', `/api/v1/people/${id}/charges`, { ...charge, externalId: 'clock-1', paidOn: '2025-06-10' });
      expect(future.statusCode, future.body).toBe(422);
      expect((future.json() as Problem).errors?.map((e) => e.path)).toContain('paidOn');
      const ok = await send('POST', `/api/v1/people/${id}/charges`, { ...charge, externalId: 'clock-2', paidOn: '2025-05-05' });
      expect(ok.statusCode, ok.body).toBe(201);
      const tasks = await own.database.db.select().from(task).where(and(eq(task.personId, id), eq(task.kind, 'refund')));
      expect(tasks.map((x) => x.dueOn)).toEqual(['2025-06-29']);
    } finally {
      await own.close();
    }
  });
});
