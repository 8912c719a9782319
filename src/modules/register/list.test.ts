import { describe, expect, it } from 'vitest';
import { neutraliseFormula } from '../../platform/exports/table.ts';
import { lostReasons, monthsSchema, parseSearch } from './list.queries.ts';

describe('neutraliseFormula', () => {
  it('prefixes an apostrophe to text a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${start}1+2`)).toBe(`'${start}1+2`);
    expect(neutraliseFormula('=HYPERLINK("http://example.invalid")')).toBe(`'=HYPERLINK("http://example.invalid")`);
  });

  it('leaves everything else as it is', () => {
    for (const value of ['', 'Lovelace', "O'Brien", 'Smith-Jones', '9990000018', '2025-03-01', ' =1']) expect(neutraliseFormula(value)).toBe(value);
  });
});

describe('parseSearch', () => {
  it('reads a valid NHS number, with spaces or hyphens, as an exact search', () => {
    for (const q of ['9990000018', '999 000 0018', ' 999-000-0018 ']) expect(parseSearch(q)).toEqual({ search: { kind: 'nhs', nhsNumber: '9990000018' }, error: null });
  });

  it('says what is wrong with a number that cannot be an NHS number', () => {
    expect(parseSearch('99900').error).toBe('Enter a 10-digit NHS number, like 999 000 0018, or a name');
    expect(parseSearch('9990000019').error).toContain('check digit');
  });

  it('reads anything else as words of a name, in lower case, at most five', () => {
    expect(parseSearch('  Ada   LOVELACE ')).toEqual({ search: { kind: 'name', terms: ['ada', 'lovelace'] }, error: null });
    expect(parseSearch('a b c d e f g').search).toEqual({ kind: 'name', terms: ['a', 'b', 'c', 'd', 'e'] });
    expect(parseSearch('')).toEqual({ search: null, error: null });
    expect(parseSearch('x'.repeat(101)).error).toBe('Search must be 100 characters or fewer');
  });
});

describe('lostReasons', () => {
  const today = '2026-11-23';

  it('gives every reason that applies, most pressing first', () => {
    expect(lostReasons({ allocatedTeamId: null, lastContactOn: null, nextReviewDue: '2026-01-01' }, 6, today)).toEqual([
      { kind: 'review-overdue', nextReviewDue: '2026-01-01' },
      { kind: 'no-contact', lastContactOn: null },
      { kind: 'no-team' },
    ]);
  });

  it('counts contact older than N calendar months, and not a day sooner', () => {
    const team = '00000000-0000-4000-8000-000000000000';
    expect(lostReasons({ allocatedTeamId: team, lastContactOn: '2026-05-23', nextReviewDue: null }, 6, today)).toEqual([]);
    expect(lostReasons({ allocatedTeamId: team, lastContactOn: '2026-05-22', nextReviewDue: null }, 6, today)).toEqual([{ kind: 'no-contact', lastContactOn: '2026-05-22' }]);
    expect(lostReasons({ allocatedTeamId: team, lastContactOn: '2026-05-22', nextReviewDue: today }, 12, today)).toEqual([]);
  });
});

describe('monthsSchema', () => {
  it('defaults to 6 and accepts whole numbers from 1 to 36', () => {
    expect(monthsSchema.parse(undefined)).toBe(6);
    expect(monthsSchema.parse('')).toBe(6);
    expect(monthsSchema.parse(' 12 ')).toBe(12);
    expect(monthsSchema.parse('36')).toBe(36);
  });

  it('refuses anything else with a message that says what to enter', () => {
    expect(monthsSchema.safeParse('0').error?.issues[0]?.message).toBe('Number of months must be between 1 and 36');
    expect(monthsSchema.safeParse('37').error?.issues[0]?.message).toBe('Number of months must be between 1 and 36');
    expect(monthsSchema.safeParse('6.5').error?.issues[0]?.message).toBe('Number of months must be a whole number, like 6');
    expect(monthsSchema.safeParse('-1').error?.issues[0]?.message).toBe('Number of months must be a whole number, like 6');
  });
});
