/**
 * Who hears that work waits on them (issue 13): the active users of an organisation, or of the
 * whole partnership, who hold one of the roles that act on it. Platform code, so every module that
 * puts work in someone's queue finds its recipients the same way.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { appUser, membership } from '../db/schema.ts';
import { queueNotification, type QueuedNotification } from './outbox.ts';

export interface Recipient {
  id: string;
  email: string;
  name: string;
}

/** Active users holding any of `roles` in one of `organisationIds` (all the partnership's organisations when null). */
export async function usersWithRoles(q: DbOrTx, partnershipId: string, organisationIds: string[] | null, roles: readonly string[]): Promise<Recipient[]> {
  if (organisationIds !== null && organisationIds.length === 0) return [];
  const rows = await q
    .select({ id: appUser.id, email: appUser.email, name: appUser.displayName, roles: membership.roles })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.partnershipId, partnershipId), organisationIds === null ? undefined : inArray(membership.organisationId, organisationIds), eq(appUser.active, true)));
  const seen = new Set<string>();
  const out: Recipient[] = [];
  for (const r of rows) {
    if (seen.has(r.id) || !r.roles.some((role) => roles.includes(role))) continue;
    seen.add(r.id);
    out.push({ id: r.id, email: r.email, name: r.name });
  }
  return out;
}

/**
 * Tell each recipient (not the person who caused it) in the app and by email through the outbox,
 * once per dedupe key and recipient. Returns how many were queued.
 */
export async function tellEach(
  q: DbOrTx,
  recipients: readonly Recipient[],
  except: string | null,
  message: Omit<QueuedNotification, 'recipientUserId' | 'dedupeKey'> & { dedupeKey: string },
): Promise<number> {
  let queued = 0;
  for (const r of recipients) {
    if (r.id === except) continue;
    if (await queueNotification(q, { ...message, dedupeKey: `${message.dedupeKey}:${r.id}`, recipientUserId: r.id }, 'email')) queued += 1;
  }
  return queued;
}
