/**
 * A horizontal bar chart as SVG markup, rendered on the server: no JavaScript, readable by a
 * screen reader (role="img" with a <title> and an aria-label summarising every bar), and always
 * paired on the page with a table of the same data. Pure: data in, markup out.
 */

export interface Bar {
  label: string;
  value: number;
  /** The value as shown (e.g. "£1,234.00"); the number otherwise. */
  display?: string;
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

let sequence = 0;

/**
 * An upper bound on the width of a character of the chart's 14px labels (GDS Transport and its
 * fallbacks average about 7px; capitals and wide letters reach 9px), so a line of this many
 * characters always fits the label column.
 */
export const LABEL_CHAR_PX = 8.5;
const LINE_HEIGHT = 17;
const MAX_LINES = 3;

/**
 * A label in lines that fit `maxChars` (broken between words; a word longer than a line is cut),
 * at most three, the last ending "…" if the label is longer. The full label is in the chart's
 * title and in the table beside it.
 */
export function labelLines(label: string, maxChars: number): string[] {
  const words = label.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= maxChars) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word.length <= maxChars ? word : `${word.slice(0, maxChars - 1)}…`;
  }
  if (line) lines.push(line);
  if (lines.length <= MAX_LINES) return lines;
  const kept = lines.slice(0, MAX_LINES);
  const last = kept[MAX_LINES - 1]!;
  kept[MAX_LINES - 1] = last.length < maxChars ? `${last}…` : `${last.slice(0, maxChars - 1)}…`;
  return kept;
}

export function barChart(title: string, bars: readonly Bar[], options: { width?: number; id?: string } = {}): string {
  const width = options.width ?? 560;
  const id = options.id ?? `chart-${++sequence}`;
  const labelWidth = Math.round(width * 0.42);
  const valueWidth = 90;
  const barArea = Math.max(40, width - labelWidth - valueWidth);
  // Labels are right-aligned against the bars, so one wider than its column ran off the left edge
  // of the chart (issue 13, item 8): each is broken into lines that fit, and its row grows to hold them.
  const maxChars = Math.floor((labelWidth - 12) / LABEL_CHAR_PX);
  const max = Math.max(0, ...bars.map((b) => b.value));
  const shown = (b: Bar) => b.display ?? b.value.toLocaleString('en-GB');
  const summary = bars.length === 0 ? `${title}: no data` : `${title}: ${bars.map((b) => `${b.label} ${shown(b)}`).join('; ')}`;
  let y = 4;
  const rows = bars.map((b) => {
    const lines = labelLines(b.label, maxChars);
    const rowHeight = Math.max(28, lines.length * LINE_HEIGHT + 11);
    const middle = y + rowHeight / 2;
    const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * barArea)) : 0;
    const firstBaseline = Math.round(middle + 5 - ((lines.length - 1) * LINE_HEIGHT) / 2);
    const tspans = lines.map((line, i) => `<tspan x="${labelWidth - 6}" y="${firstBaseline + i * LINE_HEIGHT}">${escapeXml(line)}</tspan>`).join('');
    const row =
      `<text text-anchor="end" font-size="14" fill="#0b0c0c">${tspans}</text>` +
      `<rect x="${labelWidth}" y="${Math.round(middle - 9)}" width="${w}" height="18" fill="#1d70b8"></rect>` +
      `<text x="${labelWidth + w + 6}" y="${Math.round(middle + 5)}" font-size="14" fill="#0b0c0c">${escapeXml(shown(b))}</text>`;
    y += rowHeight;
    return row;
  });
  const height = Math.max(y, 32) + 4;
  if (bars.length === 0) rows.push(`<text x="0" y="20" font-size="14" fill="#0b0c0c">No data</text>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-bar-chart" role="img" aria-labelledby="${id}-title" aria-label="${escapeXml(summary)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" focusable="false">` +
    `<title id="${id}-title">${escapeXml(summary)}</title>` +
    `<g aria-hidden="true">${rows.join('')}</g></svg>`
  );
}
