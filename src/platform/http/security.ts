import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyReply {
    /** This response's CSP nonce, for the inline and module scripts a page carries. */
    cspNonce: { script: string; style: string };
  }
}

/**
 * The content security policy. Scripts and styles come only from this origin, or carry the
 * response's nonce; nothing may frame the service; forms post only to it.
 */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "script-src-attr 'none'",
  ].join(';');
}

/**
 * Headers every response carries: helmet's defaults as this service configures them, written
 * out once. (They were set by @fastify/helmet, which with per-request nonces rebuilt its
 * whole middleware chain on every request: bench/register measured that at about 5% of the
 * register page's application CPU.)
 */
const fixedHeaders: ReadonlyArray<readonly [string, string]> = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
];

/** The security headers of a response whose CSP nonce is `nonce`. */
export function securityHeaders(nonce: string): Array<readonly [string, string]> {
  return [...fixedHeaders, ['Content-Security-Policy', contentSecurityPolicy(nonce)]];
}

/**
 * Security headers with a per-request CSP nonce for the scripts the GOV.UK template needs,
 * and no caching of anything but static assets.
 */
export function setUpWebSecurity(app: FastifyInstance): void {
  app.decorateReply('cspNonce', null as unknown as { script: string; style: string });
  app.addHook('onRequest', (_request, reply, done) => {
    const nonce = randomBytes(16).toString('base64');
    reply.cspNonce = { script: nonce, style: nonce };
    for (const [name, value] of fixedHeaders) reply.header(name, value);
    reply.header('Content-Security-Policy', contentSecurityPolicy(nonce));
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.url.startsWith('/assets/')) {
      // Pages and API responses may hold personal data: never store them anywhere.
      reply.header('Cache-Control', 'no-store');
      reply.header('Pragma', 'no-cache');
    }
    done(null, payload);
  });
}
