/**
 * Issue 16's statutory records for a handful of the demo's Northvale people, written through each
 * module's services as the demo users who would write them (so the same checks and audit events as
 * the pages): safeguarding concerns (raised; decided met with an enquiry, a strategy meeting, a
 * protection plan and links to the person's aftercare plans; concluded; decided not met), capacity assessments about accommodation (has
 * capacity, lacks capacity) and a best-interests meeting with an IMCA instructed and the report
 * outstanding, carers with consent recorded and a carer's assessment offered and one completed, an
 * IMHA referral, and Care Act assessments (one completed and eligible, one in draft).
 * Deterministic: the same people get the same records on every first start, dated from the seed's
 * today. Legal histories and plans are left as people.ts and plans.ts made them. All synthetic.
 */
import { addDays, addMonths } from '../../domain/calendar-date.ts';
import { careOutcomeCodes, type CareOutcomeCode, type OutcomeAnswer } from '../../domain/care-act.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { createCapacityAssessment, emptyBestInterestsInput, recordBestInterests } from '../capacity/index.ts';
import { saveCareActAssessment } from '../care-act/index.ts';
import { addCarer, offerCarerAssessment, recordCarerAssessment, recordReferral } from '../carers/index.ts';
import { addEnquiryRecord, concludeEnquiry, emptyConcernInput, linksForm, raiseConcern, recordDecision, updateLinks, updateProtectionPlan } from '../safeguarding/index.ts';
import { demoContext } from './context.ts';
import { findEntitledPeopleOf } from './demo.queries.ts';

/** How many of Northvale's entitled people the statutory records are spread over. */
export const DEMO_STATUTORY_PEOPLE = 8;

const NORTHVALE = 'E06000901';
const contextFor = (tx: Tx, partnershipId: string, config: Config, email: string): Promise<ServiceContext> => demoContext(tx, partnershipId, config, email, NORTHVALE, 'seed:demo-statutory');

export interface DemoStatutoryCounts {
  concerns: number;
  capacityAssessments: number;
  bestInterests: number;
  carers: number;
  referrals: number;
  careActAssessments: number;
}

export async function seedDemoStatutory(tx: Tx, partnershipId: string, config: Config): Promise<DemoStatutoryCounts> {
  const practitioner = await contextFor(tx, partnershipId, config, 'practitioner@demo.aftercare.example');
  const manager = await contextFor(tx, partnershipId, config, 'manager@demo.aftercare.example');
  const today = practitioner.today();
  const ago = (days: number) => addDays(today, -days);
  const people = (await findEntitledPeopleOf(tx, partnershipId, [NORTHVALE], DEMO_STATUTORY_PEOPLE)).map((p) => p.id);
  const counts: DemoStatutoryCounts = { concerns: 0, capacityAssessments: 0, bestInterests: 0, carers: 0, referrals: 0, careActAssessments: 0 };
  if (people.length < 4) return counts;
  const at = (i: number) => people[i % people.length]!;

  /* ---------- Safeguarding (Care Act 2014, ss42-47) ---------- */
  const concern = (raisedOn: string, fields: Partial<typeof emptyConcernInput>) => ({
    ...emptyConcernInput,
    categories: ['financial'],
    reportedBy: 'Home care worker (invented)',
    riskSource: 'known-to-individual',
    location: 'own-home',
    raisedOn,
    concern: 'A relative has been collecting their benefits and keeping most of the money.',
    personAsked: 'yes',
    personsViews: 'They want the money back but do not want the relative to get into trouble.',
    desiredOutcomes: 'To manage their own money again.',
    ...fields,
  });
  const yes = { needsCareAndSupport: 'yes', experiencingAbuse: 'yes', unableToProtect: 'yes' };
  // 1. Raised today: waiting for the council's section 42(1) decision.
  await raiseConcern(practitioner, at(0), concern(today, { categories: ['self-neglect'], concern: 'Flat found cold and without food; has stopped opening post.', reportedBy: 'Neighbour (invented)', personsViews: 'Says they are fine and do not want fuss.', desiredOutcomes: '' }));
  // 2. Decided met: an enquiry led by the practitioner, with a strategy meeting and a protection plan.
  const inEnquiry = await raiseConcern(practitioner, at(1), concern(ago(3), {}));
  const met = await recordDecision(manager, at(1), inEnquiry.id, inEnquiry.version, { ...yes, decision: 'met', reason: 'Care and support needs from their mental disorder; financial abuse reported by two people; cannot stop it alone.', leadId: practitioner.actor.userId! });
  await addEnquiryRecord(practitioner, at(1), inEnquiry.id, { kind: 'strategy-meeting', heldOn: today, who: 'Practitioner, team manager, care coordinator and the bank’s vulnerable customer team (invented)', detail: 'Bank to flag the account; appointee arrangement to be explored; police informed with consent.', dueOn: '' });
  await addEnquiryRecord(practitioner, at(1), inEnquiry.id, { kind: 'action', heldOn: today, who: 'Care coordinator', detail: 'Apply for the council to become appointee for benefits.', dueOn: addDays(today, 14) });
  const planned = await updateProtectionPlan(practitioner, at(1), inEnquiry.id, met.version, { plan: 'Benefits paid to a new account only they can use; weekly visit from the care coordinator; relative’s visits at the day centre.', reviewOn: addMonths(today, 1) });
  // The enquiry linked to the person's aftercare plans, as the practitioner would from the concern's page.
  const linkable = await linksForm(practitioner, at(1), inEnquiry.id);
  const plans = linkable.groups.find((g) => g.kind === 'plan')?.items.map((i) => i.id) ?? [];
  if (plans.length > 0) await updateLinks(practitioner, at(1), inEnquiry.id, planned.version, { notes: [], riskAssessments: [], plans });
  // 3. Decided met and concluded: the risk reduced.
  const concluded = await raiseConcern(practitioner, at(2), concern(ago(2), { categories: ['psychological', 'physical'], riskSource: 'service-provider', location: 'care-home-residential', concern: 'A support worker shouted at them and pushed them during a dispute about a cigarette break.', reportedBy: 'Another resident’s visitor (invented)' }));
  const decided = await recordDecision(manager, at(2), concluded.id, concluded.version, { ...yes, decision: 'met', reason: 'Lives in a care home because of care and support needs; an assault by staff was reported; cannot protect themselves from staff alone.', leadId: practitioner.actor.userId! });
  await addEnquiryRecord(practitioner, at(2), concluded.id, { kind: 'strategy-discussion', heldOn: today, who: 'Practitioner, team manager and the home’s registered manager (invented)', detail: 'The worker is suspended; the home investigates under its policy; we visit the person.', dueOn: '' });
  await concludeEnquiry(practitioner, at(2), concluded.id, decided.version, { outcome: 'reduced', outcomesAchieved: 'fully', detail: 'The worker was dismissed and referred to the Disclosure and Barring Service; the person feels safe at the home.' });
  // 4. Decided not met: closed.
  const notMet = await raiseConcern(practitioner, at(3), concern(ago(1), { categories: ['neglect'], riskSource: 'unknown-to-individual', location: 'community', concern: 'Seen in town in thin clothes in the cold.', reportedBy: 'Member of the public (invented)' }));
  await recordDecision(manager, at(3), notMet.id, notMet.version, { needsCareAndSupport: 'yes', experiencingAbuse: 'no', unableToProtect: 'no', decision: 'not-met', reason: 'No abuse or neglect by anyone: they chose to go out without a coat and have warm clothes at home. Advice given.', leadId: '' });
  counts.concerns = 4;

  /* ---------- Mental capacity (MCA 2005 ss1-3) and best interests (s4), with an IMCA (ss35-39) ---------- */
  const assessment = {
    topic: 'accommodation',
    decision: 'Whether to move from the flat to supported accommodation with staff on site',
    assessedOn: ago(5),
    assessedTime: '10:30',
    relevantInformation: 'The two places on offer, the support at each, the cost to them (none: section 117 aftercare), and what could happen if they stay where they are.',
    practicableSteps: 'Visited at home in the morning, when they are at their best; photographs of both places; easy-read sheet; their sister present.',
    executiveFunctioning: '',
    attached: '',
  };
  await createCapacityAssessment(
    practitioner,
    at(4),
    {
      ...assessment,
      impairment: 'yes',
      impairmentDetail: 'Schizoaffective disorder, currently settled.',
      causalLink: 'no',
      causalLinkEvidence: 'They weighed the options well and explained their choice in their own words.',
      understand: 'met',
      understandEvidence: 'Explained back what each place offers.',
      retain: 'met',
      retainEvidence: 'Remembered the details a day later.',
      useOrWeigh: 'met',
      useOrWeighEvidence: 'Compared staff support with being near their sister.',
      communicate: 'met',
      communicateEvidence: 'Said clearly which they chose.',
    },
    true,
  );
  const lacks = await createCapacityAssessment(
    practitioner,
    at(5),
    {
      ...assessment,
      impairment: 'yes',
      impairmentDetail: 'Alcohol-related brain damage with a diagnosis of psychosis.',
      causalLink: 'yes',
      causalLinkEvidence: 'Memory loss from the brain damage means they cannot hold the information long enough to weigh it.',
      understand: 'met',
      understandEvidence: 'Understood the options when explained with photographs.',
      retain: 'not-met',
      retainEvidence: 'Could not recall either place ten minutes later, on three visits.',
      useOrWeigh: 'not-met',
      useOrWeighEvidence: 'Could not hold the risks of staying in mind while thinking about moving.',
      communicate: 'met',
      communicateEvidence: 'Speaks clearly about what they want today.',
      executiveFunctioning: 'Says they will cook and pay bills, but on observation does neither: their account does not match what they do.',
    },
    true,
  );
  counts.capacityAssessments = 2;
  await recordBestInterests(practitioner, at(5), {
    ...emptyBestInterestsInput,
    assessmentId: lacks.id,
    kind: 'meeting',
    decidedOn: ago(2),
    convenedBy: 'Northvale Council practitioner',
    chairedBy: 'Northvale Council team manager',
    personWishes: 'Has always said they want a place of their own and to keep their dog.',
    beliefsValues: 'Values independence; has refused shared housing before.',
    consulted: '',
    noOneToConsult: 'yes',
    optionsConsidered: 'Staying in the flat with more home support; supported living with staff on site; a care home.',
    leastRestrictive: 'Supported living with staff on site and the dog allowed: less restrictive than a care home, and meets the need that home support did not.',
    decision: 'Move to supported living with staff on site.',
    reasons: 'Two falls and a fire at the flat this year; supported living keeps their own front door and their dog.',
    imcaInstructedOn: ago(2),
    imcaService: 'Northvale Advocacy (invented)',
    imcaAdvocate: 'Jo Whitfield (invented)',
  });
  counts.bestInterests = 1;

  /* ---------- Carers (Care Act 2014 s10) and advocacy (MHA 1983 s130A) ---------- */
  const sister = await addCarer(practitioner, at(0), { existingCarerId: '', name: 'Morven Tait (invented)', relationship: 'Sister', phone: '01632 960 410', email: '', address: '', consentToShare: 'yes', consentRecordedOn: ago(20) });
  const offered = await offerCarerAssessment(practitioner, at(0), sister.carerId, { offeredOn: ago(20), offeredAt: 'discharge' });
  await recordCarerAssessment(practitioner, at(0), sister.carerId, offered.id, offered.version, {
    acceptedOn: ago(18),
    declinedOn: '',
    completedOn: ago(7),
    needsAriseFromCaring: 'yes',
    healthAtRisk: 'yes',
    outcomesNotAchieved: ['recreation', 'relationships'],
    significantImpact: 'yes',
    summary: 'Visits daily and is up at night when her brother is unwell; has stopped seeing friends and is exhausted.',
    supportWhat: 'A sitting service one evening a week and a carer’s break each quarter',
    supportWho: 'Northvale Carers Centre (invented)',
    reviewOn: addMonths(ago(7), 6),
  });
  const partner = await addCarer(practitioner, at(1), { existingCarerId: '', name: 'Dev Marsh (invented)', relationship: 'Partner', phone: '', email: 'dev.marsh@example.org', address: '', consentToShare: 'no', consentRecordedOn: ago(4) });
  await offerCarerAssessment(practitioner, at(1), partner.carerId, { offeredOn: ago(4), offeredAt: 'review' });
  counts.carers = 2;
  await recordReferral(practitioner, at(6), { kind: 'imha', referredOn: ago(6), acceptedOn: ago(5), advocateNamedOn: ago(5), firstMetOn: ago(2), advocateName: 'Sam Rowe (invented)', service: 'Northvale Advocacy (invented)', notes: 'Wants help to ask about leave and the conditions of their community treatment order.' });
  counts.referrals = 1;

  /* ---------- Care Act assessment (Care and Support (Eligibility Criteria) Regulations 2015, reg 2) ---------- */
  const unable = (impact: string): OutcomeAnswer => ({ unable: true, ways: ['without-assistance'], impact });
  const able: OutcomeAnswer = { unable: false, ways: [], impact: '' };
  const outcomes = Object.fromEntries(careOutcomeCodes.map((c) => [c, able])) as Record<CareOutcomeCode, OutcomeAnswer>;
  outcomes['nutrition'] = unable('Skips meals for days when low, and has lost weight.');
  outcomes['habitable-home'] = unable('Cannot keep the flat clean or safe without help; rubbish builds up.');
  await saveCareActAssessment(practitioner, at(7), { assessedOn: ago(3), arisesFromImpairment: true, significantImpact: true, outcomes, personsView: 'Wants help at home so they can stay there.' }, { complete: true });
  await saveCareActAssessment(practitioner, at(6), { assessedOn: today, arisesFromImpairment: true, significantImpact: null, outcomes: { nutrition: unable('Forgets to eat when unwell.') }, personsView: '' }, { complete: false });
  counts.careActAssessments = 2;
  return counts;
}
