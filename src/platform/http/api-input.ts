import type { z } from 'zod';
import { InputError, type FieldIssue } from '../errors/errors.ts';
import { pathToString } from './validation.ts';

/* Parsing an API request body (every module's API): one place, problems listed field by field. */

/**
 * zod issues as field-pathed problems. An unknown field gets its own path and says what to
 * remove, as the rules engine's contract does, instead of zod's generic "Unrecognized key".
 */
export function apiIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = pathToString(issue.path);
    const join = (p: string) => [prefix, p].filter((s) => s !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: join(base ? `${base}.${key}` : key),
        message: `Remove "${key}": it is not a field of ${base ? `"${join(base)}"` : 'the request body'}`,
      }));
    }
    return [{ path: join(base), message: issue.message }];
  });
}

/** Parse an API body or raise an InputError listing every field that is wrong. */
export function parseApiInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InputError(apiIssues(parsed.error));
  return parsed.data;
}

/**
 * Check an API body against its schema (types, unknown fields) and, at the same time, against
 * the register's own rules (NHS number check digit, real dates…), so a client is told about
 * every problem in one answer. The schema's message wins where both find fault with a field.
 */
export function parseWithRules<S extends z.ZodType>(schema: S, rules: z.ZodType, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = apiIssues(parsed.error);
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const values = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
    const more = rules.safeParse(values);
    if (!more.success) {
      const seen = new Set(issues.map((i) => i.path));
      for (const issue of apiIssues(more.error)) if (!seen.has(issue.path) && !issue.message.startsWith('Remove')) issues.push(issue);
    }
  }
  throw new InputError(issues);
}
