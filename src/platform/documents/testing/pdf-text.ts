/**
 * For tests only: read a PDF back the way assistive technology and a reader would, with
 * Mozilla's PDF.js (pdfjs-dist, legacy build for Node, a devDependency). Works offline:
 * nothing is fetched, text extraction needs no font files.
 */
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface ExtractedPdf {
  /**
   * The text a screen reader would read, one line per heading, paragraph, list item or table
   * cell: page numbers and other artifacts left out, lines wrapped by the layout joined again.
   */
  text: string;
  /** Every piece of text, artifacts included, page by page. */
  pages: string[];
  /** What a screen reader reads, page by page (one line per heading, paragraph, item or cell). */
  spokenPages: string[];
  info: Record<string, unknown>;
  pageCount: number;
  /** Structure element roles in reading order ("H1", "P", "L", "Table"…). */
  structureRoles: string[];
  /** Font sizes (points) of every text run that is not an artifact. */
  fontSizes: number[];
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
  type?: string;
  tag?: string;
}

interface StructNode {
  role?: string;
  children?: StructNode[];
}

function roles(node: StructNode | null, out: string[]): string[] {
  if (!node) return out;
  if (node.role && node.role !== 'Root') out.push(node.role);
  for (const c of node.children ?? []) roles(c, out);
  return out;
}

export async function extractPdf(bytes: Buffer | Uint8Array): Promise<ExtractedPdf> {
  const loading = getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, useSystemFonts: false, disableFontFace: true });
  const pdf: PDFDocumentProxy = await loading.promise;
  try {
    const pages: string[] = [];
    const read: string[] = [];
    const structureRoles: string[] = [];
    const fontSizes: number[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent({ includeMarkedContent: true });
      let all = '';
      // One line per piece of marked content (a heading, a paragraph, a list item's body, a
      // table cell): lines wrapped by the layout are joined again, as a screen reader reads them.
      let spoken = '';
      let current = '';
      const stack: boolean[] = [];
      const flush = () => {
        const line = current.replace(/\s+/g, ' ').trim();
        if (line) spoken += `${line}\n`;
        current = '';
      };
      for (const raw of content.items as TextItemLike[]) {
        if (raw.type === 'beginMarkedContent' || raw.type === 'beginMarkedContentProps') {
          flush();
          stack.push(raw.tag === 'Artifact');
          continue;
        }
        if (raw.type === 'endMarkedContent') {
          flush();
          stack.pop();
          continue;
        }
        const str = raw.str ?? '';
        all += str + (raw.hasEOL ? '\n' : '');
        if (stack.includes(true)) continue;
        current += str + (raw.hasEOL ? ' ' : '');
        if (str.trim() && raw.transform) fontSizes.push(Math.round(Math.hypot(raw.transform[0]!, raw.transform[1]!) * 10) / 10);
      }
      flush();
      pages.push(all);
      read.push(spoken);
      roles((await page.getStructTree()) as StructNode | null, structureRoles);
    }
    const meta = await pdf.getMetadata();
    return {
      text: read.join('\n'),
      pages,
      spokenPages: read,
      info: meta.info as Record<string, unknown>,
      pageCount: pdf.numPages,
      structureRoles,
      fontSizes,
    };
  } finally {
    await pdf.destroy();
  }
}

/** The PDF's own dictionaries as text (pdfkit writes them uncompressed): for checking tags. */
export function rawPdf(bytes: Buffer): string {
  return bytes.toString('latin1');
}
