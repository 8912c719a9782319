import { z } from 'zod';
import { referenceBody, referenceIcbs, referenceLocalAuthorities, referenceTrusts } from '../../domain/reference/organisations.ts';
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

/**
 * The reference list as the "add an organisation" page offers it (issue 14, item 1): local
 * authorities, ICBs and health boards, and NHS trusts, by name, without those already in the
 * partnership. A select with groups, which needs no JavaScript.
 */
export async function referenceGroups(ctx: ServiceContext, selected: string) {
  assertCan(ctx.actor, 'organisations:read');
  const taken = new Set((await ctx.data.read((q) => findOrganisations(q, ctx.actor.partnershipId))).map((o) => o.code));
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en-GB');
  const group = (label: string, bodies: ReadonlyArray<{ code: string; name: string; odsCode?: string }>) => ({
    label,
    options: bodies
      .filter((b) => !taken.has(b.odsCode ?? b.code))
      .slice()
      .sort(byName)
      .map((b) => ({ value: b.code, text: b.name, selected: b.code === selected })),
  });
  return [group('Local authorities', referenceLocalAuthorities), group('ICBs and Welsh health boards', referenceIcbs), group('NHS trusts', referenceTrusts)];
}

/** Adds a body of the reference list by its code, with the list's name, type and codes. */
export async function createOrganisationFromReference(ctx: ServiceContext, code: string) {
  assertCan(ctx.actor, 'organisations:manage', { partnershipId: ctx.actor.partnershipId });
  if (!code.trim()) throw new InputError([{ path: 'reference', message: 'Choose the organisation to add' }]);
  const body = referenceBody(code);
  if (!body) throw new InputError([{ path: 'reference', message: 'Choose an organisation from the list' }]);
  const input =
    body.kind === 'icb'
      ? { type: 'icb', name: body.name, code: body.odsCode ?? body.code, onsCode: body.code }
      : { type: body.kind, name: body.name, code: body.code };
  try {
    return await createOrganisation(ctx, input);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.issues.map((i) => ({ path: 'reference', message: i.path === 'code' ? `${body.name} is already in this partnership` : i.message })));
    throw error;
  }
}
