import { describe, expect, it } from 'vitest';
import { chronologyKindLabels, chronologyKinds, containsPattern, decodeCursor, describeFilter, encodeCursor } from './chronology.ts';

describe('the chronology’s rules (issue 15, item 2)', () => {
  it('names every kind in plain English', () => {
    for (const k of chronologyKinds) expect(chronologyKindLabels[k]).toMatch(/^[A-Z][a-z ]+$/);
  });

  it('round-trips a cursor, keeping microseconds, and refuses one it did not make', () => {
    const cursor = { at: '2026-12-06T14:30:00.123456Z', kind: 'case-note', id: '0b6f0d1e-2a1c-4c55-9d7e-3c1f5b7a9e21' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('not a cursor!')).toBeNull();
    expect(decodeCursor(Buffer.from('["2026-12-06T14:30:00Z","gossip","x"]').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('["yesterday","task","x"]').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('{"at":1}').toString('base64url'))).toBeNull();
  });

  it('matches a search anywhere, with %, _ and \\ taken literally', () => {
    expect(containsPattern('gp visit')).toBe('%gp visit%');
    expect(containsPattern('100%')).toBe('%100\\%%');
    expect(containsPattern('a_b')).toBe('%a\\_b%');
    expect(containsPattern('c:\\x')).toBe('%c:\\\\x%');
  });

  it('says which filters were applied', () => {
    expect(describeFilter({ kinds: [], significantOnly: false, search: '' })).toBe('All entries');
    expect(describeFilter({ kinds: [...chronologyKinds], significantOnly: false, search: '' })).toBe('All entries');
    expect(describeFilter({ kinds: ['case-note', 'task'], significantOnly: true, search: 'visit' })).toBe('Only case notes, tasks; significant entries only; containing “visit”');
  });
});
