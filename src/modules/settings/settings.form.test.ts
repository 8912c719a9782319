import { describe, expect, it } from 'vitest';
import { defaultResourceAllocation } from '../../domain/personal-budget.ts';
import { settingsDifferences, settingsFormValues, settingsFromForm } from './settings.form.ts';
import { resourceAllocationFromStored } from './settings.service.ts';

const defaults = { resourceAllocation: defaultResourceAllocation, refundInterestBasisPoints: 800, weeksPerYear: 52 };

function body(changes: Record<string, string> = {}): Record<string, string> {
  const v = settingsFormValues(defaults);
  return { poundsPerPoint: v.poundsPerPoint, refundInterestPercent: v.refundInterestPercent, weeksPerYear: v.weeksPerYear, ...v.points, ...changes };
}

describe('the planning settings form', () => {
  it('fills in stored settings as people read them', () => {
    const v = settingsFormValues({ ...defaults, refundInterestBasisPoints: 325 });
    expect(v.poundsPerPoint).toBe('15.00');
    expect(v.refundInterestPercent).toBe('3.25');
    expect(v.weeksPerYear).toBe('52');
    expect(v.points['points-daily-living-high']).toBe('24');
  });

  it('reads the form back into the same settings, in pence and basis points', () => {
    const { input, issues } = settingsFromForm(body());
    expect(issues).toEqual([]);
    expect(input).toEqual({ resourceAllocation: defaultResourceAllocation, refundInterestBasisPoints: 800, weeksPerYear: 52 });
    const changed = settingsFromForm(body({ poundsPerPoint: '£1,000.00', refundInterestPercent: '3.5%', 'points-carers-high': ' 7 ' }));
    expect(changed.issues).toEqual([]);
    expect(changed.input?.resourceAllocation.pencePerPoint).toBe(100000);
    expect(changed.input?.resourceAllocation.points.carers.high).toBe(7);
    expect(changed.input?.refundInterestBasisPoints).toBe(350);
  });

  it('names each wrong field once, by its form name, in the order of the form', () => {
    const { input, issues, values } = settingsFromForm(
      body({ weeksPerYear: '0', refundInterestPercent: '101', 'points-medication-low': '2.5', 'points-accommodation-high': '', poundsPerPoint: '1000.01' }),
    );
    expect(input).toBeNull();
    expect(issues.map((i) => i.path)).toEqual(['poundsPerPoint', 'points-accommodation-high', 'points-medication-low', 'refundInterestPercent', 'weeksPerYear']);
    expect(issues[0]!.message).toBe('The amount a point is worth must be £1,000.00 a week or less');
    expect(issues[1]!.message).toBe('Enter the points for accommodation at high need');
    expect(issues[2]!.message).toMatch(/^The points for Medication \(low\) must be a whole number/);
    expect(issues[3]!.message).toMatch(/^The refund interest rate must be a percentage from 0 to 100/);
    expect(issues[4]!.message).toBe('Weeks in a year must be a whole number from 1 to 53 (usually 52)');
    // What was typed is kept for the form.
    expect(values.points['points-medication-low']).toBe('2.5');
  });

  it('asks for blank values rather than calling them wrong', () => {
    const { issues } = settingsFromForm(body({ poundsPerPoint: '', refundInterestPercent: '', weeksPerYear: '' }));
    expect(issues.map((i) => i.message)).toEqual([
      'Enter the amount a point is worth a week, in pounds, for example 15.00',
      'Enter the refund interest rate, as a percentage a year, for example 8',
      'Enter the number of weeks in a year, usually 52',
    ]);
  });

  it('lists what differs between the saved settings and an administrator’s entries', () => {
    const { input } = settingsFromForm(body({ 'points-carers-low': '2', refundInterestPercent: '9.5' }));
    expect(settingsDifferences(defaults, input!)).toEqual([
      { label: 'Carers: low need', saved: '1', yours: '2' },
      { label: 'Refund interest rate', saved: '8% a year', yours: '9.5% a year' },
    ]);
    expect(settingsDifferences(defaults, settingsFromForm(body()).input!)).toEqual([]);
  });
});

describe('stored resource allocation', () => {
  it('is used as stored when it is complete', () => {
    expect(resourceAllocationFromStored(defaultResourceAllocation)).toEqual(defaultResourceAllocation);
  });

  it('takes the defaults for whatever is missing or broken', () => {
    const stored = { pencePerPoint: 2000, points: { carers: { low: 9, medium: 'x', high: 12 } } };
    const read = resourceAllocationFromStored(stored);
    expect(read.pencePerPoint).toBe(2000);
    expect(read.points.carers).toEqual({ low: 9, medium: defaultResourceAllocation.points.carers.medium, high: 12 });
    expect(read.points['daily-living']).toEqual(defaultResourceAllocation.points['daily-living']);
    expect(resourceAllocationFromStored(null)).toEqual(defaultResourceAllocation);
  });
});
