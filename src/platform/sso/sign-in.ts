import type { Actor } from '../access/actor.ts';
import { recordChange } from '../audit/audit.ts';
import { loadUserActor } from '../auth/actor-loader.ts';
import type { Db } from '../db/database.ts';
import { findIdentityOfUser, findLinkedUser, findMemberByEmail, insertIdentity, isActiveMember, markSignedIn, type ProviderWithOrganisation } from './sso.queries.ts';

/*
 * Who the provider's person is in Aftercare (docs/decisions/0011-single-sign-on.md): first by
 * the subject linked before; else by an email address the provider vouches for (email_verified,
 * or the administrator trusts the provider for its domains) in one of the organisation's allowed
 * domains, belonging to a member of that organisation; linked then. Roles are Aftercare's own:
 * nothing in the token changes them. Nobody is created.
 */

export type Refusal =
  | 'unknown-user'
  | 'email-domain-not-allowed'
  | 'email-not-verified'
  | 'no-email'
  | 'linked-to-another-subject'
  | 'not-a-member';

export type MatchResult = { outcome: 'signed-in'; actor: Actor; linked: boolean } | { outcome: 'refused'; reason: Refusal; email: string | null };

export async function matchAndSignIn(
  db: Db,
  provider: ProviderWithOrganisation,
  claims: Record<string, unknown> & { sub: string },
  meta: { requestId: string; now: Date },
): Promise<MatchResult> {
  const issuer = provider.issuer;
  const subject = claims.sub;
  const rawEmail = claims[provider.emailClaim];
  const email = typeof rawEmail === 'string' && rawEmail.includes('@') ? rawEmail.trim().toLowerCase() : null;

  let userId: string | null = null;
  let linked = false;
  const identity = await findLinkedUser(db, provider.partnershipId, issuer, subject);
  if (identity) {
    if (!(await isActiveMember(db, identity.userId, provider.organisationId))) return { outcome: 'refused', reason: 'not-a-member', email };
    userId = identity.userId;
  } else {
    if (!email) return { outcome: 'refused', reason: 'no-email', email };
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (!provider.allowedDomains.includes(domain)) return { outcome: 'refused', reason: 'email-domain-not-allowed', email };
    if (claims.email_verified !== true && !provider.trustEmail) return { outcome: 'refused', reason: 'email-not-verified', email };
    const member = await findMemberByEmail(db, provider.partnershipId, provider.organisationId, email);
    if (!member || !member.active) return { outcome: 'refused', reason: 'unknown-user', email };
    // An account already linked to another subject at this issuer is not re-linked by email.
    if (await findIdentityOfUser(db, provider.partnershipId, issuer, member.userId)) return { outcome: 'refused', reason: 'linked-to-another-subject', email };
    userId = member.userId;
    linked = true;
  }

  const actor = await loadUserActor(db, userId, provider.organisationId);
  if (!actor || actor.activeOrganisationId !== provider.organisationId) return { outcome: 'refused', reason: 'not-a-member', email };
  const scope = { actor, requestId: meta.requestId };
  await db.transaction(async (tx) => {
    if (linked) {
      await insertIdentity(tx, { partnershipId: provider.partnershipId, issuer, subject, userId, organisationId: provider.organisationId, linkedAt: meta.now });
      await recordChange(tx, scope, { action: 'user.sign-in-linked', subjectType: 'user', subjectId: userId, after: { issuer, subject, organisationId: provider.organisationId, matchedBy: 'email' } });
    }
    await markSignedIn(tx, provider.partnershipId, issuer, subject, userId, meta.now);
    await recordChange(tx, scope, { action: 'user.signed-in', subjectType: 'user', subjectId: userId, after: { method: 'single sign-on', organisationId: provider.organisationId, issuer } });
  });
  return { outcome: 'signed-in', actor, linked };
}

/** A refused sign-in, recorded in the partnership's audit trail with its reason (no user is acting yet). */
export async function recordRefusal(
  db: Db,
  provider: Pick<ProviderWithOrganisation, 'partnershipId' | 'organisationId' | 'organisationName' | 'issuer'>,
  refusal: { reason: string; email?: string | null; detail?: string },
  requestId: string,
): Promise<void> {
  const actor: Actor = {
    kind: 'user',
    userId: null,
    tokenId: null,
    displayName: 'Single sign-on',
    partnershipId: provider.partnershipId,
    activeOrganisationId: provider.organisationId,
    memberships: [],
  };
  await db.transaction((tx) =>
    recordChange(tx, { actor, requestId }, {
      action: 'user.sign-in-refused',
      subjectType: 'sign-in-provider',
      subjectId: provider.organisationId,
      after: { method: 'single sign-on', reason: refusal.reason, issuer: provider.issuer, ...(refusal.email ? { email: refusal.email } : {}), ...(refusal.detail ? { detail: refusal.detail } : {}) },
    }),
  );
}
