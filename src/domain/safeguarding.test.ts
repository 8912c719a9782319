import { describe, expect, it } from 'vitest';
import {
  abuseCategories,
  abuseCategoryLabels,
  addWorkingDays,
  criteriaMet,
  decidedWithinTimescale,
  decisionAgreesWithCriteria,
  decisionDueOn,
  decisionOverdue,
  DEFAULT_DECISION_WORKING_DAYS,
  isOpen,
  statusAfterDecision,
  timelinessPercent,
} from './safeguarding.ts';

describe('safeguarding adults (Care Act 2014 ss42–47)', () => {
  it('has the ten categories of the statutory guidance, paragraph 14.17, each with a label', () => {
    expect(abuseCategories).toHaveLength(10);
    expect(abuseCategoryLabels.financial).toBe('Financial or material abuse');
    expect(abuseCategoryLabels.neglect).toBe('Neglect and acts of omission');
    expect(abuseCategoryLabels['modern-slavery']).toBe('Modern slavery');
  });

  it('meets the s42(1) criteria only when all three questions are answered yes', () => {
    expect(criteriaMet({ needsCareAndSupport: 'yes', experiencingAbuse: 'yes', unableToProtect: 'yes' })).toBe(true);
    expect(criteriaMet({ needsCareAndSupport: 'no', experiencingAbuse: 'yes', unableToProtect: 'yes' })).toBe(false);
    expect(criteriaMet({ needsCareAndSupport: 'yes', experiencingAbuse: 'no', unableToProtect: 'yes' })).toBe(false);
    expect(criteriaMet({ needsCareAndSupport: 'yes', experiencingAbuse: 'yes', unableToProtect: 'no' })).toBe(false);
  });

  it('refuses a "met" decision unless all three are yes, and a "not met" decision when all three are yes', () => {
    const allYes = { needsCareAndSupport: 'yes', experiencingAbuse: 'yes', unableToProtect: 'yes' } as const;
    const oneNo = { ...allYes, unableToProtect: 'no' } as const;
    expect(decisionAgreesWithCriteria('met', allYes)).toBe(true);
    expect(decisionAgreesWithCriteria('met', oneNo)).toBe(false);
    expect(decisionAgreesWithCriteria('not-met', oneNo)).toBe(true);
    expect(decisionAgreesWithCriteria('not-met', allYes)).toBe(false);
  });

  it('counts working days Monday to Friday for the decision timescale (default 2)', () => {
    expect(DEFAULT_DECISION_WORKING_DAYS).toBe(2);
    // Monday 7 December 2026 → Wednesday 9 December.
    expect(decisionDueOn('2026-12-07', 2)).toBe('2026-12-09');
    // Thursday 10 December → Monday 14 December (over the weekend).
    expect(decisionDueOn('2026-12-10', 2)).toBe('2026-12-14');
    // Saturday 12 December → Tuesday 15 December.
    expect(addWorkingDays('2026-12-12', 2)).toBe('2026-12-15');
    expect(addWorkingDays('2026-12-07', 0)).toBe('2026-12-07');
  });

  it('is overdue only while undecided and after the due date; timeliness counts the due day as in time', () => {
    expect(decisionOverdue('2026-12-09', '2026-12-09', null)).toBe(false);
    expect(decisionOverdue('2026-12-09', '2026-12-10', null)).toBe(true);
    expect(decisionOverdue('2026-12-09', '2026-12-10', '2026-12-10')).toBe(false);
    expect(decidedWithinTimescale('2026-12-09', '2026-12-09')).toBe(true);
    expect(decidedWithinTimescale('2026-12-09', '2026-12-10')).toBe(false);
    expect(timelinessPercent(2, 3)).toBe(67);
    expect(timelinessPercent(0, 0)).toBeNull();
  });

  it('moves a concern to an enquiry when met and closes it when not; open until closed', () => {
    expect(statusAfterDecision('met')).toBe('enquiry');
    expect(statusAfterDecision('not-met')).toBe('closed');
    expect(isOpen('awaiting-decision')).toBe(true);
    expect(isOpen('enquiry')).toBe(true);
    expect(isOpen('closed')).toBe(false);
  });
});
