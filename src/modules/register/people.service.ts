import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Decision } from '../../domain/rules/index.ts';
import { assertCan, assertCanOnPerson, canOnPerson } from '../../platform/access/policy.ts';
import { recordChange, recordView } from '../../platform/audit/audit.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, auditEvent, membership, organisation } from '../../platform/db/schema.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { evaluateHistory, loadHistory, reviewPolicyFor, storeDecision, summarise } from './decision.ts';
import { applyEvents, voidEvents, WorkflowOnlyEventError, type ApplyOptions, type EventInput } from './events.service.ts';
import { contactInputSchema, personInputSchema } from './inputs.ts';
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
  /** A record the actor has no relationship with: only its existence is shown, nothing from it. */
  hidden: boolean;
  /** The record's name and date of birth; null when hidden (the actor sees only what they typed). */
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
}

/** Shown when the NHS number is already on a record the actor may open. */
export const NHS_NUMBER_ON_REGISTER = 'A person with this NHS number is already on the register. Search the register for the NHS number to open their record';
/**
 * Shown when it is on a record the actor may not open: that it exists and whom to ask, nothing
 * else (docs/decisions/0005-duplicate-checks-and-disclosure.md).
 */
export const NHS_NUMBER_ELSEWHERE =
  'A person with this NHS number is already recorded in the partnership, on a record your organisation has no access to. Nothing was added. Ask the responsible local authority or the Section 117 lead to involve your organisation with their record';

/**
 * Telling an organisation that someone it cannot see is on the register is a disclosure: it is
 * recorded on that person's record (their audit tab shows which organisation was told, and why).
 * Called outside any transaction that the refusal will roll back.
 */
async function recordPresenceDisclosed(ctx: ServiceContext, personIds: string[], check: 'same-nhs-number' | 'same-name-and-date-of-birth'): Promise<void> {
  for (const subjectId of personIds) {
    await recordChange(ctx.db, ctx, { action: 'person.presence-disclosed', subjectType: 'person', subjectId, after: { check, toOrganisationId: ctx.actor.activeOrganisationId } });
  }
}

/**
 * Same name and date of birth, different NHS number: warned about, never merged silently.
 * Of someone the actor has no relationship with, nothing is shown: not their name, NHS number,
 * id or a link, only that a record like the one typed exists (`hidden: true`), so the warning
 * still stops a duplicate; with `recordDisclosure` that disclosure is audited on their record.
 */
export async function findLikelyDuplicates(
  ctx: ServiceContext,
  input: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber: string },
  exceptId?: string,
  recordDisclosure = false,
): Promise<LikelyDuplicate[]> {
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
  const hidden = rows.filter((r) => !canOnPerson(ctx.actor, 'person:read', r));
  if (recordDisclosure && hidden.length > 0) await recordPresenceDisclosed(ctx, hidden.map((r) => r.id), 'same-name-and-date-of-birth');
  return rows.map((r) =>
    hidden.includes(r)
      ? { id: null, nhsNumber: null, givenName: null, familyName: null, dateOfBirth: null, hidden: true }
      : { id: r.id, nhsNumber: r.nhsNumber, givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth, hidden: false },
  );
}

/**
 * An NHS number identifies one person: a second record for it is refused. Whether the actor may
 * open the existing record decides what they are told (`NHS_NUMBER_ON_REGISTER` or
 * `NHS_NUMBER_ELSEWHERE`); with `recordDisclosure` (outside a transaction) telling them about a
 * record they cannot open is audited on it.
 */
export async function refuseExistingNhsNumber(db: DbOrTx, ctx: ServiceContext, nhsNumber: string, recordDisclosure = false): Promise<void> {
  const clash = (
    await db
      .select({ id: person.id, partnershipId: person.partnershipId, responsibleLocalAuthority: person.responsibleLocalAuthority, responsibleIcb: person.responsibleIcb, involvedOrganisations: person.involvedOrganisations })
      .from(person)
      .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.nhsNumber, nhsNumber)))
  )[0];
  if (!clash) return;
  const readable = canOnPerson(ctx.actor, 'person:read', clash);
  if (!readable && recordDisclosure) await recordPresenceDisclosed(ctx, [clash.id], 'same-nhs-number');
  throw new InputError([{ path: 'nhsNumber', message: readable ? NHS_NUMBER_ON_REGISTER : NHS_NUMBER_ELSEWHERE }]);
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
  await refuseExistingNhsNumber(ctx.db, ctx, data.nhsNumber, true);
  const duplicates = await findLikelyDuplicates(ctx, { ...data, dateOfBirth: data.dateOfBirth! }, undefined, !options.confirmDuplicate);
  if (duplicates.length > 0 && !options.confirmDuplicate) return { outcome: 'possible-duplicates' as const, duplicates, data };
  return ctx.db.transaction(async (tx) => {
    await refuseExistingNhsNumber(tx, ctx, data.nhsNumber);
    const teamOrg = await assertTeamInPartnership(tx, ctx.actor.partnershipId, data.allocatedTeamId);
    await assertLeadInPartnership(tx, ctx.actor.partnershipId, data.leadPractitionerId);
    const involved = [...new Set([ctx.actor.activeOrganisationId, ...(teamOrg ? [teamOrg] : [])])];
    const [created] = await tx
      .insert(person)
      .values({ ...data, dateOfBirth: data.dateOfBirth!, partnershipId: ctx.actor.partnershipId, recordedByOrganisationId: ctx.actor.activeOrganisationId, involvedOrganisations: involved })
      .returning();
    const decision = evaluateHistory([], created!.dateOfBirth, today, undefined, await reviewPolicyFor(tx, ctx.actor.partnershipId));
    await storeDecision(tx, ctx.actor.partnershipId, created!.id, decision, today, ctx.actor.activeOrganisationId, ctx.clock.now());
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
    if (data.nhsNumber !== before.nhsNumber) await refuseExistingNhsNumber(tx, ctx, data.nhsNumber);
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
    await storeDecision(tx, ctx.actor.partnershipId, personId, decision, today, ctx.actor.activeOrganisationId, ctx.clock.now());
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

export type { EventInput } from './events.service.ts';

/** An issue of the batch's only event ("events[0].date") as the form names it ("date"). */
function single(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  if (!(error instanceof InputError)) return error;
  const issues = error.issues.map((i) => ({ ...i, path: i.path.replace(/^events\[0\]\.?/, '') }));
  return error instanceof WorkflowOnlyEventError ? error.withIssues(issues) : new InputError(issues);
}

/**
 * Record one legal event: `applyEvents` with a batch of one, in its own transaction (or the
 * caller's, when `ctx.db` is one). The rules engine re-runs over the whole history; an event
 * that makes the history impossible is refused with the engine's reason, and an event that
 * belongs to a workflow is refused unless the workflow's authority is given.
 */
export async function recordEvent(ctx: ServiceContext, personId: string, input: EventInput, options: ApplyOptions = {}) {
  const externalId = input.externalId?.trim() || null;
  return ctx.db.transaction(async (tx) => {
    const { results, decision } = await applyEvents(tx, ctx, personId, [input], options).catch((error: unknown) => Promise.reject(single(error)));
    const result = results[0]!;
    if (result.outcome === 'already-recorded') {
      // Re-sending the same event changes nothing; a different event under a used id is a mistake.
      const { type, date, ...payload } = input.event as { type: string; date: string } & Record<string, unknown>;
      const same = result.event.type === type && result.event.occurredOn === date && JSON.stringify(result.event.payload) === JSON.stringify(payload);
      if (!same) throw new InputError([{ path: 'externalId', message: `The externalId "${externalId ?? ''}" was already used for a different event. Nothing was changed: send a new externalId for a new event, or correct the recorded event on the person's record` }]);
      return { outcome: 'already-recorded' as const, event: result.event, decision };
    }
    return { outcome: 'recorded' as const, event: result.event, decision };
  });
}

/** Correct a mistaken event: it is voided (kept, with the reason) and the history re-evaluated. */
export async function voidEvent(ctx: ServiceContext, personId: string, eventId: string, version: number, reason: string, options: ApplyOptions = {}) {
  return ctx.db.transaction(async (tx) => voidEvents(tx, ctx, personId, eventId, version, reason, options).catch((error: unknown) => Promise.reject(single(error))));
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
