import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/database.ts';
import type { Database } from '../../platform/db/database.ts';
import { seedDemoWithPeople } from './people.ts';
import { auditScores } from '../annual-audit/audit.service.ts';
import { seedDemoAudit, DEMO_AUDIT_NAME } from './audit.ts';
import { auditCase, auditFinding, auditPillar, caseAudit } from '../annual-audit/schema.ts';

/** The demo's audit of last year, on the demo's own synthetic people. */
let database: Database;
let partnershipId: string;

beforeAll(async () => {
  database = await freshDatabase();
  ({ partnershipId } = await seedDemoWithPeople(database, { count: 120, after: seedDemoAudit }));
}, 180_000);
afterAll(async () => {
  await database.close();
});

describe('demo annual audit', () => {
  it('seeds the checklist and last year’s audit, complete, with ten scored cases and two findings', async () => {
    expect(await database.db.select().from(auditPillar).where(eq(auditPillar.partnershipId, partnershipId))).toHaveLength(9);
    const [audit] = await database.db.select().from(caseAudit).where(eq(caseAudit.partnershipId, partnershipId));
    expect(audit).toMatchObject({ name: DEMO_AUDIT_NAME, status: 'complete', periodStart: '2025-04-01', periodEnd: '2026-03-31', sampleSize: 10 });
    const cases = await database.db.select().from(auditCase).where(eq(auditCase.auditId, audit!.id));
    expect(cases).toHaveLength(10);
    expect(cases.every((c) => c.status === 'complete' && typeof c.score === 'number')).toBe(true);
    expect(new Set(cases.map((c) => c.localAuthority)).size).toBeGreaterThan(1);
    expect(await database.db.select().from(auditFinding).where(eq(auditFinding.auditId, audit!.id))).toHaveLength(2);
    const scores = await auditScores(database.db, audit!, cases);
    expect(scores.pillars.every((p) => typeof p.score === 'number')).toBe(true);
    // Reviews (pillar 4) come out weaker than plans (pillar 2), so the comparison has something to show.
    expect(scores.pillars.find((p) => p.number === 4)!.score!).toBeLessThan(scores.pillars.find((p) => p.number === 2)!.score!);
  });
});
