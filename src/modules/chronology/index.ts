/** The chronology module's front door (issue 15, item 2): the only file other modules, the app and the CLI import. */
export { chronologyRoutes } from './routes.ts';
export { chronologyApiRoutes } from './api.ts';
export { chronologySection } from './person-section.ts';
export { chronologyPage, chronologyForDownload } from './chronology.service.ts';
