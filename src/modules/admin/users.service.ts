import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { roles, type Role } from '../../platform/access/actor.ts';
import { assertCan, can, organisationScope } from '../../platform/access/policy.ts';
import { recordChange } from '../../platform/audit/audit.ts';
import { hashPassword, passwordRules } from '../../platform/auth/passwords.ts';
import { destroyUserSessions } from '../../platform/auth/session-store.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';

const rolesSchema = z
  .array(z.enum(roles, { error: 'Select a role from the list' }), { error: 'Select at least one role' })
  .min(1, 'Select at least one role');

export const newUserSchema = z.object({
  displayName: z.string().trim().min(1, 'Enter the person’s full name').max(200, 'Full name must be 200 characters or fewer'),
  email: z.email('Enter an email address in the correct format, like name@example.org').trim().toLowerCase().max(320),
  password: z
    .string()
    .min(passwordRules.minLength, `Password must be at least ${passwordRules.minLength} characters`)
    .max(passwordRules.maxLength, `Password must be ${passwordRules.maxLength} characters or fewer`),
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
  await recordChange(ctx.db, ctx, {
    action: 'user.own-access-change-refused',
    subjectType: 'user',
    subjectId: member.id,
    after: { attempted, organisationId: member.organisationId },
  });
  throw new ForbiddenError(OWN_ACCESS_REFUSED);
}

export interface UserRow {
  id: string;
  displayName: string;
  email: string;
  active: boolean;
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  membershipId: string;
  membershipVersion: number;
  userVersion: number;
  organisationId: string;
  organisationName: string;
  roles: Role[];
}

const userColumns = {
  id: appUser.id,
  displayName: appUser.displayName,
  email: appUser.email,
  active: appUser.active,
  lockedUntil: appUser.lockedUntil,
  lastSignInAt: appUser.lastSignInAt,
  userVersion: appUser.version,
  membershipId: membership.id,
  membershipVersion: membership.version,
  organisationId: organisation.id,
  organisationName: organisation.name,
  roles: membership.roles,
};

/** The users of one organisation, for its administrators (or the lead organisation's). */
export async function listUsersOfOrganisation(ctx: ServiceContext, organisationId: string): Promise<UserRow[]> {
  assertCan(ctx.actor, 'users:manage', { partnershipId: ctx.actor.partnershipId, organisationId });
  const rows = await ctx.db
    .select(userColumns)
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(and(eq(membership.organisationId, organisationId), eq(membership.partnershipId, ctx.actor.partnershipId)))
    .orderBy(asc(appUser.displayName));
  return rows;
}

/** Organisations whose users the actor administers. */
export async function administeredOrganisations(ctx: ServiceContext) {
  const scope = organisationScope(ctx.actor, 'users:manage');
  const where = scope.all
    ? eq(organisation.partnershipId, ctx.actor.partnershipId)
    : and(eq(organisation.partnershipId, ctx.actor.partnershipId), inArray(organisation.id, scope.organisationIds.length ? scope.organisationIds : ['00000000-0000-0000-0000-000000000000']));
  return ctx.db.select().from(organisation).where(where).orderBy(asc(organisation.name));
}

export async function getMembership(ctx: ServiceContext, membershipId: string): Promise<UserRow> {
  const rows = (await ctx.db
    .select(userColumns)
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(and(eq(membership.id, membershipId), eq(membership.partnershipId, ctx.actor.partnershipId)))) as UserRow[];
  const row = rows[0];
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
  const org = (await ctx.db.select().from(organisation).where(and(eq(organisation.id, data.organisationId), eq(organisation.partnershipId, ctx.actor.partnershipId))))[0];
  if (!org) throw new InputError([{ path: 'organisationId', message: 'Select the organisation' }]);
  if (ctx.actor.userId !== null) {
    const self = (await ctx.db.select({ email: appUser.email }).from(appUser).where(eq(appUser.id, ctx.actor.userId)))[0];
    if (self?.email === data.email) await refuseOwnAccount(ctx, { id: ctx.actor.userId, organisationId: org.id }, 'add a membership');
  }
  const passwordHash = await hashPassword(data.password);
  return ctx.db.transaction(async (tx) => {
    const existing = (await tx.select().from(appUser).where(eq(appUser.email, data.email)))[0];
    if (existing) throw new InputError([{ path: 'email', message: 'An account with this email address already exists' }]);
    const [user] = await tx
      .insert(appUser)
      .values({ partnershipId: ctx.actor.partnershipId, email: data.email, displayName: data.displayName, passwordHash })
      .returning();
    const [member] = await tx
      .insert(membership)
      .values({ partnershipId: ctx.actor.partnershipId, userId: user!.id, organisationId: org.id, roles: data.roles })
      .returning();
    await recordChange(tx, ctx, {
      action: 'user.created',
      subjectType: 'user',
      subjectId: user!.id,
      after: { user: { ...user!, passwordHash: undefined }, membership: member },
    });
    return { user: user!, membership: member! };
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
  const result = await ctx.db.transaction(async (tx) => {
    const updated = expectOneUpdated(
      await tx
        .update(membership)
        .set({ roles: data.roles, version: version + 1, updatedAt: new Date() })
        .where(and(eq(membership.id, membershipId), eq(membership.version, version)))
        .returning(),
    );
    if (before.active !== data.active) {
      await tx.update(appUser).set({ active: data.active, updatedAt: new Date(), version: before.userVersion + 1 }).where(eq(appUser.id, before.id));
    }
    await recordChange(tx, ctx, {
      action: 'user.membership-updated',
      subjectType: 'user',
      subjectId: before.id,
      before: { roles: before.roles, active: before.active, organisationId: before.organisationId },
      after: { roles: updated.roles, active: data.active, organisationId: before.organisationId },
    });
    return updated;
  });
  if (!data.active) await destroyUserSessions(ctx.db, before.id);
  return result;
}

/** Lift a lockout early (after checking who is asking, outside the service). */
export async function unlockUser(ctx: ServiceContext, membershipId: string) {
  const before = await getMembership(ctx, membershipId);
  return ctx.db.transaction(async (tx) => {
    await tx.update(appUser).set({ lockedUntil: null, failedSignIns: 0, updatedAt: new Date() }).where(eq(appUser.id, before.id));
    await recordChange(tx, ctx, { action: 'user.unlocked', subjectType: 'user', subjectId: before.id, before: { lockedUntil: before.lockedUntil } });
  });
}

export function canManageUsersOf(ctx: ServiceContext, organisationId: string): boolean {
  return can(ctx.actor, 'users:manage', { partnershipId: ctx.actor.partnershipId, organisationId });
}
