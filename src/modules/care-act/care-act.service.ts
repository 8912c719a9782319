/**
 * Care Act assessment, eligibility and financial assessment (issue 16, item 7; docs/care-act.md):
 * the needs a person has that are not section 117 aftercare. The rules are in
 * src/domain/care-act.ts; this file reads and writes through the door, checks permission before
 * input, and audits every view and change.
 */
import { z } from 'zod';
import { isRealDate } from '../../domain/calendar-date.ts';
import { applyContribution, careOutcomes, determineEligibility, eligibilityProblems, unableWayCodes, unableWays, type CareOutcomeCode, type EligibilityAnswers, type OutcomeAnswer } from '../../domain/care-act.ts';
import { formatPounds } from '../../domain/funding.ts';
import { parsePounds } from '../../domain/money.ts';
import { canOnPerson } from '../../platform/access/policy.ts';
import { ConflictError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { govukDate, govukDateTime } from '../../platform/plain-language.ts';
import { loadPerson } from '../register/index.ts';
import {
  findAssessment,
  findAssessments,
  findCurrentPlanLines,
  findFinancialAssessments,
  insertAssessment,
  insertFinancialAssessment,
  updateDraftAtVersion,
  type CareActAssessmentRow,
} from './care-act.queries.ts';

const isUuid = (id: string) => z.uuid().safeParse(id).success;

/** An assessment as a form or the API sends it; answers may be missing while it is a draft. */
export interface AssessmentInput {
  assessedOn: string;
  arisesFromImpairment: boolean | null;
  significantImpact: boolean | null;
  outcomes: Partial<Record<CareOutcomeCode, OutcomeAnswer>>;
  personsView: string;
}

const outcomeSchema = z.object({
  unable: z.boolean().nullable(),
  ways: z.array(z.enum(unableWayCodes as [string, ...string[]], { error: 'Choose how, from the list' })).max(unableWays.length),
  impact: z.string().trim().max(5_000, 'The impact must be 5,000 characters or fewer'),
});

const inputSchema = (today: string) =>
  z.object({
    assessedOn: z
      .string()
      .refine((d) => d !== '', 'Enter the date of the assessment')
      .refine((d) => d === '' || isRealDate(d), 'The date of the assessment must be a real date, like 4 12 2026')
      .refine((d) => !isRealDate(d) || d <= today, 'The date of the assessment must be today or in the past'),
    arisesFromImpairment: z.boolean().nullable(),
    significantImpact: z.boolean().nullable(),
    outcomes: z.partialRecord(z.enum(careOutcomes.map((o) => o.code) as [CareOutcomeCode, ...CareOutcomeCode[]]), outcomeSchema),
    personsView: z.string().trim().max(20_000, 'Their view must be 20,000 characters or fewer'),
  });

function answersOf(row: Pick<CareActAssessmentRow, 'arisesFromImpairment' | 'significantImpact' | 'outcomes'>): EligibilityAnswers {
  return { arisesFromImpairment: row.arisesFromImpairment, significantImpact: row.significantImpact, outcomes: row.outcomes as EligibilityAnswers['outcomes'] };
}

export interface AssessmentView {
  id: string;
  version: number;
  status: 'draft' | 'completed';
  assessedOn: string;
  assessedBy: string;
  completedAt: string | null;
  eligible: boolean | null;
  determination: string;
  reasons: string[];
  personsView: string;
  outcomes: Array<{ code: CareOutcomeCode; label: string; source: string; unable: boolean | null; ways: string[]; impact: string }>;
  answers: AssessmentInput;
}

function assessmentView(row: CareActAssessmentRow, assessorName: string | null): AssessmentView {
  const answers = answersOf(row);
  const completed = row.status === 'completed';
  return {
    id: row.id,
    version: row.version,
    status: completed ? 'completed' : 'draft',
    assessedOn: govukDate(row.assessedOn),
    assessedBy: assessorName ?? 'Unknown',
    completedAt: row.completedAt ? govukDateTime(row.completedAt) : null,
    eligible: row.eligible,
    determination: !completed ? 'Not yet completed' : row.eligible ? 'Eligible needs' : 'No eligible needs',
    reasons: completed ? determineEligibility(answers).reasons : [],
    personsView: row.personsView,
    outcomes: careOutcomes.map((o) => {
      const a = answers.outcomes[o.code];
      return { code: o.code, label: o.label, source: o.source.replace('reg', 'regulation'), unable: a?.unable ?? null, ways: (a?.ways ?? []).map((w) => unableWays.find((u) => u.code === w)?.label ?? w), impact: a?.impact ?? '' };
    }),
    answers: { assessedOn: row.assessedOn, arisesFromImpairment: row.arisesFromImpairment, significantImpact: row.significantImpact, outcomes: answers.outcomes, personsView: row.personsView },
  };
}

export interface FinancialView {
  id: string;
  assessedOn: string;
  assessedBy: string;
  planNumber: number | null;
  weeklyContribution: string;
  charges: Array<{ label: string; weeklyCharge: string }>;
  charged: string;
  notCharged: string;
  notChargedPence: number;
}

function financialView(r: Awaited<ReturnType<typeof findFinancialAssessments>>[number]): FinancialView {
  const a = r.assessment;
  return {
    id: a.id,
    assessedOn: govukDate(a.assessedOn),
    assessedBy: r.assessorName ?? 'Unknown',
    planNumber: r.planNumber,
    weeklyContribution: formatPounds(a.weeklyContributionPence),
    charges: (a.charges as Array<{ label: string; weeklyChargePence: number }>).map((c) => ({ label: c.label, weeklyCharge: formatPounds(c.weeklyChargePence) })),
    charged: formatPounds(a.chargedPence),
    notCharged: formatPounds(a.notChargedPence),
    notChargedPence: a.notChargedPence,
  };
}

/** The Care Act page: every assessment and financial assessment; the view is audited. */
export async function careActPage(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const rows = { assessments: await findAssessments(tx, ctx.actor.partnershipId, personId), financial: await findFinancialAssessments(tx, ctx.actor.partnershipId, personId) };
    const assessments = rows.assessments.map((r) => assessmentView(r.assessment, r.assessorName));
    const financial = rows.financial.map(financialView);
    await audit.viewPerson(personId, { page: 'care-act', assessments: assessments.map((a) => a.id), financial: financial.map((f) => f.id) });
    return { person, assessments, financial, rows, mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/** One assessment (a draft opens as its form); audited. */
export async function openAssessment(ctx: ServiceContext, personId: string, assessmentId: string, forWriting = false) {
  if (!isUuid(assessmentId)) throw new NotFoundError('Assessment not found');
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, forWriting ? 'person:write' : 'person:read');
    const found = (await findAssessments(tx, ctx.actor.partnershipId, personId)).find((r) => r.assessment.id === assessmentId);
    if (!found) throw new NotFoundError('Assessment not found');
    await audit.viewPerson(personId, { page: 'care-act-assessment', assessmentId });
    return { person, assessment: assessmentView(found.assessment, found.assessorName), mayWrite: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/** The person, for a new assessment's form (write access); audited as a view. */
export async function newAssessmentForm(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    await audit.viewPerson(personId, { page: 'care-act-assessment-form' });
    return { person };
  });
}

/**
 * Save an assessment: a new one, or the draft `draft` (at its version). `complete`: every answer
 * must be there (each missing one named), and the determination is worked out by the rules.
 */
export async function saveAssessment(ctx: ServiceContext, personId: string, input: AssessmentInput, options: { complete: boolean; draft?: { id: string; version: number } }) {
  // Permission before input (issue 12, finding 10).
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const values = parseInput(inputSchema(ctx.today()), input);
  const answers: EligibilityAnswers = { arisesFromImpairment: values.arisesFromImpairment, significantImpact: values.significantImpact, outcomes: values.outcomes as EligibilityAnswers['outcomes'] };
  // "How" is asked only of an outcome they cannot achieve.
  for (const answer of Object.values(answers.outcomes)) if (answer && answer.unable !== true) answer.ways = [];
  if (options.complete) {
    const problems = eligibilityProblems(answers);
    if (problems.length > 0) throw new InputError(problems);
  }
  const determination = options.complete ? determineEligibility(answers) : null;
  const now = ctx.clock.now();
  const fields = {
    assessedOn: values.assessedOn,
    arisesFromImpairment: answers.arisesFromImpairment,
    significantImpact: answers.significantImpact,
    outcomes: answers.outcomes,
    personsView: values.personsView,
    status: options.complete ? 'completed' : 'draft',
    eligible: determination?.eligible ?? null,
    completedAt: options.complete ? now : null,
  };
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    if (options.draft) {
      const before = await findAssessment(tx, ctx.actor.partnershipId, personId, options.draft.id, true);
      if (!before) throw new NotFoundError('Assessment not found');
      if (before.status !== 'draft') throw new ConflictError('This assessment has already been completed, so it cannot be changed. Start a new assessment if their needs have changed.');
      const updated = (await updateDraftAtVersion(tx, ctx.actor.partnershipId, before.id, options.draft.version, { ...fields, assessedBy: ctx.actor.userId, updatedAt: now }))[0];
      if (!updated) throw new ConflictError('Somebody else saved this assessment after you opened it.');
      await audit.change({ action: options.complete ? 'care-act-assessment.completed' : 'care-act-assessment.saved', subjectType: 'care-act-assessment', subjectId: updated.id, before, after: updated });
      return { assessment: updated, determination };
    }
    const created = await insertAssessment(tx, { partnershipId: ctx.actor.partnershipId, personId, ...fields, assessedBy: ctx.actor.userId });
    await audit.change({ action: options.complete ? 'care-act-assessment.completed' : 'care-act-assessment.saved', subjectType: 'care-act-assessment', subjectId: created.id, before: null, after: created });
    return { assessment: created, determination };
  });
}

/** The financial assessment form: the current plan's lines, section 117 ones marked and not offered. */
export async function financialForm(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const current = await findCurrentPlanLines(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { page: 'financial-assessment-form' });
    return {
      person,
      plan: current?.plan ?? null,
      lines: (current?.lines ?? []).map((l) => ({ id: l.id, label: `${l.serviceType}, ${l.provider}`, s117: l.s117, weeklyCost: formatPounds(l.weeklyCostPence) })),
    };
  });
}

export interface FinancialInput {
  planId: string;
  lineIds: string[];
  weeklyContribution: string;
  assessedOn: string;
}

/**
 * Record a financial assessment (Care Act 2014 s17) and the charge it puts on each chosen line.
 * The lines are read from the plan in the same transaction: a section 117 line is refused by the
 * rules, whatever the form sent, and nothing is saved.
 */
export async function recordFinancialAssessment(ctx: ServiceContext, personId: string, input: FinancialInput) {
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const today = ctx.today();
  const issues: Array<{ path: string; message: string }> = [];
  const money = parsePounds(input.weeklyContribution);
  if ('problem' in money) issues.push({ path: 'weeklyContribution', message: money.problem === 'missing' ? 'Enter the weekly contribution they were assessed to pay' : 'Enter the weekly contribution in pounds and pence, like 45.50' });
  if (input.assessedOn === '') issues.push({ path: 'assessedOn', message: 'Enter the date of the financial assessment' });
  else if (!isRealDate(input.assessedOn)) issues.push({ path: 'assessedOn', message: 'The date of the financial assessment must be a real date, like 4 12 2026' });
  else if (input.assessedOn > today) issues.push({ path: 'assessedOn', message: 'The date of the financial assessment must be today or in the past' });
  if (issues.length > 0) throw new InputError(issues);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write', true);
    const current = await findCurrentPlanLines(tx, ctx.actor.partnershipId, personId);
    if (!current || current.plan.id !== input.planId) throw new ConflictError('The person’s current plan has changed since you opened the form.');
    const chosen = input.lineIds.map((id) => current.lines.find((l) => l.id === id));
    if (chosen.some((l) => !l)) throw new InputError([{ path: 'lines', message: 'Choose services from the person’s current plan' }]);
    const lines = chosen.map((l) => ({ id: l!.id, label: `${l!.serviceType}, ${l!.provider}`, s117: l!.s117, weeklyCostPence: l!.weeklyCostPence }));
    const applied = applyContribution('pence' in money ? money.pence : 0, lines);
    if (!applied.ok) throw new InputError(applied.problems);
    const created = await insertFinancialAssessment(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      planId: current.plan.id,
      assessedOn: input.assessedOn,
      weeklyContributionPence: 'pence' in money ? money.pence : 0,
      charges: applied.charges.map((c) => ({ ...c, label: lines.find((l) => l.id === c.lineId)!.label })),
      chargedPence: applied.chargedPence,
      notChargedPence: applied.notChargedPence,
      assessedBy: ctx.actor.userId,
    });
    await audit.change({ action: 'financial-assessment.recorded', subjectType: 'financial-assessment', subjectId: created.id, before: null, after: created });
    return created;
  });
}

/** For the API: the assessments and financial assessments, newest first; audited. */
export async function careActForApi(ctx: ServiceContext, personId: string) {
  const page = await careActPage(ctx, personId);
  return {
    personId: page.person.id,
    assessments: page.rows.assessments.map(({ assessment: a }) => ({
      id: a.id,
      status: a.status,
      assessedOn: a.assessedOn,
      arisesFromImpairment: a.arisesFromImpairment,
      significantImpact: a.significantImpact,
      unableToAchieve: careOutcomes.filter((o) => (a.outcomes as EligibilityAnswers['outcomes'])[o.code]?.unable === true).map((o) => o.code),
      eligible: a.eligible,
      completedAt: a.completedAt ? a.completedAt.toISOString() : null,
    })),
    financialAssessments: page.rows.financial.map(({ assessment: f }) => ({
      id: f.id,
      planId: f.planId,
      assessedOn: f.assessedOn,
      weeklyContributionPence: f.weeklyContributionPence,
      charges: (f.charges as Array<{ lineId: string; label: string; weeklyChargePence: number }>).map((c) => ({ serviceId: c.lineId, service: c.label, weeklyChargePence: c.weeklyChargePence })),
      notChargedPence: f.notChargedPence,
    })),
  };
}
