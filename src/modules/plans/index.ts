/** The plans module's front door: the only file other modules, the app and the CLI import. */
export { planStatusLabels } from './inputs.ts';
export { addNeed, addService, applyPanelDecision, approvePlan, formatPounds, formatSplit, getPlan, plansForLinking, startPlan, submitPlan, updatePlanDetails } from './plans.service.ts';
export type { ApprovalOutcome, PanelDecisionOutcome, PlanDetail } from './plans.service.ts';
export { plansAwaitingMyAgreement, type WaitingAgreement } from './agreement.service.ts';
export { aftercarePlan, planService } from './schema.ts';
