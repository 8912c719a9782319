import type { Decision } from '../../domain/rules/index.ts';
import { assertCan, canOnPerson } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import type { Selectable } from '../../platform/db/together.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { evaluateHistory, loadHistory, reviewPolicyFor, storeDecision, summarise } from './decision.ts';
import { applyEvents, voidEvents, WorkflowOnlyEventError, type ApplyOptions, type EventInput } from './events.service.ts';
import { contactInputSchema, personInputSchema, type KnownOrganisations } from './inputs.ts';
import {
  completeTaskAtVersion,
  findPerson,
  findPersonTask,
  insertContact,
  insertPerson,
  insertTask,
  loadPerson,
  organisationIdWithCode,
  peopleWithNameAndBirth,
  personAuditTrail,
  loadPersonPage,
  personWithNhsNumber,
  practitionersOf,
  teamOrganisationId,
  teamsOf,
  updatePersonAtVersion,
  userInPartnership,
  type NhsNumberHolder,
  type PersonPageLists,
  type PersonMatch,
} from './people.queries.ts';
import { organisationLabel } from '../../platform/plain-language.ts';
import { referenceName } from '../../domain/reference/organisations.ts';

/*
 * The register's use cases for people, through the one door to the data
 * (docs/decisions/0006-one-door-to-the-data.md): reads in `ctx.data.read`, writes in
 * `ctx.data.transaction` with its audit recorder, the person page in one unit of work; every
 * query is in people.queries.ts.
 */

export { loadPerson, type PersonRow } from './people.queries.ts';

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
 * Its own unit of work, outside the transaction that the refusal will roll back.
 */
async function recordPresenceDisclosed(ctx: ServiceContext, personIds: string[], check: 'same-nhs-number' | 'same-name-and-date-of-birth'): Promise<void> {
  if (personIds.length === 0) return;
  await ctx.data.transaction(async (_tx, audit) => {
    for (const subjectId of personIds) {
      await audit.change({ action: 'person.presence-disclosed', subjectType: 'person', subjectId, after: { check, toOrganisationId: ctx.actor.activeOrganisationId } });
    }
  });
}

/** What the actor is told about people with the same name and date of birth, and whom they may not see. */
function likelyDuplicatesFor(ctx: ServiceContext, rows: PersonMatch[]): { duplicates: LikelyDuplicate[]; hiddenIds: string[] } {
  const hidden = rows.filter((r) => !canOnPerson(ctx.actor, 'person:read', r));
  return {
    hiddenIds: hidden.map((r) => r.id),
    duplicates: rows.map((r) =>
      hidden.includes(r)
        ? { id: null, nhsNumber: null, givenName: null, familyName: null, dateOfBirth: null, hidden: true }
        : { id: r.id, nhsNumber: r.nhsNumber, givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth, hidden: false },
    ),
  };
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
  const rows = await ctx.data.read((q) => peopleWithNameAndBirth(q, ctx.actor.partnershipId, input, exceptId));
  const { duplicates, hiddenIds } = likelyDuplicatesFor(ctx, rows);
  if (recordDisclosure) await recordPresenceDisclosed(ctx, hiddenIds, 'same-name-and-date-of-birth');
  return duplicates;
}

/**
 * An NHS number identifies one person: a second record for it is refused. Whether the actor may
 * open the existing record decides what they are told (`NHS_NUMBER_ON_REGISTER` or
 * `NHS_NUMBER_ELSEWHERE`).
 */
function nhsNumberTaken(ctx: ServiceContext, clash: NhsNumberHolder): InputError {
  return new InputError([{ path: 'nhsNumber', message: canOnPerson(ctx.actor, 'person:read', clash) ? NHS_NUMBER_ON_REGISTER : NHS_NUMBER_ELSEWHERE }]);
}

/** Refuse an NHS number already on the register, inside a unit of work (no disclosure is recorded: the caller's refusal rolls back). */
async function refuseExistingNhsNumber(q: DbOrTx, ctx: ServiceContext, nhsNumber: string): Promise<void> {
  const clash = await personWithNhsNumber(q, ctx.actor.partnershipId, nhsNumber);
  if (clash) throw nhsNumberTaken(ctx, clash);
}

async function assertTeamInPartnership(q: DbOrTx, partnershipId: string, teamId: string | null): Promise<string | null> {
  if (!teamId) return null;
  const organisationId = await teamOrganisationId(q, partnershipId, teamId);
  if (!organisationId) throw new InputError([{ path: 'allocatedTeamId', message: 'Select a team from the list' }]);
  return organisationId;
}

async function assertLeadInPartnership(q: DbOrTx, partnershipId: string, userId: string | null): Promise<void> {
  if (!userId) return;
  if (!(await userInPartnership(q, partnershipId, userId))) throw new InputError([{ path: 'leadPractitionerId', message: 'Select a practitioner from the list' }]);
}

/**
 * Add a person to the register. `confirmDuplicate` must be true when likely duplicates exist.
 * The recording organisation is involved with them, so they stay visible to it. Telling the
 * actor about a record they cannot open (same NHS number, or same name and date of birth
 * unconfirmed) is audited on that record, in its own unit of work.
 */
export async function createPerson(ctx: ServiceContext, input: unknown, options: { confirmDuplicate?: boolean; organisations?: KnownOrganisations } = {}) {
  assertCan(ctx.actor, 'person:write', { partnershipId: ctx.actor.partnershipId, organisationId: ctx.actor.activeOrganisationId });
  const today = ctx.today();
  const data = parseInput(personInputSchema(today, options.organisations), input);
  const partnershipId = ctx.actor.partnershipId;
  const { clash, matches } = await ctx.data.read(async (q) => {
    const holder = await personWithNhsNumber(q, partnershipId, data.nhsNumber);
    return { clash: holder, matches: holder ? [] : await peopleWithNameAndBirth(q, partnershipId, { ...data, dateOfBirth: data.dateOfBirth! }) };
  });
  if (clash) {
    const refusal = nhsNumberTaken(ctx, clash);
    if (!canOnPerson(ctx.actor, 'person:read', clash)) await recordPresenceDisclosed(ctx, [clash.id], 'same-nhs-number');
    throw refusal;
  }
  const { duplicates, hiddenIds } = likelyDuplicatesFor(ctx, matches);
  if (!options.confirmDuplicate) await recordPresenceDisclosed(ctx, hiddenIds, 'same-name-and-date-of-birth');
  if (duplicates.length > 0 && !options.confirmDuplicate) return { outcome: 'possible-duplicates' as const, duplicates, data };
  return ctx.data.transaction(async (tx, audit) => {
    await refuseExistingNhsNumber(tx, ctx, data.nhsNumber);
    const teamOrg = await assertTeamInPartnership(tx, partnershipId, data.allocatedTeamId);
    await assertLeadInPartnership(tx, partnershipId, data.leadPractitionerId);
    const involved = [...new Set([ctx.actor.activeOrganisationId, ...(teamOrg ? [teamOrg] : [])])];
    const created = await insertPerson(tx, { ...data, dateOfBirth: data.dateOfBirth!, partnershipId, recordedByOrganisationId: ctx.actor.activeOrganisationId, involvedOrganisations: involved });
    const decision = evaluateHistory([], created.dateOfBirth, today, undefined, await reviewPolicyFor(tx, partnershipId));
    await storeDecision(tx, partnershipId, created.id, decision, today, ctx.actor.activeOrganisationId, ctx.clock.now());
    // Read back: storing the decision moved the version on.
    const saved = (await findPerson(tx, partnershipId, created.id))!;
    await audit.change({ action: 'person.created', subjectType: 'person', subjectId: saved.id, after: { ...saved, decision: summarise(decision) } });
    return { outcome: 'created' as const, person: saved };
  });
}

/**
 * Change a person's details. With `organisations` (the form's choices), a body outside them is
 * refused unless it is the one already on the record. Permission is checked before the input.
 */
export async function updatePerson(ctx: ServiceContext, personId: string, version: number, input: unknown, options: { organisations?: KnownOrganisations } = {}) {
  const today = ctx.today();
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadPerson(tx, ctx, personId, 'person:write');
    const offered = options.organisations;
    const known: KnownOrganisations | undefined = offered && ((kind, code) => offered(kind, code) || code === (kind === 'icb' ? before.gpIcb : before.residenceLocalAuthority));
    const data = parseInput(personInputSchema(today, known), input);
    if (data.nhsNumber !== before.nhsNumber) await refuseExistingNhsNumber(tx, ctx, data.nhsNumber);
    const teamOrg = await assertTeamInPartnership(tx, partnershipId, data.allocatedTeamId);
    await assertLeadInPartnership(tx, partnershipId, data.leadPractitionerId);
    const involved = [...new Set([...before.involvedOrganisations, ...(teamOrg ? [teamOrg] : [])])];
    const updated = expectOneUpdated(await updatePersonAtVersion(tx, partnershipId, personId, version, { ...data, dateOfBirth: data.dateOfBirth!, involvedOrganisations: involved }, ctx.clock.now()));
    // Date of birth feeds the rules (children, top-ups): re-evaluate.
    const decision = evaluateHistory(await loadHistory(tx, partnershipId, personId), updated.dateOfBirth, today, undefined, await reviewPolicyFor(tx, partnershipId));
    await storeDecision(tx, partnershipId, personId, decision, today, ctx.actor.activeOrganisationId, ctx.clock.now());
    await audit.change({ action: 'person.updated', subjectType: 'person', subjectId: personId, before, after: updated });
    return updated;
  });
}

/**
 * Everything the person page shows. Every view is audited: the reads and the record of the view
 * are one unit of work (one transaction, one set-up), the page's hot path (bench/register.ts).
 */
export async function getPersonRecord(ctx: ServiceContext, personId: string, alsoRead?: (q: DbOrTx) => Record<string, Selectable>, lists: PersonPageLists = 'full') {
  const { row, parts, also } = await ctx.data.transaction(async (tx, audit) => {
    // One statement: the record, and what the caller adds (the other modules' sections of the page).
    const page = await loadPersonPage(tx, ctx, personId, alsoRead?.(tx), lists);
    await audit.viewPerson(personId);
    return page;
  });
  // The partnership's name for its own bodies, the reference list's for any other English or Welsh body.
  const nameOf = (code: string) => parts.orgs.find((o) => o.code === code || o.onsCode === code)?.name ?? referenceName(code);
  const orgName = (code: string | null) => (code ? organisationLabel(code, nameOf) : null);
  return {
    person: row,
    decision: row.decision as Decision | null,
    events: parts.events,
    contacts: parts.contacts,
    tasks: parts.tasks.map((t) => ({ ...t.task, ownerName: t.ownerName })),
    /** How many tasks were completed or cancelled (the overview lists only the latest of them). */
    doneTaskCount: parts.doneCount,
    team: parts.team,
    leadPractitioner: parts.leadName,
    organisationName: orgName,
    /** The name of a body by its code (the partnership's, then the reference list's), or null when neither knows it. */
    organisationNameOf: nameOf,
    canWrite: canOnPerson(ctx.actor, 'person:write', row),
    canSeeAudit: canOnPerson(ctx.actor, 'person:audit', row),
    /** The rows of the caller's `alsoRead` selects, by key. */
    also,
  };
}

/** Who viewed and changed the record: managers and audit roles only. */
export async function getPersonAudit(ctx: ServiceContext, personId: string) {
  return ctx.data.read(async (q) => {
    await loadPerson(q, ctx, personId, 'person:audit');
    return personAuditTrail(q, ctx.actor.partnershipId, personId);
  });
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
 * Record one legal event: `applyEvents` with a batch of one, in its own unit of work or the
 * caller's `ctx.data.transaction`. The rules engine re-runs over the whole history;
 * an event that makes the history impossible is refused with the engine's reason, and an event
 * that belongs to a workflow is refused unless the workflow's authority is given.
 */
export async function recordEvent(ctx: ServiceContext, personId: string, input: EventInput, options: ApplyOptions = {}) {
  const externalId = input.externalId?.trim() || null;
  return ctx.data.transaction(async (tx) => {
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

/**
 * Record legal events of one person that happened together (a discharge: the detention ended and
 * they left hospital): one batch of `applyEvents`, so the decision is worked out once, after all
 * of them, and no status in between is ever stored or shown (docs/decisions/0007). The fields of
 * every event are named as the one form that sent them names them ("events[1].date" is "date").
 */
export async function recordEventsTogether(ctx: ServiceContext, personId: string, inputs: EventInput[]) {
  return ctx.data.transaction(async (tx) =>
    applyEvents(tx, ctx, personId, inputs).catch((error: unknown) => {
      if (!(error instanceof InputError) || error instanceof WorkflowOnlyEventError) throw error;
      throw new InputError(error.issues.map((i) => ({ ...i, path: i.path.replace(/^events\[\d+\]\.?/, '') })));
    }),
  );
}

/** Correct a mistaken event: it is voided (kept, with the reason) and the history re-evaluated. */
export async function voidEvent(ctx: ServiceContext, personId: string, eventId: string, version: number, reason: string, options: ApplyOptions = {}) {
  return ctx.data.transaction(async (tx) => voidEvents(tx, ctx, personId, eventId, version, reason, options).catch((error: unknown) => Promise.reject(single(error))));
}

// ---------------------------------------------------------------------------
// Contacts and tasks
// ---------------------------------------------------------------------------

export async function addContact(ctx: ServiceContext, personId: string, input: unknown) {
  const data = parseInput(contactInputSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    const created = await insertContact(tx, { ...data, partnershipId: ctx.actor.partnershipId, personId });
    await audit.change({ action: 'contact.added', subjectType: 'person', subjectId: personId, after: created });
    return created;
  });
}

export async function completeTask(ctx: ServiceContext, personId: string, taskId: string, version: number, outcome: string) {
  const text = outcome.trim();
  if (!text) throw new InputError([{ path: 'outcome', message: 'Enter what was decided or done' }]);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    const before = await findPersonTask(tx, ctx.actor.partnershipId, personId, taskId);
    if (!before) throw new NotFoundError('Task not found');
    const updated = expectOneUpdated(await completeTaskAtVersion(tx, ctx.actor.partnershipId, taskId, version, { outcome: text, by: ctx.actor.userId, at: ctx.clock.now() }));
    await audit.change({ action: 'task.completed', subjectType: 'person', subjectId: personId, before, after: updated });
    return updated;
  });
}

/** A follow-up task for someone who may be lost to follow-up (one click from the finder). */
export async function createFollowUpTask(ctx: ServiceContext, personId: string, reason: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:write');
    const ownerOrg = (await organisationIdWithCode(tx, ctx.actor.partnershipId, p.responsibleLocalAuthority ?? '')) ?? ctx.actor.activeOrganisationId;
    const created = await insertTask(tx, { partnershipId: ctx.actor.partnershipId, personId, kind: 'follow-up', title: `Follow up: ${reason}`, ownerOrganisationId: ownerOrg, dueOn: ctx.today() });
    await audit.change({ action: 'task.created', subjectType: 'person', subjectId: personId, after: created });
    return created;
  });
}

/** People who can be a lead practitioner: practitioners, senior practitioners and managers in the partnership. */
export async function listPractitioners(ctx: ServiceContext) {
  return ctx.data.read((q) => practitionersOf(q, ctx.actor.partnershipId));
}

export async function listTeams(ctx: ServiceContext) {
  return ctx.data.read((q) => teamsOf(q, ctx.actor.partnershipId));
}
