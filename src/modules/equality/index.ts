/** The equality module's front door: the only file other modules, the app and the CLI import. */
export { computeEquality } from './equality.service.ts';
export { equalityBlocks } from './routes.ts';
