import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { assertCan } from '../../platform/access/policy.ts';
import { hashToken } from '../../platform/auth/actor-loader.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { approveTokenAtVersion, findToken, findTokenOrganisation, findTokensOfOrganisation, insertToken, revokeTokenAtVersion } from './tokens.queries.ts';

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
  return ctx.data.read((q) => findTokensOfOrganisation(q, ctx.actor.partnershipId, organisationId));
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
  const token = newToken();
  return ctx.data.transaction(async (tx, audit) => {
    const org = await findTokenOrganisation(tx, ctx.actor.partnershipId, data.organisationId);
    if (!org) throw new InputError([{ path: 'organisationId', message: 'Select the organisation' }]);
    const created = await insertToken(tx, {
      partnershipId: ctx.actor.partnershipId,
      organisationId: org.id,
      name: data.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 10),
      createdBy: ctx.actor.userId,
      approvedAt: ctx.actor.userId === null ? ctx.clock.now() : null,
    });
    await audit.change({
      action: 'api-token.created',
      subjectType: 'api-token',
      subjectId: created.id,
      after: { name: created.name, prefix: created.prefix, organisationId: org.id, approvedAt: created.approvedAt },
    });
    return { id: created.id, token, name: created.name, waitingForApproval: created.approvedAt === null };
  });
}

export async function revokeToken(ctx: ServiceContext, tokenId: string, version: number) {
  const before = await ctx.data.read((q) => findToken(q, ctx.actor.partnershipId, tokenId));
  if (!before) throw new NotFoundError('API token not found');
  assertCan(ctx.actor, 'tokens:manage', { partnershipId: ctx.actor.partnershipId, organisationId: before.organisationId });
  return ctx.data.transaction(async (tx, audit) => {
    const updated = expectOneUpdated(await revokeTokenAtVersion(tx, tokenId, version, { userId: ctx.actor.userId, at: ctx.clock.now() }));
    await audit.change({
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
  const before = await ctx.data.read((q) => findToken(q, ctx.actor.partnershipId, tokenId));
  if (!before) throw new NotFoundError('API token not found');
  assertCan(ctx.actor, 'tokens:manage', { partnershipId: ctx.actor.partnershipId, organisationId: before.organisationId });
  if (ctx.actor.userId === null || before.createdBy === ctx.actor.userId) {
    throw new ForbiddenError('You created this token, so another administrator must approve it.');
  }
  if (before.revokedAt) throw new ConflictError('This token has been revoked, so it cannot be approved.');
  return ctx.data.transaction(async (tx, audit) => {
    const updated = expectOneUpdated(await approveTokenAtVersion(tx, tokenId, version, { userId: ctx.actor.userId, at: ctx.clock.now() }));
    await audit.change({
      action: 'api-token.approved',
      subjectType: 'api-token',
      subjectId: tokenId,
      before: { name: before.name, prefix: before.prefix, approvedAt: null },
      after: { name: updated.name, prefix: updated.prefix, approvedAt: updated.approvedAt, approvedBy: updated.approvedBy },
    });
    return updated;
  });
}
