import { z } from 'zod';
import { roles } from '../../platform/access/actor.ts';
import { assertCan, can, organisationScope } from '../../platform/access/policy.ts';
import { hashPassword, newPasswordSchema } from '../../platform/auth/passwords.ts';
import { destroyUserSessions } from '../../platform/auth/session-store.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import {
  clearUserLockout,
  findMembership,
  findOrganisationOfPartnership,
  findOrganisationsByName,
  findUserEmail,
  findUsersOfOrganisation,
  insertMembership,
  insertUserUnlessEmailTaken,
  setUserActive,
  updateMembershipRolesAtVersion,
  type UserRow,
} from './users.queries.ts';

export type { UserRow } from './users.queries.ts';

const rolesSchema = z
  .array(z.enum(roles, { error: 'Select a role from the list' }), { error: 'Select at least one role' })
  .min(1, 'Select at least one role');

export const newUserSchema = z.object({
  displayName: z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Full name must be 200 characters or fewer'),
  email: z.email('Enter an email address in the correct format, like name@example.org').trim().toLowerCase().max(320),
  // Long enough and not a common breached password (issue 14, item 3).
  password: newPasswordSchema,
  organisationId: z.uuid('Select the organisation'),
  roles: rolesSchema,
});

export const membershipUpdateSchema = z.object({
  roles: rolesSchema,
  active: z.boolean({ error: 'Select yes if this person can sign in, or no if they cannot' }),
});

/** Why an administrator is refused a change to their own account (shown on the 403 page). */
export const OWN_ACCESS_REFUSED = 'You cannot change your own roles or access. Ask another administrator to do it.';

/** True when the membership belongs to the signed-in user: nobody changes their own access. */
export function isOwnAccount(ctx: ServiceContext, member: Pick<UserRow, 'id'>): boolean {
  return ctx.actor.userId !== null && ctx.actor.userId === member.id;
}

/**
 * Nobody grants themselves rights: an administrator cannot change their own roles, activate
 * or deactivate themselves, or add a membership to their own account. Another administrator
 * (of the organisation, or of the lead organisation) must do it, so two people are involved.
 * The refused attempt is audited (outside any transaction, so it stays recorded).
 */
async function refuseOwnAccount(ctx: ServiceContext, member: Pick<UserRow, 'id' | 'organisationId'>, attempted: string): Promise<void> {
  if (!isOwnAccount(ctx, member)) return;
  await ctx.data.transaction((_tx, audit) =>
    audit.change({
      action: 'user.own-access-change-refused',
      subjectType: 'user',
      subjectId: member.id,
      after: { attempted, organisationId: member.organisationId },
    }),
  );
  throw new ForbiddenError(OWN_ACCESS_REFUSED);
}

/** The users of one organisation, for its administrators (or the lead organisation's). */
export async function listUsersOfOrganisation(ctx: ServiceContext, organisationId: string): Promise<UserRow[]> {
  assertCan(ctx.actor, 'users:manage', { partnershipId: ctx.actor.partnershipId, organisationId });
  return ctx.data.read((q) => findUsersOfOrganisation(q, ctx.actor.partnershipId, organisationId));
}

/** Organisations whose users the actor administers. */
export async function administeredOrganisations(ctx: ServiceContext) {
  const scope = organisationScope(ctx.actor, 'users:manage');
  return ctx.data.read((q) => findOrganisationsByName(q, ctx.actor.partnershipId, scope.all ? 'all' : scope.organisationIds));
}

export async function getMembership(ctx: ServiceContext, membershipId: string): Promise<UserRow> {
  const row = await ctx.data.read((q) => findMembership(q, ctx.actor.partnershipId, membershipId));
  if (!row) throw new NotFoundError('User not found');
  assertCan(ctx.actor, 'users:manage', { partnershipId: ctx.actor.partnershipId, organisationId: row.organisationId });
  return row;
}

/** Create an account with a first membership. An existing account (same email) gains the membership instead. */
export async function createUser(ctx: ServiceContext, input: unknown) {
  // Permission before input: an actor who may manage no organisation's users is refused whatever the input.
  const claimed = typeof input === 'object' && input !== null ? (input as { organisationId?: unknown }).organisationId : undefined;
  assertCan(ctx.actor, 'users:manage', { partnershipId: ctx.actor.partnershipId, organisationId: typeof claimed === 'string' ? claimed : undefined });
  const data = parseInput(newUserSchema, input);
  assertCan(ctx.actor, 'users:manage', { partnershipId: ctx.actor.partnershipId, organisationId: data.organisationId });
  const actorUserId = ctx.actor.userId;
  const { org, selfEmail } = await ctx.data.read(async (q) => ({
    org: await findOrganisationOfPartnership(q, ctx.actor.partnershipId, data.organisationId),
    selfEmail: actorUserId !== null ? await findUserEmail(q, actorUserId) : undefined,
  }));
  if (!org) throw new InputError([{ path: 'organisationId', message: 'Select the organisation' }]);
  if (actorUserId !== null && selfEmail === data.email) await refuseOwnAccount(ctx, { id: actorUserId, organisationId: org.id }, 'add a membership');
  const passwordHash = await hashPassword(data.password);
  return ctx.data.transaction(async (tx, audit) => {
    const user = await insertUserUnlessEmailTaken(tx, { partnershipId: ctx.actor.partnershipId, email: data.email, displayName: data.displayName, passwordHash });
    if (!user) throw new InputError([{ path: 'email', message: 'An account with this email address already exists' }]);
    const member = await insertMembership(tx, { partnershipId: ctx.actor.partnershipId, userId: user.id, organisationId: org.id, roles: data.roles });
    await audit.change({
      action: 'user.created',
      subjectType: 'user',
      subjectId: user.id,
      after: { user: { ...user, passwordHash: undefined }, membership: member },
    });
    return { user, membership: member };
  });
}

/**
 * Change a member's roles, or deactivate the account. Deactivating signs the person out
 * everywhere. Two administrators editing at once: the second gets a conflict. Nobody changes
 * their own membership (403, checked before the input): see `refuseOwnAccount`.
 */
export async function updateMembership(ctx: ServiceContext, membershipId: string, version: number, input: unknown) {
  const before = await getMembership(ctx, membershipId);
  await refuseOwnAccount(ctx, before, 'change roles or access');
  const data = parseInput(membershipUpdateSchema, input);
  if (before.membershipVersion !== version) throw new ConflictError();
  return ctx.data.transaction(async (tx, audit) => {
    const now = ctx.clock.now();
    const updated = expectOneUpdated(await updateMembershipRolesAtVersion(tx, membershipId, version, data.roles, now));
    if (before.active !== data.active) await setUserActive(tx, before.id, data.active, before.userVersion, now);
    await audit.change({
      action: 'user.membership-updated',
      subjectType: 'user',
      subjectId: before.id,
      before: { roles: before.roles, active: before.active, organisationId: before.organisationId },
      after: { roles: updated.roles, active: data.active, organisationId: before.organisationId },
    });
    // Deactivating signs the person out everywhere, in the same transaction.
    if (!data.active) await destroyUserSessions(tx, before.id);
    return updated;
  });
}

/** Lift a lockout early (after checking who is asking, outside the service). */
export async function unlockUser(ctx: ServiceContext, membershipId: string) {
  const before = await getMembership(ctx, membershipId);
  return ctx.data.transaction(async (tx, audit) => {
    await clearUserLockout(tx, before.id, ctx.clock.now());
    await audit.change({ action: 'user.unlocked', subjectType: 'user', subjectId: before.id, before: { lockedUntil: before.lockedUntil } });
  });
}

export function canManageUsersOf(ctx: ServiceContext, organisationId: string): boolean {
  return can(ctx.actor, 'users:manage', { partnershipId: ctx.actor.partnershipId, organisationId });
}
