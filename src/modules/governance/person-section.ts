import { ForbiddenError } from '../../platform/errors/errors.ts';
import type { PersonSection } from '../../platform/views/person-sections.ts';
import { loadPerson } from '../register/index.ts';
import { mayExportSubjectAccess } from './subject-access.service.ts';

/**
 * "Subject access export" on the person page (issue 14, item 6), for those who may make one for
 * this person: administrators and quality and audit staff of an organisation responsible for or
 * involved with them. Everyone else (most people) is answered without a query.
 */
export const subjectAccessSection: PersonSection = {
  name: 'subject-access',
  template: 'modules/governance/views/_person-subject-access.njk',
  async load(ctx, person) {
    if (!mayExportSubjectAccess(ctx)) return null;
    try {
      await ctx.data.read((q) => loadPerson(q, ctx, person.id, 'person:subject-access'));
    } catch (error) {
      if (error instanceof ForbiddenError) return null;
      throw error;
    }
    return { href: `/people/${person.id}/subject-access` };
  },
};
