import { and, eq } from 'drizzle-orm';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Tx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';

/**
 * Demo seed steps act as a named demo user working for one organisation, through the same service
 * functions (and so the same checks and audit events) as the pages.
 */
export async function demoContext(tx: Tx, partnershipId: string, config: Config, email: string, orgCode: string, requestId: string): Promise<ServiceContext> {
  const [user] = await tx.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.email, email)));
  const [org] = await tx.select({ id: organisation.id }).from(organisation).where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.code, orgCode)));
  if (!user || !org) throw new Error(`The demo user ${email} is missing: seed the demo partnership first`);
  const actor = await loadUserActor(tx, user.id, org.id);
  if (!actor) throw new Error(`The demo user ${email} cannot act`);
  return serviceContext({ db: tx, actor, requestId, config });
}
