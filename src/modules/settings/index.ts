/** The settings module's front door: the only file other modules, the app and the CLI import. */
export { planSettings } from './schema.ts';
export { getPlanSettings } from './settings.service.ts';
export { partnershipServiceType } from './schema.ts';
export { serviceTypeChoices, type ServiceTypeChoices } from './service-types.service.ts';
