/** The admin module's front door: the only file other modules, the app and the CLI import. */
export { createToken } from './tokens.service.ts';
export { createUser } from './users.service.ts';
