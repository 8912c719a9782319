import { describe, expect, it } from 'vitest';
import { parseCase, type CaseInput } from './contract.ts';
import { legalPositionOf } from './legal-position.ts';
import { detained, detentionEnded, discharged, event, leftHospital } from './testing/case-builder.ts';

/** The positions of a history the contract accepts (the test fails on one it refuses). */
function positions(events: CaseInput['events'], asOf = '2026-06-01') {
  const parsed = parseCase({ asOf, events });
  if (!parsed.ok) throw new Error(`Invalid test case: ${JSON.stringify(parsed.problem.errors)}`);
  return legalPositionOf(parsed.value.events, parsed.value.asOf);
}

describe('where the person stands under the Mental Health Act', () => {
  it('a detained person is in hospital; discharged, they are nothing of these', () => {
    expect(positions([detained('2026-01-10')])).toEqual(['in-hospital']);
    expect(positions([detained('2026-01-10'), ...discharged('2026-03-01')])).toEqual([]);
  });

  it('a person discharged onto a CTO is on a CTO; recalled, also recalled and in hospital; back in the community, on a CTO only', () => {
    const onCto = [detained('2026-01-10'), ...discharged('2026-03-01', 'cto')];
    expect(positions(onCto)).toEqual(['cto']);
    expect(positions([...onCto, event('recalled', '2026-04-01')])).toEqual(['cto', 'recalled', 'in-hospital']);
    expect(positions([...onCto, event('recalled', '2026-04-01'), leftHospital('2026-04-03')])).toEqual(['cto']);
  });

  it('a revoked CTO is a detention again, no longer a CTO or a recall', () => {
    const revoked = [detained('2026-01-10'), ...discharged('2026-03-01', 'cto'), event('recalled', '2026-04-01'), { type: 'cto-ended' as const, date: '2026-04-03', reason: 'revoked' as const }];
    expect(positions(revoked)).toEqual(['in-hospital']);
  });

  it('a restricted patient conditionally discharged (s37/41) is conditionally discharged; recalled, recalled and in hospital', () => {
    const conditional = [detained('2026-01-10', '09'), ...discharged('2026-03-01', 'conditional-discharge')];
    expect(positions(conditional)).toEqual(['conditional-discharge']);
    expect(positions([...conditional, event('recalled', '2026-05-01')])).toEqual(['recalled', 'in-hospital']);
    expect(positions([...conditional, { type: 'conditional-discharge-ended', date: '2026-05-01', reason: 'absolute-discharge' }])).toEqual([]);
  });

  it('events after the date asked about are left out, and a person who has died holds none', () => {
    const onCto = [detained('2026-01-10'), ...discharged('2026-03-01', 'cto')];
    expect(positions(onCto, '2026-02-01')).toEqual(['in-hospital']);
    expect(positions([...onCto, event('died', '2026-05-01')])).toEqual([]);
  });

  it('a person who stays in hospital informally after their section ends is in hospital', () => {
    expect(positions([detained('2026-01-10'), detentionEnded('2026-02-01', 'regraded-informal')])).toEqual(['in-hospital']);
  });
});
