/** The Care Act module's front door (issue 16, item 7): the only file other modules, the app and the CLI import. */
export { careActRoutes } from './routes.ts';
export { careActSection } from './person-section.ts';
export { careActAssessment, financialAssessment } from './schema.ts';
// For the demo seed (src/modules/demo/statutory.ts): the same service the pages use.
export { saveAssessment as saveCareActAssessment } from './care-act.service.ts';
