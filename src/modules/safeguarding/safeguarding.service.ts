import { randomUUID } from 'node:crypto';
/**
 * Safeguarding adults (issue 16, item 1; docs/safeguarding.md). Every read goes through the door
 * and is audited as a view of the person's record; every write is one transaction with its audit
 * event and optimistic concurrency.
 *
 * Who may do what:
 * - see that a concern is open (the flag): person:read on the person;
 * - see the details (categories, the concern, the person's views, the decision, the enquiry and
 *   the protection meetings): holders of the roles the partnership chose (safeguarding_settings;
 *   policy.ts canSeeSafeguardingDetails), the responsible local authority's deciders, and, for
 *   one concern, the person who raised it and the enquiry's lead. Everyone else is never told
 *   more than that a concern is open: a concern's page is "not found" for them;
 * - raise a concern: person:write (any organisation that works with the person, such as the trust);
 * - decide whether the s42(1) criteria are met, and run the enquiry: safeguarding:decide through
 *   the person's responsible local authority (policy.ts safeguardingDecisionOrganisation), or the
 *   enquiry's lead for its records, plan and outcome;
 * - the partnership's settings: settings:manage (lead administrators).
 *
 * The audit trail keeps ids, statuses and dates of safeguarding records, never their words: it is
 * read by roles the partnership may not have chosen (as restricted case notes, decision 0016).
 */
import { z } from 'zod';
import { addMonths, isRealDate } from '../../domain/calendar-date.ts';
import {
  abuseCategories,
  abuseCategoryLabels,
  concernStatusLabels,
  criteriaQuestions,
  decidedWithinTimescale,
  decisionAgreesWithCriteria,
  decisionDueOn,
  decisionLabels,
  decisionOverdue,
  decisions,
  DEFAULT_DECISION_WORKING_DAYS,
  enquiryOutcomeLabels,
  enquiryOutcomes,
  enquiryRecordKindLabels,
  enquiryRecordKinds,
  isAbuseCategory,
  MAX_DECISION_WORKING_DAYS,
  outcomesAchieved,
  outcomesAchievedLabels,
  protectionMeetingKindLabels,
  protectionMeetingKinds,
  riskLocationLabels,
  riskLocations,
  riskSourceLabels,
  riskSources,
  statusAfterDecision,
  timelinessPercent,
  type AbuseCategory,
  type ConcernStatus,
  type EnquiryRecordKind,
  type ProtectionMeetingKind,
} from '../../domain/safeguarding.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { assertCan, canOnPerson, canSeeSafeguardingDetails, restrictedNoteRoleChoices, rolesGranted, safeguardingDecisionOrganisation, type PersonRelationships } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { tellEach, usersWithRoles } from '../../platform/notifications/recipients.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { notesForLinking } from '../notes/index.ts';
import { plansForLinking } from '../plans/index.ts';
import { loadPerson, visiblePeople, type PersonRow } from '../register/index.ts';
import { riskAssessmentsForLinking } from '../risk/index.ts';
import {
  countOpenEnquiries,
  deleteLinks,
  countPlansDueForReview,
  ensureSettings,
  findAwaitingDecision,
  findConcern,
  findConcerns,
  findConcernsForFigures,
  findEnquiryRecords,
  findLinks,
  findOrganisationByCode,
  findOrganisationUsers,
  findProtectionMeetings,
  findSettings,
  insertConcern,
  insertEnquiryRecord,
  insertLinks,
  insertProtectionMeeting,
  updateConcernAtVersion,
  updateSettingsAtVersion,
  type ConcernRow,
  type ConcernWithNames,
  type LinkRow,
} from './safeguarding.queries.ts';

const isUuid = (id: string) => z.uuid().safeParse(id).success;
const nameOf = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;
const NOT_FOUND = 'There is no such safeguarding concern';

/* ---------- The partnership's choices ---------- */

/** Until the partnership chooses: those who work with the person (practitioners, senior practitioners, team managers). */
export const DEFAULT_SAFEGUARDING_ROLES = ['practitioner', 'senior-practitioner', 'team-manager'] as const;

export interface SafeguardingPolicy {
  restrictedRoles: string[];
  decisionWorkingDays: number;
}

export function policyFrom(row: { restrictedRoles: string[]; decisionWorkingDays: number } | null | undefined): SafeguardingPolicy {
  return row ? { restrictedRoles: row.restrictedRoles, decisionWorkingDays: row.decisionWorkingDays } : { restrictedRoles: [...DEFAULT_SAFEGUARDING_ROLES], decisionWorkingDays: DEFAULT_DECISION_WORKING_DAYS };
}

async function policyIn(q: DbOrTx, partnershipId: string): Promise<SafeguardingPolicy> {
  return policyFrom(await findSettings(q, partnershipId));
}

/** Whether the actor sees the details of every concern about the person (the chosen roles, or the local authority's deciders). */
export function seesAllDetails(actor: Actor, person: PersonRelationships, policy: SafeguardingPolicy): boolean {
  return canSeeSafeguardingDetails(actor, person, policy.restrictedRoles) || safeguardingDecisionOrganisation(actor, person) !== null;
}

/** Whether the actor sees one concern's details: as above, or as the one who raised it or leads its enquiry. */
export function seesConcern(actor: Actor, all: boolean, concern: { raisedBy: string | null; enquiryLeadId: string | null }): boolean {
  return all || (actor.userId !== null && (concern.raisedBy === actor.userId || concern.enquiryLeadId === actor.userId));
}

/** For the chronology: which safeguarding entries the actor sees in full. */
export interface SafeguardingVisibility {
  all: boolean;
  userId: string | null;
}

export async function safeguardingVisibility(q: DbOrTx, ctx: ServiceContext, person: PersonRelationships): Promise<SafeguardingVisibility> {
  return { all: seesAllDetails(ctx.actor, person, await policyIn(q, ctx.actor.partnershipId)), userId: ctx.actor.userId };
}

export async function safeguardingSettings(ctx: ServiceContext) {
  assertCan(ctx.actor, 'settings:manage');
  const row = await ctx.data.read((q) => findSettings(q, ctx.actor.partnershipId));
  return { ...policyFrom(row), version: row?.version ?? 0, choices: restrictedNoteRoleChoices() as string[] };
}

export async function updateSafeguardingSettings(ctx: ServiceContext, version: number, input: { roles: string[]; decisionWorkingDays: string }) {
  assertCan(ctx.actor, 'settings:manage');
  const choices = restrictedNoteRoleChoices() as string[];
  const values = parseInput(
    z.object({
      roles: z
        .array(z.string())
        .refine((rs) => rs.every((r) => choices.includes(r)), 'Choose roles from the list')
        .refine((rs) => rs.length > 0, 'Choose at least one role that sees safeguarding details'),
      decisionWorkingDays: z
        .string()
        .trim()
        .regex(/^\d+$/, 'Enter the timescale as a whole number of working days, like 2')
        .transform(Number)
        .refine((n) => n >= 1 && n <= MAX_DECISION_WORKING_DAYS, `The timescale must be between 1 and ${MAX_DECISION_WORKING_DAYS} working days`),
    }),
    input,
  );
  return ctx.data.transaction(async (tx, audit) => {
    const before = await ensureSettings(tx, ctx.actor.partnershipId, { restrictedRoles: [...DEFAULT_SAFEGUARDING_ROLES], decisionWorkingDays: DEFAULT_DECISION_WORKING_DAYS });
    // A page opened before the row existed carries version 0: it may save over the untouched defaults.
    const expected = version === 0 && before.version === 1 && before.updatedBy === null ? 1 : version;
    const after = expectOneUpdated(await updateSettingsAtVersion(tx, ctx.actor.partnershipId, expected, { restrictedRoles: values.roles, decisionWorkingDays: values.decisionWorkingDays }, ctx.actor.userId));
    await audit.change({ action: 'safeguarding-settings.updated', subjectType: 'safeguarding-settings', subjectId: ctx.actor.partnershipId, before: policyFrom(before), after: policyFrom(after) });
    return after;
  });
}

/* ---------- Views ---------- */

/** What the audit trail keeps of a concern: never its words (see the header). */
function auditable(c: ConcernRow) {
  return { id: c.id, personId: c.personId, status: c.status, raisedOn: c.raisedOn, decisionDueOn: c.decisionDueOn, decision: c.decision, decidedOn: c.decidedOn, enquiryLeadId: c.enquiryLeadId, outcome: c.outcome, concludedOn: c.concludedOn, protectionPlanReviewOn: c.protectionPlanReviewOn, version: c.version };
}

const label = <K extends string>(labels: Record<K, string>, value: string | null) => (value === null ? null : (labels[value as K] ?? value));

export function concernView(row: ConcernWithNames, today: string) {
  const c = row.concern;
  return {
    id: c.id,
    version: c.version,
    href: `/people/${c.personId}/safeguarding/concerns/${c.id}`,
    status: c.status as ConcernStatus,
    statusLabel: concernStatusLabels[c.status as ConcernStatus],
    open: c.status !== 'closed',
    categories: c.categories.map((k) => abuseCategoryLabels[k as AbuseCategory] ?? k),
    reportedBy: c.reportedBy,
    riskSource: label(riskSourceLabels, c.riskSource),
    location: label(riskLocationLabels, c.location),
    raisedOn: govukDate(c.raisedOn),
    raisedBy: row.raisedByName ? `${row.raisedByName}${row.organisationName ? `, ${row.organisationName}` : ''}` : 'Unknown',
    concern: c.concern,
    personAsked: c.personAsked,
    personsViews: c.personsViews,
    desiredOutcomes: c.desiredOutcomes,
    decisionDueOn: govukDate(c.decisionDueOn),
    decisionOverdue: decisionOverdue(c.decisionDueOn, today, c.decidedOn),
    answers: criteriaQuestions.map((q) => ({ text: q.text, cite: q.cite, answer: c[q.key] === 'yes' ? 'Yes' : c[q.key] === 'no' ? 'No' : null })),
    decision: label(decisionLabels, c.decision),
    decisionReason: c.decisionReason,
    decidedOn: c.decidedOn ? govukDate(c.decidedOn) : null,
    decidedBy: row.decidedByName,
    decidedInTime: c.decidedOn ? decidedWithinTimescale(c.decisionDueOn, c.decidedOn) : null,
    lead: row.leadName,
    enquiryStartedOn: c.enquiryStartedOn ? govukDate(c.enquiryStartedOn) : null,
    protectionPlan: c.protectionPlan,
    protectionPlanReviewOn: c.protectionPlanReviewOn ? govukDate(c.protectionPlanReviewOn) : null,
    protectionPlanReviewOverdue: c.status === 'enquiry' && c.protectionPlanReviewOn !== null && c.protectionPlanReviewOn < today,
    outcome: label(enquiryOutcomeLabels, c.outcome),
    outcomesAchieved: label(outcomesAchievedLabels, c.outcomesAchieved),
    outcomeDetail: c.outcomeDetail,
    concludedOn: c.concludedOn ? govukDate(c.concludedOn) : null,
  };
}
export type ConcernView = ReturnType<typeof concernView>;

/** The person page's section (the flag): open concerns for everyone who may read the person; their state only for those who see details. */
export function safeguardingSummary(
  ctx: ServiceContext,
  person: PersonRelationships & { readonly id: string },
  today: string,
  open: ReadonlyArray<{ id: string; status: string; raisedOn: string; decisionDueOn: string; raisedBy: string | null; enquiryLeadId: string | null }>,
  settings: { restrictedRoles: string[]; decisionWorkingDays: number } | undefined,
) {
  const all = seesAllDetails(ctx.actor, person, policyFrom(settings));
  return {
    href: `/people/${person.id}/safeguarding`,
    newHref: `/people/${person.id}/safeguarding/new`,
    mayRaise: canOnPerson(ctx.actor, 'person:write', person),
    openCount: open.length,
    open: open.map((c) =>
      seesConcern(ctx.actor, all, c)
        ? { visible: true as const, href: `/people/${person.id}/safeguarding/concerns/${c.id}`, statusLabel: concernStatusLabels[c.status as ConcernStatus], raisedOn: govukDate(c.raisedOn), decisionOverdue: c.status === 'awaiting-decision' && decisionOverdue(c.decisionDueOn, today, null), decisionDueOn: govukDate(c.decisionDueOn) }
        : { visible: false as const },
    ),
  };
}

/* ---------- The person's safeguarding page ---------- */

export async function safeguardingPage(ctx: ServiceContext, personId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const policy = await policyIn(tx, ctx.actor.partnershipId);
    const all = seesAllDetails(ctx.actor, person, policy);
    const rows = await findConcerns(tx, ctx.actor.partnershipId, personId);
    const shown = rows.filter((r) => seesConcern(ctx.actor, all, r.concern));
    const meetings = all ? await findProtectionMeetings(tx, ctx.actor.partnershipId, personId) : [];
    await audit.viewPerson(personId, { page: 'safeguarding', concerns: shown.map((r) => r.concern.id) });
    return {
      person,
      seesDetails: all,
      concerns: shown.map((r) => concernView(r, today)),
      // Those who may not see the details learn only how many concerns are open.
      hiddenOpen: rows.filter((r) => r.concern.status !== 'closed' && !seesConcern(ctx.actor, all, r.concern)).length,
      meetings: meetings.map((m) => ({
        id: m.meeting.id,
        kind: protectionMeetingKindLabels[m.meeting.kind as ProtectionMeetingKind] ?? m.meeting.kind,
        heldOn: govukDate(m.meeting.heldOn),
        outcome: m.meeting.outcome,
        nextOn: m.meeting.nextOn ? govukDate(m.meeting.nextOn) : 'None set',
        recordedBy: m.recordedByName ?? 'Unknown',
      })),
      mayRaise: canOnPerson(ctx.actor, 'person:write', person),
      mayRecordMeeting: all && canOnPerson(ctx.actor, 'person:write', person),
      meetingKinds: protectionMeetingKinds.map((k) => ({ value: k, text: protectionMeetingKindLabels[k] })),
    };
  });
}

/* ---------- Raising a concern ---------- */

export interface ConcernInput {
  categories: string[];
  reportedBy: string;
  riskSource: string;
  location: string;
  raisedOn: string;
  concern: string;
  personAsked: string;
  personsViews: string;
  desiredOutcomes: string;
}

export const emptyConcernInput: ConcernInput = { categories: [], reportedBy: '', riskSource: '', location: '', raisedOn: '', concern: '', personAsked: '', personsViews: '', desiredOutcomes: '' };

const pastDate = (today: string, what: string, example: string) =>
  z
    .string()
    .refine((d) => d !== '', `Enter the date ${what}`)
    .refine((d) => d === '' || isRealDate(d), `The date ${what} must be a real date, like ${example}`)
    .refine((d) => !isRealDate(d) || d <= today, `The date ${what} must be today or in the past`)
    .refine((d) => !isRealDate(d) || d >= addMonths(today, -12), `The date ${what} must be within the last 12 months`);

const futureDate = (today: string, what: string) =>
  z
    .string()
    .refine((d) => d !== '', `Enter the date ${what}`)
    .refine((d) => d === '' || isRealDate(d), `The date ${what} must be a real date, like 4 3 2027`)
    .refine((d) => !isRealDate(d) || d > today, `The date ${what} must be in the future`)
    .refine((d) => !isRealDate(d) || d <= addMonths(today, 12), `The date ${what} must be within 12 months`);

const text = (required: string, name: string, max = 20_000) => z.string().trim().min(1, required).max(max, `${name} must be ${max.toLocaleString('en-GB')} characters or fewer`);

const concernSchema = (today: string) =>
  z.object({
    categories: z
      .array(z.string())
      .refine((cs) => cs.length > 0, 'Choose at least one category of abuse or neglect')
      .refine((cs) => cs.every(isAbuseCategory), 'Choose categories from the list')
      .transform((cs) => [...new Set(cs)] as AbuseCategory[]),
    reportedBy: text('Say who reported the concern', 'Who reported it', 500),
    riskSource: z.enum(riskSources, { error: 'Choose who the risk is from' }),
    location: z.enum(riskLocations, { error: 'Choose where the risk is' }),
    raisedOn: pastDate(today, 'the concern was raised', '4 12 2026'),
    concern: text('Describe the concern', 'The concern'),
    personAsked: z.enum(['yes', 'no'], { error: 'Say whether the person was asked what they want to happen' }),
    personsViews: text('Record the person’s views, or why they were not asked', 'The person’s views'),
    desiredOutcomes: z.string().trim().max(5000, 'The outcomes they want must be 5,000 characters or fewer'),
  });

export async function concernForm(ctx: ServiceContext, personId: string) {
  const person = await ctx.data.transaction(async (tx, audit) => {
    const row = await loadPerson(tx, ctx, personId, 'person:write');
    await audit.viewPerson(personId, { page: 'safeguarding-concern-form' });
    return row;
  });
  return {
    person,
    categories: abuseCategories.map((c) => ({ value: c, text: abuseCategoryLabels[c] })),
    riskSources: riskSources.map((s) => ({ value: s, text: riskSourceLabels[s] })),
    locations: riskLocations.map((l) => ({ value: l, text: riskLocationLabels[l] })),
  };
}

/** The team managers and senior practitioners of the person's responsible local authority (who decide). */
async function deciders(q: DbOrTx, ctx: ServiceContext, person: PersonRow) {
  if (!person.responsibleLocalAuthority) return [];
  const orgId = await findOrganisationByCode(q, ctx.actor.partnershipId, person.responsibleLocalAuthority);
  return orgId ? usersWithRoles(q, ctx.actor.partnershipId, [orgId], rolesGranted('safeguarding:decide')) : [];
}

/** Raise a concern: it waits for the responsible local authority's s42(1) decision, who are told. */
export async function raiseConcern(ctx: ServiceContext, personId: string, input: ConcernInput) {
  // Permission before input (issue 12, finding 10).
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const today = ctx.today();
  const values = parseInput(concernSchema(today), input);
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write', true);
    const policy = await policyIn(tx, ctx.actor.partnershipId);
    const created = await insertConcern(tx, {
      partnershipId: ctx.actor.partnershipId,
      id: randomUUID(),
      personId,
      categories: values.categories,
      reportedBy: values.reportedBy,
      riskSource: values.riskSource,
      location: values.location,
      raisedOn: values.raisedOn,
      concern: values.concern,
      personAsked: values.personAsked === 'yes',
      personsViews: values.personsViews,
      desiredOutcomes: values.desiredOutcomes,
      raisedBy: ctx.actor.userId,
      raisedForOrganisationId: ctx.actor.activeOrganisationId,
      status: 'awaiting-decision',
      decisionDueOn: decisionDueOn(values.raisedOn, policy.decisionWorkingDays),
    });
    await audit.change({ action: 'safeguarding-concern.raised', subjectType: 'safeguarding-concern', subjectId: created.id, after: auditable(created) });
    // The message names the person and the date only: never the details (email leaves the system).
    await tellEach(tx, await deciders(tx, ctx, person), ctx.actor.userId, {
      partnershipId: ctx.actor.partnershipId,
      dedupeKey: `safeguarding-concern:${created.id}`,
      kind: 'safeguarding-concern',
      personId,
      subject: `Safeguarding concern about ${nameOf(person)}: decision due by ${govukDate(created.decisionDueOn)}`,
      body: `A safeguarding concern about ${nameOf(person)} has been raised. Decide whether the Care Act 2014 section 42(1) criteria are met by ${govukDate(created.decisionDueOn)}. It is in your queue: Waiting for you.`,
      link: `/people/${personId}/safeguarding/concerns/${created.id}`,
    });
    return created;
  });
}

/* ---------- One concern ---------- */

async function visibleConcern(q: DbOrTx, ctx: ServiceContext, person: PersonRow, concernId: string, lock = false) {
  if (!isUuid(concernId)) throw new NotFoundError(NOT_FOUND);
  const row = await findConcern(q, ctx.actor.partnershipId, person.id, concernId, lock);
  if (!row) throw new NotFoundError(NOT_FOUND);
  const all = seesAllDetails(ctx.actor, person, await policyIn(q, ctx.actor.partnershipId));
  // Not told it exists: a concern whose details the actor may not see is "not found" (the flag on the person says one is open).
  if (!seesConcern(ctx.actor, all, row.concern)) throw new NotFoundError(NOT_FOUND);
  return row;
}

/** Who may lead an enquiry: the practitioners, senior practitioners and team managers of the responsible local authority. */
async function leadChoices(q: DbOrTx, ctx: ServiceContext, person: PersonRow) {
  if (!person.responsibleLocalAuthority) return [];
  const orgId = await findOrganisationByCode(q, ctx.actor.partnershipId, person.responsibleLocalAuthority);
  return orgId ? findOrganisationUsers(q, ctx.actor.partnershipId, orgId, ['practitioner', 'senior-practitioner', 'team-manager']) : [];
}

const mayRunEnquiry = (ctx: ServiceContext, person: PersonRow, concern: ConcernRow) => safeguardingDecisionOrganisation(ctx.actor, person) !== null || (ctx.actor.userId !== null && concern.enquiryLeadId === ctx.actor.userId);

export async function concernPage(ctx: ServiceContext, personId: string, concernId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await visibleConcern(tx, ctx, person, concernId);
    const records = await findEnquiryRecords(tx, ctx.actor.partnershipId, concernId);
    const mayDecide = safeguardingDecisionOrganisation(ctx.actor, person) !== null;
    const links = shownLinks(await findLinks(tx, ctx.actor.partnershipId, [concernId]), await linkables(tx, ctx, person));
    await audit.viewPerson(personId, { page: 'safeguarding-concern', concernId });
    return {
      person,
      concern: concernView(row, today),
      links,
      mayLink: canOnPerson(ctx.actor, 'person:write', person),
      records: records.map((r) => ({
        kind: enquiryRecordKindLabels[r.record.kind as EnquiryRecordKind] ?? r.record.kind,
        isAction: r.record.kind === 'action',
        heldOn: govukDate(r.record.heldOn),
        who: r.record.who,
        detail: r.record.detail,
        dueOn: r.record.dueOn ? govukDate(r.record.dueOn) : null,
        recordedBy: r.recordedByName ?? 'Unknown',
      })),
      mayDecide: mayDecide && row.concern.status === 'awaiting-decision',
      mayRun: mayRunEnquiry(ctx, person, row.concern) && row.concern.status === 'enquiry',
      leads: mayDecide && row.concern.status === 'awaiting-decision' ? await leadChoices(tx, ctx, person) : [],
      questions: criteriaQuestions,
      decisionItems: decisions.map((d) => ({ value: d, text: decisionLabels[d] })),
      recordKinds: enquiryRecordKinds.map((k) => ({ value: k, text: enquiryRecordKindLabels[k] })),
      outcomeItems: enquiryOutcomes.map((o) => ({ value: o, text: enquiryOutcomeLabels[o] })),
      achievedItems: outcomesAchieved.map((o) => ({ value: o, text: outcomesAchievedLabels[o] })),
    };
  });
}

/* ---------- Links to the person's notes, risk assessments and plans ---------- */

/** What a concern may be linked to (issue 16, item 1), in the order the pages show them. */
export const linkKinds = ['note', 'risk-assessment', 'plan'] as const;
export type LinkKind = (typeof linkKinds)[number];
const linkKindHeadings: Record<LinkKind, string> = { note: 'Case notes', 'risk-assessment': 'Risk assessments', plan: 'Aftercare plans' };
/** The form's field for each kind. */
export const linkFields: Record<LinkKind, 'notes' | 'riskAssessments' | 'plans'> = { note: 'notes', 'risk-assessment': 'riskAssessments', plan: 'plans' };

interface Linkable {
  id: string;
  text: string;
  href: string;
}

/**
 * The person's items this actor may see, by kind: a restricted note the actor may not see is not
 * offered, and a link to it is neither shown nor removed by them (notesForLinking applies the
 * notes' own rule). `person` was loaded through the door in `q`.
 */
async function linkables(q: DbOrTx, ctx: ServiceContext, person: PersonRow): Promise<Record<LinkKind, Linkable[]>> {
  return { note: await notesForLinking(q, ctx, person), 'risk-assessment': await riskAssessmentsForLinking(q, ctx, person), plan: await plansForLinking(q, ctx, person) };
}

const linkKey = (l: { kind: string; itemId: string }) => `${l.kind}:${l.itemId}`;

/** A concern's links the actor may see, as links to the items, grouped in the order of linkKinds. */
function shownLinks(links: LinkRow[], available: Record<LinkKind, Linkable[]>) {
  return linkKinds.flatMap((kind) => {
    const byId = new Map(available[kind].map((i) => [i.id, i]));
    return links.filter((l) => l.kind === kind && byId.has(l.itemId)).map((l) => ({ kind, heading: linkKindHeadings[kind], id: l.itemId, text: byId.get(l.itemId)!.text, href: byId.get(l.itemId)!.href }));
  });
}

/** Who may link: whoever may write about the person and sees the concern (visibleConcern). */
async function linkableConcern(q: DbOrTx, ctx: ServiceContext, personId: string, concernId: string, lock = false) {
  const person = await loadPerson(q, ctx, personId, 'person:write', lock);
  const row = await visibleConcern(q, ctx, person, concernId, lock);
  return { person, row, available: await linkables(q, ctx, person), links: await findLinks(q, ctx.actor.partnershipId, [concernId]) };
}

/** The page of checkboxes: each of the person's items the actor may see, ticked if linked. */
export async function linksForm(ctx: ServiceContext, personId: string, concernId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const { person, row, available, links } = await linkableConcern(tx, ctx, personId, concernId);
    const linked = new Set(links.map(linkKey));
    await audit.viewPerson(personId, { page: 'safeguarding-links', concernId });
    return {
      person,
      concern: { id: row.concern.id, version: row.concern.version, raisedOn: govukDate(row.concern.raisedOn), statusLabel: concernStatusLabels[row.concern.status as ConcernStatus] },
      groups: linkKinds.map((kind) => ({ kind, field: linkFields[kind], heading: linkKindHeadings[kind], items: available[kind].map((i) => ({ ...i, checked: linked.has(`${kind}:${i.id}`) })) })),
    };
  });
}

export type LinksInput = Record<'notes' | 'riskAssessments' | 'plans', string[]>;

/**
 * Save which of the person's items the concern is linked to: the ticked ones are linked, the
 * unticked ones unlinked; links the actor cannot see (a restricted note) stay as they are. Only
 * the person's own items may be chosen: anything else is refused and nothing changes.
 */
export async function updateLinks(ctx: ServiceContext, personId: string, concernId: string, version: number, input: LinksInput) {
  const { person, available } = await ctx.data.read((q) => linkableConcern(q, ctx, personId, concernId));
  const name = nameOf(person);
  const ids = (kind: LinkKind, what: string) =>
    z
      .array(z.string())
      .refine((xs) => xs.every((x) => available[kind].some((i) => i.id === x)), `Choose ${what} of ${name} from the list: only their own can be linked`)
      .transform((xs) => [...new Set(xs)]);
  const values = parseInput(z.object({ notes: ids('note', 'case notes'), riskAssessments: ids('risk-assessment', 'risk assessments'), plans: ids('plan', 'aftercare plans') }), input);
  return ctx.data.transaction(async (tx, audit) => {
    const now = await linkableConcern(tx, ctx, personId, concernId, true);
    const chosen = new Set(linkKinds.flatMap((kind) => values[linkFields[kind]].map((id) => `${kind}:${id}`)));
    const seen = new Set(linkKinds.flatMap((kind) => now.available[kind].map((i) => `${kind}:${i.id}`)));
    for (const key of chosen) if (!seen.has(key)) throw new InputError([{ path: 'notes', message: `Choose items of ${name} from the list: only their own can be linked` }]);
    const existing = new Set(now.links.map(linkKey));
    const removed = now.links.filter((l) => seen.has(linkKey(l)) && !chosen.has(linkKey(l)));
    const added = [...chosen].filter((key) => !existing.has(key)).map((key) => {
      const [kind, itemId] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      return { partnershipId: ctx.actor.partnershipId, concernId, personId, kind, itemId, linkedBy: ctx.actor.userId };
    });
    const after = expectOneUpdated(await updateConcernAtVersion(tx, ctx.actor.partnershipId, concernId, version, {}));
    await deleteLinks(tx, ctx.actor.partnershipId, concernId, removed);
    await insertLinks(tx, added);
    const kept = now.links.filter((l) => !removed.includes(l)).map((l) => ({ kind: l.kind, itemId: l.itemId }));
    await audit.change({
      action: 'safeguarding-links.updated',
      subjectType: 'safeguarding-concern',
      subjectId: concernId,
      before: { version: now.row.concern.version, links: now.links.map((l) => ({ kind: l.kind, itemId: l.itemId })) },
      after: { version: after.version, links: [...kept, ...added.map((l) => ({ kind: l.kind, itemId: l.itemId }))] },
    });
    return { after, added: added.length, removed: removed.length };
  });
}

/** Load the person and refuse (403) an actor who may not decide for the responsible local authority. */
async function assertDecider(q: DbOrTx, ctx: ServiceContext, personId: string, lock = false) {
  const person = await loadPerson(q, ctx, personId, 'person:read', lock);
  if (safeguardingDecisionOrganisation(ctx.actor, person) === null) throw new ForbiddenError('Only a team manager or senior practitioner of the responsible local authority decides whether the section 42(1) criteria are met');
  return person;
}

export interface DecisionInput {
  needsCareAndSupport: string;
  experiencingAbuse: string;
  unableToProtect: string;
  decision: string;
  reason: string;
  leadId: string;
}

const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message });

const decisionSchema = (leads: string[]) =>
  z
    .object({
      needsCareAndSupport: yesNo('Answer whether the person has needs for care and support'),
      experiencingAbuse: yesNo('Answer whether the person is experiencing, or at risk of, abuse or neglect'),
      unableToProtect: yesNo('Answer whether the person is unable to protect themselves as a result of those needs'),
      decision: z.enum(decisions, { error: 'Choose whether the section 42(1) criteria are met' }),
      reason: text('Give the reasons for the decision', 'The reasons', 10_000),
      leadId: z.string(),
    })
    .superRefine((v, issue) => {
      if (!decisionAgreesWithCriteria(v.decision, v)) {
        issue.addIssue({
          code: 'custom',
          path: ['decision'],
          message: v.decision === 'met' ? 'The section 42(1) criteria are met only when all three questions are answered yes (Care Act 2014, section 42(1))' : 'All three questions are answered yes, so the section 42(1) criteria are met: an enquiry must be made (Care Act 2014, section 42(2))',
        });
      }
      if (v.decision === 'met' && !leads.includes(v.leadId)) issue.addIssue({ code: 'custom', path: ['leadId'], message: 'Choose who leads the enquiry, from the local authority' });
    });

/** Record the s42(1) decision: met opens the enquiry with its lead (who is told); not met closes the concern. */
export async function recordDecision(ctx: ServiceContext, personId: string, concernId: string, version: number, input: DecisionInput) {
  const leads = await ctx.data.read(async (q) => {
    const person = await assertDecider(q, ctx, personId);
    return (await leadChoices(q, ctx, person)).map((l) => l.id);
  });
  const values = parseInput(decisionSchema(leads), input);
  return ctx.data.transaction(async (tx, audit) => {
    const person = await assertDecider(tx, ctx, personId, true);
    const before = await visibleConcern(tx, ctx, person, concernId, true);
    if (before.concern.status !== 'awaiting-decision') throw new ConflictError(`${before.decidedByName ?? 'Somebody'} recorded the decision on this concern${before.concern.decidedOn ? ` on ${govukDate(before.concern.decidedOn)}` : ''}.`);
    const today = ctx.today();
    const met = values.decision === 'met';
    const after = expectOneUpdated(
      await updateConcernAtVersion(tx, ctx.actor.partnershipId, concernId, version, {
        needsCareAndSupport: values.needsCareAndSupport,
        experiencingAbuse: values.experiencingAbuse,
        unableToProtect: values.unableToProtect,
        decision: values.decision,
        decisionReason: values.reason,
        decidedBy: ctx.actor.userId,
        decidedOn: today,
        status: statusAfterDecision(values.decision),
        enquiryLeadId: met ? values.leadId : null,
        enquiryStartedOn: met ? today : null,
        concludedOn: met ? null : today,
        concludedBy: met ? null : ctx.actor.userId,
      }),
    );
    await audit.change({ action: 'safeguarding-concern.decided', subjectType: 'safeguarding-concern', subjectId: concernId, before: auditable(before.concern), after: auditable(after) });
    if (met && values.leadId !== ctx.actor.userId) {
      const lead = (await leadChoices(tx, ctx, person)).find((l) => l.id === values.leadId);
      if (lead)
        await tellEach(tx, [{ id: lead.id, email: '', name: lead.name }], ctx.actor.userId, {
          partnershipId: ctx.actor.partnershipId,
          dedupeKey: `safeguarding-enquiry-lead:${concernId}`,
          kind: 'safeguarding-enquiry',
          personId,
          subject: `You lead a safeguarding enquiry about ${nameOf(person)}`,
          body: `${ctx.actor.displayName} decided the Care Act 2014 section 42(1) criteria are met and asked you to lead the enquiry (section 42(2)).`,
          link: `/people/${personId}/safeguarding/concerns/${concernId}`,
        });
    }
    return after;
  });
}

/* ---------- The enquiry ---------- */

async function enquiryFor(q: DbOrTx, ctx: ServiceContext, personId: string, concernId: string, lock = false) {
  const person = await loadPerson(q, ctx, personId, 'person:read', lock);
  if (!isUuid(concernId)) throw new NotFoundError(NOT_FOUND);
  const row = await findConcern(q, ctx.actor.partnershipId, personId, concernId, lock);
  // Refused before anything is said about the concern: only the deciders and the lead run the enquiry.
  if (safeguardingDecisionOrganisation(ctx.actor, person) === null && !(row && ctx.actor.userId !== null && row.concern.enquiryLeadId === ctx.actor.userId)) {
    throw new ForbiddenError('Only the enquiry’s lead, or a team manager or senior practitioner of the responsible local authority, records the enquiry');
  }
  if (!row) throw new NotFoundError(NOT_FOUND);
  return { person, row };
}

const assertEnquiryOpen = (row: ConcernWithNames) => {
  if (row.concern.status !== 'enquiry') throw new ConflictError(row.concern.status === 'closed' ? 'This concern is closed: nothing more can be added to its enquiry.' : 'The section 42(1) decision has not been recorded, so there is no enquiry yet.');
};

export interface EnquiryRecordInput {
  kind: string;
  heldOn: string;
  who: string;
  detail: string;
  dueOn: string;
}

const recordSchema = (today: string) =>
  z
    .object({
      kind: z.enum(enquiryRecordKinds, { error: 'Choose what you are recording' }),
      heldOn: pastDate(today, 'it was held or agreed', '4 12 2026'),
      who: text('Say who attended, or who will do it', 'Who', 2000),
      detail: text('Say what was agreed, or what is to be done', 'What was agreed', 10_000),
      dueOn: z.string(),
    })
    .superRefine((v, issue) => {
      if (v.dueOn === '') return;
      if (!isRealDate(v.dueOn)) issue.addIssue({ code: 'custom', path: ['dueOn'], message: 'The date it is due must be a real date, like 4 1 2027' });
      else if (v.dueOn < v.heldOn) issue.addIssue({ code: 'custom', path: ['dueOn'], message: 'The date it is due must be on or after the date it was agreed' });
    });

/** A strategy discussion or meeting (date, who attended, what was agreed), or an enquiry action. */
export async function addEnquiryRecord(ctx: ServiceContext, personId: string, concernId: string, input: EnquiryRecordInput) {
  await ctx.data.read((q) => enquiryFor(q, ctx, personId, concernId));
  const values = parseInput(recordSchema(ctx.today()), input);
  return ctx.data.transaction(async (tx, audit) => {
    const { row } = await enquiryFor(tx, ctx, personId, concernId, true);
    assertEnquiryOpen(row);
    const created = await insertEnquiryRecord(tx, { partnershipId: ctx.actor.partnershipId, concernId, personId, kind: values.kind, heldOn: values.heldOn, who: values.who, detail: values.detail, dueOn: values.dueOn === '' ? null : values.dueOn, recordedBy: ctx.actor.userId });
    await audit.change({ action: 'safeguarding-enquiry.recorded', subjectType: 'safeguarding-enquiry-record', subjectId: created.id, after: { id: created.id, concernId, kind: created.kind, heldOn: created.heldOn, dueOn: created.dueOn } });
    return created;
  });
}

/** The protection plan and its next review date. */
export async function updateProtectionPlan(ctx: ServiceContext, personId: string, concernId: string, version: number, input: { plan: string; reviewOn: string }) {
  await ctx.data.read((q) => enquiryFor(q, ctx, personId, concernId));
  const values = parseInput(z.object({ plan: text('Write the protection plan', 'The protection plan'), reviewOn: futureDate(ctx.today(), 'the plan will be reviewed') }), input);
  return ctx.data.transaction(async (tx, audit) => {
    const { row } = await enquiryFor(tx, ctx, personId, concernId, true);
    assertEnquiryOpen(row);
    const after = expectOneUpdated(await updateConcernAtVersion(tx, ctx.actor.partnershipId, concernId, version, { protectionPlan: values.plan, protectionPlanReviewOn: values.reviewOn }));
    await audit.change({ action: 'safeguarding-plan.updated', subjectType: 'safeguarding-concern', subjectId: concernId, before: auditable(row.concern), after: auditable(after) });
    return after;
  });
}

/** Conclude the enquiry with its outcome for the risk and whether the person's outcomes were achieved; the concern closes. */
export async function concludeEnquiry(ctx: ServiceContext, personId: string, concernId: string, version: number, input: { outcome: string; outcomesAchieved: string; detail: string }) {
  await ctx.data.read((q) => enquiryFor(q, ctx, personId, concernId));
  const values = parseInput(
    z.object({
      outcome: z.enum(enquiryOutcomes, { error: 'Choose the outcome for the risk' }),
      outcomesAchieved: z.enum(outcomesAchieved, { error: 'Choose whether the outcomes the person wanted were achieved' }),
      detail: text('Say what was found and done', 'What was found and done', 10_000),
    }),
    input,
  );
  return ctx.data.transaction(async (tx, audit) => {
    const { row } = await enquiryFor(tx, ctx, personId, concernId, true);
    assertEnquiryOpen(row);
    const after = expectOneUpdated(
      await updateConcernAtVersion(tx, ctx.actor.partnershipId, concernId, version, { outcome: values.outcome, outcomesAchieved: values.outcomesAchieved, outcomeDetail: values.detail, status: 'closed', concludedOn: ctx.today(), concludedBy: ctx.actor.userId }),
    );
    await audit.change({ action: 'safeguarding-enquiry.concluded', subjectType: 'safeguarding-concern', subjectId: concernId, before: auditable(row.concern), after: auditable(after) });
    return after;
  });
}

/* ---------- Child protection and public protection meetings ---------- */

export async function recordProtectionMeeting(ctx: ServiceContext, personId: string, input: { kind: string; heldOn: string; outcome: string; nextOn: string }) {
  const mayRecord = async (q: DbOrTx, lock = false) => {
    const person = await loadPerson(q, ctx, personId, 'person:write', lock);
    if (!seesAllDetails(ctx.actor, person, await policyIn(q, ctx.actor.partnershipId))) throw new ForbiddenError('Only the roles your partnership chose for safeguarding details record protection meetings');
    return person;
  };
  await ctx.data.read((q) => mayRecord(q));
  const today = ctx.today();
  const values = parseInput(
    z
      .object({
        kind: z.enum(protectionMeetingKinds, { error: 'Choose the kind of meeting' }),
        heldOn: pastDate(today, 'of the meeting', '4 12 2026'),
        outcome: text('Say what the meeting decided', 'The outcome', 10_000),
        nextOn: z.string(),
      })
      .superRefine((v, issue) => {
        if (v.nextOn === '') return;
        if (!isRealDate(v.nextOn)) issue.addIssue({ code: 'custom', path: ['nextOn'], message: 'The date of the next meeting must be a real date, like 4 3 2027' });
        else if (v.nextOn <= v.heldOn) issue.addIssue({ code: 'custom', path: ['nextOn'], message: 'The next meeting must be after this one' });
      }),
    input,
  );
  return ctx.data.transaction(async (tx, audit) => {
    await mayRecord(tx, true);
    const created = await insertProtectionMeeting(tx, { partnershipId: ctx.actor.partnershipId, personId, kind: values.kind, heldOn: values.heldOn, outcome: values.outcome, nextOn: values.nextOn === '' ? null : values.nextOn, recordedBy: ctx.actor.userId });
    await audit.change({ action: 'protection-meeting.recorded', subjectType: 'protection-meeting', subjectId: created.id, after: { id: created.id, personId, kind: created.kind, heldOn: created.heldOn, nextOn: created.nextOn } });
    return created;
  });
}

/* ---------- For other modules: the queue, the dashboard, the API ---------- */

export interface SafeguardingWaiting {
  key: string;
  personId: string;
  personName: string;
  nhsNumber: string;
  what: string;
  href: string;
  since: string;
  dueOn: string;
}

/**
 * What waits on the actor (decision 0009, read from the records): concerns waiting for the s42(1)
 * decision about people whose responsible local authority the actor decides for. Never a detail.
 */
export async function safeguardingWaitingOn(ctx: ServiceContext): Promise<SafeguardingWaiting[]> {
  if (ctx.actor.kind !== 'user' || !ctx.actor.memberships.some((m) => rolesGranted('safeguarding:decide').some((r) => m.roles.includes(r)))) return [];
  const actor = ctx.actor;
  const rows = await ctx.data.read((q) => findAwaitingDecision(q, actor.partnershipId, visiblePeople(actor, 'safeguarding:decide')));
  return rows
    .filter((r) => safeguardingDecisionOrganisation(actor, { partnershipId: actor.partnershipId, responsibleLocalAuthority: r.responsibleLocalAuthority, responsibleIcb: null, involvedOrganisations: [] }) !== null)
    .map((r) => ({
      key: `safeguarding:${r.concern.id}`,
      personId: r.concern.personId,
      personName: nameOf(r),
      nhsNumber: r.nhsNumber,
      what: `Decide whether the section 42(1) criteria are met on a safeguarding concern raised on ${govukDate(r.concern.raisedOn)} (Care Act 2014, section 42)`,
      href: `/people/${r.concern.personId}/safeguarding/concerns/${r.concern.id}`,
      since: r.concern.raisedOn,
      dueOn: r.concern.decisionDueOn,
    }));
}

/** The first day of the month `months` before the month of `today` (0: this month). */
const monthStart = (today: string, months = 0) => addMonths(`${today.slice(0, 7)}-01`, -months);

export interface SafeguardingFigures {
  concerns: number;
  decisions: number;
  decisionsInTime: number;
  decisionsInTimePercent: number | null;
  enquiriesStarted: number;
  enquiriesConcluded: number;
  enquiriesOpen: number;
  plansDueForReview: number;
}

/** The dashboard's counts and timeliness over the last `months` whole months and this one, about the people the actor may read. */
export async function safeguardingFigures(ctx: ServiceContext, months = 12): Promise<SafeguardingFigures> {
  const today = ctx.today();
  const since = monthStart(today, months - 1);
  const until = monthStart(today, -1);
  const visible = visiblePeople(ctx.actor, 'person:read');
  return ctx.data.read(async (q) => {
    const rows = await findConcernsForFigures(q, ctx.actor.partnershipId, visible, since, until);
    const inPeriod = (d: string | null) => d !== null && d >= since && d < until;
    const decided = rows.filter((r) => inPeriod(r.decidedOn));
    const inTime = decided.filter((r) => decidedWithinTimescale(r.decisionDueOn, r.decidedOn!)).length;
    return {
      concerns: rows.filter((r) => inPeriod(r.raisedOn)).length,
      decisions: decided.length,
      decisionsInTime: inTime,
      decisionsInTimePercent: timelinessPercent(inTime, decided.length),
      enquiriesStarted: rows.filter((r) => r.decision === 'met' && inPeriod(r.enquiryStartedOn)).length,
      enquiriesConcluded: rows.filter((r) => r.decision === 'met' && inPeriod(r.concludedOn)).length,
      enquiriesOpen: await countOpenEnquiries(q, ctx.actor.partnershipId, visible),
      plansDueForReview: await countPlansDueForReview(q, ctx.actor.partnershipId, visible, today),
    };
  });
}

/**
 * The monthly Safeguarding Adults Collection figures (NHS England Digital, "Safeguarding Adults
 * Collection (SAC)": concerns, section 42 enquiries started and concluded, by type of risk, by
 * location of risk and source of risk, risk outcomes, and Making Safeguarding Personal) for one
 * calendar month, about the people the actor may read. Counts only: no person is named.
 */
export async function safeguardingCollection(ctx: ServiceContext, month: string) {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new NotFoundError('Choose a month, like 2026-11');
  assertCan(ctx.actor, 'assurance:read');
  const since = `${month}-01`;
  const until = addMonths(since, 1);
  const visible = visiblePeople(ctx.actor, 'person:read');
  const rows = await ctx.data.read((q) => findConcernsForFigures(q, ctx.actor.partnershipId, visible, since, until));
  const inMonth = (d: string | null) => d !== null && d >= since && d < until;
  const concerns = rows.filter((r) => inMonth(r.raisedOn));
  const started = rows.filter((r) => r.decision === 'met' && inMonth(r.enquiryStartedOn));
  const concluded = rows.filter((r) => r.decision === 'met' && inMonth(r.concludedOn));
  const lines: Array<[string, string, string, number]> = [];
  const add = (table: string, measure: string, breakdown: string, value: number) => lines.push([table, measure, breakdown, value]);
  add('Summary', 'Safeguarding concerns', 'All', concerns.length);
  add('Summary', 'Section 42 enquiries started', 'All', started.length);
  add('Summary', 'Section 42 enquiries concluded', 'All', concluded.length);
  for (const c of abuseCategories) add('Concluded section 42 enquiries by type of risk', 'Section 42 enquiries concluded', abuseCategoryLabels[c], concluded.filter((r) => r.categories.includes(c)).length);
  for (const l of riskLocations) add('Concluded section 42 enquiries by location of risk', 'Section 42 enquiries concluded', riskLocationLabels[l], concluded.filter((r) => r.location === l).length);
  for (const s of riskSources) add('Concluded section 42 enquiries by source of risk', 'Section 42 enquiries concluded', riskSourceLabels[s], concluded.filter((r) => r.riskSource === s).length);
  for (const o of enquiryOutcomes) add('Concluded section 42 enquiries by risk outcome', 'Section 42 enquiries concluded', enquiryOutcomeLabels[o], concluded.filter((r) => r.outcome === o).length);
  add('Making Safeguarding Personal', 'Concluded section 42 enquiries', 'Person asked about desired outcomes', concluded.filter((r) => r.personAsked).length);
  add('Making Safeguarding Personal', 'Concluded section 42 enquiries', 'Person not asked about desired outcomes', concluded.filter((r) => !r.personAsked).length);
  add('Making Safeguarding Personal', 'Concluded section 42 enquiries', 'Desired outcomes expressed', concluded.filter((r) => r.personAsked && r.desiredOutcomes.trim() !== '').length);
  for (const a of outcomesAchieved) add('Making Safeguarding Personal', 'Desired outcomes expressed', outcomesAchievedLabels[a], concluded.filter((r) => r.personAsked && r.desiredOutcomes.trim() !== '' && r.outcomesAchieved === a).length);
  return { month, lines };
}

/* ---------- API ---------- */

function apiConcern(row: ConcernWithNames, today: string, links: ReturnType<typeof shownLinks>) {
  const c = row.concern;
  const v = concernView(row, today);
  return {
    id: c.id,
    status: c.status,
    raisedOn: c.raisedOn,
    raisedBy: v.raisedBy,
    categories: c.categories,
    reportedBy: c.reportedBy,
    riskSource: c.riskSource,
    location: c.location,
    concern: c.concern,
    personAsked: c.personAsked,
    personsViews: c.personsViews,
    desiredOutcomes: c.desiredOutcomes,
    decisionDueOn: c.decisionDueOn,
    decisionOverdue: v.decisionOverdue,
    decision: c.decision,
    decisionReason: c.decisionReason,
    decidedOn: c.decidedOn,
    enquiryLead: row.leadName,
    enquiryStartedOn: c.enquiryStartedOn,
    protectionPlan: c.protectionPlan,
    protectionPlanReviewOn: c.protectionPlanReviewOn,
    outcome: c.outcome,
    outcomesAchieved: c.outcomesAchieved,
    concludedOn: c.concludedOn,
    links: links.map((l) => ({ kind: l.kind, id: l.id, title: l.text, href: l.href })),
  };
}

/** GET /api/v1/people/{id}/safeguarding: the concerns the caller may see in full, and how many others are open; audited. */
export async function safeguardingForApi(ctx: ServiceContext, personId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const all = seesAllDetails(ctx.actor, person, await policyIn(tx, ctx.actor.partnershipId));
    const rows = await findConcerns(tx, ctx.actor.partnershipId, personId);
    const shown = rows.filter((r) => seesConcern(ctx.actor, all, r.concern));
    const links = await findLinks(tx, ctx.actor.partnershipId, shown.map((r) => r.concern.id));
    const available = shown.length > 0 ? await linkables(tx, ctx, person) : { note: [], 'risk-assessment': [], plan: [] };
    await audit.viewPerson(personId, { api: 'safeguarding', concerns: shown.map((r) => r.concern.id) });
    return {
      personId,
      openConcern: rows.some((r) => r.concern.status !== 'closed'),
      detailsRestricted: !all,
      concerns: shown.map((r) => apiConcern(r, today, shownLinks(links.filter((l) => l.concernId === r.concern.id), available))),
    };
  });
}

/** GET /api/v1/people/{id}/safeguarding/{concernId}: one concern with its enquiry records (404 if the caller may not see it). */
export async function concernForApi(ctx: ServiceContext, personId: string, concernId: string) {
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await visibleConcern(tx, ctx, person, concernId);
    const records = await findEnquiryRecords(tx, ctx.actor.partnershipId, concernId);
    const links = shownLinks(await findLinks(tx, ctx.actor.partnershipId, [concernId]), await linkables(tx, ctx, person));
    await audit.viewPerson(personId, { api: 'safeguarding-concern', concernId });
    return { ...apiConcern(row, today, links), enquiryRecords: records.map((r) => ({ kind: r.record.kind, heldOn: r.record.heldOn, who: r.record.who, detail: r.record.detail, dueOn: r.record.dueOn })) };
  });
}

/** POST /api/v1/people/{id}/safeguarding: raise a concern with the pages' rules; answers the concern. */
export async function raiseConcernFromApi(ctx: ServiceContext, personId: string, input: ConcernInput) {
  const created = await raiseConcern(ctx, personId, input);
  // The caller sent these details; an API token is not one of the roles that read them back later.
  return { ...apiConcern({ concern: created, raisedByName: ctx.actor.displayName, organisationName: null, decidedByName: null, leadName: null }, ctx.today(), []), enquiryRecords: [] };
}
