/** The panels module's front door: the only file other modules, the app and the CLI import. */
export { panelCase, panelMeeting } from './schema.ts';
export { decisionLabels as panelDecisionLabels } from './panels.service.ts';
