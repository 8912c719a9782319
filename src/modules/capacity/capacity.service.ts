/**
 * Mental capacity and best interests (issue 16, items 2 and 3; docs/mental-capacity.md). Every read
 * goes through the door and is audited as a view of the person's record; every write is one
 * transaction with its audit event (before and after) and optimistic concurrency.
 *
 * Who may do what:
 * - read assessments, best-interests decisions and IMCA instructions: person:read on the person;
 * - record, change a draft of and complete an assessment, record a best-interests decision,
 *   instruct an IMCA and record the IMCA's report: person:write on the person;
 * - the days allowed for an IMCA's report: settings:manage (lead administrators).
 *
 * The rules (what completing needs, the outcome, which assessments a best-interests decision may
 * follow, when an IMCA's report is overdue) are in src/domain/mental-capacity.ts.
 */
import { z } from 'zod';
import { isRealDate } from '../../domain/calendar-date.ts';
import { londonInstant, londonWallClock, noteDateTime, parseTimeOfDay } from '../../domain/case-notes.ts';
import {
  abilityAnswerLabels,
  abilityKeys,
  attachmentKindLabels,
  capacityOutcome,
  capacityOutcomeLabels,
  causalLinkInQuestion,
  completionProblems,
  DEFAULT_IMCA_REPORT_DAYS,
  decisionTopicLabels,
  decisionTopics,
  endingCapacityLine,
  functionalAbilities,
  imcaReportDueOn,
  imcaReportOverdue,
  isDecisionTopic,
  mayFollowAssessment,
  bestInterestsKindLabels,
  bestInterestsKinds,
  outcomeReason,
  type AbilityKey,
  type CapacityAnswers,
  type CapacityOutcome,
  type BestInterestsKind,
} from '../../domain/mental-capacity.ts';
import { assertCan, can, canOnPerson } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { loadPerson, visiblePeople } from '../register/index.ts';
import {
  ensureCapacitySettings,
  findAssessment,
  findAssessments,
  findAttachable,
  findBestInterestsDecision,
  findBestInterestsDecisions,
  findCapacitySettings,
  findImcaInstruction,
  findImcaInstructions,
  findImcaReportsOverdue,
  findLatestAboutEnding,
  insertAssessment,
  insertBestInterests,
  insertImca,
  recordImcaReportAtVersion,
  updateCapacitySettings,
  updateDraftAtVersion,
  type AssessmentChange,
  type BestInterestsRow,
  type CapacityRow,
  type ImcaRow,
} from './capacity.queries.ts';

const isUuid = (id: string) => z.uuid().safeParse(id).success;
const nameOf = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;

/* ---------- Settings: days allowed for an IMCA's report ---------- */

export async function imcaReportDaysIn(q: DbOrTx, partnershipId: string): Promise<number> {
  return (await findCapacitySettings(q, partnershipId))?.imcaReportDays ?? DEFAULT_IMCA_REPORT_DAYS;
}

export async function capacitySettingsForPage(ctx: ServiceContext) {
  if (!can(ctx.actor, 'settings:manage')) return null;
  const row = await ctx.data.read((q) => findCapacitySettings(q, ctx.actor.partnershipId));
  return { imcaReportDays: String(row?.imcaReportDays ?? DEFAULT_IMCA_REPORT_DAYS), version: row?.version ?? 0 };
}

const settingsSchema = z.object({
  imcaReportDays: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, 'Enter the number of days as a whole number, like 28')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 180, 'The number of days must be between 1 and 180'),
});

export async function updateCapacitySettingsFor(ctx: ServiceContext, version: number, input: { imcaReportDays: string }) {
  assertCan(ctx.actor, 'settings:manage');
  const values = parseInput(settingsSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await ensureCapacitySettings(tx, ctx.actor.partnershipId, DEFAULT_IMCA_REPORT_DAYS);
    // A page opened before the row existed carries version 0: it may save over the untouched default.
    const expected = version === 0 && before.version === 1 && before.updatedBy === null ? 1 : version;
    const after = expectOneUpdated(await updateCapacitySettings(tx, ctx.actor.partnershipId, expected, values.imcaReportDays, ctx.actor.userId));
    await audit.change({ action: 'capacity-settings.updated', subjectType: 'capacity-settings', subjectId: ctx.actor.partnershipId, before: { imcaReportDays: before.imcaReportDays }, after: { imcaReportDays: after.imcaReportDays } });
    return after;
  });
}

/* ---------- Capacity assessments ---------- */

/** The form's (and the API's) fields, all text: a draft may leave any of them empty. */
export interface AssessmentInput {
  topic: string;
  decision: string;
  /** YYYY-MM-DD, or '' while not yet known. */
  assessedOn: string;
  assessedTime: string;
  relevantInformation: string;
  practicableSteps: string;
  impairment: string;
  impairmentDetail: string;
  causalLink: string;
  causalLinkEvidence: string;
  understand: string;
  understandEvidence: string;
  retain: string;
  retainEvidence: string;
  useOrWeigh: string;
  useOrWeighEvidence: string;
  communicate: string;
  communicateEvidence: string;
  executiveFunctioning: string;
  /** '' for nothing, 'move', or 'need:<id>', 'plan:<id>', 'ending:<id>'. */
  attached: string;
}

export const emptyAssessmentInput: AssessmentInput = {
  topic: '',
  decision: '',
  assessedOn: '',
  assessedTime: '',
  relevantInformation: '',
  practicableSteps: '',
  impairment: '',
  impairmentDetail: '',
  causalLink: '',
  causalLinkEvidence: '',
  understand: '',
  understandEvidence: '',
  retain: '',
  retainEvidence: '',
  useOrWeigh: '',
  useOrWeighEvidence: '',
  communicate: '',
  communicateEvidence: '',
  executiveFunctioning: '',
  attached: '',
};

const text = (label: string, max = 20_000) => z.string().trim().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const answer = <T extends readonly [string, ...string[]]>(values: T, message: string) => z.union([z.literal(''), z.enum(values, { error: message })]);

const assessmentSchema = z.object({
  topic: z.enum(decisionTopics, { error: 'Choose what the decision is about' }),
  decision: text('The decision', 1000),
  assessedOn: z.string().refine((d) => d === '' || isRealDate(d), 'The date of the assessment must be a real date, like 4 12 2026'),
  assessedTime: z.string().trim().refine((t) => t === '' || parseTimeOfDay(t) !== null, 'Enter the time of the assessment like 14:30 or 2:30pm'),
  relevantInformation: text('The relevant information'),
  practicableSteps: text('The practicable steps'),
  impairment: answer(['yes', 'no'], 'Choose yes or no for the impairment or disturbance'),
  impairmentDetail: text('The impairment or disturbance'),
  causalLink: answer(['yes', 'no'], 'Choose yes or no for the causal link'),
  causalLinkEvidence: text('The evidence for the causal link'),
  understand: answer(['met', 'not-met'], 'Choose whether the person is able to understand the information'),
  understandEvidence: text('The evidence for understanding'),
  retain: answer(['met', 'not-met'], 'Choose whether the person is able to retain the information'),
  retainEvidence: text('The evidence for retaining'),
  useOrWeigh: answer(['met', 'not-met'], 'Choose whether the person is able to use or weigh the information'),
  useOrWeighEvidence: text('The evidence for using or weighing'),
  communicate: answer(['met', 'not-met'], 'Choose whether the person is able to communicate the decision'),
  communicateEvidence: text('The evidence for communicating'),
  executiveFunctioning: text('The note on executive functioning'),
  attached: z.string().trim().refine((a) => a === '' || a === 'move' || /^(need|plan|ending):[0-9a-f-]{36}$/i.test(a), 'Choose what the outcome is attached to from the list'),
});

/** The answers as the rules read them, from checked input or a stored row refilled as input. */
function answersOf(v: Omit<AssessmentInput, 'topic' | 'assessedOn' | 'assessedTime' | 'executiveFunctioning' | 'attached'>): CapacityAnswers {
  return {
    decision: v.decision,
    relevantInformation: v.relevantInformation,
    practicableSteps: v.practicableSteps,
    impairment: v.impairment as CapacityAnswers['impairment'],
    impairmentDetail: v.impairmentDetail,
    causalLink: v.causalLink as CapacityAnswers['causalLink'],
    causalLinkEvidence: v.causalLinkEvidence,
    abilities: Object.fromEntries(abilityKeys.map((k) => [k, { answer: v[k], evidence: v[`${k}Evidence`] }])) as CapacityAnswers['abilities'],
  };
}

/** Check the input, and for completion every part the Act requires; returns the row's values. */
function valuesFrom(ctx: ServiceContext, input: AssessmentInput, complete: boolean): { change: AssessmentChange; outcome: CapacityOutcome | null } {
  const v = parseInput(assessmentSchema, input);
  const issues: Array<{ path: string; message: string }> = [];
  const time = v.assessedTime === '' ? null : parseTimeOfDay(v.assessedTime);
  const assessedAt = v.assessedOn !== '' && time ? londonInstant(v.assessedOn, time) : null;
  if (assessedAt && assessedAt.getTime() > ctx.clock.now().getTime()) issues.push({ path: 'assessedOn', message: 'The date and time of the assessment must be in the past' });
  if (complete) {
    // Time-specific (s2(1) "at the material time"): when it was made.
    if (v.assessedOn === '') issues.push({ path: 'assessedOn', message: 'Enter the date of the assessment (Mental Capacity Act 2005, section 2(1): capacity is assessed at a particular time)' });
    if (v.assessedTime === '') issues.push({ path: 'assessedTime', message: 'Enter the time of the assessment, like 14:30' });
    for (const p of completionProblems(answersOf(v))) issues.push({ path: p.field, message: p.message });
  }
  if (issues.length) throw new InputError(issues);
  const answers = answersOf(v);
  const [kind, id] = v.attached === '' ? [null, null] : v.attached === 'move' ? ['move', null] : (v.attached.split(':') as [string, string]);
  const outcome = complete ? capacityOutcome(answers) : null;
  return {
    outcome,
    change: {
      status: complete ? 'completed' : 'draft',
      topic: v.topic,
      decision: v.decision,
      assessedAt,
      relevantInformation: v.relevantInformation,
      practicableSteps: v.practicableSteps,
      impairment: v.impairment || null,
      impairmentDetail: v.impairmentDetail,
      // The causal link is recorded only where it is in question (an impairment and an inability).
      causalLink: causalLinkInQuestion(answers) ? v.causalLink || null : null,
      causalLinkEvidence: causalLinkInQuestion(answers) ? v.causalLinkEvidence : '',
      understand: v.understand || null,
      understandEvidence: v.understandEvidence,
      retain: v.retain || null,
      retainEvidence: v.retainEvidence,
      useOrWeigh: v.useOrWeigh || null,
      useOrWeighEvidence: v.useOrWeighEvidence,
      communicate: v.communicate || null,
      communicateEvidence: v.communicateEvidence,
      executiveFunctioning: v.executiveFunctioning,
      outcome,
      attachedKind: kind,
      attachedId: id,
      completedAt: complete ? ctx.clock.now() : null,
    },
  };
}

/** An attachment must be one of this person's needs, plans or ending proposals. */
async function checkAttachment(q: DbOrTx, ctx: ServiceContext, personId: string, change: AssessmentChange) {
  if (!change.attachedKind || change.attachedKind === 'move') return;
  const options = await findAttachable(q, ctx.actor.partnershipId, personId);
  if (!options.some((o) => o.kind === change.attachedKind && o.id === change.attachedId)) throw new InputError([{ path: 'attached', message: 'Choose what the outcome is attached to from the list: it must be one of this person’s needs, plans or ending proposals' }]);
}

export interface AssessmentView {
  id: string;
  version: number;
  draft: boolean;
  topic: string;
  topicLabel: string;
  decision: string;
  assessedAt: string | null;
  assessedOnIso: string | null;
  assessedBy: string;
  outcome: CapacityOutcome | null;
  outcomeLabel: string | null;
  outcomeReason: string | null;
  impairment: string | null;
  impairmentDetail: string;
  causalLink: string | null;
  causalLinkEvidence: string;
  relevantInformation: string;
  practicableSteps: string;
  abilities: Array<{ key: AbilityKey; label: string; section: string; answer: string | null; answerLabel: string; evidence: string }>;
  executiveFunctioning: string;
  attached: { kind: string; id: string | null; label: string } | null;
  problems: string[];
  href: string;
  mayFollow: boolean;
}

function inputOf(a: CapacityRow): AssessmentInput {
  const wall = a.assessedAt ? londonWallClock(a.assessedAt) : null;
  return {
    topic: a.topic,
    decision: a.decision,
    assessedOn: wall?.date ?? '',
    assessedTime: wall?.time ?? '',
    relevantInformation: a.relevantInformation,
    practicableSteps: a.practicableSteps,
    impairment: a.impairment ?? '',
    impairmentDetail: a.impairmentDetail,
    causalLink: a.causalLink ?? '',
    causalLinkEvidence: a.causalLinkEvidence,
    understand: a.understand ?? '',
    understandEvidence: a.understandEvidence,
    retain: a.retain ?? '',
    retainEvidence: a.retainEvidence,
    useOrWeigh: a.useOrWeigh ?? '',
    useOrWeighEvidence: a.useOrWeighEvidence,
    communicate: a.communicate ?? '',
    communicateEvidence: a.communicateEvidence,
    executiveFunctioning: a.executiveFunctioning,
    attached: a.attachedKind === 'move' ? 'move' : a.attachedKind && a.attachedId ? `${a.attachedKind}:${a.attachedId}` : '',
  };
}

function assessmentView(row: { assessment: CapacityRow; assessorName: string | null; organisationName: string | null }, attachable: Array<{ kind: string; id: string; label: string }> = []): AssessmentView {
  const a = row.assessment;
  const answers = answersOf(inputOf(a));
  const outcome = a.outcome as CapacityOutcome | null;
  const attachedLabel = a.attachedKind === 'move' ? attachmentKindLabels.move : a.attachedKind ? `${attachmentKindLabels[a.attachedKind as 'need']}: ${attachable.find((o) => o.kind === a.attachedKind && o.id === a.attachedId)?.label ?? 'no longer found'}` : null;
  return {
    id: a.id,
    version: a.version,
    draft: a.status === 'draft',
    topic: a.topic,
    topicLabel: isDecisionTopic(a.topic) ? decisionTopicLabels[a.topic] : a.topic,
    decision: a.decision,
    assessedAt: a.assessedAt ? noteDateTime(a.assessedAt) : null,
    assessedOnIso: a.assessedAt ? londonWallClock(a.assessedAt).date : null,
    assessedBy: row.assessorName ? `${row.assessorName}${row.organisationName ? `, ${row.organisationName}` : ''}` : 'Unknown',
    outcome,
    outcomeLabel: outcome ? capacityOutcomeLabels[outcome] : null,
    outcomeReason: outcome ? outcomeReason(answers) : null,
    impairment: a.impairment,
    impairmentDetail: a.impairmentDetail,
    causalLink: a.causalLink,
    causalLinkEvidence: a.causalLinkEvidence,
    relevantInformation: a.relevantInformation,
    practicableSteps: a.practicableSteps,
    abilities: functionalAbilities.map((f) => {
      const given = a[f.key];
      return { key: f.key, label: f.label, section: f.section, answer: given, answerLabel: given === 'met' || given === 'not-met' ? abilityAnswerLabels[given] : 'Not answered yet', evidence: a[`${f.key}Evidence`] };
    }),
    executiveFunctioning: a.executiveFunctioning,
    attached: a.attachedKind && attachedLabel ? { kind: a.attachedKind, id: a.attachedId, label: attachedLabel } : null,
    problems: a.status === 'draft' ? completionProblems(answers).map((p) => p.message) : [],
    href: `/people/${a.personId}/capacity/assessments/${a.id}`,
    mayFollow: mayFollowAssessment(a),
  };
}

/** What the person page's section shows: the newest assessments with their outcomes. */
export function capacitySummary(ctx: ServiceContext, person: Parameters<typeof canOnPerson>[2] & { readonly id: string }, recent: Array<{ id: string; status: string; topic: string; decision: string; assessedAt: Date | null; outcome: string | null }>) {
  return {
    href: `/people/${person.id}/capacity`,
    newHref: `/people/${person.id}/capacity/new`,
    mayWrite: canOnPerson(ctx.actor, 'person:write', person),
    recent: recent.map((r) => ({
      href: `/people/${person.id}/capacity/assessments/${r.id}`,
      decision: r.decision || (isDecisionTopic(r.topic) ? decisionTopicLabels[r.topic] : r.topic),
      when: r.assessedAt ? govukDate(londonWallClock(r.assessedAt).date) : null,
      status: r.status === 'draft' ? 'Draft' : capacityOutcomeLabels[r.outcome as CapacityOutcome],
      lacks: r.outcome === 'lacks-capacity',
      draft: r.status === 'draft',
    })),
  };
}

/** Group the history by decision (the same topic and the same words), newest first within each. */
function byDecision(views: AssessmentView[]) {
  const groups = new Map<string, { decision: string; topicLabel: string; assessments: AssessmentView[] }>();
  for (const v of views) {
    const key = `${v.topic}|${v.decision.trim().toLowerCase()}`;
    const g = groups.get(key) ?? { decision: v.decision || 'Decision not yet written', topicLabel: v.topicLabel, assessments: [] };
    g.assessments.push(v);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** The capacity page: every assessment by decision, the best-interests decisions and IMCA instructions; audited. */
export async function capacityPage(ctx: ServiceContext, personId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const attachable = await findAttachable(tx, ctx.actor.partnershipId, personId);
    const assessments = (await findAssessments(tx, ctx.actor.partnershipId, personId)).map((r) => assessmentView(r, attachable));
    const days = await imcaReportDaysIn(tx, ctx.actor.partnershipId);
    const instructions = (await findImcaInstructions(tx, ctx.actor.partnershipId, personId)).map((r) => imcaView(r, today, days));
    const decisions = (await findBestInterestsDecisions(tx, ctx.actor.partnershipId, personId)).map((r) => ({ ...bestInterestsView(r), imca: instructions.filter((i) => i.bestInterestsId === r.decision.id) }));
    await audit.viewPerson(personId, { page: 'capacity', assessments: assessments.map((a) => a.id), bestInterests: decisions.map((d) => d.id) });
    return { person, groups: byDecision(assessments), count: assessments.length, decisions, mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/** One assessment; audited. */
export async function openAssessment(ctx: ServiceContext, personId: string, assessmentId: string) {
  if (!isUuid(assessmentId)) throw new NotFoundError('There is no such capacity assessment');
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await findAssessment(tx, ctx.actor.partnershipId, personId, assessmentId);
    if (!row) throw new NotFoundError('There is no such capacity assessment');
    const attachable = await findAttachable(tx, ctx.actor.partnershipId, personId);
    const decisions = (await findBestInterestsDecisions(tx, ctx.actor.partnershipId, personId)).filter((d) => d.decision.capacityAssessmentId === assessmentId).map(bestInterestsView);
    await audit.viewPerson(personId, { page: 'capacity-assessment', assessmentId });
    return { person, assessment: assessmentView(row, attachable), decisions, mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/** The form: new, or a draft to carry on with (a completed assessment is not changed: record a new one). */
export async function assessmentForm(ctx: ServiceContext, personId: string, assessmentId: string | null) {
  if (assessmentId !== null && !isUuid(assessmentId)) throw new NotFoundError('There is no such capacity assessment');
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const row = assessmentId ? await findAssessment(tx, ctx.actor.partnershipId, personId, assessmentId) : null;
    if (assessmentId && !row) throw new NotFoundError('There is no such capacity assessment');
    if (row && row.assessment.status !== 'draft') throw new ConflictError('This capacity assessment was completed and cannot be changed. Capacity is about one decision at one time: record a new assessment.');
    const attachable = await findAttachable(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { page: 'capacity-assessment-form', assessmentId });
    return { person, draft: row ? { id: row.assessment.id, version: row.assessment.version } : null, values: row ? inputOf(row.assessment) : emptyAssessmentInput, attachable };
  });
}

/** Record a new assessment, as a draft or completed. */
export async function createAssessment(ctx: ServiceContext, personId: string, input: AssessmentInput, complete: boolean): Promise<CapacityRow> {
  // Permission before input (issue 12, finding 10).
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const { change } = valuesFrom(ctx, input, complete);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    await checkAttachment(tx, ctx, personId, change);
    const created = await insertAssessment(tx, { partnershipId: ctx.actor.partnershipId, personId, ...change, assessedBy: ctx.actor.userId, assessedForOrganisationId: ctx.actor.activeOrganisationId });
    await audit.change({ action: complete ? 'capacity-assessment.completed' : 'capacity-assessment.drafted', subjectType: 'capacity-assessment', subjectId: created.id, after: created });
    return created;
  });
}

/** Save a draft again, or complete it, at the version the form was opened at. */
export async function updateAssessment(ctx: ServiceContext, personId: string, assessmentId: string, version: number, input: AssessmentInput, complete: boolean): Promise<CapacityRow> {
  if (!isUuid(assessmentId)) throw new NotFoundError('There is no such capacity assessment');
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const { change } = valuesFrom(ctx, input, complete);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const before = await findAssessment(tx, ctx.actor.partnershipId, personId, assessmentId, true);
    if (!before) throw new NotFoundError('There is no such capacity assessment');
    if (before.assessment.status !== 'draft') throw new ConflictError('This capacity assessment has already been completed, so it cannot be changed.');
    await checkAttachment(tx, ctx, personId, change);
    const after = expectOneUpdated(await updateDraftAtVersion(tx, ctx.actor.partnershipId, assessmentId, version, change));
    await audit.change({ action: complete ? 'capacity-assessment.completed' : 'capacity-assessment.drafted', subjectType: 'capacity-assessment', subjectId: assessmentId, before: before.assessment, after });
    return after;
  });
}

/* ---------- Best interests (s4) and IMCA (ss35–39) ---------- */

export interface BestInterestsInput {
  assessmentId: string;
  kind: string;
  decidedOn: string;
  convenedBy: string;
  chairedBy: string;
  personWishes: string;
  beliefsValues: string;
  consulted: string;
  noOneToConsult: string;
  optionsConsidered: string;
  leastRestrictive: string;
  decision: string;
  reasons: string;
  imcaInstructedOn: string;
  imcaService: string;
  imcaAdvocate: string;
}

export const emptyBestInterestsInput: BestInterestsInput = {
  assessmentId: '',
  kind: '',
  decidedOn: '',
  convenedBy: '',
  chairedBy: '',
  personWishes: '',
  beliefsValues: '',
  consulted: '',
  noOneToConsult: '',
  optionsConsidered: '',
  leastRestrictive: '',
  decision: '',
  reasons: '',
  imcaInstructedOn: '',
  imcaService: '',
  imcaAdvocate: '',
};

const required = (message: string, label: string, max = 20_000) => z.string().trim().min(1, message).max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`);
const pastDate = (today: string, missing: string, label: string) =>
  z
    .string()
    .refine((d) => d !== '', missing)
    .refine((d) => d === '' || isRealDate(d), `${label} must be a real date, like 4 12 2026`)
    .refine((d) => !isRealDate(d) || d <= today, `${label} must be today or in the past`);

const bestInterestsSchema = (today: string) =>
  z
    .object({
      assessmentId: z.string().refine(isUuid, 'Choose the capacity assessment this decision follows'),
      kind: z.enum(bestInterestsKinds, { error: 'Choose whether this was a meeting or a decision without a meeting' }),
      decidedOn: pastDate(today, 'Enter the date of the meeting or decision', 'The date'),
      convenedBy: required('Enter who convened the meeting or made the decision', 'Who convened', 500),
      chairedBy: z.string().trim().max(500, 'Who chaired must be 500 characters or fewer'),
      personWishes: required('Enter the person’s past and present wishes and feelings (Mental Capacity Act 2005, section 4(6)(a))', 'The person’s wishes and feelings'),
      beliefsValues: required('Enter the beliefs and values that would be likely to influence the person’s decision (Mental Capacity Act 2005, section 4(6)(b))', 'Beliefs and values'),
      consulted: z.string().trim().max(20_000, 'Who was consulted must be 20,000 characters or fewer'),
      noOneToConsult: z.enum(['yes', 'no'], { error: 'Say whether there is anyone appropriate to consult other than paid carers (Mental Capacity Act 2005, sections 37 to 39)' }),
      optionsConsidered: required('Enter the options considered', 'The options considered'),
      leastRestrictive: required('Enter the least restrictive option and whether it meets the need (Mental Capacity Act 2005, section 1(6))', 'The least restrictive option'),
      decision: required('Enter the decision', 'The decision', 5000),
      reasons: required('Enter the reasons for the decision', 'The reasons'),
      imcaInstructedOn: z.string(),
      imcaService: z.string().trim().max(500, 'The IMCA service must be 500 characters or fewer'),
      imcaAdvocate: z.string().trim().max(500, 'The advocate’s name must be 500 characters or fewer'),
    })
    .superRefine((v, c) => {
      // s4(7): consult carers, anyone interested in their welfare, attorneys and deputies.
      if (v.noOneToConsult === 'no' && v.consulted === '') c.addIssue({ code: 'custom', path: ['consulted'], message: 'Enter who was consulted and what they said: carers, family, attorneys and deputies (Mental Capacity Act 2005, section 4(7))' });
      // ss37–39: nobody appropriate to consult, so an IMCA must be instructed.
      if (v.noOneToConsult === 'yes') {
        if (v.imcaInstructedOn === '') c.addIssue({ code: 'custom', path: ['imcaInstructedOn'], message: 'Enter the date the IMCA was instructed: there is nobody appropriate to consult (Mental Capacity Act 2005, sections 37 to 39)' });
        else if (!isRealDate(v.imcaInstructedOn)) c.addIssue({ code: 'custom', path: ['imcaInstructedOn'], message: 'The date the IMCA was instructed must be a real date, like 4 12 2026' });
        else if (v.imcaInstructedOn > today) c.addIssue({ code: 'custom', path: ['imcaInstructedOn'], message: 'The date the IMCA was instructed must be today or in the past' });
        if (v.imcaService === '') c.addIssue({ code: 'custom', path: ['imcaService'], message: 'Enter the IMCA service instructed' });
        if (v.imcaAdvocate === '') c.addIssue({ code: 'custom', path: ['imcaAdvocate'], message: 'Enter the name of the IMCA' });
      }
    });

function bestInterestsView(r: { decision: BestInterestsRow; recordedByName: string | null; assessmentDecision: string; assessmentTopic: string; assessmentAssessedAt: Date | null }) {
  const d = r.decision;
  return {
    id: d.id,
    kind: d.kind as BestInterestsKind,
    kindLabel: bestInterestsKindLabels[d.kind as BestInterestsKind],
    decidedOn: govukDate(d.decidedOn),
    decidedOnIso: d.decidedOn,
    convenedBy: d.convenedBy,
    chairedBy: d.chairedBy,
    personWishes: d.personWishes,
    beliefsValues: d.beliefsValues,
    consulted: d.consulted,
    noOneToConsult: d.noOneToConsult === 'yes',
    optionsConsidered: d.optionsConsidered,
    leastRestrictive: d.leastRestrictive,
    decision: d.decision,
    reasons: d.reasons,
    recordedBy: r.recordedByName ?? 'Unknown',
    assessment: { id: d.capacityAssessmentId, decision: r.assessmentDecision, assessedAt: r.assessmentAssessedAt ? noteDateTime(r.assessmentAssessedAt) : null, href: `/people/${d.personId}/capacity/assessments/${d.capacityAssessmentId}` },
    href: `/people/${d.personId}/capacity/best-interests/${d.id}`,
  };
}

function imcaView(r: { instruction: ImcaRow; instructedByName: string | null }, today: string, days: number) {
  const i = r.instruction;
  return {
    id: i.id,
    version: i.version,
    bestInterestsId: i.bestInterestsId,
    instructedOn: govukDate(i.instructedOn),
    instructedOnIso: i.instructedOn,
    service: i.service,
    advocate: i.advocate,
    instructedBy: r.instructedByName ?? 'Unknown',
    reportDueOn: govukDate(imcaReportDueOn(i.instructedOn, days)),
    reportOverdue: imcaReportOverdue(i, today, days),
    reportReceivedOn: i.reportReceivedOn ? govukDate(i.reportReceivedOn) : null,
    reportReceivedOnIso: i.reportReceivedOn,
    reportSummary: i.reportSummary,
  };
}

/** The form: the completed assessments (lacks capacity) it may follow. */
export async function bestInterestsForm(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const assessments = (await findAssessments(tx, ctx.actor.partnershipId, personId)).filter((r) => mayFollowAssessment(r.assessment)).map((r) => assessmentView(r));
    await audit.viewPerson(personId, { page: 'best-interests-form' });
    return { person, assessments };
  });
}

/** Record a best-interests decision (and the IMCA instruction where nobody is appropriate to consult). */
export async function recordBestInterests(ctx: ServiceContext, personId: string, input: BestInterestsInput): Promise<BestInterestsRow> {
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const v = parseInput(bestInterestsSchema(ctx.today()), input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const assessment = await findAssessment(tx, ctx.actor.partnershipId, personId, v.assessmentId);
    if (!assessment) throw new InputError([{ path: 'assessmentId', message: 'Choose the capacity assessment this decision follows: it must be one of this person’s' }]);
    // s1(5), s4: a best-interests decision is made for a person who lacks capacity for that decision.
    if (!mayFollowAssessment(assessment.assessment)) throw new InputError([{ path: 'assessmentId', message: 'A best-interests decision follows a completed assessment that found the person lacks capacity for that decision (Mental Capacity Act 2005, section 1(5))' }]);
    const created = await insertBestInterests(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      capacityAssessmentId: v.assessmentId,
      kind: v.kind,
      decidedOn: v.decidedOn,
      convenedBy: v.convenedBy,
      chairedBy: v.chairedBy,
      personWishes: v.personWishes,
      beliefsValues: v.beliefsValues,
      consulted: v.consulted,
      noOneToConsult: v.noOneToConsult,
      optionsConsidered: v.optionsConsidered,
      leastRestrictive: v.leastRestrictive,
      decision: v.decision,
      reasons: v.reasons,
      recordedBy: ctx.actor.userId,
      recordedForOrganisationId: ctx.actor.activeOrganisationId,
    });
    await audit.change({ action: 'best-interests.recorded', subjectType: 'best-interests-decision', subjectId: created.id, after: created });
    if (v.noOneToConsult === 'yes') {
      const imca = await insertImca(tx, { partnershipId: ctx.actor.partnershipId, personId, bestInterestsId: created.id, instructedOn: v.imcaInstructedOn, service: v.imcaService, advocate: v.imcaAdvocate, instructedBy: ctx.actor.userId });
      await audit.change({ action: 'imca.instructed', subjectType: 'imca-instruction', subjectId: imca.id, after: imca });
    }
    return created;
  });
}

/** One best-interests decision with its IMCA instructions; audited. */
export async function openBestInterests(ctx: ServiceContext, personId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError('There is no such best-interests decision');
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await findBestInterestsDecision(tx, ctx.actor.partnershipId, personId, id);
    if (!row) throw new NotFoundError('There is no such best-interests decision');
    const days = await imcaReportDaysIn(tx, ctx.actor.partnershipId);
    const imca = (await findImcaInstructions(tx, ctx.actor.partnershipId, personId, id)).map((r) => imcaView(r, ctx.today(), days));
    await audit.viewPerson(personId, { page: 'best-interests', bestInterestsId: id });
    return { person, decision: { ...bestInterestsView(row), imca }, mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

const reportSchema = (today: string) =>
  z.object({
    receivedOn: pastDate(today, 'Enter the date the IMCA’s report was received', 'The date the report was received'),
    summary: required('Enter what the IMCA’s report says, and how it was taken into account (Mental Capacity Act 2005, sections 37(5), 38(5) and 39(6))', 'The report', 20_000),
  });

/** Record the IMCA's report: the instruction leaves the queue. */
export async function recordImcaReport(ctx: ServiceContext, personId: string, instructionId: string, version: number, input: { receivedOn: string; summary: string }): Promise<ImcaRow> {
  if (!isUuid(instructionId)) throw new NotFoundError('There is no such IMCA instruction');
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const v = parseInput(reportSchema(ctx.today()), input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const before = await findImcaInstruction(tx, ctx.actor.partnershipId, personId, instructionId, true);
    if (!before) throw new NotFoundError('There is no such IMCA instruction');
    if (before.instruction.reportReceivedOn) throw new ConflictError(`The IMCA’s report was already recorded as received on ${govukDate(before.instruction.reportReceivedOn)}.`);
    if (v.receivedOn < before.instruction.instructedOn) throw new InputError([{ path: 'receivedOn', message: `The report cannot have been received before the IMCA was instructed on ${govukDate(before.instruction.instructedOn)}` }]);
    const after = expectOneUpdated(await recordImcaReportAtVersion(tx, ctx.actor.partnershipId, instructionId, version, { reportReceivedOn: v.receivedOn, reportSummary: v.summary, reportRecordedBy: ctx.actor.userId }));
    await audit.change({ action: 'imca.report-received', subjectType: 'imca-instruction', subjectId: instructionId, before: before.instruction, after });
    return after;
  });
}

/* ---------- For other modules: the queue, the ending checklist ---------- */

export interface CapacityWaiting {
  kind: 'imca-report';
  key: string;
  personId: string;
  personName: string;
  nhsNumber: string;
  what: string;
  href: string;
  since: string;
  dueOn: string;
}

/** IMCA instructions the actor made whose report is overdue (decision 0009: read from the records). */
export async function capacityWaitingOn(ctx: ServiceContext): Promise<CapacityWaiting[]> {
  if (ctx.actor.kind !== 'user' || !ctx.actor.userId) return [];
  const userId = ctx.actor.userId;
  const visible = visiblePeople(ctx.actor);
  return ctx.data.read(async (q) => {
    const days = await imcaReportDaysIn(q, ctx.actor.partnershipId);
    const rows = await findImcaReportsOverdue(q, ctx.actor.partnershipId, addDaysBack(ctx.today(), days), visible, userId);
    return rows.map((r) => {
      const i = r.instruction;
      return {
        kind: 'imca-report' as const,
        key: `imca-report:${i.id}`,
        personId: i.personId,
        personName: nameOf(r),
        nhsNumber: r.nhsNumber,
        what: `Chase the IMCA’s report: ${i.advocate} (${i.service}) was instructed on ${govukDate(i.instructedOn)} and no report has been recorded`,
        href: `/people/${i.personId}/capacity/best-interests/${i.bestInterestsId}#imca-${i.id}`,
        since: i.instructedOn,
        dueOn: imcaReportDueOn(i.instructedOn, days),
      };
    });
  });
}

/** The latest instruction day whose report is overdue today: `days` before today. */
function addDaysBack(today: string, days: number): string {
  return imcaReportDueOn(today, -days);
}

/** The ending checklist's line (issue 16, item 2): the latest completed capacity assessment about ending aftercare, or none. */
export async function endingCapacityCheck(ctx: ServiceContext, personId: string): Promise<{ text: string; href: string | null; outcome: CapacityOutcome | null }> {
  const row = await ctx.data.read(async (q) => {
    await loadPerson(q, ctx, personId, 'person:read');
    return findLatestAboutEnding(q, ctx.actor.partnershipId, personId);
  });
  if (!row || !row.assessment.assessedAt) return { text: endingCapacityLine(null, govukDate), href: null, outcome: null };
  const view = assessmentView(row);
  return { text: endingCapacityLine({ outcome: row.assessment.outcome as CapacityOutcome, assessedOn: londonWallClock(row.assessment.assessedAt).date, assessedBy: view.assessedBy }, govukDate), href: view.href, outcome: row.assessment.outcome as CapacityOutcome };
}

/* ---------- The API ---------- */

function assessmentForApi(a: CapacityRow, assessorName: string | null) {
  return {
    id: a.id,
    version: a.version,
    status: a.status as 'draft' | 'completed',
    topic: a.topic,
    decision: a.decision,
    assessedAt: a.assessedAt?.toISOString() ?? null,
    relevantInformation: a.relevantInformation,
    practicableSteps: a.practicableSteps,
    impairment: a.impairment,
    impairmentDetail: a.impairmentDetail,
    causalLink: a.causalLink,
    causalLinkEvidence: a.causalLinkEvidence,
    abilities: Object.fromEntries(abilityKeys.map((k) => [k, { answer: a[k], evidence: a[`${k}Evidence`] }])) as Record<AbilityKey, { answer: string | null; evidence: string }>,
    executiveFunctioning: a.executiveFunctioning,
    outcome: a.outcome,
    attached: a.attachedKind ? { kind: a.attachedKind, id: a.attachedId } : null,
    assessedBy: assessorName,
    completedAt: a.completedAt?.toISOString() ?? null,
  };
}

export async function assessmentsForApi(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const rows = await findAssessments(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { api: 'capacity' });
    return rows.map((r) => assessmentForApi(r.assessment, r.assessorName));
  });
}

export async function assessmentForApiById(ctx: ServiceContext, personId: string, assessmentId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const row = isUuid(assessmentId) ? await findAssessment(tx, ctx.actor.partnershipId, personId, assessmentId) : null;
    if (!row) throw new NotFoundError(`There is no capacity assessment with id ${assessmentId} for this person`);
    await audit.viewPerson(personId, { api: 'capacity-assessment', assessmentId });
    return assessmentForApi(row.assessment, row.assessorName);
  });
}

function bestInterestsForApi(r: { decision: BestInterestsRow; recordedByName: string | null }, imca: Array<{ instruction: ImcaRow }>) {
  const d = r.decision;
  return {
    id: d.id,
    capacityAssessmentId: d.capacityAssessmentId,
    kind: d.kind,
    decidedOn: d.decidedOn,
    convenedBy: d.convenedBy,
    chairedBy: d.chairedBy,
    personWishes: d.personWishes,
    beliefsValues: d.beliefsValues,
    consulted: d.consulted,
    noOneToConsult: d.noOneToConsult === 'yes',
    optionsConsidered: d.optionsConsidered,
    leastRestrictive: d.leastRestrictive,
    decision: d.decision,
    reasons: d.reasons,
    recordedBy: r.recordedByName,
    imcaInstructions: imca
      .filter((i) => i.instruction.bestInterestsId === d.id)
      .map(({ instruction: i }) => ({ id: i.id, instructedOn: i.instructedOn, service: i.service, advocate: i.advocate, reportReceivedOn: i.reportReceivedOn, reportSummary: i.reportSummary })),
  };
}

export async function bestInterestsListForApi(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const rows = await findBestInterestsDecisions(tx, ctx.actor.partnershipId, personId);
    const imca = await findImcaInstructions(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { api: 'best-interests' });
    return rows.map((r) => bestInterestsForApi(r, imca));
  });
}

export async function bestInterestsForApiById(ctx: ServiceContext, personId: string, id: string) {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const row = isUuid(id) ? await findBestInterestsDecision(tx, ctx.actor.partnershipId, personId, id) : null;
    if (!row) throw new NotFoundError(`There is no best-interests decision with id ${id} for this person`);
    const imca = await findImcaInstructions(tx, ctx.actor.partnershipId, personId, id);
    await audit.viewPerson(personId, { api: 'best-interests-decision', bestInterestsId: id });
    return bestInterestsForApi(row, imca);
  });
}

