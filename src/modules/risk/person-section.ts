import { readingSection } from '../../platform/views/person-sections.ts';
import { currentAssessmentQuery, openEscalationsQuery } from './risk.queries.ts';
import { riskSummary } from './risk.service.ts';

/**
 * "Risk" on the person page (issue 15, item 4): the current level with its date, the review date
 * (overdue shown), open escalations and the link to the history. Registered in src/app.ts; the
 * caller has already checked the actor may read the person and audited the view. Its reads run
 * with the page's other reads in one statement (decision 0019).
 */
export const riskSection = readingSection({
  name: 'risk',
  template: 'modules/risk/views/_person-risk.njk',
  reads: (q, ctx, person) => ({ current: currentAssessmentQuery(q, ctx.actor.partnershipId, person.id), open: openEscalationsQuery(q, ctx.actor.partnershipId, person.id) }),
  show({ current, open }, ctx, person, today) {
    return riskSummary(ctx, person, today, current[0], open);
  },
});
