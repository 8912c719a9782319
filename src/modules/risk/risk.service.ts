import { randomUUID } from 'node:crypto';
/**
 * Risk assessment and escalation (issue 15, item 4; docs/risk.md). Every read goes through the
 * door and is audited as a view of the person's record; every write is one transaction with its
 * audit event (before and after) and optimistic concurrency.
 *
 * Who may do what:
 * - read assessments, escalations and learning reviews: person:read on the person;
 * - record an assessment: person:write (practitioners, senior practitioners, team managers);
 * - record an escalation's outcome and complete a learning review: risk:escalation:decide (team
 *   managers of an organisation responsible for or involved with the person);
 * - the partnership's level definitions: settings:manage (lead administrators).
 *
 * Escalations are raised in the transaction that causes them (a rise in level, a significant case
 * note), and the team managers who may decide them are told then. "Waiting for you" reads the open
 * escalations and the learning reviews still to do from these records (decision 0009).
 */
import { z } from 'zod';
import { addMonths, isRealDate } from '../../domain/calendar-date.ts';
import {
  assessmentSections,
  DEFAULT_LEVEL_DEFINITIONS,
  escalationOutcomeLabels,
  escalationOutcomes,
  escalationReasonText,
  isRiskLevel,
  levelRose,
  outcomePromptsLearningReview,
  readmissionsWithinTwelveMonths,
  reviewOverdue,
  riskLevelLabels,
  riskLevels,
  type AssessmentSectionKey,
  type EscalationOutcome,
  type EscalationReason,
  type RiskLevel,
} from '../../domain/risk.ts';
import { assertCan, assertCanOnPerson, can, canOnPerson, rolesGranted, type PersonRelationships } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { ConflictError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { tellEach, usersWithRoles } from '../../platform/notifications/recipients.ts';
import { govukDate, govukDateTime } from '../../platform/plain-language.ts';
import { loadPerson, visiblePeople, type PersonRow } from '../register/index.ts';
import {
  ensureRiskSettings,
  findAssessment,
  findAssessments,
  findCrisesWithoutReview,
  findCurrentAssessment,
  findEscalation,
  findEscalations,
  findHospitalEvents,
  findLearningReviews,
  findOpenEscalations,
  findRelatedOrganisations,
  findReviewedTriggers,
  findRiskSettings,
  insertAssessment,
  insertEscalation,
  insertLearningReview,
  countLearningReviews,
  supersedeAssessment,
  updateEscalationAtVersion,
  updateRiskSettings,
  type AssessmentRow,
  type EscalationRow,
} from './risk.queries.ts';

type Tx = Parameters<Parameters<ServiceContext['data']['transaction']>[0]>[0];
type Audit = Parameters<Parameters<ServiceContext['data']['transaction']>[0]>[1];

const isUuid = (id: string) => z.uuid().safeParse(id).success;
const nameOf = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;

/* ---------- The partnership's level definitions ---------- */

export type LevelDefinitions = Record<RiskLevel, string>;

async function definitionsIn(q: DbOrTx, partnershipId: string): Promise<LevelDefinitions> {
  const row = await findRiskSettings(q, partnershipId);
  return row ? { low: row.lowDefinition, medium: row.mediumDefinition, high: row.highDefinition } : { ...DEFAULT_LEVEL_DEFINITIONS };
}

export async function riskLevelSettings(ctx: ServiceContext) {
  assertCan(ctx.actor, 'settings:manage');
  const row = await ctx.data.read((q) => findRiskSettings(q, ctx.actor.partnershipId));
  return { definitions: row ? { low: row.lowDefinition, medium: row.mediumDefinition, high: row.highDefinition } : { ...DEFAULT_LEVEL_DEFINITIONS }, version: row?.version ?? 0, labels: riskLevelLabels, levels: riskLevels };
}

const definitionField = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter what ${label.toLowerCase()} risk means in your partnership`)
    .max(1000, `The definition of ${label.toLowerCase()} risk must be 1,000 characters or fewer`);

export async function updateRiskLevelSettings(ctx: ServiceContext, version: number, input: { low: string; medium: string; high: string }) {
  assertCan(ctx.actor, 'settings:manage');
  const values = parseInput(z.object({ low: definitionField('Low'), medium: definitionField('Medium'), high: definitionField('High') }), input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await ensureRiskSettings(tx, ctx.actor.partnershipId, DEFAULT_LEVEL_DEFINITIONS);
    // A page opened before the row existed carries version 0: it may save over the untouched defaults.
    const expected = version === 0 && before.version === 1 && before.updatedBy === null ? 1 : version;
    const after = expectOneUpdated(await updateRiskSettings(tx, ctx.actor.partnershipId, expected, { lowDefinition: values.low, mediumDefinition: values.medium, highDefinition: values.high }, ctx.actor.userId));
    await audit.change({ action: 'risk-settings.updated', subjectType: 'risk-settings', subjectId: ctx.actor.partnershipId, before: { low: before.lowDefinition, medium: before.mediumDefinition, high: before.highDefinition }, after: { low: after.lowDefinition, medium: after.mediumDefinition, high: after.highDefinition } });
    return after;
  });
}

/* ---------- Assessments ---------- */

export type AssessmentInput = Record<AssessmentSectionKey, string> & { level: string; reviewOn: string };

export const emptyAssessmentInput: AssessmentInput = { ...(Object.fromEntries(assessmentSections.map((s) => [s.key, ''])) as Record<AssessmentSectionKey, string>), level: '', reviewOn: '' };

const sectionField = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}; write “None identified” if there is nothing to record`)
    .max(20_000, `${label} must be 20,000 characters or fewer`);

const assessmentSchema = (today: string) =>
  z.object({
    ...(Object.fromEntries(assessmentSections.map((s) => [s.key, sectionField(s.label)])) as Record<AssessmentSectionKey, ReturnType<typeof sectionField>>),
    level: z.enum(riskLevels, { error: 'Choose the level of risk' }),
    reviewOn: z
      .string()
      .refine((d) => d !== '', 'Enter the date of the next review')
      .refine((d) => d === '' || isRealDate(d), 'The review date must be a real date, like 4 3 2027')
      .refine((d) => !isRealDate(d) || d > today, 'The review date must be in the future')
      .refine((d) => !isRealDate(d) || d <= addMonths(today, 12), 'The review date must be within 12 months'),
  });

export interface AssessmentView {
  id: string;
  version: number;
  level: RiskLevel;
  levelLabel: string;
  assessedOn: string;
  assessedBy: string;
  reviewOn: string;
  reviewOverdue: boolean;
  current: boolean;
  supersededAt: string | null;
  sections: Array<{ key: string; label: string; text: string }>;
}

function assessmentView(row: { assessment: AssessmentRow; assessorName: string | null; organisationName: string | null }, today: string): AssessmentView {
  const a = row.assessment;
  return {
    id: a.id,
    version: a.version,
    level: a.level as RiskLevel,
    levelLabel: riskLevelLabels[a.level as RiskLevel],
    assessedOn: govukDate(a.assessedOn),
    assessedBy: row.assessorName ? `${row.assessorName}${row.organisationName ? `, ${row.organisationName}` : ''}` : 'Unknown',
    reviewOn: govukDate(a.reviewOn),
    reviewOverdue: a.supersededAt === null && reviewOverdue(a.reviewOn, today),
    current: a.supersededAt === null,
    supersededAt: a.supersededAt ? govukDateTime(a.supersededAt) : null,
    sections: assessmentSections.map((s) => ({ key: s.key, label: s.label, text: a[s.key] })),
  };
}

export interface EscalationView {
  id: string;
  version: number;
  open: boolean;
  reasonText: string;
  raisedAt: string;
  raisedBy: string;
  outcomeLabel: string | null;
  outcomeDetail: string | null;
  outcomeBy: string | null;
  outcomeAt: string | null;
  href: string;
}

function escalationView(row: { escalation: EscalationRow; raisedByName: string | null; outcomeByName: string | null }): EscalationView {
  const e = row.escalation;
  return {
    id: e.id,
    version: e.version,
    open: e.status === 'open',
    reasonText: escalationReasonText(e.reason as EscalationReason, isRiskLevel(e.fromLevel) ? e.fromLevel : null, isRiskLevel(e.toLevel) ? e.toLevel : null),
    raisedAt: govukDateTime(e.raisedAt),
    raisedBy: row.raisedByName ?? 'Unknown',
    outcomeLabel: e.outcome ? escalationOutcomeLabels[e.outcome as EscalationOutcome] : null,
    outcomeDetail: e.outcomeDetail,
    outcomeBy: row.outcomeByName,
    outcomeAt: e.outcomeAt ? govukDateTime(e.outcomeAt) : null,
    href: `/people/${e.personId}/risk/escalations/${e.id}`,
  };
}

/** What the person page's section shows: the current level, the review date, open escalations. */
export function riskSummary(
  ctx: ServiceContext,
  person: PersonRelationships & { readonly id: string },
  today: string,
  current: AssessmentRow | undefined,
  open: Array<{ escalation: EscalationRow; raisedByName: string | null }>,
) {
  return {
    href: `/people/${person.id}/risk`,
    newHref: `/people/${person.id}/risk/new`,
    mayWrite: canOnPerson(ctx.actor, 'person:write', person),
    current: current ? { levelLabel: riskLevelLabels[current.level as RiskLevel], level: current.level, assessedOn: govukDate(current.assessedOn), reviewOn: govukDate(current.reviewOn), reviewOverdue: reviewOverdue(current.reviewOn, today) } : null,
    openEscalations: open.map((e) => escalationView({ ...e, outcomeByName: null })),
  };
}

/** Learning reviews to do about one person (readmissions within 12 months, crises). */
async function learningPromptsFor(q: DbOrTx, ctx: ServiceContext, visible: ReturnType<typeof visiblePeople>, personId?: string) {
  const today = ctx.today();
  const since = addMonths(today, -12);
  const events = await findHospitalEvents(q, ctx.actor.partnershipId, visible, since, personId);
  const byPerson = new Map<string, typeof events>();
  for (const e of events) byPerson.set(e.personId, [...(byPerson.get(e.personId) ?? []), e]);
  const prompts: LearningPrompt[] = [];
  for (const [pid, list] of byPerson) {
    const p = list[0]!;
    for (const r of readmissionsWithinTwelveMonths(list)) {
      if (r.admittedOn < since) continue;
      prompts.push({ trigger: 'readmission', triggerId: r.admissionEventId, personId: pid, personName: nameOf(p), nhsNumber: p.nhsNumber, since: r.admittedOn, what: `Complete a learning review: readmitted on ${govukDate(r.admittedOn)}, within 12 months of leaving hospital on ${govukDate(r.dischargedOn)}` });
    }
  }
  for (const c of await findCrisesWithoutReview(q, ctx.actor.partnershipId, visible, personId)) {
    const e = c.escalation;
    prompts.push({ trigger: 'crisis', triggerId: e.id, personId: e.personId, personName: nameOf(c), nhsNumber: c.nhsNumber, since: (e.outcomeAt ?? e.raisedAt).toISOString().slice(0, 10), what: `Complete a learning review: crisis team involved after the escalation of ${govukDate(e.raisedAt)}` });
  }
  const done = await findReviewedTriggers(q, ctx.actor.partnershipId, prompts.map((p) => p.triggerId));
  return prompts.filter((p) => !done.has(p.triggerId)).map((p) => ({ ...p, href: `/people/${p.personId}/risk/learning-reviews/new?trigger=${p.trigger}&for=${p.triggerId}` }));
}

export interface LearningPrompt {
  trigger: 'readmission' | 'crisis';
  triggerId: string;
  personId: string;
  personName: string;
  nhsNumber: string;
  /** The day it started waiting. */
  since: string;
  what: string;
}

/** The risk page: the current assessment, the history, escalations and learning reviews; audited. */
export async function riskPage(ctx: ServiceContext, personId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const assessments = (await findAssessments(tx, ctx.actor.partnershipId, personId)).map((r) => assessmentView(r, today));
    const escalations = (await findEscalations(tx, ctx.actor.partnershipId, personId)).map(escalationView);
    const reviews = (await findLearningReviews(tx, ctx.actor.partnershipId, personId)).map((r) => ({
      triggerText: r.review.trigger === 'readmission' ? 'Readmission within 12 months' : 'Crisis',
      whatHappened: r.review.whatHappened,
      whatPlanSaid: r.review.whatPlanSaid,
      whatChanges: r.review.whatChanges,
      completedBy: r.completedByName ?? 'Unknown',
      completedAt: govukDateTime(r.review.completedAt),
    }));
    const mayDecide = canOnPerson(ctx.actor, 'risk:escalation:decide', person);
    const prompts = mayDecide ? await learningPromptsFor(tx, ctx, visiblePeople(ctx.actor, 'risk:escalation:decide'), personId) : [];
    await audit.viewPerson(personId, { page: 'risk', assessments: assessments.map((a) => a.id) });
    return { person, assessments, current: assessments.find((a) => a.current) ?? null, escalations, reviews, prompts, mayWrite: canOnPerson(ctx.actor, 'person:write', person), mayDecide };
  });
}

/** One assessment; audited. */
export async function openAssessment(ctx: ServiceContext, personId: string, assessmentId: string) {
  if (!isUuid(assessmentId)) throw new NotFoundError('There is no such risk assessment');
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await findAssessment(tx, ctx.actor.partnershipId, personId, assessmentId);
    if (!row) throw new NotFoundError('There is no such risk assessment');
    await audit.viewPerson(personId, { page: 'risk-assessment', assessmentId });
    return { person, assessment: assessmentView(row, ctx.today()) };
  });
}

/** The form for a new assessment, filled in from the current one, with the level definitions. */
export async function assessmentForm(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const current = await findCurrentAssessment(tx, ctx.actor.partnershipId, personId);
    const definitions = await definitionsIn(tx, ctx.actor.partnershipId);
    await audit.viewPerson(personId, { page: 'risk-assessment-form' });
    const values: AssessmentInput = current ? { ...(Object.fromEntries(assessmentSections.map((s) => [s.key, current[s.key]])) as Record<AssessmentSectionKey, string>), level: current.level, reviewOn: '' } : emptyAssessmentInput;
    return { person, current: current ? { id: current.id, version: current.version, levelLabel: riskLevelLabels[current.level as RiskLevel], assessedOn: govukDate(current.assessedOn) } : null, definitions, values };
  });
}

/** Who decides escalations about the person: team managers of their responsible and involved organisations. */
async function deciders(tx: DbOrTx, ctx: ServiceContext, person: PersonRow) {
  const codes = [person.responsibleLocalAuthority, person.responsibleIcb].filter((c): c is string => c !== null);
  const orgIds = await findRelatedOrganisations(tx, ctx.actor.partnershipId, codes, person.involvedOrganisations);
  return usersWithRoles(tx, ctx.actor.partnershipId, orgIds, rolesGranted('risk:escalation:decide'));
}

/** Raise an escalation in the caller's transaction and tell the team managers who may decide it. */
async function raiseEscalation(tx: Tx, audit: Audit, ctx: ServiceContext, person: PersonRow, what: { reason: EscalationReason; from: RiskLevel | null; to: RiskLevel | null; assessmentId?: string; caseNoteId?: string }): Promise<EscalationRow> {
  const created = await insertEscalation(tx, {
    partnershipId: ctx.actor.partnershipId,
    personId: person.id,
    reason: what.reason,
    fromLevel: what.from,
    toLevel: what.to,
    assessmentId: what.assessmentId ?? null,
    caseNoteId: what.caseNoteId ?? null,
    raisedBy: ctx.actor.userId,
    raisedAt: ctx.clock.now(),
    status: 'open',
  });
  await audit.change({ action: 'risk-escalation.raised', subjectType: 'risk-escalation', subjectId: created.id, after: created });
  const reasonText = escalationReasonText(what.reason, what.from, what.to);
  await tellEach(tx, await deciders(tx, ctx, person), ctx.actor.userId, {
    partnershipId: ctx.actor.partnershipId,
    dedupeKey: `risk-escalation:${created.id}`,
    kind: 'risk-escalation',
    personId: person.id,
    subject: `Risk escalation for ${nameOf(person)}: ${reasonText.toLowerCase()}`,
    body: `${ctx.actor.displayName} recorded it: ${reasonText.toLowerCase()}. Record what you decide on the escalation's page. It is in your queue: Waiting for you.`,
    link: `/people/${person.id}/risk/escalations/${created.id}`,
  });
  return created;
}

/**
 * Record a new assessment. It supersedes the current one (whose id and version the form was
 * opened at: somebody else's newer assessment is a 409). A rise in level raises an escalation in
 * the same transaction.
 */
export async function recordAssessment(ctx: ServiceContext, personId: string, input: AssessmentInput, opened: { currentId: string | null; version: number }) {
  // Permission before input (issue 12, finding 10).
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const values = parseInput(assessmentSchema(ctx.today()), input);
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write', true);
    const current = await findCurrentAssessment(tx, ctx.actor.partnershipId, personId, true);
    if ((current?.id ?? null) !== opened.currentId) throw new ConflictError('Somebody else recorded a risk assessment for this person after you opened the form.');
    const id = randomUUID();
    if (current) {
      const superseded = expectOneUpdated(await supersedeAssessment(tx, ctx.actor.partnershipId, current.id, opened.version, ctx.clock.now(), id));
      await audit.change({ action: 'risk-assessment.superseded', subjectType: 'risk-assessment', subjectId: current.id, before: current, after: superseded });
    }
    const created = await insertAssessment(tx, {
      partnershipId: ctx.actor.partnershipId,
      id,
      personId,
      ...values,
      assessedOn: ctx.today(),
      assessedBy: ctx.actor.userId,
      assessedForOrganisationId: ctx.actor.activeOrganisationId,
    });
    await audit.change({ action: 'risk-assessment.recorded', subjectType: 'risk-assessment', subjectId: created.id, before: current ?? null, after: created });
    const previous = current ? (current.level as RiskLevel) : null;
    const escalation = levelRose(previous, values.level) ? await raiseEscalation(tx, audit, ctx, person, { reason: 'level-rose', from: previous, to: values.level, assessmentId: created.id }) : null;
    return { assessment: created, escalation };
  });
}

/**
 * For the case notes (issue 15, items 1 and 4): a note finished as significant, or of the type
 * "significant event", raises an escalation, in the notes' own transaction (the door's nested
 * unit shares it). Returns the escalation.
 */
export async function escalateSignificantNote(ctx: ServiceContext, personId: string, caseNoteId: string): Promise<EscalationRow> {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const current = await findCurrentAssessment(tx, ctx.actor.partnershipId, personId);
    const level = current ? (current.level as RiskLevel) : null;
    return raiseEscalation(tx, audit, ctx, person, { reason: 'significant-event', from: level, to: level, caseNoteId });
  });
}

/* ---------- Escalation outcome ---------- */

const outcomeSchema = z
  .object({
    outcome: z.enum(escalationOutcomes, { error: 'Choose what was decided' }),
    detail: z.string().trim().min(1, 'Say what was decided and done, and why').max(5000, 'What was decided must be 5,000 characters or fewer'),
  });

export async function escalationPage(ctx: ServiceContext, personId: string, escalationId: string) {
  if (!isUuid(escalationId)) throw new NotFoundError('There is no such escalation');
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await findEscalation(tx, ctx.actor.partnershipId, personId, escalationId);
    if (!row) throw new NotFoundError('There is no such escalation');
    const current = await findCurrentAssessment(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { page: 'risk-escalation', escalationId });
    return {
      person,
      escalation: escalationView(row),
      current: current ? { id: current.id, levelLabel: riskLevelLabels[current.level as RiskLevel], assessedOn: govukDate(current.assessedOn) } : null,
      mayDecide: canOnPerson(ctx.actor, 'risk:escalation:decide', person),
      outcomes: escalationOutcomes.map((o) => ({ value: o, text: escalationOutcomeLabels[o] })),
    };
  });
}

/** Record a team manager's outcome: the escalation closes and leaves the queue. */
export async function recordOutcome(ctx: ServiceContext, personId: string, escalationId: string, version: number, input: { outcome: string; detail: string }) {
  if (!isUuid(escalationId)) throw new NotFoundError('There is no such escalation');
  await ctx.data.read(async (q) => assertCanOnPerson(ctx.actor, 'risk:escalation:decide', await loadPerson(q, ctx, personId, 'person:read')));
  const values = parseInput(outcomeSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    assertCanOnPerson(ctx.actor, 'risk:escalation:decide', person);
    const before = await findEscalation(tx, ctx.actor.partnershipId, personId, escalationId, true);
    if (!before) throw new NotFoundError('There is no such escalation');
    if (before.escalation.status !== 'open') throw new ConflictError(`${before.outcomeByName ?? 'Somebody'} recorded the outcome of this escalation on ${before.escalation.outcomeAt ? govukDateTime(before.escalation.outcomeAt) : 'an earlier date'}.`);
    const after = expectOneUpdated(
      await updateEscalationAtVersion(tx, ctx.actor.partnershipId, escalationId, version, { status: 'closed', outcome: values.outcome, outcomeDetail: values.detail, outcomeBy: ctx.actor.userId, outcomeAt: ctx.clock.now() }),
    );
    await audit.change({ action: 'risk-escalation.decided', subjectType: 'risk-escalation', subjectId: escalationId, before: before.escalation, after });
    return { escalation: after, learningReviewPrompted: outcomePromptsLearningReview(values.outcome) };
  });
}

/* ---------- Learning reviews ---------- */

const reviewSchema = z.object({
  whatHappened: z.string().trim().min(1, 'Say what happened').max(20_000, 'What happened must be 20,000 characters or fewer'),
  whatPlanSaid: z.string().trim().min(1, 'Say what the plan said').max(20_000, 'What the plan said must be 20,000 characters or fewer'),
  whatChanges: z.string().trim().min(1, 'Say what changes as a result').max(20_000, 'What changes must be 20,000 characters or fewer'),
});

/** The learning review a trigger prompts, if it is still to do for this person: the form's subject. */
async function promptFor(q: DbOrTx, ctx: ServiceContext, personId: string, trigger: string, triggerId: string) {
  if ((trigger !== 'readmission' && trigger !== 'crisis') || !isUuid(triggerId)) throw new NotFoundError('There is no learning review to do for this');
  const prompts = await learningPromptsFor(q, ctx, visiblePeople(ctx.actor, 'risk:escalation:decide'), personId);
  const prompt = prompts.find((p) => p.trigger === trigger && p.triggerId === triggerId);
  if (!prompt) {
    const done = await findReviewedTriggers(q, ctx.actor.partnershipId, [triggerId]);
    if (done.size > 0) throw new ConflictError('A learning review has already been completed for this.');
    throw new NotFoundError('There is no learning review to do for this');
  }
  return prompt;
}

export async function learningReviewForm(ctx: ServiceContext, personId: string, trigger: string, triggerId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    assertCanOnPerson(ctx.actor, 'risk:escalation:decide', person);
    const prompt = await promptFor(tx, ctx, personId, trigger, triggerId);
    const current = await findCurrentAssessment(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { page: 'learning-review-form', trigger, triggerId });
    return { person, prompt, plan: current ? { positiveRiskPlan: current.positiveRiskPlan, relapseSigns: current.relapseSigns, assessedOn: govukDate(current.assessedOn) } : null };
  });
}

export async function completeLearningReview(ctx: ServiceContext, personId: string, trigger: string, triggerId: string, input: { whatHappened: string; whatPlanSaid: string; whatChanges: string }) {
  await ctx.data.read(async (q) => assertCanOnPerson(ctx.actor, 'risk:escalation:decide', await loadPerson(q, ctx, personId, 'person:read')));
  const values = parseInput(reviewSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read', true);
    assertCanOnPerson(ctx.actor, 'risk:escalation:decide', person);
    const prompt = await promptFor(tx, ctx, personId, trigger, triggerId);
    const created = await insertLearningReview(tx, { partnershipId: ctx.actor.partnershipId, personId, trigger: prompt.trigger, triggerId, ...values, completedBy: ctx.actor.userId, completedAt: ctx.clock.now() });
    if (!created) throw new ConflictError('A learning review has already been completed for this.');
    await audit.change({ action: 'learning-review.completed', subjectType: 'learning-review', subjectId: created.id, after: created });
    return created;
  });
}

/* ---------- For other modules: the queue, the dashboard, the API ---------- */

export interface RiskWaiting {
  kind: 'escalation' | 'learning-review';
  key: string;
  personId: string;
  personName: string;
  nhsNumber: string;
  what: string;
  href: string;
  since: string;
}

/**
 * What waits on the actor (decision 0009, read from the records): open escalations and learning
 * reviews still to do about people the actor may decide for (team managers of an organisation
 * responsible for or involved with them).
 */
export async function riskWaitingOn(ctx: ServiceContext): Promise<RiskWaiting[]> {
  if (ctx.actor.kind !== 'user' || !ctx.actor.memberships.some((m) => rolesGranted('risk:escalation:decide').some((r) => m.roles.includes(r)))) return [];
  const visible = visiblePeople(ctx.actor, 'risk:escalation:decide');
  return ctx.data.read(async (q) => {
    const open = await findOpenEscalations(q, ctx.actor.partnershipId, visible);
    const prompts = await learningPromptsFor(q, ctx, visible);
    return [
      ...open.map((r) => {
        const e = r.escalation;
        return {
          kind: 'escalation' as const,
          key: `escalation:${e.id}`,
          personId: e.personId,
          personName: nameOf(r),
          nhsNumber: r.nhsNumber,
          what: `Record the outcome of a risk escalation: ${escalationReasonText(e.reason as EscalationReason, isRiskLevel(e.fromLevel) ? e.fromLevel : null, isRiskLevel(e.toLevel) ? e.toLevel : null).toLowerCase()}`,
          href: `/people/${e.personId}/risk/escalations/${e.id}`,
          since: e.raisedAt.toISOString().slice(0, 10),
        };
      }),
      ...prompts.map((p) => ({ kind: 'learning-review' as const, key: `learning-review:${p.triggerId}`, personId: p.personId, personName: p.personName, nhsNumber: p.nhsNumber, what: p.what, href: p.href, since: p.since })),
    ];
  });
}

/**
 * The dashboard's count (competency framework domain 4, leader level: "ensures learning from
 * crises and readmissions"): learning reviews completed in the last 12 months, and still to do,
 * about the people the actor may read.
 */
export async function learningReviewCounts(ctx: ServiceContext): Promise<{ completed: number; outstanding: number }> {
  const visible = visiblePeople(ctx.actor, 'person:read');
  const since = new Date(`${addMonths(ctx.today(), -12)}T00:00:00Z`);
  return ctx.data.read(async (q) => ({
    completed: await countLearningReviews(q, ctx.actor.partnershipId, visible, since),
    outstanding: (await learningPromptsFor(q, ctx, visible)).length,
  }));
}

/** GET /api/v1/people/{id}/risk: the current assessment and the history in summary; audited. */
export async function riskForApi(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const rows = await findAssessments(tx, ctx.actor.partnershipId, personId);
    const escalations = await findEscalations(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { api: 'risk' });
    const current = rows.find((r) => r.assessment.supersededAt === null)?.assessment ?? null;
    const today = ctx.today();
    return {
      personId,
      current: current
        ? {
            id: current.id,
            level: current.level,
            assessedOn: current.assessedOn,
            reviewOn: current.reviewOn,
            reviewOverdue: reviewOverdue(current.reviewOn, today),
            ...Object.fromEntries(assessmentSections.map((s) => [s.key, current[s.key]])),
          }
        : null,
      history: rows.map((r) => ({ id: r.assessment.id, level: r.assessment.level, assessedOn: r.assessment.assessedOn, reviewOn: r.assessment.reviewOn, current: r.assessment.supersededAt === null, assessedBy: r.assessorName })),
      escalations: escalations.map((e) => ({ id: e.escalation.id, reason: e.escalation.reason, fromLevel: e.escalation.fromLevel, toLevel: e.escalation.toLevel, raisedAt: e.escalation.raisedAt.toISOString(), status: e.escalation.status, outcome: e.escalation.outcome, outcomeAt: e.escalation.outcomeAt?.toISOString() ?? null })),
    };
  });
}

export function mayManageRiskSettings(ctx: Pick<ServiceContext, 'actor'>): boolean {
  return can(ctx.actor, 'settings:manage');
}

/** For linking from another record (a safeguarding concern, issue 16 item 1): the person's risk assessments, newest first, by date and level. */
export async function riskAssessmentsForLinking(q: DbOrTx, ctx: ServiceContext, person: PersonRow): Promise<Array<{ id: string; text: string; href: string }>> {
  const rows = await findAssessments(q, ctx.actor.partnershipId, person.id);
  return rows.map((r) => ({
    id: r.assessment.id,
    text: `Risk assessment, ${govukDate(r.assessment.assessedOn)}: ${(riskLevelLabels[r.assessment.level as RiskLevel] ?? r.assessment.level).toLowerCase()} risk${r.assessment.supersededAt ? ' (superseded)' : ''}`,
    href: `/people/${person.id}/risk/assessments/${r.assessment.id}`,
  }));
}
