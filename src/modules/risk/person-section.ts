import { ForbiddenError } from '../../platform/errors/errors.ts';
import type { PersonSection } from '../../platform/views/person-sections.ts';
import { loadPerson } from '../register/index.ts';
import { riskSummary } from './risk.service.ts';

/**
 * "Risk" on the person page (issue 15, item 4): the current level with its date, the review date
 * (overdue shown), open escalations and the link to the history. Registered in src/app.ts; the
 * caller has already checked the actor may read the person and audited the view.
 */
export const riskSection: PersonSection = {
  name: 'risk',
  template: 'modules/risk/views/_person-risk.njk',
  async load(ctx, person) {
    let row;
    try {
      row = await ctx.data.read((q) => loadPerson(q, ctx, person.id, 'person:read'));
    } catch (error) {
      if (error instanceof ForbiddenError) return null;
      throw error;
    }
    return riskSummary(ctx, row);
  },
};
