import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsNumberProblem, syntheticNhsNumbers } from './nhs-number.ts';

describe('NHS number (NHS Data Dictionary: modulus 11 check digit)', () => {
  it('accepts a valid number, with or without spaces', () => {
    expect(isValidNhsNumber('9990000018')).toBe(true);
    expect(isValidNhsNumber('999 000 0018')).toBe(true);
  });

  it('rejects a wrong check digit: the typo a register must catch', () => {
    expect(nhsNumberProblem('9990000019')).toBe('check-digit');
  });

  it('rejects a number whose check value is 10 (never issued)', () => {
    // 999000000?: the weighted sum gives check value 10 for this body.
    const body = '999000000';
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
    expect(11 - (sum % 11)).toBe(10);
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`${body}${d}`)).toBe(false);
  });

  it('rejects the wrong length and letters, and says so', () => {
    expect(nhsNumberProblem('123')).toBe('not-ten-digits');
    expect(nhsNumberProblem('99900000AB')).toBe('not-ten-digits');
    expect(nhsNumberProblem('')).toBe('missing');
  });

  it('formats as 3-3-4', () => {
    expect(formatNhsNumber('9990000018')).toBe('999 000 0018');
  });

  it('generates unique valid synthetic numbers only in the 999 range', () => {
    const gen = syntheticNhsNumbers();
    const numbers = Array.from({ length: 2000 }, () => gen.next().value as string);
    expect(new Set(numbers).size).toBe(2000);
    expect(numbers.every((n) => n.startsWith('999') && isValidNhsNumber(n))).toBe(true);
    const skipped = syntheticNhsNumbers(1000).next().value;
    expect(skipped).toBe(numbers[1000]);
  });
});
