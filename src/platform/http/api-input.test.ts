import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../errors/errors.ts';
import { parseApiInput, parseWithRules } from './api-input.ts';

const catchIssues = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('parsing an API body (every module’s API)', () => {
  const schema = z.strictObject({ name: z.string(), age: z.number() });

  it('returns the parsed body, or lists each wrong field and says which unknown field to remove', () => {
    expect(parseApiInput(schema, { name: 'A', age: 3 })).toEqual({ name: 'A', age: 3 });
    const issues = catchIssues(() => parseApiInput(schema, { name: 1, age: 3, colour: 'red' }));
    expect(issues).toContainEqual({ path: 'colour', message: 'Remove "colour": it is not a field of the request body' });
    expect(issues.map((i) => i.path)).toContain('name');
  });

  it('adds the register’s own rules to the schema’s problems in one answer, the schema’s message first', () => {
    const rules = z.object({ age: z.number().max(120, 'Age must be 120 or less'), name: z.string().min(2, 'Name is too short') });
    const issues = catchIssues(() => parseWithRules(schema, rules, { name: 'A', age: 'old' }));
    expect(issues).toContainEqual({ path: 'name', message: 'Name is too short' });
    expect(issues.filter((i) => i.path === 'age')).toHaveLength(1);
  });
});
