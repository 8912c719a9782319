import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRealDate } from '../../domain/calendar-date.ts';
import { formatPounds } from '../../domain/funding.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { ruleById } from '../../domain/rules/index.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { ConflictError, InputError } from '../../platform/errors/errors.ts';
import { asBoolean, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import { longDate } from '../documents/index.ts';
import { letterFormat } from '../documents/index.ts';
import {
  chargeFormData,
  chargeStatusLabels,
  chargeStatusTagClasses,
  getCharge,
  listCharges,
  markRefundPaid,
  produceRefundLetter,
  recordCharge,
  refundCalculation,
  type ChargeRow,
  type PersonRow,
  type ServiceOption,
} from './charges.service.ts';
import { basisPointsToPercent, penceToPoundsInput } from '../../domain/money.ts';
import { calculateRefund } from '../../domain/refund.ts';

const v = (name: string) => `modules/charges/views/${name}.njk`;

type Params = { Params: { personId: string } };
type ChargeParams = { Params: { personId: string; chargeId: string } };

/** Field ids for the error summary: dates link to their day input. */
const fieldIds = { chargedFrom: 'chargedFrom-day', chargedTo: 'chargedTo-day', paidOn: 'paidOn-day', refundedOn: 'refundedOn-day', to: 'to-day' };

function errorsOf(error: unknown): GovukErrors {
  if (!(error instanceof InputError)) throw error;
  return toGovukErrors(error.issues, fieldIds);
}

/** Who the pages are about: the caption and breadcrumbs of every charges page. */
function personSummary(p: PersonRow) {
  return { id: p.id, name: `${p.givenName} ${p.familyName}`, nhsNumber: formatNhsNumber(p.nhsNumber), dateOfBirth: p.dateOfBirth };
}

/** "1 April 2025 to 30 April 2025", or one date for a single day. */
const period = (c: { chargedFrom: string; chargedTo: string }) => (c.chargedFrom === c.chargedTo ? longDate(c.chargedFrom) : `${longDate(c.chargedFrom)} to ${longDate(c.chargedTo)}`);

function chargeView(c: ChargeRow) {
  return {
    id: c.id,
    version: c.version,
    description: c.serviceDescription,
    s117: c.s117,
    period: period(c),
    amount: formatPounds(c.amountPence),
    paidOn: c.paidOn,
    status: c.status,
    statusTag: { text: chargeStatusLabels[c.status], classes: chargeStatusTagClasses[c.status] },
    refundedOn: c.refundedOn,
    refunded: c.refundedPence === null ? null : formatPounds(c.refundedPence),
    source: c.source === 'manual' ? 'Recorded in Aftercare' : c.source === 'api' ? 'Sent by a finance system (API)' : 'Loaded from a finance file',
    externalId: c.externalId,
  };
}

/** The values a date input shows: what was typed (after an error) or the stored date. */
const typedDate = (raw: FormBody | null, name: string, iso: string | null | undefined) =>
  raw ? { day: asString(raw[`${name}-day`]), month: asString(raw[`${name}-month`]), year: asString(raw[`${name}-year`]) } : dateParts(iso);

function serviceItems(services: ServiceOption[], selected: string) {
  return services.map((s) => ({
    value: s.id,
    text: s.description,
    checked: selected === s.id,
    hint: { text: `${s.s117 ? 'Section 117 service: free to the person' : 'Not a section 117 service'} (plan ${s.planNumber}, ${s.planStatus})` },
  }));
}

function chargeFormValues(body: FormBody) {
  return {
    service: asString(body.service),
    description: asString(body.description),
    s117: asBoolean(body.s117),
    chargedFrom: dateFromParts(body, 'chargedFrom'),
    chargedTo: dateFromParts(body, 'chargedTo'),
    paidOn: dateFromParts(body, 'paidOn'),
    amount: asString(body.amount),
  };
}

async function renderChargeForm(request: FastifyRequest<Params>, reply: FastifyReply, body: FormBody | null, errors?: GovukErrors) {
  const { person, services } = await chargeFormData(request.ctx(), request.params.personId, body === null);
  const values = body ? chargeFormValues(body) : { service: services.length ? '' : 'other', description: '', s117: undefined, amount: '' };
  return reply.render(v('charge-form'), {
    title: 'Record a charge',
    p: personSummary(person),
    services: serviceItems(services, values.service),
    hasServices: services.length > 0,
    values,
    dates: { chargedFrom: typedDate(body, 'chargedFrom', null), chargedTo: typedDate(body, 'chargedTo', null), paidOn: typedDate(body, 'paidOn', null) },
    errors,
  });
}

/** The date to work the refund out to: the date inputs, or ?to=YYYY-MM-DD, or today. */
function refundDate(query: Record<string, string | string[] | undefined>): { iso: string | null; error: string | null; parts: { day: string; month: string; year: string } } {
  const fromParts = dateFromParts(query, 'to');
  const raw = fromParts || asString(query.to).trim() || todayInLondon();
  const parts = fromParts ? { day: asString(query['to-day']), month: asString(query['to-month']), year: asString(query['to-year']) } : dateParts(raw);
  if (raw === 'incomplete') return { iso: null, error: 'The date to work the refund out to must include a day, month and year', parts };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || !isRealDate(raw)) return { iso: null, error: 'The date to work the refund out to must be a real date, for example 27 3 2026', parts: fromParts ? parts : { day: '', month: '', year: '' } };
  if (raw < '1900-01-01' || raw > '2199-12-31') return { iso: null, error: 'The date to work the refund out to must be between 1900 and 2199', parts };
  return { iso: raw, error: null, parts };
}

export function chargesRoutes(app: FastifyInstance): void {
  // ---- Every charge recorded against the person, with totals
  app.get<Params>('/people/:personId/charges', async (request, reply) => {
    const { person, charges, totals, canWrite } = await listCharges(request.ctx(), request.params.personId);
    return reply.render(v('charges'), {
      title: 'Charges and refunds',
      p: personSummary(person),
      charges: charges.map(chargeView),
      totals: {
        charged: formatPounds(totals.chargedPence),
        lawful: formatPounds(totals.lawfulPence),
        refundDue: formatPounds(totals.refundDuePence),
        refundDueCount: totals.refundDueCount,
        refundedCharges: formatPounds(totals.refundedChargesPence),
        refundsPaid: formatPounds(totals.refundsPaidPence),
      },
      canWrite,
    });
  });

  // ---- Record a charge typed in by hand (a section 117 service is refused: R20)
  app.get<Params>('/people/:personId/charges/new', async (request, reply) => renderChargeForm(request, reply, null));

  app.post<Params>('/people/:personId/charges/new', async (request, reply) => {
    const body = formBody(request.body);
    try {
      const created = await recordCharge(request.ctx(), request.params.personId, chargeFormValues(body));
      request.session.flash = { type: 'success', text: `The charge of ${formatPounds(created.amountPence)} for ${created.serviceDescription} has been recorded.` };
      return await reply.redirect(`/people/${request.params.personId}/charges`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderChargeForm(request, reply, body, errors);
    }
  });

  // ---- The refund, with interest to a chosen date
  app.get<Params & { Querystring: Record<string, string | string[] | undefined> }>('/people/:personId/charges/refund', async (request, reply) => {
    const chosen = refundDate(request.query);
    const ctx = request.ctx();
    if (!chosen.iso) {
      // Work out nothing for a date that is not a date; show what was typed with the error.
      const { person } = await listCharges(ctx, request.params.personId);
      reply.status(422);
      return reply.render(v('refund'), {
        title: 'Refund of charges for section 117 aftercare',
        p: personSummary(person),
        dateParts: chosen.parts,
        errors: toGovukErrors([{ path: 'to', message: chosen.error! }], fieldIds),
      });
    }
    const { person, calculation, canWrite, rateBasisPoints } = await refundCalculation(ctx, request.params.personId, chosen.iso);
    const format = letterFormat(person.communicationNeeds);
    return reply.render(v('refund'), {
      title: 'Refund of charges for section 117 aftercare',
      p: personSummary(person),
      dateParts: chosen.parts,
      toDate: calculation.toDate,
      rate: basisPointsToPercent(rateBasisPoints),
      lines: calculation.lines.map((line) => ({
        description: line.description,
        period: period(line),
        paidOn: line.paidOn,
        amount: formatPounds(line.amountPence),
        days: line.days,
        interest: formatPounds(line.interestPence),
        total: formatPounds(line.totalPence),
      })),
      totals: { principal: formatPounds(calculation.principalPence), interest: formatPounds(calculation.interestPence), total: formatPounds(calculation.totalPence) },
      reasons: calculation.reasons.map((r) => ({ ...r, title: ruleById(r.rule as never)?.title ?? r.rule })),
      canWrite,
      letter: { largePrint: format.largePrint, alsoSendIn: format.alsoSendIn },
    });
  });

  app.post<Params>('/people/:personId/charges/refund/letter', async (request, reply) => {
    const body = formBody(request.body);
    const chosen = refundDate({ to: asString(body.to) });
    if (!chosen.iso) throw new InputError([{ path: 'to', message: chosen.error! }]);
    const letter = await produceRefundLetter(request.ctx(), request.params.personId, chosen.iso, asString(body.whatToTellThePerson));
    return reply
      .header('Content-Disposition', `attachment; filename="${letter.fileName}"`)
      .header('Cache-Control', 'no-store')
      .header('X-Document-Id', letter.documentId)
      .type('application/pdf')
      .send(letter.content);
  });

  // ---- A refund paid
  const refundPaidForm = async (request: FastifyRequest<ChargeParams>, reply: FastifyReply, body: FormBody | null, errors?: GovukErrors, version?: number) => {
    const { person, charge, refundInterestPercent } = await getCharge(request.ctx(), request.params.personId, request.params.chargeId, 'person:write');
    const today = todayInLondon();
    // The refund to today, with interest, as the amount to start from.
    const suggested = charge.status === 'refund-due'
      ? calculateRefund({ charges: [{ description: charge.serviceDescription, chargedFrom: charge.chargedFrom, chargedTo: charge.chargedTo, amountPence: charge.amountPence, paidOn: charge.paidOn }], annualRatePercent: refundInterestPercent, toDate: today })
      : null;
    return reply.render(v('refund-paid'), {
      title: 'Record a refund paid',
      p: personSummary(person),
      charge: chargeView(charge),
      version: version ?? charge.version,
      suggested: suggested ? { amount: formatPounds(suggested.totalPence), interest: formatPounds(suggested.interestPence), today } : null,
      values: { amount: body ? asString(body.amount) : suggested ? penceToPoundsInput(suggested.totalPence) : '' },
      refundedOn: typedDate(body, 'refundedOn', body ? null : today),
      errors,
    });
  };

  app.get<ChargeParams>('/people/:personId/charges/:chargeId/refund-paid', async (request, reply) => refundPaidForm(request, reply, null));

  app.post<ChargeParams>('/people/:personId/charges/:chargeId/refund-paid', async (request, reply) => {
    const body = formBody(request.body);
    const version = asVersion(body.version);
    try {
      const updated = await markRefundPaid(request.ctx(), request.params.personId, request.params.chargeId, version, { refundedOn: dateFromParts(body, 'refundedOn'), amount: asString(body.amount) });
      request.session.flash = { type: 'success', text: `The refund of ${formatPounds(updated.refundedPence ?? 0)} for ${updated.serviceDescription} has been recorded.` };
      return await reply.redirect(`/people/${request.params.personId}/charges`);
    } catch (error) {
      if (error instanceof ConflictError) throw error;
      const errors = errorsOf(error);
      reply.status(422);
      return refundPaidForm(request, reply, body, errors, version);
    }
  });
}
