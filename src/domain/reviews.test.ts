import { describe, expect, it } from 'vitest';
import { todayInLondon } from '../platform/clock.ts';
import { daysOverdue, daysUntil, defaultNextReview, isDueWithin, isOverdue, reminderDate, reminderKey, reminderOwed, retryDelayMinutes } from './reviews.ts';

describe('reminder date', () => {
  it('is the due date less the days before', () => {
    expect(reminderDate('2026-06-20', 14)).toBe('2026-06-06');
    expect(reminderDate('2026-06-20', 0)).toBe('2026-06-20');
  });
  it('crosses month and year ends', () => {
    expect(reminderDate('2026-03-05', 14)).toBe('2026-02-19');
    expect(reminderDate('2026-01-10', 14)).toBe('2025-12-27');
    expect(reminderDate('2026-05-01', 1)).toBe('2026-04-30');
  });
  it('handles 29 February in a leap year and its absence otherwise', () => {
    expect(reminderDate('2028-03-14', 14)).toBe('2028-02-29');
    expect(reminderDate('2027-03-14', 14)).toBe('2027-02-28');
    expect(reminderDate('2028-02-29', 29)).toBe('2028-01-31');
  });
  it('is unaffected by the clock change (dates, not instants)', () => {
    expect(reminderDate('2026-04-05', 14)).toBe('2026-03-22');
    expect(reminderDate('2026-11-01', 14)).toBe('2026-10-18');
  });
});

describe('overdue', () => {
  it('is overdue only after the due date', () => {
    expect(isOverdue('2026-03-31', '2026-03-31')).toBe(false);
    expect(isOverdue('2026-03-31', '2026-04-01')).toBe(true);
    expect(daysOverdue('2026-03-31', '2026-03-31')).toBe(0);
    expect(daysOverdue('2026-03-31', '2026-04-01')).toBe(1);
    expect(daysOverdue('2026-04-10', '2026-03-01')).toBe(0);
  });
  it('counts days across 29 February and year ends', () => {
    expect(daysOverdue('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysOverdue('2027-02-28', '2027-03-01')).toBe(1);
    expect(daysOverdue('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysOverdue('2025-03-01', '2026-03-01')).toBe(365);
    expect(daysOverdue('2027-03-01', '2028-03-01')).toBe(366);
  });
  it('counts whole days across the clock changes', () => {
    expect(daysOverdue('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysOverdue('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysUntil('2026-10-26', '2026-10-24')).toBe(2);
  });
  it('is due soon within 30 days, not when overdue', () => {
    expect(isDueWithin('2026-04-30', '2026-03-31')).toBe(true);
    expect(isDueWithin('2026-05-01', '2026-03-31')).toBe(false);
    expect(isDueWithin('2026-03-30', '2026-03-31')).toBe(false);
    expect(isDueWithin('2026-03-31', '2026-03-31')).toBe(true);
  });
});

describe('which reminder is owed', () => {
  it('none before the reminder date, due soon from it to the due date, overdue after', () => {
    expect(reminderOwed('2026-03-29', '2026-03-14', 14)).toBeNull();
    expect(reminderOwed('2026-03-29', '2026-03-15', 14)).toBe('review-due');
    expect(reminderOwed('2026-03-29', '2026-03-29', 14)).toBe('review-due');
    expect(reminderOwed('2026-03-29', '2026-03-30', 14)).toBe('review-overdue');
  });
  it('keys a reminder by kind, person, due date and recipient', () => {
    expect(reminderKey('review-due', 'p1', '2026-03-29', 'u1')).toBe('review-due:p1:2026-03-29:u1');
  });
});

describe('the next review', () => {
  it('defaults to the interval after the review, at the month end when the day does not exist', () => {
    expect(defaultNextReview('2026-01-31', 1)).toBe('2026-02-28');
    expect(defaultNextReview('2027-08-31', 6)).toBe('2028-02-29');
    expect(defaultNextReview('2028-02-29', 12)).toBe('2029-02-28');
    expect(defaultNextReview('2026-05-10', 24)).toBe('2027-05-10');
  });
  it('backs off deliveries 1, 2, 4 … minutes up to an hour', () => {
    expect([1, 2, 3, 4, 10].map(retryDelayMinutes)).toEqual([1, 2, 4, 8, 60]);
  });
});

describe("today's date in England around the clock changes", () => {
  // BST starts 2026-03-29 at 01:00 UTC (01:00 GMT becomes 02:00 BST).
  it('spring forward: 29 March 2026', () => {
    for (const f of [todayInLondon]) {
      expect(f(new Date('2026-03-28T23:59:59Z'))).toBe('2026-03-28');
      expect(f(new Date('2026-03-29T00:00:00Z'))).toBe('2026-03-29');
      expect(f(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29');
      expect(f(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29');
      // 23:30 UTC is 00:30 BST the next day.
      expect(f(new Date('2026-03-29T23:30:00Z'))).toBe('2026-03-30');
    }
  });
  // GMT returns 2026-10-25 at 01:00 UTC (02:00 BST becomes 01:00 GMT).
  it('fall back: 25 October 2026', () => {
    for (const f of [todayInLondon]) {
      expect(f(new Date('2026-10-24T22:59:59Z'))).toBe('2026-10-24');
      expect(f(new Date('2026-10-24T23:00:00Z'))).toBe('2026-10-25');
      expect(f(new Date('2026-10-25T00:59:59Z'))).toBe('2026-10-25');
      expect(f(new Date('2026-10-25T01:00:00Z'))).toBe('2026-10-25');
      expect(f(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-25');
      expect(f(new Date('2026-10-26T00:00:00Z'))).toBe('2026-10-26');
    }
  });
  it('an overdue review becomes overdue at midnight in England, not UTC', () => {
    // The review was due on 24 October; at 23:30 UTC on 24 October (00:30 BST on 25 October) it is overdue.
    expect(isOverdue('2026-10-24', todayInLondon(new Date('2026-10-24T23:30:00Z')))).toBe(true);
    expect(isOverdue('2026-10-25', todayInLondon(new Date('2026-10-25T23:30:00Z')))).toBe(false);
  });
});
