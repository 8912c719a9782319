/** The panels module's front door: the only file other modules, the app and the CLI import. */
export { panelCase, panelMeeting } from './schema.ts';
