/** The reviews module's front door: the only file other modules, the app and the CLI import. */
export { queueReviewReminders } from './reminders.ts';
export { review } from './schema.ts';
