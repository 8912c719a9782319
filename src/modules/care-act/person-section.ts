import type { PersonSection } from '../../platform/views/person-sections.ts';

/**
 * "Care Act needs" on the person page (issue 16, item 7): the link only, so the page reads
 * nothing more. Registered in src/app.ts; the caller has already checked the actor may read the
 * person and audited the view.
 */
export const careActSection: PersonSection = {
  name: 'care-act',
  template: 'modules/care-act/views/_person-care-act.njk',
  load(_ctx, person) {
    return Promise.resolve({ href: `/people/${person.id}/care-act` });
  },
};
