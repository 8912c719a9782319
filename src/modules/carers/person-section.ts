import { readingSection } from '../../platform/views/person-sections.ts';
import { assessmentsOfPersonsCarersQuery, carersOfPersonQuery, personStatusQuery, referralsOfPersonQuery } from './carers.queries.ts';
import { carersSummary } from './carers.service.ts';

/**
 * "Carers and advocacy" on the person page (issue 16, items 5 and 6): each carer with where their
 * assessment has got to, the prompt to offer one at discharge (Care Act 2014, section 10), and the
 * advocacy referrals. Registered in src/app.ts; the caller has already checked the actor may read
 * the person and audited the view. Its reads run with the page's other reads in one statement
 * (decision 0019).
 */
export const carersSection = readingSection({
  name: 'carers',
  template: 'modules/carers/views/_person-carers.njk',
  reads: (q, ctx, person) => ({
    carers: carersOfPersonQuery(q, ctx.actor.partnershipId, person.id),
    assessments: assessmentsOfPersonsCarersQuery(q, ctx.actor.partnershipId, person.id),
    referrals: referralsOfPersonQuery(q, ctx.actor.partnershipId, person.id),
    status: personStatusQuery(q, ctx.actor.partnershipId, person.id),
  }),
  show(rows, ctx, person, today) {
    return carersSummary(ctx, person, today, rows);
  },
});
