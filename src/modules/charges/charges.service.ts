import { z } from 'zod';
import { addDays, isRealDate } from '../../domain/calendar-date.ts';
import { calculateRefund, MAX_CHARGE_PENCE, type RefundCalculation } from '../../domain/refund.ts';
import { formatPounds } from '../../domain/funding.ts';
import { canOnPerson } from '../../platform/access/policy.ts';
import { activeMembership } from '../../platform/access/actor.ts';
import type { AuditRecorder } from '../../platform/data/door.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { fileNameFor, longDate } from '../documents/index.ts';
import { findOrganisationContactById, storeDocument } from '../documents/index.ts';
import { refundLetter, REFUND_LETTER_TITLE } from './refund-letter.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { isoDateField } from '../register/index.ts';
import { loadPerson } from '../register/index.ts';
import { type person } from '../register/index.ts';
import { getPlanSettings } from '../settings/index.ts';
import { parsePounds } from '../../domain/money.ts';
import {
  completeOpenTasks,
  countChargesDueRefund,
  findCharge,
  findCharges,
  findCurrentPlan,
  findLetterSender,
  findOpenTask,
  findOrganisationIdByCode,
  findPlanServices,
  insertCharge,
  insertTask,
  markChargeRefundedAtVersion,
  type ChargeRow,
} from './charges.queries.ts';
import { govukDate } from '../../platform/plain-language.ts';

/*
 * Charges to the person (issue 5, the charging safeguard). Section 117 services are free
 * (R20; R v Manchester CC ex p Stennett [2002] UKHL 34). A charge typed in by hand for a
 * section 117 service is refused: nothing is saved. A charge the finance system has already
 * taken (the API and the charges import, import.service.ts) is stored as "refund due" and
 * raises one open refund task on the person; the refund is worked out with simple interest
 * at the partnership's rate (src/domain/refund.ts) and marked paid here.
 */

export type PersonRow = typeof person.$inferSelect;
export type { ChargeRow };
export type ChargeStatus = ChargeRow['status'];

export const chargeStatusLabels: Record<ChargeStatus, string> = { lawful: 'Lawful', 'refund-due': 'Refund due', refunded: 'Refunded' };
export const chargeStatusTagClasses: Record<ChargeStatus, string> = { lawful: 'govuk-tag--grey', 'refund-due': 'govuk-tag--red', refunded: 'govuk-tag--green' };

export const REFUND_TASK_KIND = 'refund';
export const REFUND_TASK_TITLE = 'Refund charges made for section 117 aftercare';
export const REFUND_TASK_DUE_DAYS = 28;

/** The message for a charge typed in against a section 117 service (R20). */
export { loadPerson };

export const S117_FREE_MESSAGE =
  'Section 117 aftercare is free: this service cannot be charged for (R20, R v Manchester CC ex p Stennett). Nothing has been saved. If the person has already paid a charge for it, it must be refunded with interest: the finance system’s charges import records it as a refund due.';

export interface ChargeTotals {
  chargedPence: number;
  lawfulPence: number;
  refundDuePence: number;
  /** What the refunded charges cost the person. */
  refundedChargesPence: number;
  /** What was paid back for them, interest included. */
  refundsPaidPence: number;
  refundDueCount: number;
}

export function chargeTotals(charges: readonly Pick<ChargeRow, 'status' | 'amountPence' | 'refundedPence'>[]): ChargeTotals {
  const totals: ChargeTotals = { chargedPence: 0, lawfulPence: 0, refundDuePence: 0, refundedChargesPence: 0, refundsPaidPence: 0, refundDueCount: 0 };
  for (const c of charges) {
    totals.chargedPence += c.amountPence;
    if (c.status === 'lawful') totals.lawfulPence += c.amountPence;
    if (c.status === 'refund-due') {
      totals.refundDuePence += c.amountPence;
      totals.refundDueCount += 1;
    }
    if (c.status === 'refunded') {
      totals.refundedChargesPence += c.amountPence;
      totals.refundsPaidPence += c.refundedPence ?? 0;
    }
  }
  return totals;
}

const chargesOf = findCharges;

/** The charges page: every charge recorded against the person, with totals. The view is audited. */
export async function listCharges(ctx: ServiceContext, personId: string) {
  const { p, charges } = await ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const charges = await chargesOf(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { part: 'charges' });
    return { p, charges };
  });
  return { person: p, charges, totals: chargeTotals(charges), canWrite: canOnPerson(ctx.actor, 'person:write', p) };
}

export interface ServiceOption {
  id: string;
  planNumber: number;
  planStatus: string;
  serviceType: string;
  provider: string;
  s117: boolean;
  description: string;
}

/** "Home support, Riverside Supported Living": how a plan service is named on a charge. */
export function describeService(s: { serviceType: string; provider: string }): string {
  return `${s.serviceType}, ${s.provider}`;
}

/**
 * The services of the person's current plan, to charge against: the latest plan that is
 * approved, or in progress (draft or submitted).
 */
async function currentPlanServices(q: DbOrTx, partnershipId: string, personId: string): Promise<ServiceOption[]> {
  const plan = await findCurrentPlan(q, partnershipId, personId);
  if (!plan) return [];
  const services = await findPlanServices(q, partnershipId, plan.id);
  return services.map((s) => ({ ...s, planNumber: plan.planNumber, planStatus: plan.status, description: describeService(s) }));
}

/** What the "record a charge" form needs. */
/** The charge form's data. `shown`: the form is being shown afresh, a view of the person and their plan's services (issue 12, finding 8). */
export async function chargeFormData(ctx: ServiceContext, personId: string, shown = false) {
  const read = async (q: Tx) => ({ person: await loadPerson(q, ctx, personId, 'person:write'), services: await currentPlanServices(q, ctx.actor.partnershipId, personId) });
  // Shown afresh: one unit with the audited view. Shown again with errors: a read.
  if (!shown) return ctx.data.read(read);
  return ctx.data.transaction(async (tx, audit) => {
    const data = await read(tx);
    await audit.viewPerson(personId, { page: 'charge-form' });
    return data;
  });
}

// ---------------------------------------------------------------------------
// A charge typed in by hand
// ---------------------------------------------------------------------------

const amountField = (label: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const parsed = parsePounds(raw ?? '');
      if ('pence' in parsed) {
        if (parsed.pence === 0) ctx.addIssue({ code: 'custom', message: `${label} must be more than £0.00` });
        else if (parsed.pence > MAX_CHARGE_PENCE) ctx.addIssue({ code: 'custom', message: `${label} must be ${formatPounds(MAX_CHARGE_PENCE)} or less` });
        else return parsed.pence;
        return z.NEVER;
      }
      const messages = {
        missing: `Enter ${label.toLowerCase()}, in pounds and pence, for example 125.50`,
        'not-money': `${label} must be an amount in pounds and pence, for example 125.50`,
        negative: `${label} cannot be negative: enter what the person paid`,
        'too-many-decimals': `${label} must be in pounds and pence, with at most 2 decimal places`,
      } as const;
      ctx.addIssue({ code: 'custom', message: messages[parsed.problem] });
      return z.NEVER;
    });

/** A real YYYY-MM-DD date (what a date field holds when it parsed). */
const isDate = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && isRealDate(value);

export function manualChargeSchema(today: string) {
  return z
    .object({
      /** A plan service id, or "other" for a service described here. */
      service: z.string({ error: 'Select the service charged for' }).trim().min(1, 'Select the service charged for'),
      description: z.string().trim().max(500, 'The description must be 500 characters or fewer').optional(),
      s117: z.boolean().optional(),
      chargedFrom: isoDateField('the first day charged for', { required: true }),
      chargedTo: isoDateField('the last day charged for', { required: true }),
      paidOn: isoDateField('the date the person paid', { required: true, notFuture: true, today }),
      amount: amountField('The amount charged'),
    })
    // Run even when a field is wrong, so every problem is named at once; a field that failed
    // holds no usable value, hence the checks of type.
    .superRefine(
      (v, ctx) => {
        if (v.service === 'other') {
          if (typeof v.description !== 'string' || !v.description) ctx.addIssue({ code: 'custom', path: ['description'], message: 'Enter the service charged for' });
          if (typeof v.s117 !== 'boolean') ctx.addIssue({ code: 'custom', path: ['s117'], message: 'Select whether it is a section 117 service' });
        } else if (typeof v.service === 'string' && v.service !== '' && !z.uuid().safeParse(v.service).success) {
          ctx.addIssue({ code: 'custom', path: ['service'], message: 'Select a service from the list, or describe another service' });
        }
        if (isDate(v.chargedFrom) && isDate(v.chargedTo) && v.chargedTo < v.chargedFrom) {
          ctx.addIssue({ code: 'custom', path: ['chargedTo'], message: 'The last day charged for must be the same as or after the first day' });
        }
      },
      { when: () => true },
    );
}

/**
 * Record a charge typed in by a practitioner. A charge for a section 117 service is refused
 * with S117_FREE_MESSAGE and nothing is saved (R20).
 */
export async function recordCharge(ctx: ServiceContext, personId: string, input: unknown): Promise<ChargeRow> {
  const data = parseInput(manualChargeSchema(ctx.today()), input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    let serviceId: string | null = null;
    let description: string;
    let s117: boolean;
    if (data.service === 'other') {
      description = data.description!;
      s117 = data.s117!;
      if (s117) throw new InputError([{ path: 's117', message: S117_FREE_MESSAGE }]);
    } else {
      const chosen = (await currentPlanServices(tx, ctx.actor.partnershipId, personId)).find((s) => s.id === data.service);
      if (!chosen) throw new InputError([{ path: 'service', message: 'Select a service from the list, or describe another service' }]);
      if (chosen.s117) throw new InputError([{ path: 'service', message: S117_FREE_MESSAGE }]);
      serviceId = chosen.id;
      description = chosen.description;
      s117 = false;
    }
    const created = await insertCharge(tx, {
        partnershipId: ctx.actor.partnershipId,
        personId,
        serviceId,
        serviceDescription: description,
        s117,
        chargedFrom: data.chargedFrom!,
        chargedTo: data.chargedTo!,
        amountPence: data.amount,
        paidOn: data.paidOn!,
        status: 'lawful',
        source: 'manual',
        recordedBy: ctx.actor.userId,
      });
    await audit.change({ action: 'charge.recorded', subjectType: 'person', subjectId: personId, after: created });
    return created;
  });
}

// ---------------------------------------------------------------------------
// Refund tasks and refunds
// ---------------------------------------------------------------------------

/**
 * The person's open refund task, or a new one for the responsible local authority (or, if that
 * is not known, the organisation recording the charge), due in 28 days. One open refund task
 * per person: callers hold the person's row lock, so two charges arriving together share it.
 */
export async function openRefundTask(tx: Tx, audit: AuditRecorder, ctx: ServiceContext, p: PersonRow): Promise<{ id: string; created: boolean }> {
  const open = await findOpenTask(tx, ctx.actor.partnershipId, p.id, REFUND_TASK_KIND);
  if (open) return { id: open.id, created: false };
  const laId = p.responsibleLocalAuthority ? await findOrganisationIdByCode(tx, ctx.actor.partnershipId, p.responsibleLocalAuthority) : undefined;
  const created = await insertTask(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId: p.id,
      kind: REFUND_TASK_KIND,
      title: REFUND_TASK_TITLE,
      detail:
        'The person has been charged for services that are section 117 aftercare, which is free (R20, R v Manchester CC ex p Stennett). Refund every such charge in full, with interest at the partnership’s rate: see “Charges and refunds” on their record.',
      ownerOrganisationId: laId ?? ctx.actor.activeOrganisationId,
      dueOn: addDays(ctx.today(), REFUND_TASK_DUE_DAYS),
    });
  await audit.change({ action: 'task.created', subjectType: 'person', subjectId: p.id, after: created });
  return { id: created.id, created: true };
}

/** The refund of every charge due to be refunded, with interest at the partnership's rate to `toDate`. */
export async function refundCalculation(ctx: ServiceContext, personId: string, toDate: string): Promise<{ person: PersonRow; calculation: RefundCalculation; charges: ChargeRow[]; canWrite: boolean; rateBasisPoints: number }> {
  const { p, due, settings } = await ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const due = (await chargesOf(tx, ctx.actor.partnershipId, personId)).filter((c) => c.status === 'refund-due');
    const settings = await getPlanSettings(tx, ctx.actor.partnershipId);
    await audit.viewPerson(personId, { part: 'refund', toDate });
    return { p, due, settings };
  });
  const calculation = calculateRefund({
    charges: due.map((c) => ({ id: c.id, description: c.serviceDescription, chargedFrom: c.chargedFrom, chargedTo: c.chargedTo, amountPence: c.amountPence, paidOn: c.paidOn })),
    annualRatePercent: settings.refundInterestPercent,
    toDate,
  });
  return { person: p, calculation, charges: due, canWrite: canOnPerson(ctx.actor, 'person:write', p), rateBasisPoints: settings.refundInterestBasisPoints };
}

/** One charge, for the "refund paid" form. */
export async function getCharge(ctx: ServiceContext, personId: string, chargeId: string, permission: 'person:read' | 'person:write' = 'person:read') {
  return ctx.data.read(async (q) => {
    const p = await loadPerson(q, ctx, personId, permission);
    if (!z.uuid().safeParse(chargeId).success) throw new NotFoundError('Charge not found');
    const charge = await findCharge(q, ctx.actor.partnershipId, personId, chargeId);
    if (!charge) throw new NotFoundError('Charge not found');
    const settings = await getPlanSettings(q, ctx.actor.partnershipId);
    return { person: p, charge, refundInterestPercent: settings.refundInterestPercent };
  });
}

export function refundPaidSchema(today: string, charge: Pick<ChargeRow, 'amountPence' | 'paidOn'>) {
  return z
    .object({
      refundedOn: isoDateField('the date the refund was paid', { required: true, notFuture: true, today }),
      amount: amountField('The amount refunded'),
    })
    .superRefine(
      (v, ctx) => {
        if (isDate(v.refundedOn) && v.refundedOn < charge.paidOn) {
          ctx.addIssue({ code: 'custom', path: ['refundedOn'], message: `The date the refund was paid must be on or after the day the charge was paid (${longDate(charge.paidOn)})` });
        }
        if (typeof v.amount === 'number' && v.amount < charge.amountPence) {
          ctx.addIssue({ code: 'custom', path: ['amount'], message: `The amount refunded must be at least the ${formatPounds(charge.amountPence)} charged: a charge for a section 117 service is refunded in full` });
        }
      },
      { when: () => true },
    );
}

/**
 * Record that a charge due to be refunded has been refunded (optimistic concurrency on the
 * charge). When no charge of the person is left to refund, their open refund task is completed.
 */
export async function markRefundPaid(ctx: ServiceContext, personId: string, chargeId: string, version: number, input: unknown): Promise<ChargeRow> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:write', true);
    if (!z.uuid().safeParse(chargeId).success) throw new NotFoundError('Charge not found');
    const before = await findCharge(tx, ctx.actor.partnershipId, personId, chargeId);
    if (!before) throw new NotFoundError('Charge not found');
    if (before.status === 'lawful') throw new InputError([{ path: 'amount', message: 'This charge was not for a section 117 service: there is nothing to refund' }]);
    const data = parseInput(refundPaidSchema(ctx.today(), before), input);
    const now = ctx.clock.now();
    const updated = expectOneUpdated(await markChargeRefundedAtVersion(tx, ctx.actor.partnershipId, chargeId, version, { refundedOn: data.refundedOn!, refundedPence: data.amount, at: now }));
    await audit.change({ action: 'charge.refunded', subjectType: 'person', subjectId: personId, before, after: updated });

    if ((await countChargesDueRefund(tx, ctx.actor.partnershipId, personId)) === 0) {
      const done = await completeOpenTasks(tx, ctx.actor.partnershipId, p.id, REFUND_TASK_KIND, {
        outcome: 'Every charge made for section 117 aftercare has been refunded (recorded on “Charges and refunds”).',
        by: ctx.actor.userId,
        at: now,
      });
      for (const t of done) await audit.change({ action: 'task.completed', subjectType: 'person', subjectId: personId, after: t });
    }
    return updated;
  });
}

// ---------------------------------------------------------------------------
// The refund letter
// ---------------------------------------------------------------------------

/**
 * Produce the refund letter to `toDate` as a tagged PDF (large print when the person's record
 * asks for it), store it with the person's documents (kind "refund-letter") and return it.
 * Producing a letter is a write: person:write.
 */
export async function produceRefundLetter(ctx: ServiceContext, personId: string, toDate: string, whatToTellThePerson = ''): Promise<{ documentId: string; fileName: string; content: Buffer; largePrint: boolean }> {
  const p = await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const message = whatToTellThePerson.trim();
  if (message.length > 2000) throw new InputError([{ path: 'whatToTellThePerson', message: 'What to tell them must be 2000 characters or fewer' }]);
  const { calculation, rateBasisPoints } = await refundCalculation(ctx, personId, toDate);
  if (calculation.lines.length === 0) throw new InputError([{ path: 'to', message: 'There are no charges to refund, so there is no letter to write' }]);
  // The letter comes from the body of whoever signs it (issue 13, item 5): their own organisation.
  const membership = activeMembership(ctx.actor);
  const from =
    (await ctx.data.read((q) => findOrganisationContactById(q, ctx.actor.partnershipId, membership?.organisationId ?? null))) ??
    (p.responsibleLocalAuthority ? await ctx.data.read((q) => findLetterSender(q, ctx.actor.partnershipId, p.responsibleLocalAuthority!)) : null);
  const today = ctx.today();
  const largePrint = p.communicationNeeds.includes('large-print');
  const doc = refundLetter({
    calculation,
    rateBasisPoints,
    date: today,
    person: p,
    from: from ?? { name: membership?.organisationName ?? 'Aftercare', contactPhone: null, contactEmail: null, contactAddress: null },
    signedBy: ctx.actor.displayName,
    whatToTellThePerson: message || null,
  });
  const content = await renderPdf(doc);
  const fileName = fileNameFor(`${REFUND_LETTER_TITLE}${largePrint ? ' large print' : ''}`, today);
  const stored = await ctx.data.transaction(async (tx) =>
    storeDocument(tx, ctx, {
      personId,
      kind: 'refund-letter',
      accessibleFormat: largePrint ? 'large-print' : 'standard',
      language: 'en-GB',
      title: `${REFUND_LETTER_TITLE} (to ${govukDate(toDate)})`,
      mediaType: 'application/pdf',
      fileName,
      content,
    }),
  );
  return { documentId: stored.id, fileName, content, largePrint };
}
