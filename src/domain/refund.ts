/**
 * Refunds of charges wrongly made for section 117 services, with simple interest.
 *
 * Section 117 services are free: any charge made for them is unlawful and is refunded in full
 * (R v Manchester CC ex p Stennett [2002] UKHL 34; R20). Interest compensates for the time the
 * person was without the money (LGSCO decisions on section 117 refunds; R48). The rate is the
 * partnership's decision: no statutory rate applies.
 *
 * Conventions, stated on every result:
 *  - simple interest, never compounded;
 *  - days are counted from the day the charge was paid to `toDate` (paid 1 January, refunded
 *    2 January = 1 day); none when `toDate` is on or before the day paid;
 *  - a 365-day year, in leap years too (a span including 29 February has one more day, each
 *    still worth 1/365 of a year's interest);
 *  - each line's interest = amount × rate ÷ 100 × days ÷ 365, rounded to the penny (halves up),
 *    worked in whole numbers so no floating-point error can move a penny;
 *  - the grand totals are the sums of the lines.
 */
import { z } from 'zod';
import { EARLIEST_DATE, isInSupportedRange, isRealDate, LATEST_DATE, toDayNumber, type IsoDate } from './calendar-date.ts';
import { formatPounds } from './funding.ts';
import { because } from './rules/catalogue.ts';
import type { Reason } from './rules/contract.ts';

export const DAYS_PER_YEAR = 365;
/** The largest single charge accepted: £10,000,000.00. */
export const MAX_CHARGE_PENCE = 1_000_000_000;
/** The highest annual rate accepted. */
export const MAX_RATE_PERCENT = 100;
export const MAX_CHARGES = 10_000;

export interface WrongfulCharge {
  readonly id?: string;
  readonly description: string;
  /** The first day of the period the charge was for. */
  readonly chargedFrom: IsoDate;
  /** The last day of the period the charge was for. */
  readonly chargedTo: IsoDate;
  readonly amountPence: number;
  readonly paidOn: IsoDate;
}

export interface RefundInput {
  readonly charges: readonly WrongfulCharge[];
  /** Simple interest a year, as a percentage with at most 2 decimal places: 8 is 8%. */
  readonly annualRatePercent: number;
  /** The day the refund is calculated to (usually the day it will be paid). */
  readonly toDate: IsoDate;
}

export interface RefundLine {
  readonly id?: string;
  readonly description: string;
  readonly chargedFrom: IsoDate;
  readonly chargedTo: IsoDate;
  readonly paidOn: IsoDate;
  readonly amountPence: number;
  /** Days from paidOn to toDate; 0 when toDate is on or before paidOn. */
  readonly days: number;
  readonly interestPence: number;
  /** amountPence + interestPence. */
  readonly totalPence: number;
}

export interface RefundCalculation {
  readonly lines: RefundLine[];
  readonly principalPence: number;
  readonly interestPence: number;
  readonly totalPence: number;
  readonly annualRatePercent: number;
  readonly toDate: IsoDate;
  readonly reasons: Reason[];
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function dateField(label: string) {
  const example = 'written YYYY-MM-DD, for example "2025-03-01"';
  return z
    .string({ error: (issue) => (issue.input === undefined ? `Enter ${label}: a date ${example}` : `${capitalise(label)} must be a date ${example}`) })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${capitalise(label)} must be a date ${example}`, abort: true })
    .refine(isRealDate, { error: (issue) => `${capitalise(label)} must be a real date: ${String(issue.input)} does not exist`, abort: true })
    .refine(isInSupportedRange, { error: `${capitalise(label)} must be between ${EARLIEST_DATE} and ${LATEST_DATE}` });
}

/** A percentage with at most 2 decimal places (8, 3.5, 2.25). */
function hasAtMostTwoDecimals(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

const amountRange = `a whole number of pence from 0 to ${MAX_CHARGE_PENCE.toLocaleString('en-GB')}`;

export const wrongfulChargeSchema = z
  .strictObject(
    {
      id: z.string({ error: 'The charge id must be text' }).max(100, { error: 'The charge id must be 100 characters or fewer' }).optional(),
      description: z
        .string({ error: (issue) => (issue.input === undefined ? 'Enter a description of the charge, for example "Residential care contribution"' : 'The description must be text') })
        .trim()
        .min(1, { error: 'Enter a description of the charge, for example "Residential care contribution"' })
        .max(500, { error: 'The description must be 500 characters or fewer' }),
      chargedFrom: dateField('the first day charged for'),
      chargedTo: dateField('the last day charged for'),
      amountPence: z
        .number({ error: (issue) => (issue.input === undefined ? `Enter the amount charged: ${amountRange}` : `The amount charged must be ${amountRange}`) })
        .refine(Number.isFinite, { error: `The amount charged must be ${amountRange}`, abort: true })
        .refine((value) => value >= 0, { error: 'The amount charged cannot be negative: enter what the person paid, in pence', abort: true })
        .refine(Number.isInteger, { error: `The amount charged must be ${amountRange} (1250 is £12.50)`, abort: true })
        .refine((value) => value <= MAX_CHARGE_PENCE, { error: `The amount charged must be ${amountRange}` }),
      paidOn: dateField('the day the charge was paid'),
    },
    { error: 'Each charge must be an object with "description", "chargedFrom", "chargedTo", "amountPence" and "paidOn"' },
  )
  .superRefine((charge, ctx) => {
    if (charge.chargedTo < charge.chargedFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['chargedTo'],
        message: `The last day charged for (${charge.chargedTo}) cannot be before the first day charged for (${charge.chargedFrom})`,
      });
    }
  });

const rateRange = `a percentage from 0 to ${MAX_RATE_PERCENT}, with at most 2 decimal places, for example 8`;

export const refundInputSchema = z.strictObject(
  {
    charges: z
      .array(wrongfulChargeSchema, { error: 'Enter the charges to refund as a list (it may be empty)' })
      .max(MAX_CHARGES, { error: `At most ${MAX_CHARGES.toLocaleString('en-GB')} charges can be refunded at once` }),
    annualRatePercent: z
      .number({ error: (issue) => (issue.input === undefined ? `Enter the interest rate: ${rateRange}` : `The interest rate must be ${rateRange}`) })
      .refine(Number.isFinite, { error: `The interest rate must be ${rateRange}`, abort: true })
      .refine((value) => value >= 0 && value <= MAX_RATE_PERCENT, { error: `The interest rate must be ${rateRange}`, abort: true })
      .refine(hasAtMostTwoDecimals, { error: `The interest rate must have at most 2 decimal places, for example 8 or 3.25` }),
    toDate: dateField('the date the refund is calculated to'),
  },
  { error: 'The refund must be an object with "charges", "annualRatePercent" and "toDate"' },
);

export interface RefundProblem {
  /** Where the problem is, for example "charges[1].amountPence"; "" for the whole input. */
  readonly path: string;
  readonly message: string;
}

/** Thrown by `calculateRefund` for input the schema refuses; `problems` says what to fix. */
export class RefundInputError extends RangeError {
  readonly problems: readonly RefundProblem[];
  constructor(problems: readonly RefundProblem[]) {
    super(problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; '));
    this.name = 'RefundInputError';
    this.problems = problems;
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`), '');
}

/** What is wrong with the input, or an empty list. */
export function refundInputProblems(input: unknown): RefundProblem[] {
  const parsed = refundInputSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: pathText(issue.path), message: issue.message }));
}

// ---------------------------------------------------------------------------
// The calculation
// ---------------------------------------------------------------------------

/** Days from `paidOn` to `toDate`, or 0 when `toDate` is not after `paidOn`. */
export function interestDays(paidOn: IsoDate, toDate: IsoDate): number {
  return Math.max(0, toDayNumber(toDate) - toDayNumber(paidOn));
}

/**
 * Simple interest on an amount, to the penny, halves rounded up:
 * amount × (rate in hundredths of a percent) × days ÷ (10,000 × 365), in exact integer arithmetic.
 */
export function simpleInterestPence(amountPence: number, annualRatePercent: number, days: number): number {
  const rateHundredths = BigInt(Math.round(annualRatePercent * 100));
  const numerator = BigInt(amountPence) * rateHundredths * BigInt(days);
  const denominator = 10_000n * BigInt(DAYS_PER_YEAR);
  // Round half up: floor((2n + d) / 2d) for non-negative n.
  return Number((2n * numerator + denominator) / (2n * denominator));
}

/** Refund every charge wrongly made for section 117 services, with simple interest to `toDate`. */
export function calculateRefund(input: RefundInput): RefundCalculation {
  const problems = refundInputProblems(input);
  if (problems.length > 0) throw new RefundInputError(problems);

  const lines: RefundLine[] = input.charges.map((charge) => {
    const days = interestDays(charge.paidOn, input.toDate);
    const interestPence = simpleInterestPence(charge.amountPence, input.annualRatePercent, days);
    return {
      ...(charge.id === undefined ? {} : { id: charge.id }),
      description: charge.description.trim(),
      chargedFrom: charge.chargedFrom,
      chargedTo: charge.chargedTo,
      paidOn: charge.paidOn,
      amountPence: charge.amountPence,
      days,
      interestPence,
      totalPence: charge.amountPence + interestPence,
    };
  });
  const principalPence = lines.reduce((sum, line) => sum + line.amountPence, 0);
  const interestPence = lines.reduce((sum, line) => sum + line.interestPence, 0);
  const totalPence = principalPence + interestPence;
  const count = `${lines.length} ${lines.length === 1 ? 'charge' : 'charges'}`;

  return {
    lines,
    principalPence,
    interestPence,
    totalPence,
    annualRatePercent: input.annualRatePercent,
    toDate: input.toDate,
    reasons: [
      because(
        'R20',
        `Section 117 services are free: the ${count} made for them (${formatPounds(principalPence)}) ${lines.length === 1 ? 'is' : 'are'} refunded in full.`,
      ),
      because(
        'R48',
        `Simple interest at ${input.annualRatePercent}% a year from each payment to ${input.toDate}, on a ${DAYS_PER_YEAR}-day year (leap years included), rounded to the penny, halves up: ${formatPounds(interestPence)}. Total refund ${formatPounds(totalPence)}.`,
      ),
    ],
  };
}
