/**
 * The input contract (version 1): every kind of invalid input gets a specific, field-pathed
 * error in an RFC 9457 problem, and valid input gets its defaults.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { caseInputSchema, decisionSchema, parseCase, parseCaseJson, type Problem } from './contract.ts';
import { evaluate } from './evaluate.ts';
import { detained, detentionEnded, discharged, leftHospital, reviewed } from './testing/case-builder.ts';

function problemOf(input: unknown): Problem {
  const result = parseCase(input);
  if (result.ok) throw new Error('expected the case to be invalid');
  return result.problem;
}

function errorsOf(input: unknown) {
  return problemOf(input).errors;
}

const valid = { asOf: '2025-06-01', events: [detained('2025-01-01'), ...discharged('2025-03-01')] };

describe('a valid case', () => {
  it('is accepted, with the policy defaults filled in', () => {
    const result = parseCase(valid);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.policy).toEqual({ firstReviewWeeks: 6, reviewIntervalMonths: 12, mha2025s45CommencedOn: null });
      expect(result.value.needs).toEqual([]);
    }
  });

  it('accepts events in any order, and an empty history', () => {
    expect(parseCase({ ...valid, events: [...valid.events].reverse() }).ok).toBe(true);
    expect(parseCase({ asOf: '2025-06-01', events: [] }).ok).toBe(true);
  });

  it('gives a decision that matches the output schema', () => {
    const result = parseCase(valid);
    if (!result.ok) throw new Error(result.problem.detail);
    expect(decisionSchema.safeParse(evaluate(result.value)).success).toBe(true);
  });
});

describe('the problem', () => {
  it('is RFC 9457 shaped, with the count and the first error in the detail', () => {
    const problem = problemOf({ asOf: '2025-02-30', events: [{ type: 'reviewed', date: 'soon' }] });
    expect(problem).toMatchObject({
      type: 'https://aftercare.example/problems/invalid-case',
      title: 'The case is not valid',
      status: 422,
    });
    expect(problem.detail).toBe('There are 2 problems with the case. The first at asOf: The asOf date must be a real date: 2025-02-30 does not exist');
    expect(problem.errors.map((e) => e.path)).toEqual(['asOf', 'events[0].date']);
  });

  it('says "1 problem" for a single error', () => {
    expect(problemOf({ asOf: '2025-06-01' }).detail).toBe(
      'There is 1 problem with the case at events: Enter the events: a list of events (it may be empty)',
    );
  });
});

describe('malformed JSON', () => {
  it('is reported at the body with the line and column where it broke', () => {
    const result = parseCaseJson('{\n  "asOf": "2025-06-01",\n  "events": [],\n}');
    expect(result.ok ? null : result.problem.errors).toEqual([
      {
        path: '',
        message:
          'The JSON is malformed: Expected double-quoted property name at line 4, column 1. Check for a missing comma, quote or bracket',
      },
    ]);
  });

  it('quotes the text around an unexpected character when the parser gives no position', () => {
    const result = parseCaseJson('{\n  "asOf": "2025-06-01",\n  "events": [\n}');
    expect(result.ok ? null : result.problem.errors[0]?.message).toMatch(/^The JSON is malformed: Unexpected token '}'.*vents": \[/s);
  });

  it('an empty body is reported as empty', () => {
    const result = parseCaseJson('  \n');
    expect(result.ok ? null : result.problem.errors).toEqual([{ path: '', message: 'The body is empty: send the case as a JSON object' }]);
  });

  it('valid JSON that is not an object is reported at the root', () => {
    const result = parseCaseJson('[1, 2]');
    expect(result.ok ? null : result.problem.errors).toEqual([
      { path: '', message: 'The case must be a JSON object with "asOf" and "events"' },
    ]);
  });

  it('a byte-order mark is allowed', () => {
    expect(parseCaseJson(`\uFEFF${JSON.stringify(valid)}`).ok).toBe(true);
  });
});

describe('dates', () => {
  it.each([
    ['2025-02-30', 'The event date must be a real date: 2025-02-30 does not exist'],
    ['2023-02-29', 'The event date must be a real date: 2023-02-29 does not exist'],
    ['2025-13-01', 'The event date must be a real date: 2025-13-01 does not exist'],
    ['1 March 2025', 'The event date must be written YYYY-MM-DD, for example "2025-03-01"'],
    ['2025-3-1', 'The event date must be written YYYY-MM-DD, for example "2025-03-01"'],
    ['1850-01-01', 'The event date must be between 1900-01-01 and 2199-12-31'],
  ])('rejects %s', (date, message) => {
    expect(errorsOf({ asOf: '2025-06-01', events: [{ type: 'reviewed', date }] })).toEqual([{ path: 'events[0].date', message }]);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseCase({ asOf: '2024-02-29', events: [reviewed('2024-02-29')] }).ok).toBe(true);
  });

  it('a missing or non-text date says what is expected', () => {
    expect(errorsOf({ asOf: 20250601, events: [{ type: 'reviewed' }] })).toEqual([
      { path: 'asOf', message: 'The asOf date must be a date written YYYY-MM-DD, for example "2025-03-01"' },
      { path: 'events[0].date', message: 'Enter the event date: a date written YYYY-MM-DD, for example "2025-03-01"' },
    ]);
  });
});

describe('events', () => {
  it('an unknown event type lists the known ones', () => {
    const [error] = errorsOf({ asOf: '2025-06-01', events: [{ type: 'transferred', date: '2025-01-01' }] });
    expect(error?.path).toBe('events[0].type');
    expect(error?.message).toMatch(/^"transferred" is not a known event type\. Use one of "detention-started", .*"died"$/);
  });

  it('a missing type asks for one', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [{ date: '2025-01-01' }] })[0]).toMatchObject({
      path: 'events[0].type',
      message: expect.stringMatching(/^Enter the event type: one of /),
    });
  });

  it('an event that is not an object is explained', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: ['reviewed'] })[0]).toMatchObject({
      path: 'events[0]',
      message: expect.stringContaining('Each event must be an object with a "type" and a "date"'),
    });
  });

  it('an unknown field is named, with the event it was found in', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [{ type: 'reviewed', date: '2025-01-01', reviewer: 'AB' }] })).toEqual([
      { path: 'events[0].reviewer', message: 'Remove "reviewer": it is not a field of a "reviewed" event in version 1 of the contract' },
    ]);
  });

  it('an unknown top-level field is named', () => {
    expect(errorsOf({ ...valid, nhsNumber: '9434765919' })).toEqual([
      { path: 'nhsNumber', message: 'Remove "nhsNumber": it is not a field of the case in version 1 of the contract' },
    ]);
  });

  it('an unknown legal status code is rejected with the list of known codes', () => {
    const [error] = errorsOf({ asOf: '2025-06-01', events: [detained('2025-01-01', '21')] });
    expect(error?.path).toBe('events[0].legalStatusCode');
    expect(error?.message).toMatch(/^"21" is not a known legal status code\. Use an NHS Data Dictionary .*: 01, 02, 03, .*, 98, 99$/);
  });

  it('a legal status code sent as a number explains the leading zero', () => {
    const event = { ...detained('2025-01-01'), legalStatusCode: 3 };
    expect(errorsOf({ asOf: '2025-06-01', events: [event] })[0]?.message).toContain('a number loses its leading zero');
  });

  it.each([
    ['ordinaryResidence', 'Swindon', 'The ordinary residence must be an English or Welsh local authority'],
    ['ordinaryResidence', 'S12000033', 'The ordinary residence must be an English or Welsh local authority'],
    ['icbOfGpRegistration', 'QOX', 'The ICB of GP registration must be an ICB\'s 9-character ONS code'],
  ])('rejects %s %j', (field, value, message) => {
    const event = { ...detained('2025-01-01'), [field]: value };
    expect(errorsOf({ asOf: '2025-06-01', events: [event] })[0]).toMatchObject({
      path: `events[0].${field}`,
      message: expect.stringContaining(message),
    });
  });

  it('a missing field of an event is asked for', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [{ type: 's17-leave-started', date: '2025-01-01' }] })).toEqual([
      { path: 'events[0].ceasedToBeDetainedFinding', message: 'Enter the ceased-to-be-detained finding: true or false' },
    ]);
  });

  it('an invalid reason lists the valid ones', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [detained('2025-01-01'), { type: 'detention-ended', date: '2025-02-01', reason: 'released' }] })).toEqual([
      {
        path: 'events[1].reason',
        message:
          'The reason must be one of "discharged", "regraded-informal", "cto", "conditional-discharge", "absolute-discharge", "section-lapsed", "died"',
      },
    ]);
  });

  it('an invalid approver is pathed to the item', () => {
    const ending = { type: 'aftercare-ended', date: '2025-05-01', approvedBy: ['local-authority', 'nhs'], reasons: [], personInvolved: true, legalOverride: false };
    expect(errorsOf({ asOf: '2025-06-01', events: [ending] })[0]?.path).toBe('events[0].approvedBy[1]');
  });
});

describe('the order of the history', () => {
  it('a detention that ends before it starts', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [detained('2025-03-01'), detentionEnded('2025-02-01')] })).toEqual([
      {
        path: 'events[1].date',
        message: 'The detention ends on 2025-02-01, before it starts on 2025-03-01 (events[0]). Check both dates: a detention must start before it ends',
      },
    ]);
  });

  it('a detention that ends with no detention in progress', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [...valid.events, detentionEnded('2025-04-01')] })).toEqual([
      { path: 'events[3].date', message: 'There is no detention in progress on 2025-04-01 to end. Add its detention-started event, or check the date' },
    ]);
  });

  it('leaving hospital before the admission', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [leftHospital('2025-01-01'), detained('2025-02-01'), detentionEnded('2025-03-01')] })).toEqual([
      {
        path: 'events[0].date',
        message:
          'The person leaves hospital on 2025-01-01, before the admission on 2025-02-01 (events[1]). Check both dates: leaving hospital must come after the admission',
      },
    ]);
  });

  it('leaving hospital twice', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [...valid.events, leftHospital('2025-04-01')] })[0]).toMatchObject({
      path: 'events[3].date',
      message: expect.stringContaining('The person is not in hospital on 2025-04-01'),
    });
  });

  it('same-date events keep their listed order, so "left hospital" then "admitted" on one day is out of order', () => {
    const events = [leftHospital('2025-01-01'), { type: 'admitted-informally', date: '2025-01-01' }];
    expect(errorsOf({ asOf: '2025-06-01', events })[0]?.path).toBe('events[0].date');
    expect(parseCase({ asOf: '2025-06-01', events: [...events].reverse() }).ok).toBe(true);
  });

  it('an informal admission while detained', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [detained('2025-01-01'), { type: 'admitted-informally', date: '2025-02-01' }] })[0]?.message).toContain(
      'regraded-informal',
    );
  });

  it('a non-detention status while still detained', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [detained('2025-01-01'), detained('2025-02-01', '35')] })[0]?.message).toBe(
      'The person is still detained on 2025-02-01 (since 2025-01-01, events[0]). Add a detention-ended event before this new status (Subject to guardianship under Mental Health Act Section 7)',
    );
  });

  it('a guardianship cannot end onto a CTO', () => {
    expect(errorsOf({ asOf: '2025-06-01', events: [detained('2025-01-01', '35'), detentionEnded('2025-02-01', 'cto')] })).toEqual([
      {
        path: 'events[1].reason',
        message:
          'The status that began on 2025-01-01 (events[0], code 35) is not a detention in hospital, so it cannot end with reason "cto". Use "discharged" or "section-lapsed"',
      },
    ]);
  });

  it('section 17 leave outside a detention', () => {
    expect(
      errorsOf({ asOf: '2025-06-01', events: [{ type: 's17-leave-started', date: '2025-01-01', ceasedToBeDetainedFinding: false }, detained('2025-02-01')] })[0]
        ?.message,
    ).toContain('before the detention starts on 2025-02-01 (events[1])');
  });

  it.each([
    [{ type: 'cto-ended', date: '2025-04-01', reason: 'expired' }, 'no community treatment order in force'],
    [{ type: 'recalled', date: '2025-04-01' }, 'no community treatment order or conditional discharge'],
    [{ type: 'conditional-discharge-ended', date: '2025-04-01', reason: 'absolute-discharge' }, 'no conditional discharge in force'],
    [{ type: 'dispute-resolved', date: '2025-04-01' }, 'no open dispute on 2025-04-01'],
  ])('%j with nothing to end', (event, message) => {
    expect(errorsOf({ asOf: '2025-06-01', events: [...valid.events, event] })[0]).toMatchObject({
      path: 'events[3].date',
      message: expect.stringContaining(message),
    });
  });

  it('reports every problem, in event order', () => {
    const errors = errorsOf({
      asOf: '2025-06-01',
      events: [{ type: 'dispute-resolved', date: '2025-05-01' }, detentionEnded('2025-01-01'), { type: 'recalled', date: '2025-03-01' }],
    });
    expect(errors.map((e) => e.path)).toEqual(['events[0].date', 'events[1].date', 'events[2].date']);
  });
});

describe('person, policy and needs', () => {
  it('events before the date of birth, and a birth after asOf', () => {
    expect(errorsOf({ asOf: '2025-06-01', person: { dateOfBirth: '2025-07-01' }, events: [reviewed('2025-01-01')] })).toEqual([
      { path: 'person.dateOfBirth', message: 'The date of birth must be on or before the asOf date (2025-06-01)' },
      { path: 'events[0].date', message: "The event date 2025-01-01 is before the person's date of birth (2025-07-01)" },
    ]);
  });

  it.each([
    [{ firstReviewWeeks: 0 }, 'policy.firstReviewWeeks'],
    [{ firstReviewWeeks: 2.5 }, 'policy.firstReviewWeeks'],
    [{ reviewIntervalMonths: 24 }, 'policy.reviewIntervalMonths'],
    [{ mha2025s45CommencedOn: '2026-02-30' }, 'policy.mha2025s45CommencedOn'],
    [{ reviewWeeks: 6 }, 'policy.reviewWeeks'],
  ])('rejects policy %j', (policy, path) => {
    expect(errorsOf({ ...valid, policy }).map((e) => e.path)).toEqual([path]);
  });

  it('rejects duplicate need ids and incomplete needs', () => {
    const need = { id: 'n1', arisesFromMentalDisorder: true, reducesRiskOfDeterioration: true };
    expect(errorsOf({ ...valid, needs: [need, need] })).toEqual([
      { path: 'needs[1].id', message: 'The need id "n1" is already used by needs[0]: give each need its own id' },
    ]);
    expect(errorsOf({ ...valid, needs: [{ id: 'n1', arisesFromMentalDisorder: true }] })).toEqual([
      { path: 'needs[0].reducesRiskOfDeterioration', message: 'Enter whether meeting the need reduces the risk of deterioration: true or false' },
    ]);
    expect(errorsOf({ ...valid, needs: [{ ...need, accommodation: { enhanced: true } }] }).map((e) => e.path)).toEqual([
      'needs[0].accommodation.enhancedSpecialised',
      'needs[0].accommodation.enhanced',
    ]);
  });
});

describe('JSON Schema for the OpenAPI document', () => {
  it('converts the input and output schemas, with date patterns and the legal status codes', () => {
    const input = z.toJSONSchema(caseInputSchema, { io: 'input' }) as unknown as {
      required: string[];
      properties: { asOf: { pattern: string }; events: { items: { oneOf: { properties: Record<string, { enum?: string[] }> }[] } } };
    };
    expect(input.required).toEqual(['asOf', 'events']);
    expect(input.properties.asOf.pattern).toBe('^\\d{4}-\\d{2}-\\d{2}$');
    expect(input.properties.events.items.oneOf).toHaveLength(13);
    expect(input.properties.events.items.oneOf[0]?.properties['legalStatusCode']?.enum).toContain('38');
    expect(() => z.toJSONSchema(decisionSchema)).not.toThrow();
  });
});
