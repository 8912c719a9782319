import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.ts';

describe('finding 9: returnTo is accepted only as a path on this service', () => {
  it.each([
    ['//evil.example/x'],
    ['/\\evil.example/x'],
    ['\\\\evil.example'],
    ['/\t/evil.example/x'],
    ['/\n/evil.example/x'],
    ['/\r\n/evil.example'],
    ['/register\nx'],
    ['/register%0Ax'],
    ['/register%0d%0aSet-Cookie:%20a=b'],
    ['/register%00'],
    ['/reg\u0000ister'],
    ['/reg\u007fister'],
    ['javascript:alert(1)'],
    ['https://evil.example/'],
    ['http:/evil.example'],
    ['evil.example'],
    [''],
    [' /register'],
    [`/${'a'.repeat(3000)}`],
  ])('sends %j home', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('sends anything that is not a string home', () => {
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo(['/register'])).toBe('/');
    expect(safeReturnTo({ toString: () => '/register' })).toBe('/');
  });

  it.each([
    ['/', '/'],
    ['/register', '/register'],
    ['/register?q=Ada&page=2', '/register?q=Ada&page=2'],
    ['/people/4b1d2c1e-0000-4000-8000-000000000001/plans#current', '/people/4b1d2c1e-0000-4000-8000-000000000001/plans#current'],
    ['/admin/organisations', '/admin/organisations'],
  ])('keeps the path %j', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });
});
