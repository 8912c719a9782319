import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addWeeks, ageOn, daysInMonth, fromDayNumber, isRealDate, toDayNumber } from './calendar-date.ts';

describe('calendar dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2025-04-31', false],
    ['2025-12-31', true],
    ['2025-00-10', false],
    ['2025-1-10', false],
  ])('%s is a real date: %s', (text, real) => {
    expect(isRealDate(text)).toBe(real);
  });

  it('counts days in months', () => {
    expect([1, 2, 3, 4, 6, 9, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 30, 30, 30, 31]);
  });

  it('converts to and from day numbers', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(fromDayNumber(toDayNumber('1900-03-01'))).toBe('1900-03-01');
    expect(fromDayNumber(toDayNumber('2199-12-31'))).toBe('2199-12-31');
  });

  it('adds days and weeks across month and year ends', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addWeeks('2025-03-01', 6)).toBe('2025-04-12');
  });

  it('adds calendar months, clamping to the end of the month', () => {
    expect(addMonths('2025-01-01', 4)).toBe('2025-05-01');
    expect(addMonths('2025-10-31', 4)).toBe('2026-02-28');
    expect(addMonths('2023-10-31', 4)).toBe('2024-02-29');
    expect(addMonths('2025-01-01', 12)).toBe('2026-01-01');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
  });

  it('gives age in whole years', () => {
    expect(ageOn('2010-02-01', '2025-01-31')).toBe(14);
    expect(ageOn('2010-02-01', '2025-02-01')).toBe(15);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});
