import { canOnPerson } from '../../platform/access/policy.ts';
import type { PersonSection } from '../../platform/views/person-sections.ts';
import { mayExportSubjectAccess } from './subject-access.service.ts';

/**
 * "Subject access export" on the person page (issue 14, item 6), for those who may make one for
 * this person: administrators and quality and audit staff of an organisation responsible for or
 * involved with them. Decided on the record row the page has already read: no query.
 */
export const subjectAccessSection: PersonSection = {
  name: 'subject-access',
  template: 'modules/governance/views/_person-subject-access.njk',
  async load(ctx, person) {
    if (!mayExportSubjectAccess(ctx) || !canOnPerson(ctx.actor, 'person:subject-access', person)) return null;
    return { href: `/people/${person.id}/subject-access` };
  },
};
