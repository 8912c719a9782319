import { z } from 'zod';
import { localServiceTypeCode, serviceTypeFromText, serviceTypes, type LocalServiceType } from '../../domain/reference/service-types.ts';
import { assertCan } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { findServiceTypes, insertServiceType, retireServiceTypeAtVersion, type ServiceTypeRow } from './service-types.queries.ts';

/*
 * Types of aftercare service (issue 13, item 8): the shipped list (src/domain/reference/
 * service-types.ts) and the partnership's own additions, which the lead organisation's
 * administrators add and retire ('settings:manage'), audited in the same unit of work. A retired
 * type is no longer offered for new services; services that have it keep its name.
 */

export type { ServiceTypeRow };

/** Every type a service can have in this partnership: shipped, then its own (retired ones too, for names). */
export interface ServiceTypeChoices {
  /** The partnership's own types, retired ones included (services recorded with them keep their names). */
  local: LocalServiceType[];
  /** The codes offered for new services: shipped and the partnership's own in use. */
  offered: Array<{ code: string; label: string; description: string }>;
}

/** For other modules (plans, dashboards) inside their own reads: no permission, no audit. */
export async function serviceTypeChoices(q: DbOrTx, partnershipId: string): Promise<ServiceTypeChoices> {
  const rows = await findServiceTypes(q, partnershipId);
  const local = rows.map((r) => ({ code: r.code, label: r.label, description: r.description }));
  const offered = [...serviceTypes.map((t) => ({ code: t.code, label: t.label, description: t.description })), ...rows.filter((r) => r.retiredAt === null).map((r) => ({ code: r.code, label: r.label, description: r.description }))];
  return { local, offered };
}

/** The settings page: the shipped list and the partnership's own types with who added them. */
export async function openServiceTypes(ctx: ServiceContext): Promise<{ shipped: typeof serviceTypes; local: ServiceTypeRow[] }> {
  assertCan(ctx.actor, 'settings:manage');
  const local = await ctx.data.read((q) => findServiceTypes(q, ctx.actor.partnershipId));
  return { shipped: serviceTypes, local };
}

export const newServiceTypeSchema = z.strictObject({
  label: z
    .string({ error: 'Enter the name of the type of service' })
    .trim()
    .min(1, 'Enter the name of the type of service')
    .max(80, 'The name must be 80 characters or fewer')
    .refine((v) => /[a-z0-9]/i.test(v), 'The name must include a letter or a number'),
  description: z.string({ error: 'Say what the type covers' }).trim().min(1, 'Say what the type covers').max(300, 'The description must be 300 characters or fewer'),
});

/** Add one of the partnership's own types. A name the list (or the partnership) already has is refused, so nothing is counted twice. */
export async function addServiceType(ctx: ServiceContext, input: unknown): Promise<ServiceTypeRow> {
  assertCan(ctx.actor, 'settings:manage');
  const data = parseInput(newServiceTypeSchema, input);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    const existing = await findServiceTypes(tx, partnershipId);
    const local = existing.map((r) => ({ code: r.code, label: r.label, description: r.description }));
    const same = serviceTypeFromText(data.label, local);
    if (same) {
      const name = serviceTypes.find((t) => t.code === same)?.label ?? local.find((t) => t.code === same)?.label ?? data.label;
      throw new InputError([{ path: 'label', message: `“${name}” is already a type of service: choose it on the plan instead of adding it again` }]);
    }
    const code = localServiceTypeCode(data.label);
    const created = await insertServiceType(tx, { partnershipId, code, label: data.label, description: data.description, createdBy: ctx.actor.userId });
    if (!created) throw new InputError([{ path: 'label', message: 'A type of service with a name like this has been added before (it may be retired): give it another name' }]);
    await audit.change({ action: 'service-type.added', subjectType: 'plan-settings', subjectId: partnershipId, after: created });
    return created;
  });
}

/** Retire one of the partnership's own types: no longer offered for new services. */
export async function retireServiceType(ctx: ServiceContext, code: string, version: number): Promise<ServiceTypeRow> {
  assertCan(ctx.actor, 'settings:manage');
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    const before = (await findServiceTypes(tx, partnershipId)).find((r) => r.code === code);
    if (!before || before.retiredAt !== null) throw new InputError([{ path: 'code', message: 'Choose a type of service the partnership added and still uses' }]);
    const updated = expectOneUpdated(await retireServiceTypeAtVersion(tx, partnershipId, code, version, ctx.clock.now()));
    await audit.change({ action: 'service-type.retired', subjectType: 'plan-settings', subjectId: partnershipId, before, after: updated });
    return updated;
  });
}
