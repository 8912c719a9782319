import type { Config } from '../../platform/config/config.ts';
import type { Tx } from '../../platform/db/database.ts';
import { seedDemoAudit } from './audit.ts';
import { seedDemoPopulation } from './population.ts';
import { seedDemoPlans } from './plans.ts';
import { seedDemoLiberty } from './liberty.ts';
import { seedDemoStatutory } from './statutory.ts';
import { seedDemoQualitySnapshots } from '../quality/index.ts';

/**
 * The demo partnership's records beyond its people, seeded in the same transaction right after
 * them (`seedDemoWithPeople(database, { after: seedDemoRecords })`, by `npm start` on an empty
 * database and by `npx aftercare seed`): plans in every state, population figures, a year of
 * data-quality scores, last year's completed case audit, issue 16's safeguarding, capacity,
 * carers, advocacy and Care Act records (statutory.ts), and a Court of Protection order due for
 * review (liberty.ts). All synthetic.
 */
export async function seedDemoRecords(tx: Tx, partnershipId: string, config: Config): Promise<void> {
  await seedDemoPlans(tx, partnershipId, config);
  await seedDemoStatutory(tx, partnershipId, config);
  await seedDemoLiberty(tx, partnershipId, config);
  await seedDemoPopulation(tx, partnershipId);
  await seedDemoQualitySnapshots(tx, partnershipId, config);
  await seedDemoAudit(tx, partnershipId, config);
}
