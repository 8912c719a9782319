/** The case notes module's front door (issue 15, item 1): the only file other modules, the app and the CLI import. */
export { notesRoutes } from './routes.ts';
export { notesApiRoutes } from './api.ts';
export { caseNotesSection } from './person-section.ts';
export { mayManageNoteSettings, restrictedNoteSettings, updateRestrictedNoteSettings } from './notes.service.ts';
export { caseNote, caseNoteSettings, caseNoteVersion } from './schema.ts';
export { notesForLinking, noteVisibility } from './notes.service.ts';
export { visibleNotesCondition } from './notes.queries.ts';
export type { NoteVisibility } from './notes.queries.ts';
