import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDispute } from '../src/modules/disputes/disputes.service.ts';
import { createPerson, recordEvent } from '../src/modules/register/index.ts';
import { createTestApp, type TestApp } from './app.ts';
import { clockAt, contextFor, createPartnership, entitledPerson, nhsNumbers, signedIn, type TestPartnership } from './fixtures.ts';

/*
 * Issue 13, item 9: NHS numbers are written one way everywhere a person reads them, "999 000 0018"
 * (spaced 3 3 4), on pages and in the downloads people open: the register and the hospital
 * pipeline as CSV included, which gave the bare ten digits.
 */

const clock = clockAt('2026-12-07');
const nextNhs = nhsNumbers(34_000);
let t: TestApp;
let part: TestPartnership;
let entitledNhs: string;
let detainedNhs: string;
let entitledId: string;

const spaced = (n: string) => new RegExp(`${n.slice(0, 3)}[ \\u00a0]${n.slice(3, 6)}[ \\u00a0]${n.slice(6)}`);

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  part = await createPartnership(t.database.db, 'Numbershire');
  const ctx = await contextFor(t, part.users.practitioner, { clock });
  entitledNhs = nextNhs();
  entitledId = await entitledPerson(ctx, { nhsNumber: entitledNhs, familyName: 'Entitled', ordinaryResidence: part.organisations.localAuthority.code, icb: part.organisations.icb.onsCode! });
  detainedNhs = nextNhs();
  const created = await createPerson(ctx, { givenName: 'Dee', familyName: 'Detained', dateOfBirth: '1979-02-03', nhsNumber: detainedNhs }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  await recordEvent(ctx, created.person.id, {
    event: { type: 'detention-started', date: '2026-11-01', legalStatusCode: '03', ordinaryResidence: part.organisations.localAuthority.code, icbOfGpRegistration: part.organisations.icb.onsCode },
    hospital: 'Numbershire Hospital',
  });
  const la = part.organisations.localAuthority.id;
  const icb = part.organisations.icb.id;
  await openDispute(ctx, entitledId, { kind: 'funding', partyAOrganisationId: la, partyBOrganisationId: icb, aroseOn: '2026-11-01', interimLeadOrganisationId: icb, summary: 'Who pays for supported living' });
});

afterAll(async () => {
  await t.close();
});

describe('NHS numbers, one way everywhere', () => {
  it('are spaced on the person’s page, the reviews page and the booking form', async () => {
    const b = await signedIn(t, part.users.practitioner);
    for (const path of [`/people/${entitledId}`, `/people/${entitledId}/reviews`, `/people/${entitledId}/reviews/book`]) {
      const res = await b.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body, path).toMatch(spaced(entitledNhs));
      expect(res.body, path).not.toContain(entitledNhs);
    }
  });

  it('are spaced in the register and pipeline downloads', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const register = await b.get('/register.csv');
    expect(register.statusCode).toBe(200);
    expect(register.body).toMatch(spaced(entitledNhs));
    expect(register.body).not.toContain(entitledNhs);
    const pipeline = await b.get('/pipeline.csv');
    expect(pipeline.statusCode).toBe(200);
    expect(pipeline.body).toMatch(spaced(detainedNhs));
    expect(pipeline.body).not.toContain(detainedNhs);
  });

  it('are spaced in the disputes and data quality downloads', async () => {
    const m = await signedIn(t, part.users.manager);
    const disputes = await m.get('/disputes.csv?all=1');
    expect(disputes.statusCode, disputes.body.slice(0, 500)).toBe(200);
    expect(disputes.body).toMatch(spaced(entitledNhs));
    expect(disputes.body).not.toContain(entitledNhs);
    const quality = await m.get('/data-quality/no-approved-plan/people.csv');
    expect(quality.statusCode, quality.body.slice(0, 500)).toBe(200);
    expect(quality.body).toMatch(spaced(entitledNhs));
    expect(quality.body).not.toContain(entitledNhs);
  });
});
