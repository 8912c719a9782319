/** The feeds module's front door: the only file other modules, the app and the CLI import. */
export { FINANCE_LAYOUT_VERSION, financeFields, financeHeader } from './finance-layout.ts';
export type { FinanceField } from './finance-layout.ts';
export { buildFinanceFile, financeFilename, produceDailyFinanceFiles } from './finance.service.ts';
export { feedsRoutes } from './routes.ts';
export { createSubscription } from './webhooks.service.ts';
