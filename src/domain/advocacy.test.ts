import { describe, expect, it } from 'vitest';
import { advocacyDateIssues, advocacyOfferedAndUsed, advocacySources, advocacyStatus } from './advocacy.ts';

const none = { referredOn: null, acceptedOn: null, advocateNamedOn: null, firstMetOn: null };
const today = '2026-12-07';

describe('advocacy referrals', () => {
  it('cites each kind’s statute', () => {
    expect(advocacySources).toEqual({ imha: 'Mental Health Act 1983, section 130A', imca: 'Mental Capacity Act 2005, section 35', 'care-act': 'Care Act 2014, section 67' });
  });

  it('moves from referred to accepted, named and met', () => {
    expect(advocacyStatus({ ...none, referredOn: '2026-11-01' })).toBe('referred');
    expect(advocacyStatus({ ...none, referredOn: '2026-11-01', acceptedOn: '2026-11-02', advocateNamedOn: '2026-11-03' })).toBe('named');
    expect(advocacyStatus({ referredOn: '2026-11-01', acceptedOn: '2026-11-02', advocateNamedOn: '2026-11-03', firstMetOn: '2026-11-04' })).toBe('met');
  });

  it('accepts dates in order', () => {
    expect(advocacyDateIssues({ referredOn: '2026-11-01', acceptedOn: '2026-11-01', advocateNamedOn: '2026-11-03', firstMetOn: '2026-11-04' }, today, 'Sam Advocate')).toEqual([]);
  });

  it('refuses a stage before the one it follows, a skipped stage, a future date and a missing name', () => {
    expect(advocacyDateIssues({ ...none, referredOn: '2026-11-05', acceptedOn: '2026-11-04' }, today, null)).toEqual([{ path: 'acceptedOn', message: 'The date the person was accepted by the advocacy service must be on or after the date they were referred' }]);
    expect(advocacyDateIssues({ ...none, referredOn: '2026-11-05', firstMetOn: '2026-11-06', advocateNamedOn: '2026-11-06' }, today, 'Sam')).toEqual([{ path: 'advocateNamedOn', message: 'Enter the date the person was accepted by the advocacy service before the date they were given a named advocate' }]);
    expect(advocacyDateIssues({ ...none, referredOn: '2026-12-08' }, today, null).map((i) => i.path)).toEqual(['referredOn']);
    expect(advocacyDateIssues({ ...none, referredOn: '2026-11-01', acceptedOn: '2026-11-01', advocateNamedOn: '2026-11-02' }, today, null)).toEqual([{ path: 'advocateName', message: 'Enter the name of the advocate' }]);
    expect(advocacyDateIssues(none, today, null)).toEqual([{ path: 'referredOn', message: 'Enter the date of the referral' }]);
  });

  it('says whether advocacy was offered and used, from referrals and the plan together', () => {
    const result = advocacyOfferedAndUsed([{ kind: 'imha', ...none, referredOn: '2026-11-01' }], [{ kind: 'care-act', used: true }]);
    expect(result.map((r) => [r.kind, r.offered, r.used])).toEqual([
      ['imha', true, false],
      ['care-act', true, true],
    ]);
    expect(advocacyOfferedAndUsed([{ kind: 'imha', referredOn: '2026-11-01', acceptedOn: '2026-11-01', advocateNamedOn: '2026-11-01', firstMetOn: '2026-11-02' }], [])[0]!.used).toBe(true);
    expect(advocacyOfferedAndUsed([], [])).toEqual([]);
  });
});
