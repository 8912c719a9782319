/**
 * The annual case audit (issue 7, item 3): configure an audit and draw its reproducible sample,
 * audit each sampled case against the checklist, record findings and actions, complete the audit,
 * and compute the scores (by pillar, team, local authority, overall, and the change from the
 * audit it is compared with).
 *
 * The population of an audit: every person the configuring user may read (register/access.ts)
 * who was entitled to section 117 aftercare on at least one day of the period, that is, whose
 * stored rules-engine decision holds an entitlement episode that started on or before the last
 * day of the period and had not ended before its first day (an open episode has no end). The
 * episode, not the current status, decides: someone whose aftercare ended in the period, or who
 * was re-detained after it, is in scope; someone only pending (detained, not yet discharged) or
 * whose entitlement ended before the period is not. Strata use the person's current responsible
 * local authority and allocated team, as the register shows them when the sample is drawn.
 */
import { z } from 'zod';
import { competencyDomains } from '../../domain/audit-checklist.ts';
import { drawSample, stratifyByLabels, type StratifyBy } from '../../domain/audit-sample.ts';
import {
  auditAnswers,
  caseScore,
  overallScore,
  scoreChange,
  scoresByGroup,
  scoresByPillar,
  unansweredItems,
  type AnswerRecord,
  type AuditAnswer,
  type CaseAnswers,
} from '../../domain/audit-score.ts';
import { canOnPerson } from '../../platform/access/policy.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { ConflictError, InputError, NotFoundError, type FieldIssue } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { visiblePeople } from '../register/index.ts';
import { isoDateField } from '../register/index.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import {
  casesOf,
  casesWithPeople,
  completeAuditAtVersion,
  completedAudits,
  countCases,
  findAudit,
  findAuditName,
  findCase,
  findFinding,
  findingsWithOwners,
  findPopulation,
  insertAuditWithCases,
  insertFinding,
  lastReviewOn,
  listAuditRows,
  organisationNames,
  partnershipUsers,
  plansOf,
  teamNames,
  updateCaseAtVersion,
  updateFindingStatusAtVersion,
  type AuditCaseRow,
  type CaseAuditRow,
  type FindingRow,
  type PopulationMember,
  type PreviousAuditChoice,
  type UserChoice,
} from './audit.queries.ts';
import { assertCanManageAudits, ensureChecklistFor, loadChecklist } from './checklist.service.ts';
import { organisationLabel } from '../../platform/plain-language.ts';

export { completedAudits, type AuditCaseRow, type CaseAuditRow, type FindingRow, type PopulationMember, type PreviousAuditChoice, type UserChoice };

export const MAX_SAMPLE = 500;

/** The checklist as it was when the sample was drawn (case_audit.checklist). */
export interface ChecklistSnapshot {
  pillars: Array<{ number: number; name: string; confirmedTitle: boolean }>;
  items: Array<{ id: string; pillar: number; code: string; question: string; guidance: string | null; source: string | null }>;
}

export function snapshotOf(audit: Pick<CaseAuditRow, 'checklist'>): ChecklistSnapshot {
  const s = audit.checklist as ChecklistSnapshot | null;
  return s ?? { pillars: [], items: [] };
}

const isUuid = (id: string) => z.uuid().safeParse(id).success;

// ---------------------------------------------------------------------------
// Configure and draw
// ---------------------------------------------------------------------------

export const configureSchema = () =>
  z.object({
    name: z.string({ error: 'Enter a name for the audit' }).trim().min(1, 'Enter a name for the audit').max(200, 'The name must be 200 characters or fewer'),
    periodStart: isoDateField('the first day of the period', { required: true }),
    periodEnd: isoDateField('the last day of the period', { required: true }),
    sampleSize: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) {
          ctx.addIssue({ code: 'custom', message: 'Enter how many cases to sample' });
          return z.NEVER;
        }
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_SAMPLE) {
          ctx.addIssue({ code: 'custom', message: `The sample size must be a whole number from 1 to ${MAX_SAMPLE}` });
          return z.NEVER;
        }
        return Number(v);
      }),
    stratifyBy: z.enum(['local-authority', 'team', 'local-authority-and-team'], { error: 'Choose how to stratify the sample' }),
    seed: z
      .string({ error: 'Enter a seed' })
      .trim()
      .min(1, 'Enter a seed: any text; the same seed draws the same sample')
      .max(100, 'The seed must be 100 characters or fewer'),
    previousAuditId: z.string().trim().optional().default(''),
  });

/** The completed audits a new one may be compared with (the configure page). */
export async function previousAuditChoices(ctx: ServiceContext): Promise<PreviousAuditChoice[]> {
  assertCanManageAudits(ctx);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read((q) => completedAudits(q, partnershipId));
}

/** People the actor may read who were entitled on at least one day of the period (see the module comment). */
export async function auditPopulation(ctx: ServiceContext, periodStart: string, periodEnd: string): Promise<PopulationMember[]> {
  const visible = visiblePeople(ctx.actor, 'person:read');
  return ctx.data.read((q) => findPopulation(q, visible, periodStart, periodEnd));
}

/** Configure an audit, draw its sample from the seed and snapshot the checklist, in one transaction. */
export async function configureAudit(ctx: ServiceContext, input: unknown): Promise<CaseAuditRow> {
  assertCanManageAudits(ctx);
  const data = parseInput(configureSchema(), input);
  const issues: FieldIssue[] = [];
  if (data.periodStart && data.periodEnd && data.periodEnd < data.periodStart) issues.push({ path: 'periodEnd', message: 'The last day of the period must be on or after the first day' });
  let previousAuditId: string | null = null;
  if (data.previousAuditId) {
    const candidates = await previousAuditChoices(ctx);
    if (!candidates.some((c) => c.id === data.previousAuditId)) issues.push({ path: 'previousAuditId', message: 'Choose a completed audit to compare with, or none' });
    else previousAuditId = data.previousAuditId;
  }
  if (issues.length > 0) throw new InputError(issues);
  const population = await auditPopulation(ctx, data.periodStart!, data.periodEnd!);
  if (population.length === 0) throw new InputError([{ path: 'periodStart', message: 'Nobody you can see was entitled to section 117 aftercare in this period: choose another period' }]);
  await ensureChecklistFor(ctx);
  const partnershipId = ctx.actor.partnershipId;
  const checklist = await ctx.data.read((q) => loadChecklist(q, partnershipId));
  const snapshot: ChecklistSnapshot = {
    pillars: checklist.map((p) => ({ number: p.number, name: p.name, confirmedTitle: p.confirmedTitle })),
    items: checklist.flatMap((p) => p.items.filter((i) => i.active).map((i) => ({ id: i.id, pillar: i.pillar, code: i.code, question: i.question, guidance: i.guidance, source: i.source }))),
  };
  if (snapshot.items.length === 0) throw new InputError([{ path: 'name', message: 'The checklist has no active questions: add or restore some first' }]);
  const sample = drawSample(population, data.sampleSize, data.stratifyBy, data.seed);
  return ctx.data.transaction(async (tx, audit) => {
    const created = await insertAuditWithCases(
      tx,
      {
        partnershipId,
        name: data.name,
        periodStart: data.periodStart!,
        periodEnd: data.periodEnd!,
        sampleSize: data.sampleSize,
        stratifyBy: data.stratifyBy,
        seed: data.seed,
        status: 'sampled',
        checklist: snapshot,
        previousAuditId,
        sampledAt: ctx.clock.now(),
        createdBy: ctx.actor.userId,
      },
      sample.cases.map((c) => ({ personId: c.personId, localAuthority: c.localAuthority, teamId: c.teamId, position: c.position })),
    );
    await audit.change({
      action: 'case-audit.sampled',
      subjectType: 'case-audit',
      subjectId: created.id,
      after: { audit: created, populationSize: sample.populationSize, strata: sample.strata, personIds: sample.cases.map((c) => c.personId) },
    });
    return created;
  });
}

// ---------------------------------------------------------------------------
// Reading an audit and its scores
// ---------------------------------------------------------------------------

async function loadAudit(q: DbOrTx, partnershipId: string, auditId: string): Promise<CaseAuditRow> {
  if (!isUuid(auditId)) throw new NotFoundError('Audit not found');
  const row = await findAudit(q, partnershipId, auditId);
  if (!row) throw new NotFoundError('Audit not found');
  return row;
}

export interface AuditListRow extends CaseAuditRow {
  cases: number;
  complete: number;
}

export async function listAudits(ctx: ServiceContext): Promise<AuditListRow[]> {
  assertCanManageAudits(ctx);
  // The first visit to the audit pages gives the partnership the default checklist.
  await ensureChecklistFor(ctx);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read((q) => listAuditRows(q, partnershipId));
}

export interface NamedScore {
  key: string;
  label: string;
  score: number | null;
  cases: number;
}

export interface PillarScore {
  number: number;
  name: string;
  confirmedTitle: boolean;
  score: number | null;
  previous: number | null;
  change: number | null;
}

export interface AuditScores {
  overall: number | null;
  previousOverall: number | null;
  pillars: PillarScore[];
  teams: NamedScore[];
  localAuthorities: NamedScore[];
  completeCases: number;
}

function pillarScoresOf(snapshot: ChecklistSnapshot, cases: readonly AuditCaseRow[]): Map<number, number | null> {
  const complete = cases.filter((c) => c.status === 'complete').map((c) => ({ answers: c.answers as CaseAnswers }));
  const by = scoresByPillar(snapshot.items, complete);
  return new Map([...by].map(([k, v]) => [k, v.score]));
}

/** Scores of an audit from its complete cases, compared pillar by pillar with the previous audit. */
export async function auditScores(db: DbOrTx, audit: CaseAuditRow, cases: readonly AuditCaseRow[]): Promise<AuditScores> {
  const snapshot = snapshotOf(audit);
  const itemIds = snapshot.items.map((i) => i.id);
  const complete = cases.filter((c) => c.status === 'complete');
  const byPillar = pillarScoresOf(snapshot, cases);
  let previousByPillar = new Map<number, number | null>();
  let previousOverall: number | null = null;
  if (audit.previousAuditId) {
    const previous = await findAudit(db, audit.partnershipId, audit.previousAuditId);
    if (previous) {
      const previousCases = await casesOf(db, audit.partnershipId, previous.id);
      const previousSnapshot = snapshotOf(previous);
      previousByPillar = pillarScoresOf(previousSnapshot, previousCases);
      previousOverall = overallScore(
        previousSnapshot.items.map((i) => i.id),
        previousCases.filter((c) => c.status === 'complete').map((c) => ({ answers: c.answers as CaseAnswers })),
      );
    }
  }
  const [orgs, teams] = await Promise.all([organisationNames(db, audit.partnershipId), teamNames(db, audit.partnershipId)]);
  const named = (grouped: ReturnType<typeof scoresByGroup>, label: (key: string) => string): NamedScore[] =>
    [...grouped].map(([key, v]) => ({ key, label: label(key), score: v.score, cases: v.cases })).sort((a, b) => a.label.localeCompare(b.label));
  return {
    overall: overallScore(itemIds, complete.map((c) => ({ answers: c.answers as CaseAnswers }))),
    previousOverall,
    pillars: snapshot.pillars.map((p) => {
      const score = byPillar.get(p.number) ?? null;
      const previous = previousByPillar.get(p.number) ?? null;
      return { number: p.number, name: p.name, confirmedTitle: p.confirmedTitle, score, previous, change: scoreChange(score, previous) };
    }),
    teams: named(
      scoresByGroup(itemIds, complete.map((c) => ({ answers: c.answers as CaseAnswers, group: c.teamId ?? '' }))),
      (key) => (key ? (teams.get(key) ?? 'Unknown team') : 'No team allocated'),
    ),
    localAuthorities: named(
      scoresByGroup(itemIds, complete.map((c) => ({ answers: c.answers as CaseAnswers, group: c.localAuthority ?? '' }))),
      (key) => (key ? organisationLabel(key, (c) => orgs.get(c)) : 'No responsible local authority'),
    ),
    completeCases: complete.length,
  };
}

export interface CaseListRow extends AuditCaseRow {
  /** Null when the actor may no longer read the person (their name is then not shown). */
  personName: string | null;
  nhsNumber: string | null;
  stratumLabel: string;
  teamName: string;
  localAuthorityName: string;
}

export interface FindingView extends FindingRow {
  ownerName: string | null;
  casePosition: number | null;
  competencyLabel: string | null;
  pillarName: string;
}

export interface AuditDetail {
  audit: CaseAuditRow;
  snapshot: ChecklistSnapshot;
  cases: CaseListRow[];
  scores: AuditScores;
  findings: FindingView[];
  previous: { id: string; name: string } | null;
  stratifyLabel: string;
}

export async function getAudit(ctx: ServiceContext, auditId: string): Promise<AuditDetail> {
  assertCanManageAudits(ctx);
  const partnershipId = ctx.actor.partnershipId;
  // One unit of work for the whole page.
  return ctx.data.read(async (q) => {
    const audit = await loadAudit(q, partnershipId, auditId);
    const rows = await casesWithPeople(q, partnershipId, audit.id);
    const orgs = await organisationNames(q, partnershipId);
    const teams = await teamNames(q, partnershipId);
    const by = audit.stratifyBy as StratifyBy;
    const cases: CaseListRow[] = rows.map(({ c, p }) => {
      const visible = canOnPerson(ctx.actor, 'person:read', p);
      const teamName = c.teamId ? (teams.get(c.teamId) ?? 'Unknown team') : 'No team allocated';
      const localAuthorityName = c.localAuthority ? organisationLabel(c.localAuthority, (code) => orgs.get(code)) : 'No responsible local authority';
      return {
        ...c,
        personName: visible ? `${p.givenName} ${p.familyName}` : null,
        nhsNumber: visible ? p.nhsNumber : null,
        teamName,
        localAuthorityName,
        stratumLabel: by === 'team' ? teamName : by === 'local-authority' ? localAuthorityName : `${localAuthorityName}, ${teamName}`,
      };
    });
    const scores = await auditScores(q, audit, rows.map((r) => r.c));
    const previous = audit.previousAuditId ? await findAuditName(q, partnershipId, audit.previousAuditId) : null;
    return { audit, snapshot: snapshotOf(audit), cases, scores, findings: await findingsOf(q, partnershipId, audit, cases), previous, stratifyLabel: stratifyByLabels[by] ?? audit.stratifyBy };
  });
}

async function findingsOf(q: DbOrTx, partnershipId: string, audit: CaseAuditRow, cases: readonly AuditCaseRow[]): Promise<FindingView[]> {
  const rows = await findingsWithOwners(q, partnershipId, audit.id);
  const snapshot = snapshotOf(audit);
  return rows.map(({ f, ownerName }) => ({
    ...f,
    ownerName,
    casePosition: f.auditCaseId ? (cases.find((c) => c.id === f.auditCaseId)?.position ?? null) : null,
    competencyLabel: f.competencyDomain ? `Domain ${f.competencyDomain}: ${competencyDomains[f.competencyDomain] ?? ''}` : null,
    pillarName: snapshot.pillars.find((p) => p.number === f.pillar)?.name ?? `Pillar ${f.pillar}`,
  }));
}

/** Complete the audit once every case is complete; its cases can then no longer be changed. */
export async function completeAudit(ctx: ServiceContext, auditId: string, version: number): Promise<CaseAuditRow> {
  assertCanManageAudits(ctx);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadAudit(tx, ctx.actor.partnershipId, auditId);
    if (before.status === 'complete') throw new ConflictError('This audit is already complete');
    const cases = await casesOf(tx, ctx.actor.partnershipId, auditId);
    const open = cases.filter((c) => c.status !== 'complete').length;
    if (open > 0) throw new InputError([{ path: 'complete', message: `Complete every case first: ${open} of ${cases.length} ${cases.length === 1 ? 'case is' : 'cases are'} not complete` }]);
    const after = expectOneUpdated(await completeAuditAtVersion(tx, ctx.actor.partnershipId, auditId, version, ctx.clock.now()));
    const scores = await auditScores(tx, after, cases);
    await audit.change({ action: 'case-audit.completed', subjectType: 'case-audit', subjectId: auditId, before, after: { ...after, overall: scores.overall } });
    return after;
  });
}

// ---------------------------------------------------------------------------
// Auditing one case
// ---------------------------------------------------------------------------

export interface KeyFacts {
  person: PersonRow;
  responsibleLocalAuthorityName: string | null;
  responsibleIcbName: string | null;
  planStatus: string | null;
  planApprovedOn: string | null;
  lastReviewOn: string | null;
  teamName: string | null;
}

export interface CaseDetail {
  audit: CaseAuditRow;
  snapshot: ChecklistSnapshot;
  auditCase: AuditCaseRow;
  facts: KeyFacts;
  answers: CaseAnswers;
  caseCount: number;
}

async function loadCase(q: DbOrTx, partnershipId: string, auditId: string, caseId: string): Promise<AuditCaseRow> {
  if (!isUuid(caseId)) throw new NotFoundError('Case not found');
  const row = await findCase(q, partnershipId, auditId, caseId);
  if (!row) throw new NotFoundError('Case not found');
  return row;
}

async function keyFacts(q: DbOrTx, partnershipId: string, p: PersonRow): Promise<KeyFacts> {
  const orgs = await organisationNames(q, partnershipId);
  const plans = await plansOf(q, partnershipId, p.id);
  const lastReview = await lastReviewOn(q, partnershipId, p.id);
  const teams = await teamNames(q, partnershipId);
  const approved = plans.find((x) => x.status === 'approved');
  const latest = plans[0];
  return {
    person: p,
    responsibleLocalAuthorityName: p.responsibleLocalAuthority ? organisationLabel(p.responsibleLocalAuthority, (code) => orgs.get(code)) : null,
    responsibleIcbName: p.responsibleIcb ? (orgs.get(p.responsibleIcb) ?? p.responsibleIcb) : null,
    planStatus: approved ? 'approved' : (latest?.status ?? null),
    planApprovedOn: approved?.approvedAt ? todayInLondon(approved.approvedAt) : null,
    lastReviewOn: lastReview,
    teamName: p.allocatedTeamId ? (teams.get(p.allocatedTeamId) ?? null) : null,
  };
}

/** A sampled case with the person's key facts. Reading it is a view of the person's record, and audited. */
export async function getCase(ctx: ServiceContext, auditId: string, caseId: string): Promise<CaseDetail> {
  assertCanManageAudits(ctx);
  const partnershipId = ctx.actor.partnershipId;
  // One unit of work: the case, the person (access checked), the audited view and the key facts.
  return ctx.data.transaction(async (q, record) => {
    const audit = await loadAudit(q, partnershipId, auditId);
    const row = await loadCase(q, partnershipId, auditId, caseId);
    const p = await loadPerson(q, ctx, row.personId, 'person:read');
    await record.viewPerson(p.id, { view: 'case-audit', auditId, caseId });
    const caseCount = await countCases(q, partnershipId, auditId);
    return { audit, snapshot: snapshotOf(audit), auditCase: row, facts: await keyFacts(q, partnershipId, p), answers: row.answers as CaseAnswers, caseCount };
  });
}

export const NOTE_MAX = 2000;

/** The answers as the form sends them: `answer-<itemId>` and `note-<itemId>` for each item of the snapshot. */
export function answersFromForm(snapshot: ChecklistSnapshot, form: Record<string, string>): { answers: CaseAnswers; issues: FieldIssue[] } {
  const answers: CaseAnswers = {};
  const issues: FieldIssue[] = [];
  for (const item of snapshot.items) {
    const answer = (form[`answer-${item.id}`] ?? '').trim();
    const note = (form[`note-${item.id}`] ?? '').trim();
    if (answer && !auditAnswers.includes(answer as AuditAnswer)) issues.push({ path: `answer-${item.id}`, message: `Choose met, partly met, not met or not applicable for ${item.code}` });
    if (note.length > NOTE_MAX) issues.push({ path: `note-${item.id}`, message: `The note for ${item.code} must be ${NOTE_MAX} characters or fewer` });
    if (answer && auditAnswers.includes(answer as AuditAnswer)) {
      const record: AnswerRecord = { answer: answer as AuditAnswer };
      if (note) record.note = note;
      answers[item.id] = record;
    } else if (note) {
      // A note without an answer yet is kept for later; it does not count as an answer.
      answers[item.id] = { note };
    }
  }
  return { answers, issues };
}

/**
 * Save a case's answers ("Save and continue later") or complete it ("Complete case": every item
 * must be answered; each missing one is named). Version-checked, so a second auditor editing the
 * same case gets a conflict and the first one's answers stay as saved.
 */
export async function saveCase(ctx: ServiceContext, auditId: string, caseId: string, version: number, form: Record<string, string>, complete: boolean): Promise<AuditCaseRow> {
  assertCanManageAudits(ctx);
  const partnershipId = ctx.actor.partnershipId;
  const audit = await ctx.data.read((q) => loadAudit(q, partnershipId, auditId));
  const snapshot = snapshotOf(audit);
  const { answers, issues } = answersFromForm(snapshot, form);
  const summary = (form.summary ?? '').trim();
  if (summary.length > NOTE_MAX) issues.push({ path: 'summary', message: `The summary must be ${NOTE_MAX} characters or fewer` });
  const itemIds = snapshot.items.map((i) => i.id);
  if (complete) {
    const missing = new Set(unansweredItems(itemIds, answers));
    for (const item of snapshot.items) {
      if (missing.has(item.id)) issues.push({ path: `answer-${item.id}`, message: `Answer ${item.code}: ${item.question}` });
    }
  }
  if (issues.length > 0) throw new InputError(issues);
  return ctx.data.transaction(async (tx, record) => {
    const current = await loadAudit(tx, partnershipId, auditId);
    if (current.status === 'complete') throw new ConflictError('This audit is complete: its cases can no longer be changed.');
    const before = await loadCase(tx, partnershipId, auditId, caseId);
    await loadPerson(tx, ctx, before.personId, 'person:read');
    const now = ctx.clock.now();
    const after = expectOneUpdated(
      await updateCaseAtVersion(tx, partnershipId, caseId, version, {
        answers,
        summary: summary || null,
        status: complete ? 'complete' : 'in-progress',
        score: complete ? caseScore(itemIds, answers) : null,
        completedAt: complete ? now : null,
        auditorId: ctx.actor.userId,
        updatedAt: now,
      }),
    );
    await record.change({ action: complete ? 'case-audit.case-completed' : 'case-audit.case-saved', subjectType: 'case-audit', subjectId: auditId, before, after });
    return after;
  });
}

// ---------------------------------------------------------------------------
// Findings and actions
// ---------------------------------------------------------------------------

export const findingSchema = () =>
  z.object({
    pillar: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v || !/^[1-9]$/.test(v)) {
          ctx.addIssue({ code: 'custom', message: 'Choose the pillar the finding is about' });
          return z.NEVER;
        }
        return Number(v);
      }),
    auditCaseId: z.string().trim().optional().default(''),
    finding: z.string({ error: 'Enter the finding' }).trim().min(1, 'Enter the finding').max(4000, 'The finding must be 4000 characters or fewer'),
    action: z.string({ error: 'Enter the action agreed' }).trim().min(1, 'Enter the action agreed').max(4000, 'The action must be 4000 characters or fewer'),
    ownerUserId: z.string({ error: 'Choose who owns the action' }).trim().min(1, 'Choose who owns the action'),
    dueOn: isoDateField('the date the action is due', { required: true }),
    competencyDomain: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        if (!/^[1-6]$/.test(v)) {
          ctx.addIssue({ code: 'custom', message: 'Choose a competency framework domain from 1 to 6, or none' });
          return z.NEVER;
        }
        return Number(v);
      }),
  });

export async function findingFormData(ctx: ServiceContext, auditId: string): Promise<{ audit: CaseAuditRow; snapshot: ChecklistSnapshot; users: UserChoice[]; cases: Array<{ id: string; position: number }> }> {
  assertCanManageAudits(ctx);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read(async (q) => {
    const audit = await loadAudit(q, partnershipId, auditId);
    const cases = await casesOf(q, partnershipId, auditId);
    return { audit, snapshot: snapshotOf(audit), users: await partnershipUsers(q, partnershipId), cases: cases.map((c) => ({ id: c.id, position: c.position })) };
  });
}

export async function addFinding(ctx: ServiceContext, auditId: string, input: unknown): Promise<FindingRow> {
  assertCanManageAudits(ctx);
  const data = parseInput(findingSchema(), input);
  const partnershipId = ctx.actor.partnershipId;
  const { audit, users, cases } = await ctx.data.read(async (q) => ({
    audit: await loadAudit(q, partnershipId, auditId),
    users: await partnershipUsers(q, partnershipId),
    cases: data.auditCaseId ? await casesOf(q, partnershipId, auditId) : [],
  }));
  const issues: FieldIssue[] = [];
  if (!snapshotOf(audit).pillars.some((p) => p.number === data.pillar)) issues.push({ path: 'pillar', message: 'Choose a pillar of this audit’s checklist' });
  if (!users.some((u) => u.id === data.ownerUserId)) issues.push({ path: 'ownerUserId', message: 'Choose the owner from the list of the partnership’s users' });
  let auditCaseId: string | null = null;
  if (data.auditCaseId) {
    if (!cases.some((c) => c.id === data.auditCaseId)) issues.push({ path: 'auditCaseId', message: 'Choose a case of this audit, or the audit as a whole' });
    else auditCaseId = data.auditCaseId;
  }
  if (issues.length > 0) throw new InputError(issues);
  return ctx.data.transaction(async (tx, record) => {
    const created = await insertFinding(tx, {
      partnershipId,
      auditId,
      auditCaseId,
      pillar: data.pillar,
      finding: data.finding,
      action: data.action,
      ownerUserId: data.ownerUserId,
      dueOn: data.dueOn!,
      competencyDomain: data.competencyDomain,
      createdBy: ctx.actor.userId,
    });
    await record.change({ action: 'case-audit.finding-added', subjectType: 'case-audit', subjectId: auditId, after: created });
    return created;
  });
}

export const findingStatuses = ['open', 'done', 'cancelled'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

export async function setFindingStatus(ctx: ServiceContext, auditId: string, findingId: string, version: number, status: string): Promise<FindingRow> {
  assertCanManageAudits(ctx);
  if (!findingStatuses.includes(status as FindingStatus)) throw new InputError([{ path: 'status', message: 'Choose done, cancelled or open' }]);
  if (!isUuid(findingId)) throw new NotFoundError('Finding not found');
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, record) => {
    const before = await findFinding(tx, partnershipId, auditId, findingId);
    if (!before) throw new NotFoundError('Finding not found');
    const after = expectOneUpdated(await updateFindingStatusAtVersion(tx, partnershipId, findingId, version, status as FindingStatus, ctx.clock.now()));
    await record.change({ action: `case-audit.finding-${status === 'open' ? 'reopened' : status}`, subjectType: 'case-audit', subjectId: auditId, before, after });
    return after;
  });
}

/** For the report: the audit's full detail plus who downloaded it, recorded. */
export async function recordReportDownload(ctx: ServiceContext, auditId: string, format: 'pdf' | 'xlsx'): Promise<void> {
  await ctx.data.transaction((_tx, audit) => audit.change({ action: 'case-audit.report-downloaded', subjectType: 'case-audit', subjectId: auditId, after: { format } }));
}

