import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { legalEvent, person } from './schema.ts';

/*
 * Forms that know the record and speak names (issue #13, item 3): "Add a person" where people
 * start, bodies chosen by name from the partnership's own and the reference list, the detention
 * form starting from the person's record, and a discharge recorded in one step.
 */

const trust = 'trust@demo.aftercare.example';
const nextNhs = nhsNumbers(7300);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock: clockAt('2026-12-04') });
});
afterAll(async () => {
  await t.close();
});

let added = 0;
const personForm = (nhsNumber: string, extra: Record<string, string> = {}) => ({
  nhsNumber,
  givenName: 'Kofi',
  // A different name each time: the same name and date of birth would be a possible duplicate.
  familyName: `Formtest${'abcdefghijklmnop'[added++ % 16]}${nhsNumber.slice(-3)}`,
  ...dateForm('dateOfBirth', '1984-02-11'),
  sex: 'male',
  engagement: 'engaged',
  interpreterNeeded: 'false',
  dischargePlanning: 'not-started',
  ...extra,
});

async function addPerson(b: Browser, extra: Record<string, string> = {}): Promise<string> {
  await b.get('/people/new');
  const res = await b.post('/people/new', personForm(nextNhs(), extra));
  expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
  return /\/people\/([0-9a-f-]+)\/history/.exec(res.headers.location as string)![1]!;
}

async function detain(b: Browser, id: string, on: string) {
  await b.get(`/people/${id}/events/new/detention-started`);
  const form = { ...dateForm('date', on), legalStatusCode: '03', hospital: 'Northvale Hospital', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' };
  expect((await b.post(`/people/${id}/events/new/detention-started`, form)).statusCode).toBe(200);
  expect((await b.post(`/people/${id}/events/new/detention-started`, { ...form, confirm: 'yes' })).statusCode).toBe(302);
}

const errorSummary = (html: string) => /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
const statusOf = async (id: string) => (await t.database.db.select({ status: person.status, entitlementStart: person.entitlementStart }).from(person).where(eq(person.id, id)))[0]!;

describe('"Add a person" where people start', () => {
  it('shows the trust practitioner "Add a person" on the register, the hospital pipeline and their Home page', async () => {
    const b = await signedIn(t, trust);
    for (const page of ['/register', '/pipeline', '/']) {
      const res = await b.get(page);
      expect(res.statusCode).toBe(200);
      expect(res.body, page).toMatch(/<a href="\/people\/new"[^>]*data-qa="add-person"[^>]*>\s*Add a person/);
    }
  });

  it('does not show it to a read-only user, who may not add people', async () => {
    const b = await signedIn(t, demo.readOnly);
    for (const page of ['/register', '/pipeline', '/']) {
      const res = await b.get(page);
      expect(res.statusCode).toBe(200);
      expect(res.body, page).not.toContain('data-qa="add-person"');
      expect(res.body, page).not.toContain('href="/people/new"');
    }
    expect((await b.get('/people/new')).statusCode).toBe(403);
  });
});

describe('organisations chosen by name', () => {
  it('offers the partnership’s own bodies first, then every English and Welsh body, by name and without asking for a code', async () => {
    const b = await signedIn(t, trust);
    const res = await b.get('/people/new');
    expect(res.statusCode).toBe(200);
    const la = /<select[^>]*name="residenceLocalAuthority"[\s\S]*?<\/select>/.exec(res.body)![0];
    expect(la).toContain('<option value="E06000901">Northvale Council</option>');
    expect(la).toContain('<option value="E06000001">Hartlepool Borough Council</option>');
    expect(la).toContain('<option value="W06000015">Cardiff Council</option>');
    expect(la.indexOf('Northvale Council')).toBeLessThan(la.indexOf('Hartlepool Borough Council'));
    const icb = /<select[^>]*name="gpIcb"[\s\S]*?<\/select>/.exec(res.body)![0];
    expect(icb).toContain('<option value="E54000901">NHS Northvale and Southmere Integrated Care Board</option>');
    expect(icb).toContain('<option value="E54000057">NHS Greater Manchester Integrated Care Board</option>');
    expect(icb).toContain('Swansea Bay University Health Board');
    expect(res.body).not.toMatch(/ONS code|E54 and 6 digits|like E06/);
  });

  it('saves a body chosen from the list, and refuses one that is not on it in plain words, saving nothing', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b, { residenceLocalAuthority: 'E06000001', gpIcb: 'E54000050' });
    const row = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
    expect(row.residenceLocalAuthority).toBe('E06000001');
    expect(row.gpIcb).toBe('E54000050');

    await b.get('/people/new');
    const nhs = nextNhs();
    const res = await b.post('/people/new', personForm(nhs, { residenceLocalAuthority: 'Northvale', gpIcb: 'E54000999' }));
    expect(res.statusCode).toBe(422);
    const summary = errorSummary(res.body);
    expect(summary).toContain('Select the local authority they live in from the list');
    expect(summary).toContain('Select the ICB of their GP practice from the list');
    expect(summary).toContain('href="#residenceLocalAuthority"');
    expect(await t.database.db.select().from(person).where(eq(person.nhsNumber, nhs))).toHaveLength(0);
  });

  it('keeps a body already on a record that the list does not hold when the details are changed', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b);
    // An older record, from the API, with a shire district's code.
    await t.database.db.update(person).set({ residenceLocalAuthority: 'E07000178' }).where(eq(person.id, id));
    const form = await b.get(`/people/${id}/edit`);
    expect(form.body).toContain('<option value="E07000178" selected>a local authority outside this partnership (code E07000178)</option>');
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const res = await b.post(`/people/${id}/edit`, { ...personForm((await t.database.db.select().from(person).where(eq(person.id, id)))[0]!.nhsNumber, { residenceLocalAuthority: 'E07000178' }), version });
    expect(res.statusCode).toBe(302);
  });
});

describe('the detention form starts from the person’s record', () => {
  it('chooses their local authority and their GP’s ICB for them, which they can change', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b, { residenceLocalAuthority: 'E06000902', gpIcb: 'E54000901' });
    const form = await b.get(`/people/${id}/events/new/detention-started`);
    expect(form.statusCode).toBe(200);
    const ordinary = /<select[^>]*name="ordinaryResidence"[\s\S]*?<\/select>/.exec(form.body)![0];
    expect(ordinary).toContain('<option value="E06000902" selected>Southmere Borough Council</option>');
    expect(ordinary).toContain('<option value="none">No settled residence in England or Wales</option>');
    expect(/<select[^>]*name="icbOfGpRegistration"[\s\S]*?<\/select>/.exec(form.body)![0]).toContain('<option value="E54000901" selected>NHS Northvale and Southmere Integrated Care Board</option>');

    // Changed to a body outside the partnership: the check page names it.
    const answers = { ...dateForm('date', '2026-10-01'), legalStatusCode: '03', hospital: 'Northvale Hospital', ordinaryResidence: 'E06000030', icbOfGpRegistration: 'E54000040' };
    const check = await b.post(`/people/${id}/events/new/detention-started`, answers);
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Swindon Borough Council');
    expect(check.body).toContain('NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board');
    expect((await b.post(`/people/${id}/events/new/detention-started`, { ...answers, confirm: 'yes' })).statusCode).toBe(302);
    const event = (await t.database.db.select().from(legalEvent).where(eq(legalEvent.personId, id)))[0]!;
    expect(event.payload).toMatchObject({ ordinaryResidence: 'E06000030', icbOfGpRegistration: 'E54000040' });
    // The history names the body outside the partnership.
    expect((await b.get(`/people/${id}/history`)).body).toContain('ordinarily resident in the area of Swindon Borough Council');
  });

  it('refuses a body that is not on the list, and a missing one, in plain words (the confirmation too)', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b);
    const form = await b.get(`/people/${id}/events/new/detention-started`);
    expect(form.body).not.toMatch(/<option value="[^"]*" selected>/);
    const answers = { ...dateForm('date', '2026-10-01'), legalStatusCode: '03', ordinaryResidence: 'E06000999', icbOfGpRegistration: '' };
    for (const extra of [{}, { confirm: 'yes' }] as Array<Record<string, string>>) {
      const res = await b.post(`/people/${id}/events/new/detention-started`, { ...answers, ...extra });
      expect(res.statusCode).toBe(422);
      const summary = errorSummary(res.body);
      expect(summary).toContain('Select the local authority they lived in before this detention');
      expect(summary).toContain('Select the ICB of their GP practice from the list');
      expect(summary).not.toMatch(/ONS code|9-character/);
    }
    expect(await t.database.db.select().from(legalEvent).where(eq(legalEvent.personId, id))).toHaveLength(0);
  });
});

describe('discharged and left hospital on the same day, in one step', () => {
  it('is offered beside the events it records', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b);
    const page = await b.get(`/people/${id}/events/new`);
    expect(page.body).toContain('value="discharged-and-left-hospital"');
    expect(page.body).toContain('Discharged and left hospital on the same day');
    const res = await b.post(`/people/${id}/events/new`, { type: 'discharged-and-left-hospital' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/people/${id}/events/new/discharged-and-left-hospital`);
  });

  it('records the end of the detention and leaving hospital together: the person is entitled, with both events in the history', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b);
    await detain(b, id, '2026-09-01');
    expect((await statusOf(id)).status).toBe('pending');

    const url = `/people/${id}/events/new/discharged-and-left-hospital`;
    const form = await b.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Date they were discharged and left hospital');
    const answers = { ...dateForm('date', '2026-12-01'), reason: 'discharged', dischargedToLocalAuthority: 'E06000901' };
    const check = await b.post(url, answers);
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check the details before recording');
    expect(check.body).toContain('Northvale Council');
    expect(check.body).toContain('1 December 2026');
    const done = await b.post(url, { ...answers, confirm: 'yes' });
    expect(done.statusCode, done.body.slice(0, 1500)).toBe(302);

    expect(await statusOf(id)).toEqual({ status: 'entitled', entitlementStart: '2026-12-01' });
    const events = await t.database.db.select({ type: legalEvent.type, on: legalEvent.occurredOn }).from(legalEvent).where(and(eq(legalEvent.personId, id))).orderBy(legalEvent.occurredOn, legalEvent.sequence);
    expect(events).toEqual([
      { type: 'detention-started', on: '2026-09-01' },
      { type: 'detention-ended', on: '2026-12-01' },
      { type: 'left-hospital', on: '2026-12-01' },
    ]);
    const history = await b.get(done.headers.location as string);
    expect(history.body).toContain('Discharge recorded: the detention ended and they left hospital on 1 December 2026. Section 117 status: Entitled from 1 December 2026.');
    expect(history.body).toContain('Detention ended');
    expect(history.body).toContain('Left hospital');
    expect(history.body).toContain('discharged to Northvale Council');
    const page = await b.get(`/people/${id}`);
    expect(page.body).toMatch(/data-qa="status"[^>]*>\s*Entitled/);
    expect(page.body).not.toContain('Pending: detained');
  });

  it('refuses a missing answer or a way of ending that does not leave hospital in plain words, recording nothing', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b);
    await detain(b, id, '2026-09-01');
    const url = `/people/${id}/events/new/discharged-and-left-hospital`;
    await b.get(url);
    const res = await b.post(url, { reason: 'regraded-informal', dischargedToLocalAuthority: 'Northvale', confirm: 'yes' });
    expect(res.statusCode).toBe(422);
    const summary = errorSummary(res.body);
    expect(summary).toContain('Select how the detention ended');
    expect(summary).toContain('Select the local authority they were discharged to from the list');
    expect(summary).toContain('href="#date-day"');
    expect((await t.database.db.select().from(legalEvent).where(eq(legalEvent.personId, id))).map((e) => e.type)).toEqual(['detention-started']);
    expect((await statusOf(id)).status).toBe('pending');
  });

  it('refuses someone who may not change the record before looking at what they sent (403 before 422)', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b);
    const reader = await signedIn(t, demo.readOnly);
    expect((await reader.get(`/people/${id}/events/new/discharged-and-left-hospital`)).statusCode).toBe(403);
    expect((await reader.post(`/people/${id}/events/new/discharged-and-left-hospital`, { reason: 'nonsense' })).statusCode).toBe(403);
  });
});

describe('moving area, to a local authority chosen by name', () => {
  it('offers the local authorities by name, refuses one not on the list in plain words, and says what stays by name', async () => {
    const b = await signedIn(t, trust);
    const id = await addPerson(b, { residenceLocalAuthority: 'E06000901' });
    const form = await b.get(`/people/${id}/move`);
    expect(form.statusCode).toBe(200);
    expect(/<select[^>]*name="residenceLocalAuthority"[\s\S]*?<\/select>/.exec(form.body)![0]).toContain('<option value="E06000030">Swindon Borough Council</option>');
    expect(form.body).not.toContain('ONS code');

    const refused = await b.post(`/people/${id}/move`, { residenceLocalAuthority: 'Swindon', address: '1 High Street', postcode: 'ZZ99 3AB' });
    expect(refused.statusCode).toBe(422);
    expect(errorSummary(refused.body)).toContain('Select the local authority they are moving to from the list');

    const check = await b.post(`/people/${id}/move`, { residenceLocalAuthority: 'E06000030', address: '1 High Street', postcode: 'ZZ99 3AB' });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Where they live: from Northvale Council to Swindon Borough Council.');

    const reader = await signedIn(t, demo.readOnly);
    expect((await reader.post(`/people/${id}/move`, { residenceLocalAuthority: 'Swindon' })).statusCode).toBe(403);
  });
});
