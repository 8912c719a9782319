/** The dashboards module's front door: the only file other modules, the app and the CLI import. */
export { blocksForView, dashboardViewLabels, dashboardViews, parseView } from './assurance-blocks.ts';
export type { DashboardView } from './assurance-blocks.ts';
export { CACHE_SECONDS, TtlCache, computeDashboard, parseDashboardQuery, scopeKey } from './dashboard.service.ts';
export type { ParsedDashboardQuery } from './dashboard.service.ts';
export { assertCanReadDashboards, dashboardBlocks, dashboardHeadline, filterQuery, scopeForm, scopeText } from './routes.ts';
export { chartBlock } from './view-model.ts';
export type { Cell, ChartBlock } from './view-model.ts';
