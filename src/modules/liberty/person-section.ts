import type { PersonSection } from '../../platform/views/person-sections.ts';
import { libertySummary } from './liberty.service.ts';

/**
 * "Deprivation of liberty" on the person page (issue 16, item 4): the current authorisation or
 * order with its statutory basis, stage and expiry (and whether it is due for renewal or review),
 * and the prompt to consider the acid test when the current plan suggests continuous supervision
 * and control. Registered in src/app.ts; the caller has already checked the actor may read the
 * person and audited the view. It loads its own data: the prompt's read depends on the plan found.
 */
export const libertySection: PersonSection = {
  name: 'liberty',
  template: 'modules/liberty/views/_person-liberty.njk',
  load: (ctx, person, today) => libertySummary(ctx, person, today),
};
