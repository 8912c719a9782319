/**
 * Disputes (issue 6): ordinary-residence disputes between local authorities (R24: referred to
 * the Secretary of State at 4 months) and funding disputes between a local authority and the ICB
 * (R38: settled locally or through the NHS dispute process). Care must not wait (R25): an interim
 * lead funder is required before anything is saved.
 *
 * Opening and resolving a dispute records the legal event ('dispute-opened', 'dispute-resolved')
 * through the register's recordEvent, in the same transaction as the dispute, so the rules engine
 * raises its flags (sos-referral-due) and notes from the person's legal history.
 */
import { z } from 'zod';
import { disputeActorRoles, disputeAge, disputeStageLabels, disputeWaitsOn, isReferralDue, nextStages, referralDueOn, type DisputeAge, type DisputeStage } from '../../domain/disputes.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { tellEach, usersWithRoles } from '../../platform/notifications/recipients.ts';
import { canOnPerson } from '../../platform/access/policy.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { isoDateField } from '../register/index.ts';
import { loadPerson, recordEvent, type PersonRow } from '../register/index.ts';
import { grantWorkflowAuthority } from '../register/index.ts';
import {
  disputeBodies,
  findDispute,
  findDisputesWithPeople,
  findOrganisationIdByCode,
  findPersonDisputes,
  insertDispute,
  updateDisputeAtVersion,
  type DisputeRow,
  type OrganisationChoice,
} from './disputes.queries.ts';

export type { DisputeRow, OrganisationChoice };

export const INTERIM_LEAD_MESSAGE = 'Choose who funds care while the dispute is settled: care must not wait';

const isUuid = (id: string) => z.uuid().safeParse(id).success;
const organisationId = (message: string) => z.string({ error: message }).trim().min(1, message).pipe(z.uuid({ error: message }));

export const openDisputeSchema = (today: string) => z.object({
  kind: z.enum(['ordinary-residence', 'funding'], { error: 'Choose what the dispute is about' }),
  partyAOrganisationId: organisationId('Choose the first body in the dispute'),
  partyBOrganisationId: organisationId('Choose the other body in the dispute'),
  aroseOn: isoDateField('the date the dispute arose', { required: true, notFuture: true, today }),
  interimLeadOrganisationId: organisationId(INTERIM_LEAD_MESSAGE),
  summary: z.string({ error: 'Say what the dispute is about' }).trim().min(1, 'Say what the dispute is about').max(4000, 'The summary must be 4000 characters or fewer'),
});

/** Check the parties and the interim lead against the kind of dispute. Field-pathed, so the form shows each problem beside its field. */
function checkParties(data: z.output<ReturnType<typeof openDisputeSchema>>, bodies: OrganisationChoice[]) {
  const issues: Array<{ path: string; message: string }> = [];
  const a = bodies.find((b) => b.id === data.partyAOrganisationId);
  const b = bodies.find((x) => x.id === data.partyBOrganisationId);
  if (!a) issues.push({ path: 'partyAOrganisationId', message: 'Choose the first body from the list' });
  if (!b) issues.push({ path: 'partyBOrganisationId', message: 'Choose the other body from the list' });
  if (a && b) {
    if (a.id === b.id) issues.push({ path: 'partyBOrganisationId', message: 'A dispute is between two different bodies: choose the other one' });
    else if (data.kind === 'ordinary-residence' && (a.type !== 'local-authority' || b.type !== 'local-authority')) {
      issues.push({ path: 'partyBOrganisationId', message: 'An ordinary residence dispute is between two local authorities' });
    } else if (data.kind === 'funding' && !(new Set([a.type, b.type]).has('local-authority') && new Set([a.type, b.type]).has('icb'))) {
      issues.push({ path: 'partyBOrganisationId', message: 'A funding dispute is between a local authority and an ICB' });
    }
  }
  if (data.interimLeadOrganisationId !== data.partyAOrganisationId && data.interimLeadOrganisationId !== data.partyBOrganisationId) {
    issues.push({ path: 'interimLeadOrganisationId', message: 'The interim lead funder must be one of the two bodies in the dispute' });
  }
  if (issues.length > 0) throw new InputError(issues);
}


export async function openDispute(ctx: ServiceContext, personId: string, input: unknown): Promise<DisputeRow> {
  // Permission before input (issue 12, finding 10).
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const data = parseInput(openDisputeSchema(ctx.today()), input);
  return ctx.data.transaction(async (tx, audit) => {
    checkParties(data, await disputeBodies(tx, ctx.actor.partnershipId));
    const recorded = await recordEvent(ctx, personId, { event: { type: 'dispute-opened', date: data.aroseOn!, kind: data.kind }, source: 'manual' }, { authority: grantWorkflowAuthority('disputes', `new dispute of ${personId}`) }).catch((error: unknown) => {
      // The engine's refusal (for example, a date before the person's history allows) belongs beside the date.
      if (error instanceof InputError) throw new InputError(error.issues.map((i) => ({ ...i, path: i.path === 'date' || i.path === '' ? 'aroseOn' : i.path })));
      throw error;
    });
    const created = await insertDispute(tx, {
        partnershipId: ctx.actor.partnershipId,
        personId,
        kind: data.kind,
        partyAOrganisationId: data.partyAOrganisationId,
        partyBOrganisationId: data.partyBOrganisationId,
        aroseOn: data.aroseOn!,
        interimLeadOrganisationId: data.interimLeadOrganisationId,
        stage: 'local-negotiation',
        stageChangedOn: data.aroseOn!,
        summary: data.summary,
        openedEventId: recorded.event.id,
        createdBy: ctx.actor.userId,
    });
    await audit.change({ action: 'dispute.opened', subjectType: 'person', subjectId: personId, after: created });
    await tellParties(tx, ctx, created);
    return created;
  });
}

async function loadDispute(q: DbOrTx, ctx: ServiceContext, disputeId: string): Promise<DisputeRow> {
  if (!isUuid(disputeId)) throw new NotFoundError('Dispute not found');
  const row = await findDispute(q, ctx.actor.partnershipId, disputeId);
  if (!row) throw new NotFoundError('Dispute not found');
  return row;
}

export const stageChangeSchema = (today: string) => z.object({
  stage: z.enum(['local-negotiation', 'senior-escalation', 'sos-referral', 'nhs-dispute-process'], { error: 'Choose the stage the dispute has reached' }),
  changedOn: isoDateField('the date of the change', { required: true, notFuture: true, today }),
});

/** The form to record a dispute, for someone who may change the person's record; `shown` afresh, it is a view of the record (issue 12, finding 8). */
export async function openDisputeForm(ctx: ServiceContext, personId: string, shown: boolean): Promise<{ person: PersonRow; bodies: OrganisationChoice[] }> {
  const load = async (q: Tx) => ({ person: await loadPerson(q, ctx, personId, 'person:write'), bodies: await disputeBodies(q, ctx.actor.partnershipId) });
  if (!shown) return ctx.data.read(load);
  return ctx.data.transaction(async (tx, audit) => {
    const loaded = await load(tx);
    await audit.viewPerson(personId, { page: 'dispute-form' });
    return loaded;
  });
}

/** Permission before input (issue 12, finding 10): only someone who may change the person's record changes their dispute. */
async function assertCanChangeDispute(ctx: ServiceContext, disputeId: string): Promise<void> {
  await ctx.data.read(async (q) => {
    const row = await loadDispute(q, ctx, disputeId);
    await loadPerson(q, ctx, row.personId, 'person:write');
  });
}

/**
 * Work finds people (issue 13): a dispute at a stage that needs its parties waits on each party's
 * managers, so they hear of it when it opens and at each stage it reaches. Not whoever moved it.
 */
async function tellParties(tx: Tx, ctx: ServiceContext, d: DisputeRow): Promise<void> {
  const wait = disputeWaitsOn(d);
  if (!wait) return;
  const p = await loadPerson(tx, ctx, d.personId, 'person:read');
  const managers = await usersWithRoles(tx, ctx.actor.partnershipId, [d.partyAOrganisationId, d.partyBOrganisationId], disputeActorRoles);
  await tellEach(tx, managers, ctx.actor.userId, {
    partnershipId: ctx.actor.partnershipId,
    dedupeKey: `dispute-stage:${d.id}:${d.stage}`,
    kind: 'dispute-needs-you',
    personId: d.personId,
    subject: `A dispute about ${p.givenName} ${p.familyName}’s aftercare is at ${disputeStageLabels[d.stage].toLowerCase()}`,
    body: `Your organisation is a party to a dispute about ${p.givenName} ${p.familyName}’s section 117 aftercare. What is needed now: ${wait.action.charAt(0).toLowerCase()}${wait.action.slice(1)}.${wait.dueOn ? ` If it is not settled, it must be referred to the Secretary of State by ${govukDate(wait.dueOn)}.` : ''} Care continues meanwhile, funded by the interim lead.`,
    link: `/disputes/${d.id}`,
  });
}

export async function changeStage(ctx: ServiceContext, disputeId: string, version: number, input: unknown): Promise<DisputeRow> {
  await assertCanChangeDispute(ctx, disputeId);
  const data = parseInput(stageChangeSchema(ctx.today()), input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadDispute(tx, ctx, disputeId);
    await loadPerson(tx, ctx, before.personId, 'person:write');
    if (before.stage === 'resolved') throw new ConflictError('This dispute has been resolved');
    if (!nextStages(before.kind).includes(data.stage)) {
      throw new InputError([{ path: 'stage', message: before.kind === 'funding' ? 'A funding dispute is not referred to the Secretary of State: use the NHS dispute process' : 'An ordinary residence dispute is referred to the Secretary of State, not the NHS dispute process' }]);
    }
    if (data.changedOn! < before.aroseOn) throw new InputError([{ path: 'changedOn', message: 'The date of the change must be on or after the date the dispute arose' }]);
    const referred = data.stage === 'sos-referral' || data.stage === 'nhs-dispute-process';
    const after = expectOneUpdated(
      await updateDisputeAtVersion(tx, ctx.actor.partnershipId, disputeId, version, {
        stage: data.stage,
        stageChangedOn: data.changedOn!,
        referredOn: referred ? data.changedOn! : before.referredOn,
        updatedAt: ctx.clock.now(),
      }),
    );
    await audit.change({ action: 'dispute.stage-changed', subjectType: 'person', subjectId: before.personId, before, after });
    await tellParties(tx, ctx, after);
    return after;
  });
}

const money = z
  .string()
  .trim()
  .transform((v) => v.replace(/^£/, '').replace(/,/g, ''))
  .refine((v) => v === '' || /^\d+(\.\d{1,2})?$/.test(v), 'Enter the back payment in pounds and pence, like 1250.00')
  .transform((v) => (v === '' ? null : Math.round(Number(v) * 100)));

export const resolveSchema = (today: string) => z.object({
  outcome: z.string({ error: 'Say how the dispute was settled' }).trim().min(1, 'Say how the dispute was settled').max(4000, 'The outcome must be 4000 characters or fewer'),
  resolvedOn: isoDateField('the date it was resolved', { required: true, notFuture: true, today }),
  responsibleOrganisationId: organisationId('Choose the body found responsible'),
  backPayment: z.string().optional().default('').pipe(money),
  backPaymentFromOrganisationId: z.string().trim().optional().default(''),
  backPaymentToOrganisationId: z.string().trim().optional().default(''),
});

export async function resolveDispute(ctx: ServiceContext, disputeId: string, version: number, input: unknown): Promise<DisputeRow> {
  await assertCanChangeDispute(ctx, disputeId);
  const data = parseInput(resolveSchema(ctx.today()), input);
  const bodies = await ctx.data.read((q) => disputeBodies(q, ctx.actor.partnershipId));
  const issues: Array<{ path: string; message: string }> = [];
  if (!bodies.some((b) => b.id === data.responsibleOrganisationId)) issues.push({ path: 'responsibleOrganisationId', message: 'Choose the body found responsible from the list' });
  const pence = data.backPayment;
  const from = data.backPaymentFromOrganisationId || null;
  const to = data.backPaymentToOrganisationId || null;
  if (pence !== null && pence > 0) {
    if (!from || !bodies.some((b) => b.id === from)) issues.push({ path: 'backPaymentFromOrganisationId', message: 'If a back payment is owed: choose who pays it' });
    if (!to || !bodies.some((b) => b.id === to)) issues.push({ path: 'backPaymentToOrganisationId', message: 'If a back payment is owed: choose who is paid' });
    if (from && to && from === to) issues.push({ path: 'backPaymentToOrganisationId', message: 'A back payment is paid by one body to another' });
  } else if (from || to) {
    issues.push({ path: 'backPayment', message: 'If a back payment is owed: enter the amount' });
  }
  if (issues.length > 0) throw new InputError(issues);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadDispute(tx, ctx, disputeId);
    if (before.stage === 'resolved') throw new ConflictError('This dispute has already been resolved');
    if (before.version !== version) throw new ConflictError();
    if (data.resolvedOn! < before.aroseOn) throw new InputError([{ path: 'resolvedOn', message: 'The date it was resolved must be on or after the date it arose' }]);
    const recorded = await recordEvent(ctx, before.personId, { event: { type: 'dispute-resolved', date: data.resolvedOn! }, source: 'manual' }, { authority: grantWorkflowAuthority('disputes', disputeId) }).catch((error: unknown) => {
      if (error instanceof InputError) throw new InputError(error.issues.map((i) => ({ ...i, path: i.path === 'date' || i.path === '' ? 'resolvedOn' : i.path })));
      throw error;
    });
    const after = expectOneUpdated(
      await updateDisputeAtVersion(tx, ctx.actor.partnershipId, disputeId, version, {
        stage: 'resolved',
        stageChangedOn: data.resolvedOn!,
        outcome: data.outcome,
        resolvedOn: data.resolvedOn!,
        responsibleOrganisationId: data.responsibleOrganisationId,
        backPaymentPence: pence !== null && pence > 0 ? pence : null,
        backPaymentFromOrganisationId: pence !== null && pence > 0 ? from : null,
        backPaymentToOrganisationId: pence !== null && pence > 0 ? to : null,
        resolvedEventId: recorded.event.id,
        updatedAt: ctx.clock.now(),
      }),
    );
    await audit.change({ action: 'dispute.resolved', subjectType: 'person', subjectId: before.personId, before, after });
    return after;
  });
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

export interface DisputeView extends DisputeRow {
  age: DisputeAge;
  referralDueOn: string | null;
  referralDue: boolean;
  partyAName: string;
  partyBName: string;
  interimLeadName: string;
  responsibleName: string | null;
  backPaymentFromName: string | null;
  backPaymentToName: string | null;
  personName: string;
  personNhsNumber: string;
  nextStages: DisputeStage[];
}

export function disputeView(row: DisputeRow, bodies: OrganisationChoice[], p: Pick<PersonRow, 'givenName' | 'familyName' | 'nhsNumber'>, today: string): DisputeView {
  const name = (id: string | null) => (id ? (bodies.find((b) => b.id === id)?.name ?? 'Unknown body') : null);
  return {
    ...row,
    age: disputeAge(row.aroseOn, row.resolvedOn ?? today),
    referralDueOn: row.kind === 'ordinary-residence' ? referralDueOn(row.aroseOn) : null,
    referralDue: isReferralDue(today, row),
    partyAName: name(row.partyAOrganisationId)!,
    partyBName: name(row.partyBOrganisationId)!,
    interimLeadName: name(row.interimLeadOrganisationId)!,
    responsibleName: name(row.responsibleOrganisationId),
    backPaymentFromName: name(row.backPaymentFromOrganisationId),
    backPaymentToName: name(row.backPaymentToOrganisationId),
    personName: `${p.givenName} ${p.familyName}`,
    personNhsNumber: p.nhsNumber,
    nextStages: nextStages(row.kind).filter((s) => s !== row.stage),
  };
}

/** The person's disputes (the people API): a view of their record (issue 12, finding 8). */
export async function listPersonDisputes(ctx: ServiceContext, personId: string): Promise<{ person: PersonRow; disputes: DisputeView[]; canWrite: boolean }> {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    await audit.viewPerson(personId, { part: 'disputes' });
    const rows = await findPersonDisputes(tx, ctx.actor.partnershipId, personId);
    const bodies = await disputeBodies(tx, ctx.actor.partnershipId);
    return { person: p, disputes: rows.map((r) => disputeView(r, bodies, p, today)), canWrite: canOnPerson(ctx.actor, 'person:write', p) };
  });
}

export async function getDispute(ctx: ServiceContext, disputeId: string): Promise<{ dispute: DisputeView; person: PersonRow; canWrite: boolean; bodies: OrganisationChoice[] }> {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const row = await loadDispute(tx, ctx, disputeId);
    const p = await loadPerson(tx, ctx, row.personId, 'person:read');
    const bodies = await disputeBodies(tx, ctx.actor.partnershipId);
    await audit.viewPerson(p.id, { view: 'dispute', disputeId });
    return { dispute: disputeView(row, bodies, p, today), person: p, canWrite: canOnPerson(ctx.actor, 'person:write', p), bodies };
  });
}

/** The most disputes one list shows (and downloads). */
export const DISPUTE_LIST_LIMIT = 1000;

/** Disputes across the partnership that the actor may read: open ones by default, oldest first. */
export async function listDisputes(ctx: ServiceContext, options: { open: boolean }): Promise<DisputeView[]> {
  const { rows, bodies } = await ctx.data.read(async (q) => ({
    rows: await findDisputesWithPeople(q, ctx.actor.partnershipId, { open: options.open, limit: DISPUTE_LIST_LIMIT }),
    bodies: await disputeBodies(q, ctx.actor.partnershipId),
  }));
  const today = ctx.today();
  return rows.filter((r) => canOnPerson(ctx.actor, 'person:read', r.p)).map((r) => disputeView(r.d, bodies, r.p, today));
}

/** The disputes list for a download (`listDisputes`), audited as an export in the same unit of work. */
export async function exportDisputes(ctx: ServiceContext, options: { open: boolean; format: string }): Promise<DisputeView[]> {
  return ctx.data.transaction(async (_tx, audit) => {
    const disputes = await listDisputes(ctx, { open: options.open });
    await audit.change({ action: 'list.exported', subjectType: 'register', subjectId: null, after: { list: 'disputes', format: options.format, filters: { all: !options.open }, rowCount: disputes.length } });
    return disputes;
  });
}

/**
 * The organisations named by code (or ONS code) in an API request, looked up in one read; an
 * unknown code is an input error on the field that named it.
 */
export async function organisationIdsForCodes<K extends string>(ctx: ServiceContext, codes: Record<K, string>): Promise<Record<K, string>> {
  const entries = Object.entries(codes) as Array<[K, string]>;
  const found = await ctx.data.read(async (q) => {
    const ids: Array<[K, string | undefined]> = [];
    for (const [path, value] of entries) ids.push([path, await findOrganisationIdByCode(q, ctx.actor.partnershipId, value)]);
    return ids;
  });
  const missing = found.find(([, id]) => id === undefined);
  if (missing) throw new InputError([{ path: missing[0], message: `No body with the code "${codes[missing[0]]}" in this partnership` }]);
  return Object.fromEntries(found) as Record<K, string>;
}
