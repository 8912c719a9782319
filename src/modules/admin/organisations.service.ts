import { z } from 'zod';
import { organisationTypes } from '../../platform/access/actor.ts';
import { assertCan } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { findOrganisation, findOrganisations, insertOrganisation, organisationCodeTaken, updateOrganisationAtVersion } from './organisations.queries.ts';

/** GSS codes for local authorities (E06/E07/E08/E09 England, W06 Wales); ODS codes for NHS bodies. */
const GSS_LOCAL_AUTHORITY = /^(E0[6-9]|W06)\d{6}$/;
const ODS = /^[A-Z0-9]{3,6}$/;

export const organisationInputSchema = z
  .object({
    type: z.enum(organisationTypes, { error: 'Select the type of organisation' }),
    name: z.string().trim().min(1, 'Enter the organisation’s name').max(200, 'Name must be 200 characters or fewer'),
    code: z.string().trim().toUpperCase().min(1, 'Enter the organisation’s code'),
    onsCode: z
      .string()
      .trim()
      .toUpperCase()
      .optional()
      .transform((v) => v || null),
    active: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.type === 'local-authority' && !GSS_LOCAL_AUTHORITY.test(v.code)) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'Enter a local authority’s ONS GSS code, like E06000030' });
    } else if (v.type !== 'local-authority' && !ODS.test(v.code)) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'Enter the ODS code, 3 to 6 letters and numbers, like QOX or RX9' });
    }
    if (v.onsCode && v.type !== 'icb') {
      ctx.addIssue({ code: 'custom', path: ['onsCode'], message: 'Only an ICB has a separate ONS code: leave it blank' });
    } else if (v.onsCode && !/^(E54|W11)\d{6}$/.test(v.onsCode)) {
      ctx.addIssue({ code: 'custom', path: ['onsCode'], message: 'Enter the ICB’s ONS code, like E54000040' });
    }
  });
export type OrganisationInput = z.input<typeof organisationInputSchema>;

export async function listOrganisations(ctx: ServiceContext) {
  assertCan(ctx.actor, 'organisations:read');
  return ctx.data.read((q) => findOrganisations(q, ctx.actor.partnershipId));
}

export async function getOrganisation(ctx: ServiceContext, id: string) {
  assertCan(ctx.actor, 'organisations:read');
  const row = await ctx.data.read((q) => findOrganisation(q, ctx.actor.partnershipId, id));
  if (!row) throw new NotFoundError('Organisation not found');
  return row;
}

async function assertCodeFree(tx: DbOrTx, partnershipId: string, code: string, exceptId?: string): Promise<void> {
  if (await organisationCodeTaken(tx, partnershipId, code, exceptId)) {
    throw new InputError([{ path: 'code', message: `Another organisation in this partnership already has the code ${code}` }]);
  }
}

export async function createOrganisation(ctx: ServiceContext, input: unknown) {
  assertCan(ctx.actor, 'organisations:manage', { partnershipId: ctx.actor.partnershipId });
  const data = parseInput(organisationInputSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    await assertCodeFree(tx, ctx.actor.partnershipId, data.code);
    const created = await insertOrganisation(tx, ctx.actor.partnershipId, data);
    await audit.change({ action: 'organisation.created', subjectType: 'organisation', subjectId: created.id, after: created });
    return created;
  });
}

/** Optimistic concurrency: `version` is the one the editor saw; a newer one means a conflict. */
export async function updateOrganisation(ctx: ServiceContext, id: string, version: number, input: unknown) {
  const before = await getOrganisation(ctx, id);
  assertCan(ctx.actor, 'organisations:manage', { partnershipId: before.partnershipId, organisationId: id });
  const data = parseInput(organisationInputSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    await assertCodeFree(tx, ctx.actor.partnershipId, data.code, id);
    const updated = expectOneUpdated(await updateOrganisationAtVersion(tx, ctx.actor.partnershipId, id, version, data, ctx.clock.now()));
    await audit.change({ action: 'organisation.updated', subjectType: 'organisation', subjectId: id, before, after: updated });
    return updated;
  });
}
