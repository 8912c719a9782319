import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { appUser, auditEvent } from '../../platform/db/schema.ts';
import { ForbiddenError } from '../../platform/errors/errors.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { createPerson, getPersonRecord, listTeams, recordEvent, voidEvent } from './people.service.ts';
import { refreshStaleDecisions } from './refresh.ts';
import { person } from './schema.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { addDays } from '../../domain/calendar-date.ts';
import { SettableClock, todayInLondon } from '../../platform/clock.ts';
import { contextFor as fixtureContext, createPartnership, entitledPerson } from '../../../test/fixtures.ts';

/**
 * Who may read and change a person, for each role and each kind of relationship:
 * responsible local authority, responsible ICB, the organisation that recorded them,
 * the allocated team's organisation, and none.
 */
let t: TestApp;
const ctxs: Record<string, ServiceContext> = {};
const numbers = syntheticNhsNumbers(500);

async function contextFor(email: string): Promise<ServiceContext> {
  const user = (await t.database.db.select().from(appUser).where(eq(appUser.email, email)))[0]!;
  const actor = (await loadUserActor(t.database.db, user.id))!;
  return serviceContext({ db: t.database.db, actor, requestId: `test-${email}`, config: t.config });
}

async function personWith(recorder: ServiceContext, options: { or?: string; icb?: string; teamName?: string }) {
  const teams = await listTeams(recorder);
  const teamId = options.teamName ? teams.find((x) => x.name === options.teamName)!.id : undefined;
  const created = await createPerson(recorder, { nhsNumber: numbers.next().value, givenName: 'Access', familyName: 'Matrix', dateOfBirth: '1970-01-01', allocatedTeamId: teamId ?? '' }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  if (options.or) {
    await recordEvent(recorder, created.person.id, { event: { type: 'detention-started', date: '2025-01-01', legalStatusCode: '03', ordinaryResidence: options.or, icbOfGpRegistration: options.icb ?? 'E54000901' } });
    await recordEvent(recorder, created.person.id, { event: { type: 'detention-ended', date: '2025-02-01', reason: 'discharged' } });
    await recordEvent(recorder, created.person.id, { event: { type: 'left-hospital', date: '2025-02-01' } });
  }
  return created.person.id;
}

async function canRead(ctx: ServiceContext, id: string): Promise<boolean> {
  try {
    await getPersonRecord(ctx, id);
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  for (const [key, email] of Object.entries(demo)) ctxs[key] = await contextFor(email);
});
afterAll(async () => {
  await t.close();
});

describe('access to a person by relationship', () => {
  it('responsible local authority: its practitioners and managers read and write; others do not', async () => {
    // Recorded by the trust? The trust's read-only user cannot write, so Northvale records and
    // the person's responsible authority is Southmere (ordinarily resident there).
    const id = await personWith(ctxs.practitioner!, { or: 'E06000902' });
    expect(await canRead(ctxs.senior!, id)).toBe(true); // Southmere: responsible LA
    expect(await canRead(ctxs.practitioner!, id)).toBe(true); // Northvale: recorded them
    expect(await canRead(ctxs.commissioner!, id)).toBe(true); // the ICB: responsible ICB
    expect(await canRead(ctxs.quality!, id)).toBe(true); // ICB audit role
    expect(await canRead(ctxs.readOnly!, id)).toBe(false); // the trust: no relationship
    expect(await canRead(ctxs.laAdmin!, id)).toBe(false); // administrators: accounts, not records
    expect(await canRead(ctxs.admin!, id)).toBe(false);
  });

  it('responsible ICB only: the ICB’s commissioners and panel members read; they cannot write', async () => {
    const id = await personWith(ctxs.practitioner!, { or: 'E06000030', icb: 'E54000901' });
    expect(await canRead(ctxs.commissioner!, id)).toBe(true);
    expect(await canRead(ctxs.panel!, id)).toBe(true);
    await expect(recordEvent(ctxs.commissioner!, id, { event: { type: 'reviewed', date: '2025-06-01' } })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('another ICB’s person is invisible to this ICB', async () => {
    const id = await personWith(ctxs.practitioner!, { or: 'E06000901', icb: 'E54000040' });
    expect(await canRead(ctxs.commissioner!, id)).toBe(false);
    expect(await canRead(ctxs.manager!, id)).toBe(true); // Northvale: responsible LA
  });

  it('allocated team: the team’s organisation is involved and can read', async () => {
    const id = await personWith(ctxs.practitioner!, { teamName: 'Southmere Recovery Team' });
    expect(await canRead(ctxs.senior!, id)).toBe(true);
    expect(await canRead(ctxs.commissioner!, id)).toBe(false); // no ICB yet: not entitled
  });

  it('no relationship: refused with 403, and nothing of another partnership is ever found', async () => {
    const id = await personWith(ctxs.practitioner!, {});
    expect(await canRead(ctxs.senior!, id)).toBe(false);
    const other = { ...ctxs.practitioner!, actor: { ...ctxs.practitioner!.actor, partnershipId: '00000000-0000-0000-0000-000000000001' } };
    await expect(getPersonRecord(other, id)).rejects.toThrow(/not found/i);
  });

  it('read-only and commissioner roles never write, even where they can read', async () => {
    const id = await personWith(ctxs.practitioner!, { or: 'E06000901' });
    await expect(recordEvent(ctxs.quality!, id, { event: { type: 'reviewed', date: '2025-06-01' } })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('the daily re-evaluation', () => {
  it('marks a review overdue when its date passes, audited as the system', async () => {
    const today = todayInLondon();
    const created = await createPerson(ctxs.practitioner!, { nhsNumber: numbers.next().value, givenName: 'Recent', familyName: 'Discharge', dateOfBirth: '1970-01-01' });
    if (created.outcome !== 'created') throw new Error('not created');
    const id = created.person.id;
    await recordEvent(ctxs.practitioner!, id, { event: { type: 'detention-started', date: addDays(today, -60), legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' } });
    await recordEvent(ctxs.practitioner!, id, { event: { type: 'detention-ended', date: addDays(today, -10), reason: 'discharged' } });
    await recordEvent(ctxs.practitioner!, id, { event: { type: 'left-hospital', date: addDays(today, -10) } });
    const row = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
    expect(row.status).toBe('entitled');
    expect(row.flags).not.toContain('review-overdue');
    const later = '2030-01-01';
    const result = await refreshStaleDecisions(t.database.db, { today: later, batchSize: 10_000 });
    expect(result.changed).toBeGreaterThan(0);
    const after = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
    expect(after.flags).toContain('review-overdue');
    expect(after.decidedOn).toBe(later);
    const again = await refreshStaleDecisions(t.database.db, { today: later, batchSize: 10_000 });
    expect(again.checked).toBe(0);
  });
});

describe('the daily re-evaluation, through one door per partnership', () => {
  it('refreshes the people of every partnership, each audited as the system for the organisation that recorded them, with the job’s clock', async () => {
    const second = await createPartnership(t.database.db, 'Refreshvale');
    const elsewhere = await fixtureContext(t, second.users.practitioner);
    const la = second.organisations.localAuthority;
    // Discharged ten days ago: no review is overdue yet, so the later date changes both decisions.
    const recently = { detainedOn: addDays(todayInLondon(), -60), dischargedOn: addDays(todayInLondon(), -10) };
    const otherId = await entitledPerson(elsewhere, { nhsNumber: numbers.next().value, ordinaryResidence: la.code, icb: second.organisations.icb.onsCode!, ...recently });
    const demoId = await entitledPerson(ctxs.practitioner!, { nhsNumber: numbers.next().value, ...recently });
    const clock = new SettableClock('2032-03-04T10:00:00Z');
    const result = await refreshStaleDecisions(t.database.db, { clock, batchSize: 10_000 });
    expect(result.changed).toBeGreaterThanOrEqual(2);
    for (const id of [otherId, demoId]) {
      const row = (await t.database.db.select().from(person).where(eq(person.id, id)))[0]!;
      expect(row.decidedOn).toBe('2032-03-04');
      expect(row.flags).toContain('review-overdue');
      expect(row.updatedAt.toISOString()).toBe('2032-03-04T10:00:00.000Z');
    }
    const audit = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectId, otherId), eq(auditEvent.action, 'decision.refreshed')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ partnershipId: second.id, organisationId: la.id, actorUserId: null, requestId: 'job:refresh-decisions:2032-03-04' });
    const again = await refreshStaleDecisions(t.database.db, { clock, batchSize: 10_000 });
    expect(again.checked).toBe(0);
  });
});

describe('the order of events on one day', () => {
  it('puts a new event after every event of that day, removed ones included', async () => {
    const created = await createPerson(ctxs.practitioner!, { nhsNumber: numbers.next().value, givenName: 'Same', familyName: 'Day', dateOfBirth: '1970-01-01' }, { confirmDuplicate: true });
    if (created.outcome !== 'created') throw new Error('not created');
    const id = created.person.id;
    await recordEvent(ctxs.practitioner!, id, { event: { type: 'detention-started', date: '2025-01-01', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' } });
    const ended = await recordEvent(ctxs.practitioner!, id, { event: { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' } });
    const left = await recordEvent(ctxs.practitioner!, id, { event: { type: 'left-hospital', date: '2025-03-01' } });
    await voidEvent(ctxs.practitioner!, id, left.event.id, left.event.version, 'Recorded twice by mistake');
    const again = await recordEvent(ctxs.practitioner!, id, { event: { type: 'left-hospital', date: '2025-03-01' } });
    expect(ended.event.sequence).toBe(1);
    expect(left.event.sequence).toBe(2);
    expect(again.event.sequence).toBe(3);
    expect(again.decision.status).toBe('entitled');
  });
});
