import { describe, expect, it } from 'vitest';
import { isSafeHeaderValue, safeLocation } from './headers.ts';

describe('finding 2: header values never carry control characters', () => {
  it.each(['a\nb', 'a\rb', 'a\tb', 'a\u0000b', 'a\u007fb', 'a\u0085b', '€'])('refuses %j as a header value', (value) => {
    expect(isSafeHeaderValue(value)).toBe(false);
  });

  it('accepts ordinary header values', () => {
    expect(isSafeHeaderValue('attachment; filename="register-2025-01-01.csv"')).toBe(true);
  });

  it('encodes a redirect target so that it stays one header line pointing where it was asked to', () => {
    expect(safeLocation('/people/x\ny/reviews#meetings')).toBe('/people/x%0Ay/reviews#meetings');
    expect(safeLocation('/register\r\nSet-Cookie: a=b')).toBe('/register%0D%0ASet-Cookie:%20a=b');
    expect(safeLocation('/\t/evil.example')).toBe('/%09/evil.example');
    expect(safeLocation('/people/Łukasz')).toBe('/people/%C5%81ukasz');
    expect(safeLocation('/register?q=a%20b')).toBe('/register?q=a%20b');
  });
});
