import { describe, expect, it } from 'vitest';
import { barChart, LABEL_CHAR_PX, labelLines } from './bar-chart.ts';

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

describe('barChart labels (issue 13, item 8: labels were cut off on the left)', () => {
  const long = 'Personal budget (direct payment) for supported living with 24-hour staffing and night cover';
  it('breaks a long label into lines that fit the label column, and gives its row the height', () => {
    const width = 560;
    const svg = barChart('Cost', [{ label: long, value: 5 }, { label: 'Home care', value: 3 }], { width, id: 'l' });
    const labelX = Number(/<tspan x="(\d+)"/.exec(svg)![1]);
    const lines = [...svg.matchAll(/<tspan x="\d+" y="\d+">([^<]*)<\/tspan>/g)].map((m) => m[1]!);
    expect(lines.length).toBeGreaterThan(2);
    // Right-aligned at labelX: every line's widest possible extent starts inside the chart.
    for (const line of lines) expect(labelX - line.length * LABEL_CHAR_PX, line).toBeGreaterThanOrEqual(0);
    const height = Number(/viewBox="0 0 \d+ (\d+)"/.exec(svg)![1]);
    const baselines = [...svg.matchAll(/ y="(\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...baselines)).toBeLessThan(height);
  });

  it('keeps every word it can, and ends a label too long for three lines with an ellipsis', () => {
    expect(labelLines('Supported living', 27)).toEqual(['Supported living']);
    expect(labelLines('Supported living (24-hour staffed)', 20)).toEqual(['Supported living', '(24-hour staffed)']);
    const lines = labelLines(`${long} ${long}`, 20);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.endsWith('…')).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
    expect(labelLines('Averyveryveryverylongwordindeed', 10)).toEqual(['Averyvery…']);
  });
});
