import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { legalEventSchema, type Decision } from '../../domain/rules/index.ts';
import { assertCan, assertCanOnPerson, canOnPerson } from '../../platform/access/policy.ts';
import { recordChange, recordView } from '../../platform/audit/audit.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, auditEvent, membership, organisation } from '../../platform/db/schema.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput, zodIssues } from '../../platform/http/validation.ts';
import { evaluateHistory, loadHistory, reviewPolicyFor, storeDecision, summarise, type StoredEvent } from './decision.ts';
import { contactInputSchema, isoDateField, personInputSchema } from './inputs.ts';
import { legalEvent, person, personContact, task, team } from './schema.ts';

export type PersonRow = typeof person.$inferSelect;

/** Load a person for an actor: 404 if there is no such person in their partnership, 403 if they have no relationship. */
export async function loadPerson(db: DbOrTx, ctx: Pick<ServiceContext, 'actor'>, personId: string, permission: 'person:read' | 'person:write' | 'person:audit', lock = false): Promise<PersonRow> {
  if (!z.uuid().safeParse(personId).success) throw new NotFoundError('Person not found');
  const query = db.select().from(person).where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.id, personId)));
  const row = (await (lock ? query.for('update') : query))[0];
  if (!row) throw new NotFoundError('Person not found');
  assertCanOnPerson(ctx.actor, permission, row);
  return row;
}

export interface LikelyDuplicate {
  id: string | null;
  nhsNumber: string | null;
  /** A record the actor has no relationship with: only its existence is shown. */
  hidden: boolean;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
}

/**
 * Same name and date of birth, different NHS number: warned about, never merged silently.
 * The details of someone the actor has no relationship with are not shown: only that such a
 * record exists (`hidden: true`), so the warning still stops a duplicate.
 */
export async function findLikelyDuplicates(ctx: ServiceContext, input: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber: string }, exceptId?: string): Promise<LikelyDuplicate[]> {
  const rows = await ctx.db
    .select({
      id: person.id,
      nhsNumber: person.nhsNumber,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      partnershipId: person.partnershipId,
      responsibleLocalAuthority: person.responsibleLocalAuthority,
      responsibleIcb: person.responsibleIcb,
      involvedOrganisations: person.involvedOrganisations,
    })
    .from(person)
    .where(
      and(
        eq(person.partnershipId, ctx.actor.partnershipId),
        sql`lower(${person.familyName}) = lower(${input.familyName})`,
        sql`lower(${person.givenName}) = lower(${input.givenName})`,
        eq(person.dateOfBirth, input.dateOfBirth),
        ne(person.nhsNumber, input.nhsNumber),
        exceptId ? ne(person.id, exceptId) : undefined,
      ),
    )
    .limit(5);
  return rows.map((r) =>
    canOnPerson(ctx.actor, 'person:read', r)
      ? { id: r.id, nhsNumber: r.nhsNumber, givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth, hidden: false }
      : { id: null, nhsNumber: null, givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth, hidden: true },
  );
}

async function assertTeamInPartnership(db: DbOrTx, partnershipId: string, teamId: string | null): Promise<string | null> {
  if (!teamId) return null;
  const row = (await db.select({ organisationId: team.organisationId }).from(team).where(and(eq(team.partnershipId, partnershipId), eq(team.id, teamId))))[0];
  if (!row) throw new InputError([{ path: 'allocatedTeamId', message: 'Select a team from the list' }]);
  return row.organisationId;
}

async function assertLeadInPartnership(db: DbOrTx, partnershipId: string, userId: string | null): Promise<void> {
  if (!userId) return;
  const row = (await db.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.id, userId))))[0];
  if (!row) throw new InputError([{ path: 'leadPractitionerId', message: 'Select a practitioner from the list' }]);
}

/**
 * Add a person to the register. `confirmDuplicate` must be true when likely duplicates exist.
 * The recording organisation is involved with them, so they stay visible to it.
 */
export async function createPerson(ctx: ServiceContext, input: unknown, options: { confirmDuplicate?: boolean } = {}) {
  assertCan(ctx.actor, 'person:write', { partnershipId: ctx.actor.partnershipId, organisationId: ctx.actor.activeOrganisationId });
  const today = todayInLondon();
  const data = parseInput(personInputSchema(today), input);
  const duplicates = await findLikelyDuplicates(ctx, { ...data, dateOfBirth: data.dateOfBirth! });
  if (duplicates.length > 0 && !options.confirmDuplicate) return { outcome: 'possible-duplicates' as const, duplicates, data };
  return ctx.db.transaction(async (tx) => {
    const clash = await tx.select({ id: person.id }).from(person).where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.nhsNumber, data.nhsNumber)));
    if (clash.length > 0) throw new InputError([{ path: 'nhsNumber', message: 'A person with this NHS number is already on the register' }]);
    const teamOrg = await assertTeamInPartnership(tx, ctx.actor.partnershipId, data.allocatedTeamId);
    await assertLeadInPartnership(tx, ctx.actor.partnershipId, data.leadPractitionerId);
    const involved = [...new Set([ctx.actor.activeOrganisationId, ...(teamOrg ? [teamOrg] : [])])];
    const [created] = await tx
      .insert(person)
      .values({ ...data, dateOfBirth: data.dateOfBirth!, partnershipId: ctx.actor.partnershipId, recordedByOrganisationId: ctx.actor.activeOrganisationId, involvedOrganisations: involved })
      .returning();
    const decision = evaluateHistory([], created!.dateOfBirth, today, undefined, await reviewPolicyFor(tx, ctx.actor.partnershipId));
    await storeDecision(tx, ctx.actor.partnershipId, created!.id, decision, today, ctx.actor.activeOrganisationId);
    // Read back: storing the decision moved the version on.
    const saved = (await tx.select().from(person).where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.id, created!.id))))[0]!;
    await recordChange(tx, ctx, { action: 'person.created', subjectType: 'person', subjectId: saved.id, after: { ...saved, decision: summarise(decision) } });
    return { outcome: 'created' as const, person: saved };
  });
}

export async function updatePerson(ctx: ServiceContext, personId: string, version: number, input: unknown) {
  const today = todayInLondon();
  const data = parseInput(personInputSchema(today), input);
  return ctx.db.transaction(async (tx) => {
    const before = await loadPerson(tx, ctx, personId, 'person:write');
    if (data.nhsNumber !== before.nhsNumber) {
      const clash = await tx.select({ id: person.id }).from(person).where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.nhsNumber, data.nhsNumber)));
      if (clash.length > 0) throw new InputError([{ path: 'nhsNumber', message: 'A person with this NHS number is already on the register' }]);
    }
    const teamOrg = await assertTeamInPartnership(tx, ctx.actor.partnershipId, data.allocatedTeamId);
    await assertLeadInPartnership(tx, ctx.actor.partnershipId, data.leadPractitionerId);
    const involved = [...new Set([...before.involvedOrganisations, ...(teamOrg ? [teamOrg] : [])])];
    const updated = expectOneUpdated(
      await tx
        .update(person)
        .set({ ...data, dateOfBirth: data.dateOfBirth!, involvedOrganisations: involved, updatedAt: new Date(), version: version + 1 })
        .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.id, personId), eq(person.version, version)))
        .returning(),
    );
    // Date of birth feeds the rules (children, top-ups): re-evaluate.
    const decision = evaluateHistory(await loadHistory(tx, ctx.actor.partnershipId, personId), updated.dateOfBirth, today, undefined, await reviewPolicyFor(tx, ctx.actor.partnershipId));
    await storeDecision(tx, ctx.actor.partnershipId, personId, decision, today, ctx.actor.activeOrganisationId);
    await recordChange(tx, ctx, { action: 'person.updated', subjectType: 'person', subjectId: personId, before, after: updated });
    return updated;
  });
}

/** Everything the person page shows. Every view is audited. */
export async function getPersonRecord(ctx: ServiceContext, personId: string) {
  const row = await loadPerson(ctx.db, ctx, personId, 'person:read');
  const [events, contacts, tasks, teamRow, lead, orgs] = await Promise.all([
    ctx.db
      .select()
      .from(legalEvent)
      .where(and(eq(legalEvent.partnershipId, ctx.actor.partnershipId), eq(legalEvent.personId, personId)))
      .orderBy(desc(legalEvent.occurredOn), desc(legalEvent.sequence)),
    ctx.db.select().from(personContact).where(and(eq(personContact.partnershipId, ctx.actor.partnershipId), eq(personContact.personId, personId))).orderBy(asc(personContact.relationship)),
    ctx.db
      .select({ task, ownerName: organisation.name })
      .from(task)
      .leftJoin(organisation, eq(organisation.id, task.ownerOrganisationId))
      .where(and(eq(task.partnershipId, ctx.actor.partnershipId), eq(task.personId, personId)))
      .orderBy(desc(task.createdAt)),
    row.allocatedTeamId
      ? ctx.db.select({ name: team.name, organisationName: organisation.name }).from(team).innerJoin(organisation, eq(organisation.id, team.organisationId)).where(and(eq(team.partnershipId, row.partnershipId), eq(team.id, row.allocatedTeamId)))
      : Promise.resolve([]),
    row.leadPractitionerId ? ctx.db.select({ name: appUser.displayName }).from(appUser).where(eq(appUser.id, row.leadPractitionerId)) : Promise.resolve([]),
    ctx.db.select({ id: organisation.id, code: organisation.code, onsCode: organisation.onsCode, name: organisation.name }).from(organisation).where(eq(organisation.partnershipId, ctx.actor.partnershipId)),
  ]);
  await recordView(ctx.db, ctx, { subjectType: 'person', subjectId: personId });
  const orgName = (code: string | null) => (code ? (orgs.find((o) => o.code === code || o.onsCode === code)?.name ?? code) : null);
  return {
    person: row,
    decision: row.decision as Decision | null,
    events,
    contacts,
    tasks: tasks.map((t) => ({ ...t.task, ownerName: t.ownerName })),
    team: teamRow[0] ?? null,
    leadPractitioner: lead[0]?.name ?? null,
    organisationName: orgName,
    canWrite: canOnPerson(ctx.actor, 'person:write', row),
    canSeeAudit: canOnPerson(ctx.actor, 'person:audit', row),
  };
}

/** Who viewed and changed the record: managers and audit roles only. */
export async function getPersonAudit(ctx: ServiceContext, personId: string) {
  await loadPerson(ctx.db, ctx, personId, 'person:audit');
  return ctx.db
    .select({ at: auditEvent.at, action: auditEvent.action, actorName: appUser.displayName, actorTokenId: auditEvent.actorTokenId, organisationName: organisation.name })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.actorUserId))
    .leftJoin(organisation, eq(organisation.id, auditEvent.organisationId))
    .where(and(eq(auditEvent.partnershipId, ctx.actor.partnershipId), eq(auditEvent.subjectType, 'person'), eq(auditEvent.subjectId, personId)))
    .orderBy(desc(auditEvent.at), desc(auditEvent.id))
    .limit(200);
}

// ---------------------------------------------------------------------------
// Legal history
// ---------------------------------------------------------------------------

export interface EventInput {
  /** An event of the rules-engine contract: { type, date, …fields }. */
  event: unknown;
  hospital?: string | null;
  /** The sender's id: an event already recorded with it is returned unchanged. */
  externalId?: string | null;
  source?: 'manual' | 'api' | 'ingest';
}

function parseEvent(raw: unknown, today: string) {
  const parsed = legalEventSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(zodIssues(parsed.error));
  const dateCheck = isoDateField('the date', { required: true, notFuture: true, today }).safeParse(parsed.data.date);
  if (!dateCheck.success) throw new InputError([{ path: 'date', message: 'The date of a legal event must be today or in the past' }]);
  const { type, date, ...payload } = parsed.data as { type: string; date: string } & Record<string, unknown>;
  return { type, date, payload };
}

/**
 * Record one legal event. The rules engine re-runs over the whole history in the same
 * transaction; an event that makes the history impossible is refused with the engine's reason.
 */
/**
 * Who may change a person's legal history: anyone with person:write, unless the change carries
 * out a decision the policy has already authorised (a joint ending approved by both bodies is
 * recorded by whoever gives the second approval, who may be a commissioner with person:read).
 */
export interface HistoryChangeOptions {
  readonly permission?: 'person:write' | 'person:read';
}

export async function recordEvent(ctx: ServiceContext, personId: string, input: EventInput, options: HistoryChangeOptions = {}) {
  const today = todayInLondon();
  const { type, date, payload } = parseEvent(input.event, today);
  const hospital = input.hospital?.trim() || null;
  const externalId = input.externalId?.trim() || null;
  return ctx.db.transaction(async (tx) => {
    const before = await loadPerson(tx, ctx, personId, options.permission ?? 'person:write', true);
    if (externalId) {
      const existing = (await tx.select().from(legalEvent).where(and(eq(legalEvent.partnershipId, ctx.actor.partnershipId), eq(legalEvent.externalId, externalId))))[0];
      if (existing) {
        if (existing.personId !== personId) throw new InputError([{ path: 'externalId', message: 'This externalId has already been used for another person’s event' }]);
        // Re-sending the same event changes nothing; a different event under a used id is a mistake.
        const same = existing.type === type && existing.occurredOn === date && JSON.stringify(existing.payload) === JSON.stringify(payload);
        if (!same) throw new InputError([{ path: 'externalId', message: `The externalId "${externalId}" was already used for a different event. Nothing was changed: send a new externalId for a new event, or correct the recorded event on the person's record` }]);
        return { outcome: 'already-recorded' as const, event: existing, decision: before.decision as Decision };
      }
    }
    const history = await loadHistory(tx, ctx.actor.partnershipId, personId);
    // After every event already recorded on that date, removed ones included, so no two share a place.
    const last = await tx
      .select({ last: sql<number>`coalesce(max(${legalEvent.sequence}), 0)`.mapWith(Number) })
      .from(legalEvent)
      .where(and(eq(legalEvent.partnershipId, ctx.actor.partnershipId), eq(legalEvent.personId, personId), eq(legalEvent.occurredOn, date)));
    const sequence = (last[0]?.last ?? 0) + 1;
    const [created] = await tx
      .insert(legalEvent)
      .values({ partnershipId: ctx.actor.partnershipId, personId, type, occurredOn: date, sequence, payload, hospital, externalId, source: input.source ?? 'manual', recordedBy: ctx.actor.userId })
      .returning();
    const newHistory: StoredEvent[] = [...history, { id: created!.id, type, occurredOn: date, payload }].sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : 0));
    const focus = newHistory.findIndex((e) => e.id === created!.id);
    const decision = evaluateHistory(newHistory, before.dateOfBirth, today, focus, await reviewPolicyFor(tx, ctx.actor.partnershipId));
    // The organisation recording a detention (usually the trust) is involved from then on.
    if (!before.involvedOrganisations.includes(ctx.actor.activeOrganisationId)) {
      await tx
        .update(person)
        .set({ involvedOrganisations: [...before.involvedOrganisations, ctx.actor.activeOrganisationId] })
        .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.id, personId)));
    }
    await storeDecision(tx, ctx.actor.partnershipId, personId, decision, today, before.recordedByOrganisationId);
    await recordChange(tx, ctx, {
      action: 'legal-event.recorded',
      subjectType: 'person',
      subjectId: personId,
      before: { decision: before.decision ? summarise(before.decision as Decision) : null },
      after: { event: { id: created!.id, type, date, ...payload, hospital, externalId }, decision: summarise(decision) },
    });
    return { outcome: 'recorded' as const, event: created!, decision };
  });
}

/** Correct a mistaken event: it is voided (kept, with the reason) and the history re-evaluated. */
export async function voidEvent(ctx: ServiceContext, personId: string, eventId: string, version: number, reason: string, options: HistoryChangeOptions = {}) {
  const why = reason.trim();
  if (!why) throw new InputError([{ path: 'reason', message: 'Enter why this event is being removed' }]);
  if (why.length > 1000) throw new InputError([{ path: 'reason', message: 'Reason must be 1000 characters or fewer' }]);
  const today = todayInLondon();
  return ctx.db.transaction(async (tx) => {
    const before = await loadPerson(tx, ctx, personId, options.permission ?? 'person:write', true);
    const voided = expectOneUpdated(
      await tx
        .update(legalEvent)
        .set({ voidedAt: new Date(), voidReason: why, version: version + 1, updatedAt: new Date() })
        .where(and(eq(legalEvent.partnershipId, ctx.actor.partnershipId), eq(legalEvent.personId, personId), eq(legalEvent.id, eventId), eq(legalEvent.version, version), sql`${legalEvent.voidedAt} is null`))
        .returning(),
    );
    const decision = evaluateHistory(await loadHistory(tx, ctx.actor.partnershipId, personId), before.dateOfBirth, today, undefined, await reviewPolicyFor(tx, ctx.actor.partnershipId));
    await storeDecision(tx, ctx.actor.partnershipId, personId, decision, today, before.recordedByOrganisationId);
    await recordChange(tx, ctx, {
      action: 'legal-event.voided',
      subjectType: 'person',
      subjectId: personId,
      before: { event: { id: voided.id, type: voided.type, date: voided.occurredOn }, decision: before.decision ? summarise(before.decision as Decision) : null },
      after: { reason: why, decision: summarise(decision) },
    });
    return decision;
  });
}

// ---------------------------------------------------------------------------
// Contacts and tasks
// ---------------------------------------------------------------------------

export async function addContact(ctx: ServiceContext, personId: string, input: unknown) {
  const data = parseInput(contactInputSchema, input);
  return ctx.db.transaction(async (tx) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    const [created] = await tx.insert(personContact).values({ ...data, partnershipId: ctx.actor.partnershipId, personId }).returning();
    await recordChange(tx, ctx, { action: 'contact.added', subjectType: 'person', subjectId: personId, after: created });
    return created!;
  });
}

export async function completeTask(ctx: ServiceContext, personId: string, taskId: string, version: number, outcome: string) {
  const text = outcome.trim();
  if (!text) throw new InputError([{ path: 'outcome', message: 'Enter what was decided or done' }]);
  return ctx.db.transaction(async (tx) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    const before = (await tx.select().from(task).where(and(eq(task.partnershipId, ctx.actor.partnershipId), eq(task.id, taskId), eq(task.personId, personId))))[0];
    if (!before) throw new NotFoundError('Task not found');
    const updated = expectOneUpdated(
      await tx
        .update(task)
        .set({ status: 'done', outcome: text, completedAt: new Date(), completedBy: ctx.actor.userId, version: version + 1, updatedAt: new Date() })
        .where(and(eq(task.partnershipId, ctx.actor.partnershipId), eq(task.id, taskId), eq(task.version, version), eq(task.status, 'open')))
        .returning(),
    );
    await recordChange(tx, ctx, { action: 'task.completed', subjectType: 'person', subjectId: personId, before, after: updated });
    return updated;
  });
}

/** A follow-up task for someone who may be lost to follow-up (one click from the finder). */
export async function createFollowUpTask(ctx: ServiceContext, personId: string, reason: string) {
  return ctx.db.transaction(async (tx) => {
    const p = await loadPerson(tx, ctx, personId, 'person:write');
    const ownerOrg = (await tx.select({ id: organisation.id }).from(organisation).where(and(eq(organisation.partnershipId, ctx.actor.partnershipId), eq(organisation.code, p.responsibleLocalAuthority ?? ''))))[0]?.id ?? ctx.actor.activeOrganisationId;
    const [created] = await tx
      .insert(task)
      .values({ partnershipId: ctx.actor.partnershipId, personId, kind: 'follow-up', title: `Follow up: ${reason}`, ownerOrganisationId: ownerOrg, dueOn: todayInLondon() })
      .returning();
    await recordChange(tx, ctx, { action: 'task.created', subjectType: 'person', subjectId: personId, after: created });
    return created!;
  });
}

/** People who can be a lead practitioner: practitioners, senior practitioners and managers in the partnership. */
export async function listPractitioners(ctx: ServiceContext) {
  const rows = await ctx.db
    .selectDistinct({ id: appUser.id, name: appUser.displayName, organisationName: organisation.name })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(
      and(
        eq(membership.partnershipId, ctx.actor.partnershipId),
        eq(appUser.active, true),
        sql`${membership.roles} && array['practitioner','senior-practitioner','team-manager']::role[]`,
      ),
    )
    .orderBy(asc(appUser.displayName));
  return rows;
}

export async function listTeams(ctx: ServiceContext) {
  return ctx.db
    .select({ id: team.id, name: team.name, organisationId: team.organisationId, organisationName: organisation.name })
    .from(team)
    .innerJoin(organisation, eq(organisation.id, team.organisationId))
    .where(eq(team.partnershipId, ctx.actor.partnershipId))
    .orderBy(asc(organisation.name), asc(team.name));
}
