import type { FastifyInstance } from 'fastify';
import { InputError, type FieldIssue } from '../errors/errors.ts';

/**
 * One text type for every input (issue 12, finding 7). No text may hold NUL or another
 * control character: PostgreSQL refuses NUL in text, and the others have no place in a
 * register. Line breaks and tabs are allowed only in request bodies, where multi-line
 * text (notes, the person's views) is typed; addresses and search terms are single lines.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const BODY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const LINE_CONTROL = /[\u0000-\u001f\u007f]/;

export const CONTROL_CHARACTER_MESSAGE = 'Remove the hidden control characters (such as a null character) from this text';

/** Field paths (as the form and API name them) whose text, or key, holds a character it may not. */
export function findControlCharacters(value: unknown, multiLine: boolean, path = '', found: FieldIssue[] = [], depth = 0): FieldIssue[] {
  if (found.length >= 20 || depth > 32) return found;
  const pattern = multiLine ? BODY_CONTROL : LINE_CONTROL;
  if (typeof value === 'string') {
    if (pattern.test(value)) found.push({ path: path || '(body)', message: CONTROL_CHARACTER_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => findControlCharacters(item, multiLine, `${path}[${i}]`, found, depth + 1));
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !ArrayBuffer.isView(value)) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}.${key}` : key;
      if (LINE_CONTROL.test(key)) {
        found.push({ path: path || '(body)', message: CONTROL_CHARACTER_MESSAGE });
        continue;
      }
      findControlCharacters(item, multiLine, at, found, depth + 1);
    }
  }
  return found;
}

/**
 * Checked for every route once the body is parsed and the actor is known (so a visitor who
 * is not signed in is still sent to sign in first): the path's parameters, the query and the
 * body. A 422 with the fields named: problem+json on the API, an error summary on pages.
 */
export function setUpControlCharacterCheck(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    const issues = [
      ...findControlCharacters(request.params, false),
      ...findControlCharacters(request.query, false),
      ...findControlCharacters(request.body, true),
    ];
    if (issues.length > 0) return done(new InputError(issues));
    done();
  });
}
