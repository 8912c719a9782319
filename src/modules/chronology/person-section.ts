import type { PersonSection } from '../../platform/views/person-sections.ts';

/**
 * "Chronology" on the person page (issue 15, item 2): only the link. The person page never
 * computes the chronology (a history of thousands of entries must not slow it); the caller has
 * already checked the actor may read the person and audited the view. Registered in src/app.ts.
 */
export const chronologySection: PersonSection = {
  name: 'chronology',
  template: 'modules/chronology/views/_person-chronology.njk',
  load(_ctx, person) {
    return Promise.resolve({ href: `/people/${person.id}/chronology` });
  },
};
