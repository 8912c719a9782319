import { describe, expect, it } from 'vitest';
import { addYears, DEFAULT_YEARS_AFTER_DEATH, DEFAULT_YEARS_AFTER_ENTITLEMENT_ENDED, retentionReview } from './retention.ts';

const code = { yearsAfterEntitlementEnded: DEFAULT_YEARS_AFTER_ENTITLEMENT_ENDED, yearsAfterDeath: DEFAULT_YEARS_AFTER_DEATH };

describe('retention review (Records Management Code of Practice 2021, mental health records)', () => {
  it('uses the Code’s periods by default: 20 years after the entitlement ended, 8 after death', () => {
    expect(code).toEqual({ yearsAfterEntitlementEnded: 20, yearsAfterDeath: 8 });
  });

  it('is due 20 years after the last entitlement ended, not a day before', () => {
    const facts = { lastEntitlementEndedOn: '2006-03-01', diedOn: null };
    expect(retentionReview(facts, code, '2026-02-28')).toEqual({ due: false, dueFrom: '2026-03-01', basis: 'entitlement-ended' });
    expect(retentionReview(facts, code, '2026-03-01')).toEqual({ due: true, dueFrom: '2026-03-01', basis: 'entitlement-ended' });
  });

  it('is due 8 years after death when that is sooner', () => {
    expect(retentionReview({ lastEntitlementEndedOn: '2015-06-30', diedOn: '2018-01-10' }, code, '2026-12-07')).toEqual({ due: true, dueFrom: '2026-01-10', basis: 'died' });
  });

  it('takes the sooner date whichever it is', () => {
    expect(retentionReview({ lastEntitlementEndedOn: '2000-01-01', diedOn: '2019-05-05' }, code, '2026-12-07')).toEqual({ due: true, dueFrom: '2020-01-01', basis: 'entitlement-ended' });
  });

  it('is never due while the person is entitled or was never entitled (and is not known to have died)', () => {
    expect(retentionReview({ lastEntitlementEndedOn: null, diedOn: null }, code, '2090-01-01')).toEqual({ due: false, dueFrom: null, basis: null, why: 'still-entitled-or-never-ended' });
  });

  it('follows the partnership’s own periods', () => {
    expect(retentionReview({ lastEntitlementEndedOn: '2016-04-01', diedOn: null }, { yearsAfterEntitlementEnded: 10, yearsAfterDeath: 8 }, '2026-04-01')).toMatchObject({ due: true, dueFrom: '2026-04-01' });
  });

  it('moves the date on when someone decided to keep the record for longer', () => {
    const facts = { lastEntitlementEndedOn: '2000-01-01', diedOn: null, keepUntil: '2030-01-01' };
    expect(retentionReview(facts, code, '2026-12-07')).toEqual({ due: false, dueFrom: '2030-01-01', basis: 'kept-until' });
    expect(retentionReview(facts, code, '2030-01-01')).toEqual({ due: true, dueFrom: '2030-01-01', basis: 'kept-until' });
  });

  it('counts whole years, 29 February landing on 28 February', () => {
    expect(addYears('2004-02-29', 20)).toBe('2024-02-29');
    expect(addYears('2004-02-29', 1)).toBe('2005-02-28');
  });
});
