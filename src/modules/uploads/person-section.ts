import { ForbiddenError } from '../../platform/errors/errors.ts';
import type { PersonSection } from '../../platform/views/person-sections.ts';
import { loadPerson } from '../register/index.ts';
import { uploadsSummary } from './uploads.service.ts';

/**
 * "Uploaded documents" on the person page (issue 15, item 3): how many there are, how many are
 * quarantined, and the links. Registered in src/app.ts; the caller has already checked the actor
 * may read the person and audited the view.
 */
export const uploadedDocumentsSection: PersonSection = {
  name: 'uploaded-documents',
  template: 'modules/uploads/views/_person-uploads.njk',
  async load(ctx, person) {
    let row;
    try {
      row = await ctx.data.read((q) => loadPerson(q, ctx, person.id, 'person:read'));
    } catch (error) {
      if (error instanceof ForbiddenError) return null;
      throw error;
    }
    return { href: `/people/${person.id}/uploads`, uploadHref: `/people/${person.id}/uploads/new`, ...(await uploadsSummary(ctx, row)) };
  },
};
