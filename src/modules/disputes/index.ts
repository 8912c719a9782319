/** The disputes module's front door: the only file other modules, the app and the CLI import. */
export { dispute } from './schema.ts';
export { openDispute, resolveDispute } from './disputes.service.ts';
