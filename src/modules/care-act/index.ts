/** The Care Act module's front door (issue 16, item 7): the only file other modules, the app and the CLI import. */
export { careActRoutes } from './routes.ts';
export { careActSection } from './person-section.ts';
export { careActAssessment, financialAssessment } from './schema.ts';
