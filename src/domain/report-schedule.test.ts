import { describe, expect, it } from 'vitest';
import { firstRunOn, isDue, reportDedupeKey, reportMonth, runAfter } from './report-schedule.ts';

describe('monthly report schedule', () => {
  it('first send is this month when the day has not passed, including today', () => {
    expect(firstRunOn(15, '2026-03-10')).toBe('2026-03-15');
    expect(firstRunOn(10, '2026-03-10')).toBe('2026-03-10');
    expect(firstRunOn(1, '2026-03-02')).toBe('2026-04-01');
  });

  it('rolls over month ends and the year end', () => {
    expect(firstRunOn(28, '2026-01-31')).toBe('2026-02-28');
    expect(firstRunOn(28, '2026-02-28')).toBe('2026-02-28');
    expect(runAfter(28, '2026-02-28')).toBe('2026-03-28');
    expect(firstRunOn(5, '2026-12-31')).toBe('2027-01-05');
    expect(runAfter(28, '2026-12-28')).toBe('2027-01-28');
    expect(runAfter(1, '2028-02-29')).toBe('2028-03-01');
    expect(firstRunOn(28, '2028-02-29')).toBe('2028-03-28');
  });

  it('after a send, the next is strictly later, even when the job runs late', () => {
    expect(runAfter(15, '2026-03-15')).toBe('2026-04-15');
    expect(runAfter(15, '2026-03-20')).toBe('2026-04-15');
    expect(runAfter(15, '2026-03-14')).toBe('2026-03-15');
  });

  it('is due on and after its date', () => {
    expect(isDue('2026-03-15', '2026-03-14')).toBe(false);
    expect(isDue('2026-03-15', '2026-03-15')).toBe(true);
    expect(isDue('2026-03-15', '2026-04-02')).toBe(true);
  });

  it('keys each copy by schedule, month and recipient', () => {
    expect(reportMonth('2026-03-15')).toBe('2026-03');
    expect(reportDedupeKey('s1', '2026-03-15', 'u1')).toBe('report:s1:2026-03:u1');
  });

  it('refuses days that some months do not have', () => {
    expect(() => firstRunOn(29, '2026-01-01')).toThrow(RangeError);
    expect(() => runAfter(0, '2026-01-01')).toThrow(RangeError);
  });
});
