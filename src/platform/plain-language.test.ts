import { describe, expect, it } from 'vitest';
import { countOf, govukDate, govukDateTime, organisationLabel, parseDateInput, plainText, withGovukDates } from './plain-language.ts';

const names = new Map([
  ['E06000901', 'Northvale Council'],
  ['E54000901', 'NHS Northvale and Southmere Integrated Care Board'],
]);
const nameOf = (code: string) => names.get(code);

describe('plain language', () => {
  it('writes dates as GOV.UK does, calendar dates without a time-zone shift', () => {
    expect(govukDate('2026-12-04')).toBe('4 December 2026');
    expect(govukDate('2026-06-30')).toBe('30 June 2026');
    expect(govukDate(new Date('2026-06-30T23:30:00Z'))).toBe('1 July 2026');
    expect(govukDate(null)).toBe('');
    expect(govukDate('not a date')).toBe('');
    expect(govukDateTime(new Date('2026-12-04T14:05:00Z'))).toBe('4 Dec 2026, 14:05');
    expect(withGovukDates('entitled from 2026-12-04; IMHA offered on 2026-10-05')).toBe('entitled from 4 December 2026; IMHA offered on 5 October 2026');
  });

  it('names organisations, and says plainly when a body is outside the partnership', () => {
    expect(organisationLabel('E06000901', nameOf)).toBe('Northvale Council');
    // Issue 14: a body outside the partnership is named from the shipped reference list; only a code
    // the list does not hold is described with its code.
    expect(organisationLabel('E06000030', nameOf)).toBe('Swindon Borough Council');
    expect(organisationLabel('E54000040', nameOf)).toBe('NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board');
    expect(organisationLabel('RXT', nameOf)).toBe('Birmingham and Solihull Mental Health NHS Foundation Trust');
    expect(organisationLabel('E06000999', nameOf)).toBe('a local authority outside this partnership (code E06000999)');
    expect(organisationLabel('E54000902', nameOf)).toBe('an ICB outside this partnership (code E54000902)');
  });

  it('makes the rules engine’s reasons readable', () => {
    expect(plainText('2023-06-16: E54000901 (GP registration when the detention began on 2023-06-16) is the responsible ICB.', nameOf)).toBe(
      '16 June 2023: NHS Northvale and Southmere Integrated Care Board (GP registration when the detention began on 16 June 2023) is the responsible ICB.',
    );
    expect(plainText('discharged to E06000030', nameOf)).toBe('discharged to Swindon Borough Council');
    expect(plainText('discharged to E06000999', nameOf)).toBe('discharged to a local authority outside this partnership (code E06000999)');
  });

  it('reads a date typed as people write it, and refuses one that does not exist', () => {
    expect(parseDateInput('1 November 2026')).toBe('2026-11-01');
    expect(parseDateInput('1 Nov 2026')).toBe('2026-11-01');
    expect(parseDateInput('1/11/2026')).toBe('2026-11-01');
    expect(parseDateInput('2026-11-01')).toBe('2026-11-01');
    expect(parseDateInput('31 February 2026')).toBeNull();
    expect(parseDateInput('soon')).toBeNull();
  });
});

describe('counts with their nouns', () => {
  it('is singular for one and plural otherwise, with a plural given where "s" is wrong', () => {
    expect(countOf(1, 'overdue review')).toBe('1 overdue review');
    expect(countOf(0, 'overdue review')).toBe('0 overdue reviews');
    expect(countOf(2, 'review')).toBe('2 reviews');
    expect(countOf(1, 'person', 'people')).toBe('1 person');
    expect(countOf(1200, 'person', 'people')).toBe('1,200 people');
    expect(countOf('1', 'row')).toBe('1 row');
    expect(countOf(undefined, 'row')).toBe('');
  });
});
