import { describe, expect, it } from 'vitest';
import { serviceCostCountsOn, serviceInPlaceOn } from './service-cost.ts';

describe('which services count towards the cost of aftercare on a day', () => {
  const on = '2026-12-04';
  it('counts a service from its start date to its end date, both included', () => {
    expect(serviceInPlaceOn({ startOn: '2026-12-04', endOn: null }, on)).toBe(true);
    expect(serviceInPlaceOn({ startOn: '2026-12-05', endOn: null }, on)).toBe(false);
    expect(serviceInPlaceOn({ startOn: '2026-01-01', endOn: '2026-12-04' }, on)).toBe(true);
    expect(serviceInPlaceOn({ startOn: '2026-01-01', endOn: '2026-12-03' }, on)).toBe(false);
  });

  it('does not count a service in place for someone in hospital that day', () => {
    expect(serviceCostCountsOn({ startOn: '2026-01-01', endOn: null }, { inHospital: true }, on)).toBe(false);
    expect(serviceCostCountsOn({ startOn: '2026-01-01', endOn: null }, { inHospital: false }, on)).toBe(true);
  });

  it('does not count a service not yet started or already ended, even for someone in the community', () => {
    expect(serviceCostCountsOn({ startOn: '2027-01-01', endOn: null }, { inHospital: false }, on)).toBe(false);
    expect(serviceCostCountsOn({ startOn: '2025-01-01', endOn: '2025-06-30' }, { inHospital: false }, on)).toBe(false);
  });
});
