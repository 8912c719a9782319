import { sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import type { DbOrTx } from '../db/database.ts';
import { auditEvent } from '../db/schema.ts';

/**
 * The audit trail. Every write calls `recordChange` inside the same transaction as the
 * change, so either both are saved or neither is; every view of a person's record calls
 * `recordView`. Rows are never updated or deleted (a database trigger refuses it).
 */
export interface AuditScope {
  actor: Actor;
  requestId: string;
}

export interface ChangeEvent {
  /** Verb-noun, past tense: "organisation.updated", "user.created", "session.signed-in". */
  action: string;
  subjectType: string;
  subjectId: string | null;
  before?: unknown;
  after?: unknown;
}

/** Fields never copied into the audit trail. */
const secretFields = new Set(['passwordHash', 'tokenHash', 'password', 'token', 'clientSecret', 'clientSecretEncrypted']);

function scrub(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => (secretFields.has(key) ? '[not recorded]' : v)),
  ) as unknown;
}

export async function recordChange(tx: DbOrTx, scope: AuditScope, event: ChangeEvent): Promise<void> {
  await tx.insert(auditEvent).values({
    partnershipId: scope.actor.partnershipId,
    actorUserId: scope.actor.userId,
    actorTokenId: scope.actor.tokenId,
    organisationId: scope.actor.activeOrganisationId,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    before: scrub(event.before),
    after: scrub(event.after),
    requestId: scope.requestId,
  });
}

/**
 * Several changes in one multi-row statement (a batch of legal events, an import), scrubbed the
 * same way: the rows travel as one JSON parameter, however many there are.
 */
export async function recordChanges(tx: DbOrTx, scope: AuditScope, events: ChangeEvent[]): Promise<void> {
  if (!events.length) return;
  const rows = events.map((event) => ({ action: event.action, subject_type: event.subjectType, subject_id: event.subjectId, before: scrub(event.before), after: scrub(event.after) }));
  await tx.execute(sql`
    insert into audit_event (partnership_id, actor_user_id, actor_token_id, organisation_id, action, subject_type, subject_id, before, after, request_id)
    select ${scope.actor.partnershipId}, ${scope.actor.userId}::uuid, ${scope.actor.tokenId}::uuid, ${scope.actor.activeOrganisationId}::uuid, x.action, x.subject_type, x.subject_id, x.before, x.after, ${scope.requestId}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(action text, subject_type text, subject_id text, before jsonb, after jsonb)`);
}

/**
 * A change made before there is an actor to open a door for: partnership set-up (no user yet) and
 * a one-time set-password link (the person is not signed in). Scrubbed like every other row.
 */
export async function recordSystemChange(
  tx: DbOrTx,
  scope: { partnershipId: string; actorUserId?: string | null; requestId: string },
  event: ChangeEvent,
): Promise<void> {
  await tx.insert(auditEvent).values({
    partnershipId: scope.partnershipId,
    actorUserId: scope.actorUserId ?? null,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    before: scrub(event.before),
    after: scrub(event.after),
    requestId: scope.requestId,
  });
}

export async function recordView(
  db: DbOrTx,
  scope: AuditScope,
  subject: { subjectType: string; subjectId: string; detail?: unknown },
): Promise<void> {
  await db.insert(auditEvent).values({
    partnershipId: scope.actor.partnershipId,
    actorUserId: scope.actor.userId,
    actorTokenId: scope.actor.tokenId,
    organisationId: scope.actor.activeOrganisationId,
    action: `${subject.subjectType}.viewed`,
    subjectType: subject.subjectType,
    subjectId: subject.subjectId,
    after: scrub(subject.detail),
    requestId: scope.requestId,
  });
}
