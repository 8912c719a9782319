/**
 * Deprivation of liberty (issue 16, item 4; docs/deprivation-of-liberty.md, decision 0024). Every
 * read goes through the door and is audited as a view of the person's record; every write is one
 * transaction with its audit event (before and after) and optimistic concurrency.
 *
 * Who may do what:
 * - read considerations, authorisations, orders and s21A challenges: person:read on the person;
 * - record a consideration, start or advance an authorisation or application, record or advance
 *   a challenge: person:write on the person;
 * - the days before an end or review date that it is due: settings:manage (lead administrators).
 *
 * The rules (the acid test, the route, the dates and limits, the stage, what is due) are in
 * src/domain/deprivation-of-liberty.ts.
 */
import { z } from 'zod';
import { isRealDate } from '../../domain/calendar-date.ts';
import { londonWallClock } from '../../domain/case-notes.ts';
import {
  acidTest,
  acidTestOutcomeLabels,
  authorisationProblems,
  basisLabels,
  basisSources,
  challengeOutcomeLabels,
  challengeOutcomes,
  challengeProblems,
  challengeStage,
  consentCapacities,
  consentCapacityLabels,
  DEFAULT_RENEWAL_DAYS,
  isSetting,
  outcomes,
  renewalDue,
  routeFor,
  scheduleA1AssessmentKeys,
  scheduleA1Assessments,
  settingLabels,
  settings,
  stageLabels,
  stageOf,
  suggestsSupervisionAndControl,
  URGENT_WARNING_DAYS,
  windowEnd,
  type AcidTestOutcome,
  type AuthorisationRecord,
  type Basis,
  type ChallengeOutcome,
  type ConsentCapacity,
  type Outcome,
} from '../../domain/deprivation-of-liberty.ts';
import { effectiveServiceType } from '../../domain/reference/service-types.ts';
import { assertCan, can, canOnPerson } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { loadPerson, visiblePeople } from '../register/index.ts';
import {
  ensureLibertySettings,
  findAuthorisation,
  findAuthorisations,
  findChallenge,
  findChallenges,
  findConsiderations,
  findLatestCompletedAssessment,
  findLibertySettings,
  findPlanLines,
  isPlanOf,
  findPossiblyDue,
  insertAuthorisation,
  insertChallenge,
  insertConsideration,
  updateAuthorisationAtVersion,
  updateChallengeAtVersion,
  updateLibertySettings,
  type AuthorisationRow,
  type ChallengeRow,
  type ConsiderationRow,
} from './liberty.queries.ts';

const isUuid = (id: string) => z.uuid().safeParse(id).success;
const nameOf = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;

/* ---------- Settings: days before an end or review date ---------- */

export async function renewalDaysIn(q: DbOrTx, partnershipId: string): Promise<number> {
  return (await findLibertySettings(q, partnershipId))?.renewalDays ?? DEFAULT_RENEWAL_DAYS;
}

export async function libertySettingsForPage(ctx: ServiceContext) {
  if (!can(ctx.actor, 'settings:manage')) return null;
  const row = await ctx.data.read((q) => findLibertySettings(q, ctx.actor.partnershipId));
  return { renewalDays: String(row?.renewalDays ?? DEFAULT_RENEWAL_DAYS), version: row?.version ?? 0 };
}

const settingsSchema = z.object({
  renewalDays: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, 'Enter the number of days as a whole number, like 28')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 180, 'The number of days must be between 1 and 180'),
});

export async function updateLibertySettingsFor(ctx: ServiceContext, version: number, input: { renewalDays: string }) {
  assertCan(ctx.actor, 'settings:manage');
  const values = parseInput(settingsSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await ensureLibertySettings(tx, ctx.actor.partnershipId, DEFAULT_RENEWAL_DAYS);
    // A page opened before the row existed carries version 0: it may save over the untouched default.
    const expected = version === 0 && before.version === 1 && before.updatedBy === null ? 1 : version;
    const after = expectOneUpdated(await updateLibertySettings(tx, ctx.actor.partnershipId, expected, values.renewalDays, ctx.actor.userId));
    await audit.change({ action: 'liberty-settings.updated', subjectType: 'liberty-settings', subjectId: ctx.actor.partnershipId, before: { renewalDays: before.renewalDays }, after: { renewalDays: after.renewalDays } });
    return after;
  });
}

/* ---------- Shared input pieces ---------- */

const text = (label: string, max = 20_000) => z.string().trim().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const optionalDate = (label: string) => z.string().refine((d) => d === '' || isRealDate(d), `${label} must be a real date, like 4 12 2026`);
const requiredDate = (missing: string, label: string) =>
  z
    .string()
    .refine((d) => d !== '', missing)
    .refine((d) => d === '' || isRealDate(d), `${label} must be a real date, like 4 12 2026`);
const orNull = (d: string) => (d === '' ? null : d);

/* ---------- The plan prompt (Cheshire West) ---------- */

export interface LibertyPrompt {
  planId: string;
  planNumber: number;
  because: string;
  href: string;
  /** Whether the actor may record the consideration (person:write); others see the prompt without the link. */
  mayConsider: boolean;
}

/**
 * Whether a plan (or the person's current plan) prompts the acid test: its accommodation or a
 * service suggests continuous supervision and control (src/domain/deprivation-of-liberty.ts
 * suggestsSupervisionAndControl, Cheshire West [2014] UKSC 19), and no consideration has been
 * recorded for that plan yet.
 */
async function promptIn(q: DbOrTx, ctx: ServiceContext, personId: string, planId: string | null, mayConsider = false): Promise<LibertyPrompt | null> {
  const rows = await findPlanLines(q, ctx.actor.partnershipId, personId, planId);
  if (!rows.length || rows[0]!.considered) return null;
  // A service counts by its type (a legacy one by what its words clearly are); a need by its accommodation feature.
  const lines = rows.map((r) => ({ serviceTypeCode: r.kind === 'service' ? effectiveServiceType(r.code, r.label) : null, words: r.words, label: r.kind === 'service' ? r.label : `${r.label} (${r.words})` }));
  const hit = suggestsSupervisionAndControl(lines);
  if (!hit) return null;
  const plan = rows[0]!;
  const line = lines.find((l) => l === hit)!;
  return { planId: plan.plan_id, planNumber: plan.plan_number, because: line.label, href: `/people/${personId}/deprivation-of-liberty/consider?plan=${plan.plan_id}`, mayConsider };
}

/** For the plan page (the plans module): the prompt for this plan, or null. The caller has read-checked the person. */
export async function libertyPromptForPlan(ctx: ServiceContext, personId: string, planId: string): Promise<LibertyPrompt | null> {
  if (!isUuid(planId)) return null;
  return ctx.data.read(async (q) => {
    const person = await loadPerson(q, ctx, personId, 'person:read');
    return promptIn(q, ctx, personId, planId, canOnPerson(ctx.actor, 'person:write', person));
  });
}

/* ---------- Views ---------- */

function recordOf(a: AuthorisationRow): AuthorisationRecord {
  return {
    basis: a.basis as Basis,
    requestedOn: a.requestedOn,
    urgentGivenOn: a.urgentGivenOn,
    urgentEndsOn: a.urgentEndsOn,
    urgentExtendedTo: a.urgentExtendedTo,
    assessmentsDone: a.assessmentsDone,
    assessmentsCompletedOn: a.assessmentsCompletedOn,
    issuedOn: a.issuedOn,
    outcome: a.outcome as Outcome | null,
    decidedOn: a.decidedOn,
    startsOn: a.startsOn,
    endsOn: a.endsOn,
    reviewOn: a.reviewOn,
    representative: a.representative,
  };
}

const dueWords = { renewal: 'Renewal due: the authorisation ends on', review: 'Review due: the order’s review date is', urgent: 'The urgent authorisation ends on' } as const;

function authorisationView(a: AuthorisationRow, responsibleName: string | null, today: string, days: number) {
  const r = recordOf(a);
  const basis = a.basis as Basis;
  const stage = stageOf(r, today);
  const due = renewalDue(r, today, days);
  const dols = basis === 'mca-schedule-a1';
  return {
    id: a.id,
    version: a.version,
    basis,
    dols,
    basisLabel: basisLabels[basis],
    basisSource: basisSources[basis],
    setting: a.setting,
    settingLabel: isSetting(a.setting) ? settingLabels[a.setting] : a.setting,
    place: a.place,
    body: a.body,
    stage,
    stageLabel: stageLabels[stage],
    requestedOn: govukDate(a.requestedOn),
    urgentGivenOn: a.urgentGivenOn ? govukDate(a.urgentGivenOn) : null,
    urgentEndsOn: a.urgentEndsOn ? govukDate(a.urgentEndsOn) : null,
    urgentExtendedTo: a.urgentExtendedTo ? govukDate(a.urgentExtendedTo) : null,
    assessments: scheduleA1Assessments.map((s) => ({ ...s, done: a.assessmentsDone.includes(s.key) })),
    assessmentsCompletedOn: a.assessmentsCompletedOn ? govukDate(a.assessmentsCompletedOn) : null,
    issuedOn: a.issuedOn ? govukDate(a.issuedOn) : null,
    outcome: a.outcome,
    outcomeLabel: a.outcome === 'granted' ? (dols ? 'Granted' : 'Order made') : a.outcome === 'refused' ? 'Refused' : null,
    decidedOn: a.decidedOn ? govukDate(a.decidedOn) : null,
    startsOn: a.startsOn ? govukDate(a.startsOn) : null,
    endsOn: a.endsOn ? govukDate(a.endsOn) : null,
    reviewOn: a.reviewOn ? govukDate(a.reviewOn) : null,
    expiresOn: dols ? (a.endsOn ? govukDate(a.endsOn) : null) : a.reviewOn ? govukDate(a.reviewOn) : null,
    representative: a.representative,
    conditions: a.conditions,
    documents: a.documents
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
    responsible: responsibleName ?? 'Unknown',
    due: due ? { dueOn: govukDate(due.dueOn), within: due.within, text: `${dueWords[due.kind]} ${govukDate(due.dueOn)}` } : null,
    current: stage !== 'refused' && stage !== 'expired',
    href: `/people/${a.personId}/deprivation-of-liberty/${a.id}`,
  };
}
export type AuthorisationView = ReturnType<typeof authorisationView>;

function considerationView(c: ConsiderationRow, recordedByName: string | null) {
  const outcome = c.outcome as AcidTestOutcome;
  const test = acidTest({ supervisionAndControl: c.supervisionAndControl as 'yes', freeToLeave: c.freeToLeave as 'no', capacityToConsent: c.capacityToConsent as ConsentCapacity }, isSetting(c.setting) ? c.setting : 'other-community');
  return {
    id: c.id,
    consideredOn: govukDate(c.consideredOn),
    settingLabel: isSetting(c.setting) ? settingLabels[c.setting] : c.setting,
    supervisionAndControl: c.supervisionAndControl === 'yes',
    freeToLeave: c.freeToLeave === 'yes',
    capacityLabel: consentCapacityLabels[c.capacityToConsent as ConsentCapacity],
    capacityAssessmentHref: c.capacityAssessmentId ? `/people/${c.personId}/capacity/assessments/${c.capacityAssessmentId}` : null,
    outcome,
    outcomeLabel: acidTestOutcomeLabels[outcome],
    reason: test.reason,
    next: test.next,
    arrangements: c.arrangements,
    recordedBy: recordedByName ?? 'Unknown',
    route: outcome === 'is' && isSetting(c.setting) ? routeFor(c.setting) : null,
    startHref: `/people/${c.personId}/deprivation-of-liberty/new?consideration=${c.id}&setting=${c.setting}`,
  };
}

function challengeView(c: ChallengeRow) {
  return {
    id: c.id,
    version: c.version,
    authorisationId: c.authorisationId,
    appliedOn: govukDate(c.appliedOn),
    applicant: c.applicant,
    directionsOn: c.directionsOn ? govukDate(c.directionsOn) : null,
    hearingOn: c.hearingOn ? govukDate(c.hearingOn) : null,
    outcomeLabel: c.outcome ? challengeOutcomeLabels[c.outcome as ChallengeOutcome] : null,
    outcomeOn: c.outcomeOn ? govukDate(c.outcomeOn) : null,
    stage: challengeStage({ appliedOn: c.appliedOn, directionsOn: c.directionsOn, hearingOn: c.hearingOn, outcome: c.outcome as ChallengeOutcome | null, outcomeOn: c.outcomeOn }),
    notes: c.notes,
    values: { directionsOn: c.directionsOn ?? '', hearingOn: c.hearingOn ?? '', outcome: c.outcome ?? '', outcomeOn: c.outcomeOn ?? '', notes: c.notes },
  };
}

/* ---------- The person page's section ---------- */

/** What the person page shows: the current authorisation or order (basis, stage, expiry, whether due) and the prompt. */
export async function libertySummary(ctx: ServiceContext, person: Parameters<typeof canOnPerson>[2] & { readonly id: string }, today: string) {
  return ctx.data.read(async (q) => {
    const days = await renewalDaysIn(q, ctx.actor.partnershipId);
    const all = (await findAuthorisations(q, ctx.actor.partnershipId, person.id)).map((r) => authorisationView(r.authorisation, r.responsibleName, today, days));
    const prompt = await promptIn(q, ctx, person.id, null, canOnPerson(ctx.actor, 'person:write', person));
    return {
      href: `/people/${person.id}/deprivation-of-liberty`,
      considerHref: `/people/${person.id}/deprivation-of-liberty/consider`,
      mayWrite: canOnPerson(ctx.actor, 'person:write', person),
      current: all.filter((a) => a.current),
      count: all.length,
      prompt,
    };
  });
}

/* ---------- The page ---------- */

/** Everything about the person's liberty: considerations, authorisations and orders, challenges; audited. */
export async function libertyPage(ctx: ServiceContext, personId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const days = await renewalDaysIn(tx, ctx.actor.partnershipId);
    const considerations = (await findConsiderations(tx, ctx.actor.partnershipId, personId)).map((r) => considerationView(r.consideration, r.recordedByName));
    const challenges = (await findChallenges(tx, ctx.actor.partnershipId, personId)).map(challengeView);
    const authorisations = (await findAuthorisations(tx, ctx.actor.partnershipId, personId)).map((r) => ({ ...authorisationView(r.authorisation, r.responsibleName, today, days), challenges: challenges.filter((c) => c.authorisationId === r.authorisation.id) }));
    const prompt = await promptIn(tx, ctx, personId, null, canOnPerson(ctx.actor, 'person:write', person));
    await audit.viewPerson(personId, { page: 'deprivation-of-liberty', authorisations: authorisations.map((a) => a.id) });
    return { person, considerations, authorisations, prompt, renewalDays: days, mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/* ---------- The acid test ---------- */

export interface ConsiderationInput {
  planId: string;
  consideredOn: string;
  setting: string;
  supervisionAndControl: string;
  freeToLeave: string;
  capacityToConsent: string;
  capacityAssessmentId: string;
  arrangements: string;
}

const considerationSchema = (today: string) =>
  z.object({
    planId: z.string().trim(),
    consideredOn: requiredDate('Enter the date of the consideration', 'The date of the consideration').refine((d) => d === '' || !isRealDate(d) || d <= today, 'The date of the consideration must be today or in the past'),
    setting: z.enum(settings, { error: 'Choose where the person lives or is cared for' }),
    supervisionAndControl: z.enum(['yes', 'no'], { error: 'Say whether the person is under continuous supervision and control (P v Cheshire West and Chester Council [2014] UKSC 19)' }),
    freeToLeave: z.enum(['yes', 'no'], { error: 'Say whether the person is free to leave (P v Cheshire West and Chester Council [2014] UKSC 19)' }),
    capacityToConsent: z.enum(consentCapacities, { error: 'Say whether the person has capacity to consent to the arrangements (Mental Capacity Act 2005, sections 2 and 3)' }),
    capacityAssessmentId: z.string().trim(),
    arrangements: text('The arrangements').refine((s) => s !== '', 'Describe the care arrangements: the supervision, the control and the restrictions'),
  });

/** The acid-test form: the person, the plan that prompted it and the most recent completed capacity assessment to cite. */
export async function considerationForm(ctx: ServiceContext, personId: string, planId: string | null) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const prompt = await promptIn(tx, ctx, personId, planId && isUuid(planId) ? planId : null);
    const latest = await findLatestCompletedAssessment(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { page: 'liberty-consideration-form' });
    return {
      person,
      prompt,
      latestAssessment: latest && latest.assessedAt ? { id: latest.id, decision: latest.decision, assessedOn: govukDate(londonWallClock(latest.assessedAt).date), lacks: latest.outcome === 'lacks-capacity', href: `/people/${personId}/capacity/assessments/${latest.id}` } : null,
    };
  });
}

export async function recordConsideration(ctx: ServiceContext, personId: string, input: ConsiderationInput): Promise<ConsiderationRow> {
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const v = parseInput(considerationSchema(ctx.today()), input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    let planId: string | null = null;
    if (v.planId !== '') {
      if (!isUuid(v.planId) || !(await isPlanOf(tx, ctx.actor.partnershipId, personId, v.planId))) throw new InputError([{ path: 'planId', message: 'The plan must be one of this person’s' }]);
      planId = v.planId;
    }
    let capacityAssessmentId: string | null = null;
    if (v.capacityAssessmentId !== '') {
      const latest = await findLatestCompletedAssessment(tx, ctx.actor.partnershipId, personId);
      if (!latest || latest.id !== v.capacityAssessmentId) throw new InputError([{ path: 'capacityAssessmentId', message: 'The capacity assessment cited must be this person’s most recent completed assessment' }]);
      capacityAssessmentId = latest.id;
    }
    const outcome = acidTest({ supervisionAndControl: v.supervisionAndControl, freeToLeave: v.freeToLeave, capacityToConsent: v.capacityToConsent }, v.setting).outcome;
    const created = await insertConsideration(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      planId,
      consideredOn: v.consideredOn,
      setting: v.setting,
      supervisionAndControl: v.supervisionAndControl,
      freeToLeave: v.freeToLeave,
      capacityToConsent: v.capacityToConsent,
      capacityAssessmentId,
      outcome,
      arrangements: v.arrangements,
      recordedBy: ctx.actor.userId,
      recordedForOrganisationId: ctx.actor.activeOrganisationId,
    });
    await audit.change({ action: 'liberty-consideration.recorded', subjectType: 'liberty-consideration', subjectId: created.id, after: created });
    return created;
  });
}

/* ---------- Authorisations and orders ---------- */

/** The form's (and the API's) fields, all text; dates YYYY-MM-DD or ''. */
export interface AuthorisationInput {
  considerationId: string;
  setting: string;
  place: string;
  body: string;
  requestedOn: string;
  urgentGivenOn: string;
  urgentEndsOn: string;
  urgentExtendedTo: string;
  assessmentsDone: string[];
  assessmentsCompletedOn: string;
  issuedOn: string;
  outcome: string;
  decidedOn: string;
  startsOn: string;
  endsOn: string;
  reviewOn: string;
  representative: string;
  conditions: string;
  documents: string;
}

export const emptyAuthorisationInput: AuthorisationInput = {
  considerationId: '',
  setting: '',
  place: '',
  body: '',
  requestedOn: '',
  urgentGivenOn: '',
  urgentEndsOn: '',
  urgentExtendedTo: '',
  assessmentsDone: [],
  assessmentsCompletedOn: '',
  issuedOn: '',
  outcome: '',
  decidedOn: '',
  startsOn: '',
  endsOn: '',
  reviewOn: '',
  representative: '',
  conditions: '',
  documents: '',
};

export const authorisationDateFields = ['requestedOn', 'urgentGivenOn', 'urgentEndsOn', 'urgentExtendedTo', 'assessmentsCompletedOn', 'issuedOn', 'decidedOn', 'startsOn', 'endsOn', 'reviewOn'] as const;

const authorisationSchema = z.object({
  considerationId: z.string().trim(),
  setting: z.enum(settings, { error: 'Choose where the arrangements are' }),
  place: text('The place', 500).refine((s) => s !== '', 'Enter the care home, hospital or address where the arrangements are'),
  body: text('The supervisory body or applicant', 500),
  requestedOn: requiredDate('Enter the date it was requested (or the application prepared)', 'The date it was requested'),
  urgentGivenOn: optionalDate('The date the urgent authorisation was given'),
  urgentEndsOn: optionalDate('The end of the urgent authorisation'),
  urgentExtendedTo: optionalDate('The extended end'),
  assessmentsDone: z.array(z.enum(scheduleA1AssessmentKeys as unknown as [string, ...string[]], { error: 'Choose the assessments done from the list' })),
  assessmentsCompletedOn: optionalDate('The date the assessments were completed'),
  issuedOn: optionalDate('The date the court issued the application'),
  outcome: z.union([z.literal(''), z.enum(outcomes, { error: 'Choose the outcome from the list' })]),
  decidedOn: optionalDate('The date of the decision'),
  startsOn: optionalDate('The start date'),
  endsOn: optionalDate('The end date'),
  reviewOn: optionalDate('The review date'),
  representative: text('The representative', 500),
  conditions: text('The conditions'),
  documents: text('The documents'),
});

function checkedAuthorisation(ctx: ServiceContext, input: AuthorisationInput, fixedBasis: Basis | null) {
  const v = parseInput(authorisationSchema, input);
  const basis = routeFor(v.setting);
  if (fixedBasis && basis !== fixedBasis) throw new InputError([{ path: 'setting', message: `The setting must stay one where the route is the same: ${basisLabels[fixedBasis].toLowerCase()}. For a move to another kind of setting, start a new one` }]);
  const dols = basis === 'mca-schedule-a1';
  // A field of the other route is refused, never silently dropped: the setting decides the route.
  const otherRoute = dols ? (['issuedOn', 'reviewOn'] as const) : (['urgentGivenOn', 'urgentEndsOn', 'urgentExtendedTo', 'assessmentsCompletedOn', 'endsOn'] as const);
  const stray: string[] = otherRoute.filter((f) => v[f] !== '');
  if (!dols && v.assessmentsDone.length) stray.push('assessmentsDone');
  if (stray.length) {
    const why = dols ? 'a Court of Protection application (COPDOL11), not a DoLS authorisation in a care home or hospital' : 'a DoLS authorisation in a care home or hospital (Mental Capacity Act 2005, Schedule A1), not a Court of Protection application';
    throw new InputError(stray.map((f) => ({ path: f, message: `${f === 'assessmentsDone' ? 'The assessments are' : 'This date is'} for ${why}: leave it empty, or choose the setting again` })));
  }
  const record: AuthorisationRecord = {
    basis,
    requestedOn: v.requestedOn,
    urgentGivenOn: dols ? orNull(v.urgentGivenOn) : null,
    urgentEndsOn: dols ? orNull(v.urgentEndsOn) : null,
    urgentExtendedTo: dols ? orNull(v.urgentExtendedTo) : null,
    assessmentsDone: dols ? scheduleA1AssessmentKeys.filter((k) => v.assessmentsDone.includes(k)) : [],
    assessmentsCompletedOn: dols ? orNull(v.assessmentsCompletedOn) : null,
    issuedOn: dols ? null : orNull(v.issuedOn),
    outcome: v.outcome === '' ? null : v.outcome,
    decidedOn: orNull(v.decidedOn),
    startsOn: orNull(v.startsOn),
    endsOn: dols ? orNull(v.endsOn) : null,
    reviewOn: dols ? null : orNull(v.reviewOn),
    representative: v.representative,
  };
  const problems = authorisationProblems(record, ctx.today(), govukDate);
  if (problems.length) throw new InputError(problems.map((p) => ({ path: p.field, message: p.message })));
  return { v, record };
}

function changeOf(v: z.output<typeof authorisationSchema>, r: AuthorisationRecord) {
  return {
    setting: v.setting,
    place: v.place,
    body: v.body,
    requestedOn: r.requestedOn,
    urgentGivenOn: r.urgentGivenOn,
    urgentEndsOn: r.urgentEndsOn,
    urgentExtendedTo: r.urgentExtendedTo,
    assessmentsDone: [...r.assessmentsDone],
    assessmentsCompletedOn: r.assessmentsCompletedOn,
    issuedOn: r.issuedOn,
    outcome: r.outcome,
    decidedOn: r.decidedOn,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    reviewOn: r.reviewOn,
    representative: v.representative,
    conditions: v.conditions,
    documents: v.documents,
  };
}

export function inputOfAuthorisation(a: AuthorisationRow): AuthorisationInput {
  return {
    considerationId: a.considerationId ?? '',
    setting: a.setting,
    place: a.place,
    body: a.body,
    requestedOn: a.requestedOn,
    urgentGivenOn: a.urgentGivenOn ?? '',
    urgentEndsOn: a.urgentEndsOn ?? '',
    urgentExtendedTo: a.urgentExtendedTo ?? '',
    assessmentsDone: a.assessmentsDone,
    assessmentsCompletedOn: a.assessmentsCompletedOn ?? '',
    issuedOn: a.issuedOn ?? '',
    outcome: a.outcome ?? '',
    decidedOn: a.decidedOn ?? '',
    startsOn: a.startsOn ?? '',
    endsOn: a.endsOn ?? '',
    reviewOn: a.reviewOn ?? '',
    representative: a.representative,
    conditions: a.conditions,
    documents: a.documents,
  };
}

/** The form to start (no id) or advance an authorisation or application; audited. */
export async function authorisationForm(ctx: ServiceContext, personId: string, authorisationId: string | null) {
  if (authorisationId !== null && !isUuid(authorisationId)) throw new NotFoundError('There is no such authorisation or application');
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const row = authorisationId ? await findAuthorisation(tx, ctx.actor.partnershipId, personId, authorisationId) : null;
    if (authorisationId && !row) throw new NotFoundError('There is no such authorisation or application');
    await audit.viewPerson(personId, { page: 'liberty-authorisation-form', authorisationId });
    return { person, existing: row ? { id: row.authorisation.id, version: row.authorisation.version, basis: row.authorisation.basis as Basis, values: inputOfAuthorisation(row.authorisation) } : null };
  });
}

/** Start a DoLS request or a COPDOL11 application: the basis follows from the setting (routeFor). */
export async function createAuthorisation(ctx: ServiceContext, personId: string, input: AuthorisationInput): Promise<AuthorisationRow> {
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const { v, record } = checkedAuthorisation(ctx, input, null);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    let considerationId: string | null = null;
    if (v.considerationId !== '') {
      const mine = (await findConsiderations(tx, ctx.actor.partnershipId, personId)).some((c) => c.consideration.id === v.considerationId);
      if (!mine) throw new InputError([{ path: 'considerationId', message: 'The consideration must be one of this person’s' }]);
      considerationId = v.considerationId;
    }
    const created = await insertAuthorisation(tx, { partnershipId: ctx.actor.partnershipId, personId, considerationId, basis: record.basis, ...changeOf(v, record), responsibleUserId: ctx.actor.userId, recordedForOrganisationId: ctx.actor.activeOrganisationId });
    await audit.change({ action: 'liberty-authorisation.started', subjectType: 'liberty-authorisation', subjectId: created.id, after: created });
    return created;
  });
}

/** Advance an authorisation or application through its stages, at the version the form was opened at. */
export async function updateAuthorisation(ctx: ServiceContext, personId: string, authorisationId: string, version: number, input: AuthorisationInput): Promise<AuthorisationRow> {
  if (!isUuid(authorisationId)) throw new NotFoundError('There is no such authorisation or application');
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const before = await findAuthorisation(tx, ctx.actor.partnershipId, personId, authorisationId, true);
    if (!before) throw new NotFoundError('There is no such authorisation or application');
    const { v, record } = checkedAuthorisation(ctx, input, before.authorisation.basis as Basis);
    const after = expectOneUpdated(await updateAuthorisationAtVersion(tx, ctx.actor.partnershipId, authorisationId, version, changeOf(v, record)));
    await audit.change({ action: 'liberty-authorisation.updated', subjectType: 'liberty-authorisation', subjectId: authorisationId, before: before.authorisation, after });
    return after;
  });
}

/** One authorisation or order with its challenges; audited. */
export async function openAuthorisation(ctx: ServiceContext, personId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError('There is no such authorisation or application');
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await findAuthorisation(tx, ctx.actor.partnershipId, personId, id);
    if (!row) throw new NotFoundError('There is no such authorisation or application');
    const days = await renewalDaysIn(tx, ctx.actor.partnershipId);
    const challenges = (await findChallenges(tx, ctx.actor.partnershipId, personId)).filter((c) => c.authorisationId === id).map(challengeView);
    await audit.viewPerson(personId, { page: 'liberty-authorisation', authorisationId: id });
    return { person, authorisation: { ...authorisationView(row.authorisation, row.responsibleName, today, days), challenges }, mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/* ---------- Section 21A challenges ---------- */

export interface ChallengeInput {
  appliedOn: string;
  applicant: string;
  directionsOn: string;
  hearingOn: string;
  outcome: string;
  outcomeOn: string;
  notes: string;
}

export const emptyChallengeInput: ChallengeInput = { appliedOn: '', applicant: '', directionsOn: '', hearingOn: '', outcome: '', outcomeOn: '', notes: '' };

const challengeSchema = z.object({
  appliedOn: requiredDate('Enter the date the application was made to the Court of Protection', 'The date of the application'),
  applicant: text('The applicant', 500).refine((s) => s !== '', 'Enter who applied: the person, their representative or an IMCA (Mental Capacity Act 2005, section 21A)'),
  directionsOn: optionalDate('The date of the directions'),
  hearingOn: optionalDate('The date of the hearing'),
  outcome: z.union([z.literal(''), z.enum(challengeOutcomes, { error: 'Choose the outcome from the list' })]),
  outcomeOn: optionalDate('The date of the outcome'),
  notes: text('The notes'),
});

function checkedChallenge(ctx: ServiceContext, input: ChallengeInput, requestedOn: string) {
  const v = parseInput(challengeSchema, input);
  const c = { appliedOn: v.appliedOn, directionsOn: orNull(v.directionsOn), hearingOn: orNull(v.hearingOn), outcome: v.outcome === '' ? null : v.outcome, outcomeOn: orNull(v.outcomeOn) };
  const problems = challengeProblems(c, ctx.today(), govukDate);
  if (v.appliedOn < requestedOn) problems.unshift({ field: 'appliedOn', message: `The application cannot be before the authorisation was requested (${govukDate(requestedOn)})` });
  if (problems.length) throw new InputError(problems.map((p) => ({ path: p.field, message: p.message })));
  return { v, c };
}

/** Record a s21A challenge to a DoLS authorisation (standard or urgent): s21A is about Schedule A1 authorisations only. */
export async function recordChallenge(ctx: ServiceContext, personId: string, authorisationId: string, input: ChallengeInput): Promise<ChallengeRow> {
  if (!isUuid(authorisationId)) throw new NotFoundError('There is no such authorisation');
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const auth = await findAuthorisation(tx, ctx.actor.partnershipId, personId, authorisationId);
    if (!auth) throw new NotFoundError('There is no such authorisation');
    if (auth.authorisation.basis !== 'mca-schedule-a1') throw new ConflictError('A section 21A challenge is about a standard or urgent authorisation under Schedule A1. A Court of Protection order is reviewed by the court itself.');
    const { v, c } = checkedChallenge(ctx, input, auth.authorisation.requestedOn);
    const created = await insertChallenge(tx, { partnershipId: ctx.actor.partnershipId, personId, authorisationId, appliedOn: c.appliedOn, applicant: v.applicant, directionsOn: c.directionsOn, hearingOn: c.hearingOn, outcome: c.outcome, outcomeOn: c.outcomeOn, notes: v.notes, recordedBy: ctx.actor.userId });
    await audit.change({ action: 'liberty-challenge.recorded', subjectType: 'liberty-challenge', subjectId: created.id, after: created });
    return created;
  });
}

/** Advance a s21A challenge: directions, hearing, outcome. */
export async function updateChallenge(ctx: ServiceContext, personId: string, challengeId: string, version: number, input: Omit<ChallengeInput, 'appliedOn' | 'applicant'>): Promise<ChallengeRow> {
  if (!isUuid(challengeId)) throw new NotFoundError('There is no such challenge');
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const before = await findChallenge(tx, ctx.actor.partnershipId, personId, challengeId, true);
    if (!before) throw new NotFoundError('There is no such challenge');
    const { c, v } = checkedChallenge(ctx, { ...input, appliedOn: before.appliedOn, applicant: before.applicant }, before.appliedOn);
    const after = expectOneUpdated(await updateChallengeAtVersion(tx, ctx.actor.partnershipId, challengeId, version, { directionsOn: c.directionsOn, hearingOn: c.hearingOn, outcome: c.outcome, outcomeOn: c.outcomeOn, notes: v.notes }));
    await audit.change({ action: 'liberty-challenge.updated', subjectType: 'liberty-challenge', subjectId: challengeId, before, after });
    return after;
  });
}

/* ---------- For other modules: the queue ---------- */

export interface LibertyWaiting {
  kind: 'liberty-renewal';
  key: string;
  personId: string;
  personName: string;
  nhsNumber: string;
  what: string;
  href: string;
  since: string;
  dueOn: string;
}

/** Rows due today, exactly as the domain says (renewalDue). */
export function dueRows<R extends { authorisation: AuthorisationRow }>(rows: R[], today: string, days: number) {
  return rows.flatMap((r) => {
    const due = renewalDue(recordOf(r.authorisation), today, days);
    return due?.within ? [{ row: r, due }] : [];
  });
}

export const dueWindow = (today: string, days: number) => ({ until: windowEnd(today, days), urgentUntil: windowEnd(today, URGENT_WARNING_DAYS) });

export function dueWhat(a: AuthorisationRow, due: { dueOn: string; kind: 'renewal' | 'review' | 'urgent' }): string {
  const basis = basisLabels[a.basis as Basis];
  if (due.kind === 'urgent') return `The urgent authorisation at ${a.place} ends on ${govukDate(due.dueOn)}: the supervisory body must decide the standard authorisation, or extend it once (Mental Capacity Act 2005, Schedule A1, paragraph 84)`;
  if (due.kind === 'renewal') return `Renew the ${basis.toLowerCase()} at ${a.place}: it ends on ${govukDate(due.dueOn)} (Mental Capacity Act 2005, Schedule A1, Part 8)`;
  return `Review the Court of Protection order for ${a.place}: its review date is ${govukDate(due.dueOn)} (Mental Capacity Act 2005, section 16(2)(a))`;
}

/** Authorisations and orders the actor is responsible for that are due for renewal or review (decision 0009: read from the records). */
export async function libertyWaitingOn(ctx: ServiceContext): Promise<LibertyWaiting[]> {
  if (ctx.actor.kind !== 'user' || !ctx.actor.userId) return [];
  const userId = ctx.actor.userId;
  const visible = visiblePeople(ctx.actor);
  const today = ctx.today();
  return ctx.data.read(async (q) => {
    const days = await renewalDaysIn(q, ctx.actor.partnershipId);
    const w = dueWindow(today, days);
    const rows = await findPossiblyDue(q, ctx.actor.partnershipId, w.until, w.urgentUntil, visible, userId);
    return dueRows(rows, today, days).map(({ row: r, due }) => ({
      kind: 'liberty-renewal' as const,
      key: `liberty-renewal:${r.authorisation.id}:${due.dueOn}`,
      personId: r.authorisation.personId,
      personName: nameOf(r),
      nhsNumber: r.nhsNumber,
      what: dueWhat(r.authorisation, due),
      href: `/people/${r.authorisation.personId}/deprivation-of-liberty/${r.authorisation.id}`,
      since: r.authorisation.decidedOn ?? r.authorisation.urgentGivenOn ?? r.authorisation.requestedOn,
      dueOn: due.dueOn,
    }));
  });
}

/* ---------- The API ---------- */

function authorisationForApi(a: AuthorisationRow, today: string, days: number) {
  const r = recordOf(a);
  const due = renewalDue(r, today, days);
  return {
    id: a.id,
    version: a.version,
    basis: a.basis,
    setting: a.setting,
    place: a.place,
    body: a.body,
    stage: stageOf(r, today),
    requestedOn: a.requestedOn,
    urgentGivenOn: a.urgentGivenOn,
    urgentEndsOn: a.urgentEndsOn,
    urgentExtendedTo: a.urgentExtendedTo,
    assessmentsDone: a.assessmentsDone,
    assessmentsCompletedOn: a.assessmentsCompletedOn,
    issuedOn: a.issuedOn,
    outcome: a.outcome,
    decidedOn: a.decidedOn,
    startsOn: a.startsOn,
    endsOn: a.endsOn,
    reviewOn: a.reviewOn,
    representative: a.representative,
    conditions: a.conditions,
    documents: a.documents,
    due: due?.within ? { on: due.dueOn, kind: due.kind } : null,
  };
}

export async function authorisationsForApi(ctx: ServiceContext, personId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const days = await renewalDaysIn(tx, ctx.actor.partnershipId);
    const rows = await findAuthorisations(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { api: 'deprivation-of-liberty' });
    return rows.map((r) => authorisationForApi(r.authorisation, today, days));
  });
}

export async function authorisationForApiById(ctx: ServiceContext, personId: string, id: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const row = isUuid(id) ? await findAuthorisation(tx, ctx.actor.partnershipId, personId, id) : null;
    if (!row) throw new NotFoundError(`There is no authorisation or application with id ${id} for this person`);
    const days = await renewalDaysIn(tx, ctx.actor.partnershipId);
    await audit.viewPerson(personId, { api: 'deprivation-of-liberty-authorisation', authorisationId: id });
    return authorisationForApi(row.authorisation, today, days);
  });
}


/** The stored fields as the form's input, for an API update that changes only what it names. */
export async function inputOfAuthorisationForApi(ctx: ServiceContext, personId: string, id: string): Promise<AuthorisationInput> {
  const row = await ctx.data.read(async (q) => {
    await loadPerson(q, ctx, personId, 'person:write');
    return isUuid(id) ? findAuthorisation(q, ctx.actor.partnershipId, personId, id) : null;
  });
  if (!row) throw new NotFoundError(`There is no authorisation or application with id ${id} for this person`);
  return inputOfAuthorisation(row.authorisation);
}

/** The ending checklist's line (issue 16, item 4): the current authorisation or order, or none. It informs the decision; it does not block it. */
export async function endingLibertyCheck(ctx: ServiceContext, personId: string): Promise<{ text: string; href: string | null; current: boolean }> {
  const today = ctx.today();
  const rows = await ctx.data.read(async (q) => {
    await loadPerson(q, ctx, personId, 'person:read');
    return findAuthorisations(q, ctx.actor.partnershipId, personId);
  });
  const current = rows.map((r) => authorisationView(r.authorisation, r.responsibleName, today, DEFAULT_RENEWAL_DAYS)).find((a) => a.stage === 'granted' || a.stage === 'order-made' || a.stage === 'urgent');
  if (!current) return { text: 'No current deprivation of liberty authorisation or Court of Protection order.', href: null, current: false };
  return { text: `${current.basisLabel} at ${current.place} (${current.basisSource}): ${current.stageLabel.toLowerCase()}${current.expiresOn ? `, ${current.dols ? 'ends' : 'review date'} ${current.expiresOn}` : ''}. If aftercare ends, the arrangements it authorises must still be lawful.`, href: current.href, current: true };
}
