import { and, asc, eq, ne } from 'drizzle-orm';
import { disputeAge, disputeKindLabels, disputeStageLabels, isReferralDue } from '../../domain/disputes.ts';
import { organisation } from '../../platform/db/schema.ts';
import type { PersonSection } from '../../platform/views/person-sections.ts';
import { dispute } from './schema.ts';

/**
 * "Open disputes" on the person page: disputes about who is responsible, oldest first, with how
 * long each has been open and who funds care meanwhile (they never change the decision: R25).
 * Registered in src/app.ts; the caller has already checked the actor may read the person.
 */
export const openDisputesSection: PersonSection = {
  name: 'open-disputes',
  template: 'modules/disputes/views/_person-open-disputes.njk',
  async load(ctx, person, today) {
    const rows = await ctx.db
      .select({ id: dispute.id, kind: dispute.kind, stage: dispute.stage, aroseOn: dispute.aroseOn, interimLeadName: organisation.name })
      .from(dispute)
      .leftJoin(organisation, and(eq(organisation.partnershipId, dispute.partnershipId), eq(organisation.id, dispute.interimLeadOrganisationId)))
      .where(and(eq(dispute.partnershipId, ctx.actor.partnershipId), eq(dispute.personId, person.id), ne(dispute.stage, 'resolved')))
      .orderBy(asc(dispute.aroseOn));
    if (rows.length === 0) return null;
    return {
      openDisputes: rows.map((d) => ({ ...d, interimLeadName: d.interimLeadName ?? 'Unknown body', age: disputeAge(d.aroseOn, today), referralDue: isReferralDue(today, d) })),
      kindLabels: disputeKindLabels,
      stageLabels: disputeStageLabels,
    };
  },
};
