import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, createPartnership, entitledPerson as entitledFixture } from '../../../test/fixtures.ts';
import { addMonths } from '../../domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { serviceContext } from '../../platform/http/context.ts';
import { createPerson, recordEvent } from '../register/people.service.ts';
import { qualitySnapshot } from './schema.ts';
import { seedDemoQualitySnapshots, snapshotDataQuality } from './snapshots.ts';

/*
 * Data-quality score over time (issue 7, item 2): the daily snapshot job, its idempotency, and the
 * chart and table on /data-quality.
 */

let t: TestApp;
const today = todayInLondon();
const numbers = syntheticNhsNumbers(655_000);
let northvaleId: string;
let partnershipId: string;
const db = () => t.database.db;

async function entitledPerson(email: string, familyName: string, ordinaryResidence: string): Promise<void> {
  const user = (await db().select().from(appUser).where(eq(appUser.email, email)))[0]!;
  const actor = (await loadUserActor(db(), user.id))!;
  const ctx = serviceContext({ db: db(), actor, requestId: `test:${randomUUID()}`, config: t.config });
  const created = await createPerson(ctx, { givenName: 'Snapshot', familyName, dateOfBirth: '1975-02-03', nhsNumber: numbers.next().value as string }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  for (const event of [
    { type: 'detention-started', date: '2025-01-10', legalStatusCode: '03', ordinaryResidence, icbOfGpRegistration: 'E54000901' },
    { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2025-03-01' },
  ]) {
    await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  }
}

/** Someone who is not entitled (no problem under the plan rules). */
async function plainPerson(email: string, familyName: string): Promise<void> {
  const user = (await db().select().from(appUser).where(eq(appUser.email, email)))[0]!;
  const actor = (await loadUserActor(db(), user.id))!;
  const created = await createPerson(serviceContext({ db: db(), actor, requestId: `test:${randomUUID()}`, config: t.config }), { givenName: 'Plain', familyName, dateOfBirth: '1990-01-01', nhsNumber: numbers.next().value as string }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
}

const snapshotsOf = (organisationId: string) => db().select().from(qualitySnapshot).where(eq(qualitySnapshot.organisationId, organisationId)).orderBy(qualitySnapshot.takenOn);

beforeAll(async () => {
  t = await createTestApp();
  const org = (await db().select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
  northvaleId = org.id;
  partnershipId = org.partnershipId;
  // Entitled with no approved plan: a problem. Two plain records: none.
  await entitledPerson(demo.manager, 'Snapone', 'E06000901');
  await entitledPerson(demo.manager, 'Snaptwo', 'E06000901');
  await plainPerson(demo.manager, 'Snapthree');
  await plainPerson(demo.manager, 'Snapfour');
  await entitledPerson(demo.senior, 'Snapsouth', 'E06000902');
});

afterAll(async () => {
  await t.close();
});

describe('daily data-quality snapshots', () => {
  it('records one snapshot per organisation per day, however often the job runs', async () => {
    const first = await snapshotDataQuality(db(), t.config, { today });
    expect(first.recorded).toBeGreaterThan(0);
    await Promise.all([snapshotDataQuality(db(), t.config, { today }), snapshotDataQuality(db(), t.config, { today })]);
    const again = await snapshotDataQuality(db(), t.config, { today });
    expect(again.recorded).toBe(0);
    const rows = await snapshotsOf(northvaleId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.takenOn).toBe(today);
    // Organisations that can see nobody get no snapshot (Eastbridge has nobody here).
    const eastbridge = (await db().select().from(organisation).where(eq(organisation.code, 'E08000903')))[0]!;
    expect(await snapshotsOf(eastbridge.id)).toHaveLength(0);
  });

  it('holds the score and counts the page shows to a user of that organisation', async () => {
    const snap = (await snapshotsOf(northvaleId))[0]!;
    expect(snap.population).toBe(4);
    expect(snap.scoreTenths).toBe(500);
    expect((snap.counts as Record<string, number>)['no-approved-plan']).toBe(2);
    const manager = await signedInBrowser(t.app, demo.manager);
    const page = (await manager.get('/data-quality')).body;
    const score = Number(/data-qa="score">(\d+)%/.exec(page)![1]);
    expect(score).toBe(Math.floor(snap.scoreTenths / 10));
    expect(page).toMatch(/People you can see\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*4\s/);
  });

  it('charts the snapshots with a table listing each of them', async () => {
    const earlier = addMonths(today, -1);
    await snapshotDataQuality(db(), t.config, { today: earlier });
    const manager = await signedInBrowser(t.app, demo.manager);
    const page = (await manager.get('/data-quality')).body;
    expect(page).toContain('<title id="score-over-time-chart-title">Data quality score over time, Northvale Council</title>');
    const rows = [...page.matchAll(/data-qa="snapshot-score">([^<]+)</g)].map((m) => m[1]);
    expect(rows).toEqual(['50.0%', '50.0%']);
    const dates = [...page.matchAll(/data-qa="snapshot-date">([^<]+)</g)].map((m) => m[1]!.trim());
    const long = (iso: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
    expect(dates).toEqual([long(earlier), long(today)]);
    expect(page).not.toContain('data-qa="no-snapshots"');
  });

  it('says when the first snapshot will be taken when there is none', async () => {
    const eastbridge = await signedInBrowser(t.app, 'eastbridge@demo.aftercare.example');
    const page = (await eastbridge.get('/data-quality')).body;
    expect(page).toContain('data-qa="no-snapshots"');
    expect(page).toContain('No snapshots yet. The first is taken today');
  });

  it('the demo step adds a year of clearly marked synthetic history, the same every time', async () => {
    const written = await seedDemoQualitySnapshots(db() as never, partnershipId, t.config, today);
    const rows = await snapshotsOf(northvaleId);
    expect(rows).toHaveLength(12);
    const synthetic = rows.filter((r) => (r.counts as Record<string, unknown>).synthetic === true);
    expect(synthetic).toHaveLength(10);
    expect(written).toBeGreaterThanOrEqual(10);
    // Deterministic: the same inputs give the same history.
    const before = rows.map((r) => [r.takenOn, r.scoreTenths]);
    await db().delete(qualitySnapshot).where(and(eq(qualitySnapshot.organisationId, northvaleId), eq(qualitySnapshot.takenOn, addMonths(today, -5))));
    await seedDemoQualitySnapshots(db() as never, partnershipId, t.config, today);
    expect((await snapshotsOf(northvaleId)).map((r) => [r.takenOn, r.scoreTenths])).toEqual(before);
    const manager = await signedInBrowser(t.app, demo.manager);
    const page = (await manager.get('/data-quality')).body;
    expect(page).toContain('data-qa="synthetic-note"');
    expect([...page.matchAll(/data-qa="snapshot"/g)]).toHaveLength(12);
  });

  it('takes each partnership’s snapshots in its own door, on the day of the job’s clock', async () => {
    const other = await createPartnership(db(), 'Snapother');
    const practitioner = await contextFor(t, other.users.practitioner);
    await entitledFixture(practitioner, { nhsNumber: numbers.next().value as string, familyName: 'Snapother', ordinaryResidence: other.organisations.localAuthority.code, icb: other.organisations.icb.onsCode! });
    const result = await snapshotDataQuality(db(), t.config, { clock: clockAt('2031-02-03') });
    expect(result.recorded).toBeGreaterThanOrEqual(2);
    const council = await snapshotsOf(other.organisations.localAuthority.id);
    expect(council.map((r) => [r.takenOn, r.partnershipId, r.population, (r.counts as Record<string, number>)['no-approved-plan']])).toEqual([['2031-02-03', other.id, 1, 1]]);
    // The demo council's snapshot that day still counts only its own four people.
    const northvale = (await snapshotsOf(northvaleId)).filter((r) => r.takenOn === '2031-02-03');
    expect(northvale.map((r) => [r.partnershipId, r.population])).toEqual([[partnershipId, 4]]);
  });
});
