/**
 * "Score over time" as a column chart in SVG, rendered on the server: no JavaScript, an image
 * with a title and a description naming every point (role="img", aria-labelledby), and always
 * shown beside a table of the same data. Pure: points in, markup out.
 */

export interface ScorePoint {
  /** The label under the column, e.g. "24 Nov 2026". */
  label: string;
  /** Score in tenths of a percent (875 = 87.5%). */
  tenths: number;
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const percentText = (tenths: number): string => `${(tenths / 10).toFixed(1)}%`;

export function scoreChart(title: string, points: readonly ScorePoint[], options: { id: string; width?: number } = { id: 'score-chart' }): string {
  const width = options.width ?? 640;
  const height = 240;
  const left = 44;
  const bottom = 44;
  const top = 24;
  const plotHeight = height - top - bottom;
  const plotWidth = width - left - 8;
  const slot = plotWidth / Math.max(1, points.length);
  const barWidth = Math.max(4, Math.min(40, slot * 0.6));
  const id = options.id;
  const description = points.length === 0 ? 'No snapshots yet.' : points.map((p) => `${p.label}: ${percentText(p.tenths)}`).join('; ');
  const y = (tenths: number) => top + plotHeight - (Math.max(0, Math.min(1000, tenths)) / 1000) * plotHeight;
  const grid = [0, 250, 500, 750, 1000]
    .map((v) => `<line x1="${left}" x2="${width - 8}" y1="${y(v)}" y2="${y(v)}" stroke="#b1b4b6" stroke-width="1"></line><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="12" fill="#0b0c0c">${v / 10}%</text>`)
    .join('');
  const columns = points
    .map((p, i) => {
      const cx = left + slot * i + slot / 2;
      const top = y(p.tenths);
      return (
        `<rect x="${(cx - barWidth / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(0) - top).toFixed(1)}" fill="#1d70b8"></rect>` +
        `<text x="${cx.toFixed(1)}" y="${(top - 4).toFixed(1)}" text-anchor="middle" font-size="11" fill="#0b0c0c">${escapeXml(percentText(p.tenths))}</text>` +
        `<text x="${cx.toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11" fill="#0b0c0c">${escapeXml(p.label.split(' ').slice(0, 2).join(' '))}</text>` +
        `<text x="${cx.toFixed(1)}" y="${height - bottom + 30}" text-anchor="middle" font-size="11" fill="#0b0c0c">${escapeXml(p.label.split(' ').slice(2).join(' '))}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-score-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" focusable="false">` +
    `<title id="${id}-title">${escapeXml(title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(description)}</desc>` +
    `<g aria-hidden="true">${grid}${columns}</g></svg>`
  );
}
