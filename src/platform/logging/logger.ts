import type { LoggerOptions } from 'pino';

/**
 * Logs carry ids, never personal details. Request logs record the route, not the query
 * string (a register search holds names and NHS numbers), and any field that could hold
 * personal data is redacted wherever it appears.
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.nhsNumber',
  '*.name',
  '*.givenName',
  '*.familyName',
  '*.displayName',
  '*.email',
  '*.address',
  '*.postcode',
  '*.dateOfBirth',
  '*.token',
  '*.clientSecret',
  'password',
  'nhsNumber',
  'email',
  'address',
  'postcode',
];

/**
 * Error properties that can hold the values of a failed query (NHS numbers, names):
 * drizzle's and PGlite's `params`, node-postgres' `detail` ("Key (nhs_number)=(…) already
 * exists") and `where` (which may quote a parameter), driver options. Never logged.
 */
const ERROR_KEYS_NOT_LOGGED = new Set(['params', 'parameters', 'values', 'queryOptions', 'detail', 'where', 'internalQuery', 'hint', 'input', 'body']);

/** drizzle's "Failed query: …\nparams: v1,v2": the values are cut off (they may run over several lines). */
function withoutParameters(text: string): string {
  return text.replace(/\nparams: [\s\S]*$/, '\nparams: [not logged]');
}

/** A PostgreSQL data exception (SQLSTATE class 22) quotes the value it refused: "invalid input syntax for type integer: \"…\"". */
function withoutQuotedValues(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '"[not logged]"');
}

/**
 * The error serializer: type, message, stack, code and the other plain properties, with
 * every query parameter removed, through the whole `cause` chain (drizzle wraps the
 * driver's error). The SQL text stays: it holds placeholders, not values.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  const dataException = typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
  const clean = (text: string) => (dataException ? withoutQuotedValues(withoutParameters(text)) : withoutParameters(text));
  const message = clean(err.message);
  const out: Record<string, unknown> = {
    type: err.constructor?.name ?? err.name,
    message,
    stack: err.stack === undefined ? undefined
      : err.stack.includes(err.message) ? err.stack.replace(err.message, message)
        : err.stack.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: [not logged]'),
  };
  for (const [key, value] of Object.entries(err)) {
    if (key === 'cause' || key in out) continue;
    if (ERROR_KEYS_NOT_LOGGED.has(key)) {
      if (value !== undefined) out[key] = '[not logged]';
      continue;
    }
    if (value instanceof Error) out[key] = depth < 5 ? serializeError(value, depth + 1) : value.name;
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = typeof value === 'string' && dataException ? clean(value) : value;
    else if (key === 'validation' || key === 'issues') out[key] = value;
  }
  if (err.cause !== undefined) out.cause = depth < 5 ? serializeError(err.cause, depth + 1) : '[cause]';
  return out;
}

export function loggerOptions(level: string, pretty: boolean): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: req.url.split('?')[0],
        requestId: req.id,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
}
