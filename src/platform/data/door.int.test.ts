import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, createPartnership, entitledPerson, nhsNumbers, signedIn, type TestPartnership } from '../../../test/fixtures.ts';
import { person, team } from '../../modules/register/schema.ts';
import { rowsOf } from '../db/database.ts';
import { auditEvent, organisation, partnership } from '../db/schema.ts';
import type { ServiceContext } from '../http/context.ts';
import { openDoor, TenancyError } from './door.ts';

/*
 * The one door to the data (docs/decisions/0006-one-door-to-the-data.md): tenancy enforced by
 * the database, the write and its audit event inseparable, secrets scrubbed on the door's audit
 * path, and the clock carried on the context. Runs on PGlite and on PostgreSQL (CI).
 */

const clock = clockAt('2031-02-03');
let t: TestApp;
let other: TestPartnership;
let demoPartnershipId: string;
let nv: ServiceContext;
let elsewhere: ServiceContext;
let otherPersonId: string;
const nextNhs = nhsNumbers(640_000);

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  demoPartnershipId = (await t.database.db.select().from(partnership))[0]!.id;
  other = await createPartnership(t.database.db, 'Westholm');
  nv = await contextFor(t, demo.practitioner, { clock });
  elsewhere = await contextFor(t, other.users.practitioner, { clock });
  await entitledPerson(nv, { nhsNumber: nextNhs(), familyName: 'Doorhome' });
  otherPersonId = await entitledPerson(elsewhere, { nhsNumber: nextNhs(), familyName: 'Doorabroad', ordinaryResidence: other.organisations.localAuthority.code, icb: other.organisations.icb.onsCode! });
});
afterAll(async () => {
  await t.close();
});

/** What the database said when it refused (drizzle wraps the driver's error as the cause). */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return `${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ''}`;
  }
  throw new Error('The database did not refuse');
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  return rowsOf<{ n: number }>(await t.database.db.execute(query))[0]!.n;
}

describe('row-level security behind the door', () => {
  it('returns only the actor’s partnership to a query written without a partnership filter', async () => {
    // The raw database (the tables' owner) sees both partnerships: the filter below is the policy's.
    const everyone = await t.database.db.select({ partnershipId: person.partnershipId }).from(person);
    expect(new Set(everyone.map((p) => p.partnershipId))).toEqual(new Set([demoPartnershipId, other.id]));

    const seenByNorthvale = await nv.data.read((q) => q.select({ partnershipId: person.partnershipId, familyName: person.familyName }).from(person));
    expect(seenByNorthvale.length).toBe(everyone.filter((p) => p.partnershipId === demoPartnershipId).length);
    expect(seenByNorthvale.every((p) => p.partnershipId === demoPartnershipId)).toBe(true);
    expect(seenByNorthvale.map((p) => p.familyName)).toContain('Doorhome');
    expect(seenByNorthvale.map((p) => p.familyName)).not.toContain('Doorabroad');

    const seenByWestholm = await elsewhere.data.read((q) => q.select({ familyName: person.familyName }).from(person));
    expect(seenByWestholm.map((p) => p.familyName)).toEqual(['Doorabroad']);

    // Platform tables too: organisations, users and the partnership itself.
    const orgs = await nv.data.read((q) => q.select({ code: organisation.code }).from(organisation));
    expect(orgs.map((o) => o.code).sort()).toEqual(['E06000901', 'E06000902', 'E08000903', 'NZV01', 'QZV', 'RZV']);
    const partnerships = await elsewhere.data.read((q) => q.select({ id: partnership.id }).from(partnership));
    expect(partnerships).toEqual([{ id: other.id }]);
    // A person of another partnership, asked for by id, is simply not there.
    expect(await nv.data.read((q) => q.select().from(person).where(eq(person.id, otherPersonId)))).toEqual([]);
  });

  it('refuses an insert carrying another partnership’s id, and updates or deletes nothing of theirs', async () => {
    const westholmCouncil = other.organisations.localAuthority.id;
    expect(await refusal(nv.data.transaction((tx) => tx.insert(team).values({ partnershipId: other.id, organisationId: westholmCouncil, name: 'Planted team' })))).toMatch(
      /violates row-level security policy/,
    );
    expect(await count(sql`select count(*)::int as n from team where name = 'Planted team'`)).toBe(0);

    const updated = await nv.data.transaction((tx) => tx.update(person).set({ familyName: 'Changed' }).where(eq(person.id, otherPersonId)).returning());
    expect(updated).toEqual([]);
    // Moving one of your own rows into another partnership is refused too (WITH CHECK on UPDATE).
    expect(await refusal(nv.data.transaction((tx) => tx.update(organisation).set({ partnershipId: other.id }).where(eq(organisation.code, 'NZV01'))))).toMatch(
      /violates row-level security policy/,
    );
    const theirs = (await t.database.db.select().from(person).where(eq(person.id, otherPersonId)))[0]!;
    expect(theirs.familyName).toBe('Doorabroad');
    expect((await t.database.db.select().from(organisation).where(eq(organisation.code, 'NZV01')))[0]!.partnershipId).toBe(demoPartnershipId);
  });

  it('reads in a read-only transaction: a write inside read() is refused', async () => {
    const northvale = nv.actor.activeOrganisationId;
    expect(await refusal(nv.data.read((q) => q.insert(team).values({ partnershipId: demoPartnershipId, organisationId: northvale, name: 'Written in a read' })))).toMatch(
      /read-only transaction/,
    );
    expect(await count(sql`select count(*)::int as n from team where name = 'Written in a read'`)).toBe(0);
  });

  it('covers every table that carries partnership_id, and the partnership table', async () => {
    const uncovered = rowsOf<{ table_name: string }>(
      await t.database.db.execute(sql`
        select c.table_name from information_schema.columns c
          join pg_class k on k.relname = c.table_name and k.relnamespace = (select oid from pg_namespace where nspname = c.table_schema)
         where c.column_name = 'partnership_id' and c.table_schema = current_schema() and k.relkind = 'r'
           and not (k.relrowsecurity and exists (select 1 from pg_policies p where p.tablename = c.table_name and p.policyname = 'tenant_isolation'))`),
    );
    expect(uncovered).toEqual([]);
    const covered = await count(sql`select count(*)::int as n from pg_policies where policyname = 'tenant_isolation' and schemaname = current_schema()`);
    expect(covered).toBeGreaterThanOrEqual(38);
    expect(await count(sql`select count(*)::int as n from pg_policies where policyname = 'tenant_isolation' and tablename = 'partnership'`)).toBe(1);
  });
});

describe('transactions and their audit events', () => {
  it('commits a write and its audit event together', async () => {
    const northvale = nv.actor.activeOrganisationId;
    await nv.data.transaction(async (tx, audit) => {
      const [row] = await tx.insert(team).values({ partnershipId: demoPartnershipId, organisationId: northvale, name: 'Door committed team' }).returning();
      await audit.change({ action: 'team.created', subjectType: 'team', subjectId: row!.id, after: row });
    });
    expect(await count(sql`select count(*)::int as n from team where name = 'Door committed team'`)).toBe(1);
    const events = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'team.created'), eq(auditEvent.requestId, nv.requestId)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ partnershipId: demoPartnershipId, actorUserId: nv.actor.userId, organisationId: northvale, subjectType: 'team' });
  });

  it('rolls back a write and its audit event together when anything in the unit fails', async () => {
    const northvale = nv.actor.activeOrganisationId;
    await expect(
      nv.data.transaction(async (tx, audit) => {
        const [row] = await tx.insert(team).values({ partnershipId: demoPartnershipId, organisationId: northvale, name: 'Door rolled-back team' }).returning();
        await audit.change({ action: 'team.rolled-back', subjectType: 'team', subjectId: row!.id, after: row });
        throw new Error('the use case failed after writing');
      }),
    ).rejects.toThrow('the use case failed after writing');
    expect(await count(sql`select count(*)::int as n from team where name = 'Door rolled-back team'`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_event where action = 'team.rolled-back'`)).toBe(0);
  });

  it('reuses the outer transaction for a nested one, so the whole unit rolls back as one', async () => {
    const northvale = nv.actor.activeOrganisationId;
    const inner = (name: string) =>
      nv.data.transaction(async (tx, audit) => {
        await tx.insert(team).values({ partnershipId: demoPartnershipId, organisationId: northvale, name });
        await audit.change({ action: 'team.nested', subjectType: 'team', subjectId: name });
      });
    await expect(
      nv.data.transaction(async (tx) => {
        await inner('Door nested team');
        // The inner unit's row is visible in the outer transaction: it is the same one.
        expect((await tx.select().from(team).where(eq(team.name, 'Door nested team'))).length).toBe(1);
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await count(sql`select count(*)::int as n from team where name = 'Door nested team'`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_event where action = 'team.nested'`)).toBe(0);
    // A write cannot hide inside a read, and one partnership's unit cannot open inside another's.
    await expect(nv.data.read(() => inner('Door team inside a read'))).rejects.toThrow(TenancyError);
    await expect(nv.data.transaction(() => elsewhere.data.read(async () => 1))).rejects.toThrow(TenancyError);
  });

  it('puts the role back when the door runs inside a transaction the caller already holds', async () => {
    const users = await t.database.db.transaction(async (tx) => {
      const door = openDoor(tx, nv.actor, 'test:inside-raw');
      const inside = await door.read((q) => q.execute(sql`select current_user as u`));
      const after = await tx.execute(sql`select current_user as u, count(*)::int as n from person`);
      return { inside: rowsOf<{ u: string }>(inside)[0]!.u, after: rowsOf<{ u: string; n: number }>(after)[0]! };
    });
    expect(users.inside).toBe('aftercare_tenant');
    expect(users.after.u).not.toBe('aftercare_tenant');
    // Back as the owner, the caller sees every partnership's people again.
    expect(users.after.n).toBe(await count(sql`select count(*)::int as n from person`));
  });

  it('never copies secrets into the audit trail on the door’s path', async () => {
    await nv.data.transaction(async (_tx, audit) => {
      await audit.change({
        action: 'door.secret-test',
        subjectType: 'user',
        subjectId: 'someone',
        before: { passwordHash: 'scrypt$abc', displayName: 'Before' },
        after: { passwordHash: 'scrypt$def', token: 'ac_live_123', nested: { tokenHash: 'deadbeef' }, displayName: 'After' },
      });
    });
    const [row] = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'door.secret-test'));
    expect(row!.before).toEqual({ passwordHash: '[not recorded]', displayName: 'Before' });
    expect(row!.after).toEqual({ passwordHash: '[not recorded]', token: '[not recorded]', nested: { tokenHash: '[not recorded]' }, displayName: 'After' });
    expect(JSON.stringify([row!.before, row!.after])).not.toMatch(/scrypt|ac_live|deadbeef/);
  });

  it('writes a batch of audit events in the unit, each scrubbed, and rolls them back with it', async () => {
    await nv.data.transaction(async (_tx, audit) => {
      await audit.changes([
        { action: 'door.batch-test', subjectType: 'person', subjectId: 'one', after: { token: 'ac_live_batch', n: 1 } },
        { action: 'door.batch-test', subjectType: 'person', subjectId: 'two', after: { n: 2 } },
      ]);
    });
    const rows = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'door.batch-test'));
    expect(rows.map((r) => [r.subjectId, r.after, r.actorUserId, r.partnershipId]).sort()).toEqual([
      ['one', { token: '[not recorded]', n: 1 }, nv.actor.userId, demoPartnershipId],
      ['two', { n: 2 }, nv.actor.userId, demoPartnershipId],
    ]);
    await expect(
      nv.data.transaction(async (_tx, audit) => {
        await audit.changes([{ action: 'door.batch-rolled-back', subjectType: 'person', subjectId: 'x' }]);
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    expect(await count(sql`select count(*)::int as n from audit_event where action = 'door.batch-rolled-back'`)).toBe(0);
  });

  it('opens a unit alongside the open one only where there is another connection, and it commits on its own', async () => {
    const alongside = nv.data.alongside();
    if (t.database.engine === 'pglite') {
      // One embedded connection: nothing can run beside an open transaction.
      expect(alongside).toBeNull();
      return;
    }
    expect(alongside).not.toBeNull();
    const northvale = nv.actor.activeOrganisationId;
    await expect(
      nv.data.transaction(async (tx) => {
        await tx.insert(team).values({ partnershipId: demoPartnershipId, organisationId: northvale, name: 'Door outer team' });
        // Progress written alongside is visible to others at once, whatever the outer unit does next.
        await alongside!.transaction((other) => other.insert(team).values({ partnershipId: demoPartnershipId, organisationId: northvale, name: 'Door alongside team' }));
        expect(await count(sql`select count(*)::int as n from team where name = 'Door alongside team'`)).toBe(1);
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await count(sql`select count(*)::int as n from team where name = 'Door outer team'`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from team where name = 'Door alongside team'`)).toBe(1);
    // Still behind the policy: another partnership's id is refused alongside too.
    expect(await refusal(alongside!.transaction((side) => side.insert(team).values({ partnershipId: other.id, organisationId: northvale, name: 'Door sneaky team' })))).toMatch(/row-level security/);
  });

  it('records a view of a person’s record through the door, as the actor, scrubbed', async () => {
    const [mine] = await nv.data.read((q) => q.select({ id: person.id }).from(person).where(eq(person.familyName, 'Doorhome')));
    await nv.data.viewPerson(mine!.id, { page: 'door-test', token: 'should-not-appear' });
    const [event] = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, mine!.id), eq(auditEvent.requestId, nv.requestId)));
    expect(event).toMatchObject({ partnershipId: demoPartnershipId, actorUserId: nv.actor.userId, subjectType: 'person', after: { page: 'door-test', token: '[not recorded]' } });
  });
});

describe('the clock on the context', () => {
  it('gives services the date the test set, not today', async () => {
    expect(nv.today()).toBe('2031-02-03');
    clock.advanceDays(1);
    expect(nv.today()).toBe('2031-02-04');
    clock.set('2031-02-03');
  });

  it('is the app’s clock on every request: the settings are saved at the clock’s time', async () => {
    const admin = await signedIn(t, demo.admin);
    const page = await admin.get('/admin/plan-settings');
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const form: Record<string, string> = { version };
    for (const match of page.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) if (match[1] !== '_csrf' && match[1] !== 'version') form[match[1]!] = match[2]!;
    form.weeksPerYear = '53';
    const saved = await admin.post('/admin/plan-settings', form);
    expect(saved.statusCode, saved.body).toBe(302);
    const after = await admin.get('/admin/plan-settings');
    expect(after.body).toContain('Last saved by Charlie Novak on 3 Feb 2031, 12:00.');
  });
});

describe('one round trip for BEGIN and the tenant set-up (PostgreSQL)', () => {
  it('sends a unit’s BEGIN with its set-up in one message, and a failing unit still rolls back', async () => {
    if (t.database.engine === 'pglite') {
      // PGlite runs in this process and begins its own transactions: there is no round trip to save.
      expect(t.database.engine).toBe('pglite');
      return;
    }
    const pg = await import('pg');
    const sent: string[] = [];
    const original = pg.default.Client.prototype.query;
    pg.default.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      const config = args[0];
      sent.push(typeof config === 'string' ? config : String((config as { text?: string }).text));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const names = await nv.data.read((q) => q.select({ familyName: person.familyName }).from(person).where(eq(person.familyName, 'Doorhome')));
      expect(names).toEqual([{ familyName: 'Doorhome' }]);
      // Three messages, not four: BEGIN travelled with the set-up.
      expect(sent).toHaveLength(3);
      expect(sent[0]).toMatch(/^begin read only; select current_setting\('role'\)/);
      expect(sent[2]).toBe('commit');

      sent.length = 0;
      await expect(
        nv.data.transaction(async (tx) => {
          await tx.insert(team).values({ partnershipId: demoPartnershipId, organisationId: nv.actor.activeOrganisationId, name: 'One trip team' });
          throw new Error('the unit failed');
        }),
      ).rejects.toThrow('the unit failed');
      expect(sent[0]).toMatch(/^begin; select current_setting/);
      expect(sent.at(-1)).toBe('rollback');
      expect(await count(sql`select count(*)::int as n from team where name = 'One trip team'`)).toBe(0);
    } finally {
      pg.default.Client.prototype.query = original;
    }
  });

  it('narrows the register’s index scan by status under row-level security (status is text, whose = is leakproof)', async () => {
    const plan = await nv.data.read(async (q) => {
      // The demo is small enough to scan whole: ask for the index the register uses at scale.
      await q.execute(sql`set local enable_seqscan = off`);
      return rowsOf<{ 'QUERY PLAN': string }>(
        await q.execute(sql`explain select count(*) from person where partnership_id = ${demoPartnershipId} and responsible_local_authority = 'E06000901' and status = 'entitled'`),
      );
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    // With an enum column the status would be a Filter evaluated after the policy, row by row.
    expect(text).toMatch(/Index Cond: .*status = 'entitled'/);
    expect(text).not.toMatch(/Filter: .*status/);
  });
});
