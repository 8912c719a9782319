import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/database.ts';
import { addDays, addMonths } from '../../domain/calendar-date.ts';
import { isValidNhsNumber } from '../../domain/nhs-number.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { demoUsers, seedDemo } from './partnership.ts';
import { appUser, auditEvent } from '../../platform/db/schema.ts';
import { visiblePeople } from '../register/access.queries.ts';
import { seedDemoPeople } from './people.ts';
import { legalEvent, person, personContact, task } from '../register/schema.ts';

/** The demo people, seeded through the register's services: a smaller demo holds the same variety. */
const COUNT = 80;
let database: Database;
let partnershipId: string;
let seeded: Awaited<ReturnType<typeof seedDemoPeople>>;

beforeAll(async () => {
  database = await freshDatabase();
  partnershipId = await seedDemo(database.db);
  seeded = await seedDemoPeople(database, { count: COUNT, partnershipId });
}, 120_000);
afterAll(async () => {
  await database.close();
});

describe('demo people', () => {
  it('creates the people, their legal events and contacts through the services', async () => {
    expect(seeded).toMatchObject({ people: COUNT });
    const people = await database.db.select().from(person).where(eq(person.partnershipId, partnershipId));
    expect(people).toHaveLength(COUNT);
    const [events] = await database.db.select({ n: sql<number>`count(*)::int` }).from(legalEvent).where(eq(legalEvent.partnershipId, partnershipId));
    expect(events!.n).toBe(seeded.events);
    expect(seeded.events).toBeGreaterThan(COUNT * 3);
    const contacts = await database.db.select().from(personContact).where(eq(personContact.partnershipId, partnershipId));
    expect(contacts).toHaveLength(seeded.contacts);
    expect(contacts.map((c) => c.relationship)).toEqual(expect.arrayContaining(['nearest-relative', 'advocate']));
    // Every person has a valid test-range NHS number, and nothing is dated after today.
    const today = todayInLondon();
    for (const p of people) {
      expect(p.nhsNumber).toMatch(/^999/);
      expect(isValidNhsNumber(p.nhsNumber)).toBe(true);
      expect(p.postcode).toMatch(/^ZZ99 /);
      expect(p.decidedOn).toBe(today);
    }
    const [latest] = await database.db.select({ d: sql<string>`max(${legalEvent.occurredOn})::text` }).from(legalEvent);
    expect(latest!.d <= today).toBe(true);
  });

  it('holds pending, entitled and ended people, flags, flag tasks and the pipeline and finder details', async () => {
    const people = await database.db.select().from(person).where(eq(person.partnershipId, partnershipId));
    const statuses = new Set(people.map((p) => p.status));
    for (const status of ['pending', 'entitled', 'ended'] as const) expect(statuses).toContain(status);
    const flags = new Set(people.flatMap((p) => p.flags));
    expect(flags.size).toBeGreaterThanOrEqual(4);
    expect([...flags]).toEqual(expect.arrayContaining(['ordinary-residence-ambiguous', 'review-overdue', 'conditionally-discharged']));
    // Superseded episodes from re-detentions.
    const episodes = people.flatMap((p) => (p.decision as { episodes: { endReason: string | null }[] } | null)?.episodes ?? []);
    expect(episodes.map((e) => e.endReason)).toEqual(expect.arrayContaining(['superseded', 'ended']));

    const tasks = await database.db.select().from(task).where(and(eq(task.partnershipId, partnershipId), eq(task.kind, 'flag'), eq(task.status, 'open')));
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.ownerOrganisationId !== null)).toBe(true);

    // Hospital pipeline: detained people with expected discharge dates and planning under way.
    const today = todayInLondon();
    const pending = people.filter((p) => p.status === 'pending');
    expect(pending.some((p) => p.expectedDischargeOn !== null && p.expectedDischargeOn > today)).toBe(true);
    expect(new Set(pending.map((p) => p.dischargePlanning)).size).toBeGreaterThan(1);
    // Lost-to-follow-up finder: entitled people with no team, or no contact for months.
    const entitled = people.filter((p) => p.status === 'entitled');
    expect(entitled.some((p) => p.allocatedTeamId === null)).toBe(true);
    expect(entitled.some((p) => p.lastContactOn === null || p.lastContactOn < addDays(today, -180))).toBe(true);
    expect(people.some((p) => p.engagement === 'disengaged')).toBe(true);
    // Out of area, and under 18.
    expect(people.some((p) => p.responsibleLocalAuthority === 'E06000030')).toBe(true);
    expect(people.some((p) => p.dateOfBirth > addMonths(today, -18 * 12))).toBe(true);
    // Varied demographics.
    expect(new Set(people.map((p) => p.ethnicity)).size).toBeGreaterThan(4);
    expect(people.some((p) => p.interpreterNeeded)).toBe(true);
    expect(people.some((p) => p.communicationNeeds.length > 0)).toBe(true);
  });

  it('shows every person to at least one demo organisation, and spreads them across the partnership', async () => {
    const all = await database.db.select({ id: person.id }).from(person).where(eq(person.partnershipId, partnershipId));
    const seen = new Set<string>();
    const perUser = new Map<string, number>();
    for (const u of demoUsers) {
      const user = (await database.db.select().from(appUser).where(eq(appUser.email, u.email)))[0]!;
      const actor = (await loadUserActor(database.db, user.id))!;
      const rows = await database.db.select({ id: person.id }).from(person).where(visiblePeople(actor));
      perUser.set(u.email, rows.length);
      for (const r of rows) seen.add(r.id);
    }
    expect(all.filter((p) => !seen.has(p.id))).toEqual([]);
    // Each council and the ICB see some of them, not all: who sees whom follows responsibility and involvement.
    for (const email of ['practitioner@demo.aftercare.example', 'senior@demo.aftercare.example', 'eastbridge@demo.aftercare.example', 'commissioner@demo.aftercare.example']) {
      expect(perUser.get(email)).toBeGreaterThan(0);
      expect(perUser.get(email)).toBeLessThan(COUNT);
    }
  });

  it('records every change as the demo users who made it, and refuses to seed twice', async () => {
    const writers = await database.db
      .selectDistinct({ email: appUser.email })
      .from(auditEvent)
      .innerJoin(appUser, eq(appUser.id, auditEvent.actorUserId))
      .where(and(eq(auditEvent.partnershipId, partnershipId), eq(auditEvent.action, 'legal-event.recorded')));
    expect(writers.map((w) => w.email)).toEqual(expect.arrayContaining(['trust@demo.aftercare.example', 'practitioner@demo.aftercare.example']));
    await expect(seedDemoPeople(database, { count: 1, partnershipId })).rejects.toThrow(/already holds people/);
  });
});
