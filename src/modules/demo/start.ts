import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { DEMO_PASSWORD, demoUsers, isEmpty } from './partnership.ts';
import { DEMO_PEOPLE, seedDemoWithPeople } from './people.ts';
import { seedDemoRecords } from './records.ts';

type Out = (line: string) => void;
export type DemoSeeded = { people: number; milliseconds: number } | null;

/**
 * `npm start` with the demo allowed (SEED_DEMO, not production): on an empty database, the synthetic
 * demo partnership, its people and their records. The server imports this file only then, so the
 * demo seed is not part of the production start path.
 */
export async function seedDemoIfEmpty(database: Database, config: Config, out: Out): Promise<DemoSeeded> {
  if (!(await isEmpty(database.db))) return null;
  out(`First start: creating the synthetic demo partnership and ${DEMO_PEOPLE} synthetic people (up to a minute)…`);
  return seedDemoWithPeople(database, { config, after: seedDemoRecords });
}

/** The demo accounts, printed when the server starts with the demo allowed. */
export function printDemoAccounts(out: Out, seeded: DemoSeeded): void {
  out(seeded ? `A synthetic demo partnership with ${seeded.people} synthetic people has been created (${(seeded.milliseconds / 1000).toFixed(1)} s).` : 'Demo accounts (created when the database was first seeded):');
  out(`Sign in with any of these, password "${DEMO_PASSWORD}":`);
  for (const u of demoUsers) out(`  ${u.email.padEnd(38)} ${u.memberships.map((m) => m.roles.join(', ')).join('; ')}`);
}
