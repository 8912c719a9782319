import { describe, expect, it } from 'vitest';
import { emptyLine, monthBounds, returnHeaders, returnRows, totalLine, type MonthlyReturn } from './monthly-return.ts';

describe('monthly return layout', () => {
  it('has the documented columns in order', () => {
    expect(returnHeaders).toEqual([
      'Month',
      'Local authority code',
      'Local authority',
      'People entitled at month end',
      'New entitlements in month',
      'Endings in month',
      'Reviews overdue at month end',
      'Reviews held in month',
      'Approved plans at month end',
      'Weekly cost, local authority (£)',
      'Weekly cost, ICB (£)',
      'Weekly cost, total (£)',
      'Open disputes at month end',
      'People with a direct payment',
      'People with a personal health budget',
    ]);
  });

  it('knows the bounds of a month, leap years included', () => {
    expect(monthBounds('2024-02')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
    expect(monthBounds('2025-12')).toEqual({ first: '2025-12-01', last: '2025-12-31' });
    expect(() => monthBounds('2025-13')).toThrow(RangeError);
    expect(() => monthBounds('25-01')).toThrow(RangeError);
  });

  it('adds a total row and neutralises formula-like text', () => {
    const a = { ...emptyLine('E06000901', '=Northvale'), entitledAtMonthEnd: 3, weeklyCostTotalPence: 12_345 };
    const b = { ...emptyLine(null, '@No authority'), entitledAtMonthEnd: 2, weeklyCostTotalPence: 5 };
    const ret: MonthlyReturn = { month: '2026-01', first: '2026-01-01', last: '2026-01-31', lines: [a, b] };
    expect(totalLine(ret.lines)).toMatchObject({ localAuthorityName: 'Total', entitledAtMonthEnd: 5, weeklyCostTotalPence: 12_350 });
    const rows = returnRows(ret);
    expect(rows).toHaveLength(3);
    expect(rows[0]!.slice(0, 4)).toEqual(['2026-01', 'E06000901', "'=Northvale", 3]);
    expect(rows[1]![2]).toBe("'@No authority");
    expect(rows[2]!.slice(0, 4)).toEqual(['2026-01', '', 'Total', 5]);
    expect(rows[2]![11]).toBe(123.5);
  });
});
