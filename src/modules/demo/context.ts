import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Tx } from '../../platform/db/database.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { findDemoUserAndOrganisation } from './demo.queries.ts';

/**
 * Demo seed steps act as a named demo user working for one organisation, through the same service
 * functions (and so the same checks and audit events) as the pages.
 */
export async function demoContext(tx: Tx, partnershipId: string, config: Config, email: string, orgCode: string, requestId: string): Promise<ServiceContext> {
  // Outside the door: finding the demo user is how the seed gets an actor to open one for (demo.queries.ts).
  const { userId, organisationId } = await findDemoUserAndOrganisation(tx, partnershipId, email, orgCode);
  if (!userId || !organisationId) throw new Error(`The demo user ${email} is missing: seed the demo partnership first`);
  const actor = await loadUserActor(tx, userId, organisationId);
  if (!actor) throw new Error(`The demo user ${email} cannot act`);
  return serviceContext({ db: tx, actor, requestId, config });
}
