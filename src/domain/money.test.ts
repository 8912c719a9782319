import { describe, expect, it } from 'vitest';
import { basisPointsToPercent, parsePercentToBasisPoints, parsePounds, penceToPoundsInput } from './money.ts';

describe('parsePounds', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['£1,234.56', 123456],
    ['1234', 123400],
    ['0.05', 5],
    ['.99', 99],
    [' £ 7 ', 700],
    ['1,000,000.00', 100000000],
  ])('reads %s as %i pence', (raw, pence) => {
    expect(parsePounds(raw)).toEqual({ pence });
  });

  it.each([
    ['', 'missing'],
    ['   ', 'missing'],
    ['-12.50', 'negative'],
    ['£-3', 'negative'],
    ['-£3', 'negative'],
    ['(3.00)', 'negative'],
    ['12.345', 'too-many-decimals'],
    ['twelve', 'not-money'],
    ['12,34', 'not-money'],
    ['1.2.3', 'not-money'],
    ['£', 'not-money'],
    ['1e3', 'not-money'],
  ])('refuses %j (%s)', (raw, problem) => {
    expect(parsePounds(raw)).toEqual({ problem });
  });
});

describe('penceToPoundsInput', () => {
  it('writes pence as pounds with two decimals', () => {
    expect(penceToPoundsInput(1500)).toBe('15.00');
    expect(penceToPoundsInput(5)).toBe('0.05');
    expect(penceToPoundsInput(123456)).toBe('1234.56');
    expect(penceToPoundsInput(0)).toBe('0.00');
  });
});

describe('percentages as basis points', () => {
  it('reads a percentage with at most 2 decimal places', () => {
    expect(parsePercentToBasisPoints('8')).toBe(800);
    expect(parsePercentToBasisPoints('8%')).toBe(800);
    expect(parsePercentToBasisPoints('3.25')).toBe(325);
    expect(parsePercentToBasisPoints('3.5')).toBe(350);
    expect(parsePercentToBasisPoints('0')).toBe(0);
    expect(parsePercentToBasisPoints('3.255')).toBeNull();
    expect(parsePercentToBasisPoints('-1')).toBeNull();
    expect(parsePercentToBasisPoints('eight')).toBeNull();
    expect(parsePercentToBasisPoints('')).toBeNull();
  });

  it('writes basis points as a percentage', () => {
    expect(basisPointsToPercent(800)).toBe('8');
    expect(basisPointsToPercent(325)).toBe('3.25');
    expect(basisPointsToPercent(350)).toBe('3.5');
    expect(basisPointsToPercent(5)).toBe('0.05');
    expect(basisPointsToPercent(0)).toBe('0');
  });
});
