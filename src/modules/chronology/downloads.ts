import ExcelJS from 'exceljs';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { CHRONOLOGY_DOWNLOAD_LIMIT } from '../../domain/chronology.ts';
import { h1, h2, p, summary, table, type DocumentModel } from '../../platform/documents/model.ts';
import { neutraliseFormula } from '../../platform/exports/table.ts';
import { govukDate } from '../../platform/plain-language.ts';
import type { ChronologyDocument } from './chronology.service.ts';

/*
 * The chronology as a tagged PDF (through the platform's DocumentModel and pdf.ts) and as an
 * XLSX workbook: the same entries and the same heading facts (whose chronology, when it was
 * produced and by whom, the filters applied) in both, and on the print view.
 */

const nameOf = (doc: ChronologyDocument) => `${doc.person.givenName} ${doc.person.familyName}`;

/** The facts at the head of every form of the chronology. */
export function chronologyFacts(doc: ChronologyDocument): Array<{ key: string; value: string }> {
  return [
    { key: 'Person', value: nameOf(doc) },
    { key: 'NHS number', value: formatNhsNumber(doc.person.nhsNumber) },
    { key: 'Date of birth', value: govukDate(doc.person.dateOfBirth) },
    { key: 'Produced', value: doc.producedOn },
    { key: 'Produced by', value: doc.producedBy },
    { key: 'Filters applied', value: doc.filterText },
    { key: 'Entries', value: doc.truncated ? `The newest ${CHRONOLOGY_DOWNLOAD_LIMIT.toLocaleString('en-GB')} entries (more match: narrow the filters to see the rest)` : doc.entries.length.toLocaleString('en-GB') },
  ];
}

export function chronologyTitle(doc: ChronologyDocument): string {
  return `Chronology: ${nameOf(doc)}`;
}

/** The chronology as a document model: a heading, the facts, and one table of entries, newest first. */
export function chronologyDocument(doc: ChronologyDocument): DocumentModel {
  return {
    title: chronologyTitle(doc),
    language: 'en-GB',
    subject: 'Chronology of the section 117 aftercare record',
    author: doc.producedBy,
    blocks: [
      h1(chronologyTitle(doc)),
      summary(chronologyFacts(doc)),
      p('Official sensitive: personal information. Entries are newest first; a time is given where one was recorded, in England’s time.'),
      h2('Entries'),
      doc.entries.length === 0
        ? p('No entries match the filters.')
        : table(
            'Chronology entries, newest first',
            ['Date', 'Type', 'What happened', 'Details'],
            doc.entries.map((e) => [e.when, e.kindLabel, `${e.title}${e.significant ? ' (significant)' : ''}`, e.summary]),
          ),
    ],
  };
}

/** The chronology as an XLSX workbook: "Chronology" (one row an entry, filterable) and "About" (the heading facts). */
export async function chronologyWorkbook(doc: ChronologyDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = neutraliseFormula(doc.producedBy);
  workbook.title = neutraliseFormula(chronologyTitle(doc));
  workbook.created = doc.producedAt;
  const sheet = workbook.addWorksheet('Chronology', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'Date', key: 'date', width: 14, style: { numFmt: 'd mmmm yyyy' } },
    { header: 'Time', key: 'time', width: 9 },
    { header: 'Type', key: 'type', width: 18 },
    { header: 'What happened', key: 'title', width: 50 },
    { header: 'Details', key: 'summary', width: 70 },
    { header: 'Significant', key: 'significant', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const e of doc.entries) {
    const [y, m, d] = londonDay(e.at);
    sheet.addRow({
      date: new Date(Date.UTC(y, m - 1, d)),
      time: e.time,
      type: e.kindLabel,
      title: neutraliseFormula(e.title),
      summary: neutraliseFormula(e.summary),
      significant: e.significant ? 'Yes' : 'No',
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 6 } };
  const about = workbook.addWorksheet('About');
  about.columns = [
    { header: 'About this chronology', key: 'key', width: 18 },
    { header: '', key: 'value', width: 80 },
  ];
  about.getRow(1).font = { bold: true };
  for (const fact of chronologyFacts(doc)) about.addRow({ key: fact.key, value: neutraliseFormula(fact.value) });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The day an instant falls on in England, as [year, month, day]. */
function londonDay(iso: string): [number, number, number] {
  const parts = Object.fromEntries(londonParts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return [Number(parts.year), Number(parts.month), Number(parts.day)];
}
