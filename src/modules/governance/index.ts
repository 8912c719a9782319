/** The governance module's front door (issue 14, item 6): the only file other modules, the app and the CLI import. */
export { governanceRoutes } from './routes.ts';
export { subjectAccessSection } from './person-section.ts';
export { listRecordsDueMonthly, retentionSettings, updateRetentionSettings } from './retention.service.ts';
export { exportedTables, notExported } from './subject-access.tables.ts';
export type { ExportedTable } from './subject-access.tables.ts';
export { retentionPolicy, retentionReview } from './schema.ts';
