/**
 * One describe block per rule of the catalogue (R1–R48), each with the scenario that motivated it.
 * catalogue.test.ts checks that every rule in the catalogue has its block here.
 */
import { describe, expect, it } from 'vitest';
import { legalStatusCodes } from '../legal-status-codes.ts';
import { defaultResourceAllocation, indicativeBudget } from '../personal-budget.ts';
import { calculateRefund } from '../refund.ts';
import type { Decision } from './contract.ts';
import { parseCase } from './contract.ts';
import { classifyPlanNeed } from './needs.ts';
import {
  checkFundingSplit,
  checkPlanItem,
  checkServiceCharge,
  phbRequestDecision,
  s45FieldsActive,
  topUpAmount,
} from './plan-rules.ts';
import {
  aftercareEnded,
  BIRMINGHAM,
  CAMDEN,
  citedRules,
  decide,
  detained,
  detentionEnded,
  discharged,
  event,
  ICB_A,
  ICB_B,
  leftHospital,
  reviewed,
  SWINDON,
  WORCESTERSHIRE,
} from './testing/case-builder.ts';

const codesClassifiedAs = (classification: string) =>
  legalStatusCodes.filter((entry) => entry.classification === classification).map((entry) => entry.code);

/** An entitled person: s3 from 1 Jan 2025, discharged 1 Mar 2025, reviewed 1 Apr 2025. */
const ENTITLED = [detained('2025-01-01'), ...discharged('2025-03-01'), reviewed('2025-04-01')];

/** The same history, ending on a CTO on 1 Mar 2025. */
const ON_CTO = [detained('2025-01-01'), ...discharged('2025-03-01', 'cto'), reviewed('2025-04-01')];

/** A restricted patient (s37/41) conditionally discharged on 1 Mar 2025. */
const CONDITIONALLY_DISCHARGED = [detained('2024-06-01', '09'), ...discharged('2025-03-01', 'conditional-discharge'), reviewed('2025-04-01')];

function withoutNarrative(decision: Decision) {
  const { reasons: _reasons, flags: _flags, ...rest } = decision;
  return rest;
}

describe('R1 Qualifying detentions (T1, T4)', () => {
  it.each(['03', '09', '10', '15', '16', '17', '18', '37', '38'])('code %s followed by discharge gives entitlement', (code) => {
    const decision = decide({ asOf: '2025-03-10', events: [detained('2025-01-01', code), ...discharged('2025-03-01')] });
    expect(decision.status).toBe('entitled');
    expect(decision.entitlementStart).toBe('2025-03-01');
    expect(decision.episodes[0]?.qualifyingLegalStatusCode).toBe(code);
    expect(citedRules(decision)).toContain('R1');
  });

  it('the qualifying codes are exactly those of section 117(1)', () => {
    expect(codesClassifiedAs('qualifying')).toEqual(['03', '09', '10', '15', '16', '17', '18', '37', '38']);
  });
});

describe('R2 Sections that never qualify (T2)', () => {
  it.each(['02', '04', '05', '06', '07', '08', '12', '19', '20'])('detention under code %s never gives entitlement', (code) => {
    const decision = decide({ asOf: '2025-04-01', events: [detained('2025-01-01', code), ...discharged('2025-02-01')] });
    expect(decision.status).toBe('not-entitled');
    expect(decision.episodes).toEqual([]);
    expect(decision.responsibleLocalAuthority).toBeNull();
    expect(citedRules(decision)).toContain('R2');
  });

  it('an informal admission never gives entitlement', () => {
    const decision = decide({
      asOf: '2025-04-01',
      events: [event('admitted-informally', '2025-01-01'), leftHospital('2025-02-01')],
    });
    expect(decision.status).toBe('not-entitled');
  });

  it('informal status recorded as a legal status code (01) never gives entitlement', () => {
    const decision = decide({ asOf: '2025-04-01', events: [detained('2025-01-01', '01'), leftHospital('2025-02-01')] });
    expect(decision.status).toBe('not-entitled');
    expect(citedRules(decision)).toContain('R2');
  });
});

describe('R3 Guardianship does not qualify (T5)', () => {
  it.each(['35', '36'])('guardianship code %s gives no entitlement', (code) => {
    const decision = decide({ asOf: '2025-04-01', events: [detained('2024-05-01', code), detentionEnded('2025-01-01')] });
    expect(decision.status).toBe('not-entitled');
    expect(citedRules(decision)).toContain('R3');
  });

  it('guardianship after an entitlement leaves it unchanged', () => {
    const decision = decide({ asOf: '2025-06-01', events: [...ENTITLED, detained('2025-05-01', '35', SWINDON)] });
    expect(decision.status).toBe('entitled');
    expect(decision.responsibleLocalAuthority).toBe(CAMDEN);
  });
});

describe('R4 Legal status codes (T28)', () => {
  it('classifies every code in the table', () => {
    expect(codesClassifiedAs('manual-review')).toEqual(['13', '14', '31', '32', '99']);
    expect(codesClassifiedAs('not-qualifying')).toEqual(['01', '02', '04', '05', '06', '07', '08', '12', '19', '20', '35', '36', '98']);
  });

  it('rejects a code that is not in the table, such as the retired 11', () => {
    const parsed = parseCase({ asOf: '2025-01-01', events: [detained('2024-01-01', '11')] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.errors[0]?.path).toBe('events[0].legalStatusCode');
  });
});

describe('R5 When entitlement starts (T1, T7)', () => {
  it('starts on the day the person ceases to be detained and leaves hospital', () => {
    const decision = decide({ asOf: '2025-03-10', events: [detained('2025-01-01'), ...discharged('2025-03-01')] });
    expect(decision.entitlementStart).toBe('2025-03-01');
  });

  it('starts when they leave hospital, if they stay informally after the section ends (T7)', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: [detained('2025-01-02'), detentionEnded('2025-05-01', 'regraded-informal'), leftHospital('2025-05-20')],
    });
    expect(decision.entitlementStart).toBe('2025-05-20');
  });

  it('starts when the section ends, if they had already left hospital', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: [detained('2025-01-02'), leftHospital('2025-03-01'), detentionEnded('2025-04-15')],
    });
    expect(decision.entitlementStart).toBe('2025-04-15');
  });

  it('is pending while still detained, with the prospective responsible bodies', () => {
    const decision = decide({ asOf: '2025-02-01', events: [detained('2025-01-02', '03', SWINDON, ICB_B)] });
    expect(decision).toMatchObject({
      status: 'pending',
      entitlementStart: null,
      responsibleLocalAuthority: SWINDON,
      responsibleIcb: ICB_B,
      episodes: [],
      nextReviewDue: null,
    });
  });

  it('is pending after the section ends while the person is still in hospital', () => {
    const decision = decide({ asOf: '2025-05-10', events: [detained('2025-01-02'), detentionEnded('2025-05-01', 'regraded-informal')] });
    expect(decision.status).toBe('pending');
  });

  it('a section 2 detention during a pending entitlement delays the start until it ends too', () => {
    const decision = decide({
      asOf: '2025-08-01',
      events: [
        detained('2025-01-02'),
        detentionEnded('2025-05-01', 'regraded-informal'),
        detained('2025-06-01', '05'),
        leftHospital('2025-06-02'),
        detentionEnded('2025-06-03'),
      ],
    });
    expect(decision.entitlementStart).toBe('2025-06-03');
  });
});

describe('R6 Section 17 leave (T8, T9)', () => {
  it('leave without a finding starts nothing and raises a flag (T8)', () => {
    const decision = decide({
      asOf: '2025-03-01',
      events: [detained('2025-01-02'), { type: 's17-leave-started', date: '2025-02-15', ceasedToBeDetainedFinding: false }],
    });
    expect(decision.status).toBe('pending');
    expect(decision.flags).toEqual(['s17-leave-determination-needed']);
  });

  it('leave with a finding starts entitlement on the first day of leave (T9)', () => {
    const decision = decide({
      asOf: '2025-04-01',
      events: [detained('2025-01-02'), { type: 's17-leave-started', date: '2025-03-03', ceasedToBeDetainedFinding: true }],
    });
    expect(decision.status).toBe('entitled');
    expect(decision.entitlementStart).toBe('2025-03-03');
    expect(decision.flags).toEqual([]);
  });

  it('after discharge the start is the discharge date and the unanswered leave question is explained, not flagged', () => {
    const decision = decide({
      asOf: '2025-04-01',
      events: [
        detained('2025-01-02'),
        { type: 's17-leave-started', date: '2025-02-15', ceasedToBeDetainedFinding: false },
        ...discharged('2025-03-20'),
      ],
    });
    expect(decision.entitlementStart).toBe('2025-03-20');
    expect(decision.flags).toEqual([]);
    expect(decision.reasons.some((r) => r.rule === 'R6' && r.text.includes('2025-02-15'))).toBe(true);
  });

  it('leave from a section 2 detention has no effect', () => {
    const decision = decide({
      asOf: '2025-03-01',
      events: [detained('2025-01-02', '02'), { type: 's17-leave-started', date: '2025-01-15', ceasedToBeDetainedFinding: true }],
    });
    expect(decision.status).toBe('not-entitled');
    expect(decision.flags).toEqual([]);
  });
});

describe('R7 No ending while on a CTO (T10, T11)', () => {
  it('rejects an ending while the person is on a CTO (T10)', () => {
    const decision = decide({ asOf: '2025-06-01', events: [...ON_CTO, aftercareEnded('2025-05-01')] });
    expect(decision.status).toBe('entitled');
    expect(decision.rejectedEvents.map((r) => r.code)).toEqual(['ending-while-cto']);
  });

  it('the end of the CTO does not end entitlement, and then an ending is possible (T11)', () => {
    const afterCto = [...ON_CTO, { type: 'cto-ended' as const, date: '2025-05-01', reason: 'expired' as const }];
    expect(decide({ asOf: '2025-06-01', events: afterCto }).status).toBe('entitled');
    const decision = decide({ asOf: '2025-07-01', events: [...afterCto, aftercareEnded('2025-06-01')] });
    expect(decision.status).toBe('ended');
    expect(decision.rejectedEvents).toEqual([]);
  });
});

describe('R8 Conditional discharge (T3)', () => {
  it('is entitled and flagged while conditionally discharged', () => {
    const decision = decide({ asOf: '2025-05-01', events: CONDITIONALLY_DISCHARGED });
    expect(decision.status).toBe('entitled');
    expect(decision.flags).toEqual(['conditionally-discharged']);
  });

  it('rejects an ending without a legal override', () => {
    const decision = decide({ asOf: '2025-06-01', events: [...CONDITIONALLY_DISCHARGED, aftercareEnded('2025-05-01')] });
    expect(decision.rejectedEvents.map((r) => r.code)).toEqual(['ending-conditional-discharge-needs-override']);
    expect(decision.status).toBe('entitled');
  });

  it('accepts an ending with a legal override', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: [...CONDITIONALLY_DISCHARGED, aftercareEnded('2025-05-01', { legalOverride: true })],
    });
    expect(decision.status).toBe('ended');
    expect(decision.reasons.some((r) => r.rule === 'R8' && r.text.includes('legal override'))).toBe(true);
  });

  it('absolute discharge clears the flag and keeps entitlement', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: [...CONDITIONALLY_DISCHARGED, { type: 'conditional-discharge-ended', date: '2025-05-01', reason: 'absolute-discharge' }],
    });
    expect(decision.status).toBe('entitled');
    expect(decision.flags).toEqual([]);
  });
});

describe('R9 Both bodies must agree to end (T12)', () => {
  it.each([
    [['local-authority'] as const, 'Only the local authority'],
    [['icb'] as const, 'Only the ICB'],
    [[] as const, 'Neither'],
  ])('rejects an ending approved by %j', (approvedBy, message) => {
    const decision = decide({ asOf: '2025-06-01', events: [...ENTITLED, aftercareEnded('2025-05-01', { approvedBy: [...approvedBy] })] });
    expect(decision.rejectedEvents).toEqual([{ eventIndex: 4, code: 'ending-needs-both-approvals', message: expect.stringContaining(message) }]);
    expect(decision.status).toBe('entitled');
  });

  it('ends the entitlement when both approve', () => {
    const decision = decide({ asOf: '2025-06-01', events: [...ENTITLED, aftercareEnded('2025-05-01')] });
    expect(decision.status).toBe('ended');
    expect(decision.episodes).toEqual([
      {
        start: '2025-03-01',
        end: '2025-05-01',
        endReason: 'ended',
        qualifyingLegalStatusCode: '03',
        responsibleLocalAuthority: CAMDEN,
        responsibleIcb: ICB_A,
      },
    ]);
    expect(decision.nextReviewDue).toBeNull();
  });
});

describe('R10 Reasons that cannot end aftercare (T13)', () => {
  it.each([
    'discharged-from-specialist-services',
    'time-elapsed',
    'readmitted',
    'cto-ended',
    'refuses-services',
    'doing-well',
    'moved-area',
  ] as const)('rejects an ending whose only reason is %s', (reason) => {
    const decision = decide({ asOf: '2025-06-01', events: [...ENTITLED, aftercareEnded('2025-05-01', { reasons: [reason] })] });
    expect(decision.rejectedEvents.map((r) => r.code)).toEqual(['ending-reason-not-lawful']);
  });

  it('rejects an ending with no reasons', () => {
    const decision = decide({ asOf: '2025-06-01', events: [...ENTITLED, aftercareEnded('2025-05-01', { reasons: [] })] });
    expect(decision.rejectedEvents[0]?.message).toContain('(none)');
  });

  it('accepts other reasons alongside "no longer in need"', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: [...ENTITLED, aftercareEnded('2025-05-01', { reasons: ['doing-well', 'no-longer-in-need'] })],
    });
    expect(decision.status).toBe('ended');
  });
});

describe('R11 What an ending must record', () => {
  it('rejects an ending without the person\'s involvement', () => {
    const decision = decide({ asOf: '2025-06-01', events: [...ENTITLED, aftercareEnded('2025-05-01', { personInvolved: false })] });
    expect(decision.rejectedEvents.map((r) => r.code)).toEqual(['ending-person-not-involved']);
  });

  it('reports every failed check of one ending, in a fixed order', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: [...ON_CTO, aftercareEnded('2025-05-01', { approvedBy: ['icb'], reasons: ['doing-well'], personInvolved: false })],
    });
    expect(decision.rejectedEvents.map((r) => r.code)).toEqual([
      'ending-while-cto',
      'ending-needs-both-approvals',
      'ending-person-not-involved',
      'ending-reason-not-lawful',
    ]);
  });
});

const WORCESTERSHIRE_FIRST = [
  detained('2022-09-01', '03', WORCESTERSHIRE, ICB_B),
  detentionEnded('2023-01-10'),
  leftHospital('2023-01-10', SWINDON),
  reviewed('2023-06-01'),
];

describe('R12 Informal and section 2 admissions change nothing (T16, T17)', () => {
  it('an informal readmission keeps the entitlement and the local authority (T16)', () => {
    const decision = decide({
      asOf: '2024-02-20',
      events: [...WORCESTERSHIRE_FIRST, event('admitted-informally', '2023-10-02'), leftHospital('2023-12-01')],
    });
    expect(decision.episodes).toHaveLength(1);
    expect(decision.responsibleLocalAuthority).toBe(WORCESTERSHIRE);
    expect(citedRules(decision)).toContain('R12');
  });

  it('a section 2 readmission keeps the entitlement and the local authority (T17)', () => {
    const decision = decide({
      asOf: '2024-02-20',
      events: [...WORCESTERSHIRE_FIRST, detained('2023-10-02', '02', SWINDON, ICB_A), ...discharged('2023-10-28')],
    });
    expect(decision.episodes).toHaveLength(1);
    expect(decision.entitlementStart).toBe('2023-01-10');
    expect(decision.responsibleLocalAuthority).toBe(WORCESTERSHIRE);
  });
});

describe('R13 A new qualifying detention supersedes (T15)', () => {
  it('closes the current episode as superseded on the new detention date, and the person is pending', () => {
    const decision = decide({ asOf: '2023-11-01', events: [...WORCESTERSHIRE_FIRST, detained('2023-10-02', '03', SWINDON, ICB_A)] });
    expect(decision.status).toBe('pending');
    expect(decision.episodes).toEqual([
      expect.objectContaining({ start: '2023-01-10', end: '2023-10-02', endReason: 'superseded' }),
    ]);
  });

  it('a section 2 that becomes a section 3 supersedes on the section 3 date', () => {
    const decision = decide({
      asOf: '2023-12-01',
      events: [...WORCESTERSHIRE_FIRST, detained('2023-10-02', '02', SWINDON), detained('2023-10-20', '03', SWINDON)],
    });
    expect(decision.episodes[0]).toMatchObject({ end: '2023-10-20', endReason: 'superseded' });
  });

  it('a change of section within a qualifying detention is not a new detention', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: [detained('2025-01-01', '03'), detained('2025-02-01', '10', SWINDON), ...discharged('2025-05-01')],
    });
    expect(decision.episodes).toHaveLength(1);
    expect(decision.episodes[0]?.qualifyingLegalStatusCode).toBe('03');
    expect(decision.responsibleLocalAuthority).toBe(CAMDEN);
  });
});

describe('R14 Responsible local authority (T15)', () => {
  it('after a new detention, the authority of ordinary residence immediately before it is responsible', () => {
    const decision = decide({
      asOf: '2024-02-20',
      events: [...WORCESTERSHIRE_FIRST, detained('2023-10-02', '03', SWINDON, ICB_A), ...discharged('2024-02-01')],
    });
    expect(decision.episodes.map((e) => e.responsibleLocalAuthority)).toEqual([WORCESTERSHIRE, SWINDON]);
    expect(decision.responsibleLocalAuthority).toBe(SWINDON);
  });
});

describe('R15 Detention never creates ordinary residence (T6)', () => {
  it('ignores the residence recorded at a change of section', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: [detained('2025-01-10', '02', SWINDON), detained('2025-02-05', '03', CAMDEN), ...discharged('2025-05-01')],
    });
    expect(decision.responsibleLocalAuthority).toBe(SWINDON);
    expect(decision.reasons.some((r) => r.rule === 'R15' && r.text.includes(CAMDEN))).toBe(true);
  });
});

describe('R16 No ordinary residence (T20)', () => {
  it('the authority the person is discharged to is responsible, with a flag', () => {
    const decision = decide({
      asOf: '2025-04-10',
      events: [detained('2025-01-05', '03', 'none'), detentionEnded('2025-04-01'), leftHospital('2025-04-01', BIRMINGHAM)],
    });
    expect(decision.responsibleLocalAuthority).toBe(BIRMINGHAM);
    expect(decision.flags).toEqual(['no-ordinary-residence']);
  });

  it('without a discharge destination the authority is unknown, and flagged', () => {
    const decision = decide({ asOf: '2025-04-10', events: [detained('2025-01-05', '03', 'none'), ...discharged('2025-04-01')] });
    expect(decision.responsibleLocalAuthority).toBeNull();
    expect(decision.flags).toEqual(['no-ordinary-residence']);
  });

  it('while pending, the prospective authority is unknown', () => {
    const decision = decide({ asOf: '2025-02-10', events: [detained('2025-01-05', '03', 'none')] });
    expect(decision).toMatchObject({ status: 'pending', responsibleLocalAuthority: null, flags: ['no-ordinary-residence'] });
  });
});

describe('R17 Responsible ICB (T18, T19)', () => {
  const first = [detained('2023-03-01', '03', SWINDON, ICB_A), ...discharged('2023-06-01'), reviewed('2023-07-10')];

  it('the ICB at the first application stays responsible through a re-detention (T18)', () => {
    const decision = decide({
      asOf: '2024-07-15',
      events: [...first, detained('2024-04-01', '03', SWINDON, ICB_B), ...discharged('2024-07-01')],
    });
    expect(decision.episodes.map((e) => e.responsibleIcb)).toEqual([ICB_A, ICB_A]);
    expect(decision.responsibleIcb).toBe(ICB_A);
  });

  it('after aftercare formally ends, a new detention takes the ICB afresh (T19)', () => {
    const decision = decide({
      asOf: '2024-12-20',
      events: [...first, aftercareEnded('2024-03-01'), detained('2024-09-01', '03', SWINDON, ICB_B), ...discharged('2024-12-01')],
    });
    expect(decision.episodes.map((e) => e.responsibleIcb)).toEqual([ICB_A, ICB_B]);
  });

  it('a rejected ending does not release the ICB', () => {
    const decision = decide({
      asOf: '2024-12-20',
      events: [
        ...first,
        aftercareEnded('2024-03-01', { approvedBy: ['local-authority'] }),
        detained('2024-09-01', '03', SWINDON, ICB_B),
        ...discharged('2024-12-01'),
      ],
    });
    expect(decision.responsibleIcb).toBe(ICB_A);
  });

  it('the pending ICB during a re-detention is the one already holding responsibility', () => {
    const decision = decide({ asOf: '2024-05-01', events: [...first, detained('2024-04-01', '03', SWINDON, ICB_B)] });
    expect(decision).toMatchObject({ status: 'pending', responsibleIcb: ICB_A });
  });
});

describe('R18 Recall and revoked CTOs (T21)', () => {
  it('a revoked CTO keeps the entitlement and authority, and flags the question', () => {
    const decision = decide({
      asOf: '2025-09-20',
      events: [...ON_CTO, event('recalled', '2025-09-01'), { type: 'cto-ended', date: '2025-09-03', reason: 'revoked' }],
    });
    expect(decision).toMatchObject({ status: 'entitled', responsibleLocalAuthority: CAMDEN, flags: ['responsibility-unresolved'] });
  });

  it('discharge after a revoked CTO does not start a new entitlement', () => {
    const decision = decide({
      asOf: '2025-12-20',
      events: [...ON_CTO, { type: 'cto-ended', date: '2025-09-03', reason: 'revoked' }, ...discharged('2025-11-01')],
    });
    expect(decision.episodes).toHaveLength(1);
    expect(decision.entitlementStart).toBe('2025-03-01');
    expect(decision.flags).toContain('responsibility-unresolved');
  });

  it.each([
    ['a recall event', [event('recalled', '2025-09-01')]],
    ['a conditional discharge ended by recall', [{ type: 'conditional-discharge-ended' as const, date: '2025-09-01', reason: 'recalled' as const }]],
  ])('recall from conditional discharge by %s is flagged', (_name, recall) => {
    const decision = decide({ asOf: '2025-09-20', events: [...CONDITIONALLY_DISCHARGED, ...recall] });
    expect(decision.status).toBe('entitled');
    expect(decision.flags).toEqual(['responsibility-unresolved']);
  });
});

describe('R19 The two statutory tests for a need (T30)', () => {
  it.each([
    [true, true, true],
    [true, false, false],
    [false, true, false],
    [false, false, false],
  ])('arises from disorder %s, reduces risk %s → section 117 %s', (a, b, expected) => {
    const decision = decide({
      asOf: '2025-06-01',
      events: ENTITLED,
      needs: [{ id: 'n1', arisesFromMentalDisorder: a, reducesRiskOfDeterioration: b }],
    });
    expect(decision.needs[0]?.s117).toBe(expected);
    expect(decision.needs[0]?.reasons.filter((r) => r.rule === 'R19')).toHaveLength(2);
  });
});

describe('R20 No charges (T22)', () => {
  it('a charge for a section 117 service is unlawful and creates a refund task', () => {
    expect(checkServiceCharge({ s117: true, chargedPence: 4500 })).toMatchObject({ lawful: false, refundDuePence: 4500, task: 'refund' });
  });

  it('no charge, or a charge for a service that is not section 117, needs no refund', () => {
    expect(checkServiceCharge({ s117: true, chargedPence: 0 })).toMatchObject({ lawful: true, task: null });
    expect(checkServiceCharge({ s117: false, chargedPence: 4500 })).toMatchObject({ lawful: true, refundDuePence: 0, task: null });
  });
});

describe('R21 Accommodation-plus (T23)', () => {
  it('ordinary accommodation is never a section 117 need; enhanced accommodation can be', () => {
    const decision = decide({
      asOf: '2025-06-01',
      events: ENTITLED,
      needs: [
        { id: 'tenancy', arisesFromMentalDisorder: true, reducesRiskOfDeterioration: true, accommodation: { enhancedSpecialised: false } },
        { id: 'supported', arisesFromMentalDisorder: true, reducesRiskOfDeterioration: true, accommodation: { enhancedSpecialised: true } },
        { id: 'enhanced-but-unrelated', arisesFromMentalDisorder: false, reducesRiskOfDeterioration: true, accommodation: { enhancedSpecialised: true } },
      ],
    });
    expect(decision.needs.map((n) => [n.id, n.s117])).toEqual([
      ['tenancy', false],
      ['supported', true],
      ['enhanced-but-unrelated', false],
    ]);
    expect(decision.needs[0]?.reasons.some((r) => r.rule === 'R21')).toBe(true);
  });
});

describe('R22 Top-ups for preferred accommodation (T24)', () => {
  const request = {
    preferredAccommodation: true,
    preferredWeeklyCostPence: 85_000,
    usualWeeklyCostPence: 75_000,
    payer: 'person' as const,
    personAgeYears: 45,
  };

  it('the top-up is the preferred cost minus the usual cost, paid by the person (T24)', () => {
    expect(topUpAmount(request)).toMatchObject({ allowed: true, topUpWeeklyPence: 10_000, payer: 'person' });
  });

  it('no top-up when the preferred accommodation costs no more', () => {
    expect(topUpAmount({ ...request, preferredWeeklyCostPence: 70_000 })).toMatchObject({ allowed: true, topUpWeeklyPence: 0, payer: null });
  });

  it('not for accommodation the person did not choose, and not for children', () => {
    expect(topUpAmount({ ...request, preferredAccommodation: false }).allowed).toBe(false);
    expect(topUpAmount({ ...request, personAgeYears: 17 }).allowed).toBe(false);
    expect(topUpAmount({ ...request, personAgeYears: 18 }).allowed).toBe(true);
  });
});

describe('R23 Personal health budgets (T25)', () => {
  it('must be granted for ICB-funded services when no reason is recorded (T25)', () => {
    expect(phbRequestDecision({ requestedOn: '2025-02-20', icbFunded: true, notAppropriateReason: null }).decision).toBe('must-grant');
    expect(phbRequestDecision({ requestedOn: '2025-02-20', icbFunded: true, notAppropriateReason: '  ' }).decision).toBe('must-grant');
  });

  it('may be refused with a recorded reason', () => {
    expect(
      phbRequestDecision({ requestedOn: '2025-02-20', icbFunded: true, notAppropriateReason: 'Would not meet assessed needs safely' }).decision,
    ).toBe('refusal-allowed');
  });

  it('the right does not cover local authority services or requests before 2 December 2019', () => {
    expect(phbRequestDecision({ requestedOn: '2025-02-20', icbFunded: false, notAppropriateReason: null }).decision).toBe('right-does-not-apply');
    expect(phbRequestDecision({ requestedOn: '2019-12-01', icbFunded: true, notAppropriateReason: null }).decision).toBe('right-does-not-apply');
    expect(phbRequestDecision({ requestedOn: '2019-12-02', icbFunded: true, notAppropriateReason: null }).decision).toBe('must-grant');
  });
});

describe('R24 Ordinary-residence disputes (T26)', () => {
  const opened = (date: string) => ({ type: 'dispute-opened' as const, date, kind: 'ordinary-residence' as const });

  it('a dispute open 4 months or more is due for referral to the Secretary of State (T26)', () => {
    const decision = decide({ asOf: '2025-05-02', events: [...ENTITLED, opened('2025-01-01')] });
    expect(decision.flags).toEqual(['sos-referral-due']);
  });

  it('counts calendar months, with month ends clamped', () => {
    const events = [...ENTITLED, opened('2025-01-31')];
    expect(decide({ asOf: '2025-05-30', events }).flags).toEqual([]);
    expect(decide({ asOf: '2025-05-31', events }).flags).toEqual(['sos-referral-due']);
  });

  it('a dispute-resolved event resolves the earliest dispute still open', () => {
    const events = [
      ...ENTITLED,
      { type: 'dispute-opened' as const, date: '2025-01-01', kind: 'funding' as const },
      opened('2025-01-02'),
      event('dispute-resolved', '2025-02-01'),
    ];
    expect(decide({ asOf: '2025-06-01', events }).flags).toEqual(['sos-referral-due']);
  });

  it('a resolved dispute needs no referral', () => {
    const decision = decide({ asOf: '2025-06-01', events: [...ENTITLED, opened('2025-01-01'), event('dispute-resolved', '2025-03-01')] });
    expect(decision.flags).toEqual([]);
  });
});

describe('R25 Disputes must not delay services', () => {
  it('an open dispute changes nothing but flags and reasons', () => {
    const events = [detained('2025-01-01'), ...discharged('2025-03-01'), reviewed('2025-04-01')];
    const dispute = { type: 'dispute-opened' as const, date: '2025-01-15', kind: 'ordinary-residence' as const };
    const withDispute = decide({ asOf: '2025-06-01', events: [...events, dispute] });
    const without = decide({ asOf: '2025-06-01', events });
    expect(withoutNarrative(withDispute)).toEqual(withoutNarrative(without));
    expect(citedRules(withDispute)).toContain('R25');
  });
});

describe('R26 Funding split per package', () => {
  it('needs a recorded split; there is no default', () => {
    expect(checkFundingSplit(null)).toMatchObject({ valid: false });
  });

  it('accepts a complete split with its basis', () => {
    expect(checkFundingSplit({ localAuthorityPercent: 70, icbPercent: 30, basis: 'mostly social care needs' }).valid).toBe(true);
  });

  it('rejects shares that do not add up, or a missing basis', () => {
    expect(checkFundingSplit({ localAuthorityPercent: 70, icbPercent: 20, basis: 'x' }).problems[0]).toContain('add up to 90%');
    expect(checkFundingSplit({ localAuthorityPercent: 50, icbPercent: 50, basis: ' ' }).valid).toBe(false);
    expect(checkFundingSplit({ localAuthorityPercent: 150, icbPercent: -50, basis: 'x' }).valid).toBe(false);
  });
});

describe('R27 Regular reviews (T27)', () => {
  it('the next review is due 12 months after the last', () => {
    const decision = decide({ asOf: '2025-06-01', events: ENTITLED });
    expect(decision.nextReviewDue).toBe('2026-04-01');
  });

  it('follows a shorter local interval', () => {
    const decision = decide({ asOf: '2025-06-01', policy: { reviewIntervalMonths: 6 }, events: ENTITLED });
    expect(decision.nextReviewDue).toBe('2025-10-01');
  });

  it('a review with no current entitlement does not count', () => {
    const decision = decide({ asOf: '2025-06-01', events: [detained('2025-01-01'), reviewed('2025-02-01'), ...discharged('2025-03-01')] });
    expect(decision.nextReviewDue).toBe('2025-04-12');
  });

  it('the interval cannot be longer than 12 months', () => {
    const parsed = parseCase({ asOf: '2025-06-01', policy: { reviewIntervalMonths: 13 }, events: [] });
    expect(parsed.ok ? null : parsed.problem.errors[0]?.path).toBe('policy.reviewIntervalMonths');
  });
});

describe('R28 Disengagement does not end aftercare (T14)', () => {
  it('a person who refuses services stays entitled, with reviews due and then overdue', () => {
    const events = [...ENTITLED, aftercareEnded('2025-05-01', { reasons: ['refuses-services'] })];
    const decision = decide({ asOf: '2025-06-01', events });
    expect(decision).toMatchObject({ status: 'entitled', nextReviewDue: '2026-04-01' });
    expect(decide({ asOf: '2026-04-02', events }).flags).toEqual(['review-overdue']);
  });
});

describe('R29 Plan items are tagged', () => {
  it('needs a section 117 tag and a funder', () => {
    expect(checkPlanItem({ s117: true, funder: 'icb' }).valid).toBe(true);
    expect(checkPlanItem({ s117: null, funder: 'icb' }).problems).toEqual(['Say whether this item is a section 117 service']);
    expect(checkPlanItem({ s117: false, funder: null }).problems).toEqual(['Say who funds this item']);
  });

  it('a section 117 item cannot be funded by the person', () => {
    expect(checkPlanItem({ s117: true, funder: 'person' }).valid).toBe(false);
    expect(checkPlanItem({ s117: false, funder: 'person' }).valid).toBe(true);
  });
});

describe('R30 Mental Health Act 2025 section 45 (T31)', () => {
  it('fields stay inactive with no commencement date, or before it', () => {
    expect(s45FieldsActive({ mha2025s45CommencedOn: null }, '2030-01-01')).toBe(false);
    expect(s45FieldsActive({ mha2025s45CommencedOn: '2027-01-01' }, '2026-12-31')).toBe(false);
    expect(s45FieldsActive({ mha2025s45CommencedOn: '2027-01-01' }, '2027-01-01')).toBe(true);
  });

  it('the decision explains the configured commencement, and says nothing when none is configured', () => {
    const before = decide({ asOf: '2026-03-01', policy: { mha2025s45CommencedOn: '2027-01-01' }, events: ENTITLED });
    expect(before.reasons.find((r) => r.rule === 'R30')?.text).toContain('not in force until 2027-01-01');
    const after = decide({ asOf: '2027-03-01', policy: { mha2025s45CommencedOn: '2027-01-01' }, events: ENTITLED });
    expect(after.reasons.find((r) => r.rule === 'R30')?.text).toContain('in force since 2027-01-01');
    expect(citedRules(decide({ asOf: '2026-03-01', events: ENTITLED }))).not.toContain('R30');
  });
});

describe('R31 Death', () => {
  it('ends the current episode as died', () => {
    const decision = decide({ asOf: '2025-08-01', events: [...ENTITLED, event('died', '2025-07-01')] });
    expect(decision).toMatchObject({ status: 'ended', nextReviewDue: null, responsibleLocalAuthority: CAMDEN });
    expect(decision.episodes[0]).toMatchObject({ end: '2025-07-01', endReason: 'died' });
  });

  it('death in detention, recorded as the end of the detention, before any entitlement: not entitled', () => {
    const decision = decide({ asOf: '2025-08-01', events: [detained('2025-01-01'), detentionEnded('2025-02-01', 'died'), event('died', '2025-02-01')] });
    expect(decision.status).toBe('not-entitled');
    expect(citedRules(decision)).toContain('R31');
  });

  it('death in hospital during a re-detention ends the status; the superseded episode keeps its end', () => {
    const decision = decide({
      asOf: '2025-12-01',
      events: [...ENTITLED, detained('2025-09-01'), event('died', '2025-10-01')],
    });
    expect(decision.status).toBe('ended');
    expect(decision.episodes[0]).toMatchObject({ end: '2025-09-01', endReason: 'superseded' });
  });

  it('no event can come after death', () => {
    const parsed = parseCase({ asOf: '2025-12-01', events: [...ENTITLED, event('died', '2025-07-01'), reviewed('2025-08-01')] });
    expect(parsed.ok ? null : parsed.problem.errors).toEqual([{ path: 'events[5].date', message: expect.stringContaining('died on 2025-07-01') }]);
  });
});

describe('R32 The decision date', () => {
  it('ignores events after asOf, and says so', () => {
    const events = [...ENTITLED, aftercareEnded('2025-09-01'), reviewed('2025-10-01')];
    const decision = decide({ asOf: '2025-06-01', events });
    expect(decision.status).toBe('entitled');
    expect(decision.reasons.find((r) => r.rule === 'R32')?.text).toBe('2 events dated after 2025-06-01 were not taken into account.');
    expect(withoutNarrative(decision)).toEqual(withoutNarrative(decide({ asOf: '2025-06-01', events: ENTITLED })));
  });

  it('includes events on the asOf date itself', () => {
    expect(decide({ asOf: '2025-03-01', events: [detained('2025-01-01'), ...discharged('2025-03-01')] }).status).toBe('entitled');
  });
});

describe('R33 First review', () => {
  it('is due firstReviewWeeks after the start (6 by default)', () => {
    const events = [detained('2025-01-01'), ...discharged('2025-03-01')];
    expect(decide({ asOf: '2025-03-02', events }).nextReviewDue).toBe('2025-04-12');
    expect(decide({ asOf: '2025-03-02', policy: { firstReviewWeeks: 4 }, events }).nextReviewDue).toBe('2025-03-29');
  });

  it('a new episode needs its own first review', () => {
    const decision = decide({
      asOf: '2025-12-01',
      events: [...ENTITLED, detained('2025-08-01'), ...discharged('2025-11-01')],
    });
    expect(decision.nextReviewDue).toBe('2025-12-13');
  });
});

describe('R34 Overdue reviews (T27)', () => {
  const events = [detained('2024-03-01'), ...discharged('2024-08-01'), reviewed('2025-01-01')];

  it('is not overdue on the day it is due', () => {
    expect(decide({ asOf: '2026-01-01', events }).flags).toEqual([]);
  });

  it('is overdue the day after (T27)', () => {
    const decision = decide({ asOf: '2026-01-02', events });
    expect(decision).toMatchObject({ nextReviewDue: '2026-01-01', flags: ['review-overdue'] });
  });
});

describe('R35 Ordinary residence when the detention began under another section (T6)', () => {
  it('takes the start of the unbroken detention, records both dates, and flags', () => {
    const decision = decide({
      asOf: '2025-05-20',
      events: [detained('2025-01-10', '20', SWINDON), detained('2025-01-11', '02', SWINDON), detained('2025-02-05', '03', SWINDON), ...discharged('2025-05-01')],
    });
    expect(decision.responsibleLocalAuthority).toBe(SWINDON);
    expect(decision.flags).toEqual(['ordinary-residence-ambiguous']);
    const reason = decision.reasons.find((r) => r.rule === 'R35')!;
    expect(reason.text).toContain('2025-01-10');
    expect(reason.text).toContain('2025-02-05');
  });

  it('does not flag a detention that began under section 3', () => {
    expect(decide({ asOf: '2025-05-20', events: [detained('2025-01-10'), ...discharged('2025-05-01')] }).flags).toEqual([]);
  });

  it('flags the prospective authority while pending', () => {
    const decision = decide({ asOf: '2025-03-01', events: [detained('2025-01-10', '02', SWINDON), detained('2025-02-05', '03', CAMDEN)] });
    expect(decision).toMatchObject({ status: 'pending', responsibleLocalAuthority: SWINDON, flags: ['ordinary-residence-ambiguous'] });
  });
});

describe('R36 Applications before 1 July 2022 (T30)', () => {
  it.each([
    ['2022-06-30', ['icb-rule-pre-2022']],
    ['2022-07-01', []],
  ])('an application on %s is flagged: %j', (date, flags) => {
    const decision = decide({ asOf: '2023-01-01', events: [detained(date), ...discharged('2022-12-01'), reviewed('2022-12-20')] });
    expect(decision.flags).toEqual(flags);
  });

  it('the flag follows the ICB through a later re-detention', () => {
    const decision = decide({
      asOf: '2024-06-01',
      events: [detained('2021-01-01'), ...discharged('2021-06-01'), detained('2024-01-01'), ...discharged('2024-05-20')],
    });
    expect(decision.flags).toEqual(['icb-rule-pre-2022']);
  });
});

describe('R37 Statuses that need manual review (T28)', () => {
  it.each(['13', '14', '31', '32', '99'])('code %s gives the status manual-review with a flag', (code) => {
    const decision = decide({ asOf: '2025-03-15', events: [detained('2025-01-10', code), ...discharged('2025-03-01')] });
    expect(decision).toMatchObject({ status: 'manual-review', episodes: [], flags: ['legal-status-needs-review'], responsibleLocalAuthority: CAMDEN });
  });

  it('does not supersede a current entitlement, but flags it', () => {
    const decision = decide({ asOf: '2025-09-01', events: [...ENTITLED, detained('2025-08-01', '13', SWINDON)] });
    expect(decision).toMatchObject({ status: 'entitled', responsibleLocalAuthority: CAMDEN, flags: ['legal-status-needs-review'] });
  });

  it('a later qualifying detention settles the question', () => {
    const decision = decide({
      asOf: '2025-09-01',
      events: [detained('2025-01-10', '13'), ...discharged('2025-03-01'), detained('2025-04-01'), ...discharged('2025-08-01')],
    });
    expect(decision).toMatchObject({ status: 'entitled', flags: [] });
  });
});

describe('R38 Funding disputes', () => {
  it('are never referred to the Secretary of State', () => {
    const decision = decide({
      asOf: '2025-12-01',
      events: [...ENTITLED, { type: 'dispute-opened', date: '2025-04-15', kind: 'funding' }],
    });
    expect(decision.flags).toEqual([]);
    expect(citedRules(decision)).toContain('R38');
  });
});

describe('R39 Needs of people who are not entitled', () => {
  const needs = [{ id: 'n1', arisesFromMentalDisorder: true, reducesRiskOfDeterioration: true }];

  it.each([
    ['not entitled', [detained('2025-01-01', '02'), ...discharged('2025-02-01')], false],
    ['pending', [detained('2025-01-01')], true],
    ['ended', [...ENTITLED, aftercareEnded('2025-05-01')], false],
    ['manual review', [detained('2025-01-01', '99')], false],
  ])('when the person is %s, a need that meets both tests is section 117: %s', (_status, events, expected) => {
    const decision = decide({ asOf: '2025-06-01', events, needs });
    expect(decision.needs[0]?.s117).toBe(expected);
    expect(decision.needs[0]?.reasons.at(-1)?.rule).toBe('R39');
  });
});

describe('R40 Only a current entitlement can end', () => {
  it.each([
    ['not entitled', [detained('2025-01-01', '02'), ...discharged('2025-02-01')]],
    ['pending', [detained('2025-01-01')]],
    ['already ended', [...ENTITLED, aftercareEnded('2025-05-01')]],
  ])('rejects an ending when the person is %s', (_name, events) => {
    const decision = decide({ asOf: '2025-07-01', events: [...events, aftercareEnded('2025-06-01')] });
    expect(decision.rejectedEvents).toEqual([{ eventIndex: events.length, code: 'ending-not-entitled', message: expect.any(String) }]);
  });
});

describe('R41 No lower age limit (T29)', () => {
  it('a child is entitled, and the decision says there is no lower age limit', () => {
    const decision = decide({
      asOf: '2025-04-10',
      person: { dateOfBirth: '2010-02-01' },
      events: [detained('2025-01-10'), ...discharged('2025-04-01')],
    });
    expect(decision.status).toBe('entitled');
    expect(decision.reasons.find((r) => r.rule === 'R41')?.text).toContain('Aged 15');
  });

  it('says nothing about age for an adult', () => {
    const decision = decide({
      asOf: '2025-04-10',
      person: { dateOfBirth: '1980-02-01' },
      events: [detained('2025-01-10'), ...discharged('2025-04-01')],
    });
    expect(citedRules(decision)).not.toContain('R41');
  });
});

describe('R42 Accommodation-plus is described (T23)', () => {
  const supported = { domain: 'accommodation', arisesFromMentalDisorder: true, reducesRiskOfDeterioration: true } as const;

  it('a placement marked enhanced, with no feature described, is not section 117 until the feature is recorded', () => {
    const result = classifyPlanNeed({ ...supported, accommodation: { enhancedSpecialised: true } }, 'entitled');
    expect(result.s117).toBe(false);
    expect(result.reasons.find((r) => r.rule === 'R42')?.text).toContain('record the feature');
  });

  it('with the feature described ("waking night staff"), it is section 117', () => {
    const result = classifyPlanNeed({ ...supported, accommodation: { enhancedSpecialised: true, feature: 'waking night staff' } }, 'entitled');
    expect(result).toMatchObject({ category: 'section-117', s117: true });
  });
});

describe('R43 Needs outside section 117: NHS Continuing Healthcare', () => {
  it('a primary health need unrelated to the mental disorder is CHC', () => {
    const result = classifyPlanNeed({ domain: 'physical-health', arisesFromMentalDisorder: false, reducesRiskOfDeterioration: false, primaryHealthNeed: true }, 'entitled');
    expect(result).toMatchObject({ category: 'nhs-chc', s117: false });
    expect(result.reasons.at(-1)?.rule).toBe('R43');
  });
});

describe('R44 Needs outside section 117: other NHS services', () => {
  it('a health need that is neither section 117 nor a primary health need is for the NHS', () => {
    const result = classifyPlanNeed({ domain: 'physical-health', arisesFromMentalDisorder: false, reducesRiskOfDeterioration: false, healthNeed: true }, 'entitled');
    expect(result).toMatchObject({ category: 'other-nhs', s117: false });
    expect(result.reasons.at(-1)?.rule).toBe('R44');
  });
});

describe('R45 Needs outside section 117: Care Act eligible needs', () => {
  it('an eligible care need outside section 117 is met under the Care Act, and is chargeable', () => {
    const result = classifyPlanNeed({ domain: 'daily-living', arisesFromMentalDisorder: false, reducesRiskOfDeterioration: true, eligibleCareActNeed: true }, 'entitled');
    expect(result).toMatchObject({ category: 'care-act', s117: false });
    expect(result.reasons.at(-1)?.rule).toBe('R45');
  });
});

describe('R46 Needs outside section 117: universal services (T23)', () => {
  it('ordinary housing is a universal need', () => {
    const result = classifyPlanNeed(
      { domain: 'accommodation', arisesFromMentalDisorder: true, reducesRiskOfDeterioration: true, accommodation: { enhancedSpecialised: false } },
      'entitled',
    );
    expect(result).toMatchObject({ category: 'universal', s117: false });
    expect(result.reasons.at(-1)?.rule).toBe('R46');
  });
});

describe('R47 Indicative personal budget', () => {
  it('prices only section 117 needs: relapse prevention (high, 20 points) at £15.00 a point is £300.00 a week, £15,600.00 a year', () => {
    const budget = indicativeBudget(defaultResourceAllocation, [
      { domain: 'mental-health-relapse-prevention', level: 'high', s117: true },
      { domain: 'physical-health', level: 'high', s117: false },
    ]);
    expect(budget).toMatchObject({ points: 20, weeklyPence: 30_000, annualPence: 1_560_000 });
    expect(budget.reasons.map((r) => r.rule)).toEqual(['R47', 'R47', 'R47']);
  });
});

describe('R48 Refunds of wrongful charges, with interest (T22)', () => {
  it('refunds £1,250.00 paid a year ago with 8% simple interest: £1,350.00', () => {
    const refund = calculateRefund({
      charges: [{ description: 'Care home contribution', chargedFrom: '2024-04-01', chargedTo: '2024-04-30', amountPence: 125_000, paidOn: '2024-05-01' }],
      annualRatePercent: 8,
      toDate: '2025-05-01',
    });
    expect(refund).toMatchObject({ principalPence: 125_000, interestPence: 10_000, totalPence: 135_000 });
    expect(refund.reasons.map((r) => r.rule)).toEqual(['R20', 'R48']);
  });
});
