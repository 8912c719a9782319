import { disputeAge, disputeKindLabels, disputeStageLabels, isReferralDue } from '../../domain/disputes.ts';
import { readingSection } from '../../platform/views/person-sections.ts';
import { openDisputesWithInterimLeadQuery } from './disputes.queries.ts';

/**
 * "Open disputes" on the person page: disputes about who is responsible, oldest first, with how
 * long each has been open and who funds care meanwhile (they never change the decision: R25).
 * Registered in src/app.ts; the caller has already checked the actor may read the person.
 * Its read runs with the other sections' in one statement, inside the person page's unit of work.
 */
export const openDisputesSection = readingSection({
  name: 'open-disputes',
  template: 'modules/disputes/views/_person-open-disputes.njk',
  reads: (q, ctx, person) => ({ disputes: openDisputesWithInterimLeadQuery(q, ctx.actor.partnershipId, person.id) }),
  show({ disputes: rows }, _ctx, _person, today) {
    if (rows.length === 0) return null;
    return {
      openDisputes: rows.map((d) => ({ ...d, interimLeadName: d.interimLeadName ?? 'Unknown body', age: disputeAge(d.aroseOn, today), referralDue: isReferralDue(today, d) })),
      kindLabels: disputeKindLabels,
      stageLabels: disputeStageLabels,
    };
  },
});
