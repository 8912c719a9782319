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
  'password',
  'nhsNumber',
  'email',
  'address',
  'postcode',
];

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
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
}
