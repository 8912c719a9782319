/** The register module's front door: the only file other modules, the app and the CLI import. */
export { visiblePeople } from './access.queries.ts';
export { getPersonForApi } from './api.service.ts';
export { TASK_DUE_DAYS, caseFor, loadHistory, reviewPolicyFor, summarise, taskForFlag } from './decision.ts';
export type { DecisionSummary, StoredEvent } from './decision.ts';
export { insertEvents } from './events.service.ts';
export { ExtractFormatError, extractColumns, ingestLegalStatus, parseExtractDate, readExtract } from './ingest.service.ts';
export { communicationNeedLabels, engagementLabels, ethnicCodes, ethnicLabel, isoDateField, optionalText, sexLabels, sexes } from './inputs.ts';
export type { contactRelationships } from './inputs.ts';
export { xlsxStream } from './list.export.ts';
export { MAX_EXPORT_ROWS, REVIEW_DUE_DAYS, filterKeys, filterLabels, filterParams, flagLabels, legalStatusLabels, loadRegisterOptions, parseRegisterQuery, registerExportRows, registerWhere, statusLabels, statusTagClasses } from './list.queries.ts';
export type { RegisterFilter, RegisterOptions } from './list.queries.ts';
export { addContact, createPerson, listPractitioners, recordEvent, voidEvent } from './people.service.ts';
export { loadPerson } from './people.queries.ts';
export type { PersonRow } from './people.queries.ts';
export { refreshStaleDecisions } from './refresh.ts';
export { legalEvent, person, task, team } from './schema.ts';
export { grantWorkflowAuthority } from './workflow-authority.ts';
export { eventLabels, reasonLabels } from './event-forms.ts';
