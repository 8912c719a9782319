/** The annual-audit module's front door: the only file other modules, the app and the CLI import. */
export { addFinding, completeAudit, configureAudit, getAudit, saveCase, snapshotOf } from './audit.service.ts';
export { ensureChecklist } from './checklist.service.ts';
