/** The carers and advocacy module's front door (issue 16, items 5 and 6): the only file other modules, the app and the CLI import. */
export { carersRoutes } from './routes.ts';
export { carersSection } from './person-section.ts';
export { advocacyOfferedUsed, advocacySummaryFor, carerDashboardCounts, carerRemindersIn, carersAtReview, carersWaitingOn, type CarerWaiting } from './carers.service.ts';
export { advocacyReferral, carer, carerAssessment, carerLink } from './schema.ts';
export { queueCarerReminders } from './reminders.ts';
// For the demo seed (src/modules/demo/statutory.ts): the same services the pages use.
export { addCarer, offerAssessment as offerCarerAssessment, recordAssessment as recordCarerAssessment, recordReferral } from './carers.service.ts';
