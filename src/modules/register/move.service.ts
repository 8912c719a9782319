import { z } from 'zod';
import { assertCanOnPerson } from '../../platform/access/policy.ts';
import { NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { addDays } from '../../domain/calendar-date.ts';
import { organisationLabel } from '../../platform/plain-language.ts';
import { moveAddressAtVersion, organisationWithCode } from './move.queries.ts';
import { findPerson, insertTask } from './people.queries.ts';

export const moveSchema = z.object({
  residenceLocalAuthority: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^(E0[6-9]|E10|W06)\d{6}$/, 'Enter the ONS code of the local authority they are moving to, like E06000902'),
  address: z.string().trim().min(1, 'Enter their new address').max(500, 'Address must be 500 characters or fewer'),
  postcode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/, 'Enter a real postcode, like ZZ99 3AB'),
});

/**
 * What a move does and does not change, in the words a practitioner needs.
 * s117(3) and Worcestershire [2023] UKSC 31: the responsible authority is where the person was
 * ordinarily resident immediately before detention, so a move does not transfer the duty; only
 * a new qualifying detention does (R13, R14). ICB Responsibilities Regulations 2022 reg 2(2):
 * the ICB stays until aftercare is formally ended (R17).
 */
export function moveConsequences(
  p: { residenceLocalAuthority: string | null; responsibleLocalAuthority: string | null; responsibleIcb: string | null; status: string },
  to: string,
  nameOf: (code: string) => string | null = () => null,
) {
  const entitled = p.status === 'entitled' || p.status === 'pending';
  // Bodies by name (issue #13): the partnership's or the reference list's.
  const body = (code: string | null) => (code ? organisationLabel(code, nameOf) : null);
  return {
    changes: [`Where they live: from ${body(p.residenceLocalAuthority) ?? 'not recorded'} to ${body(to)}.`, 'A handover task is created for the receiving team.'],
    staysTheSame: entitled
      ? [
          `The responsible local authority stays ${body(p.responsibleLocalAuthority) ?? 'as decided'}: section 117 follows where they were ordinarily resident immediately before detention, not where they live now (s117(3); Worcestershire [2023] UKSC 31). It changes only if they are detained again under a qualifying section.`,
          `The responsible ICB stays ${body(p.responsibleIcb) ?? 'as decided'} until section 117 aftercare is formally ended (NHS (ICB Responsibilities) Regulations 2022, reg 2(2)), even if they register with a GP elsewhere.`,
          'Their aftercare continues: a move is not a lawful reason to end it (R10).',
        ]
      : ['They are not entitled to section 117 aftercare now, so no responsible body changes.'],
  };
}

export async function moveArea(ctx: ServiceContext, personId: string, version: number, input: unknown) {
  const data = parseInput(moveSchema, input);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    const before = await findPerson(tx, partnershipId, personId);
    if (!before) throw new NotFoundError('Person not found');
    assertCanOnPerson(ctx.actor, 'person:write', before);
    const updated = expectOneUpdated(
      await moveAddressAtVersion(
        tx,
        partnershipId,
        personId,
        version,
        { residenceLocalAuthority: data.residenceLocalAuthority, address: data.address, postcode: data.postcode.replace(/\s*(\d[A-Z]{2})$/, ' $1') },
        ctx.clock.now(),
      ),
    );
    const receiving = await organisationWithCode(tx, partnershipId, data.residenceLocalAuthority);
    const handover = await insertTask(tx, {
      partnershipId,
      personId,
      kind: 'handover',
      title: `Handover: moved to ${receiving?.name ?? data.residenceLocalAuthority}`,
      detail: `Moved from ${before.residenceLocalAuthority ?? 'an unrecorded area'}. The responsible local authority (${before.responsibleLocalAuthority ?? 'none'}) and ICB (${before.responsibleIcb ?? 'none'}) do not change with the move. Agree who visits and reviews locally, and share the aftercare plan.`,
      ownerOrganisationId: receiving?.id ?? ctx.actor.activeOrganisationId,
      dueOn: addDays(ctx.today(), 14),
    });
    await audit.change({
      action: 'person.moved',
      subjectType: 'person',
      subjectId: personId,
      before: { residenceLocalAuthority: before.residenceLocalAuthority, address: before.address, postcode: before.postcode },
      after: { residenceLocalAuthority: updated.residenceLocalAuthority, address: updated.address, postcode: updated.postcode, handoverTaskId: handover.id },
    });
    return { person: updated, handover };
  });
}
