import { readingSection } from '../../platform/views/person-sections.ts';
import { recentAssessmentsQuery } from './capacity.queries.ts';
import { capacitySummary } from './capacity.service.ts';

/**
 * "Mental capacity" on the person page (issue 16, item 2): the newest assessments, each with its
 * decision, date and outcome (or that it is a draft), and the links. Registered in src/app.ts; the
 * caller has already checked the actor may read the person and audited the view. Its read runs
 * with the page's other reads in one statement (decision 0019).
 */
export const capacitySection = readingSection({
  name: 'capacity',
  template: 'modules/capacity/views/_person-capacity.njk',
  reads: (q, ctx, person) => ({ recent: recentAssessmentsQuery(q, ctx.actor.partnershipId, person.id) }),
  show({ recent }, ctx, person) {
    return capacitySummary(ctx, person, recent);
  },
});
