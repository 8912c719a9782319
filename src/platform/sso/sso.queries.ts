import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { appUser, membership, organisation } from '../db/schema.ts';
import { signInIdentity, signInProvider } from './schema.ts';

/*
 * Single sign-on's data layer. The administrator's pages hand these the door's handle (so row-level
 * security confines them to the partnership); sign-in, which runs before anyone is known, hands
 * them the platform's own connection, like password sign-in (src/platform/auth/sign-in.ts).
 */

export type SignInProviderRow = typeof signInProvider.$inferSelect;
export type SignInProviderValues = Pick<typeof signInProvider.$inferInsert, 'issuer' | 'clientId' | 'allowedDomains' | 'emailClaim' | 'trustEmail' | 'scopes' | 'enabled'>;

export interface ProviderWithOrganisation extends SignInProviderRow {
  organisationName: string;
  organisationCode: string;
}

const withOrganisation = {
  provider: signInProvider,
  organisationName: organisation.name,
  organisationCode: organisation.code,
};

export async function findProvider(q: DbOrTx, partnershipId: string, organisationId: string): Promise<SignInProviderRow | undefined> {
  return (await q.select().from(signInProvider).where(and(eq(signInProvider.partnershipId, partnershipId), eq(signInProvider.organisationId, organisationId))))[0];
}

/** The provider of an organisation, found by the organisation alone (sign-in: the partnership is not known yet). */
export async function findProviderForSignIn(q: DbOrTx, organisationId: string): Promise<ProviderWithOrganisation | undefined> {
  const row = (
    await q
      .select(withOrganisation)
      .from(signInProvider)
      .innerJoin(organisation, eq(organisation.id, signInProvider.organisationId))
      .where(and(eq(signInProvider.organisationId, organisationId), eq(organisation.active, true)))
  )[0];
  return row ? { ...row.provider, organisationName: row.organisationName, organisationCode: row.organisationCode } : undefined;
}

/** Every enabled provider, for the sign-in page's "Sign in with …" links. */
export async function findEnabledProviders(q: DbOrTx): Promise<Array<{ organisationId: string; organisationName: string }>> {
  return q
    .select({ organisationId: signInProvider.organisationId, organisationName: organisation.name })
    .from(signInProvider)
    .innerJoin(organisation, eq(organisation.id, signInProvider.organisationId))
    .where(and(eq(signInProvider.enabled, true), eq(organisation.active, true)))
    .orderBy(asc(organisation.name));
}

export async function insertProvider(q: DbOrTx, values: SignInProviderValues & { partnershipId: string; organisationId: string; clientSecretEncrypted: string | null; updatedBy: string | null }): Promise<SignInProviderRow> {
  const [row] = await q.insert(signInProvider).values(values).returning();
  return row!;
}

/** Update the provider saved at `version`; `clientSecretEncrypted` undefined keeps the stored secret. */
export async function updateProviderAtVersion(
  q: DbOrTx,
  key: { partnershipId: string; organisationId: string },
  version: number,
  values: SignInProviderValues & { clientSecretEncrypted?: string; updatedBy: string | null },
  at: Date,
): Promise<SignInProviderRow[]> {
  return q
    .update(signInProvider)
    .set({ ...values, updatedAt: at, version: version + 1 })
    .where(and(eq(signInProvider.partnershipId, key.partnershipId), eq(signInProvider.organisationId, key.organisationId), eq(signInProvider.version, version)))
    .returning();
}

/** The user linked to a provider's subject, with whether they still belong to the organisation. */
export async function findLinkedUser(q: DbOrTx, partnershipId: string, issuer: string, subject: string) {
  return (
    await q
      .select({ userId: signInIdentity.userId, organisationId: signInIdentity.organisationId })
      .from(signInIdentity)
      .where(and(eq(signInIdentity.partnershipId, partnershipId), eq(signInIdentity.issuer, issuer), eq(signInIdentity.subject, subject)))
  )[0];
}

/** An active user of the partnership with this email who is a member of the organisation. */
export async function findMemberByEmail(q: DbOrTx, partnershipId: string, organisationId: string, email: string) {
  return (
    await q
      .select({ userId: appUser.id, active: appUser.active })
      .from(appUser)
      .innerJoin(membership, and(eq(membership.userId, appUser.id), eq(membership.organisationId, organisationId)))
      .where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.email, email)))
  )[0];
}

export async function isActiveMember(q: DbOrTx, userId: string, organisationId: string): Promise<boolean> {
  const rows = await q
    .select({ id: appUser.id })
    .from(appUser)
    .innerJoin(membership, and(eq(membership.userId, appUser.id), eq(membership.organisationId, organisationId)))
    .where(and(eq(appUser.id, userId), eq(appUser.active, true)));
  return rows.length > 0;
}

/** The user's identity at the issuer, if any (an account is linked to one subject per issuer). */
export async function findIdentityOfUser(q: DbOrTx, partnershipId: string, issuer: string, userId: string) {
  return (
    await q
      .select()
      .from(signInIdentity)
      .where(and(eq(signInIdentity.partnershipId, partnershipId), eq(signInIdentity.issuer, issuer), eq(signInIdentity.userId, userId)))
  )[0];
}

export async function insertIdentity(q: DbOrTx, values: typeof signInIdentity.$inferInsert): Promise<void> {
  await q.insert(signInIdentity).values(values);
}

export async function markSignedIn(q: DbOrTx, partnershipId: string, issuer: string, subject: string, userId: string, at: Date): Promise<void> {
  await q
    .update(signInIdentity)
    .set({ lastSignInAt: at })
    .where(and(eq(signInIdentity.partnershipId, partnershipId), eq(signInIdentity.issuer, issuer), eq(signInIdentity.subject, subject)));
  await q.update(appUser).set({ failedSignIns: 0, lastSignInAt: at }).where(eq(appUser.id, userId));
}
