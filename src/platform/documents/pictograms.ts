import { readFileSync } from 'node:fs';

/**
 * Pictures for easy read documents: a small set of OpenMoji pictograms (https://openmoji.org,
 * CC BY-SA 4.0), shipped as their SVG files in assets/pictograms/ with the licence beside them
 * (only the ones used here are copied from the `openmoji` package, version 17.0.0).
 *
 * The same picture is drawn in the PDF (as vector paths, through `pictogramShapes`) and
 * inlined in the HTML page (`pictogramSvg`), so both versions look the same. A picture sits
 * beside text that says the same thing, so it is decoration for assistive technology: an
 * artifact in the PDF, `aria-hidden` in HTML.
 */

/** Each picture, by the idea it stands for, with its OpenMoji code point and name. */
export const pictograms = {
  hospital: { code: '1F3E5', name: 'hospital' },
  home: { code: '1F3E0', name: 'house' },
  together: { code: '1F91D', name: 'handshake' },
  people: { code: '1F465', name: 'busts in silhouette' },
  person: { code: '1F464', name: 'bust in silhouette' },
  calendar: { code: '1F4C5', name: 'calendar' },
  money: { code: '1F4B7', name: 'pound banknote' },
  talk: { code: '1F4AC', name: 'speech balloon' },
  phone: { code: '1F4DE', name: 'telephone receiver' },
  letter: { code: '2709', name: 'envelope' },
  question: { code: '2753', name: 'red question mark' },
  document: { code: '1F4C4', name: 'page facing up' },
  stop: { code: '1F6D1', name: 'stop sign' },
  good: { code: '1F44D', name: 'thumbs up' },
  yes: { code: '2705', name: 'check mark button' },
  no: { code: '1F6AB', name: 'prohibited' },
  fair: { code: '2696', name: 'balance scale' },
  complain: { code: '1F4E3', name: 'megaphone' },
} as const;

export type Pictogram = keyof typeof pictograms;

export const pictogramNames = Object.keys(pictograms) as Pictogram[];

export function isPictogram(value: string): value is Pictogram {
  return Object.hasOwn(pictograms, value);
}

/** The credit every document with pictures carries (CC BY-SA 4.0 asks for it). */
export const PICTOGRAM_CREDIT = 'Pictures: OpenMoji (openmoji.org), licensed under CC BY-SA 4.0.';

const folder = new URL('../../../assets/pictograms/', import.meta.url);
const cache = new Map<Pictogram, string>();

/** The shipped SVG file's text. */
export function pictogramFile(name: Pictogram): string {
  let svg = cache.get(name);
  if (svg === undefined) {
    svg = readFileSync(new URL(`${pictograms[name].code}.svg`, folder), 'utf8');
    cache.set(name, svg);
  }
  return svg;
}

/** The picture as inline SVG for an HTML page: hidden from assistive technology, no ids (they would repeat on the page). */
export function pictogramSvg(name: Pictogram, sizePx = 64): string {
  return pictogramFile(name)
    .replace(/\s+id="[^"]*"/g, '')
    .replace(/<svg\b/, `<svg width="${sizePx}" height="${sizePx}" aria-hidden="true" focusable="false" class="app-pictogram"`)
    .replace(/>\s+</g, '><')
    .trim();
}

export type ShapeKind = 'rect' | 'circle' | 'ellipse' | 'line' | 'polyline' | 'polygon' | 'path';

/** One drawing element of a pictogram, with its attributes. */
export interface Shape {
  kind: ShapeKind;
  attrs: Record<string, string>;
}

const SHAPE = /<(rect|circle|ellipse|line|polyline|polygon|path)\b([^>]*?)\/?>/g;
const ATTR = /([a-zA-Z][a-zA-Z0-9-]*)="([^"]*)"/g;
const OTHER_ELEMENT = /<(?!\/?(?:svg|g|rect|circle|ellipse|line|polyline|polygon|path)\b)[a-zA-Z]/;

/** The drawing elements of a shipped pictogram, in painting order. Refuses SVG features the PDF drawer does not support. */
export function pictogramShapes(name: Pictogram): Shape[] {
  const svg = pictogramFile(name);
  if (OTHER_ELEMENT.test(svg)) throw new Error(`Pictogram ${name} uses an SVG element the PDF drawer does not support`);
  if (/<g\b[^>]*\btransform=/.test(svg)) throw new Error(`Pictogram ${name} transforms a group, which the PDF drawer does not support`);
  const shapes: Shape[] = [];
  for (const m of svg.matchAll(SHAPE)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(ATTR)) attrs[a[1]!] = a[2]!;
    shapes.push({ kind: m[1] as ShapeKind, attrs });
  }
  return shapes;
}

/** An SVG transform list as one matrix [a, b, c, d, e, f]. */
export function parseTransform(value: string): [number, number, number, number, number, number] {
  let m: [number, number, number, number, number, number] = [1, 0, 0, 1, 0, 0];
  const multiply = (n: [number, number, number, number, number, number]) => {
    const [a, b, c, d, e, f] = m;
    m = [a * n[0] + c * n[1], b * n[0] + d * n[1], a * n[2] + c * n[3], b * n[2] + d * n[3], a * n[4] + c * n[5] + e, b * n[4] + d * n[5] + f];
  };
  for (const t of value.matchAll(/(matrix|translate|scale|rotate)\s*\(([^)]*)\)/g)) {
    const n = t[2]!.split(/[\s,]+/).filter(Boolean).map(Number);
    switch (t[1] as 'matrix' | 'translate' | 'scale' | 'rotate') {
      case 'matrix':
        multiply([n[0]!, n[1]!, n[2]!, n[3]!, n[4]!, n[5]!]);
        break;
      case 'translate':
        multiply([1, 0, 0, 1, n[0] ?? 0, n[1] ?? 0]);
        break;
      case 'scale':
        multiply([n[0]!, 0, 0, n[1] ?? n[0]!, 0, 0]);
        break;
      case 'rotate': {
        const r = ((n[0] ?? 0) * Math.PI) / 180;
        const [cx, cy] = [n[1] ?? 0, n[2] ?? 0];
        multiply([1, 0, 0, 1, cx, cy]);
        multiply([Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]);
        multiply([1, 0, 0, 1, -cx, -cy]);
        break;
      }
    }
  }
  return m;
}
