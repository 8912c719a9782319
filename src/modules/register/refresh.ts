import { and, asc, eq, lt, or, isNull } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.ts';
import { recordChange } from '../../platform/audit/audit.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { evaluateHistory, loadHistory, reviewPolicyFor, storeDecision, summarise } from './decision.ts';
import { person } from './schema.ts';
import type { Decision } from '../../domain/rules/index.ts';

/**
 * Decisions depend on the date (a review becomes overdue, a dispute reaches four months), so
 * a daily job re-evaluates every person whose stored decision is older than today, in
 * batches. A changed decision is audited as the system; an unchanged one only moves its date.
 */
export async function refreshStaleDecisions(db: Db, options: { today?: string; batchSize?: number } = {}): Promise<{ checked: number; changed: number }> {
  const today = options.today ?? todayInLondon();
  const stale = await db
    .select({ partnershipId: person.partnershipId, id: person.id, dateOfBirth: person.dateOfBirth, decision: person.decision, recordedBy: person.recordedByOrganisationId })
    .from(person)
    .where(or(lt(person.decidedOn, today), isNull(person.decidedOn)))
    .orderBy(asc(person.decidedOn))
    .limit(options.batchSize ?? 500);
  let changed = 0;
  for (const p of stale) {
    await db.transaction(async (tx) => {
      const history = await loadHistory(tx, p.partnershipId, p.id);
      const decision = evaluateHistory(history, p.dateOfBirth, today, undefined, await reviewPolicyFor(tx, p.partnershipId));
      const before = p.decision ? JSON.stringify(summarise(p.decision as Decision)) : null;
      const after = JSON.stringify(summarise(decision));
      if (before === after) {
        await tx.update(person).set({ decidedOn: today, decision }).where(and(eq(person.partnershipId, p.partnershipId), eq(person.id, p.id)));
        return;
      }
      changed += 1;
      await storeDecision(tx, p.partnershipId, p.id, decision, today, p.recordedBy, new Date());
      await recordChange(tx, { actor: systemActor(p.partnershipId, p.recordedBy), requestId: `job:refresh-decisions:${today}` }, {
        action: 'decision.refreshed',
        subjectType: 'person',
        subjectId: p.id,
        before: before ? (JSON.parse(before) as unknown) : null,
        after: JSON.parse(after) as unknown,
      });
    });
  }
  return { checked: stale.length, changed };
}

function systemActor(partnershipId: string, organisationId: string): Actor {
  return { kind: 'user', userId: null, tokenId: null, displayName: 'Aftercare (daily check)', partnershipId, activeOrganisationId: organisationId, memberships: [] };
}
