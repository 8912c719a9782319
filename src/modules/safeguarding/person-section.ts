import { readingSection } from '../../platform/views/person-sections.ts';
import { openConcernsQuery, settingsQuery } from './safeguarding.queries.ts';
import { safeguardingSummary } from './safeguarding.service.ts';

/**
 * "Safeguarding" on the person page (issue 16, item 1): the flag. Everyone who may read the
 * person sees that a concern is open; only those who see the details (the partnership's chosen
 * roles, the local authority's deciders, the raiser, the lead) see its state and link. Registered
 * in src/app.ts; its reads run with the page's other reads in one statement (decision 0019).
 */
export const safeguardingSection = readingSection({
  name: 'safeguarding',
  template: 'modules/safeguarding/views/_person-safeguarding.njk',
  reads: (q, ctx, person) => ({ open: openConcernsQuery(q, ctx.actor.partnershipId, person.id), settings: settingsQuery(q, ctx.actor.partnershipId) }),
  show({ open, settings }, ctx, person, today) {
    return safeguardingSummary(ctx, person, today, open, settings[0]);
  },
});
