import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { personDocument } from '../documents/index.ts';
import { aftercarePlan } from '../plans/index.ts';
import { legalEvent } from '../register/index.ts';
import { endingProposal } from './schema.ts';

/*
 * The endings module's data layer: the only file of the module that imports drizzle-orm. The
 * service hands these functions the query handle the door gave it (`ctx.data.read` /
 * `ctx.data.transaction`), so row-level security already confines them to the actor's
 * partnership; the partnership filters stay as the leading index key and a second line.
 */

export type EndingRow = typeof endingProposal.$inferSelect;

/** The partnership's organisations with their contact details (for names and letters). */
export async function organisationsOf(q: DbOrTx, partnershipId: string) {
  return q
    .select({ id: organisation.id, code: organisation.code, onsCode: organisation.onsCode, name: organisation.name, contactPhone: organisation.contactPhone, contactEmail: organisation.contactEmail, contactAddress: organisation.contactAddress })
    .from(organisation)
    .where(eq(organisation.partnershipId, partnershipId));
}

/** The display names of the given users. */
export async function findUserNames(q: DbOrTx, ids: string[]): Promise<Array<{ id: string; name: string }>> {
  if (ids.length === 0) return [];
  return q.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(inArray(appUser.id, ids));
}

/** One proposal of the person's, locked for update if asked. */
export async function findProposal(q: DbOrTx, partnershipId: string, personId: string, endingId: string, lock = false): Promise<EndingRow | undefined> {
  const query = q
    .select()
    .from(endingProposal)
    .where(and(eq(endingProposal.partnershipId, partnershipId), eq(endingProposal.personId, personId), eq(endingProposal.id, endingId)));
  return (await (lock ? query.for('update') : query))[0];
}

/** The person's proposals, newest first. */
export async function findPersonProposals(q: DbOrTx, partnershipId: string, personId: string): Promise<EndingRow[]> {
  return q
    .select()
    .from(endingProposal)
    .where(and(eq(endingProposal.partnershipId, partnershipId), eq(endingProposal.personId, personId)))
    .orderBy(desc(endingProposal.proposedAt), desc(endingProposal.id));
}

/** The person's open proposals (status 'proposed'): at most one in practice. */
export async function findOpenProposalIds(q: DbOrTx, partnershipId: string, personId: string): Promise<Array<{ id: string }>> {
  return q
    .select({ id: endingProposal.id })
    .from(endingProposal)
    .where(and(eq(endingProposal.partnershipId, partnershipId), eq(endingProposal.personId, personId), eq(endingProposal.status, 'proposed')));
}

export async function insertProposal(tx: DbOrTx, values: typeof endingProposal.$inferInsert): Promise<EndingRow> {
  const [created] = await tx.insert(endingProposal).values(values).returning();
  return created!;
}

/**
 * Update the proposal saved at `version` (optimistic concurrency), and only while it is still
 * open if `whileOpen`: the updated row, or none if somebody saved (or decided) first.
 */
export async function updateProposalAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  endingId: string,
  version: number,
  changes: Partial<Omit<EndingRow, 'id' | 'partnershipId' | 'personId' | 'version' | 'createdAt' | 'proposedAt' | 'proposedBy'>>,
  options: { whileOpen?: boolean } = {},
): Promise<EndingRow[]> {
  return tx
    .update(endingProposal)
    .set({ ...changes, version: version + 1 })
    .where(
      and(
        eq(endingProposal.partnershipId, partnershipId),
        eq(endingProposal.id, endingId),
        eq(endingProposal.version, version),
        options.whileOpen ? eq(endingProposal.status, 'proposed') : undefined,
      ),
    )
    .returning();
}

/** The person's ending letters, newest first. */
export async function findEndingLetters(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ id: personDocument.id, title: personDocument.title, accessibleFormat: personDocument.accessibleFormat, fileName: personDocument.fileName, createdAt: personDocument.createdAt })
    .from(personDocument)
    .where(and(eq(personDocument.partnershipId, partnershipId), eq(personDocument.personId, personId), eq(personDocument.kind, 'ending-letter')))
    .orderBy(desc(personDocument.createdAt));
}

/** The person's `aftercare-ended` event with this id, if it is still in effect (not voided). */
export async function findEndingEventInEffect(q: DbOrTx, partnershipId: string, personId: string, eventId: string): Promise<{ id: string; version: number } | undefined> {
  return (
    await q
      .select({ id: legalEvent.id, version: legalEvent.version })
      .from(legalEvent)
      .where(and(eq(legalEvent.partnershipId, partnershipId), eq(legalEvent.personId, personId), eq(legalEvent.id, eventId), eq(legalEvent.type, 'aftercare-ended'), isNull(legalEvent.voidedAt)))
  )[0];
}

/** The advocacy list of the person's latest plan (issue 16, item 6), or null without a plan. */
export async function latestPlanAdvocacy(q: DbOrTx, partnershipId: string, personId: string): Promise<unknown> {
  const rows = await q.select({ advocacy: aftercarePlan.advocacy }).from(aftercarePlan).where(and(eq(aftercarePlan.partnershipId, partnershipId), eq(aftercarePlan.personId, personId))).orderBy(desc(aftercarePlan.createdAt)).limit(1);
  return rows[0]?.advocacy ?? null;
}
