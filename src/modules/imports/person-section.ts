import type { PersonSection } from '../../platform/views/person-sections.ts';
import { importedFundingWords } from './funding.ts';
import { findPersonImportedFunding } from './imports.queries.ts';

/**
 * "Funding brought from the old register" on the person page (issue 14, item 4): the weekly cost
 * and the council/ICB split the person's row in the imported register gave. Registered in
 * src/app.ts; the caller has already checked the actor may read the person. Read through the
 * door, inside the person page's unit of work.
 */
export const importedFundingSection: PersonSection = {
  name: 'imported-funding',
  template: 'modules/imports/views/_person-imported-funding.njk',
  async load(ctx, person) {
    const row = await ctx.data.read((q) => findPersonImportedFunding(q, ctx.actor.partnershipId, person.id));
    if (!row) return null;
    return { words: importedFundingWords(row), rowNumber: row.rowNumber, fileName: row.fileName, importedAt: row.importedAt };
  },
};
