import { describe, expect, it } from 'vitest';
import { formatPounds } from './funding.ts';
import { defaultResourceAllocation, indicativeBudget, resourceAllocationSchema, type ResourceAllocationSettings } from './personal-budget.ts';
import { needDomainIds } from './rules/needs.ts';

const messages = (input: unknown) => {
  const parsed = resourceAllocationSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
};

describe('indicativeBudget (R47)', () => {
  it('a man discharged from s3 to supported living: only his section 117 needs are priced (default RAS, £15.00 a point)', () => {
    const budget = indicativeBudget(defaultResourceAllocation, [
      { domain: 'mental-health-relapse-prevention', level: 'high', s117: true }, // 20 points
      { domain: 'daily-living', level: 'medium', s117: true }, // 12 points
      { domain: 'accommodation', level: 'medium', s117: true }, // 8 points (accommodation-plus)
      { domain: 'physical-health', level: 'low', s117: false }, // diabetes: NHS, not counted
      { domain: 'finances-benefits', level: 'low', s117: false }, // universal, not counted
    ]);
    // 20 + 12 + 8 = 40 points; 40 × 1500p = 60,000p a week; × 52 = 3,120,000p a year.
    expect(budget).toMatchObject({ points: 40, weeklyPence: 60_000, annualPence: 3_120_000 });
    expect(formatPounds(budget.weeklyPence)).toBe('£600.00');
    expect(formatPounds(budget.annualPence)).toBe('£31,200.00');
    // Lines follow the plan's domain order, not the order entered.
    expect(budget.lines).toEqual([
      { domain: 'mental-health-relapse-prevention', level: 'high', points: 20 },
      { domain: 'accommodation', level: 'medium', points: 8 },
      { domain: 'daily-living', level: 'medium', points: 12 },
    ]);
    expect(budget.reasons.every((r) => r.rule === 'R47')).toBe(true);
    expect(budget.reasons[0]?.text).toBe(
      '40 points from 3 section 117 needs (Mental health and relapse prevention, high: 20; Accommodation, medium: 8; Daily living, medium: 12) at £15.00 a point: £600.00 a week, £31,200.00 a year (52 weeks).',
    );
    expect(budget.reasons[1]?.text).toBe(
      'Only section 117 needs are counted: 2 other needs (Physical health, Finances and benefits) are met and funded under other law and not included.',
    );
    expect(budget.reasons.at(-1)?.text).toContain('indicative amount');
    expect(budget.reasons.at(-1)?.source).toContain('Care Act 2014 s26');
    expect(budget.reasons.at(-1)?.source).toContain('s117(2C)');
  });

  it('counts a domain once, at its highest level, when two needs share it (help with meals low, personal care high)', () => {
    const budget = indicativeBudget(defaultResourceAllocation, [
      { domain: 'daily-living', level: 'low', s117: true },
      { domain: 'daily-living', level: 'high', s117: true },
      { domain: 'medication', level: 'low', s117: true },
    ]);
    // 24 (daily living, high) + 2 (medication, low) = 26 points × 1500p = 39,000p; × 52 = 2,028,000p.
    expect(budget).toMatchObject({ points: 26, weeklyPence: 39_000, annualPence: 2_028_000 });
    expect(budget.lines).toEqual([
      { domain: 'daily-living', level: 'high', points: 24 },
      { domain: 'medication', level: 'low', points: 2 },
    ]);
    expect(budget.reasons[1]?.text).toBe('Each domain is counted once, at its highest level: 1 further section 117 need in the same domains added no points.');
  });

  it('a person whose needs are all outside section 117 has an indicative section 117 budget of £0.00', () => {
    const budget = indicativeBudget(defaultResourceAllocation, [{ domain: 'physical-health', level: 'high', s117: false }]);
    expect(budget).toEqual({ weeklyPence: 0, annualPence: 0, points: 0, lines: [], reasons: expect.any(Array) });
    expect(budget.reasons[0]?.text).toBe('No section 117 needs are recorded, so the indicative budget is £0.00.');
    expect(budget.reasons[1]?.text).toContain('1 other need (Physical health) is met');
  });

  it('uses the partnership\'s own rate per point and weeks a year', () => {
    const settings: ResourceAllocationSettings = { ...defaultResourceAllocation, pencePerPoint: 1275 };
    const budget = indicativeBudget(settings, [{ domain: 'safety-risk', level: 'medium', s117: true }], 53);
    // 10 points × 1275p = 12,750p (£127.50) a week; × 53 = 675,750p (£6,757.50).
    expect(budget).toMatchObject({ weeklyPence: 12_750, annualPence: 675_750 });
    expect(() => indicativeBudget(settings, [], 0)).toThrow('Weeks a year must be a whole number from 1 to 53');
  });

  it('refuses settings the schema refuses, and needs with an unknown domain or level', () => {
    expect(() => indicativeBudget({ ...defaultResourceAllocation, pencePerPoint: -1 }, [])).toThrow(RangeError);
    expect(() => indicativeBudget(defaultResourceAllocation, [{ domain: 'housing' as never, level: 'low', s117: true }])).toThrow('Unknown need domain: housing');
    expect(() => indicativeBudget(defaultResourceAllocation, [{ domain: 'carers', level: 'severe' as never, s117: true }])).toThrow(
      'The level of a need must be low, medium or high, not severe',
    );
  });
});

describe('resourceAllocationSchema (admin settings form)', () => {
  it('accepts the default settings, which cover every domain with rising points', () => {
    expect(resourceAllocationSchema.parse(defaultResourceAllocation)).toEqual(defaultResourceAllocation);
    expect(Object.keys(defaultResourceAllocation.points)).toEqual([...needDomainIds]);
  });

  it('an administrator entering pounds with pence, or a negative rate, is told to use whole pence', () => {
    expect(messages({ ...defaultResourceAllocation, pencePerPoint: 15.5 })).toEqual([
      { path: 'pencePerPoint', message: 'The amount per point must be a whole number of pence from 0 to 100,000' },
    ]);
    expect(messages({ ...defaultResourceAllocation, pencePerPoint: -100 })[0]?.message).toBe('The amount per point must be a whole number of pence from 0 to 100,000');
    expect(messages({ ...defaultResourceAllocation, pencePerPoint: 100_001 })).toHaveLength(1);
    expect(messages({ ...defaultResourceAllocation, pencePerPoint: '1500' })[0]?.message).toBe('The amount per point must be a whole number of pence from 0 to 100,000');
    expect(messages({ points: defaultResourceAllocation.points })[0]?.message).toBe('Enter the amount per point: a whole number of pence from 0 to 100,000');
  });

  it('names the domain and level of a bad points figure, and keeps levels rising', () => {
    const points = {
      ...defaultResourceAllocation.points,
      carers: { low: 5, medium: 3, high: 2000 },
      medication: { low: 1, medium: 2.5, high: 4 },
    };
    expect(messages({ ...defaultResourceAllocation, points })).toEqual([
      { path: 'points.medication.medium', message: 'The points for Medication (medium) must be a whole number of points from 0 to 1,000' },
      { path: 'points.carers.high', message: 'The points for Carers (high) must be a whole number of points from 0 to 1,000' },
      { path: 'points.carers.medium', message: 'The points for Carers (medium) must be at least the points for low (5)' },
    ]);
    const falling = { ...defaultResourceAllocation.points, carers: { low: 5, medium: 3, high: 1 } };
    expect(messages({ ...defaultResourceAllocation, points: falling })).toEqual([
      { path: 'points.carers.medium', message: 'The points for Carers (medium) must be at least the points for low (5)' },
      { path: 'points.carers.high', message: 'The points for Carers (high) must be at least the points for medium (3)' },
    ]);
  });

  it('asks for every domain, and refuses unknown ones', () => {
    const { carers: _carers, ...withoutCarers } = defaultResourceAllocation.points;
    expect(messages({ ...defaultResourceAllocation, points: withoutCarers })).toEqual([
      { path: 'points.carers', message: 'Enter the points for Carers at each level: low, medium and high' },
    ]);
    expect(messages({ ...defaultResourceAllocation, points: { ...defaultResourceAllocation.points, housing: { low: 1, medium: 2, high: 3 } } })).toHaveLength(1);
  });
});
