import { describe, expect, it } from 'vitest';
import { CONTROL_CHARACTER_MESSAGE, findControlCharacters } from './control-characters.ts';

describe('finding 7: one text type for every input', () => {
  it('finds NUL and other control characters wherever they are, naming the field', () => {
    expect(findControlCharacters({ q: 'a\u0000b' }, false)).toEqual([{ path: 'q', message: CONTROL_CHARACTER_MESSAGE }]);
    expect(findControlCharacters({ events: [{ date: '2025-01-01' }, { note: 'x\u0007' }] }, true)).toEqual([{ path: 'events[1].note', message: CONTROL_CHARACTER_MESSAGE }]);
    expect(findControlCharacters({ 'bad\u0000key': 'x' }, true)).toHaveLength(1);
    expect(findControlCharacters({ id: 'x\u007fy' }, false)).toHaveLength(1);
  });

  it('allows tabs and line breaks in body text only', () => {
    expect(findControlCharacters({ views: 'Line one\r\nLine two\tindented' }, true)).toEqual([]);
    expect(findControlCharacters({ q: 'Ada\nExample' }, false)).toHaveLength(1);
    expect(findControlCharacters({ q: 'Ada\tExample' }, false)).toHaveLength(1);
  });

  it('leaves uploaded files, numbers and ordinary text alone', () => {
    expect(findControlCharacters({ file: { filename: 'register.csv', data: Buffer.from([0, 1, 2]) }, n: 3, ok: true, name: 'Zoë O’Brien' }, true)).toEqual([]);
    expect(findControlCharacters(undefined, true)).toEqual([]);
  });
});
