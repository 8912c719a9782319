import { describe, expect, it } from 'vitest';
import { SUPPRESSED_TEXT, suppressCount, suppressRate } from './suppression.ts';

describe('suppressCount', () => {
  it('hides every count under 5, zero included', () => {
    for (const n of [0, 1, 2, 3, 4]) expect(suppressCount(n)).toEqual({ value: null, suppressed: true, text: SUPPRESSED_TEXT });
  });
  it('shows 5 and above', () => {
    expect(suppressCount(5)).toEqual({ value: 5, suppressed: false, text: '5' });
    expect(suppressCount(12345).text).toBe('12,345');
  });
  it('takes another threshold', () => {
    expect(suppressCount(7, 10).suppressed).toBe(true);
    expect(suppressCount(7, 10).text).toBe('fewer than 10');
  });
  it('refuses what is not a count', () => {
    expect(() => suppressCount(-1)).toThrow(RangeError);
    expect(() => suppressCount(2.5)).toThrow(RangeError);
  });
});

describe('suppressRate', () => {
  it('suppresses a rate whose numerator is small', () => {
    expect(suppressRate(3, 100)).toEqual({ value: null, suppressed: true, text: 'suppressed' });
  });
  it('suppresses a rate whose denominator is small (it would reveal the count)', () => {
    expect(suppressRate(4, 4).suppressed).toBe(true);
    expect(suppressRate(0, 0).suppressed).toBe(true);
  });
  it('shows a rate when both counts are 5 or more', () => {
    expect(suppressRate(6, 8)).toEqual({ value: 0.75, suppressed: false, text: '75%' });
    expect(suppressRate(5, 5).text).toBe('100%');
  });
  it('refuses a numerator above the denominator', () => {
    expect(() => suppressRate(9, 8)).toThrow(RangeError);
  });
});
