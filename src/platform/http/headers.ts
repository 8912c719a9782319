import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/errors.ts';

/**
 * Response headers can never carry control characters (CR, LF, TAB, NUL, DEL…) or characters
 * Node cannot write. Node refuses them with ERR_INVALID_CHAR at the very end of a response,
 * and when that happens after an asynchronous send hook (a session save) nothing can catch
 * it and the process exits (issue 12, finding 2). So every header is checked here, in the
 * last send hook, before Node sees it.
 */

/** Anything but visible ASCII, space and Latin-1 text: C0 controls (TAB included), DEL, C1 controls, and beyond U+00FF. */
const UNSAFE_HEADER_CHAR = /[^\x20-\x7e\xa0-\xff]/;
const UNSAFE_LOCATION_CHAR = /[^\x21-\x7e]/gu;

export function isSafeHeaderValue(value: string): boolean {
  return !UNSAFE_HEADER_CHAR.test(value);
}

/**
 * A redirect target that is safe to send: every character that is not visible ASCII
 * (controls, spaces, non-ASCII) is percent-encoded, so `/people/x\ny` becomes
 * `/people/x%0Ay`, the address that was asked for, and never a second header line.
 */
export function safeLocation(target: string): string {
  return target.replace(UNSAFE_LOCATION_CHAR, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: the replacement character
    }
  });
}

/** A header the application set that cannot be sent: a fault in the code, answered with a 500. */
export class UnsafeHeaderError extends AppError {
  constructor(readonly headerName: string) {
    super('Something went wrong. The error has been logged.', 500, 'internal-error', 'Internal error');
  }
}

/**
 * The header guard, registered as a send hook before any route. Locations are encoded;
 * any other header with an unsafe value is removed and the response becomes a 500 (logged
 * with the header's name, not its value), which the error handler renders. Nothing reaches
 * Node's writeHead that it would refuse.
 */
export function setUpHeaderGuard(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    let unsafe: string | undefined;
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value === undefined || typeof value === 'number') continue;
      const values = Array.isArray(value) ? value : [value];
      if (values.every(isSafeHeaderValue)) continue;
      if (name === 'location' && !Array.isArray(value)) {
        reply.header('location', safeLocation(value));
        request.log.warn({ header: name }, 'unsafe characters in a redirect target were encoded');
        continue;
      }
      reply.removeHeader(name);
      unsafe ??= name;
    }
    if (unsafe) {
      request.log.error({ header: unsafe }, 'a response header held characters that cannot be sent; it was removed');
      done(new UnsafeHeaderError(unsafe));
      return;
    }
    done(null, payload);
  });
}
