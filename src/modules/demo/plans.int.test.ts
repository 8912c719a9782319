import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/database.ts';
import type { Database } from '../../platform/db/database.ts';
import { appUser } from '../../platform/db/schema.ts';
import { seedDemoWithPeople } from './people.ts';
import { person } from '../register/schema.ts';
import { seedDemoPlans } from './plans.ts';
import { seedDemoLiberty } from './liberty.ts';
import { libertyAuthorisation, libertyConsideration } from '../liberty/index.ts';
import { aftercarePlan, planNeed, planService } from '../plans/schema.ts';

/** The demo's plans, written through the plans services: every state, lawful and costed. */
let database: Database;
let partnershipId: string;

beforeAll(async () => {
  database = await freshDatabase();
  ({ partnershipId } = await seedDemoWithPeople(database, {
    count: 120,
    after: async (tx, pid, config) => {
      await seedDemoPlans(tx, pid, config);
      await seedDemoLiberty(tx, pid, config);
    },
  }));
}, 180_000);
afterAll(async () => {
  await database.close();
});

describe('demo plans', () => {
  it('gives entitled people plans in draft, waiting for approval and approved', async () => {
    const plans = await database.db.select().from(aftercarePlan).where(eq(aftercarePlan.partnershipId, partnershipId));
    const states = new Set(plans.map((p) => p.status));
    expect(states).toEqual(new Set(['draft', 'submitted', 'approved']));
    for (const plan of plans) {
      const [p] = await database.db.select().from(person).where(and(eq(person.partnershipId, partnershipId), eq(person.id, plan.personId)));
      expect(p!.status).toBe('entitled');
    }
  });

  it('has the plans approved by a team manager or senior practitioner of the responsible local authority', async () => {
    const approved = await database.db
      .select({ approver: appUser.email, la: person.responsibleLocalAuthority })
      .from(aftercarePlan)
      .innerJoin(appUser, eq(appUser.id, aftercarePlan.approvedBy))
      .innerJoin(person, and(eq(person.partnershipId, aftercarePlan.partnershipId), eq(person.id, aftercarePlan.personId)))
      .where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.status, 'approved')));
    expect(approved.length).toBeGreaterThan(0);
    for (const a of approved) expect(a.approver).toBe(a.la === 'E06000901' ? 'manager@demo.aftercare.example' : 'senior@demo.aftercare.example');
  });

  it('meets every section 117 need with a free service, split with a recorded basis', async () => {
    const needs = await database.db.select().from(planNeed).where(eq(planNeed.partnershipId, partnershipId));
    const services = await database.db.select().from(planService).where(eq(planService.partnershipId, partnershipId));
    expect(needs.some((n) => !n.s117)).toBe(true);
    for (const n of needs.filter((x) => x.s117)) expect(services.some((s) => s.needIds.includes(n.id))).toBe(true);
    for (const s of services) {
      expect(s.s117).toBe(true);
      expect(s.chargePence).toBe(0);
      expect(s.splitBasis.length).toBeGreaterThan(10);
      expect(s.weeklyCostPence).toBeGreaterThan(0);
    }
  });

  it('has one person with 24-hour supported living considered (Cheshire West) and a Court of Protection order due for review', async () => {
    const [c] = await database.db.select().from(libertyConsideration).where(eq(libertyConsideration.partnershipId, partnershipId));
    expect(c).toMatchObject({ outcome: 'is', setting: 'supported-living' });
    expect(c!.planId).not.toBeNull();
    const [a] = await database.db.select().from(libertyAuthorisation).where(eq(libertyAuthorisation.partnershipId, partnershipId));
    expect(a).toMatchObject({ basis: 'mca-s16-order', outcome: 'granted', personId: c!.personId, considerationId: c!.id });
    const services = await database.db.select().from(planService).where(and(eq(planService.partnershipId, partnershipId), eq(planService.planId, c!.planId!)));
    expect(services.map((s) => s.serviceTypeCode)).toContain('supported-living');
  });
});
