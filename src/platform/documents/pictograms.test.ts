import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTransform, PICTOGRAM_CREDIT, pictogramNames, pictograms, pictogramShapes, pictogramSvg } from './pictograms.ts';

/** The attributes each shape needs for the PDF drawer to draw it where the SVG does. */
const geometry: Record<string, string[]> = {
  rect: ['width', 'height'],
  circle: ['cx', 'cy', 'r'],
  ellipse: ['cx', 'cy', 'rx', 'ry'],
  line: ['x1', 'y1', 'x2', 'y2'],
  polyline: ['points'],
  polygon: ['points'],
  path: ['d'],
};

describe('the easy read pictures (OpenMoji)', () => {
  it('ships every picture used, with the CC BY-SA 4.0 licence and an attribution beside them', () => {
    for (const name of pictogramNames) expect(existsSync(new URL(`../../../assets/pictograms/${pictograms[name].code}.svg`, import.meta.url)), name).toBe(true);
    expect(readFileSync(new URL('../../../assets/pictograms/LICENSE.txt', import.meta.url), 'utf8')).toContain('Attribution-ShareAlike 4.0 International');
    const readme = readFileSync(new URL('../../../assets/pictograms/README.md', import.meta.url), 'utf8');
    expect(readme).toContain(PICTOGRAM_CREDIT);
    for (const name of pictogramNames) expect(readme, name).toContain(`\`${pictograms[name].code}.svg\``);
  });

  it('reads every shape of every picture with its geometry, so the PDF draws what the SVG shows', () => {
    for (const name of pictogramNames) {
      const shapes = pictogramShapes(name);
      expect(shapes.length, name).toBeGreaterThan(0);
      for (const shape of shapes) for (const attr of geometry[shape.kind]!) expect(shape.attrs[attr], `${name}: ${shape.kind} without ${attr}`).toBeDefined();
    }
  });

  it('inlines a picture in a page hidden from screen readers, without ids that would repeat', () => {
    const svg = pictogramSvg('calendar');
    expect(svg).toMatch(/^<svg width="64" height="64" aria-hidden="true" focusable="false" class="app-pictogram"/);
    expect(svg).not.toMatch(/\sid="/);
  });

  it('reads SVG transforms as one matrix', () => {
    expect(parseTransform('scale(-1,1)')).toEqual([-1, 0, 0, 1, 0, 0]);
    expect(parseTransform('translate(10 5) scale(2)')).toEqual([2, 0, 0, 2, 10, 5]);
    expect(parseTransform('matrix(-.9831 .1829 .1829 .9831 0 0)')).toEqual([-0.9831, 0.1829, 0.1829, 0.9831, 0, 0]);
  });
});
