/**
 * Deprivation of liberty for the synthetic demo partnership (issue 16, item 4), written through the
 * liberty services as the Northvale practitioner: for the first Northvale person whose plan has
 * supported living with 24-hour support (seedDemoPlans gives it to every third person), the acid
 * test (Cheshire West) recorded for that plan and a COPDOL11 application tracked to a Court of
 * Protection order whose review date is three weeks away, so the demo shows it due. Everyone else
 * with such a plan still shows the prompt. Deterministic but for the dates, which follow today.
 */
import { addDays } from '../../domain/calendar-date.ts';
import type { Config } from '../../platform/config/config.ts';
import { govukDate } from '../../platform/plain-language.ts';
import type { Tx } from '../../platform/db/database.ts';
import { createAuthorisation, emptyAuthorisationInput, recordConsideration } from '../liberty/index.ts';
import { demoContext } from './context.ts';
import { findEntitledPeopleOf, findNewestPlanId } from './demo.queries.ts';
import { DEMO_PLANS } from './plans.ts';

export async function seedDemoLiberty(tx: Tx, partnershipId: string, config: Config): Promise<number> {
  const ctx = await demoContext(tx, partnershipId, config, 'practitioner@demo.aftercare.example', 'E06000901', 'seed:demo-liberty');
  // The same order seedDemoPlans walks: every third person there has the 24-hour supported living.
  const people = await findEntitledPeopleOf(tx, partnershipId, ['E06000901', 'E06000902'], DEMO_PLANS);
  const chosen = people.find((p, i) => i % 3 === 0 && p.la === 'E06000901');
  if (!chosen) return 0;
  const planId = await findNewestPlanId(tx, partnershipId, chosen.id);
  const today = ctx.today();
  const on = (days: number) => addDays(today, days);
  const consideration = await recordConsideration(ctx, chosen.id, {
    planId: planId ?? '',
    consideredOn: on(-75),
    setting: 'supported-living',
    supervisionAndControl: 'yes',
    freeToLeave: 'no',
    capacityToConsent: 'lacks',
    capacityAssessmentId: '',
    arrangements: 'Staff at Riverside day and night; the front door is kept locked; goes out only with a support worker.',
  });
  await createAuthorisation(ctx, chosen.id, {
    ...emptyAuthorisationInput,
    considerationId: consideration.id,
    setting: 'supported-living',
    place: 'Riverside Supported Living, flat 2',
    body: 'Northvale Council',
    requestedOn: on(-70),
    issuedOn: on(-60),
    outcome: 'granted',
    decidedOn: on(-30),
    startsOn: on(-30),
    reviewOn: on(21),
    representative: 'Their sister, as litigation friend',
    documents: `COPDOL11 application, ${govukDate(on(-70))}\nOrder of the Court of Protection, ${govukDate(on(-30))}`,
  });
  return 1;
}
