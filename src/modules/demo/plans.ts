/**
 * Aftercare plans for the synthetic demo partnership, written through the plans services as
 * the demo users who would write them: the Northvale practitioner drafts and the Northvale team
 * manager approves; Southmere's senior practitioner does both for Southmere. Every plan puts some
 * cost on the ICB, so the ICB's commissioner agrees first (issue 13: each body that pays agrees).
 * Most plans are approved; some are left in draft, waiting for approval, or agreed by the council
 * and waiting for the ICB, so every state shows in the demo.
 * Deterministic: the same people get the same plans on every first start.
 */
import type { NeedDomain } from '../../domain/rules/index.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { addNeed, addService, approvePlan, startPlan, submitPlan, updatePlanDetails } from '../plans/index.ts';
import { demoContext } from './context.ts';
import { findEntitledPeopleOf, findPlanVersion } from './demo.queries.ts';

/** How many of the demo's entitled people get a plan. */
export const DEMO_PLANS = 40;

interface NeedTemplate {
  domain: NeedDomain;
  description: string;
  personWords: string;
  desiredOutcome: string;
  level: 'low' | 'medium' | 'high';
  arisesFromMentalDisorder: boolean;
  reducesRiskOfDeterioration: boolean;
  testsRationale: string;
  accommodationEnhanced?: boolean;
  accommodationFeature?: string;
  eligibleCareActNeed?: boolean;
  service?: { serviceTypeCode: string; serviceType: string; provider: string; frequency: string; unitsPerWeek: string; unitCost: string; deliveryRoute: string; la: string; icb: string; basis: string };
}

const needs: NeedTemplate[] = [
  {
    domain: 'mental-health-relapse-prevention',
    description: 'Support to notice early signs of relapse and act on them',
    personWords: 'I want to know when I am getting unwell before it gets bad.',
    desiredOutcome: 'Stays well at home; no readmission this year',
    level: 'high',
    arisesFromMentalDisorder: true,
    reducesRiskOfDeterioration: true,
    testsRationale: 'Two admissions followed missed early warning signs; regular contact reduces the risk of relapse.',
    service: { serviceTypeCode: 'care-coordination', serviceType: 'Care coordination and relapse prevention', provider: 'Northvale and Southmere Mental Health NHS Foundation Trust', frequency: 'Weekly visit of 1 hour', unitsPerWeek: '1', unitCost: '68.00', deliveryRoute: 'commissioned', la: '0', icb: '100', basis: 'Health need: clinical relapse prevention by the community mental health team' },
  },
  {
    domain: 'accommodation',
    description: 'Supported accommodation with staff on site',
    personWords: 'Living on my own went badly last time.',
    desiredOutcome: 'A settled home with support while confidence grows',
    level: 'high',
    arisesFromMentalDisorder: true,
    reducesRiskOfDeterioration: true,
    testsRationale: 'Relapsed twice when living alone without support; staff on site reduce the risk of deterioration.',
    accommodationEnhanced: true,
    accommodationFeature: '24-hour staffing by mental health support workers',
    service: { serviceTypeCode: 'supported-living', serviceType: 'Supported living', provider: 'Riverside Supported Living (independent provider)', frequency: '24-hour support, 7 days a week', unitsPerWeek: '1', unitCost: '1,150.00', deliveryRoute: 'commissioned', la: '60', icb: '40', basis: 'Mostly social care, with health oversight of medication, agreed at the joint funding panel' },
  },
  {
    domain: 'daily-living',
    description: 'Help with shopping, cooking and managing the home',
    personWords: 'When I am low I stop eating properly.',
    desiredOutcome: 'Cooks three times a week without prompting',
    level: 'medium',
    arisesFromMentalDisorder: true,
    reducesRiskOfDeterioration: true,
    testsRationale: 'Self-neglect is an early sign of relapse for this person; support with daily living keeps them well.',
    service: { serviceTypeCode: 'home-care', serviceType: 'Home support', provider: 'Riverside Supported Living (independent provider)', frequency: '3 visits a week of 2 hours', unitsPerWeek: '6', unitCost: '24.50', deliveryRoute: 'direct-payment', la: '100', icb: '0', basis: 'Social care need: daily living support' },
  },
  {
    domain: 'medication',
    description: 'Prompting to take medication as prescribed',
    personWords: 'I forget my tablets when my routine changes.',
    desiredOutcome: 'Takes medication as prescribed every day',
    level: 'medium',
    arisesFromMentalDisorder: true,
    reducesRiskOfDeterioration: true,
    testsRationale: 'Stopping medication preceded the last admission; prompting reduces the risk of relapse.',
    service: { serviceTypeCode: 'home-care', serviceType: 'Medication prompting', provider: 'Riverside Supported Living (independent provider)', frequency: 'Daily 15-minute visit', unitsPerWeek: '1.75', unitCost: '26.00', deliveryRoute: 'commissioned', la: '30', icb: '70', basis: 'Mainly a health need, delivered by a care provider: agreed 30/70' },
  },
  {
    domain: 'work-education-volunteering',
    description: 'Wants to return to college',
    personWords: 'I want to finish my course.',
    desiredOutcome: 'Enrolled on a course by September',
    level: 'low',
    arisesFromMentalDisorder: true,
    reducesRiskOfDeterioration: false,
    testsRationale: 'Related to the illness, but college support does not itself reduce the risk of deterioration: met by universal services and the college.',
    eligibleCareActNeed: false,
  },
];

async function currentVersion(tx: Tx, partnershipId: string, planId: string): Promise<number> {
  return findPlanVersion(tx, partnershipId, planId);
}

const contextFor = (tx: Tx, partnershipId: string, config: Config, email: string, orgCode: string): Promise<ServiceContext> =>
  demoContext(tx, partnershipId, config, email, orgCode, 'seed:demo-plans');

export async function seedDemoPlans(tx: Tx, partnershipId: string, config: Config): Promise<number> {
  const writers = {
    E06000901: { drafter: await contextFor(tx, partnershipId, config, 'practitioner@demo.aftercare.example', 'E06000901'), approver: await contextFor(tx, partnershipId, config, 'manager@demo.aftercare.example', 'E06000901') },
    E06000902: { drafter: await contextFor(tx, partnershipId, config, 'senior@demo.aftercare.example', 'E06000902'), approver: await contextFor(tx, partnershipId, config, 'senior@demo.aftercare.example', 'E06000902') },
  } as const;
  const icb = await contextFor(tx, partnershipId, config, 'commissioner@demo.aftercare.example', 'QZV');
  const people = await findEntitledPeopleOf(tx, partnershipId, Object.keys(writers), DEMO_PLANS);
  let made = 0;
  for (const [i, p] of people.entries()) {
    const { drafter, approver } = writers[p.la as keyof typeof writers];
    const plan = await startPlan(drafter, p.id);
    await updatePlanDetails(drafter, p.id, plan.id, await currentVersion(tx, partnershipId, plan.id), {
      personVoice: 'I want to stay out of hospital and have my own place again.',
      goals: 'Stay well at home\nManage my medication\nSee my family every week',
      strengths: 'Knows their early warning signs; close to their sister; keen to work again',
      earlyWarningSigns: 'Sleeping badly, stopping medication, not answering the phone',
      whatHelps: 'A call from the care coordinator; time with family; keeping a routine',
      crisisContacts: 'Care coordinator (weekdays) 01632 960 400; crisis line (24 hours) 01632 960 999',
      carersInvolved: 'Sister, who visits weekly and agreed to be contacted in a crisis',
      participants: 'The person, their sister and the care coordinator, at a meeting on the ward',
      advocacy: [],
    });
    const chosen = [needs[0]!, needs[1 + (i % 3)]!, ...(i % 2 === 0 ? [needs[4]!] : [])];
    for (const need of chosen) {
      const { service, ...fields } = need;
      const created = await addNeed(drafter, p.id, plan.id, await currentVersion(tx, partnershipId, plan.id), {
        ...fields,
        accommodationEnhanced: fields.accommodationEnhanced ?? null,
        accommodationFeature: fields.accommodationFeature ?? '',
      });
      if (service) {
        await addService(drafter, p.id, plan.id, await currentVersion(tx, partnershipId, plan.id), {
          needIds: [created.id],
          serviceTypeCode: service.serviceTypeCode,
          serviceType: service.serviceType,
          provider: service.provider,
          startOn: p.entitlementStart ?? undefined,
          endOn: '',
          frequency: service.frequency,
          unitsPerWeek: service.unitsPerWeek,
          unitCostPence: service.unitCost,
          deliveryRoute: service.deliveryRoute,
          localAuthorityPercent: service.la,
          icbPercent: service.icb,
          splitBasis: service.basis,
          chargePence: '',
          topUp: null,
        });
      }
    }
    made += 1;
    if (i % 5 === 4) continue; // left in draft
    await submitPlan(drafter, p.id, plan.id, await currentVersion(tx, partnershipId, plan.id));
    // A person whose ICB is outside the partnership: only that ICB (or the panel) can agree.
    const ourIcb = p.icb === 'E54000901' || p.icb === 'QZV';
    if (i % 7 === 6 || !ourIcb) {
      // Agreed by the council, waiting for the ICB's agreement.
      await approvePlan(approver, p.id, plan.id, await currentVersion(tx, partnershipId, plan.id), '');
      continue;
    }
    await approvePlan(icb, p.id, plan.id, await currentVersion(tx, partnershipId, plan.id), 'Agreed for the ICB');
    await approvePlan(approver, p.id, plan.id, await currentVersion(tx, partnershipId, plan.id), '');
  }
  return made;
}
