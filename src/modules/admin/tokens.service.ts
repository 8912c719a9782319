import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { assertCan } from '../../platform/access/policy.ts';
import { recordChange } from '../../platform/audit/audit.ts';
import { hashToken } from '../../platform/auth/actor-loader.ts';
import { apiToken, organisation } from '../../platform/db/schema.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';

export const tokenInputSchema = z.object({
  organisationId: z.uuid('Select the organisation'),
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name for the token, like the system that will use it')
    .max(100, 'Name must be 100 characters or fewer'),
});

/** API tokens: `ac_` + 32 random bytes (base64url). Only a SHA-256 hash is stored. */
function newToken(): string {
  return `ac_${randomBytes(32).toString('base64url')}`;
}

export async function listTokens(ctx: ServiceContext, organisationId: string) {
  assertCan(ctx.actor, 'tokens:manage', { partnershipId: ctx.actor.partnershipId, organisationId });
  return ctx.db
    .select({
      id: apiToken.id,
      name: apiToken.name,
      prefix: apiToken.prefix,
      createdAt: apiToken.createdAt,
      lastUsedAt: apiToken.lastUsedAt,
      revokedAt: apiToken.revokedAt,
      approvedAt: apiToken.approvedAt,
      createdBy: apiToken.createdBy,
      version: apiToken.version,
    })
    .from(apiToken)
    .where(and(eq(apiToken.organisationId, organisationId), eq(apiToken.partnershipId, ctx.actor.partnershipId)))
    .orderBy(desc(apiToken.createdAt));
}

/**
 * Returns the token itself, which is shown once and cannot be recovered.
 *
 * Nobody grants themselves rights: a token created by a signed-in administrator is inactive
 * (the API answers 401) until a different administrator approves it (`approveToken`). The
 * operator's command line (`npx aftercare tokens create`, an actor with no user account) creates
 * active tokens (docs/decisions/0004-access-policy.md).
 */
export async function createToken(ctx: ServiceContext, input: unknown): Promise<{ id: string; token: string; name: string; waitingForApproval: boolean }> {
  const data = parseInput(tokenInputSchema, input);
  assertCan(ctx.actor, 'tokens:manage', { partnershipId: ctx.actor.partnershipId, organisationId: data.organisationId });
  const org = (await ctx.db.select().from(organisation).where(and(eq(organisation.id, data.organisationId), eq(organisation.partnershipId, ctx.actor.partnershipId))))[0];
  if (!org) throw new InputError([{ path: 'organisationId', message: 'Select the organisation' }]);
  const token = newToken();
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiToken)
      .values({
        partnershipId: ctx.actor.partnershipId,
        organisationId: org.id,
        name: data.name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 10),
        createdBy: ctx.actor.userId,
        approvedAt: ctx.actor.userId === null ? new Date() : null,
      })
      .returning();
    await recordChange(tx, ctx, {
      action: 'api-token.created',
      subjectType: 'api-token',
      subjectId: created!.id,
      after: { name: created!.name, prefix: created!.prefix, organisationId: org.id, approvedAt: created!.approvedAt },
    });
    return { id: created!.id, token, name: created!.name, waitingForApproval: created!.approvedAt === null };
  });
}

export async function revokeToken(ctx: ServiceContext, tokenId: string, version: number) {
  const before = (await ctx.db.select().from(apiToken).where(and(eq(apiToken.id, tokenId), eq(apiToken.partnershipId, ctx.actor.partnershipId))))[0];
  if (!before) throw new NotFoundError('API token not found');
  assertCan(ctx.actor, 'tokens:manage', { partnershipId: ctx.actor.partnershipId, organisationId: before.organisationId });
  return ctx.db.transaction(async (tx) => {
    const updated = expectOneUpdated(
      await tx
        .update(apiToken)
        .set({ revokedAt: new Date(), revokedBy: ctx.actor.userId, version: version + 1, updatedAt: new Date() })
        .where(and(eq(apiToken.id, tokenId), eq(apiToken.version, version), isNull(apiToken.revokedAt)))
        .returning(),
    );
    await recordChange(tx, ctx, {
      action: 'api-token.revoked',
      subjectType: 'api-token',
      subjectId: tokenId,
      before: { name: before.name, prefix: before.prefix, revokedAt: null },
      after: { name: updated.name, prefix: updated.prefix, revokedAt: updated.revokedAt },
    });
    return updated;
  });
}

/**
 * Approve a token another administrator created: only then does it work. The creator may not
 * approve their own (403); an administrator of the token's organisation or of the lead
 * organisation may. A revoked or already approved token is a conflict (409).
 */
export async function approveToken(ctx: ServiceContext, tokenId: string, version: number) {
  const before = (await ctx.db.select().from(apiToken).where(and(eq(apiToken.id, tokenId), eq(apiToken.partnershipId, ctx.actor.partnershipId))))[0];
  if (!before) throw new NotFoundError('API token not found');
  assertCan(ctx.actor, 'tokens:manage', { partnershipId: ctx.actor.partnershipId, organisationId: before.organisationId });
  if (ctx.actor.userId === null || before.createdBy === ctx.actor.userId) {
    throw new ForbiddenError('You created this token, so another administrator must approve it.');
  }
  if (before.revokedAt) throw new ConflictError('This token has been revoked, so it cannot be approved.');
  return ctx.db.transaction(async (tx) => {
    const now = new Date();
    const updated = expectOneUpdated(
      await tx
        .update(apiToken)
        .set({ approvedAt: now, approvedBy: ctx.actor.userId, version: version + 1, updatedAt: now })
        .where(and(eq(apiToken.id, tokenId), eq(apiToken.version, version), isNull(apiToken.approvedAt), isNull(apiToken.revokedAt)))
        .returning(),
    );
    await recordChange(tx, ctx, {
      action: 'api-token.approved',
      subjectType: 'api-token',
      subjectId: tokenId,
      before: { name: before.name, prefix: before.prefix, approvedAt: null },
      after: { name: updated.name, prefix: updated.prefix, approvedAt: updated.approvedAt, approvedBy: updated.approvedBy },
    });
    return updated;
  });
}
