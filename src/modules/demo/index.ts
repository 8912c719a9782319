/** The demo module's front door: the only file other modules, the app and the CLI import. */
export { isEmpty } from './partnership.ts';
export { seedDemoWithPeople } from './people.ts';
export { seedDemoRecords } from './records.ts';
export * from './start.ts';
