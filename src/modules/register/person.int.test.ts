import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, dateForm, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { auditEvent } from '../../platform/db/schema.ts';
import { addMonths, addWeeks } from '../../domain/calendar-date.ts';
import { person, task } from './schema.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);

async function addPerson(b: Browser, nhsNumber: string, givenName = 'Alex', familyName = 'Testperson', dob = '1980-05-17') {
  await b.get('/people/new');
  const res = await b.post('/people/new', { nhsNumber, givenName, familyName, ...dateForm('dateOfBirth', dob), sex: 'not-known', engagement: 'engaged', interpreterNeeded: 'false', dischargePlanning: 'not-started' });
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
  return /\/people\/([0-9a-f-]+)\/history/.exec(res.headers.location as string)![1]!;
}

/** Record an event through the form, its check-answers page and the confirmation. */
async function recordEvent(b: Browser, personId: string, type: string, fields: Record<string, string | string[]>) {
  await b.get(`/people/${personId}/events/new/${type}`);
  const check = await b.post(`/people/${personId}/events/new/${type}`, fields);
  if (check.statusCode !== 200) return check;
  expect(check.body).toContain('Check the details before recording');
  return b.post(`/people/${personId}/events/new/${type}`, { ...fields, confirm: 'yes' });
}

describe('a person’s record', () => {
  it('records an s3 detention and discharge, and shows entitlement with its authority, ICB, first review and reasons', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await addPerson(b, '9990000018');
    let res = await recordEvent(b, id, 'detention-started', { ...dateForm('date', '2025-01-10'), legalStatusCode: '03', hospital: 'Northvale Hospital', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
    expect(res.statusCode).toBe(302);
    res = await recordEvent(b, id, 'detention-ended', { ...dateForm('date', '2025-03-01'), reason: 'discharged' });
    expect(res.statusCode).toBe(302);
    res = await recordEvent(b, id, 'left-hospital', { ...dateForm('date', '2025-03-01') });
    expect(res.statusCode).toBe(302);
    const history = await b.get(res.headers.location as string);
    expect(history.body).toContain('Left hospital recorded. Section 117 status: Entitled from 1 March 2025');

    const page = await b.get(`/people/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/data-qa="status"[^>]*>\s*Entitled/);
    expect(page.body).toContain('Northvale Council');
    expect(page.body).toContain('NHS Northvale and Southmere Integrated Care Board');
    expect(page.body).toContain(`data-qa="next-review"`);
    const row = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
    expect(row.status).toBe('entitled');
    expect(row.entitlementStart).toBe('2025-03-01');
    expect(row.responsibleLocalAuthority).toBe('E06000901');
    expect(row.responsibleIcb).toBe('E54000901');
    // First review 6 weeks after the start, then yearly (R27, configurable).
    expect(row.nextReviewDue).toBe(addWeeks('2025-03-01', 6));
    expect(page.body).toContain('href="/rules#R5"');
  });

  it('supersedes the episode on a new qualifying detention (Worcestershire) and shows both episodes', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await addPerson(b, '9990000026', 'Jordan', 'Placed');
    await recordEvent(b, id, 'detention-started', { ...dateForm('date', '2023-02-01'), legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
    await recordEvent(b, id, 'detention-ended', { ...dateForm('date', '2023-05-01'), reason: 'discharged' });
    await recordEvent(b, id, 'left-hospital', { ...dateForm('date', '2023-05-01') });
    await recordEvent(b, id, 'detention-started', { ...dateForm('date', '2024-06-01'), legalStatusCode: '03', ordinaryResidence: 'E06000902', icbOfGpRegistration: 'E54000901' });
    await recordEvent(b, id, 'detention-ended', { ...dateForm('date', '2024-09-01'), reason: 'discharged' });
    const res = await recordEvent(b, id, 'left-hospital', { ...dateForm('date', '2024-09-01') });
    expect(res.statusCode).toBe(302);
    const row = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
    expect(row.responsibleLocalAuthority).toBe('E06000902');
    const history = await b.get(`/people/${id}/history`);
    expect(history.body).toContain('superseded');
    expect(history.body).toContain('Southmere Borough Council');
  });

  it('refuses an impossible event with the engine’s reason and changes nothing', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await addPerson(b, '9990000034', 'Robin', 'Nohistory');
    const changes = async () => rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_event where action <> 'person.viewed'`))[0]!.n;
    const before = await changes();
    const res = await recordEvent(b, id, 'detention-ended', { ...dateForm('date', '2025-01-01'), reason: 'discharged' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(await changes()).toBe(before);
    const events = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from legal_event where person_id = ${id}`))[0]!.n;
    expect(events).toBe(0);
  });

  it('gives specific errors for a bad NHS number and an impossible date', async () => {
    const b = await signedIn(demo.practitioner);
    await b.get('/people/new');
    const res = await b.post('/people/new', { nhsNumber: '9990000019', givenName: 'X', familyName: 'Y', ...dateForm('dateOfBirth', '1990-02-30') });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('fails the NHS number check digit');
    expect(res.body).toContain('Date of birth must be a real date');
    expect(res.body).toContain('href="#dateOfBirth-day"');
  });

  it('warns about a likely duplicate and adds only when confirmed', async () => {
    const b = await signedIn(demo.practitioner);
    await addPerson(b, '9990000042', 'Sam', 'Double', '1975-01-01');
    await b.get('/people/new');
    const form = { nhsNumber: '9990000050', givenName: 'Sam', familyName: 'Double', ...dateForm('dateOfBirth', '1975-01-01') };
    const warned = await b.post('/people/new', form);
    expect(warned.statusCode).toBe(200);
    expect(warned.body).toContain('Possible duplicate');
    expect(await t.database.db.select().from(person).where(eq(person.nhsNumber, '9990000050'))).toHaveLength(0);
    const confirmed = await b.post('/people/new', { ...form, confirmDuplicate: 'yes' });
    expect(confirmed.statusCode).toBe(302);
  });
});

describe('likely duplicates across organisations', () => {
  it('warns without revealing the NHS number of someone the organisation cannot see', async () => {
    const north = await signedIn(demo.practitioner);
    await addPerson(north, '9990001022', 'Hidden', 'Twin', '1966-06-06');
    const south = await signedIn(demo.senior);
    await south.get('/people/new');
    const res = await south.post('/people/new', { nhsNumber: '9990001030', givenName: 'Hidden', familyName: 'Twin', ...dateForm('dateOfBirth', '1966-06-06') });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('a record your organisation has no access to');
    expect(res.body).not.toContain('999 000 1022');
  });
});

describe('who may see a person', () => {
  it('refuses a practitioner of an unrelated authority with 403, and audits every view', async () => {
    const north = await signedIn(demo.practitioner);
    const id = await addPerson(north, '9990000069', 'Casey', 'Private');
    await recordEvent(north, id, 'detention-started', { ...dateForm('date', '2025-01-10'), legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
    const south = await signedIn(demo.senior);
    expect((await south.get(`/people/${id}`)).statusCode).toBe(403);
    // The ICB commissioner sees the ICB's people (prospective ICB while pending).
    const commissioner = await signedIn(demo.commissioner);
    expect((await commissioner.get(`/people/${id}`)).statusCode).toBe(200);
    const views = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, id)));
    expect(views.length).toBeGreaterThanOrEqual(1);
    // The audit tab: managers yes, practitioners no.
    expect((await north.get(`/people/${id}/audit`)).statusCode).toBe(403);
    const manager = await signedIn(demo.manager);
    const audit = await manager.get(`/people/${id}/audit`);
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('person.viewed');
    // Administrators manage accounts, not people's records.
    expect((await (await signedIn(demo.laAdmin)).get(`/people/${id}`)).statusCode).toBe(403);
    expect((await north.get('/people/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
  });
});

describe('flags, tasks, contacts and moving', () => {
  it('turns a flag into a task for the responsible authority, and closes it when answered', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await addPerson(b, '9990000077', 'Morgan', 'Leave');
    await recordEvent(b, id, 'detention-started', { ...dateForm('date', '2025-02-01'), legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
    await recordEvent(b, id, 's17-leave-started', { ...dateForm('date', '2025-04-01'), ceasedToBeDetainedFinding: 'false' });
    const tasks = await t.database.db.select().from(task).where(and(eq(task.personId, id), eq(task.status, 'open')));
    expect(tasks.map((x) => x.flag)).toContain('s17-leave-determination-needed');
    const flagTask = tasks.find((x) => x.flag === 's17-leave-determination-needed')!;
    const page = await b.get(`/people/${id}`);
    expect(page.body).toContain('Decide whether, on section 17 leave');
    const done = await b.post(`/people/${id}/tasks/${flagTask.id}/complete`, { version: String(flagTask.version), outcome: 'MDT found escorted leave only: still detained.' });
    expect(done.statusCode).toBe(302);
    const after = (await t.database.db.select().from(task).where(eq(task.id, flagTask.id)))[0]!;
    expect(after.status).toBe('done');
  });

  it('adds a contact with consent recorded', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await addPerson(b, '9990000085', 'Pat', 'Contacts');
    await b.get(`/people/${id}/contacts/new`);
    const bad = await b.post(`/people/${id}/contacts/new`, { name: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Select how they are related to the person');
    expect(bad.body).toContain('Select whether the person agrees to share information');
    const ok = await b.post(`/people/${id}/contacts/new`, { relationship: 'nearest-relative', name: 'Lee Contacts', phone: '01632 960000', consentToShare: 'true' });
    expect(ok.statusCode).toBe(302);
    expect((await b.get(`/people/${id}/contacts`)).body).toContain('Lee Contacts');
  });

  it('explains that moving does not move the responsible bodies, and creates a handover task', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await addPerson(b, '9990000093', 'Drew', 'Mover');
    await recordEvent(b, id, 'detention-started', { ...dateForm('date', '2024-01-10'), legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
    await recordEvent(b, id, 'detention-ended', { ...dateForm('date', '2024-03-01'), reason: 'discharged' });
    await recordEvent(b, id, 'left-hospital', { ...dateForm('date', '2024-03-01') });
    await b.get(`/people/${id}/move`);
    const check = await b.post(`/people/${id}/move`, { residenceLocalAuthority: 'E06000902', address: '2 New Road, Southmere', postcode: 'ZZ99 3AB' });
    expect(check.statusCode).toBe(200);
    // Bodies by name, not code (issue #13; this asserted the code before).
    expect(check.body).toContain('The responsible local authority stays Northvale Council');
    expect(check.body).toContain('Where they live: from not recorded to Southmere Borough Council.');
    const version = /name="version" value="(\d+)"/.exec(check.body)![1]!;
    const done = await b.post(`/people/${id}/move`, { residenceLocalAuthority: 'E06000902', address: '2 New Road, Southmere', postcode: 'ZZ99 3AB', confirm: 'yes', version });
    expect(done.statusCode).toBe(302);
    const row = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
    expect(row.responsibleLocalAuthority).toBe('E06000901');
    expect(row.residenceLocalAuthority).toBe('E06000902');
    const handover = await t.database.db.select().from(task).where(and(eq(task.personId, id), eq(task.kind, 'handover')));
    expect(handover).toHaveLength(1);
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  });
});
