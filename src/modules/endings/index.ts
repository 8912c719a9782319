/** The endings module's front door: the only file other modules, the app and the CLI import. */
export { endReasonLabels } from './inputs.ts';
export { endingProposal } from './schema.ts';
