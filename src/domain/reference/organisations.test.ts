import { describe, expect, it } from 'vitest';
import { referenceIcbs, referenceLocalAuthorities, referenceName } from './organisations.ts';

describe('the reference list of local authorities, ICBs and health boards', () => {
  it('covers the 153 English and 22 Welsh councils with social services duties, the 42 ICBs and the 7 Welsh health boards', () => {
    expect(referenceLocalAuthorities.filter((b) => b.code.startsWith('E'))).toHaveLength(153);
    expect(referenceLocalAuthorities.filter((b) => b.code.startsWith('W06'))).toHaveLength(22);
    expect(referenceIcbs.filter((b) => b.code.startsWith('E54'))).toHaveLength(42);
    expect(referenceIcbs.filter((b) => b.code.startsWith('W11'))).toHaveLength(7);
  });

  it('holds each code once, in the shape the rules engine takes', () => {
    const codes = [...referenceLocalAuthorities, ...referenceIcbs].map((b) => b.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const b of referenceLocalAuthorities) expect(b.code).toMatch(/^(E06|E08|E09|E10|W06)\d{6}$/);
    for (const b of referenceIcbs) expect(b.code).toMatch(/^(E54|W11)\d{6}$/);
    expect(new Set(referenceIcbs.map((b) => b.odsCode)).size).toBe(referenceIcbs.length);
  });

  it('names a body by its code', () => {
    expect(referenceName('E06000001')).toBe('Hartlepool Borough Council');
    expect(referenceName('E06000030')).toBe('Swindon Borough Council');
    expect(referenceName('E54000040')).toBe('NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board');
    expect(referenceName('E07000001')).toBeNull();
  });
});
