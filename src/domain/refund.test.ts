import { describe, expect, it } from 'vitest';
import { formatPounds } from './funding.ts';
import {
  calculateRefund,
  interestDays,
  RefundInputError,
  refundInputProblems,
  refundInputSchema,
  simpleInterestPence,
  type WrongfulCharge,
} from './refund.ts';

/** Mrs B, s117 aftercare in a care home, was charged a contribution as if under the Care Act (T22, Stennett). */
const residentialApril: WrongfulCharge = {
  id: 'c1',
  description: 'Residential care contribution, April 2024',
  chargedFrom: '2024-04-01',
  chargedTo: '2024-04-30',
  amountPence: 125_000,
  paidOn: '2024-05-01',
};
const homeCareQ4: WrongfulCharge = {
  description: 'Home care charges, October to December 2023',
  chargedFrom: '2023-10-01',
  chargedTo: '2023-12-31',
  amountPence: 100_000,
  paidOn: '2024-01-15',
};

describe('calculateRefund (R20, R48): refunds of charges wrongly made for section 117 services', () => {
  it('refunds Mrs B\'s charges in full with 8% simple interest to 1 May 2025, to the penny', () => {
    const refund = calculateRefund({ charges: [residentialApril, homeCareQ4], annualRatePercent: 8, toDate: '2025-05-01' });

    // Line 1: paid 2024-05-01, to 2025-05-01 = 365 days (no 29 February in between).
    //   £1,250.00 × 8% × 365/365 = 125,000p × 0.08 = 10,000p exactly.
    // Line 2: paid 2024-01-15, to 2025-05-01 = 366 days (to 2025-01-15, across 29 February 2024)
    //   + 16 (rest of January) + 28 + 31 + 30 + 1 = 472 days.
    //   100,000p × 8/100 × 472/365 = 37,760,000,000 / 3,650,000 = 10,345.205…p → 10,345p.
    expect(refund.lines).toEqual([
      { id: 'c1', description: 'Residential care contribution, April 2024', chargedFrom: '2024-04-01', chargedTo: '2024-04-30', paidOn: '2024-05-01', amountPence: 125_000, days: 365, interestPence: 10_000, totalPence: 135_000 },
      { description: 'Home care charges, October to December 2023', chargedFrom: '2023-10-01', chargedTo: '2023-12-31', paidOn: '2024-01-15', amountPence: 100_000, days: 472, interestPence: 10_345, totalPence: 110_345 },
    ]);
    // Principal 125,000 + 100,000 = 225,000p; interest 10,000 + 10,345 = 20,345p; total 245,345p.
    expect(refund).toMatchObject({ principalPence: 225_000, interestPence: 20_345, totalPence: 245_345, annualRatePercent: 8, toDate: '2025-05-01' });
    expect(formatPounds(refund.totalPence)).toBe('£2,453.45');
    expect(refund.reasons.map((r) => r.rule)).toEqual(['R20', 'R48']);
    expect(refund.reasons[0]?.text).toBe('Section 117 services are free: the 2 charges made for them (£2,250.00) are refunded in full.');
    expect(refund.reasons[1]?.text).toBe(
      'Simple interest at 8% a year from each payment to 2025-05-01, on a 365-day year (leap years included), rounded to the penny, halves up: £203.45. Total refund £2,453.45.',
    );
  });

  it('uses a 365-day year across a leap year: 366 days earn 366/365 of a year\'s interest', () => {
    const charge = { ...homeCareQ4, paidOn: '2024-01-15' };
    // 2024-01-15 → 2025-01-15 = 366 days: 100,000p × 8/100 × 366/365 = 29,280,000,000 / 3,650,000 = 8,021.917…p → 8,022p.
    const leap = calculateRefund({ charges: [charge], annualRatePercent: 8, toDate: '2025-01-15' });
    expect(leap.lines[0]).toMatchObject({ days: 366, interestPence: 8_022, totalPence: 108_022 });
    // 2025-01-15 → 2026-01-15 = 365 days: exactly 8% = 8,000p.
    const ordinary = calculateRefund({ charges: [{ ...charge, paidOn: '2025-01-15' }], annualRatePercent: 8, toDate: '2026-01-15' });
    expect(ordinary.lines[0]).toMatchObject({ days: 365, interestPence: 8_000 });
  });

  it('rounds half a penny up', () => {
    // 2025-01-01 → 2025-03-15 = 30 + 28 + 14 + 1 = 73 days at 5%:
    //   1,234,550p × 5/100 × 73/365 = 45,061,075,000 / 3,650,000 = 12,345.5p → 12,346p.
    //   1,234,549p gives 12,345.489…p → 12,345p.
    const refund = calculateRefund({
      charges: [
        { description: 'Supported living charges 2024', chargedFrom: '2024-01-01', chargedTo: '2024-12-31', amountPence: 1_234_550, paidOn: '2025-01-01' },
        { description: 'Same, a penny less', chargedFrom: '2024-01-01', chargedTo: '2024-12-31', amountPence: 1_234_549, paidOn: '2025-01-01' },
      ],
      annualRatePercent: 5,
      toDate: '2025-03-15',
    });
    expect(refund.lines.map((l) => [l.days, l.interestPence])).toEqual([
      [73, 12_346],
      [73, 12_345],
    ]);
    expect(refund).toMatchObject({ principalPence: 2_469_099, interestPence: 24_691, totalPence: 2_493_790 });
  });

  it('pays no interest for a charge paid on or after the refund date, and none at 0%', () => {
    const laterPayment = { ...residentialApril, paidOn: '2025-06-01', amountPence: 4_999 };
    const refund = calculateRefund({ charges: [laterPayment, { ...residentialApril, paidOn: '2025-05-01' }], annualRatePercent: 8, toDate: '2025-05-01' });
    expect(refund.lines.map((l) => [l.days, l.interestPence, l.totalPence])).toEqual([
      [0, 0, 4_999],
      [0, 0, 125_000],
    ]);
    expect(refund.totalPence).toBe(129_999);
    expect(calculateRefund({ charges: [residentialApril], annualRatePercent: 0, toDate: '2025-05-01' }).interestPence).toBe(0);
  });

  it('handles a fractional rate such as 3.25% exactly', () => {
    // 365 days at 3.25%: 125,000p × 325/10,000 = 4,062.5p → 4,063p.
    expect(calculateRefund({ charges: [residentialApril], annualRatePercent: 3.25, toDate: '2025-05-01' }).interestPence).toBe(4_063);
  });

  it('an empty list refunds nothing', () => {
    expect(calculateRefund({ charges: [], annualRatePercent: 8, toDate: '2025-05-01' })).toMatchObject({ lines: [], principalPence: 0, interestPence: 0, totalPence: 0 });
  });
});

describe('refund helpers', () => {
  it('counts days from the day paid to the refund date', () => {
    expect(interestDays('2025-01-01', '2025-01-02')).toBe(1);
    expect(interestDays('2024-02-28', '2024-03-01')).toBe(2);
    expect(interestDays('2025-01-02', '2025-01-01')).toBe(0);
  });

  it('works large amounts exactly (no floating point)', () => {
    // £10,000,000.00 at 99.99% for 100,000 days: 1e9 × 9,999 × 100,000 / 3,650,000 = 273,945,205,479.45…p → …479p.
    expect(simpleInterestPence(1_000_000_000, 99.99, 100_000)).toBe(273_945_205_479);
  });
});

describe('refund input validation', () => {
  it('refuses a negative amount, a period that ends before it starts, and a rate that is not a number', () => {
    const input = {
      charges: [{ ...residentialApril, amountPence: -500 }, { ...homeCareQ4, chargedFrom: '2024-01-01', chargedTo: '2023-12-31' }],
      annualRatePercent: Number.NaN,
      toDate: '2025-05-01',
    };
    expect(refundInputProblems(input)).toEqual([
      { path: 'charges[0].amountPence', message: 'The amount charged cannot be negative: enter what the person paid, in pence' },
      { path: 'charges[1].chargedTo', message: 'The last day charged for (2023-12-31) cannot be before the first day charged for (2024-01-01)' },
      { path: 'annualRatePercent', message: 'The interest rate must be a percentage from 0 to 100, with at most 2 decimal places, for example 8' },
    ]);
    expect(() => calculateRefund(input)).toThrow(RefundInputError);
    try {
      calculateRefund(input);
    } catch (error) {
      expect((error as RefundInputError).problems).toHaveLength(3);
      expect((error as RefundInputError).message).toContain('charges[0].amountPence: The amount charged cannot be negative');
    }
  });

  it.each([
    [Number.POSITIVE_INFINITY, 'The interest rate must be a percentage from 0 to 100, with at most 2 decimal places, for example 8'],
    [-1, 'The interest rate must be a percentage from 0 to 100, with at most 2 decimal places, for example 8'],
    [8.125, 'The interest rate must have at most 2 decimal places, for example 8 or 3.25'],
  ])('refuses the rate %s', (annualRatePercent, message) => {
    expect(refundInputProblems({ charges: [], annualRatePercent, toDate: '2025-05-01' })).toEqual([{ path: 'annualRatePercent', message }]);
  });

  it('explains amounts in pounds, impossible dates and missing descriptions', () => {
    expect(refundInputProblems({ charges: [{ ...residentialApril, amountPence: 12.5 }], annualRatePercent: 8, toDate: '2025-02-29' })).toEqual([
      { path: 'charges[0].amountPence', message: 'The amount charged must be a whole number of pence from 0 to 1,000,000,000 (1250 is £12.50)' },
      { path: 'toDate', message: 'The date the refund is calculated to must be a real date: 2025-02-29 does not exist' },
    ]);
    expect(refundInputProblems({ charges: [{ ...residentialApril, description: '  ' }], annualRatePercent: 8, toDate: '2025-05-01' })).toEqual([
      { path: 'charges[0].description', message: 'Enter a description of the charge, for example "Residential care contribution"' },
    ]);
    expect(refundInputProblems({ charges: [{ ...residentialApril, paidOn: '1/5/2024' }], annualRatePercent: 8, toDate: '2025-05-01' })).toEqual([
      { path: 'charges[0].paidOn', message: 'The day the charge was paid must be a date written YYYY-MM-DD, for example "2025-03-01"' },
    ]);
    expect(refundInputProblems({ charges: [], toDate: '2025-05-01' })).toEqual([
      { path: 'annualRatePercent', message: 'Enter the interest rate: a percentage from 0 to 100, with at most 2 decimal places, for example 8' },
    ]);
  });

  it('the schema accepts a valid input unchanged (trimming the description)', () => {
    const parsed = refundInputSchema.parse({ charges: [{ ...residentialApril, description: ' Contribution ' }], annualRatePercent: 8, toDate: '2025-05-01' });
    expect(parsed.charges[0]?.description).toBe('Contribution');
  });
});
