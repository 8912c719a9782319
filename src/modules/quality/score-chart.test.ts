import { describe, expect, it } from 'vitest';
import { percentText, scoreChart } from './score-chart.ts';

describe('scoreChart', () => {
  it('is an image with a title and a description naming every snapshot', () => {
    const svg = scoreChart('Score over time', [{ label: '24 Oct 2026', tenths: 875 }, { label: '24 Nov 2026', tenths: 1000 }], { id: 's' });
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="s-title s-desc"');
    expect(svg).toContain('<title id="s-title">Score over time</title>');
    expect(svg).toContain('<desc id="s-desc">24 Oct 2026: 87.5%; 24 Nov 2026: 100.0%</desc>');
    expect(svg.match(/<rect /g)).toHaveLength(2);
  });

  it('draws a full score to the top line and no score to nothing', () => {
    const svg = scoreChart('S', [{ label: 'a', tenths: 1000 }, { label: 'b', tenths: 0 }], { id: 't', width: 640 });
    // top = 24, plot height = 240 - 24 - 44 = 172.
    expect(svg).toContain('y="24.0" width="');
    expect(svg).toMatch(/y="196\.0" width="[\d.]+" height="0\.0"/);
    expect(scoreChart('S', [], { id: 'u' })).toContain('No snapshots yet.');
  });

  it('escapes text and formats tenths', () => {
    expect(scoreChart('<S>', [], { id: 'v' })).toContain('&lt;S&gt;');
    expect(percentText(875)).toBe('87.5%');
    expect(percentText(0)).toBe('0.0%');
  });
});
