import { z } from 'zod';
import { referenceBody, referenceIcbs, referenceLocalAuthorities, referenceTrusts } from '../../domain/reference/organisations.ts';
import { issuePasswordLink, passwordLinkUrl } from '../../platform/auth/password-links.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { countPartnerships, emailTaken, insertAdministrator, insertCreatedEvent, insertOrganisation, insertPartnership, lockSetUp, partnershipNamed } from './setup.queries.ts';

/*
 * Partnership set-up (issue 14, item 1): a real partnership starts from the shipped reference list
 * (src/domain/reference/data/), not from the demo. One use case behind both the command
 * (`npx aftercare partnership create`) and the first-run page (/setup): it checks every code
 * against the list, creates the partnership, its organisations named from the list (the ICB as the
 * lead organisation) and the first administrator with no password, and returns a one-time link
 * for them to set one.
 */

const codes = (what: string) =>
  z
    .array(z.string().trim().toUpperCase())
    .transform((list) => [...new Set(list.filter((c) => c !== ''))])
    .describe(what);

export const partnershipInputSchema = z
  .object({
    name: z.string({ error: 'Enter the partnership’s name' }).trim().min(1, 'Enter the partnership’s name').max(200, 'The name must be 200 characters or fewer'),
    icb: z.string({ error: 'Choose the ICB or health board' }).trim().toUpperCase().min(1, 'Choose the ICB or health board'),
    localAuthorities: codes('local authorities'),
    trusts: codes('trusts').default([]),
    adminEmail: z
      .string({ error: 'Enter the administrator’s email address' })
      .trim()
      .toLowerCase()
      .min(1, 'Enter the administrator’s email address')
      .pipe(z.email('Enter the administrator’s email address in the correct format, like name@example.nhs.uk').max(320)),
    adminName: z.string().trim().max(200, 'The name must be 200 characters or fewer').optional(),
  })
  .superRefine((v, ctx) => {
    const icb = referenceIcbs.find((b) => b.code === v.icb || b.odsCode === v.icb);
    if (!icb) ctx.addIssue({ code: 'custom', path: ['icb'], message: `${v.icb} is not an ICB or Welsh health board on the reference list (ONS code like E54000040 or ODS code like QOX)` });
    if (v.localAuthorities.length === 0) ctx.addIssue({ code: 'custom', path: ['localAuthorities'], message: 'Choose at least one local authority' });
    for (const code of v.localAuthorities) {
      if (!referenceLocalAuthorities.some((b) => b.code === code)) {
        const why = /^E07\d{6}$/.test(code) ? 'is a district council, which has no social services duties: choose the county council' : 'is not a local authority on the reference list (ONS code like E06000030)';
        ctx.addIssue({ code: 'custom', path: ['localAuthorities'], message: `${code} ${why}` });
      }
    }
    for (const code of v.trusts) {
      if (!referenceTrusts.some((b) => b.code === code)) ctx.addIssue({ code: 'custom', path: ['trusts'], message: `${code} is not an NHS trust on the reference list (ODS code like RXT)` });
    }
  });
export type PartnershipInput = z.input<typeof partnershipInputSchema>;

export interface CreatedPartnership {
  partnershipId: string;
  name: string;
  organisations: Array<{ code: string; name: string; type: string; isLead: boolean }>;
  adminEmail: string;
  link: string;
  expiresAt: Date;
}

export async function hasPartnership(db: Db): Promise<boolean> {
  return (await countPartnerships(db)) > 0;
}

export async function createPartnership(db: Db, input: unknown, options: { clock: Clock; requestId: string; publicBaseUrl: string }): Promise<CreatedPartnership> {
  const data = parseInput(partnershipInputSchema, input);
  const icb = referenceBody(data.icb)!;
  const now = options.clock.now();
  return db.transaction(async (tx) => {
    await lockSetUp(tx);
    const problems = [];
    if (await partnershipNamed(tx, data.name)) problems.push({ path: 'name', message: `A partnership called ${data.name} already exists` });
    if (await emailTaken(tx, data.adminEmail)) problems.push({ path: 'adminEmail', message: `An account with the email address ${data.adminEmail} already exists` });
    if (problems.length > 0) throw new InputError(problems);

    const partnershipId = await insertPartnership(tx, data.name, now);
    const organisations = [];
    // The ICB leads: its administrators administer every organisation (as in the demo).
    const lead = await insertOrganisation(tx, { partnershipId, type: 'icb', code: icb.odsCode ?? icb.code, onsCode: icb.code, name: icb.name, isLead: true, createdAt: now, updatedAt: now });
    organisations.push(lead);
    for (const code of data.localAuthorities) {
      const la = referenceBody(code)!;
      organisations.push(await insertOrganisation(tx, { partnershipId, type: 'local-authority', code: la.code, name: la.name, createdAt: now, updatedAt: now }));
    }
    for (const code of data.trusts) {
      const trust = referenceBody(code)!;
      organisations.push(await insertOrganisation(tx, { partnershipId, type: 'nhs-trust', code: trust.code, name: trust.name, createdAt: now, updatedAt: now }));
    }
    const displayName = data.adminName || 'Partnership administrator';
    const userId = await insertAdministrator(tx, { partnershipId, email: data.adminEmail, displayName, organisationId: lead.id, roles: ['administrator'] });
    await insertCreatedEvent(tx, partnershipId, options.requestId, {
      name: data.name,
      organisations: organisations.map((o) => ({ code: o.code, name: o.name, type: o.type, isLead: o.isLead })),
      administrator: { userId, email: data.adminEmail },
    });
    const { token, expiresAt } = await issuePasswordLink(tx, { partnershipId, userId, now, requestId: options.requestId });
    return {
      partnershipId,
      name: data.name,
      organisations: organisations.map((o) => ({ code: o.code, name: o.name, type: o.type, isLead: o.isLead })),
      adminEmail: data.adminEmail,
      link: passwordLinkUrl(options.publicBaseUrl, token),
      expiresAt,
    };
  });
}
