/** The liberty module's front door (issue 16, item 4): the only file other modules, the app and the server import. */
export { libertyRoutes } from './routes.ts';
export { libertyApiRoutes } from './api.ts';
export { libertySection } from './person-section.ts';
export { createAuthorisation, emptyAuthorisationInput, recordConsideration } from './liberty.service.ts';
export { endingLibertyCheck, libertyPromptForPlan, libertySettingsForPage, libertyWaitingOn, type LibertyPrompt, type LibertyWaiting } from './liberty.service.ts';
export { queueLibertyReminders } from './reminders.ts';
export { libertyAuthorisation, libertyChallenge, libertyConsideration, libertySettings } from './schema.ts';
