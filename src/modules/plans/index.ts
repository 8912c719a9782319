/** The plans module's front door: the only file other modules, the app and the CLI import. */
export { planStatusLabels } from './inputs.ts';
export { addNeed, addService, applyPanelSplit, approvePlan, formatPounds, formatSplit, getPlan, startPlan, submitPlan, updatePlanDetails } from './plans.service.ts';
export type { PlanDetail } from './plans.service.ts';
export { aftercarePlan, planService } from './schema.ts';
