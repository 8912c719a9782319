import { describe, expect, it } from 'vitest';
import { acidTest, authorisationProblems, challengeProblems, renewalDue, routeFor, stageOf, standardMaxEnd, suggestsSupervisionAndControl, type AuthorisationRecord } from './deprivation-of-liberty.ts';

const govuk = (d: string) => d;
const dols = (over: Partial<AuthorisationRecord> = {}): AuthorisationRecord => ({
  basis: 'mca-schedule-a1',
  requestedOn: '2026-01-05',
  urgentGivenOn: null,
  urgentEndsOn: null,
  urgentExtendedTo: null,
  assessmentsDone: [],
  assessmentsCompletedOn: null,
  issuedOn: null,
  outcome: null,
  decidedOn: null,
  startsOn: null,
  endsOn: null,
  reviewOn: null,
  representative: '',
  ...over,
});
const all = ['age', 'mental-health', 'mental-capacity', 'best-interests', 'eligibility', 'no-refusals'];
const fields = (r: AuthorisationRecord, today = '2026-12-07') => authorisationProblems(r, today, govuk).map((p) => p.field);

describe('the acid test (Cheshire West [2014] UKSC 19)', () => {
  it('is a deprivation of liberty with all three elements, routed by setting', () => {
    const care = acidTest({ supervisionAndControl: 'yes', freeToLeave: 'no', capacityToConsent: 'lacks' }, 'care-home');
    expect(care.outcome).toBe('is');
    expect(care.next).toContain('Schedule A1');
    const flat = acidTest({ supervisionAndControl: 'yes', freeToLeave: 'no', capacityToConsent: 'lacks' }, 'supported-living');
    expect(flat.next).toContain('COPDOL11');
  });
  it('may be one when capacity to consent is not assessed, and is not one when either objective element is missing or the person can consent', () => {
    expect(acidTest({ supervisionAndControl: 'yes', freeToLeave: 'no', capacityToConsent: 'not-assessed' }, 'own-home').outcome).toBe('may-be');
    expect(acidTest({ supervisionAndControl: 'no', freeToLeave: 'no', capacityToConsent: 'lacks' }, 'own-home').outcome).toBe('is-not');
    expect(acidTest({ supervisionAndControl: 'yes', freeToLeave: 'yes', capacityToConsent: 'lacks' }, 'own-home').outcome).toBe('is-not');
    expect(acidTest({ supervisionAndControl: 'yes', freeToLeave: 'no', capacityToConsent: 'has' }, 'own-home').outcome).toBe('is-not');
  });
  it('routes care homes and hospitals to DoLS and every other setting to the Court of Protection', () => {
    expect(routeFor('care-home')).toBe('mca-schedule-a1');
    expect(routeFor('hospital')).toBe('mca-schedule-a1');
    for (const s of ['supported-living', 'own-home', 'shared-lives', 'other-community'] as const) expect(routeFor(s)).toBe('mca-s16-order');
  });
});

describe('the plan prompt', () => {
  it('is raised by a care home place or a 24-hour / one-to-one service, and not by home care', () => {
    expect(suggestsSupervisionAndControl([{ serviceTypeCode: 'nursing-care', words: 'Nursing care' }])).not.toBeNull();
    expect(suggestsSupervisionAndControl([{ serviceTypeCode: 'supported-living', words: 'Supported living with 24-hour staffing' }])).not.toBeNull();
    expect(suggestsSupervisionAndControl([{ serviceTypeCode: 'other', words: 'One-to-one support in the community' }])).not.toBeNull();
    expect(suggestsSupervisionAndControl([{ serviceTypeCode: 'home-care', words: 'Home care, 2 visits a day' }])).toBeNull();
  });
});

describe('Schedule A1 dates and limits', () => {
  it('refuses an urgent authorisation longer than 7 days and an extension longer than 7 more (paras 78(2), 85(5))', () => {
    expect(fields(dols({ urgentGivenOn: '2026-01-05', urgentEndsOn: '2026-01-12' }))).toEqual([]);
    expect(fields(dols({ urgentGivenOn: '2026-01-05', urgentEndsOn: '2026-01-13' }))).toEqual(['urgentEndsOn']);
    expect(fields(dols({ urgentGivenOn: '2026-01-05', urgentEndsOn: '2026-01-12', urgentExtendedTo: '2026-01-19' }))).toEqual([]);
    expect(fields(dols({ urgentGivenOn: '2026-01-05', urgentEndsOn: '2026-01-12', urgentExtendedTo: '2026-01-20' }))).toEqual(['urgentExtendedTo']);
  });
  it('refuses a standard authorisation longer than one year from its start (para 42(2))', () => {
    const granted = { assessmentsDone: all, assessmentsCompletedOn: '2026-01-20', outcome: 'granted' as const, decidedOn: '2026-01-21', startsOn: '2026-01-21' };
    expect(standardMaxEnd('2026-01-21')).toBe('2027-01-20');
    expect(fields(dols({ ...granted, endsOn: '2027-01-20' }))).toEqual([]);
    expect(fields(dols({ ...granted, endsOn: '2027-01-21' }))).toEqual(['endsOn']);
  });
  it('refuses a grant before all six assessments, and dates out of order, naming the field', () => {
    expect(fields(dols({ assessmentsDone: ['age'], outcome: 'granted', decidedOn: '2026-01-21', startsOn: '2026-01-21', endsOn: '2026-06-01' }))).toEqual(['assessmentsDone']);
    expect(fields(dols({ assessmentsDone: all, assessmentsCompletedOn: '2026-01-01' }))).toEqual(['assessmentsCompletedOn']);
    expect(fields(dols({ requestedOn: '2026-12-08' }))).toEqual(['requestedOn']);
  });
  it('needs an order’s review date, and the court’s decision after the issue date (COPDOL11)', () => {
    const order = dols({ basis: 'mca-s16-order', issuedOn: '2026-02-01', outcome: 'granted', decidedOn: '2026-03-01', startsOn: '2026-03-01' });
    expect(fields(order)).toEqual(['reviewOn']);
    expect(fields({ ...order, reviewOn: '2027-03-01' })).toEqual([]);
    expect(fields({ ...order, decidedOn: '2026-01-20', startsOn: '2026-01-20', reviewOn: '2027-01-20' })).toEqual(['decidedOn']);
  });
});

describe('stages and the reminder', () => {
  const today = '2026-12-07';
  it('follows a request through urgent authorisation, assessments and grant to its end', () => {
    expect(stageOf(dols(), today)).toBe('requested');
    expect(stageOf(dols({ urgentGivenOn: '2026-12-05', urgentEndsOn: '2026-12-12' }), today)).toBe('urgent');
    expect(stageOf(dols({ assessmentsDone: ['age'] }), today)).toBe('assessing');
    expect(stageOf(dols({ outcome: 'granted', endsOn: '2026-12-31' }), today)).toBe('granted');
    expect(stageOf(dols({ outcome: 'granted', endsOn: '2026-12-06' }), today)).toBe('expired');
    expect(stageOf(dols({ basis: 'mca-s16-order', issuedOn: '2026-11-01' }), today)).toBe('issued');
  });
  it('is due within the window (28 days), and an urgent authorisation within 2 days of its end', () => {
    expect(renewalDue(dols({ outcome: 'granted', endsOn: '2027-01-04' }), today, 28)).toMatchObject({ kind: 'renewal', within: true });
    expect(renewalDue(dols({ outcome: 'granted', endsOn: '2027-01-05' }), today, 28)).toMatchObject({ within: false });
    expect(renewalDue(dols({ basis: 'mca-s16-order', outcome: 'granted', reviewOn: '2026-12-20' }), today, 28)).toMatchObject({ kind: 'review', within: true });
    expect(renewalDue(dols({ urgentGivenOn: '2026-12-03', urgentEndsOn: '2026-12-09' }), today, 28)).toMatchObject({ kind: 'urgent', within: true });
    expect(renewalDue(dols({ urgentGivenOn: '2026-12-07', urgentEndsOn: '2026-12-10' }), today, 28)).toMatchObject({ kind: 'urgent', within: false });
    expect(renewalDue(dols(), today, 28)).toBeNull();
  });
});

describe('section 21A challenges', () => {
  it('refuses stages out of order, naming the field', () => {
    expect(challengeProblems({ appliedOn: '2026-02-01', directionsOn: '2026-02-10', hearingOn: '2026-03-01', outcome: 'varied', outcomeOn: '2026-03-01' }, '2026-12-07', govuk)).toEqual([]);
    expect(challengeProblems({ appliedOn: '2026-02-01', directionsOn: '2026-01-10', hearingOn: null, outcome: null, outcomeOn: null }, '2026-12-07', govuk).map((p) => p.field)).toEqual(['directionsOn']);
    expect(challengeProblems({ appliedOn: '2026-02-01', directionsOn: null, hearingOn: null, outcome: 'confirmed', outcomeOn: null }, '2026-12-07', govuk).map((p) => p.field)).toEqual(['outcomeOn']);
  });
});
