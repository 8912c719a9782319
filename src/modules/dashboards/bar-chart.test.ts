import { describe, expect, it } from 'vitest';
import { barChart } from './bar-chart.ts';

describe('barChart', () => {
  it('is an accessible image naming every bar', () => {
    const svg = barChart('Reviews', [{ label: 'Overdue', value: 3 }, { label: 'Due <30 days', value: 6, display: 'six' }], { id: 'c' });
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="c-title">Reviews: Overdue 3; Due &lt;30 days six</title>');
    expect(svg).toContain('aria-label="Reviews: Overdue 3; Due &lt;30 days six"');
    expect(svg.match(/<rect /g)).toHaveLength(2);
  });
  it('draws the largest bar full width and copes with no data', () => {
    expect(barChart('X', [{ label: 'a', value: 10 }], { width: 500, id: 'x' })).toContain('width="200"');
    expect(barChart('Y', [], { id: 'y' })).toContain('Y: no data');
  });
});
