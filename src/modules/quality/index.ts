/** The quality module's front door: the only file other modules, the app and the CLI import. */
export { qualitySummary } from './quality.queries.ts';
export { qualityRules } from './rules.ts';
export { seedDemoQualitySnapshots, snapshotDataQuality } from './snapshots.ts';
