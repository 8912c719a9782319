import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../errors/errors.ts';
import { parseInput, pathToString, toGovukErrors, zodIssues } from './validation.ts';

describe('zod issues to GOV.UK errors', () => {
  it('names nested fields as forms and the API name them', () => {
    expect(pathToString(['events', 2, 'date'])).toBe('events[2].date');
    expect(pathToString(['name'])).toBe('name');
    expect(pathToString([])).toBe('');
  });

  it('gives one message per field, in order, linking to the field', () => {
    const schema = z.object({ name: z.string().min(1, 'Enter a name').max(3, 'Too long'), email: z.email('Enter an email address') });
    const result = schema.safeParse({ name: '', email: 'x' });
    expect(result.success).toBe(false);
    const errors = toGovukErrors(zodIssues(result.error!), { dob: 'dob-day' });
    expect(errors.list).toEqual([
      { text: 'Enter a name', href: '#name' },
      { text: 'Enter an email address', href: '#email' },
    ]);
    expect(errors.fields.name).toEqual({ text: 'Enter a name' });
  });

  it('links a date field to its first input', () => {
    const errors = toGovukErrors([{ path: 'dob', message: 'Date of birth must be a real date' }], { dob: 'dob-day' });
    expect(errors.list[0]!.href).toBe('#dob-day');
  });

  it('raises an InputError listing every bad field and changes nothing', () => {
    const schema = z.object({ a: z.string(), b: z.number() });
    expect(() => parseInput(schema, { a: 1, b: 'x' })).toThrow(InputError);
    try {
      parseInput(schema, { a: 1, b: 'x' });
    } catch (e) {
      expect((e as InputError).issues.map((i) => i.path)).toEqual(['a', 'b']);
      expect((e as InputError).statusCode).toBe(422);
    }
  });
});
