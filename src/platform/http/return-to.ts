/**
 * Where to go after signing in. Only a path on this service is accepted: it must start
 * with exactly one `/`, carry no backslash and no control character (raw or percent-encoded:
 * browsers drop TAB, CR and LF, so `/\t/evil.example` would become `//evil.example`), and
 * resolving it against a made-up origin must keep that origin. Anything else goes home.
 */
const BASE = 'http://x.invalid';
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;

export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  if (value.includes('\\') || CONTROL.test(value) || ENCODED_CONTROL.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('/') && !path.startsWith('//') ? path : fallback;
}
