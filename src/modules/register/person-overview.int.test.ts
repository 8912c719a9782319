import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, createPartnership, entitledPerson, nhsNumbers, signedIn, type TestPartnership } from '../../../test/fixtures.ts';
import { task } from './schema.ts';

/*
 * Issue 15, item 2: "large histories page without slowing the person page". The overview reads
 * the record's lists in brief: the open tasks, the latest completed ones with how many there are
 * and a way to all of them; the legal history page still shows every event.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
const nextNhs = nhsNumbers(890_000);
let t: TestApp;
let part: TestPartnership;
let personId: string;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  part = await createPartnership(t.database.db, 'Overviewshire');
  const ctx = await contextFor(t, part.users.practitioner, { clock });
  personId = await entitledPerson(ctx, { nhsNumber: nextNhs(), familyName: 'Longhistory', ordinaryResidence: part.organisations.localAuthority.code, icb: part.organisations.icb.onsCode! });
  // Eight completed tasks, one a day, and one still open.
  const done = Array.from({ length: 8 }, (_, i) => ({
    partnershipId: part.id,
    personId,
    kind: 'follow-up' as const,
    title: `Follow-up visit ${i + 1}`,
    status: 'done' as const,
    outcome: `Visited on day ${i + 1}`,
    createdAt: new Date(Date.UTC(2026, 10, 1 + i, 9)),
    completedAt: new Date(Date.UTC(2026, 10, 1 + i, 15)),
  }));
  await t.database.db.insert(task).values([...done, { partnershipId: part.id, personId, kind: 'follow-up' as const, title: 'Check the new support', status: 'open' as const }]);
});
afterAll(async () => {
  await t.close();
});

describe('the person page with a long record', () => {
  it('lists the open tasks and the latest five completed, counts them all and links to the rest', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const page = await b.get(`/people/${personId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Check the new support');
    expect(page.body).toContain('Completed tasks (8)');
    for (const n of [8, 7, 6, 5, 4]) expect(page.body).toContain(`Follow-up visit ${n}</strong>`);
    for (const n of [3, 2, 1]) expect(page.body).not.toContain(`Follow-up visit ${n}</strong>`);
    expect(page.body).toContain('8 November 2026');
    expect(page.body).toContain(`href="/people/${personId}/chronology?kind=task">See all 8 completed tasks in the chronology</a>`);
    // The chronology it links to holds every one of them.
    const chronology = await b.get(`/people/${personId}/chronology?kind=task`);
    expect(chronology.statusCode).toBe(200);
    for (const n of [1, 2, 3, 8]) expect(chronology.body).toContain(`Follow-up visit ${n}`);
  });

  it('still shows every legal event on the legal history page', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const history = await b.get(`/people/${personId}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('data-qa="timeline"');
    expect(history.body).toContain('Detained');
  });
});
