/** The documents module's front door: the only file other modules, the app and the CLI import. */
export { findOrganisationContactById, storeDocument } from './documents.queries.ts';
export type { StoreDocumentInput } from './documents.queries.ts';
export { fileNameFor, longDate } from './format.ts';
export type { OrganisationContact } from './format.ts';
export { letterFormat, paragraphsOf, wrapInLetter } from './letter.ts';
export type { LetterSender } from './letter.ts';
export { buildPlanDocument } from './plan-document.ts';
export type { PlanForDocument } from './plan-document.ts';
export { personDocument } from './schema.ts';
export { viewBlocks } from './view-blocks.ts';
export { informationGiven } from './schema.ts';
export { recordInformationGiven } from './documents.service.ts';
export { informationFormatLabels, informationSubjectLabels, understoodLabels } from './information-given.ts';
