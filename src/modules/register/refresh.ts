import type { Actor } from '../../platform/access/actor.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { openDoor } from '../../platform/data/door.ts';
import type { Db } from '../../platform/db/database.ts';
import { evaluateHistory, legalPositionFor, loadHistory, reviewPolicyFor, storeDecision, summarise } from './decision.ts';
import { markDecisionCurrent, partnershipsToRefresh, staleDecisions } from './refresh.queries.ts';
import type { Decision } from '../../domain/rules/index.ts';

/**
 * Decisions depend on the date (a review becomes overdue, a dispute reaches four months), so
 * a daily job re-evaluates every person whose stored decision is older than today, in
 * batches. A changed decision is audited as the system; an unchanged one only moves its date.
 *
 * Through the one door to the data (docs/decisions/0006-one-door-to-the-data.md): the job reads
 * the list of partnerships itself, then works in each partnership through a door opened for a
 * system actor of that partnership (so row-level security confines every query and write to
 * it), one transaction per person, audited as the system acting for the organisation that
 * recorded the person. At most `batchSize` people a run, over all partnerships.
 */
export async function refreshStaleDecisions(db: Db, options: { today?: string; batchSize?: number; clock?: Clock } = {}): Promise<{ checked: number; changed: number }> {
  const clock = options.clock ?? systemClock;
  const today = options.today ?? clock.today();
  const batchSize = options.batchSize ?? 500;
  const requestId = `job:refresh-decisions:${today}`;
  let checked = 0;
  let changed = 0;
  for (const { partnershipId, organisationId } of await partnershipsToRefresh(db)) {
    if (checked >= batchSize) break;
    const door = openDoor(db, systemActor(partnershipId, organisationId), requestId);
    const stale = await door.read((q) => staleDecisions(q, partnershipId, today, batchSize - checked));
    checked += stale.length;
    for (const p of stale) {
      await door.forActor(systemActor(partnershipId, p.recordedBy)).transaction(async (tx, audit) => {
        const history = await loadHistory(tx, partnershipId, p.id);
        const decision = evaluateHistory(history, p.dateOfBirth, today, undefined, await reviewPolicyFor(tx, partnershipId));
        const before = p.decision ? JSON.stringify(summarise(p.decision as Decision)) : null;
        const after = JSON.stringify(summarise(decision));
        if (before === after) {
          await markDecisionCurrent(tx, partnershipId, p.id, today, decision, legalPositionFor(history, today));
          return;
        }
        changed += 1;
        await storeDecision(tx, partnershipId, p.id, decision, today, p.recordedBy, clock.now());
        await audit.change({
          action: 'decision.refreshed',
          subjectType: 'person',
          subjectId: p.id,
          before: before ? (JSON.parse(before) as unknown) : null,
          after: JSON.parse(after) as unknown,
        });
      });
    }
  }
  return { checked, changed };
}

function systemActor(partnershipId: string, organisationId: string): Actor {
  return { kind: 'user', userId: null, tokenId: null, displayName: 'Aftercare (daily check)', partnershipId, activeOrganisationId: organisationId, memberships: [] };
}
