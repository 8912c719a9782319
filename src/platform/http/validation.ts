import type { z } from 'zod';
import { InputError, type FieldIssue } from '../errors/errors.ts';

/** A zod path as a form field name and API path: ["events", 2, "date"] → "events[2].date". */
export function pathToString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    const key = String(part);
    return acc === '' ? key : `${acc}.${key}`;
  }, '');
}

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: pathToString(issue.path), message: issue.message }));
}

/** What the GOV.UK error summary and error message macros expect. */
export interface GovukErrors {
  list: Array<{ text: string; href: string }>;
  fields: Record<string, { text: string }>;
}

/**
 * Map issues to the GOV.UK error summary. One message per field (the first), and the
 * summary links to the field's id. Date inputs link to their first part ("-day").
 */
export function toGovukErrors(issues: FieldIssue[], fieldIds: Record<string, string> = {}): GovukErrors {
  const fields: GovukErrors['fields'] = {};
  const list: GovukErrors['list'] = [];
  for (const issue of issues) {
    const key = issue.path || 'form';
    if (fields[key]) continue;
    fields[key] = { text: issue.message };
    list.push({ text: issue.message, href: `#${fieldIds[key] ?? key}` });
  }
  return { list, fields };
}

/** Parse input or raise an InputError naming every field that is wrong; nothing is changed. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InputError(zodIssues(result.error));
  return result.data;
}
