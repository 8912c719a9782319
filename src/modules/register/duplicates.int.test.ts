import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, dateForm, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { cliContext } from '../../cli/context.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/tokens.service.ts';
import { NHS_NUMBER_ELSEWHERE, NHS_NUMBER_ON_REGISTER } from './people.service.ts';
import { person } from './schema.ts';

/**
 * Finding 10 of issue 12: the duplicate checks reveal an existing person's presence to other
 * organisations. What they may reveal is in docs/decisions/0005-duplicate-checks-and-disclosure.md:
 * that a record exists and whom to ask; never its name, NHS number, id or a link; and each such
 * disclosure is recorded on the person's record.
 */
let t: TestApp;
let orgs: Record<string, { id: string }>;
let existingId: string;
const existingNhs = '9990003017';

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);

async function tokenFor(code: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `Duplicate tests ${code}` })).token;
}

function personForm(nhsNumber: string, givenName: string, familyName: string) {
  return { nhsNumber, givenName, familyName, ...dateForm('dateOfBirth', '1966-06-06'), sex: 'not-known', engagement: 'engaged', interpreterNeeded: 'false', dischargePlanning: 'not-started' };
}

async function disclosures(toOrganisationId: string, check: string) {
  const rows = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.presence-disclosed'), eq(auditEvent.subjectId, existingId)));
  return rows.filter((r) => r.organisationId === toOrganisationId && (r.after as { check?: string } | null)?.check === check);
}

beforeAll(async () => {
  t = await createTestApp();
  orgs = Object.fromEntries((await t.database.db.select().from(organisation)).map((o) => [o.code, o]));
  // Northvale records Quorra Vexley; Southmere has no relationship with her.
  const north = await signedIn(demo.practitioner);
  await north.get('/people/new');
  const res = await north.post('/people/new', personForm(existingNhs, 'Quorra', 'Vexley'));
  expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
  existingId = /\/people\/([0-9a-f-]+)\/history/.exec(res.headers.location as string)![1]!;
});
afterAll(async () => {
  await t.close();
});

describe('finding 10: duplicate checks do not reveal another organisation’s person', () => {
  it('warns about a likely duplicate without the existing person’s name, NHS number or link, and records that it told them', async () => {
    const south = await signedIn(demo.senior);
    await south.get('/people/new');
    const res = await south.post('/people/new', personForm('9990003025', 'QUORRA', 'VEXLEY'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Possible duplicate');
    expect(res.body).toContain('Someone with the name and date of birth you entered, on a record your organisation has no access to');
    expect(res.body).not.toContain('Quorra');
    expect(res.body).not.toContain('Vexley');
    expect(res.body).not.toContain(existingId);
    expect(res.body).not.toContain('999 000 3017');
    expect(await t.database.db.select().from(person).where(eq(person.nhsNumber, '9990003025'))).toHaveLength(0);
    expect(await disclosures(orgs.E06000902!.id, 'same-name-and-date-of-birth')).toHaveLength(1);
  });

  it('refuses the same NHS number saying only that it is recorded and whom to ask, and records that it told them', async () => {
    const south = await signedIn(demo.senior);
    await south.get('/people/new');
    const res = await south.post('/people/new', personForm(existingNhs, 'Someone', 'Else'));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('A person with this NHS number is already recorded in the partnership, on a record your organisation has no access to');
    expect(res.body).toContain('Ask the responsible local authority or the Section 117 lead');
    expect(res.body).not.toContain('Quorra');
    expect(res.body).not.toContain(existingId);
    expect(await disclosures(orgs.E06000902!.id, 'same-nhs-number')).toHaveLength(1);
    // Northvale's team manager sees on the person's Audit tab that Southmere was told.
    const manager = await signedIn(demo.manager);
    const tab = await manager.get(`/people/${existingId}/audit`);
    expect(tab.statusCode).toBe(200);
    expect(tab.body).toContain('person.presence-disclosed');
  });

  it('tells an organisation that may open the record that it is on the register, without recording a disclosure', async () => {
    const north = await signedIn(demo.practitioner);
    await north.get('/people/new');
    const res = await north.post('/people/new', personForm(existingNhs, 'Quorra', 'Vexley'));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(NHS_NUMBER_ON_REGISTER);
    expect(await disclosures(orgs.E06000901!.id, 'same-nhs-number')).toHaveLength(0);
  });

  it('gives an API client of another organisation the same answers: no name, NHS number or id', async () => {
    const token = await tokenFor('E06000902');
    const call = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/people', headers: { authorization: `Bearer ${token}` }, payload });
    const clash = await call({ nhsNumber: existingNhs, givenName: 'Api', familyName: 'Caller', dateOfBirth: '1966-06-06' });
    expect(clash.statusCode).toBe(422);
    expect(clash.headers['content-type']).toContain('application/problem+json');
    const problem = clash.json() as { errors: Array<{ path: string; message: string }> };
    expect(problem.errors).toContainEqual({ path: 'nhsNumber', message: NHS_NUMBER_ELSEWHERE });
    expect(clash.body).not.toContain(existingId);
    expect(clash.body).not.toContain('Quorra');

    const twin = await call({ nhsNumber: '9990003033', givenName: 'quorra', familyName: 'vexley', dateOfBirth: '1966-06-06' });
    expect(twin.statusCode).toBe(409);
    expect((twin.json() as { duplicates: unknown[] }).duplicates).toEqual([{ id: null, nhsNumber: null, hidden: true }]);
    expect(twin.body).not.toContain(existingId);
    expect(twin.body).not.toContain('Quorra');
    expect(twin.body).not.toContain(existingNhs);
  });
});
