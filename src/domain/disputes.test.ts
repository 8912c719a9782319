import { describe, expect, it } from 'vitest';
import { disputeAge, disputeWaitsOn, isReferralDue, nextStages, referralDueOn } from './disputes.ts';

describe('ordinary-residence disputes are referred to the Secretary of State at 4 months (R24)', () => {
  it('is due 4 calendar months after it arose', () => {
    expect(referralDueOn('2025-01-01')).toBe('2025-05-01');
    expect(referralDueOn('2025-06-15')).toBe('2025-10-15');
    expect(referralDueOn('2025-11-20')).toBe('2026-03-20');
  });

  it('clamps to the end of a shorter month, and knows leap years', () => {
    expect(referralDueOn('2025-10-31')).toBe('2026-02-28');
    expect(referralDueOn('2023-10-31')).toBe('2024-02-29');
    expect(referralDueOn('2023-10-29')).toBe('2024-02-29');
    expect(referralDueOn('2024-02-29')).toBe('2024-06-29');
    expect(referralDueOn('2025-05-31')).toBe('2025-09-30');
  });

  it('is due on the day 4 months on, not the day before (T26: arose 1 Jan, open 2 May)', () => {
    const d = { kind: 'ordinary-residence' as const, aroseOn: '2025-01-01', stage: 'local-negotiation' as const };
    expect(isReferralDue('2025-04-30', d)).toBe(false);
    expect(isReferralDue('2025-05-01', d)).toBe(true);
    expect(isReferralDue('2025-05-02', d)).toBe(true);
    const leap = { ...d, aroseOn: '2023-10-31' };
    expect(isReferralDue('2024-02-28', leap)).toBe(false);
    expect(isReferralDue('2024-02-29', leap)).toBe(true);
  });

  it('is never due for a funding dispute (R38), a referred one or a resolved one', () => {
    expect(isReferralDue('2026-01-01', { kind: 'funding', aroseOn: '2025-01-01', stage: 'local-negotiation' })).toBe(false);
    expect(isReferralDue('2026-01-01', { kind: 'ordinary-residence', aroseOn: '2025-01-01', stage: 'sos-referral' })).toBe(false);
    expect(isReferralDue('2026-01-01', { kind: 'ordinary-residence', aroseOn: '2025-01-01', stage: 'resolved' })).toBe(false);
    expect(isReferralDue('2026-01-01', { kind: 'ordinary-residence', aroseOn: '2025-01-01', stage: 'senior-escalation' })).toBe(true);
  });
});

describe('the age of a dispute', () => {
  it('counts days and whole calendar months', () => {
    expect(disputeAge('2025-01-01', '2025-01-01')).toEqual({ days: 0, months: 0, text: '0 days' });
    expect(disputeAge('2025-01-01', '2025-01-13')).toEqual({ days: 12, months: 0, text: '12 days' });
    expect(disputeAge('2025-01-01', '2025-02-01')).toEqual({ days: 31, months: 1, text: '1 month' });
    expect(disputeAge('2025-01-01', '2025-05-04')).toEqual({ days: 123, months: 4, text: '4 months, 3 days' });
    expect(disputeAge('2025-01-31', '2025-02-28').months).toBe(1);
    expect(disputeAge('2024-01-31', '2024-02-29')).toEqual({ days: 29, months: 1, text: '1 month' });
  });

  it('offers the referral stage only to the kind it belongs to', () => {
    expect(nextStages('ordinary-residence')).toContain('sos-referral');
    expect(nextStages('ordinary-residence')).not.toContain('nhs-dispute-process');
    expect(nextStages('funding')).toContain('nhs-dispute-process');
    expect(nextStages('funding')).not.toContain('sos-referral');
  });
});

describe('what a dispute waits on its parties for (work queues)', () => {
  it('an ordinary-residence dispute in local negotiation waits on the parties, due for referral 4 months after it arose', () => {
    expect(disputeWaitsOn({ kind: 'ordinary-residence', aroseOn: '2026-10-31', stage: 'local-negotiation' })).toEqual({ action: 'Agree which local authority is responsible, or escalate it', dueOn: '2027-02-28' });
  });
  it('a funding dispute at senior escalation waits on the parties with no statutory date (R38)', () => {
    expect(disputeWaitsOn({ kind: 'funding', aroseOn: '2026-10-01', stage: 'senior-escalation' })).toEqual({ action: 'Senior managers settle it, or take it to the NHS dispute process', dueOn: null });
  });
  it('a referred or resolved dispute waits on nobody in the partnership', () => {
    for (const stage of ['sos-referral', 'nhs-dispute-process', 'resolved'] as const) expect(disputeWaitsOn({ kind: 'ordinary-residence', aroseOn: '2026-10-01', stage })).toBeNull();
  });
});
