import type { Permission } from '../../platform/access/policy.ts';
import { barChart, type Bar } from './bar-chart.ts';

/** A chart and the table of the same data, as the dashboard templates draw them. */
export interface Cell {
  text: string;
  href?: string | null;
  /** Right-aligned numeric cell. */
  numeric?: boolean;
  /** A data-qa hook for tests. */
  qa?: string;
}

export interface ChartBlock {
  id: string;
  title: string;
  svg: string | null;
  headers: Array<{ text: string; numeric?: boolean }>;
  rows: Cell[][];
  note?: string;
  /** A link under the table (shown only to viewers who hold the permission, when one is named). */
  link?: { href: string; text: string; permission?: Permission };
}

export function chartBlock(id: string, title: string, headers: ChartBlock['headers'], rows: Cell[][], bars: Bar[] | null, note?: string): ChartBlock {
  return { id, title, headers, rows, svg: bars ? barChart(title, bars, { id: `${id}-chart` }) : null, ...(note ? { note } : {}) };
}

export const n = (value: number): string => value.toLocaleString('en-GB');
