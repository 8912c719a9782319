import { describe, expect, it } from 'vitest';
import { assessmentDateIssues, assessmentStatus, carerEligibility, carerOutcomes, defaultReviewOn, offerDue, offerUnanswered, reviewDateIssue, reviewReached } from './carers.ts';

const offered = { offeredOn: '2026-11-01', acceptedOn: null, declinedOn: null, completedOn: null };

describe('the carer’s assessment lifecycle (Care Act 2014, section 10)', () => {
  it('moves from offered to accepted or declined, then completed', () => {
    expect(assessmentStatus(offered)).toBe('offered');
    expect(assessmentStatus({ ...offered, acceptedOn: '2026-11-02' })).toBe('accepted');
    expect(assessmentStatus({ ...offered, declinedOn: '2026-11-02' })).toBe('declined');
    expect(assessmentStatus({ ...offered, acceptedOn: '2026-11-02', completedOn: '2026-11-20' })).toBe('completed');
  });

  it('accepts dates in order and refuses each break with its own message', () => {
    const today = '2026-12-07';
    expect(assessmentDateIssues({ ...offered, acceptedOn: '2026-11-02', completedOn: '2026-11-20' }, today)).toEqual([]);
    expect(assessmentDateIssues({ ...offered, acceptedOn: '2026-10-30' }, today)).toEqual([{ path: 'acceptedOn', message: 'The date the assessment was accepted must be on or after the date it was offered (2026-11-01)' }]);
    expect(assessmentDateIssues({ ...offered, acceptedOn: '2026-11-02', declinedOn: '2026-11-02' }, today).map((i) => i.path)).toEqual(['declinedOn']);
    expect(assessmentDateIssues({ ...offered, completedOn: '2026-11-20' }, today)).toEqual([{ path: 'completedOn', message: 'An assessment can only be completed once the carer has accepted it: enter the date they accepted' }]);
    expect(assessmentDateIssues({ ...offered, acceptedOn: '2026-11-10', completedOn: '2026-11-05' }, today).map((i) => i.message)).toContain('The date the assessment was completed must be on or after the date the carer accepted it');
    expect(assessmentDateIssues({ ...offered, offeredOn: '2026-12-08' }, today).map((i) => i.path)).toEqual(['offeredOn']);
    expect(assessmentDateIssues({ ...offered, declinedOn: '2026-12-08' }, today).map((i) => i.path)).toEqual(['declinedOn']);
  });

  it('waits on the practitioner once an offer has gone 28 days without an answer', () => {
    expect(offerUnanswered(offered, '2026-11-28')).toBe(false);
    expect(offerUnanswered(offered, '2026-11-29')).toBe(true);
    expect(offerUnanswered({ ...offered, declinedOn: '2026-11-03' }, '2026-12-29')).toBe(false);
  });

  it('is due at discharge or review unless one is in hand; a decline does not stop a later offer (s10(8))', () => {
    const today = '2026-12-07';
    expect(offerDue(null, today)).toBe(true);
    expect(offerDue({ ...offered, reviewOn: null }, today)).toBe(false);
    expect(offerDue({ ...offered, acceptedOn: '2026-11-02', reviewOn: null }, today)).toBe(false);
    expect(offerDue({ ...offered, declinedOn: '2026-11-02', reviewOn: null }, today)).toBe(true);
    expect(offerDue({ ...offered, acceptedOn: '2026-11-02', completedOn: '2026-11-03', reviewOn: '2027-11-03' }, today)).toBe(false);
    expect(offerDue({ ...offered, acceptedOn: '2026-11-02', completedOn: '2026-11-03', reviewOn: '2026-12-07' }, today)).toBe(true);
  });
});

describe('carers’ eligibility (Care and Support (Eligibility Criteria) Regulations 2015, regulation 3)', () => {
  const base = { needsAriseFromCaring: true, healthAtRisk: false, outcomesNotAchieved: [] as const, significantImpact: true };

  it('lists the eight outcomes of regulation 3(2)(b)', () => {
    expect(carerOutcomes).toHaveLength(8);
    expect(carerOutcomes.map((o) => o.source)).toContain('regulation 3(2)(b)(viii)');
  });

  it('is eligible with a circumstance and a significant impact', () => {
    expect(carerEligibility({ ...base, healthAtRisk: true }).eligible).toBe(true);
    expect(carerEligibility({ ...base, outcomesNotAchieved: ['work'] }).eligible).toBe(true);
    expect(carerEligibility({ ...base, outcomesNotAchieved: ['work'] }).reasons[0]).toContain('unable to achieve one outcome (regulation 3(2)(b))');
  });

  it('is not eligible when any of the three conditions fails, saying which', () => {
    expect(carerEligibility(base)).toEqual({ eligible: false, reasons: ['The carer’s health is not at risk and they are able to achieve every outcome in regulation 3(2)(b) (regulation 3(1)(b)).'] });
    expect(carerEligibility({ ...base, healthAtRisk: true, significantImpact: false }).reasons[0]).toContain('regulation 3(1)(c)');
    expect(carerEligibility({ ...base, healthAtRisk: true, needsAriseFromCaring: false }).reasons[0]).toContain('regulation 3(1)(a)');
  });
});

describe('support plan review dates (statutory guidance paragraph 13.32)', () => {
  it('defaults to 12 months and refuses a date past it or before the plan', () => {
    expect(defaultReviewOn('2026-12-07')).toBe('2027-12-07');
    expect(reviewDateIssue('2026-12-07', '2027-06-01')).toBeNull();
    expect(reviewDateIssue('2026-12-07', '2026-12-07')).toMatch(/after the date/);
    expect(reviewDateIssue('2026-12-07', '2027-12-08')).toMatch(/within 12 months/);
    expect(reviewReached('2026-12-07', '2026-12-07')).toBe(true);
    expect(reviewReached('2026-12-08', '2026-12-07')).toBe(false);
    expect(reviewReached(null, '2026-12-07')).toBe(false);
  });
});
