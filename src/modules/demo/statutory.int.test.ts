import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/database.ts';
import type { Database } from '../../platform/db/database.ts';
import { auditEvent } from '../../platform/db/schema.ts';
import { bestInterestsDecision, capacityAssessment, imcaInstruction } from '../capacity/index.ts';
import { careActAssessment } from '../care-act/index.ts';
import { advocacyReferral, carerAssessment, carerLink } from '../carers/index.ts';
import { aftercarePlan } from '../plans/index.ts';
import { safeguardingConcern, safeguardingEnquiryRecord, safeguardingLink } from '../safeguarding/index.ts';
import { seedDemoWithPeople } from './people.ts';
import { seedDemoPlans } from './plans.ts';
import { seedDemoStatutory, type DemoStatutoryCounts } from './statutory.ts';

/** Issue 16's records in the demo, written through the modules' services: at least one of each state the demo is meant to show. */
let database: Database;
let partnershipId: string;
let counts: DemoStatutoryCounts;

beforeAll(async () => {
  database = await freshDatabase();
  ({ partnershipId } = await seedDemoWithPeople(database, {
    count: 60,
    after: async (tx, id, config) => {
      await seedDemoPlans(tx, id, config);
      counts = await seedDemoStatutory(tx, id, config);
    },
  }));
}, 240_000);
afterAll(async () => {
  await database.close();
});

describe('demo statutory records (issue 16)', () => {
  it('raises safeguarding concerns: one waiting for the decision, one in enquiry with a strategy meeting and a protection plan, one concluded, one not met', async () => {
    const concerns = await database.db.select().from(safeguardingConcern).where(eq(safeguardingConcern.partnershipId, partnershipId));
    expect(concerns).toHaveLength(counts.concerns);
    expect(concerns.map((c) => c.status).sort()).toEqual(['awaiting-decision', 'closed', 'closed', 'enquiry']);
    const enquiry = concerns.find((c) => c.status === 'enquiry')!;
    expect(enquiry.protectionPlan).not.toBeNull();
    const records = await database.db.select().from(safeguardingEnquiryRecord).where(eq(safeguardingEnquiryRecord.concernId, enquiry.id));
    expect(records.map((r) => r.kind)).toContain('strategy-meeting');
    // Linked to the person's aftercare plan(s), when they have one.
    const [hasPlan] = await database.db.select().from(aftercarePlan).where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, enquiry.personId)));
    const links = await database.db.select().from(safeguardingLink).where(eq(safeguardingLink.concernId, enquiry.id));
    expect(links.length > 0).toBe(hasPlan !== undefined);
    expect(links.every((l) => l.kind === 'plan')).toBe(true);
    expect(concerns.some((c) => c.decision === 'met' && c.outcome === 'reduced')).toBe(true);
    expect(concerns.some((c) => c.decision === 'not-met')).toBe(true);
  });

  it('records capacity assessments about accommodation (has capacity, lacks capacity) and a best-interests meeting with an IMCA whose report is outstanding', async () => {
    const assessments = await database.db.select().from(capacityAssessment).where(eq(capacityAssessment.partnershipId, partnershipId));
    expect(assessments.map((a) => [a.topic, a.outcome]).sort()).toEqual([
      ['accommodation', 'has-capacity'],
      ['accommodation', 'lacks-capacity'],
    ]);
    expect(await database.db.select().from(bestInterestsDecision).where(eq(bestInterestsDecision.partnershipId, partnershipId))).toHaveLength(1);
    const [imca] = await database.db.select().from(imcaInstruction).where(eq(imcaInstruction.partnershipId, partnershipId));
    expect(imca!.reportReceivedOn).toBeNull();
  });

  it('records carers with consent, a carer’s assessment offered and one completed, and an IMHA referral', async () => {
    expect(await database.db.select().from(carerLink).where(eq(carerLink.partnershipId, partnershipId))).toHaveLength(counts.carers);
    const assessments = await database.db.select().from(carerAssessment).where(eq(carerAssessment.partnershipId, partnershipId));
    expect(assessments.filter((a) => a.completedOn !== null)).toHaveLength(1);
    expect(assessments.filter((a) => a.completedOn === null && a.acceptedOn === null)).toHaveLength(1);
    const referrals = await database.db.select().from(advocacyReferral).where(eq(advocacyReferral.partnershipId, partnershipId));
    expect(referrals.map((r) => r.kind)).toEqual(['imha']);
  });

  it('records Care Act assessments, one completed and eligible and one in draft, each audited as the practitioner’s', async () => {
    const assessments = await database.db.select().from(careActAssessment).where(eq(careActAssessment.partnershipId, partnershipId));
    expect(assessments.map((a) => [a.status, a.eligible]).sort()).toEqual([
      ['completed', true],
      ['draft', null],
    ]);
    const audited = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.partnershipId, partnershipId));
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['care-act-assessment.completed', 'safeguarding-concern.decided', 'safeguarding-enquiry.concluded']));
  });
});
