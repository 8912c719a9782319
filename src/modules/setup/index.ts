/** Partnership set-up's front door: the only file other modules, the app and the CLI import. */
export { createPartnership, hasPartnership, partnershipInputSchema, type CreatedPartnership, type PartnershipInput } from './setup.service.ts';
export { setupRoutes } from './routes.ts';
