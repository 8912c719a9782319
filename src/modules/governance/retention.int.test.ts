import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { person, recordEvent } from '../register/index.ts';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { listRecordsDueMonthly } from './retention.service.ts';
import { retentionPolicy, retentionReview } from './schema.ts';

/*
 * Issue 14, item 6: retention. The settable clock stands on 7 December 2026. Two people died in
 * 2018 (8 years after death: due in 2026) and one is entitled (never due). The monthly job lists
 * the two once a month and tells the lead organisation's administrators and quality staff; a
 * decision on each is recorded and audited; nothing is ever deleted.
 */

const clock = clockAt('2026-12-07');
let t: TestApp;
let keptId = '';
let destroyedId = '';
let entitledId = '';
const numbers = nhsNumbers(16_400);

async function reviewsOf(personId: string) {
  return t.database.db.select().from(retentionReview).where(eq(retentionReview.personId, personId));
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const practitioner = await contextFor(t, demo.practitioner, { clock });
  keptId = await entitledPerson(practitioner, { nhsNumber: numbers(), givenName: 'Kim', familyName: 'Keeper', detainedOn: '2015-01-10', dischargedOn: '2015-03-01' });
  await recordEvent(practitioner, keptId, { event: { type: 'died', date: '2018-01-10' }, hospital: null });
  destroyedId = await entitledPerson(practitioner, { nhsNumber: numbers(), givenName: 'Dana', familyName: 'Destroyable', detainedOn: '2015-01-10', dischargedOn: '2015-03-01' });
  await recordEvent(practitioner, destroyedId, { event: { type: 'died', date: '2018-06-30' }, hospital: null });
  entitledId = await entitledPerson(practitioner, { nhsNumber: numbers(), givenName: 'Eli', familyName: 'Entitled' });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('retention (issue 14, item 6)', () => {
  it('lets lead-organisation administrators set the retention periods on the settings page (the Code’s by default), audited; others are refused', async () => {
    const admin = await signedIn(t, demo.admin);
    const page = await admin.get('/admin/plan-settings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Retention of records');
    expect(page.body).toContain('Records Management Code of Practice 2021');
    expect(page.body).toMatch(/name="yearsAfterEntitlementEnded"[^>]*value="20"/);
    expect(page.body).toMatch(/name="yearsAfterDeath"[^>]*value="8"/);

    const bad = await admin.post('/admin/plan-settings/retention', { retentionVersion: '0', yearsAfterEntitlementEnded: 'twenty', yearsAfterDeath: '8' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Enter the number of years after the last entitlement ended as a whole number, like 20');
    expect(bad.body).toMatch(/name="yearsAfterEntitlementEnded"[^>]*value="twenty"/);
    expect((await t.database.db.select().from(retentionPolicy)).length).toBe(0);

    const saved = await admin.post('/admin/plan-settings/retention', { retentionVersion: '0', yearsAfterEntitlementEnded: '20', yearsAfterDeath: '8' });
    expect(saved.statusCode).toBe(302);
    const row = (await t.database.db.select().from(retentionPolicy))[0]!;
    expect(row).toMatchObject({ yearsAfterEntitlementEnded: 20, yearsAfterDeath: 8 });
    expect((await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'retention-policy.updated'))).length).toBe(1);

    // A form opened before that save carries the old version: refused, nothing changed.
    const stale = await admin.post('/admin/plan-settings/retention', { retentionVersion: '0', yearsAfterEntitlementEnded: '25', yearsAfterDeath: '8' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Somebody else saved the retention periods after you opened this page');
    expect((await t.database.db.select().from(retentionPolicy))[0]!.yearsAfterEntitlementEnded).toBe(20);

    const laAdmin = await signedIn(t, demo.laAdmin);
    expect((await laAdmin.post('/admin/plan-settings/retention', { retentionVersion: String(row.version), yearsAfterEntitlementEnded: '1', yearsAfterDeath: '1' })).statusCode).toBe(403);
  }, 60_000);

  it('the monthly job lists the records past their retention date, once a month, and tells the lead organisation’s administrators and quality staff', async () => {
    expect(await listRecordsDueMonthly(t.database.db, t.config, clock)).toBe(1);
    expect(await reviewsOf(keptId)).toEqual([expect.objectContaining({ dueFrom: '2026-01-10', basis: 'died', listedOn: '2026-12-07', decision: null })]);
    expect(await reviewsOf(destroyedId)).toEqual([expect.objectContaining({ dueFrom: '2026-06-30', basis: 'died' })]);
    expect(await reviewsOf(entitledId)).toEqual([]);
    const told = await t.database.db.select().from(notification).where(like(notification.dedupeKey, 'retention-review:2026-12:%'));
    expect(told.length).toBe(2); // the ICB's administrator and its quality and audit member
    expect(told[0]!.subject).toBe('2 records are due for retention review');
    expect(told[0]!.link).toBe('/governance/retention');
    // The second run in the same month does nothing.
    expect(await listRecordsDueMonthly(t.database.db, t.config, clock)).toBe(0);
  }, 60_000);

  it('shows the records due to administrators and quality staff, and refuses others', async () => {
    const quality = await signedIn(t, demo.quality);
    const page = await quality.get('/governance/retention');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kim Keeper');
    expect(page.body).toContain('10 January 2026');
    expect(page.body).toContain('Dana Destroyable');
    expect(page.body).not.toContain('Eli Entitled');
    for (const who of [demo.practitioner, demo.manager, demo.laAdmin]) {
      const b = await signedIn(t, who);
      expect((await b.get('/governance/retention')).statusCode, who).toBe(403);
    }
  }, 60_000);

  it('records a decision to keep for N more years with its reason, audited; asks again when that period ends', async () => {
    const review = (await reviewsOf(keptId))[0]!;
    const admin = await signedIn(t, demo.admin);
    const form = await admin.get(`/governance/retention/${review.id}`);
    expect(form.statusCode).toBe(200);
    const missing = await admin.post(`/governance/retention/${review.id}`, { version: String(review.version), decision: 'keep', keepYears: '', reason: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Enter how many more years to keep the record');
    const none = await admin.post(`/governance/retention/${review.id}`, { version: String(review.version), reason: 'x' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Choose whether to keep the record or mark it for destruction');

    const kept = await admin.post(`/governance/retention/${review.id}`, { version: String(review.version), decision: 'keep', keepYears: '5', reason: 'A complaint about the care is still open' });
    expect(kept.statusCode).toBe(302);
    expect((await admin.get('/governance/retention')).body).toContain('Kim Keeper’s record will be kept until 7 December 2031.');
    expect((await reviewsOf(keptId))[0]).toMatchObject({ decision: 'keep', keepYears: 5, keepUntil: '2031-12-07', reason: 'A complaint about the care is still open' });
    const audited = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'retention-review.kept'), eq(auditEvent.subjectId, review.id)));
    expect(audited[0]!.after).toMatchObject({ personId: keptId, keepYears: 5, keepUntil: '2031-12-07' });

    // Deciding again (a second tab) is refused.
    const again = await admin.post(`/governance/retention/${review.id}`, { version: String(review.version), decision: 'destroy', reason: 'Changed my mind' });
    expect(again.statusCode).toBe(409);

    // Next month: not listed again (kept until 2031). In December 2031: listed again, from the end of the period kept for.
    clock.set('2027-01-05');
    await listRecordsDueMonthly(t.database.db, t.config, clock);
    expect((await reviewsOf(keptId)).length).toBe(1);
    clock.set('2031-12-08');
    await listRecordsDueMonthly(t.database.db, t.config, clock);
    expect((await reviewsOf(keptId)).map((r) => [r.dueFrom, r.basis, r.decision])).toEqual(expect.arrayContaining([['2031-12-07', 'kept-until', null]]));
    clock.set('2026-12-07');
  }, 60_000);

  it('records a decision to mark for destruction with its reason, audited, and never deletes the record', async () => {
    const review = (await reviewsOf(destroyedId))[0]!;
    const admin = await signedIn(t, demo.admin);
    await admin.get(`/governance/retention/${review.id}`);
    const marked = await admin.post(`/governance/retention/${review.id}`, { version: String(review.version), decision: 'destroy', reason: 'Retention period passed; nothing open' });
    expect(marked.statusCode).toBe(302);
    expect((await admin.get('/governance/retention')).body).toContain('Aftercare has not deleted it');
    expect((await reviewsOf(destroyedId))[0]).toMatchObject({ decision: 'destroy', reason: 'Retention period passed; nothing open' });
    expect((await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'retention-review.marked-for-destruction'), eq(auditEvent.subjectId, review.id)))).length).toBe(1);
    // The record is all still there, and is not listed again.
    expect((await t.database.db.select().from(person).where(eq(person.id, destroyedId))).length).toBe(1);
    clock.set('2027-02-01');
    await listRecordsDueMonthly(t.database.db, t.config, clock);
    expect((await reviewsOf(destroyedId)).length).toBe(1);
    clock.set('2026-12-07');
  }, 60_000);

  it('refuses a decision from someone without the permission before reading the form', async () => {
    const review = (await reviewsOf(keptId)).find((r) => r.decision === null)!;
    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.post(`/governance/retention/${review.id}`, {})).statusCode).toBe(403);
    expect((await practitioner.post('/governance/retention/list', {})).statusCode).toBe(403);
  }, 60_000);
});
