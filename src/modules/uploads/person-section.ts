import { canOnPerson } from '../../platform/access/policy.ts';
import { readingSection } from '../../platform/views/person-sections.ts';
import { uploadCountsQuery } from './uploads.queries.ts';

/**
 * "Uploaded documents" on the person page (issue 15, item 3): how many there are, how many are
 * quarantined, and the links. Registered in src/app.ts; the caller has already checked the actor
 * may read the person and audited the view. Its read runs with the page's other reads in one
 * statement (decision 0019).
 */
export const uploadedDocumentsSection = readingSection({
  name: 'uploaded-documents',
  template: 'modules/uploads/views/_person-uploads.njk',
  reads: (q, ctx, person) => ({ counts: uploadCountsQuery(q, ctx.actor.partnershipId, person.id) }),
  show({ counts }, ctx, person) {
    return {
      href: `/people/${person.id}/uploads`,
      uploadHref: `/people/${person.id}/uploads/new`,
      total: counts[0]?.total ?? 0,
      quarantined: counts[0]?.quarantined ?? 0,
      mayUpload: canOnPerson(ctx.actor, 'person:write', person),
    };
  },
});
