import { describe, expect, it } from 'vitest';
import { escalationReasonText, levelRank, levelRose, outcomePromptsLearningReview, readmissionsWithinTwelveMonths, reviewOverdue, type HospitalEvent } from './risk.ts';

describe('risk levels', () => {
  it('orders low below medium below high', () => {
    expect(levelRank('low')).toBeLessThan(levelRank('medium'));
    expect(levelRank('medium')).toBeLessThan(levelRank('high'));
  });

  it('counts a rise against the previous assessment, never a fall or the same level', () => {
    expect(levelRose('low', 'medium')).toBe(true);
    expect(levelRose('low', 'high')).toBe(true);
    expect(levelRose('medium', 'high')).toBe(true);
    expect(levelRose('medium', 'medium')).toBe(false);
    expect(levelRose('high', 'medium')).toBe(false);
    expect(levelRose('high', 'high')).toBe(false);
  });

  it('counts a first assessment as a rise only when it is high', () => {
    expect(levelRose(null, 'high')).toBe(true);
    expect(levelRose(null, 'medium')).toBe(false);
    expect(levelRose(null, 'low')).toBe(false);
  });

  it('says why an escalation was raised in plain words', () => {
    expect(escalationReasonText('level-rose', 'low', 'high')).toBe('Risk level rose from low to high');
    expect(escalationReasonText('level-rose', null, 'high')).toBe('First risk assessment at high risk');
    expect(escalationReasonText('significant-event', null, null)).toBe('Significant event recorded');
  });

  it('is overdue the day after the review date, not on it', () => {
    expect(reviewOverdue('2026-12-07', '2026-12-07')).toBe(false);
    expect(reviewOverdue('2026-12-07', '2026-12-08')).toBe(true);
  });
});

describe('learning reviews prompted', () => {
  let n = 0;
  const e = (type: string, occurredOn: string, sequence = 0): HospitalEvent => ({ id: `e${++n}`, type, occurredOn, sequence });

  it('prompts for an admission within 365 days of the previous discharge', () => {
    const events = [e('detention-started', '2025-01-10'), e('left-hospital', '2025-03-31'), e('detention-started', '2026-03-31')];
    expect(readmissionsWithinTwelveMonths(events)).toEqual([{ admissionEventId: events[2]!.id, admittedOn: '2026-03-31', dischargedOn: '2025-03-31' }]);
  });

  it('does not prompt 366 days after', () => {
    expect(readmissionsWithinTwelveMonths([e('left-hospital', '2025-03-31'), e('detention-started', '2026-04-01')])).toEqual([]);
  });

  it('counts days, not calendar months, across 29 February (as the dashboard does)', () => {
    expect(readmissionsWithinTwelveMonths([e('left-hospital', '2027-03-01'), e('admitted-informally', '2028-02-29')])).toHaveLength(1);
    expect(readmissionsWithinTwelveMonths([e('left-hospital', '2027-03-01'), e('admitted-informally', '2028-03-01')])).toHaveLength(0);
  });

  it('does not count the first admission, nor a detention of someone already in hospital', () => {
    const events = [e('admitted-informally', '2025-01-01'), e('detention-started', '2025-01-05'), e('left-hospital', '2025-02-01'), e('admitted-informally', '2025-06-01'), e('detention-started', '2025-06-03')];
    const found = readmissionsWithinTwelveMonths(events);
    expect(found).toHaveLength(1);
    expect(found[0]!.admittedOn).toBe('2025-06-01');
  });

  it('counts a same-day return after discharge, in recorded order, whatever order the events come in', () => {
    const events = [e('detention-started', '2025-05-01', 1), e('left-hospital', '2025-05-01', 0), e('detention-started', '2025-01-01')];
    expect(readmissionsWithinTwelveMonths(events)).toEqual([{ admissionEventId: events[0]!.id, admittedOn: '2025-05-01', dischargedOn: '2025-05-01' }]);
  });

  it('prompts for a crisis only when the crisis team was involved', () => {
    expect(outcomePromptsLearningReview('crisis-team-involved')).toBe(true);
    expect(outcomePromptsLearningReview('plan-reviewed')).toBe(false);
    expect(outcomePromptsLearningReview('no-further-action')).toBe(false);
  });
});
