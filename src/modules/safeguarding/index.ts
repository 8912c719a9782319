/** The safeguarding module's front door (issue 16, item 1): the only file other modules, the app and the CLI import. */
export { safeguardingRoutes } from './routes.ts';
export { safeguardingSection } from './person-section.ts';
export { safeguardingFigures, safeguardingSettings, safeguardingVisibility, safeguardingWaitingOn, type SafeguardingFigures, type SafeguardingVisibility, type SafeguardingWaiting } from './safeguarding.service.ts';
export { queueOverdueDecisionReminders } from './reminders.ts';
export { protectionMeeting, safeguardingConcern, safeguardingEnquiryRecord, safeguardingLink, safeguardingSettings as safeguardingSettingsTable } from './schema.ts';
// For the demo seed (src/modules/demo/statutory.ts): the same services the pages use.
export { addEnquiryRecord, concludeEnquiry, emptyConcernInput, linksForm, raiseConcern, recordDecision, updateLinks, updateProtectionPlan } from './safeguarding.service.ts';
