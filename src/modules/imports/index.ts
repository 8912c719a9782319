/** The imports module's front door: the only file other modules, the app and the CLI import. */
export { ImportRejectedRowsError, checkImport, createImport, importOptions, rejectionFile, rowsPage, runApply, startApply } from './imports.service.ts';
export type { ImportMode, NoEntitlementChoice } from './imports.service.ts';
export { importedFundingSection } from './person-section.ts';
export { importedFundingWords, type ImportedFunding } from './funding.ts';
export { findPersonImportedFunding } from './imports.queries.ts';
export { APPLY_IMPORT_JOB, handleApplyJob } from './jobs.ts';
export { UploadFormatError, readUpload } from './read-file.ts';
