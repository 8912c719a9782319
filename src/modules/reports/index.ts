/** The reports module's front door: the only file other modules, the app and the CLI import. */
export { sendScheduledReports } from './send-scheduled-reports.ts';
