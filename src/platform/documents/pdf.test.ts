import { describe, expect, it } from 'vitest';
import { h1, h2, h3, inset, list, p, pageBreak, summary, table, type DocumentModel } from './model.ts';
import { renderPdf, sha256Hex } from './pdf.ts';
import { extractPdf, rawPdf } from './testing/pdf-text.ts';

const sample = (extra: Partial<DocumentModel> = {}): DocumentModel => ({
  title: 'Your section 117 aftercare',
  language: 'en-GB',
  subject: 'A test document',
  author: 'Northvale Council',
  blocks: [
    h1('Your section 117 aftercare'),
    p('This is for Alex Testperson.\nProduced on 1 March 2026.'),
    h2('Who is responsible?'),
    summary([
      { key: 'Local authority', value: 'Northvale Council' },
      { key: 'ICB', value: 'NHS Northvale and Southmere Integrated Care Board' },
    ]),
    h3('Services'),
    list(['Support worker: 3 visits a week.', 'Day centre: twice a week.']),
    list(['First step', 'Second step'], true),
    table('Weekly cost by who pays', ['Period', 'Local authority', 'ICB'], [['Weekly', '£120.00', '£80.00']], true),
    inset('Section 117 aftercare is free. Nobody can charge you for it.'),
    ...extra.blocks ?? [],
  ],
  ...(extra.largePrint ? { largePrint: true } : {}),
});

describe('renderPdf: a tagged PDF', () => {
  it('is tagged, has a structure tree, its language, title, author and subject, and shows its title', async () => {
    const bytes = await renderPdf(sample());
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const raw = rawPdf(bytes);
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(raw).toMatch(/\/Type \/StructTreeRoot/);
    expect(raw).toContain('/Lang (en-GB)');
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    // The info dictionary's Title: written directly or as an indirect string object.
    const titleRef = /\/Title (\d+) 0 R/.exec(raw);
    const title = titleRef ? new RegExp(`\\n${titleRef[1]} 0 obj\\n\\(([^)]*)\\)`).exec(raw)?.[1] : /\/Title \(([^)]*)\)/.exec(raw)?.[1];
    expect(title).toBe('Your section 117 aftercare');
    const pdf = await extractPdf(bytes);
    expect(pdf.info.Title).toBe('Your section 117 aftercare');
    expect(pdf.info.Author).toBe('Northvale Council');
    expect(pdf.info.Subject).toBe('A test document');
    expect(pdf.info.Language).toBe('en-GB');
  });

  it('tags headings, paragraphs, lists and tables (with header cells and a caption) under one Document', async () => {
    const pdf = await extractPdf(await renderPdf(sample()));
    const roles = pdf.structureRoles;
    expect(roles[0]).toBe('Document');
    for (const role of ['H1', 'H2', 'H3', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'Caption', 'TR', 'TH', 'TD', 'Div']) expect(roles).toContain(role);
    expect(roles.indexOf('H1')).toBeLessThan(roles.indexOf('H2'));
  });

  it('reads back in order, with page numbers as artifacts a screen reader skips', async () => {
    const many = Array.from({ length: 60 }, (_, i) => p(`Paragraph ${i + 1} of the filler text for a long document.`));
    const pdf = await extractPdf(await renderPdf(sample({ blocks: many })));
    expect(pdf.pageCount).toBeGreaterThan(1);
    const text = pdf.text;
    for (const fact of ['Your section 117 aftercare', 'This is for Alex Testperson.', 'Northvale Council', 'NHS Northvale and Southmere Integrated Care Board', 'Support worker: 3 visits a week.', '£120.00', 'Nobody can charge you for it.', 'Paragraph 60 of']) {
      expect(text).toContain(fact);
    }
    expect(text.indexOf('Who is responsible?')).toBeLessThan(text.indexOf('Weekly cost by who pays'));
    expect(text).not.toMatch(/Page \d+ of \d+/);
    expect(pdf.pages[0]).toContain(`Page 1 of ${pdf.pageCount}`);
    expect(pdf.pages[pdf.pageCount - 1]).toContain(`Page ${pdf.pageCount} of ${pdf.pageCount}`);
  });

  it('starts a new page at a page break', async () => {
    const pdf = await extractPdf(await renderPdf({ title: 'T', language: 'en-GB', author: 'A', blocks: [p('A letter.'), pageBreak(), h1('The statement')] }));
    expect(pdf.pageCount).toBe(2);
    expect(pdf.pages[1]).toContain('The statement');
  });

  it('uses 18pt or larger for every piece of text in large print, and 12pt body text otherwise', async () => {
    const large = await extractPdf(await renderPdf(sample({ largePrint: true })));
    expect(large.fontSizes.length).toBeGreaterThan(10);
    expect(Math.min(...large.fontSizes)).toBeGreaterThanOrEqual(18);
    expect(large.pages.join('\n')).toMatch(/Page 1 of \d/);
    const standard = await extractPdf(await renderPdf(sample()));
    expect(Math.min(...standard.fontSizes)).toBe(12);
  });

  it('lays out a table longer than a page', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => [`Row ${i + 1}`, `£${i}.00`]);
    const pdf = await extractPdf(await renderPdf({ title: 'Long', language: 'en-GB', author: 'A', blocks: [h1('Long table'), table('Many rows', ['Item', 'Cost'], rows)] }));
    expect(pdf.pageCount).toBeGreaterThan(1);
    expect(pdf.text).toContain('Row 80');
  });
});

describe('sha256Hex', () => {
  it('is the SHA-256 of the bytes in lower-case hex', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('renderPdf: headings stay with their content', () => {
  it('never leaves a heading as the last thing on a page, however the text before it falls', async () => {
    // Move a heading and the rows after it down the page a little at a time, across page ends.
    for (let filler = 0; filler < 48; filler++) {
      const blocks = [
        ...Array.from({ length: filler }, (_, i) => p(i % 3 === 0 ? `Filler ${i}: a line of text.\nAnd a second line.` : `Filler ${i}: a line of text.`)),
        h2('Your needs'),
        h3('Need 1: Accommodation'),
        summary([
          { key: 'The need', value: 'Support to keep a tenancy' },
          { key: 'What you want to achieve', value: 'Keep my flat' },
        ]),
        h2('Services'),
        table('Cost', ['Period', 'Total'], [['Weekly', '£250.00']], true),
      ];
      const pdf = await extractPdf(await renderPdf({ title: 'T', language: 'en-GB', author: 'A', blocks }));
      pdf.spokenPages.forEach((page, i) => {
        const last = page.trim().split('\n').at(-1);
        expect(['Your needs', 'Need 1: Accommodation', 'Services'], `page ${i + 1} of ${pdf.pageCount} with ${filler} filler paragraphs ends with a heading`).not.toContain(last);
      });
    }
  });
});
