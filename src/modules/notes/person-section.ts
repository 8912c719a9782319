import { readingSection } from '../../platform/views/person-sections.ts';
import { noteSettingsQuery, noteTalliesQuery } from './notes.queries.ts';
import { notesSummary } from './notes.service.ts';

/**
 * "Case notes" on the person page (issue 15, item 1): how many notes there are (restricted ones
 * counted only for those who see them) and the link. Registered in src/app.ts; the caller has
 * already checked the actor may read the person (the row it passes) and audited the view. Its
 * reads run with the other sections' in one statement, inside the person page's unit of work.
 */
export const caseNotesSection = readingSection({
  name: 'case-notes',
  template: 'modules/notes/views/_person-notes.njk',
  reads: (q, ctx, person) => ({ settings: noteSettingsQuery(q, ctx.actor.partnershipId), notes: noteTalliesQuery(q, ctx.actor.partnershipId, person.id) }),
  show({ settings, notes }, ctx, person) {
    return { href: `/people/${person.id}/notes`, ...notesSummary(ctx.actor, person, settings[0], notes) };
  },
});
