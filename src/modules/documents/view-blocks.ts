import type { Block } from '../../platform/documents/model.ts';
import { pictogramSvg } from '../../platform/documents/pictograms.ts';

/**
 * A DocumentModel's blocks with what the GOV.UK macros expect (summary rows, table head and
 * rows) worked out, so the template (views/_blocks.njk) only walks them.
 */
export type ViewBlock =
  | Exclude<Block, { kind: 'summary' } | { kind: 'table' } | { kind: 'point' }>
  | { kind: 'point'; svg: string; lines: string[]; strong: boolean }
  | { kind: 'summary'; govukRows: Array<{ key: { text: string }; value: { text: string } }> }
  | { kind: 'table'; caption: string; rowHeaders: boolean; govukHead: Array<{ text: string }>; govukRows: Array<Array<{ text: string }>> };

export function viewBlocks(blocks: readonly Block[]): ViewBlock[] {
  return blocks.map((b): ViewBlock => {
    if (b.kind === 'summary') return { kind: 'summary', govukRows: b.rows.map((r) => ({ key: { text: r.key }, value: { text: r.value } })) };
    if (b.kind === 'table') {
      return { kind: 'table', caption: b.caption, rowHeaders: b.rowHeaders ?? false, govukHead: b.head.map((text) => ({ text })), govukRows: b.rows.map((r) => r.map((text) => ({ text }))) };
    }
    if (b.kind === 'point') return { kind: 'point', svg: pictogramSvg(b.picture), lines: b.lines, strong: b.strong ?? false };
    return b;
  });
}
