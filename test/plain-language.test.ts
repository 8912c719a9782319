import { describe, expect, it } from 'vitest';
import { plainLanguageFindings, reasonCodes, visibleText } from './plain-language.ts';

/** The plain-language check itself: it must find what it is for, and nothing a person cannot see. */
const names = new Map([['E06000901', 'Northvale Council']]);
const kinds = (html: string) => plainLanguageFindings(visibleText(html), names).map((f) => f.kind);

describe('the plain-language check', () => {
  it('reads only what a person sees: no attributes, input values, scripts or stored records', () => {
    const html = `<head><title>2026-01-01</title></head><input name="from" value="2026-12-04"><a href="/x?d=2026-12-04&amp;r=time-elapsed">4 December 2026</a>
      <textarea name="n">2026-12-04</textarea><script>var d = "2026-12-04";</script><pre class="app-pre">{"reason": "time-elapsed"}</pre><p>Tom &amp; Jerry</p>`;
    expect(visibleText(html)).toBe('4 December 2026 Tom & Jerry');
    expect(kinds(html)).toEqual([]);
  });

  it('finds an ISO date, a raw reason code, an internal note and a code without its name', () => {
    expect(kinds('<p>Entitled from 2026-12-04</p>')).toEqual(['ISO date']);
    expect(kinds('<p>Reasons (time-elapsed, refuses-services)</p>')).toEqual(['reason code', 'reason code']);
    for (const note of ['Mind legal guide [O]', 'is UNCONFIRMED', '(title inferred)', 'Domain brief §5', 'the asOf date', 'by recorded in Aftercare']) {
      expect(kinds(`<p>${note}</p>`), note).toContain('internal note');
    }
    expect(kinds('<p>E54000901 is the responsible ICB</p>')).toEqual(['code without a name']);
    expect(kinds('<p>discharged to E06000030</p>')).toEqual(['code without a name']);
  });

  it('accepts a code beside its name, or described as outside the partnership', () => {
    expect(kinds('<p>Northvale Council (E06000901)</p>')).toEqual([]);
    expect(kinds('<p>a local authority outside this partnership (code E06000030)</p>')).toEqual([]);
    expect(kinds('<p>ONS code, like E06000030 for Swindon</p>')).toEqual([]);
  });

  it('takes its reason codes from the rules engine’s catalogues', () => {
    expect(reasonCodes).toEqual(expect.arrayContaining(['time-elapsed', 'refuses-services', 'no-longer-in-need', 'regraded-informal', 'review-overdue', 'ending-while-cto']));
    expect(reasonCodes.every((c) => c.includes('-'))).toBe(true);
  });
});
