import { readingSection } from '../../platform/views/person-sections.ts';
import { importedFundingWords } from './funding.ts';
import { personImportedFundingQuery } from './imports.queries.ts';

/**
 * "Funding brought from the old register" on the person page (issue 14, item 4): the weekly cost
 * and the council/ICB split the person's row in the imported register gave. Registered in
 * src/app.ts; the caller has already checked the actor may read the person. Its read runs with
 * the other sections' in one statement, inside the person page's unit of work.
 */
export const importedFundingSection = readingSection({
  name: 'imported-funding',
  template: 'modules/imports/views/_person-imported-funding.njk',
  reads: (q, ctx, person) => ({ funding: personImportedFundingQuery(q, ctx.actor.partnershipId, person.id) }),
  show({ funding: [row] }) {
    if (!row) return null;
    return { words: importedFundingWords(row), rowNumber: row.rowNumber, fileName: row.fileName, importedAt: row.importedAt };
  },
});
