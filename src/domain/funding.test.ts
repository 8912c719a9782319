import { describe, expect, it } from 'vitest';
import { formatPounds, percentToBasisPoints, planTotals, splitPence, weeklyCostPence } from './funding.ts';

describe('funding to the penny (R26 splits, R20 free to the person)', () => {
  it('costs a week of a service: unit cost × units, halves rounded up', () => {
    expect(weeklyCostPence({ unitCostPence: 2150, unitsPerWeek: 7.5 })).toBe(16125); // £21.50 × 7.5 h = £161.25
    expect(weeklyCostPence({ unitCostPence: 1333, unitsPerWeek: 1.5 })).toBe(2000); // 1999.5p → 2000p
    expect(weeklyCostPence({ unitCostPence: 0, unitsPerWeek: 10 })).toBe(0);
    expect(() => weeklyCostPence({ unitCostPence: 12.5, unitsPerWeek: 1 })).toThrow(RangeError);
  });

  it('splits so the shares always add up to the amount', () => {
    expect(splitPence(16125, 6000)).toEqual({ localAuthorityPence: 9675, icbPence: 6450, totalPence: 16125 });
    // £1.01 split 50/50: 50.5p → the local authority 51p, the ICB the remaining 50p.
    expect(splitPence(101, 5000)).toEqual({ localAuthorityPence: 51, icbPence: 50, totalPence: 101 });
    // One third: 33.33% of £100.00 = £33.33; the ICB pays £66.67.
    expect(splitPence(10000, percentToBasisPoints(33.33))).toEqual({ localAuthorityPence: 3333, icbPence: 6667, totalPence: 10000 });
    expect(splitPence(999, 0)).toEqual({ localAuthorityPence: 0, icbPence: 999, totalPence: 999 });
    expect(splitPence(999, 10000)).toEqual({ localAuthorityPence: 999, icbPence: 0, totalPence: 999 });
    expect(() => splitPence(100, 10001)).toThrow(RangeError);
  });

  it('totals a plan with mixed splits by funder, weekly and yearly (hand-computed)', () => {
    const totals = planTotals([
      // Supported living: £1,250.00 a week, 60% local authority.
      { unitCostPence: 125000, unitsPerWeek: 1, localAuthorityBasisPoints: 6000 },
      // Home support: £21.50 an hour, 7.5 hours, 40% local authority.
      { unitCostPence: 2150, unitsPerWeek: 7.5, localAuthorityBasisPoints: 4000 },
      // Medication prompts: £9.99 a visit, 7 visits, wholly health.
      { unitCostPence: 999, unitsPerWeek: 7, localAuthorityBasisPoints: 0 },
      // Day service: £33.33, 3 days, 50/50 (9999p → LA 5000p, ICB 4999p).
      { unitCostPence: 3333, unitsPerWeek: 3, localAuthorityBasisPoints: 5000 },
    ]);
    // Weekly: LA 75000 + 6450 + 0 + 5000 = 86450; ICB 50000 + 9675 + 6993 + 4999 = 71667.
    expect(totals.weekly).toEqual({ localAuthorityPence: 86450, icbPence: 71667, totalPence: 158117 });
    // Yearly (52 weeks): 6,500,000 split 3,900,000/2,600,000; 838,500 split 335,400/503,100;
    // 363,636 all ICB; 519,948 split 259,974/259,974.
    expect(totals.yearly).toEqual({ localAuthorityPence: 4495374, icbPence: 3726710, totalPence: 8222084 });
    expect(formatPounds(totals.yearly.totalPence)).toBe('£82,220.84');
  });

  it('formats pounds for letters and pages', () => {
    expect(formatPounds(0)).toBe('£0.00');
    expect(formatPounds(5)).toBe('£0.05');
    expect(formatPounds(123456)).toBe('£1,234.56');
    expect(formatPounds(-250)).toBe('-£2.50');
  });
});
