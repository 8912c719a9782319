/** The risk module's front door (issue 15, item 4): the only file other modules, the app and the CLI import. */
export { riskRoutes } from './routes.ts';
export { riskSection } from './person-section.ts';
export { escalateSignificantNote, learningReviewCounts, mayManageRiskSettings, riskAssessmentsForLinking, riskLevelSettings, riskWaitingOn, type RiskWaiting } from './risk.service.ts';
export { learningReview, riskAssessment, riskEscalation, riskSettings } from './schema.ts';
