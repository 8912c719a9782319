/**
 * Carers and advocacy (issue 16, items 5 and 6; docs/carers-and-advocacy.md). Every read goes
 * through the door and is audited as a view of the person's record; every write is one
 * transaction with its audit event (before and after) and optimistic concurrency.
 *
 * Who may do what: a carer is reached through a cared-for person, so reading needs person:read on
 * that person and writing (adding or linking a carer, offering and recording an assessment, an
 * advocacy referral) person:write, checked before the input is read.
 *
 * Consent to share (Care Act 2014, s10; UK GDPR article 6 and the common law duty of
 * confidentiality): a carer who has not agreed to share information is shown to staff who may read
 * the cared-for person, but not named in anything made for the person or sent to another system:
 * the API, the subject access export and the chronology's entries (see docs).
 */
import { z } from 'zod';
import { addDays, isRealDate } from '../../domain/calendar-date.ts';
import { advocacyDateIssues, advocacyKindLabels, advocacyKinds, advocacyOfferedAndUsed, advocacySources, advocacyStatus, advocacyStatusLabels, isAdvocacyKind, type AdvocacyKind } from '../../domain/advocacy.ts';
import {
  assessmentDateIssues,
  assessmentStatus,
  assessmentStatusLabels,
  carerEligibility,
  carerOutcomeKeys,
  carerOutcomes,
  CARERS_ASSESSMENT_SOURCE,
  defaultReviewOn,
  OFFER_ANSWER_DAYS,
  offerAnswerDueOn,
  offerDue,
  reviewDateIssue,
  reviewReached,
} from '../../domain/carers.ts';
import { canOnPerson, type PersonRelationships } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { ConflictError, InputError, NotFoundError, type FieldIssue } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { loadPerson, visiblePeople, type PersonRow } from '../register/index.ts';
import {
  countCaredFor,
  carerCounts,
  findAssessment,
  findAssessmentsOfCarer,
  findAssessmentsWaiting,
  findCaredFor,
  findLinkableCarers,
  findLinkedCarer,
  findReferral,
  findReferralsOf,
  insertAssessment,
  insertCarer,
  insertLink,
  insertReferral,
  updateAssessmentAtVersion,
  updateCarerAtVersion,
  updateReferralAtVersion,
  carersOfPersonQuery,
  assessmentsOfPersonsCarersQuery,
  referralsOfPersonQuery,
  type AdvocacyReferralRow,
  type CarerAssessmentRow,
  type CarerRow,
} from './carers.queries.ts';

const isUuid = (id: string) => z.uuid().safeParse(id).success;

/* ---------- Input ---------- */

/** An optional date from a form or the API: '' or null is none; anything else must be a real date. */
const optionalDate = (label: string) =>
  z
    .string()
    .nullish()
    .transform((d) => (d === undefined || d === null || d === '' ? null : d))
    .refine((d) => d === null || isRealDate(d), `The date ${label} must be a real date, like 4 3 2027`);

const requiredDate = (label: string, missing: string) =>
  z
    .string({ error: missing })
    .refine((d) => d !== '', missing)
    .refine((d) => d === '' || isRealDate(d), `The date ${label} must be a real date, like 4 3 2027`);

const text = (label: string, max: number) => z.string({ error: `Enter ${label}` }).trim().min(1, `Enter ${label}`).max(max, `${label.charAt(0).toUpperCase()}${label.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .nullish()
    .transform((s) => (s ?? '').trim())
    .refine((s) => s.length <= max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .transform((s) => (s === '' ? null : s));

const yesNo = (missing: string) => z.enum(['yes', 'no'], { error: missing }).transform((v) => v === 'yes');

export const offeredAtKinds = ['discharge', 'review', 'other'] as const;
export type OfferedAt = (typeof offeredAtKinds)[number];
export const offeredAtLabels: Record<OfferedAt, string> = { discharge: 'At discharge', review: 'At a review', other: 'At another time' };

export interface CarerInput {
  existingCarerId: string;
  name: string;
  relationship: string;
  phone: string;
  email: string;
  address: string;
  consentToShare: string;
  consentRecordedOn: string;
}

const newCarerSchema = z.object({
  name: text('the carer’s name', 200),
  relationship: text('the carer’s relationship to the person, like Mother or Neighbour', 100),
  phone: optionalText('The phone number', 40),
  email: optionalText('The email address', 200).refine((e) => e === null || z.email().safeParse(e).success, 'Enter an email address in the right format, like name@example.com'),
  address: optionalText('The address', 500),
  consentToShare: yesNo('Say whether the carer agrees to information being shared with and about them'),
  consentRecordedOn: requiredDate('consent was recorded', 'Enter the date the carer gave or refused consent'),
});

const linkSchema = z.object({ existingCarerId: z.uuid({ error: 'Choose a carer' }), relationship: text('the carer’s relationship to the person, like Mother or Neighbour', 100) });

export interface OfferInput {
  offeredOn: string;
  offeredAt: string;
}

const offerSchema = z.object({
  offeredOn: requiredDate('the assessment was offered', 'Enter the date the assessment was offered'),
  offeredAt: z.enum(offeredAtKinds, { error: 'Say when the assessment was offered: at discharge, at a review or at another time' }),
});

export interface AssessmentInput {
  acceptedOn: string;
  declinedOn: string;
  completedOn: string;
  needsAriseFromCaring: string;
  healthAtRisk: string;
  outcomesNotAchieved: string[];
  significantImpact: string;
  summary: string;
  supportWhat: string;
  supportWho: string;
  reviewOn: string;
}

const assessmentSchema = z.object({
  acceptedOn: optionalDate('the carer accepted'),
  declinedOn: optionalDate('the carer declined'),
  completedOn: optionalDate('the assessment was completed'),
  needsAriseFromCaring: z.enum(['yes', 'no', '']).optional(),
  healthAtRisk: z.enum(['yes', 'no', '']).optional(),
  outcomesNotAchieved: z.array(z.enum(carerOutcomeKeys, { error: 'Choose outcomes from the list' })).default([]),
  significantImpact: z.enum(['yes', 'no', '']).optional(),
  summary: optionalText('The summary of the assessment', 20_000),
  supportWhat: optionalText('What will be provided', 5000),
  supportWho: optionalText('Who will provide it', 1000),
  reviewOn: optionalDate('of the review'),
});

export interface ReferralInput {
  kind: string;
  referredOn: string;
  acceptedOn: string;
  advocateNamedOn: string;
  firstMetOn: string;
  advocateName: string;
  service: string;
  notes: string;
}

const referralSchema = z.object({
  kind: z.enum(advocacyKinds, { error: 'Choose the kind of advocate: IMHA, IMCA or Care Act advocate' }),
  referredOn: optionalDate('of the referral'),
  acceptedOn: optionalDate('the referral was accepted'),
  advocateNamedOn: optionalDate('the advocate was named'),
  firstMetOn: optionalDate('the advocate first met the person'),
  advocateName: optionalText('The advocate’s name', 200),
  service: text('the advocacy service', 200),
  notes: optionalText('Notes', 5000),
});

/* ---------- Views ---------- */

export function assessmentView(a: CarerAssessmentRow, personId: string, today: string) {
  const status = assessmentStatus(a);
  const due = offerAnswerDueOn(a);
  return {
    id: a.id,
    version: a.version,
    status,
    statusLabel: assessmentStatusLabels[status],
    offeredOn: govukDate(a.offeredOn),
    offeredAtLabel: offeredAtLabels[a.offeredAt as OfferedAt] ?? a.offeredAt,
    acceptedOn: a.acceptedOn ? govukDate(a.acceptedOn) : null,
    declinedOn: a.declinedOn ? govukDate(a.declinedOn) : null,
    completedOn: a.completedOn ? govukDate(a.completedOn) : null,
    answerOverdue: due !== null && due <= today,
    eligible: a.eligible,
    eligibilityReasons:
      a.completedOn && a.needsAriseFromCaring !== null && a.healthAtRisk !== null && a.significantImpact !== null
        ? carerEligibility({ needsAriseFromCaring: a.needsAriseFromCaring, healthAtRisk: a.healthAtRisk, outcomesNotAchieved: a.outcomesNotAchieved.filter((k): k is (typeof carerOutcomeKeys)[number] => (carerOutcomeKeys as string[]).includes(k)), significantImpact: a.significantImpact }).reasons
        : [],
    outcomesNotAchieved: carerOutcomes.filter((o) => a.outcomesNotAchieved.includes(o.key)).map((o) => `${o.label} (${o.source})`),
    summary: a.summary,
    supportWhat: a.supportWhat,
    supportWho: a.supportWho,
    reviewOn: a.reviewOn ? govukDate(a.reviewOn) : null,
    reviewReached: status === 'completed' && reviewReached(a.reviewOn, today),
    href: `/people/${personId}/carers/${a.carerId}/assessments/${a.id}`,
  };
}

function referralView(r: AdvocacyReferralRow) {
  const kind = r.kind as AdvocacyKind;
  const status = advocacyStatus(r);
  return {
    id: r.id,
    version: r.version,
    kind,
    kindLabel: advocacyKindLabels[kind],
    source: advocacySources[kind],
    status,
    statusLabel: advocacyStatusLabels[status],
    referredOn: govukDate(r.referredOn),
    acceptedOn: r.acceptedOn ? govukDate(r.acceptedOn) : null,
    advocateNamedOn: r.advocateNamedOn ? govukDate(r.advocateNamedOn) : null,
    firstMetOn: r.firstMetOn ? govukDate(r.firstMetOn) : null,
    advocateName: r.advocateName,
    service: r.service,
    notes: r.notes,
    href: `/people/${r.personId}/advocacy/${r.id}`,
  };
}

/** The latest assessment of a carer offered from this person's record, or of any record if none. */
function latestFor(assessments: readonly CarerAssessmentRow[], carerId: string): CarerAssessmentRow | null {
  return assessments.find((a) => a.carerId === carerId) ?? null;
}

/** What the person page's section shows (from its reads, decision 0019). */
export function carersSummary(
  ctx: ServiceContext,
  person: PersonRelationships & { readonly id: string },
  today: string,
  rows: {
    carers: Array<{ carer: CarerRow; relationship: string }>;
    assessments: CarerAssessmentRow[];
    referrals: AdvocacyReferralRow[];
    status: Array<{ status: string; entitlementStart: string | null; dischargePlanning: string }>;
  },
) {
  const p = rows.status[0];
  const discharged = p?.status === 'entitled' && p.entitlementStart !== null ? p.entitlementStart : null;
  const atDischarge = discharged !== null || p?.dischargePlanning === 'ready';
  const carers = rows.carers.map(({ carer, relationship }) => {
    const latest = latestFor(rows.assessments, carer.id);
    return {
      id: carer.id,
      name: carer.name,
      relationship,
      consentToShare: carer.consentToShare,
      href: `/people/${person.id}/carers/${carer.id}`,
      latest: latest ? assessmentView(latest, person.id, today) : null,
      offerDue: offerDue(latest, today),
    };
  });
  return {
    carers,
    referrals: rows.referrals.map(referralView),
    mayWrite: canOnPerson(ctx.actor, 'person:write', person),
    dischargePrompt: atDischarge ? { on: discharged ? govukDate(discharged) : null, carersToOffer: carers.filter((c) => c.offerDue), noCarers: carers.length === 0 } : null,
    source: CARERS_ASSESSMENT_SOURCE,
    newCarerHref: `/people/${person.id}/carers/new`,
    newReferralHref: `/people/${person.id}/advocacy/new`,
  };
}

/* ---------- Carers ---------- */

export async function newCarerForm(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const linkable = await findLinkableCarers(tx, ctx.actor.partnershipId, personId, visiblePeople(ctx.actor));
    await audit.viewPerson(personId, { page: 'carer-form' });
    return { person, linkable };
  });
}

/** Add a new carer linked to the person, or link a carer already known to the actor's people. */
export async function addCarer(ctx: ServiceContext, personId: string, input: CarerInput): Promise<{ carerId: string; linked: boolean; name: string }> {
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const today = ctx.today();
  if (input.existingCarerId !== '' && input.existingCarerId !== 'new') {
    const values = parseInput(linkSchema, input);
    return ctx.data.transaction(async (tx, audit) => {
      await loadPerson(tx, ctx, personId, 'person:write', true);
      const linkable = await findLinkableCarers(tx, ctx.actor.partnershipId, personId, visiblePeople(ctx.actor));
      const chosen = linkable.find((c) => c.id === values.existingCarerId);
      if (!chosen) throw new InputError([{ path: 'existingCarerId', message: 'Choose a carer from the list' }]);
      const link = await insertLink(tx, { partnershipId: ctx.actor.partnershipId, carerId: chosen.id, personId, relationship: values.relationship, linkedOn: today, linkedBy: ctx.actor.userId });
      if (!link) throw new ConflictError('This carer is already linked to the person.');
      await audit.change({ action: 'carer.linked', subjectType: 'carer', subjectId: chosen.id, after: link });
      return { carerId: chosen.id, linked: true, name: chosen.name };
    });
  }
  const values = parseInput(newCarerSchema.superRefine((v, c) => {
    if (v.consentRecordedOn > today) c.addIssue({ code: 'custom', path: ['consentRecordedOn'], message: 'The date of consent must be today or in the past' });
  }), input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const created = await insertCarer(tx, {
      partnershipId: ctx.actor.partnershipId,
      name: values.name,
      phone: values.phone,
      email: values.email,
      address: values.address,
      consentToShare: values.consentToShare,
      consentRecordedOn: values.consentRecordedOn,
      createdBy: ctx.actor.userId,
    });
    await audit.change({ action: 'carer.created', subjectType: 'carer', subjectId: created.id, after: created });
    const link = await insertLink(tx, { partnershipId: ctx.actor.partnershipId, carerId: created.id, personId, relationship: values.relationship, linkedOn: today, linkedBy: ctx.actor.userId });
    await audit.change({ action: 'carer.linked', subjectType: 'carer', subjectId: created.id, after: link });
    return { carerId: created.id, linked: false, name: created.name };
  });
}

async function loadCarer(q: DbOrTx, ctx: ServiceContext, personId: string, carerId: string, permission: 'person:read' | 'person:write', lock = false) {
  const person = await loadPerson(q, ctx, personId, permission);
  if (!isUuid(carerId)) throw new NotFoundError('There is no such carer');
  const row = await findLinkedCarer(q, ctx.actor.partnershipId, personId, carerId, lock);
  if (!row) throw new NotFoundError('There is no such carer');
  return { person, ...row };
}

/** The carer's page: their details, the people they care for, their assessments and support plans; audited. */
export async function carerPage(ctx: ServiceContext, personId: string, carerId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const { person, carer, relationship } = await loadCarer(tx, ctx, personId, carerId, 'person:read');
    const caredFor = await findCaredFor(tx, ctx.actor.partnershipId, carerId, visiblePeople(ctx.actor));
    const total = await countCaredFor(tx, ctx.actor.partnershipId, carerId);
    const assessments = await findAssessmentsOfCarer(tx, ctx.actor.partnershipId, carerId);
    await audit.viewPerson(personId, { page: 'carer', carerId });
    return {
      person,
      carer: { ...carer, consentRecordedOnText: govukDate(carer.consentRecordedOn) },
      relationship,
      caredFor: caredFor.map((c) => ({ name: `${c.givenName} ${c.familyName}`, relationship: c.relationship, href: `/people/${c.personId}/carers/${carerId}`, current: c.personId === personId })),
      othersNotShown: total - caredFor.length,
      assessments: assessments.map((a) => assessmentView(a, personId, today)),
      offerDue: offerDue(assessments[0] ?? null, today),
      mayWrite: canOnPerson(ctx.actor, 'person:write', person),
    };
  });
}

export async function updateConsent(ctx: ServiceContext, personId: string, carerId: string, version: number, input: { consentToShare: string; consentRecordedOn: string }) {
  await ctx.data.read((q) => loadCarer(q, ctx, personId, carerId, 'person:write'));
  const today = ctx.today();
  const values = parseInput(
    z.object({ consentToShare: newCarerSchema.shape.consentToShare, consentRecordedOn: newCarerSchema.shape.consentRecordedOn }).superRefine((v, c) => {
    if (v.consentRecordedOn > today) c.addIssue({ code: 'custom', path: ['consentRecordedOn'], message: 'The date of consent must be today or in the past' });
  }),
    input,
  );
  return ctx.data.transaction(async (tx, audit) => {
    const { carer: before } = await loadCarer(tx, ctx, personId, carerId, 'person:write', true);
    const after = expectOneUpdated(await updateCarerAtVersion(tx, ctx.actor.partnershipId, carerId, version, values));
    await audit.change({ action: 'carer.consent-updated', subjectType: 'carer', subjectId: carerId, before: { consentToShare: before.consentToShare, consentRecordedOn: before.consentRecordedOn }, after: { consentToShare: after.consentToShare, consentRecordedOn: after.consentRecordedOn } });
    return after;
  });
}

/* ---------- Assessments ---------- */

/** Offer a carer's assessment (s10(1)), at discharge, a review or another time. */
export async function offerAssessment(ctx: ServiceContext, personId: string, carerId: string, input: OfferInput): Promise<CarerAssessmentRow> {
  await ctx.data.read((q) => loadCarer(q, ctx, personId, carerId, 'person:write'));
  const today = ctx.today();
  const values = parseInput(offerSchema.superRefine((v, c) => {
    if (isRealDate(v.offeredOn) && v.offeredOn > today) c.addIssue({ code: 'custom', path: ['offeredOn'], message: 'The date the assessment was offered must be today or in the past' });
  }), input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadCarer(tx, ctx, personId, carerId, 'person:write', true);
    const latest = (await findAssessmentsOfCarer(tx, ctx.actor.partnershipId, carerId))[0] ?? null;
    const status = latest ? assessmentStatus(latest) : null;
    if (status === 'offered' || status === 'accepted') throw new InputError([{ path: 'offeredOn', message: `An assessment offered on ${govukDate(latest!.offeredOn)} is still ${status === 'offered' ? 'waiting for the carer’s answer' : 'to be completed'}: record that first` }]);
    const created = await insertAssessment(tx, { partnershipId: ctx.actor.partnershipId, carerId, personId, offeredAt: values.offeredAt, offeredOn: values.offeredOn, offeredBy: ctx.actor.userId });
    await audit.change({ action: 'carer-assessment.offered', subjectType: 'carer-assessment', subjectId: created.id, after: created });
    return created;
  });
}

export async function assessmentPage(ctx: ServiceContext, personId: string, carerId: string, assessmentId: string) {
  if (!isUuid(assessmentId)) throw new NotFoundError('There is no such assessment');
  return ctx.data.transaction(async (tx, audit) => {
    const { person, carer } = await loadCarer(tx, ctx, personId, carerId, 'person:read');
    const a = await findAssessment(tx, ctx.actor.partnershipId, carerId, assessmentId);
    if (!a) throw new NotFoundError('There is no such assessment');
    await audit.viewPerson(personId, { page: 'carer-assessment', carerId, assessmentId });
    return { person, carer, assessment: a, view: assessmentView(a, personId, ctx.today()), mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/**
 * Record the carer's answer, the completion with the eligibility determination (reg 3) and the
 * support plan with its review date. The dates must keep their order (src/domain/carers.ts):
 * each break is refused with its own message and nothing changes.
 */
export async function recordAssessment(ctx: ServiceContext, personId: string, carerId: string, assessmentId: string, version: number, input: AssessmentInput): Promise<CarerAssessmentRow> {
  if (!isUuid(assessmentId)) throw new NotFoundError('There is no such assessment');
  const existing = await ctx.data.read(async (q) => {
    await loadCarer(q, ctx, personId, carerId, 'person:write');
    return findAssessment(q, ctx.actor.partnershipId, carerId, assessmentId);
  });
  if (!existing) throw new NotFoundError('There is no such assessment');
  const today = ctx.today();
  const values = parseInput(assessmentSchema, input);
  const issues: FieldIssue[] = assessmentDateIssues({ offeredOn: existing.offeredOn, acceptedOn: values.acceptedOn, declinedOn: values.declinedOn, completedOn: values.completedOn }, today);
  let eligible: boolean | null = null;
  if (values.completedOn) {
    const need = (key: 'needsAriseFromCaring' | 'healthAtRisk' | 'significantImpact', message: string) => {
      if (values[key] !== 'yes' && values[key] !== 'no') issues.push({ path: key, message });
    };
    need('needsAriseFromCaring', 'Say whether the carer’s needs arise from providing necessary care (regulation 3(1)(a))');
    need('healthAtRisk', 'Say whether the carer’s physical or mental health is, or is at risk of, deteriorating (regulation 3(2)(a))');
    need('significantImpact', 'Say whether there is, or is likely to be, a significant impact on the carer’s well-being (regulation 3(1)(c))');
    if (!values.summary) issues.push({ path: 'summary', message: 'Enter a summary of the assessment' });
    if (!values.reviewOn) issues.push({ path: 'reviewOn', message: 'Enter the date the support plan will be reviewed' });
    else if (isRealDate(values.reviewOn)) {
      const wrong = reviewDateIssue(values.completedOn, values.reviewOn);
      if (wrong) issues.push({ path: 'reviewOn', message: wrong });
    }
    if (issues.length === 0) {
      eligible = carerEligibility({ needsAriseFromCaring: values.needsAriseFromCaring === 'yes', healthAtRisk: values.healthAtRisk === 'yes', outcomesNotAchieved: values.outcomesNotAchieved, significantImpact: values.significantImpact === 'yes' }).eligible;
      if (eligible && !values.supportWhat) issues.push({ path: 'supportWhat', message: 'The carer has eligible needs (Care Act 2014, section 20): say what support will be provided' });
      if (eligible && !values.supportWho) issues.push({ path: 'supportWho', message: 'Say who will provide the support' });
    }
  } else if (values.reviewOn || values.supportWhat) {
    issues.push({ path: 'completedOn', message: 'Enter the date the assessment was completed before its support plan' });
  }
  if (issues.length) throw new InputError(issues);
  return ctx.data.transaction(async (tx, audit) => {
    await loadCarer(tx, ctx, personId, carerId, 'person:write', true);
    const before = await findAssessment(tx, ctx.actor.partnershipId, carerId, assessmentId, true);
    if (!before) throw new NotFoundError('There is no such assessment');
    const completed = values.completedOn !== null;
    const after = expectOneUpdated(
      await updateAssessmentAtVersion(tx, ctx.actor.partnershipId, assessmentId, version, {
        acceptedOn: values.acceptedOn,
        declinedOn: values.declinedOn,
        completedOn: values.completedOn,
        completedBy: completed ? (before.completedBy ?? ctx.actor.userId) : null,
        needsAriseFromCaring: completed ? values.needsAriseFromCaring === 'yes' : null,
        healthAtRisk: completed ? values.healthAtRisk === 'yes' : null,
        outcomesNotAchieved: completed ? values.outcomesNotAchieved : [],
        significantImpact: completed ? values.significantImpact === 'yes' : null,
        eligible,
        summary: values.summary,
        supportWhat: values.supportWhat,
        supportWho: values.supportWho,
        reviewOn: values.reviewOn,
      }),
    );
    await audit.change({ action: 'carer-assessment.recorded', subjectType: 'carer-assessment', subjectId: assessmentId, before, after });
    return after;
  });
}

/** The form's starting values for an assessment (its stored answers). */
export function assessmentValues(a: CarerAssessmentRow): AssessmentInput {
  const yn = (b: boolean | null) => (b === null ? '' : b ? 'yes' : 'no');
  return {
    acceptedOn: a.acceptedOn ?? '',
    declinedOn: a.declinedOn ?? '',
    completedOn: a.completedOn ?? '',
    needsAriseFromCaring: yn(a.needsAriseFromCaring),
    healthAtRisk: yn(a.healthAtRisk),
    outcomesNotAchieved: a.outcomesNotAchieved,
    significantImpact: yn(a.significantImpact),
    summary: a.summary ?? '',
    supportWhat: a.supportWhat ?? '',
    supportWho: a.supportWho ?? '',
    reviewOn: a.reviewOn ?? '',
  };
}

export { defaultReviewOn };

/* ---------- Advocacy referrals ---------- */

function referralIssues(values: z.output<typeof referralSchema>, today: string): FieldIssue[] {
  return advocacyDateIssues({ referredOn: values.referredOn, acceptedOn: values.acceptedOn, advocateNamedOn: values.advocateNamedOn, firstMetOn: values.firstMetOn }, today, values.advocateName);
}

export async function referralForm(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    await audit.viewPerson(personId, { page: 'advocacy-referral-form' });
    return { person };
  });
}

export async function recordReferral(ctx: ServiceContext, personId: string, input: ReferralInput): Promise<AdvocacyReferralRow> {
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const values = parseInput(referralSchema, input);
  const issues = referralIssues(values, ctx.today());
  if (issues.length) throw new InputError(issues);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const created = await insertReferral(tx, { partnershipId: ctx.actor.partnershipId, personId, ...values, referredOn: values.referredOn!, referredBy: ctx.actor.userId });
    await audit.change({ action: 'advocacy-referral.recorded', subjectType: 'advocacy-referral', subjectId: created.id, after: created });
    return created;
  });
}

export async function referralPage(ctx: ServiceContext, personId: string, referralId: string) {
  if (!isUuid(referralId)) throw new NotFoundError('There is no such referral');
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const r = await findReferral(tx, ctx.actor.partnershipId, personId, referralId);
    if (!r) throw new NotFoundError('There is no such referral');
    await audit.viewPerson(personId, { page: 'advocacy-referral', referralId });
    return { person, referral: r, view: referralView(r), mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/** Record the later stages of a referral (accepted, advocate named, first met), in order. */
export async function updateReferral(ctx: ServiceContext, personId: string, referralId: string, version: number, input: ReferralInput): Promise<AdvocacyReferralRow> {
  if (!isUuid(referralId)) throw new NotFoundError('There is no such referral');
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const values = parseInput(referralSchema, input);
  const issues = referralIssues(values, ctx.today());
  if (issues.length) throw new InputError(issues);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const before = await findReferral(tx, ctx.actor.partnershipId, personId, referralId, true);
    if (!before) throw new NotFoundError('There is no such referral');
    const after = expectOneUpdated(await updateReferralAtVersion(tx, ctx.actor.partnershipId, referralId, version, { ...values, referredOn: values.referredOn! }));
    await audit.change({ action: 'advocacy-referral.updated', subjectType: 'advocacy-referral', subjectId: referralId, before, after });
    return after;
  });
}

export function referralValues(r: AdvocacyReferralRow): ReferralInput {
  return { kind: r.kind, referredOn: r.referredOn, acceptedOn: r.acceptedOn ?? '', advocateNamedOn: r.advocateNamedOn ?? '', firstMetOn: r.firstMetOn ?? '', advocateName: r.advocateName ?? '', service: r.service, notes: r.notes ?? '' };
}

/* ---------- For other modules ---------- */

/**
 * For the plan page and the ending checklist: whether advocacy was offered and used, from the
 * person's referrals together with the plan's own advocacy list. The caller has read-checked the
 * person in the same unit of work.
 */
export async function advocacySummaryFor(q: DbOrTx, partnershipId: string, personId: string, planAdvocacy: unknown) {
  const referrals = await findReferralsOf(q, partnershipId, personId);
  const planEntries = (Array.isArray(planAdvocacy) ? (planAdvocacy as Array<{ kind?: unknown; used?: unknown }>) : []).filter((e): e is { kind: AdvocacyKind; used: unknown } => isAdvocacyKind(e.kind)).map((e) => ({ kind: e.kind, used: Boolean(e.used) }));
  const kinds = advocacyOfferedAndUsed(referrals.map((r) => ({ ...r, kind: r.kind as AdvocacyKind })), planEntries);
  return { offered: kinds.length > 0, used: kinds.some((k) => k.used), kinds };
}

/** The same, in its own read, for a page that has already read-checked the person (the plan page). */
export async function advocacyOfferedUsed(ctx: ServiceContext, personId: string, planAdvocacy: unknown) {
  return ctx.data.read((q) => advocacySummaryFor(q, ctx.actor.partnershipId, personId, planAdvocacy));
}

/** For a review: each carer of the person, whether an assessment was offered and when, and whether one is due. */
export async function carersAtReview(ctx: ServiceContext, person: PersonRow) {
  const today = ctx.today();
  return ctx.data.read(async (q) => {
    const carers = await carersOfPersonQuery(q, ctx.actor.partnershipId, person.id);
    const assessments = await assessmentsOfPersonsCarersQuery(q, ctx.actor.partnershipId, person.id);
    return carers.map(({ carer, relationship }) => {
      const latest = latestFor(assessments, carer.id);
      return {
        id: carer.id,
        name: carer.name,
        relationship,
        latest: latest ? assessmentView(latest, person.id, today) : null,
        offerDue: offerDue(latest, today),
        offerAction: `/people/${person.id}/carers/${carer.id}/assessments`,
        href: `/people/${person.id}/carers/${carer.id}`,
      };
    });
  });
}

export interface CarerWaiting {
  key: string;
  personId: string;
  personName: string;
  nhsNumber: string;
  what: string;
  href: string;
  since: string;
  dueOn: string | null;
}

/**
 * What waits on the actor (decision 0009, read from the records): an assessment offered and
 * unanswered for OFFER_ANSWER_DAYS days, or a support plan whose review date is reached. It waits
 * on the cared-for person's lead practitioner, or, when they have none, on whoever offered it.
 */
export async function carersWaitingOn(ctx: ServiceContext): Promise<CarerWaiting[]> {
  if (ctx.actor.kind !== 'user' || ctx.actor.userId === null) return [];
  const me = ctx.actor.userId;
  const today = ctx.today();
  const rows = await ctx.data.read((q) => findAssessmentsWaiting(q, ctx.actor.partnershipId, visiblePeople(ctx.actor, 'person:write'), addDays(today, -OFFER_ANSWER_DAYS), today));
  return rows
    .filter((r) => (r.leadPractitionerId ?? r.assessment.offeredBy) === me)
    .map((r) => waitingItem(r));
}

function waitingItem(r: Awaited<ReturnType<typeof findAssessmentsWaiting>>[number]): CarerWaiting {
  const a = r.assessment;
  const offered = assessmentStatus(a) === 'offered';
  return {
    key: `carer-assessment:${a.id}:${offered ? 'answer' : 'review'}`,
    personId: a.personId,
    personName: `${r.givenName} ${r.familyName}`,
    nhsNumber: r.nhsNumber,
    what: offered ? `Ask ${r.carerName} for their answer: a carer’s assessment was offered on ${govukDate(a.offeredOn)} (Care Act 2014, section 10)` : `Review ${r.carerName}’s support plan: its review date was ${govukDate(a.reviewOn)} (Care Act 2014, section 27)`,
    href: `/people/${a.personId}/carers/${a.carerId}/assessments/${a.id}`,
    since: offered ? addDays(a.offeredOn, OFFER_ANSWER_DAYS) : a.reviewOn!,
    dueOn: offered ? addDays(a.offeredOn, OFFER_ANSWER_DAYS) : a.reviewOn,
  };
}

/** For the daily reminder job (the partnership's system actor): every waiting item in one partnership, with whom it waits on. */
export async function carerRemindersIn(q: DbOrTx, partnershipId: string, today: string) {
  const rows = await findAssessmentsWaiting(q, partnershipId, undefined, addDays(today, -OFFER_ANSWER_DAYS), today);
  return rows.flatMap((r) => {
    const owner = r.leadPractitionerId ?? r.assessment.offeredBy;
    return owner ? [{ ownerUserId: owner, ...waitingItem(r) }] : [];
  });
}

/** The dashboard's counts about the people the actor may read, for a period. */
export async function carerDashboardCounts(ctx: ServiceContext, from: string, to: string) {
  return ctx.data.read((q) => carerCounts(q, ctx.actor.partnershipId, visiblePeople(ctx.actor), from, to));
}

/* ---------- The API ---------- */

/** A carer as the API shows them: named only with their consent to share. */
function carerForApiShape(carer: CarerRow, relationship: string, assessments: CarerAssessmentRow[]) {
  const shared = carer.consentToShare;
  return {
    id: carer.id,
    name: shared ? carer.name : null,
    phone: shared ? carer.phone : null,
    email: shared ? carer.email : null,
    address: shared ? carer.address : null,
    relationship,
    consentToShare: carer.consentToShare,
    consentRecordedOn: carer.consentRecordedOn,
    assessments: assessments.map((a) => ({
      id: a.id,
      status: assessmentStatus(a),
      offeredAt: a.offeredAt,
      offeredOn: a.offeredOn,
      acceptedOn: a.acceptedOn,
      declinedOn: a.declinedOn,
      completedOn: a.completedOn,
      eligible: a.eligible,
      outcomesNotAchieved: a.outcomesNotAchieved,
      supportWhat: shared ? a.supportWhat : null,
      supportWho: shared ? a.supportWho : null,
      reviewOn: a.reviewOn,
    })),
  };
}

export async function carersForApi(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const carers = await carersOfPersonQuery(tx, ctx.actor.partnershipId, personId);
    const assessments = await assessmentsOfPersonsCarersQuery(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { api: 'carers' });
    return { personId, carers: carers.map((c) => carerForApiShape(c.carer, c.relationship, assessments.filter((a) => a.carerId === c.carer.id))) };
  });
}

export async function carerForApi(ctx: ServiceContext, personId: string, carerId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const { carer, relationship } = await loadCarer(tx, ctx, personId, carerId, 'person:read');
    const assessments = await findAssessmentsOfCarer(tx, ctx.actor.partnershipId, carerId);
    await audit.viewPerson(personId, { api: 'carer', carerId });
    return carerForApiShape(carer, relationship, assessments);
  });
}

export async function referralsForApi(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const rows = await referralsOfPersonQuery(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { api: 'advocacy' });
    return { personId, referrals: rows.map(referralApiShape) };
  });
}

export async function referralForApi(ctx: ServiceContext, personId: string, referralId: string) {
  const page = await referralPage(ctx, personId, referralId);
  return referralApiShape(page.referral);
}

export function referralApiShape(r: AdvocacyReferralRow) {
  return { id: r.id, kind: r.kind, statutoryBasis: advocacySources[r.kind as AdvocacyKind], status: advocacyStatus(r), referredOn: r.referredOn, acceptedOn: r.acceptedOn, advocateNamedOn: r.advocateNamedOn, firstMetOn: r.firstMetOn, advocateName: r.advocateName, service: r.service, notes: r.notes };
}
