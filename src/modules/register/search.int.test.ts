import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, createPartnership, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';

/*
 * Issue 15, item 5: "Find a person" in the header of every page. One match goes straight to the
 * person; none or several go to the register with the same search; a search that is not valid
 * shows the register's error; another partnership's person is never found.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
let t: TestApp;
const next = nhsNumbers(15_500);
const onlyNhs = next();
let onlyId = '';
let otherPartnershipNhs = '';

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  onlyId = await entitledPerson(practitioner, { nhsNumber: onlyNhs, givenName: 'Quillon', familyName: 'Headersearch' });
  await entitledPerson(practitioner, { nhsNumber: next(), givenName: 'Ada', familyName: 'Twinfinder' });
  await entitledPerson(practitioner, { nhsNumber: next(), givenName: 'Bea', familyName: 'Twinfinder' });
  const other = await createPartnership(t.database.db, 'Farshore');
  otherPartnershipNhs = next();
  await entitledPerson(await contextFor(t, other.users.practitioner, { clock }), {
    nhsNumber: otherPartnershipNhs, givenName: 'Faraway', familyName: 'Elsewhere', ordinaryResidence: other.organisations.localAuthority.code, icb: other.organisations.icb.onsCode!,
  });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('find a person from the header (issue 15, item 5)', () => {
  it('shows the box in the header of pages for people who may read records', async () => {
    const b = await signedIn(t, demo.practitioner);
    const home = await b.get('/');
    expect(home.body).toContain('action="/search"');
    expect(home.body).toContain('>Find a person</label>');
    expect(home.body).toContain('NHS number or name');
    const register = await b.get('/register');
    expect(register.body).toContain('id="header-search"');
  });

  it('does not show it to an administrator, who may not read people’s records', async () => {
    const b = await signedIn(t, demo.admin);
    const home = await b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain('action="/search"');
    expect((await b.get('/search?q=Headersearch')).statusCode).toBe(403);
  });

  it('goes straight to the person when an NHS number (spaced as people type it) matches', async () => {
    const b = await signedIn(t, demo.practitioner);
    const spaced = `${onlyNhs.slice(0, 3)} ${onlyNhs.slice(3, 6)} ${onlyNhs.slice(6)}`;
    const res = await b.get(`/search?q=${encodeURIComponent(spaced)}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/people/${onlyId}`);
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain('Headersearch');
  });

  it('goes straight to the person when one name matches', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get('/search?q=quillon%20headersearch');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/people/${onlyId}`);
  });

  it('lists several matches on the register, with the search kept', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get('/search?q=Twinfinder');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/register?q=Twinfinder');
    const list = await b.get(res.headers.location as string);
    expect(list.body).toContain('Ada');
    expect(list.body).toContain('Bea');
  });

  it('says so on the register when nobody matches, and shows the register’s error for a mistyped NHS number', async () => {
    const b = await signedIn(t, demo.practitioner);
    const none = await b.get('/search?q=Nobodyhasthisname');
    expect(none.headers.location).toBe('/register?q=Nobodyhasthisname');
    const mistyped = await b.get('/search?q=9990000019');
    expect(mistyped.statusCode).toBe(303);
    const list = await b.get(mistyped.headers.location as string);
    expect(list.statusCode).toBe(422);
    expect(list.body).toContain('govuk-error-summary');
  });

  it('never finds another partnership’s person', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get(`/search?q=${otherPartnershipNhs}`);
    expect(res.headers.location).toBe(`/register?q=${otherPartnershipNhs}`);
    const byName = await b.get('/search?q=Elsewhere');
    expect(byName.headers.location).toBe('/register?q=Elsewhere');
  });

  it('an empty search goes to the register', async () => {
    const b = await signedIn(t, demo.practitioner);
    const res = await b.get('/search?q=%20%20');
    expect(res.headers.location).toBe('/register');
  });
});
