import { ForbiddenError } from '../../platform/errors/errors.ts';
import type { PersonSection } from '../../platform/views/person-sections.ts';
import { loadPerson } from '../register/index.ts';
import { notesSummary } from './notes.service.ts';

/**
 * "Case notes" on the person page (issue 15, item 1): how many notes there are (restricted ones
 * counted only for those who see them) and the link. Registered in src/app.ts; the caller has
 * already checked the actor may read the person and audited the view.
 */
export const caseNotesSection: PersonSection = {
  name: 'case-notes',
  template: 'modules/notes/views/_person-notes.njk',
  async load(ctx, person) {
    let row;
    try {
      row = await ctx.data.read((q) => loadPerson(q, ctx, person.id, 'person:read'));
    } catch (error) {
      if (error instanceof ForbiddenError) return null;
      throw error;
    }
    return { href: `/people/${person.id}/notes`, ...(await notesSummary(ctx, row)) };
  },
};
