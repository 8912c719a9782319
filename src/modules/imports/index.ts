/** The imports module's front door: the only file other modules, the app and the CLI import. */
export { ImportRejectedRowsError, checkImport, createImport, importOptions, rejectionFile, rowsPage, runApply, startApply } from './imports.service.ts';
export type { ImportMode } from './imports.service.ts';
export { APPLY_IMPORT_JOB, handleApplyJob } from './jobs.ts';
export { UploadFormatError, readUpload } from './read-file.ts';
