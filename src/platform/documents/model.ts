import type { Pictogram } from './pictograms.ts';

/**
 * A small, format-neutral model of a document for the person (a statement, a plan, a letter).
 * The same model is rendered as a tagged PDF (`renderPdf` in pdf.ts) and as an HTML page
 * (a Nunjucks template walks the blocks), so both versions say exactly the same thing.
 *
 * Text is plain: no markup. A paragraph may hold line breaks ("\n"), for addresses.
 */
export interface DocumentModel {
  title: string;
  /** BCP 47 language tag of the document, e.g. 'en-GB'. */
  language: string;
  subject?: string;
  /** The organisation (or person) responsible for the document. */
  author: string;
  /** Large print: body text 18pt or more, headings larger, generous spacing. */
  largePrint?: boolean;
  /** Easy read: large body text (16pt or more), one idea per line, a picture beside each point. */
  easyRead?: boolean;
  blocks: Block[];
}

export type HeadingLevel = 1 | 2 | 3;

export interface HeadingBlock {
  kind: 'heading';
  level: HeadingLevel;
  text: string;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  text: string;
  /** Shown in bold: for the one thing a reader must not miss. */
  strong?: boolean;
}

export interface ListBlock {
  kind: 'list';
  items: string[];
  ordered?: boolean;
}

/** Key and value rows ("Entitled from: 1 March 2026"): a two-column table with row headers. */
export interface SummaryBlock {
  kind: 'summary';
  rows: Array<{ key: string; value: string }>;
}

export interface TableBlock {
  kind: 'table';
  caption: string;
  head: string[];
  rows: string[][];
  /** The first cell of every row heads that row (e.g. "Weekly", "Yearly"). */
  rowHeaders?: boolean;
}

/** Set apart from the text around it (GOV.UK inset text). */
export interface InsetBlock {
  kind: 'inset';
  text: string;
}

/** Start a new page in print (a covering letter, then the document it covers). */
export interface PageBreakBlock {
  kind: 'page-break';
}

/**
 * Easy read: one point, a picture beside it (assets/pictograms) and one short idea per line.
 * The picture is decoration for assistive technology: the lines say everything.
 */
export interface PointBlock {
  kind: 'point';
  picture: Pictogram;
  lines: string[];
  /** Shown in bold: for the one thing a reader must not miss. */
  strong?: boolean;
}

export type Block = HeadingBlock | ParagraphBlock | ListBlock | SummaryBlock | TableBlock | InsetBlock | PageBreakBlock | PointBlock;

export const blockKinds = ['heading', 'paragraph', 'list', 'summary', 'table', 'inset', 'page-break', 'point'] as const satisfies ReadonlyArray<Block['kind']>;

/** Helpers that keep builders short and readable. */
export const h1 = (text: string): HeadingBlock => ({ kind: 'heading', level: 1, text });
export const h2 = (text: string): HeadingBlock => ({ kind: 'heading', level: 2, text });
export const h3 = (text: string): HeadingBlock => ({ kind: 'heading', level: 3, text });
export const p = (text: string, strong = false): ParagraphBlock => (strong ? { kind: 'paragraph', text, strong } : { kind: 'paragraph', text });
export const list = (items: string[], ordered = false): ListBlock => (ordered ? { kind: 'list', items, ordered } : { kind: 'list', items });
export const summary = (rows: Array<{ key: string; value: string }>): SummaryBlock => ({ kind: 'summary', rows });
export const table = (caption: string, head: string[], rows: string[][], rowHeaders = false): TableBlock => (rowHeaders ? { kind: 'table', caption, head, rows, rowHeaders } : { kind: 'table', caption, head, rows });
export const inset = (text: string): InsetBlock => ({ kind: 'inset', text });
export const pageBreak = (): PageBreakBlock => ({ kind: 'page-break' });
export const point = (picture: Pictogram, ...lines: string[]): PointBlock => ({ kind: 'point', picture, lines });
export const strongPoint = (picture: Pictogram, ...lines: string[]): PointBlock => ({ kind: 'point', picture, lines, strong: true });

/** Every piece of text in reading order, one string per line: for plain-text previews and checks. */
export function plainText(doc: DocumentModel): string {
  const lines: string[] = [];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'heading':
      case 'paragraph':
      case 'inset':
        lines.push(b.text);
        break;
      case 'list':
        lines.push(...b.items);
        break;
      case 'point':
        lines.push(...b.lines);
        break;
      case 'summary':
        lines.push(...b.rows.map((r) => `${r.key}: ${r.value}`));
        break;
      case 'table':
        lines.push(b.caption, b.head.join(' | '), ...b.rows.map((r) => r.join(' | ')));
        break;
      case 'page-break':
        break;
    }
  }
  return lines.join('\n');
}
