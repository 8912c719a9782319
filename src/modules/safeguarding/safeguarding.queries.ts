import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';
import { protectionMeeting, safeguardingConcern, safeguardingEnquiryRecord, safeguardingLink, safeguardingSettings } from './schema.ts';

/* The safeguarding module's data layer, handed the door's handle by the service (row-level security applies). */

export type ConcernRow = typeof safeguardingConcern.$inferSelect;
export type EnquiryRecordRow = typeof safeguardingEnquiryRecord.$inferSelect;
export type ProtectionMeetingRow = typeof protectionMeeting.$inferSelect;

const raiser = alias(appUser, 'raiser');
const decider = alias(appUser, 'decider');
const lead = alias(appUser, 'lead');

const concernColumns = { concern: safeguardingConcern, raisedByName: raiser.displayName, organisationName: organisation.name, decidedByName: decider.displayName, leadName: lead.displayName };

function concernsSelect(q: DbOrTx) {
  return q
    .select(concernColumns)
    .from(safeguardingConcern)
    .leftJoin(raiser, eq(raiser.id, safeguardingConcern.raisedBy))
    .leftJoin(organisation, eq(organisation.id, safeguardingConcern.raisedForOrganisationId))
    .leftJoin(decider, eq(decider.id, safeguardingConcern.decidedBy))
    .leftJoin(lead, eq(lead.id, safeguardingConcern.enquiryLeadId));
}

export type ConcernWithNames = Awaited<ReturnType<typeof findConcerns>>[number];

/** A person's concerns, open ones first, newest first. */
export async function findConcerns(q: DbOrTx, partnershipId: string, personId: string) {
  return concernsSelect(q)
    .where(and(eq(safeguardingConcern.partnershipId, partnershipId), eq(safeguardingConcern.personId, personId)))
    .orderBy(sql`${safeguardingConcern.status} = 'closed'`, desc(safeguardingConcern.raisedOn), desc(safeguardingConcern.createdAt));
}

export async function findConcern(q: DbOrTx, partnershipId: string, personId: string, id: string, lock = false) {
  const query = concernsSelect(q).where(and(eq(safeguardingConcern.partnershipId, partnershipId), eq(safeguardingConcern.personId, personId), eq(safeguardingConcern.id, id)));
  return (await (lock ? query.for('update', { of: safeguardingConcern }) : query))[0] ?? null;
}

export async function insertConcern(q: DbOrTx, values: typeof safeguardingConcern.$inferInsert): Promise<ConcernRow> {
  return (await q.insert(safeguardingConcern).values(values).returning())[0]!;
}

export type ConcernChange = Partial<Omit<ConcernRow, 'partnershipId' | 'id' | 'personId' | 'createdAt' | 'updatedAt' | 'version'>>;

export async function updateConcernAtVersion(q: DbOrTx, partnershipId: string, id: string, version: number, values: ConcernChange): Promise<ConcernRow[]> {
  return q
    .update(safeguardingConcern)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${safeguardingConcern.version} + 1` })
    .where(and(eq(safeguardingConcern.partnershipId, partnershipId), eq(safeguardingConcern.id, id), eq(safeguardingConcern.version, version)))
    .returning();
}

/** For the person page, not awaited: the person's open concerns (status and dates only: the flag). */
export function openConcernsQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ id: safeguardingConcern.id, status: safeguardingConcern.status, raisedOn: safeguardingConcern.raisedOn, decisionDueOn: safeguardingConcern.decisionDueOn, raisedBy: safeguardingConcern.raisedBy, enquiryLeadId: safeguardingConcern.enquiryLeadId })
    .from(safeguardingConcern)
    .where(and(eq(safeguardingConcern.partnershipId, partnershipId), eq(safeguardingConcern.personId, personId), ne(safeguardingConcern.status, 'closed')))
    .orderBy(desc(safeguardingConcern.raisedOn));
}

/** For the person page, not awaited: the partnership's settings row (or none). */
export function settingsQuery(q: DbOrTx, partnershipId: string) {
  return q.select().from(safeguardingSettings).where(eq(safeguardingSettings.partnershipId, partnershipId));
}

export async function findEnquiryRecords(q: DbOrTx, partnershipId: string, concernId: string) {
  return q
    .select({ record: safeguardingEnquiryRecord, recordedByName: appUser.displayName })
    .from(safeguardingEnquiryRecord)
    .leftJoin(appUser, eq(appUser.id, safeguardingEnquiryRecord.recordedBy))
    .where(and(eq(safeguardingEnquiryRecord.partnershipId, partnershipId), eq(safeguardingEnquiryRecord.concernId, concernId)))
    .orderBy(asc(safeguardingEnquiryRecord.heldOn), asc(safeguardingEnquiryRecord.createdAt));
}

export async function insertEnquiryRecord(q: DbOrTx, values: typeof safeguardingEnquiryRecord.$inferInsert): Promise<EnquiryRecordRow> {
  return (await q.insert(safeguardingEnquiryRecord).values(values).returning())[0]!;
}

export async function findProtectionMeetings(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ meeting: protectionMeeting, recordedByName: appUser.displayName })
    .from(protectionMeeting)
    .leftJoin(appUser, eq(appUser.id, protectionMeeting.recordedBy))
    .where(and(eq(protectionMeeting.partnershipId, partnershipId), eq(protectionMeeting.personId, personId)))
    .orderBy(desc(protectionMeeting.heldOn), desc(protectionMeeting.createdAt));
}

export async function insertProtectionMeeting(q: DbOrTx, values: typeof protectionMeeting.$inferInsert): Promise<ProtectionMeetingRow> {
  return (await q.insert(protectionMeeting).values(values).returning())[0]!;
}

/** The organisation of the partnership with this code (a local authority's ONS code), or null. */
export async function findOrganisationByCode(q: DbOrTx, partnershipId: string, code: string): Promise<string | null> {
  const rows = await q
    .select({ id: organisation.id })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), or(eq(organisation.code, code), eq(organisation.onsCode, code))));
  return rows[0]?.id ?? null;
}

/** Active users of one organisation holding any of `roles`: who may lead an enquiry. */
export async function findOrganisationUsers(q: DbOrTx, partnershipId: string, organisationId: string, roles: readonly string[]) {
  const rows = await q
    .select({ id: appUser.id, name: appUser.displayName, roles: membership.roles })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.partnershipId, partnershipId), eq(membership.organisationId, organisationId), eq(appUser.active, true)))
    .orderBy(asc(appUser.displayName));
  return rows.filter((r) => r.roles.some((role) => roles.includes(role))).map((r) => ({ id: r.id, name: r.name }));
}

/** Concerns waiting for a decision about the people `visible` selects (the queue), oldest first. */
export async function findAwaitingDecision(q: DbOrTx, partnershipId: string, visible: SQL) {
  return q
    .select({ concern: safeguardingConcern, givenName: person.givenName, familyName: person.familyName, nhsNumber: person.nhsNumber, responsibleLocalAuthority: person.responsibleLocalAuthority })
    .from(safeguardingConcern)
    .innerJoin(person, and(eq(person.partnershipId, safeguardingConcern.partnershipId), eq(person.id, safeguardingConcern.personId)))
    .where(and(eq(safeguardingConcern.partnershipId, partnershipId), eq(safeguardingConcern.status, 'awaiting-decision'), visible))
    .orderBy(asc(safeguardingConcern.decisionDueOn))
    .limit(500);
}

/** Undecided concerns past their due date, across the partnership (the overdue reminder job). */
export async function findOverdueDecisions(q: DbOrTx, partnershipId: string, today: string) {
  return q
    .select({ concern: safeguardingConcern, givenName: person.givenName, familyName: person.familyName, responsibleLocalAuthority: person.responsibleLocalAuthority })
    .from(safeguardingConcern)
    .innerJoin(person, and(eq(person.partnershipId, safeguardingConcern.partnershipId), eq(person.id, safeguardingConcern.personId)))
    .where(and(eq(safeguardingConcern.partnershipId, partnershipId), eq(safeguardingConcern.status, 'awaiting-decision'), lt(safeguardingConcern.decisionDueOn, today)))
    .limit(1000);
}

/** Concerns (with enough to count) about the people `visible` selects raised on or after `since` and before `until`. */
export async function findConcernsForFigures(q: DbOrTx, partnershipId: string, visible: SQL, since: string, until: string) {
  return q
    .select({
      id: safeguardingConcern.id,
      raisedOn: safeguardingConcern.raisedOn,
      categories: safeguardingConcern.categories,
      location: safeguardingConcern.location,
      riskSource: safeguardingConcern.riskSource,
      status: safeguardingConcern.status,
      decision: safeguardingConcern.decision,
      decidedOn: safeguardingConcern.decidedOn,
      decisionDueOn: safeguardingConcern.decisionDueOn,
      enquiryStartedOn: safeguardingConcern.enquiryStartedOn,
      concludedOn: safeguardingConcern.concludedOn,
      outcome: safeguardingConcern.outcome,
      outcomesAchieved: safeguardingConcern.outcomesAchieved,
      personAsked: safeguardingConcern.personAsked,
      desiredOutcomes: safeguardingConcern.desiredOutcomes,
    })
    .from(safeguardingConcern)
    .innerJoin(person, and(eq(person.partnershipId, safeguardingConcern.partnershipId), eq(person.id, safeguardingConcern.personId)))
    .where(
      and(
        eq(safeguardingConcern.partnershipId, partnershipId),
        visible,
        // Raised, decided, started or concluded in the period: each figure picks its own.
        or(
          and(gte(safeguardingConcern.raisedOn, since), lt(safeguardingConcern.raisedOn, until)),
          and(gte(safeguardingConcern.decidedOn, since), lt(safeguardingConcern.decidedOn, until)),
          and(gte(safeguardingConcern.concludedOn, since), lt(safeguardingConcern.concludedOn, until)),
        ),
      ),
    );
}

/** How many enquiries are open about the people `visible` selects. */
export async function countOpenEnquiries(q: DbOrTx, partnershipId: string, visible: SQL): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(safeguardingConcern)
    .innerJoin(person, and(eq(person.partnershipId, safeguardingConcern.partnershipId), eq(person.id, safeguardingConcern.personId)))
    .where(and(eq(safeguardingConcern.partnershipId, partnershipId), eq(safeguardingConcern.status, 'enquiry'), visible));
  return row?.n ?? 0;
}

/** Protection plans due for review on or before `by`, about people `visible` selects. */
export async function countPlansDueForReview(q: DbOrTx, partnershipId: string, visible: SQL, by: string): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(safeguardingConcern)
    .innerJoin(person, and(eq(person.partnershipId, safeguardingConcern.partnershipId), eq(person.id, safeguardingConcern.personId)))
    .where(and(eq(safeguardingConcern.partnershipId, partnershipId), eq(safeguardingConcern.status, 'enquiry'), isNotNull(safeguardingConcern.protectionPlanReviewOn), sql`${safeguardingConcern.protectionPlanReviewOn} <= ${by}`, visible));
  return row?.n ?? 0;
}

/** Which of these people have an open concern (for lists). */
export async function peopleWithOpenConcern(q: DbOrTx, partnershipId: string, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await q
    .selectDistinct({ personId: safeguardingConcern.personId })
    .from(safeguardingConcern)
    .where(and(eq(safeguardingConcern.partnershipId, partnershipId), inArray(safeguardingConcern.personId, personIds), ne(safeguardingConcern.status, 'closed')));
  return new Set(rows.map((r) => r.personId));
}

export async function findSettings(q: DbOrTx, partnershipId: string) {
  return (await q.select().from(safeguardingSettings).where(eq(safeguardingSettings.partnershipId, partnershipId)))[0] ?? null;
}

export async function ensureSettings(q: DbOrTx, partnershipId: string, defaults: { restrictedRoles: string[]; decisionWorkingDays: number }) {
  await q.insert(safeguardingSettings).values({ partnershipId, ...defaults }).onConflictDoNothing();
  return (await findSettings(q, partnershipId))!;
}

export async function updateSettingsAtVersion(q: DbOrTx, partnershipId: string, version: number, values: { restrictedRoles: string[]; decisionWorkingDays: number }, updatedBy: string | null) {
  return q
    .update(safeguardingSettings)
    .set({ ...values, updatedBy, updatedAt: sql`now()`, version: sql`${safeguardingSettings.version} + 1` })
    .where(and(eq(safeguardingSettings.partnershipId, partnershipId), eq(safeguardingSettings.version, version)))
    .returning();
}

/* ---------- Links to notes, risk assessments and plans ---------- */

export type LinkRow = typeof safeguardingLink.$inferSelect;

/** One concern's links (or, with several ids, theirs), oldest first. */
export async function findLinks(q: DbOrTx, partnershipId: string, concernIds: string[]): Promise<LinkRow[]> {
  if (concernIds.length === 0) return [];
  return q
    .select()
    .from(safeguardingLink)
    .where(and(eq(safeguardingLink.partnershipId, partnershipId), inArray(safeguardingLink.concernId, concernIds)))
    .orderBy(asc(safeguardingLink.createdAt));
}

export async function insertLinks(q: DbOrTx, values: Array<typeof safeguardingLink.$inferInsert>): Promise<void> {
  if (values.length > 0) await q.insert(safeguardingLink).values(values);
}

export async function deleteLinks(q: DbOrTx, partnershipId: string, concernId: string, links: Array<{ kind: string; itemId: string }>): Promise<void> {
  for (const l of links) {
    await q
      .delete(safeguardingLink)
      .where(and(eq(safeguardingLink.partnershipId, partnershipId), eq(safeguardingLink.concernId, concernId), eq(safeguardingLink.kind, l.kind), eq(safeguardingLink.itemId, l.itemId)));
  }
}
