import { findApprovedPlanInShort } from './plans.queries.ts';

/**
 * The section 117 needs and services of the person's approved plan, in the plan's own words: the
 * plan part of the statement of entitlement (src/modules/documents, registered in src/app.ts).
 * It runs with the handle the documents module hands it, inside that module's door unit, so
 * row-level security confines it to the actor's partnership; the query is in plans.queries.ts.
 */
export const approvedPlanInShort: (q: Parameters<typeof findApprovedPlanInShort>[0], partnershipId: string, personId: string) => Promise<{ needs: string[]; services: string[] } | null> =
  findApprovedPlanInShort;
