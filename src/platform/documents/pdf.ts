import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import type { Block, DocumentModel, HeadingBlock, InsetBlock, ListBlock, ParagraphBlock, PointBlock, SummaryBlock, TableBlock } from './model.ts';
import { parseTransform, pictogramShapes, type Pictogram, type Shape } from './pictograms.ts';

/**
 * Renders a DocumentModel as a tagged PDF, made with PDF/UA in mind:
 *  - tagged (`/MarkInfo << /Marked true >>`) with a structure tree under one Document element:
 *    H1–H3, P, L/LI/Lbl/LBody, Table/Caption/TR/TH/TD (row and column header scopes), Div;
 *  - the document language (`/Lang`), title, author and subject in the info dictionary, and
 *    the title (not the file name) shown by viewers (`/DisplayDocTitle true`);
 *  - page numbers and decoration marked as artifacts, so assistive technology skips them;
 *  - no images: easy read pictures are vector drawings marked as artifacts (the text beside
 *    them says the same); text in the standard Helvetica fonts, near-black on white;
 *  - large print: body text 18pt, headings 24–32pt, every piece of text 18pt or more;
 *  - easy read: every piece of text 16pt or more, a picture beside each point;
 *  - a heading is kept with the start of what follows it (never alone at the foot of a page).
 *
 * The standard fonts are not embedded, so the file does not claim PDF/UA conformance; the
 * structure is what a screen reader needs. pdfkit ships the font metrics, so nothing is
 * fetched at run time.
 */

interface Scale {
  body: number;
  h1: number;
  h2: number;
  h3: number;
  /** Page numbers and captions. */
  small: number;
  /** Extra space between lines, as a fraction of the font size. */
  lineGap: number;
  /** Space after a paragraph, in lines. */
  after: number;
}

const scales = {
  standard: { body: 12, h1: 24, h2: 18, h3: 14, small: 10, lineGap: 0.25, after: 0.6 },
  easyRead: { body: 16, h1: 28, h2: 22, h3: 18, small: 16, lineGap: 0.4, after: 0.8 },
  largePrint: { body: 18, h1: 32, h2: 26, h3: 22, small: 18, lineGap: 0.4, after: 0.7 },
} satisfies Record<string, Scale>;

export function scaleFor(doc: Pick<DocumentModel, 'largePrint' | 'easyRead'>): Scale {
  if (doc.largePrint) return scales.largePrint;
  if (doc.easyRead) return scales.easyRead;
  return scales.standard;
}

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const TEXT = '#0b0c0c';
const RULE = '#b1b4b6';
const MARGIN = { top: 64, bottom: 64, left: 64, right: 64 };

type Pdf = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

/** What pdfkit's table accepts beyond its published types (header scope, structure parent). */
type AccessibleCell = PDFKit.Mixins.CellOptions & { scope?: 'Row' | 'Column' | 'Both' };
interface TableWithStruct {
  row(data: AccessibleCell[]): TableWithStruct;
  end(): Pdf;
  _tableStruct?: Struct;
}

class Renderer {
  readonly width: number;
  readonly left: number;

  constructor(
    readonly pdf: Pdf,
    readonly scale: Scale,
  ) {
    this.left = pdf.page.margins.left;
    this.width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
  }

  private get bottom(): number {
    return this.pdf.page.height - this.pdf.page.margins.bottom;
  }

  private lineHeight(size: number): number {
    return size * (1.2 + this.scale.lineGap);
  }

  /** Start a new page unless `height` points still fit on this one. */
  private ensureSpace(height: number): void {
    if (this.pdf.y + height > this.bottom && this.pdf.y > this.pdf.page.margins.top + 1) {
      this.pdf.addPage();
    }
    this.pdf.x = this.left;
  }

  private textOptions(size: number, extra: PDFKit.Mixins.TextOptions = {}): PDFKit.Mixins.TextOptions {
    return { width: this.width, lineGap: size * this.scale.lineGap, ...extra };
  }

  /** A structure element whose marked content is drawn by `draw`. */
  private element(parent: Struct, tag: string, draw: () => void): Struct {
    const el = this.pdf.struct(tag);
    parent.add(el);
    el.add(draw);
    el.end();
    return el;
  }

  /** Decoration: marked as an artifact so it is not read out. */
  private artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
    this.pdf.markContent('Artifact', { type });
    draw();
    this.pdf.endMarkedContent();
  }

  /**
   * The height the start of a block needs on a page: what its own rendering asks to fit before
   * it begins. A heading reserves this for the block after it, so it is never stranded.
   */
  startHeight(b: Block | undefined, after: Block | undefined): number {
    const pdf = this.pdf;
    const size = this.scale.body;
    if (!b) return 0;
    switch (b.kind) {
      case 'heading': {
        const hSize = this.headingSize(b);
        pdf.font(BOLD).fontSize(hSize);
        return hSize * (b.level === 1 ? 0.2 : 0.6) + pdf.heightOfString(b.text, this.textOptions(hSize)) + hSize * 0.35 + this.startHeight(after, undefined);
      }
      case 'paragraph':
        return this.lineHeight(size) * Math.min(2, b.text.split('\n').length);
      case 'list':
        return this.lineHeight(size) * Math.min(2, b.items.length);
      case 'summary':
        return this.lineHeight(size) * 2.5;
      case 'table': {
        pdf.font(BOLD).fontSize(size);
        return pdf.heightOfString(b.caption, this.textOptions(size)) + size * 0.4 + this.lineHeight(size) * 4;
      }
      case 'inset':
        return this.lineHeight(size) * 2 + size * 0.6;
      case 'point':
        return Math.max(this.pictureSize(), this.lineHeight(size) * Math.min(2, b.lines.length));
      case 'page-break':
        return 0;
    }
  }

  block(parent: Struct, b: Block, next?: Block, afterNext?: Block): void {
    switch (b.kind) {
      case 'heading':
        this.heading(parent, b, this.startHeight(next, afterNext));
        break;
      case 'point':
        this.point(parent, b);
        break;
      case 'paragraph':
        this.paragraph(parent, b);
        break;
      case 'list':
        this.list(parent, b);
        break;
      case 'summary':
        this.summary(parent, b);
        break;
      case 'table':
        this.table(parent, b);
        break;
      case 'inset':
        this.inset(parent, b);
        break;
      case 'page-break':
        if (this.pdf.y > this.pdf.page.margins.top + 1) this.pdf.addPage();
        this.pdf.x = this.left;
        break;
    }
  }

  private headingSize(b: HeadingBlock): number {
    return b.level === 1 ? this.scale.h1 : b.level === 2 ? this.scale.h2 : this.scale.h3;
  }

  /** A heading, kept with `keepWith` points of what follows (the start of the next block, as that block would ask for it). */
  heading(parent: Struct, b: HeadingBlock, keepWith = 2 * this.lineHeight(this.scale.body)): void {
    const size = this.headingSize(b);
    const pdf = this.pdf;
    // Space above (not at the top of a page), and keep the heading with the start of what follows.
    if (pdf.y > pdf.page.margins.top + 1) pdf.y += size * (b.level === 1 ? 0.2 : 0.6);
    pdf.font(BOLD).fontSize(size);
    this.ensureSpace(pdf.heightOfString(b.text, this.textOptions(size)) + size * 0.35 + keepWith);
    this.element(parent, `H${b.level}`, () => {
      pdf.font(BOLD).fontSize(size).fillColor(TEXT).text(b.text, this.left, pdf.y, this.textOptions(size));
    });
    pdf.y += size * 0.35;
  }

  paragraph(parent: Struct, b: ParagraphBlock): void {
    const pdf = this.pdf;
    const size = this.scale.body;
    this.ensureSpace(this.lineHeight(size) * Math.min(2, b.text.split('\n').length));
    this.element(parent, 'P', () => {
      pdf.font(b.strong ? BOLD : REGULAR).fontSize(size).fillColor(TEXT).text(b.text, this.left, pdf.y, this.textOptions(size));
    });
    pdf.moveDown(this.scale.after);
  }

  list(parent: Struct, b: ListBlock): void {
    const pdf = this.pdf;
    const size = this.scale.body;
    pdf.font(REGULAR).fontSize(size);
    const indent = b.ordered ? pdf.widthOfString(`${b.items.length}.`) + size : size * 1.5;
    const l = pdf.struct('L');
    parent.add(l);
    b.items.forEach((item, i) => {
      this.ensureSpace(this.lineHeight(size));
      const y = pdf.y;
      const li = pdf.struct('LI');
      l.add(li);
      this.element(li, 'Lbl', () => {
        pdf.font(REGULAR).fontSize(size).fillColor(TEXT).text(b.ordered ? `${i + 1}.` : '•', this.left, y, { width: indent, lineBreak: false });
      });
      this.element(li, 'LBody', () => {
        pdf.font(REGULAR).fontSize(size).fillColor(TEXT).text(item, this.left + indent, y, this.textOptions(size, { width: this.width - indent }));
      });
      li.end();
      pdf.y += size * this.scale.lineGap;
    });
    l.end();
    pdf.x = this.left;
    pdf.moveDown(this.scale.after * 0.6);
  }

  private cellStyle(): PDFKit.Mixins.CellStyle {
    const pad = this.scale.body * 0.45;
    return {
      padding: [pad, pad, pad, pad],
      border: { top: 0, left: 0, right: 0, bottom: 1 },
      borderColor: { bottom: RULE },
      textColor: TEXT,
      textOptions: { lineGap: this.scale.body * this.scale.lineGap * 0.5 },
    };
  }

  /** Rows of key and value: a table whose first column holds row headers. */
  summary(parent: Struct, b: SummaryBlock): void {
    const pdf = this.pdf;
    const size = this.scale.body;
    pdf.font(REGULAR).fontSize(size);
    this.ensureSpace(this.lineHeight(size) * 2.5);
    const keyWidth = Math.round(this.width * (this.scale === scales.largePrint ? 0.42 : 0.36));
    const table = pdf.table({
      structParent: parent,
      position: { x: this.left, y: pdf.y },
      columnStyles: [keyWidth, '*'],
      defaultStyle: this.cellStyle(),
    } as PDFKit.Mixins.TableOptions) as unknown as TableWithStruct;
    for (const r of b.rows) {
      table.row([
        { text: r.key, type: 'TH', scope: 'Row', font: { src: BOLD, size } },
        { text: r.value, font: { src: REGULAR, size } },
      ]);
    }
    table.end();
    pdf.x = this.left;
    pdf.moveDown(this.scale.after);
  }

  table(parent: Struct, b: TableBlock): void {
    const pdf = this.pdf;
    const size = this.scale.body;
    pdf.font(BOLD).fontSize(size);
    const captionOptions = this.textOptions(size);
    const captionHeight = pdf.heightOfString(b.caption, captionOptions) + size * 0.4;
    this.ensureSpace(captionHeight + this.lineHeight(size) * 4);
    const captionY = pdf.y;
    const table = pdf.table({
      structParent: parent,
      position: { x: this.left, y: captionY + captionHeight },
      defaultStyle: this.cellStyle(),
    } as PDFKit.Mixins.TableOptions) as unknown as TableWithStruct;
    // The caption is the table's first child (PDF/UA), drawn above the rows.
    const drawCaption = () => pdf.font(BOLD).fontSize(size).fillColor(TEXT).text(b.caption, this.left, captionY, captionOptions);
    if (table._tableStruct) {
      const caption = pdf.struct('Caption');
      table._tableStruct.add(caption);
      caption.add(drawCaption);
      caption.end();
    } else {
      this.element(parent, 'P', drawCaption);
    }
    pdf.y = captionY + captionHeight;
    table.row(b.head.map((text): AccessibleCell => ({ text, type: 'TH', scope: 'Column', font: { src: BOLD, size } })));
    for (const row of b.rows) {
      table.row(row.map((text, i): AccessibleCell => (b.rowHeaders && i === 0 ? { text, type: 'TH', scope: 'Row', font: { src: BOLD, size } } : { text, font: { src: REGULAR, size } })));
    }
    table.end();
    pdf.x = this.left;
    pdf.moveDown(this.scale.after);
  }

  private pictureSize(): number {
    return Math.round(this.scale.body * 3);
  }

  /** Easy read: a picture (an artifact) beside the point's lines, one paragraph per line. */
  point(parent: Struct, b: PointBlock): void {
    const pdf = this.pdf;
    const size = this.scale.body;
    const picture = this.pictureSize();
    const gap = size;
    const textLeft = this.left + picture + gap;
    const options = this.textOptions(size, { width: this.width - picture - gap });
    this.ensureSpace(Math.max(picture, this.lineHeight(size) * Math.min(2, b.lines.length)));
    const top = pdf.y;
    const page = pdf.page;
    this.artifact(() => drawPictogram(pdf, b.picture, this.left, top, picture));
    const div = pdf.struct('Div');
    parent.add(div);
    b.lines.forEach((line, i) => {
      this.element(div, 'P', () => {
        pdf.font(b.strong ? BOLD : REGULAR).fontSize(size).fillColor(TEXT).text(line, textLeft, i === 0 ? top : pdf.y, options);
      });
      if (i < b.lines.length - 1) pdf.y += size * this.scale.lineGap;
    });
    div.end();
    // Below the picture too, when the lines were shorter than it and stayed on its page.
    if (pdf.page === page) pdf.y = Math.max(pdf.y, top + picture);
    pdf.x = this.left;
    pdf.moveDown(this.scale.after);
  }

  /** Text set apart by a bar on its left (the bar is decoration). */
  inset(parent: Struct, b: InsetBlock): void {
    const pdf = this.pdf;
    const size = this.scale.body;
    const bar = 5;
    const gap = size;
    const options = this.textOptions(size, { width: this.width - bar - gap });
    pdf.font(REGULAR).fontSize(size);
    const height = pdf.heightOfString(b.text, options);
    this.ensureSpace(Math.min(height, this.lineHeight(size) * 3) + size * 0.6);
    pdf.y += size * 0.3;
    const top = pdf.y;
    const page = pdf.page;
    const div = pdf.struct('Div');
    parent.add(div);
    this.element(div, 'P', () => {
      pdf.font(REGULAR).fontSize(size).fillColor(TEXT).text(b.text, this.left + bar + gap, top, options);
    });
    div.end();
    // Draw the bar only when the text stayed on one page.
    if (pdf.page === page) this.artifact(() => pdf.save().rect(this.left, top - size * 0.3, bar, pdf.y - top + size * 0.3).fill(RULE).restore());
    pdf.x = this.left;
    pdf.moveDown(this.scale.after);
  }

  /** "Page 1 of 3" at the foot of every page, as a pagination artifact. */
  pageNumbers(): void {
    const pdf = this.pdf;
    const range = pdf.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      pdf.switchToPage(i);
      const bottomMargin = pdf.page.margins.bottom;
      // Writing inside the bottom margin must not start a new page.
      pdf.page.margins.bottom = 0;
      const size = this.scale.small;
      this.artifact(() => {
        pdf
          .font(REGULAR)
          .fontSize(size)
          .fillColor(TEXT)
          .text(`Page ${i - range.start + 1} of ${range.count}`, this.left, pdf.page.height - bottomMargin / 2 - size / 2, { width: this.width, align: 'center', lineBreak: false });
      }, 'Pagination');
      pdf.page.margins.bottom = bottomMargin;
    }
  }
}

/** Render the document as a tagged PDF. */
export async function renderPdf(doc: DocumentModel): Promise<Buffer> {
  const info: PDFKit.DocumentInfo = { Title: doc.title, Author: doc.author, Creator: 'Aftercare' };
  if (doc.subject) info.Subject = doc.subject;
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    pdfVersion: '1.7',
    tagged: true,
    lang: doc.language,
    displayTitle: true,
    bufferPages: true,
    font: REGULAR,
    info,
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const renderer = new Renderer(pdf, scaleFor(doc));
  const root = pdf.struct('Document', { title: doc.title, lang: doc.language });
  pdf.addStructure(root);
  doc.blocks.forEach((block, i) => renderer.block(root, block, doc.blocks[i + 1], doc.blocks[i + 2]));
  root.end();
  renderer.pageNumbers();
  pdf.end();
  return finished;
}

const num = (value: string | undefined, otherwise: number): number => {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) ? n : otherwise;
};

function points(value: string | undefined): Array<[number, number]> {
  const n = (value ?? '').trim().split(/[\s,]+/).filter(Boolean).map(Number);
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < n.length; i += 2) out.push([n[i]!, n[i + 1]!]);
  return out;
}

/** One SVG shape as PDF paths, in the pictogram's 72 by 72 units. */
function drawShape(pdf: Pdf, shape: Shape): void {
  const a = shape.attrs;
  const open = shape.kind === 'line';
  const fill = open || a.fill === 'none' ? null : (a.fill ?? '#000000');
  const stroke = a.stroke && a.stroke !== 'none' ? a.stroke : null;
  if (!fill && !stroke) return;
  pdf.save();
  if (a.transform) {
    const [m0, m1, m2, m3, m4, m5] = parseTransform(a.transform);
    pdf.transform(m0, m1, m2, m3, m4, m5);
  }
  switch (shape.kind) {
    case 'rect': {
      const [x, y, w, h] = [num(a.x, 0), num(a.y, 0), num(a.width, 0), num(a.height, 0)];
      const r = num(a.rx ?? a.ry, 0);
      if (r > 0) pdf.roundedRect(x, y, w, h, r);
      else pdf.rect(x, y, w, h);
      break;
    }
    case 'circle':
      pdf.circle(num(a.cx, 0), num(a.cy, 0), num(a.r, 0));
      break;
    case 'ellipse':
      pdf.ellipse(num(a.cx, 0), num(a.cy, 0), num(a.rx, 0), num(a.ry, 0));
      break;
    case 'line':
      pdf.moveTo(num(a.x1, 0), num(a.y1, 0)).lineTo(num(a.x2, 0), num(a.y2, 0));
      break;
    case 'polyline':
    case 'polygon': {
      const pts = points(a.points);
      if (pts.length === 0) break;
      pdf.moveTo(...pts[0]!);
      for (const p of pts.slice(1)) pdf.lineTo(...p);
      if (shape.kind === 'polygon') pdf.closePath();
      break;
    }
    case 'path':
      pdf.path(a.d ?? '');
      break;
  }
  pdf.lineWidth(num(a['stroke-width'], 1));
  pdf.lineCap((a['stroke-linecap'] as 'butt' | 'round' | 'square' | undefined) ?? 'butt');
  pdf.lineJoin((a['stroke-linejoin'] as 'miter' | 'round' | 'bevel' | undefined) ?? 'miter');
  pdf.miterLimit(num(a['stroke-miterlimit'], 4));
  const rule = a['fill-rule'] === 'evenodd' ? 'even-odd' : 'non-zero';
  if (fill && stroke) pdf.fillAndStroke(fill, stroke, rule);
  else if (fill) pdf.fill(fill, rule);
  else if (stroke) pdf.stroke(stroke);
  pdf.restore();
}

/** A pictogram drawn as vector paths, `size` points square, its top left at (x, y). */
export function drawPictogram(pdf: Pdf, name: Pictogram, x: number, y: number, size: number): void {
  pdf.save();
  pdf.translate(x, y).scale(size / 72);
  for (const shape of pictogramShapes(name)) drawShape(pdf, shape);
  pdf.restore();
  pdf.fillColor(TEXT).strokeColor(TEXT);
}

/** SHA-256 of the bytes, as lower-case hex: stored with every document to prove what was sent. */
export function sha256Hex(content: Buffer | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
