import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, createPartnership, nhsNumbers, signedIn, type TestPartnership } from '../../../test/fixtures.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { createPerson, recordEvent } from './people.service.ts';
import { refreshStaleDecisions } from './refresh.ts';
import { person } from './schema.ts';

/*
 * Issue 13, item 7: status that matters, visible. Beside the entitlement, the person header says
 * whether the person is on a CTO, conditionally discharged, recalled or in hospital, read from
 * their legal history; the register filters by the same, without JavaScript (a GET form), and
 * its count agrees with its rows. People are recorded through the register's own use cases in a
 * partnership of their own, so only they are on its register.
 */

const TODAY = '2026-06-01';
const clock = clockAt(TODAY);
const nextNhs = nhsNumbers(31_000);
let t: TestApp;
let part: TestPartnership;
let ctx: ServiceContext;
let browser: Browser;
const ids: Record<string, string> = {};

async function personWith(givenName: string, events: Array<Record<string, unknown>>): Promise<string> {
  const created = await createPerson(ctx, { givenName, familyName: 'Legalstatus', dateOfBirth: '1980-04-01', nhsNumber: nextNhs() }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  return created.person.id;
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  part = await createPartnership(t.database.db, 'Legalshire');
  ctx = await contextFor(t, part.users.practitioner, { clock });
  const la = part.organisations.localAuthority.code;
  const detained = (date: string, legalStatusCode = '03') => ({ type: 'detention-started', date, legalStatusCode, ordinaryResidence: la, icbOfGpRegistration: part.organisations.icb.onsCode });
  const leaves = (date: string, reason: string) => [
    { type: 'detention-ended', date, reason },
    { type: 'left-hospital', date },
  ];
  ids.cto = await personWith('Cora', [detained('2026-01-10'), ...leaves('2026-03-01', 'cto')]);
  ids.recalled = await personWith('Rhys', [detained('2026-01-10'), ...leaves('2026-03-01', 'cto'), { type: 'recalled', date: '2026-05-20' }]);
  ids.conditional = await personWith('Cyril', [detained('2026-01-10', '09'), ...leaves('2026-03-01', 'conditional-discharge')]);
  ids.hospital = await personWith('Hana', [detained('2026-05-02')]);
  ids.discharged = await personWith('Dora', [detained('2026-01-10'), ...leaves('2026-03-01', 'discharged')]);
  browser = await signedIn(t, part.users.practitioner);
});

afterAll(async () => {
  await t.close();
});

/** The names on a page of the register, and what it says it shows. */
async function register(query: string): Promise<{ names: string[]; showing: string }> {
  const res = await browser.get(`/register?${query}`);
  expect(res.statusCode).toBe(200);
  const names = [...res.body.matchAll(/data-qa="person-link">([^<]+)</g)].map((m) => m[1]!);
  const showing = /data-qa="showing">([\s\S]*?)<\/p>/.exec(res.body)?.[1]?.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim() ?? '';
  return { names: names.sort(), showing };
}

/** The legal status tags of the person header. */
async function headerTags(personId: string): Promise<string[]> {
  const res = await browser.get(`/people/${personId}`);
  expect(res.statusCode).toBe(200);
  return [...res.body.matchAll(/<strong class="govuk-tag govuk-tag--purple" data-qa="legal-status">\s*([^<]+?)\s*<\/strong>/g)].map((m) => m[1]!);
}

describe('the person header shows where the person stands under the Act, beside the entitlement', () => {
  it('a person on a CTO: "Community treatment order (CTO)", next to Entitled', async () => {
    const res = await browser.get(`/people/${ids.cto}`);
    expect(res.body).toMatch(/data-qa="status">\s*Entitled\s*<\/strong>/);
    expect(await headerTags(ids.cto!)).toEqual(['Community treatment order (CTO)']);
  });

  it('recalled from a CTO: on a CTO, recalled to hospital and in hospital', async () => {
    expect(await headerTags(ids.recalled!)).toEqual(['Community treatment order (CTO)', 'Recalled to hospital', 'In hospital']);
  });

  it('conditionally discharged (s37/41): "Conditionally discharged"; still detained: "In hospital"', async () => {
    expect(await headerTags(ids.conditional!)).toEqual(['Conditionally discharged']);
    expect(await headerTags(ids.hospital!)).toEqual(['In hospital']);
  });

  it('discharged from section 3 with no order: none of these', async () => {
    expect(await headerTags(ids.discharged!)).toEqual([]);
  });

  it('the documents page shows the same header', async () => {
    const res = await browser.get(`/people/${ids.cto}/documents`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Community treatment order (CTO)');
  });
});

describe('the register filters by legal status, and its count agrees with its rows', () => {
  it('offers the legal status filter as checkboxes of a plain GET form', async () => {
    const res = await browser.get('/register');
    expect(res.body).toMatch(/<input class="govuk-checkboxes__input" id="legal" name="legal" type="checkbox" value="cto">/);
    expect(res.body).toContain('Conditionally discharged');
  });

  it('on a CTO: the two people on a CTO (one recalled), not the others', async () => {
    const page = await register('legal=cto');
    expect(page.names).toEqual(['Legalstatus, Cora', 'Legalstatus, Rhys']);
    expect(page.showing).toBe('Showing 1 to 2 of 2 people');
  });

  it('conditionally discharged, recalled and in hospital each find their people', async () => {
    expect(await register('legal=conditional-discharge')).toEqual({ names: ['Legalstatus, Cyril'], showing: 'Showing 1 to 1 of 1 person' });
    expect(await register('legal=recalled')).toEqual({ names: ['Legalstatus, Rhys'], showing: 'Showing 1 to 1 of 1 person' });
    expect(await register('legal=in-hospital')).toEqual({ names: ['Legalstatus, Hana', 'Legalstatus, Rhys'], showing: 'Showing 1 to 2 of 2 people' });
  });

  it('a person not on a CTO is not found by that filter; two choices find either', async () => {
    expect((await register('legal=cto')).names).not.toContain('Legalstatus, Dora');
    expect((await register('legal=cto')).names).not.toContain('Legalstatus, Cyril');
    expect((await register('legal=cto&legal=conditional-discharge')).names).toEqual(['Legalstatus, Cora', 'Legalstatus, Cyril', 'Legalstatus, Rhys']);
  });

  it('shows the legal status in the row and as a removable selected filter', async () => {
    const res = await browser.get('/register?legal=cto');
    expect(res.body).toMatch(/data-qa="legal-status">Community treatment order \(CTO\), Recalled to hospital, In hospital</);
    expect(res.body).toContain('Legal status');
  });

  it('downloads the same people as the filtered view shows', async () => {
    const res = await browser.get('/register.csv?legal=cto');
    expect(res.statusCode).toBe(200);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines.slice(1).map((l) => l.split(',')[2]).sort()).toEqual(['Cora', 'Rhys']);
  });

  it('an unknown legal status is left out and said so', async () => {
    const res = await browser.get('/register?legal=sectioned');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Legal status: “sectioned” is not one of the choices, so it was not used');
  });
});

describe('people stored before the legal position was kept', () => {
  it('migration 0013 marks them for the daily re-evaluation, which fills it in', async () => {
    const db = t.database.db;
    await db.update(person).set({ legalPosition: [] }).where(and(eq(person.partnershipId, part.id), eq(person.id, ids.cto!)));
    expect((await register('legal=cto')).names).toEqual(['Legalstatus, Rhys']);

    const file = readFileSync(new URL('../../../drizzle/0013_legal-position.sql', import.meta.url), 'utf8');
    const backfill = file.split('--> statement-breakpoint').map((s) => s.replace(/^\s*--.*$/gm, '').trim()).find((s) => s.startsWith('UPDATE'))!;
    await db.execute(sql.raw(backfill));
    await refreshStaleDecisions(db, { today: TODAY, clock, batchSize: 10_000 });

    expect((await register('legal=cto')).names).toEqual(['Legalstatus, Cora', 'Legalstatus, Rhys']);
    expect(await headerTags(ids.cto!)).toEqual(['Community treatment order (CTO)']);
  });
});
