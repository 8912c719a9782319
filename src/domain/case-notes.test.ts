import { describe, expect, it } from 'vitest';
import { editability, isEditable, londonInstant, londonWallClock, noteDateTime, noteTypeLabel, noteTypes, parseNote, parseTimeOfDay, renderNote } from './case-notes.ts';

describe('note types', () => {
  it('has a plain-English label for every type', () => {
    expect(noteTypes).toHaveLength(9);
    for (const t of noteTypes) expect(noteTypeLabel(t)).not.toBe(t);
    expect(noteTypeLabel('home-visit')).toBe('Home visit');
  });
});

describe('editability: a draft always, a finished note for 24 hours, then only a correction', () => {
  const finishedAt = new Date('2026-12-04T14:30:00Z');
  it('a draft is editable', () => {
    expect(editability({ status: 'draft', finishedAt: null }, new Date('2030-01-01'))).toEqual({ kind: 'draft' });
  });
  it('a finished note is editable until 24 hours after it was finished, not at the 24th hour', () => {
    expect(isEditable({ status: 'finished', finishedAt }, new Date('2026-12-05T14:29:59Z'))).toBe(true);
    expect(isEditable({ status: 'finished', finishedAt }, new Date('2026-12-05T14:30:00Z'))).toBe(false);
    expect(editability({ status: 'finished', finishedAt }, new Date('2026-12-06T00:00:00Z'))).toEqual({ kind: 'locked', lockedAt: new Date('2026-12-05T14:30:00Z') });
  });
});

describe('safe formatting', () => {
  it('reads headings, bullet lists and paragraphs', () => {
    expect(parseNote('# Visit\nSeen at home.\nWell.\n\n- ate\n- slept\n\nEnd')).toEqual([
      { kind: 'heading', text: 'Visit' },
      { kind: 'paragraph', lines: ['Seen at home.', 'Well.'] },
      { kind: 'list', items: ['ate', 'slept'] },
      { kind: 'paragraph', lines: ['End'] },
    ]);
    expect(renderNote('# Visit\n- a\n- b\n\nText')).toBe('<h3 class="govuk-heading-s">Visit</h3>\n<ul class="govuk-list govuk-list--bullet"><li>a</li><li>b</li></ul>\n<p class="govuk-body">Text</p>');
  });
  it('shows <script> and <img onerror> as text, never as HTML', () => {
    const html = renderNote('<script>alert(1)</script>\n# <img src=x onerror=alert(1)>\n- <b onmouseover="x">');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b ');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#61;x onerror&#61;alert(1)&gt;');
    expect(html).toContain('&lt;b onmouseover&#61;&quot;x&quot;&gt;');
  });
});

describe('dates and times in England', () => {
  it('writes "4 December 2026, 2:30pm"', () => {
    expect(noteDateTime(new Date('2026-12-04T14:30:00Z'))).toBe('4 December 2026, 2:30pm');
    expect(noteDateTime(new Date('2026-07-04T11:05:00Z'))).toBe('4 July 2026, 12:05pm');
    expect(noteDateTime(new Date('2026-12-04T00:15:00Z'))).toBe('4 December 2026, 12:15am');
  });
  it('reads times as people type them', () => {
    expect(parseTimeOfDay('14:30')).toBe('14:30');
    expect(parseTimeOfDay('2:30pm')).toBe('14:30');
    expect(parseTimeOfDay('2pm')).toBe('14:00');
    expect(parseTimeOfDay('12am')).toBe('00:00');
    expect(parseTimeOfDay('9.15 am')).toBe('09:15');
    expect(parseTimeOfDay('25:00')).toBeNull();
    expect(parseTimeOfDay('2')).toBeNull();
    expect(parseTimeOfDay('soon')).toBeNull();
  });
  it('turns England’s wall clock into an instant and back, in summer and winter', () => {
    expect(londonInstant('2026-07-04', '12:05').toISOString()).toBe('2026-07-04T11:05:00.000Z');
    expect(londonInstant('2026-12-04', '14:30').toISOString()).toBe('2026-12-04T14:30:00.000Z');
    expect(londonWallClock(new Date('2026-07-04T11:05:00Z'))).toEqual({ date: '2026-07-04', time: '12:05' });
  });
});
