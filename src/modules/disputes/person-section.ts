import { disputeAge, disputeKindLabels, disputeStageLabels, isReferralDue } from '../../domain/disputes.ts';
import type { PersonSection } from '../../platform/views/person-sections.ts';
import { findOpenDisputesWithInterimLead } from './disputes.queries.ts';

/**
 * "Open disputes" on the person page: disputes about who is responsible, oldest first, with how
 * long each has been open and who funds care meanwhile (they never change the decision: R25).
 * Registered in src/app.ts; the caller has already checked the actor may read the person.
 * Read through the door: inside the person page's unit of work if it has one open.
 */
export const openDisputesSection: PersonSection = {
  name: 'open-disputes',
  template: 'modules/disputes/views/_person-open-disputes.njk',
  async load(ctx, person, today) {
    const rows = await ctx.data.read((q) => findOpenDisputesWithInterimLead(q, ctx.actor.partnershipId, person.id));
    if (rows.length === 0) return null;
    return {
      openDisputes: rows.map((d) => ({ ...d, interimLeadName: d.interimLeadName ?? 'Unknown body', age: disputeAge(d.aroseOn, today), referralDue: isReferralDue(today, d) })),
      kindLabels: disputeKindLabels,
      stageLabels: disputeStageLabels,
    };
  },
};
