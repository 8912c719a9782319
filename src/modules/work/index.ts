/** The work module's front door ("Waiting for you", issue 13): the only file other modules and the app import. */
export { workRoutes } from './routes.ts';
export { waitingForYou, waitingKindLabels, waitingKinds, type WaitingForYou, type WaitingItem } from './work.service.ts';
export { waitingSummary } from './summary.ts';
