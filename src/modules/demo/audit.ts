/**
 * Demo data for the annual case audit: the default checklist, and last year's audit, completed,
 * so a new audit compared with it shows figures and changes. Written through the services as the
 * demo quality lead, in the demo seed's transaction; answers are deterministic (no randomness), so
 * every fresh demo shows the same scores.
 */
import type { Config } from '../../platform/config/config.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { type auditAnswers } from '../../domain/audit-score.ts';
import { addFinding, completeAudit, configureAudit, getAudit, saveCase, snapshotOf } from '../annual-audit/index.ts';
import { ensureChecklist } from '../annual-audit/index.ts';
import { demoContext } from './context.ts';
import { findDemoUserId } from './demo.queries.ts';

export const DEMO_AUDIT_NAME = 'Section 117 case audit 2025';
export const DEMO_AUDIT_SEED = 'demo-audit-2025';

const contextFor = (tx: Tx, partnershipId: string, config: Config, email: string, orgCode: string): Promise<ServiceContext> =>
  demoContext(tx, partnershipId, config, email, orgCode, 'seed:demo-audit');

async function userId(tx: Tx, partnershipId: string, email: string): Promise<string> {
  const id = await findDemoUserId(tx, partnershipId, email);
  if (!id) throw new Error(`The demo user ${email} is missing`);
  return id;
}

/**
 * A fixed pattern of answers: mostly met, some partly met, a few not met or not applicable, with
 * reviews (pillar 4) and rights and records (pillars 1 and 8) weaker than the rest, as audits
 * commonly find, so the pillars' scores differ.
 */
export function demoAnswer(caseIndex: number, itemIndex: number, pillar: number): (typeof auditAnswers)[number] {
  const k = (caseIndex * 7 + itemIndex * 3) % 10;
  const metUpTo = pillar === 4 ? 3 : pillar === 1 || pillar === 8 ? 4 : pillar === 2 || pillar === 9 ? 6 : 5;
  if (k <= metUpTo) return 'met';
  if (k <= metUpTo + 2) return 'partly-met';
  if (k <= 8) return 'not-met';
  return 'not-applicable';
}

export async function seedDemoAudit(tx: Tx, partnershipId: string, config: Config): Promise<{ auditId: string; cases: number } | null> {
  const ctx = await contextFor(tx, partnershipId, config, 'quality@demo.aftercare.example', 'QZV');
  await ensureChecklist(tx, ctx);
  const audit = await configureAudit(ctx, {
    name: DEMO_AUDIT_NAME,
    periodStart: '2025-04-01',
    periodEnd: '2026-03-31',
    sampleSize: '10',
    stratifyBy: 'local-authority',
    seed: DEMO_AUDIT_SEED,
    previousAuditId: '',
  });
  const detail = await getAudit(ctx, audit.id);
  const snapshot = snapshotOf(detail.audit);
  for (const [i, c] of detail.cases.entries()) {
    const form: Record<string, string> = {};
    snapshot.items.forEach((item, j) => {
      form[`answer-${item.id}`] = demoAnswer(i, j, item.pillar);
    });
    await saveCase(ctx, audit.id, c.id, c.version, form, true);
  }
  await addFinding(ctx, audit.id, {
    pillar: '4',
    finding: 'Several people had no review in the last 12 months, mostly people no longer open to a team.',
    action: 'Team managers to book reviews for everyone overdue and check monthly from the register.',
    ownerUserId: await userId(tx, partnershipId, 'manager@demo.aftercare.example'),
    dueOn: '2026-06-30',
    competencyDomain: '4',
  });
  await addFinding(ctx, audit.id, {
    pillar: '1',
    finding: 'Rights were not always given in writing, or not in the person’s format.',
    action: 'Send the statement of entitlement to everyone without a recorded date; add it to the discharge checklist.',
    ownerUserId: await userId(tx, partnershipId, 'senior@demo.aftercare.example'),
    dueOn: '2026-05-31',
    competencyDomain: '1',
  });
  const current = await getAudit(ctx, audit.id);
  await completeAudit(ctx, audit.id, current.audit.version);
  return { auditId: audit.id, cases: detail.cases.length };
}
