import { describe, expect, it } from 'vitest';
import {
  capacityOutcome,
  causalLinkInQuestion,
  completionProblems,
  endingCapacityLine,
  imcaReportDueOn,
  imcaReportOverdue,
  mayFollowAssessment,
  outcomeReason,
  principles,
  type CapacityAnswers,
} from './mental-capacity.ts';

const able = { answer: 'met' as const, evidence: 'Explained it back in her own words.' };
const unable = { answer: 'not-met' as const, evidence: 'Could not hold the information for more than a minute.' };

function complete(over: Partial<CapacityAnswers> = {}): CapacityAnswers {
  return {
    decision: 'Whether to move to a supported living flat',
    relevantInformation: 'The flat, the support, the cost; what happens if she stays in hospital.',
    practicableSteps: 'Easy-read leaflet, a visit to the flat, her sister present, morning when she is most alert.',
    impairment: 'yes',
    impairmentDetail: 'Alcohol-related brain damage (diagnosed 2024).',
    causalLink: 'yes',
    causalLinkEvidence: 'Her memory loss is why she cannot retain the information.',
    abilities: { understand: able, retain: unable, useOrWeigh: able, communicate: able },
    ...over,
  };
}

describe('the outcome (Mental Capacity Act 2005 ss1(2), 2(1), 3(1))', () => {
  it('lacks capacity only with an impairment, the causal link and at least one ability not met', () => {
    expect(capacityOutcome(complete())).toBe('lacks-capacity');
    expect(outcomeReason(complete())).toContain('Unable to retain that information');
  });

  it('has capacity when every functional ability is met, whatever the impairment (s1(2), s1(4))', () => {
    const a = complete({ abilities: { understand: able, retain: able, useOrWeigh: able, communicate: able } });
    expect(capacityOutcome(a)).toBe('has-capacity');
    expect(causalLinkInQuestion(a)).toBe(false);
  });

  it('has capacity without an impairment, even when unable to decide (stage 1, s2(1))', () => {
    const a = complete({ impairment: 'no', impairmentDetail: '' });
    expect(capacityOutcome(a)).toBe('has-capacity');
    expect(outcomeReason(a)).toContain('not because of an impairment');
  });

  it('has capacity without the causal link ("because of", s2(1))', () => {
    const a = complete({ causalLink: 'no' });
    expect(capacityOutcome(a)).toBe('has-capacity');
    expect(outcomeReason(a)).toContain('no causal link');
  });
});

describe('completing an assessment', () => {
  it('may complete when every part is answered', () => {
    expect(completionProblems(complete())).toEqual([]);
  });

  it('refuses without the decision, naming it and its section', () => {
    const problems = completionProblems(complete({ decision: '  ' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'decision' });
    expect(problems[0]!.message).toContain('section 2(1)');
  });

  it('refuses without the relevant information (s3(4)) or the practicable steps (s1(3))', () => {
    expect(completionProblems(complete({ relevantInformation: '' })).map((p) => p.field)).toEqual(['relevantInformation']);
    const steps = completionProblems(complete({ practicableSteps: '' }));
    expect(steps.map((p) => p.field)).toEqual(['practicableSteps']);
    expect(steps[0]!.message).toContain('section 1(3)');
  });

  it.each([
    ['understand', '3(1)(a)'],
    ['retain', '3(1)(b)'],
    ['useOrWeigh', '3(1)(c)'],
    ['communicate', '3(1)(d)'],
  ] as const)('refuses with %s unanswered, and with it answered but no evidence (s%s)', (key, section) => {
    const a = complete();
    const missing = completionProblems({ ...a, abilities: { ...a.abilities, [key]: { answer: '', evidence: '' } } });
    expect(missing.map((p) => p.field)).toContain(key);
    expect(missing.find((p) => p.field === key)!.message).toContain(`section ${section}`);
    const noEvidence = completionProblems({ ...a, abilities: { ...a.abilities, [key]: { answer: 'met', evidence: ' ' } } });
    expect(noEvidence.map((p) => p.field)).toContain(`${key}Evidence`);
  });

  it('asks for the causal link only when an impairment is present and the person is unable to decide', () => {
    expect(completionProblems(complete({ causalLink: '', causalLinkEvidence: '' })).map((p) => p.field)).toEqual(['causalLink']);
    expect(completionProblems(complete({ impairment: 'no', impairmentDetail: '', causalLink: '', causalLinkEvidence: '' }))).toEqual([]);
    expect(completionProblems(complete({ impairment: '' })).map((p) => p.field)).toEqual(['impairment']);
  });

  it('lists every missing part of an empty draft', () => {
    const empty: CapacityAnswers = { decision: '', relevantInformation: '', practicableSteps: '', impairment: '', impairmentDetail: '', causalLink: '', causalLinkEvidence: '', abilities: { understand: { answer: '', evidence: '' }, retain: { answer: '', evidence: '' }, useOrWeigh: { answer: '', evidence: '' }, communicate: { answer: '', evidence: '' } } };
    expect(completionProblems(empty).map((p) => p.field)).toEqual(['decision', 'relevantInformation', 'practicableSteps', 'understand', 'retain', 'useOrWeigh', 'communicate', 'impairment']);
  });
});

describe('principles, best interests and IMCA', () => {
  it('cites each of the five principles', () => {
    expect(principles.map((p) => p.section)).toEqual(['2', '3', '4', '5', '6'].map((n) => `Mental Capacity Act 2005, section 1(${n})`));
  });

  it('lets a best-interests decision follow only a completed assessment that found a lack of capacity (s1(5))', () => {
    expect(mayFollowAssessment({ status: 'completed', outcome: 'lacks-capacity' })).toBe(true);
    expect(mayFollowAssessment({ status: 'completed', outcome: 'has-capacity' })).toBe(false);
    expect(mayFollowAssessment({ status: 'draft', outcome: null })).toBe(false);
  });

  it('counts an IMCA report overdue from the day N days after instruction, until it is received', () => {
    expect(imcaReportDueOn('2026-11-01', 28)).toBe('2026-11-29');
    expect(imcaReportOverdue({ instructedOn: '2026-11-01', reportReceivedOn: null }, '2026-11-28', 28)).toBe(false);
    expect(imcaReportOverdue({ instructedOn: '2026-11-01', reportReceivedOn: null }, '2026-11-29', 28)).toBe(true);
    expect(imcaReportOverdue({ instructedOn: '2026-11-01', reportReceivedOn: '2026-11-20' }, '2026-12-29', 28)).toBe(false);
  });

  it('says on the ending checklist whether there is a capacity assessment about ending aftercare', () => {
    expect(endingCapacityLine(null, (d) => d)).toContain('No completed capacity assessment about ending aftercare');
    expect(endingCapacityLine({ outcome: 'has-capacity', assessedOn: '4 December 2026', assessedBy: 'Sam Example' }, (d) => d)).toBe('Has capacity for this decision: assessed on 4 December 2026 by Sam Example (Mental Capacity Act 2005, sections 2 and 3).');
  });
});
