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

export function barChart(title: string, bars: readonly Bar[], options: { width?: number; id?: string } = {}): string {
  const width = options.width ?? 560;
  const id = options.id ?? `chart-${++sequence}`;
  const labelWidth = Math.round(width * 0.42);
  const valueWidth = 90;
  const barArea = Math.max(40, width - labelWidth - valueWidth);
  const rowHeight = 28;
  const height = Math.max(1, bars.length) * rowHeight + 8;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const shown = (b: Bar) => b.display ?? b.value.toLocaleString('en-GB');
  const summary = bars.length === 0 ? `${title}: no data` : `${title}: ${bars.map((b) => `${b.label} ${shown(b)}`).join('; ')}`;
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowHeight;
    const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * barArea)) : 0;
    const label = b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label;
    return (
      `<text x="${labelWidth - 6}" y="${y + 18}" text-anchor="end" font-size="14" fill="#0b0c0c">${escapeXml(label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 10}" fill="#1d70b8"></rect>` +
      `<text x="${labelWidth + w + 6}" y="${y + 18}" font-size="14" fill="#0b0c0c">${escapeXml(shown(b))}</text>`
    );
  });
  if (bars.length === 0) rows.push(`<text x="0" y="20" font-size="14" fill="#0b0c0c">No data</text>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-bar-chart" role="img" aria-labelledby="${id}-title" aria-label="${escapeXml(summary)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" focusable="false">` +
    `<title id="${id}-title">${escapeXml(summary)}</title>` +
    `<g aria-hidden="true">${rows.join('')}</g></svg>`
  );
}
