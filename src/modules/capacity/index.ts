/** The capacity module's front door (issue 16, items 2 and 3): the only file other modules, the app and the server import. */
export { capacityRoutes } from './routes.ts';
export { capacityApiRoutes } from './api.ts';
export { capacitySection } from './person-section.ts';
export { capacitySettingsForPage, capacityWaitingOn, endingCapacityCheck, type CapacityWaiting } from './capacity.service.ts';
export { queueImcaReportReminders } from './reminders.ts';
export { bestInterestsDecision, capacityAssessment, capacitySettings, imcaInstruction } from './schema.ts';
// For the demo seed (src/modules/demo/statutory.ts): the same services the pages use.
export { createAssessment as createCapacityAssessment, emptyBestInterestsInput, recordBestInterests } from './capacity.service.ts';
