import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { cliContext } from '../../cli/context.ts';
import { addDays, addMonths } from '../../domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/tokens.service.ts';
import { legalEvent, person } from '../register/schema.ts';
import { dispute } from './schema.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { clockAt, contextFor } from '../../../test/fixtures.ts';
import { changeStage, listDisputes } from './disputes.service.ts';

/*
 * Issue 6 item 5 (disputes), through HTTP: recording a dispute needs an interim lead funder
 * (R25); it records the legal event so the engine flags an ordinary-residence dispute due for
 * referral to the Secretary of State at 4 months (R24); stages; resolution with a back payment.
 */
let t: TestApp;
let northvale: string;
const numbers = syntheticNhsNumbers(880_000);
const nextNhs = () => numbers.next().value as string;
const today = todayInLondon();

async function tokenFor(code: string, name: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name })).token;
}
function call(method: 'GET' | 'POST', url: string, token: string = northvale, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}
async function orgId(code: string): Promise<string> {
  return (await t.database.db.select({ id: organisation.id }).from(organisation).where(eq(organisation.code, code)))[0]!.id;
}

beforeAll(async () => {
  t = await createTestApp();
  northvale = await tokenFor('E06000901', 'Northvale case system');
});
afterAll(async () => {
  await t.close();
});

async function entitledPerson(): Promise<string> {
  const res = await call('POST', '/api/v1/people', northvale, { nhsNumber: nextNhs(), givenName: 'Dispute', familyName: `Person${Math.random().toString(36).slice(2, 8)}`, dateOfBirth: '1975-01-20' });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  for (const event of [
    { type: 'detention-started', date: '2024-01-10', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' },
    { type: 'detention-ended', date: '2024-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2024-03-01' },
  ]) {
    const r = await call('POST', `/api/v1/people/${id}/events`, northvale, { event });
    expect(r.statusCode, r.body).toBe(201);
  }
  return id;
}

const parts = (iso: string, name: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

async function manager(): Promise<Browser> {
  const b = new Browser(t.app);
  expect((await b.signIn(demo.manager)).statusCode).toBe(302);
  return b;
}

describe('disputes', () => {
  it('takes today from the app’s clock, not the machine’s: the dispute’s age, and the latest date a stage change may have', async () => {
    const id = await entitledPerson();
    const b = await manager();
    await b.get(`/people/${id}/disputes/new`);
    const res = await b.post(`/people/${id}/disputes/new`, {
      kind: 'ordinary-residence',
      partyAOrganisationId: await orgId('E06000901'),
      partyBOrganisationId: await orgId('E06000902'),
      ...parts(addMonths(today, -1), 'aroseOn'),
      interimLeadOrganisationId: await orgId('E06000901'),
      summary: 'Southmere says the person was ordinarily resident in Northvale',
    });
    expect(res.statusCode, res.body).toBe(302);
    const row = (await t.database.db.select().from(dispute).where(eq(dispute.personId, id)))[0]!;
    const later = addDays(today, 10);
    const now = await contextFor(t, demo.manager);
    const ahead = await contextFor(t, demo.manager, { clock: clockAt(addMonths(today, 2)) });

    // Three months old by the clock, one by the machine.
    expect((await listDisputes(now, { open: true })).find((d) => d.id === row.id)!.age.months).toBe(1);
    expect((await listDisputes(ahead, { open: true })).find((d) => d.id === row.id)!.age.months).toBe(3);

    // A change dated after the machine's today is in the future for it, in the past for the clock.
    await expect(changeStage(now, row.id, row.version, { stage: 'senior-escalation', changedOn: later })).rejects.toBeInstanceOf(InputError);
    const changed = await changeStage(ahead, row.id, row.version, { stage: 'senior-escalation', changedOn: later });
    expect(changed).toMatchObject({ stage: 'senior-escalation', stageChangedOn: later, version: row.version + 1 });
    expect((await t.database.db.select().from(dispute).where(eq(dispute.id, row.id)))[0]!.stage).toBe('senior-escalation');
  });

  it('refuses a dispute with no interim lead funder, and saves nothing', async () => {
    const id = await entitledPerson();
    const b = await manager();
    const form = await b.get(`/people/${id}/disputes/new`);
    expect(form.statusCode, form.body).toBe(200);
    const res = await b.post(`/people/${id}/disputes/new`, {
      kind: 'ordinary-residence',
      partyAOrganisationId: await orgId('E06000901'),
      partyBOrganisationId: await orgId('E06000902'),
      ...parts(addMonths(today, -1), 'aroseOn'),
      interimLeadOrganisationId: '',
      summary: 'Southmere says the person lived there',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Choose who funds care while the dispute is settled: care must not wait');
    expect(res.body).toContain('href="#interimLeadOrganisationId"');
    expect(await t.database.db.select().from(dispute).where(eq(dispute.personId, id))).toHaveLength(0);
    expect((await t.database.db.select().from(legalEvent).where(eq(legalEvent.personId, id))).map((e) => e.type)).not.toContain('dispute-opened');

    // The API says the same.
    const api = await call('POST', `/api/v1/people/${id}/disputes`, northvale, { kind: 'funding', partyA: 'E06000901', partyB: 'QZV', aroseOn: today, summary: 'Who pays' });
    expect(api.statusCode).toBe(422);
    expect(String(api.headers['content-type'])).toContain('application/problem+json');
    expect((api.json() as { errors: Array<{ path: string; message: string }> }).errors).toContainEqual({ path: 'interimLead', message: 'Choose who funds care while the dispute is settled: care must not wait' });
    expect(await t.database.db.select().from(dispute).where(eq(dispute.personId, id))).toHaveLength(0);
  });

  it('shows an ordinary-residence dispute over 4 months old as due for referral, on /disputes and the person’s page; the engine flags it', async () => {
    const id = await entitledPerson();
    const b = await manager();
    await b.get(`/people/${id}/disputes/new`);
    const arose = addMonths(today, -5);
    const res = await b.post(`/people/${id}/disputes/new`, {
      kind: 'ordinary-residence',
      partyAOrganisationId: await orgId('E06000901'),
      partyBOrganisationId: await orgId('E06000902'),
      ...parts(arose, 'aroseOn'),
      interimLeadOrganisationId: await orgId('E06000901'),
      summary: 'Southmere says the person was ordinarily resident in Northvale',
    });
    expect(res.statusCode, res.body).toBe(302);
    const row = (await t.database.db.select().from(dispute).where(eq(dispute.personId, id)))[0]!;
    expect(row.openedEventId).not.toBeNull();
    const p = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
    expect(p.flags).toContain('sos-referral-due');

    const list = await b.get('/disputes');
    expect(list.statusCode).toBe(200);
    const rowHtml = list.body.slice(list.body.indexOf(`/disputes/${row.id}`));
    expect(rowHtml.slice(0, rowHtml.indexOf('</tr>'))).toContain('Referral due');
    expect(rowHtml).toMatch(/5 months/);

    const personPage = await b.get(`/people/${id}`);
    expect(personPage.body).toContain('data-qa="open-disputes"');
    expect(personPage.body).toMatch(/data-qa="dispute-age">5 months/);
    // The section comes from the disputes module (registered in app.ts), shown as before.
    const section = personPage.body.slice(personPage.body.indexOf('<h2 class="govuk-heading-m">Open disputes</h2>'));
    const items = section.slice(0, section.indexOf('</ul>'));
    expect(items).toContain(`href="/disputes/${row.id}"`);
    expect(items).toMatch(/, [A-Z][^<,]+ funds care meanwhile <strong class="govuk-tag govuk-tag--red">Referral due<\/strong>/);
    expect(items).not.toContain('Unknown body');
    const noDispute = await b.get(`/people/${await entitledPerson()}`);
    expect(noDispute.statusCode).toBe(200);
    expect(noDispute.body).not.toContain('Open disputes');

    // A funding dispute is never "referral due".
    const api = await call('POST', `/api/v1/people/${id}/disputes`, northvale, { kind: 'funding', partyA: 'E06000901', partyB: 'QZV', aroseOn: addMonths(today, -6), interimLead: 'QZV', summary: 'Who pays for the supported living' });
    expect(api.statusCode, api.body).toBe(201);
    expect(api.json()).toMatchObject({ kind: 'funding', referralDue: false, referralDueOn: null, interimLead: 'NHS Northvale and Southmere Integrated Care Board', stage: 'local-negotiation' });
    const open = await call('GET', '/api/v1/disputes?open=true');
    expect(open.statusCode).toBe(200);
    const mine = (open.json() as { disputes: Array<{ personId: string; kind: string; referralDue: boolean; ageMonths: number }> }).disputes.filter((d) => d.personId === id);
    expect(mine).toHaveLength(2);
    expect(mine.find((d) => d.kind === 'ordinary-residence')).toMatchObject({ referralDue: true, ageMonths: 5 });
    const personList = await call('GET', `/api/v1/people/${id}/disputes`);
    expect((personList.json() as { disputes: unknown[] }).disputes).toHaveLength(2);
  });

  it('moves through the stages and is resolved with a back payment, recording the dispute-resolved event', async () => {
    const id = await entitledPerson();
    const b = await manager();
    await b.get(`/people/${id}/disputes/new`);
    const created = await b.post(`/people/${id}/disputes/new`, {
      kind: 'ordinary-residence',
      partyAOrganisationId: await orgId('E06000901'),
      partyBOrganisationId: await orgId('E06000902'),
      ...parts(addMonths(today, -5), 'aroseOn'),
      interimLeadOrganisationId: await orgId('E06000901'),
      summary: 'Where did they live?',
    });
    const url = created.headers.location!;
    let page = await b.get(url);
    const version = () => /name="version" value="(\d+)"/.exec(page.body)![1]!;
    // Not the NHS dispute process for an ordinary-residence dispute.
    const wrong = await b.post(`${url}/stage`, { version: version(), stage: 'nhs-dispute-process', ...parts(today, 'changedOn') });
    expect(wrong.statusCode).toBe(422);
    page = await b.get(url);
    const referred = await b.post(`${url}/stage`, { version: version(), stage: 'sos-referral', ...parts(addDays(today, -3), 'changedOn') });
    expect(referred.statusCode, referred.body).toBe(302);
    page = await b.get(url);
    expect(page.body).toContain('Referred to the Secretary of State');
    expect(page.body).not.toContain('Referral to the Secretary of State is due');

    const missingTo = await b.post(`${url}/resolve`, { version: version(), outcome: 'Determined: Southmere responsible', ...parts(today, 'resolvedOn'), responsibleOrganisationId: await orgId('E06000902'), backPayment: '4,250.50', backPaymentFromOrganisationId: await orgId('E06000902'), backPaymentToOrganisationId: '' });
    expect(missingTo.statusCode).toBe(422);
    expect(missingTo.body).toContain('If a back payment is owed: choose who is paid');
    page = await b.get(url);
    const resolved = await b.post(`${url}/resolve`, { version: version(), outcome: 'Determined: Southmere responsible', ...parts(today, 'resolvedOn'), responsibleOrganisationId: await orgId('E06000902'), backPayment: '4,250.50', backPaymentFromOrganisationId: await orgId('E06000902'), backPaymentToOrganisationId: await orgId('E06000901') });
    expect(resolved.statusCode, resolved.body).toBe(302);
    page = await b.get(url);
    expect(page.body).toContain('£4,250.50 from Southmere Borough Council to Northvale Council');
    const row = (await t.database.db.select().from(dispute).where(eq(dispute.personId, id)))[0]!;
    expect(row).toMatchObject({ stage: 'resolved', backPaymentPence: 425_050, referredOn: addDays(today, -3) });
    expect(row.resolvedEventId).not.toBeNull();
    const events = (await t.database.db.select().from(legalEvent).where(eq(legalEvent.personId, id))).map((e) => e.type);
    expect(events).toContain('dispute-resolved');
    const p = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
    expect(p.flags).not.toContain('sos-referral-due');
    const list = await b.get('/disputes');
    expect(list.body).not.toContain(url);
  });
});

describe('downloading the disputes list (issue 7: any list as CSV and XLSX)', () => {
  it('downloads the open disputes the user can see, with their age and stage, and audits it', async () => {
    const b = await manager();
    const page = await b.get('/disputes');
    expect(page.body).toContain('href="/disputes.csv"');
    const shown = page.body.split('data-qa="dispute"').length - 1;
    const res = await b.get('/disputes.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="aftercare-disputes-${today}.csv"`);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('NHS number,Person,Kind,Between,Arose,Days open,Stage,Referral to the Secretary of State due by,Interim lead,Resolved,Found responsible');
    expect(lines).toHaveLength(shown + 1);
    expect(lines.some((l) => l.includes('Ordinary residence') && l.includes(addMonths(today, -5)))).toBe(true);
    const all = await b.get('/disputes.xlsx?all=true');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const audits = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'list.exported'));
    expect(audits.map((a) => a.after)).toEqual(expect.arrayContaining([expect.objectContaining({ list: 'disputes', format: 'csv', rowCount: shown })]));
  });
});

describe('the API documentation', () => {
  it('describes the disputes and panel-case operations', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode, res.body).toBe(200);
    const paths = (res.json() as { paths: Record<string, Record<string, unknown>> }).paths;
    expect(Object.keys(paths['/api/v1/people/{id}/disputes']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(paths['/api/v1/disputes']!.get).toBeDefined();
    expect(paths['/api/v1/people/{id}/panel-cases']!.post).toBeDefined();
    expect(paths['/api/v1/panel-cases/{id}']!.get).toBeDefined();
  });
});
