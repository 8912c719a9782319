import { describe, expect, it } from 'vitest';
import { endingChecklist, reinstatementChecklist, type HistoryForChecks } from './ending-checklist.ts';

const detained = { type: 'detention-started', date: '2025-01-10', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' };
const discharged = [detained, { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' }, { type: 'left-hospital', date: '2025-03-01' }];
const history = (events: Array<Record<string, unknown>>): HistoryForChecks => ({ events, dateOfBirth: '1980-01-01', asOf: '2026-01-01' });
const lawful = { date: '2025-12-01', reasons: ['no-longer-in-need'], personInvolved: true };
const outcomes = (checks: Array<{ code: string; outcome: string }>) => Object.fromEntries(checks.map((c) => [c.code, c.outcome]));

describe('the checklist for ending aftercare, from the engine’s own checks', () => {
  it('passes every item for a lawful joint ending of a current entitlement, citing each rule and its source', () => {
    const result = endingChecklist(history(discharged), lawful);
    expect(result.passed).toBe(true);
    expect(result.checks.map((c) => c.rule)).toEqual(['R40', 'R7', 'R8', 'R10', 'R11']);
    expect(result.checks.every((c) => c.outcome === 'pass' && c.source.length > 0)).toBe(true);
  });

  it('fails while the person is on a CTO (R7), and passes once the CTO has ended', () => {
    const onCto = [detained, { type: 'detention-ended', date: '2025-03-01', reason: 'cto' }, { type: 'left-hospital', date: '2025-03-01' }];
    const blocked = endingChecklist(history(onCto), lawful);
    expect(blocked.passed).toBe(false);
    expect(outcomes(blocked.checks)).toMatchObject({ 'ending-while-cto': 'fail', 'ending-not-entitled': 'pass', 'ending-reason-not-lawful': 'pass' });
    expect(blocked.checks.find((c) => c.code === 'ending-while-cto')!.detail).toContain('community treatment order since 2025-03-01');
    const ctoEnded = endingChecklist(history([...onCto, { type: 'cto-ended', date: '2025-09-01', reason: 'discharged' }]), lawful);
    expect(ctoEnded.passed).toBe(true);
  });

  it('fails while conditionally discharged (R8)', () => {
    const conditional = [{ ...detained, legalStatusCode: '09' }, { type: 'detention-ended', date: '2025-03-01', reason: 'conditional-discharge' }, { type: 'left-hospital', date: '2025-03-01' }];
    expect(outcomes(endingChecklist(history(conditional), lawful).checks)['ending-conditional-discharge-needs-override']).toBe('fail');
  });

  it('refuses refusing services, doing well or time passing as reasons on their own (R10, R28)', () => {
    for (const reasons of [['refuses-services'], ['doing-well'], ['time-elapsed'], ['doing-well', 'time-elapsed'], []]) {
      const result = endingChecklist(history(discharged), { ...lawful, reasons });
      expect(outcomes(result.checks)['ending-reason-not-lawful'], reasons.join()).toBe('fail');
      expect(result.passed).toBe(false);
    }
  });

  it('fails when the person was not involved (R11)', () => {
    const result = endingChecklist(history(discharged), { ...lawful, personInvolved: false });
    expect(outcomes(result.checks)['ending-person-not-involved']).toBe('fail');
  });

  it('fails when there is no current entitlement (R40), and does not pretend the other items were checked', () => {
    const stillDetained = endingChecklist(history([detained]), lawful);
    expect(outcomes(stillDetained.checks)).toEqual({
      'ending-not-entitled': 'fail',
      'ending-while-cto': 'not-checked',
      'ending-conditional-discharge-needs-override': 'not-checked',
      'ending-reason-not-lawful': 'not-checked',
      'ending-person-not-involved': 'not-checked',
    });
    const alreadyEnded = [...discharged, { type: 'aftercare-ended', date: '2025-06-01', approvedBy: ['local-authority', 'icb'], reasons: ['no-longer-in-need'], personInvolved: true, legalOverride: false }];
    expect(endingChecklist(history(alreadyEnded), lawful).checks[0]!.outcome).toBe('fail');
  });

  it('fails, without throwing, when the ending does not fit the history (before the date of birth)', () => {
    const result = endingChecklist(history(discharged), { ...lawful, date: '1970-01-01' });
    expect(result.passed).toBe(false);
    expect(result.checks[0]!.detail).toContain('does not fit the legal history');
  });
});

describe('the checklist for reinstating a mistaken ending', () => {
  const ending = { type: 'aftercare-ended', date: '2025-06-01', approvedBy: ['local-authority', 'icb'], reasons: ['no-longer-in-need'], personInvolved: true, legalOverride: false };

  it('passes when the ending is in effect and undoing it restores the entitlement', () => {
    const result = reinstatementChecklist(history([...discharged, ending]), 3);
    expect(result.passed).toBe(true);
    expect(result.checks[1]!.detail).toContain('2025-03-01');
  });

  it('fails when there is no ending to undo', () => {
    expect(reinstatementChecklist(history(discharged), null).passed).toBe(false);
    expect(reinstatementChecklist(history(discharged), 1).passed).toBe(false);
  });

  it('fails when the recorded ending was rejected by the engine (it never took effect)', () => {
    const onCto = [detained, { type: 'detention-ended', date: '2025-03-01', reason: 'cto' }, { type: 'left-hospital', date: '2025-03-01' }];
    const result = reinstatementChecklist(history([...onCto, ending]), 3);
    expect(result.checks[0]!.outcome).toBe('fail');
    expect(result.passed).toBe(false);
  });
});
