import { and, asc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { addDays, addMonths } from '../../domain/calendar-date.ts';
import { referenceName } from '../../domain/reference/organisations.ts';
import { normaliseNhsNumber, nhsNumberMessages, nhsNumberProblem } from '../../domain/nhs-number.ts';
import { flagCodes, legalPositionLabels, legalPositions, statuses, type Flag, type LegalPosition, type Status } from '../../domain/rules/index.ts';
import { appUser, membership, organisation } from '../../platform/db/schema.ts';
import type { FieldIssue } from '../../platform/errors/errors.ts';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { visiblePeople } from './access.queries.ts';
import { engagementLabels, engagementStatuses, ethnicCategories, ethnicLabel, type dischargePlanningStatuses } from './inputs.ts';
import { person, task, team } from './schema.ts';
import { organisationLabel } from '../../platform/plain-language.ts';

/*
 * The register list, the hospital pipeline and the lost-to-follow-up finder. Every query of
 * people is scoped by `visiblePeople(actor)` (which also pins the actor's partnership), and
 * reads the decision stored on `person`: lists never re-run the rules engine.
 */

export const PAGE_SIZE = 50;
/** A download is built in memory: beyond this many rows the view must be narrowed first. */
export const MAX_EXPORT_ROWS = 50_000;
export const REVIEW_DUE_DAYS = 30;

// ---------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------

export const statusLabels: Record<Status, string> = {
  'not-entitled': 'Not entitled',
  pending: 'Pending: detained',
  entitled: 'Entitled',
  ended: 'Ended',
  'manual-review': 'Needs a decision',
};

/** GOV.UK tag colour for each status. */
export const statusTagClasses: Record<Status, string> = {
  'not-entitled': 'govuk-tag--grey',
  pending: 'govuk-tag--blue',
  entitled: 'govuk-tag--green',
  ended: 'govuk-tag--grey',
  'manual-review': 'govuk-tag--yellow',
};

/** Short names for the rules engine's flags (their meanings are in `flagMeanings`). */
export const flagLabels: Record<Flag, string> = {
  'legal-status-needs-review': 'Legal status needs review',
  's17-leave-determination-needed': 'Section 17 leave: decision needed',
  'ordinary-residence-ambiguous': 'Ordinary residence ambiguous',
  'responsibility-unresolved': 'Responsibility unresolved',
  'conditionally-discharged': 'Conditionally discharged',
  'icb-rule-pre-2022': 'ICB rule before July 2022',
  'review-overdue': 'Review overdue',
  'no-ordinary-residence': 'No ordinary residence',
  'sos-referral-due': 'Secretary of State referral due',
};

/** The person's stored legal position in words, for the person header ("Community treatment order (CTO)"). */
export function legalStatusLabels(positions: readonly string[]): string[] {
  return legalPositions.filter((l) => positions.includes(l)).map((l) => legalPositionLabels[l]);
}

export const dischargePlanningLabels: Record<(typeof dischargePlanningStatuses)[number], string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  ready: 'Plan ready',
};

export const reviewWindows = ['due', 'overdue'] as const;
export type ReviewWindow = (typeof reviewWindows)[number];
export const reviewWindowLabels: Record<ReviewWindow, string> = {
  due: `Due in the next ${REVIEW_DUE_DAYS} days`,
  overdue: 'Overdue',
};

/**
 * Safeguarding (issue 16, item 1): people with a safeguarding concern open (waiting for the Care Act
 * 2014 s42(1) decision, or under a s42(2) enquiry). Only that a concern is open: never its details,
 * which the safeguarding module restricts.
 */
export const safeguardingWindows = ['open'] as const;
export type SafeguardingWindow = (typeof safeguardingWindows)[number];
export const safeguardingWindowLabels: Record<SafeguardingWindow, string> = { open: 'Open safeguarding concern' };

/** Whether the person has been given their section 117 rights in writing (issue 5). */
export const rightsWindows = ['never-in-writing', 'in-writing'] as const;
export type RightsWindow = (typeof rightsWindows)[number];
export const rightsWindowLabels: Record<RightsWindow, string> = {
  'never-in-writing': 'Never given their rights in writing',
  'in-writing': 'Given their rights in writing',
};

export const sortColumns = ['name', 'nhs', 'dob', 'status', 'la', 'icb', 'review'] as const;
export type SortColumn = (typeof sortColumns)[number];
export const sortOrders = ['asc', 'desc'] as const;
export type SortOrder = (typeof sortOrders)[number];

/** The value that means "nobody / not known yet" in the organisation, team and worker filters. */
export const NONE = 'none';

// ---------------------------------------------------------------------------
// Reference data the filters offer
// ---------------------------------------------------------------------------

export interface OrganisationRef {
  id: string;
  code: string;
  onsCode: string | null;
  name: string;
  type: string;
}

export interface RegisterOptions {
  organisations: OrganisationRef[];
  localAuthorities: OrganisationRef[];
  icbs: OrganisationRef[];
  teams: Array<{ id: string; name: string; organisationName: string }>;
  workers: Array<{ id: string; name: string }>;
  /** A code held on a person (LA GSS code, ICB ODS or ONS code) → the organisation's name. */
  organisationName(code: string | null): string | null;
}

/** A body outside the partnership named from the reference list of English and Welsh bodies, or null. */
function outsideBodyName(code: string): string | null {
  const name = referenceName(code);
  return name ? `${name} (outside this partnership)` : null;
}

/** The partnership's organisations, teams and practitioners: small tables, read once per page. */
export async function loadRegisterOptions(ctx: ServiceContext): Promise<RegisterOptions> {
  const partnershipId = ctx.actor.partnershipId;
  // One statement (one round trip): the partnership's bodies, teams and workers as JSON arrays.
  const [options] = await ctx.data.read(async (q) =>
    rowsOf<{ organisations: OrganisationRef[]; teams: RegisterOptions['teams']; workers: RegisterOptions['workers'] }>(
      await q.execute(sql`
        select
          (select coalesce(json_agg(json_build_object('id', o.id, 'code', o.code, 'onsCode', o.ons_code, 'name', o.name, 'type', o.type) order by o.name), '[]')
             from ${organisation} o where o.partnership_id = ${partnershipId}) as organisations,
          (select coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'organisationName', o.name) order by t.name), '[]')
             from ${team} t join ${organisation} o on o.id = t.organisation_id where t.partnership_id = ${partnershipId}) as teams,
          (select coalesce(json_agg(json_build_object('id', w.id, 'name', w.display_name) order by w.display_name, w.id), '[]')
             from (select distinct u.id, u.display_name from ${appUser} u join ${membership} m on m.user_id = u.id
                    where u.partnership_id = ${partnershipId} and u.active
                      and m.roles && array['practitioner', 'senior-practitioner', 'team-manager']::role[]) w) as workers`),
    ),
  );
  const { organisations, teams, workers } = options!;
  const byCode = new Map<string, string>();
  for (const o of organisations) {
    byCode.set(o.code, o.name);
    if (o.onsCode) byCode.set(o.onsCode, o.name);
  }
  return {
    organisations,
    localAuthorities: organisations.filter((o) => o.type === 'local-authority'),
    icbs: organisations.filter((o) => o.type === 'icb'),
    teams,
    workers,
    // A body outside the partnership by its name from the reference list ("Swindon Borough Council
    // (outside this partnership)"), else described with its code, never shown as a bare code.
    organisationName: (code) => (code ? (byCode.get(code) ?? outsideBodyName(code) ?? organisationLabel(code, () => null)) : null),
  };
}

// ---------------------------------------------------------------------------
// The register's query: parsing and SQL
// ---------------------------------------------------------------------------

export type Search = { kind: 'nhs'; nhsNumber: string } | { kind: 'name'; terms: string[] };

export interface RegisterFilter {
  /** The search box as typed (trimmed), and what it searches for. */
  q: string;
  search: Search | null;
  status: Status[];
  /** Responsible local authority: organisation codes, or NONE. */
  la: string[];
  /** Responsible ICB: organisation codes (ODS), or NONE. */
  icb: string[];
  team: string[];
  worker: string[];
  flag: Flag[];
  /** Where the person stands under the Act: on a CTO, conditionally discharged, recalled, in hospital. */
  legal: LegalPosition[];
  review: ReviewWindow[];
  rights: RightsWindow[];
  safeguarding: SafeguardingWindow[];
  engagement: Array<(typeof engagementStatuses)[number]>;
  ethnicity: string[];
  sort: SortColumn;
  order: SortOrder;
  page: number;
}

export const filterKeys = ['status', 'legal', 'la', 'icb', 'team', 'worker', 'flag', 'review', 'rights', 'safeguarding', 'engagement', 'ethnicity'] as const;
export type FilterKey = (typeof filterKeys)[number];

export const filterLabels: Record<FilterKey, string> = {
  status: 'Status',
  legal: 'Legal status',
  la: 'Responsible local authority',
  icb: 'Responsible ICB',
  team: 'Team',
  worker: 'Lead practitioner',
  flag: 'Flags',
  review: 'Review',
  rights: 'Rights in writing',
  safeguarding: 'Safeguarding',
  engagement: 'Engagement',
  ethnicity: 'Ethnicity',
};

export interface ParsedRegisterQuery {
  filter: RegisterFilter;
  /** Values that could not be used: the rest of the view still works, and says so. */
  ignored: FieldIssue[];
  /** A search that cannot be run (the search box shows the error). */
  searchError: FieldIssue | null;
}

/** At most this many values per filter are read from a URL. */
const MAX_VALUES = 100;
const MAX_SEARCH = 100;

const queryValues = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== ''));

const pageSchema = z.coerce.number({ error: 'Page number must be a whole number, like 2' }).int('Page number must be a whole number, like 2').min(1, 'Page number must be 1 or more').max(1_000_000, 'Page number is too large');

function firstValue(raw: Record<string, unknown>, key: string): string | undefined {
  return queryValues.parse(raw[key])[0];
}

/** Read the values of one filter from the query, keeping those `allowed` accepts. */
function pickValues<T extends string>(raw: Record<string, unknown>, key: FilterKey, allowed: z.ZodType<T>, describe: (value: string) => string, ignored: FieldIssue[]): T[] {
  const parsed = queryValues.safeParse(raw[key]);
  if (!parsed.success) {
    ignored.push({ path: key, message: `${filterLabels[key]}: the filter could not be read, so it was not used` });
    return [];
  }
  const kept: T[] = [];
  for (const value of parsed.data.slice(0, MAX_VALUES)) {
    const ok = allowed.safeParse(value);
    if (!ok.success) ignored.push({ path: key, message: describe(value) });
    else if (!kept.includes(ok.data)) kept.push(ok.data);
  }
  if (parsed.data.length > MAX_VALUES) ignored.push({ path: key, message: `${filterLabels[key]}: only the first ${MAX_VALUES} choices were used` });
  return kept;
}

const notAnOption = (key: FilterKey) => (value: string) => `${filterLabels[key]}: “${value.slice(0, 60)}” is not one of the choices, so it was not used`;

/** Parse the search box: an NHS number (spaces allowed) is an exact match; anything else searches names. */
export function parseSearch(input: string): { search: Search | null; error: string | null } {
  const q = input.trim().replace(/\s+/g, ' ');
  if (q === '') return { search: null, error: null };
  if (q.length > MAX_SEARCH) return { search: null, error: `Search must be ${MAX_SEARCH} characters or fewer` };
  const compact = normaliseNhsNumber(q);
  if (/^\d+$/.test(compact)) {
    const problem = nhsNumberProblem(compact);
    if (problem) return { search: null, error: problem === 'check-digit' ? nhsNumberMessages['check-digit'] : 'Enter a 10-digit NHS number, like 999 000 0018, or a name' };
    return { search: { kind: 'nhs', nhsNumber: compact }, error: null };
  }
  const terms = q
    .toLowerCase()
    .split(' ')
    .filter((t) => t !== '')
    .slice(0, 5);
  return { search: { kind: 'name', terms }, error: null };
}

/**
 * Read the register's query string. Every value is checked against what the filters offer:
 * unknown values are left out and reported, never passed to SQL, never a server error.
 */
export function parseRegisterQuery(raw: Record<string, unknown>, options: RegisterOptions): ParsedRegisterQuery {
  const ignored: FieldIssue[] = [];
  const q = (firstValue(raw, 'q') ?? '').replace(/\s+/g, ' ');
  const parsedSearch = parseSearch(q);
  const searchError = parsedSearch.error ? { path: 'q', message: parsedSearch.error } : null;

  const orgCodes = (orgs: OrganisationRef[]) => z.enum([NONE, ...orgs.map((o) => o.code)] as [string, ...string[]]);
  const filter: RegisterFilter = {
    q: q.slice(0, MAX_SEARCH),
    search: parsedSearch.search,
    status: pickValues(raw, 'status', z.enum(statuses), notAnOption('status'), ignored),
    la: pickValues(raw, 'la', orgCodes(options.localAuthorities), (v) => `${filterLabels.la}: “${v.slice(0, 60)}” is not a local authority in this partnership, so it was not used`, ignored),
    icb: pickValues(raw, 'icb', orgCodes(options.icbs), (v) => `${filterLabels.icb}: “${v.slice(0, 60)}” is not an ICB in this partnership, so it was not used`, ignored),
    team: pickValues(raw, 'team', z.enum([NONE, ...options.teams.map((t) => t.id)] as [string, ...string[]]), (v) => `${filterLabels.team}: “${v.slice(0, 60)}” is not a team in this partnership, so it was not used`, ignored),
    worker: pickValues(raw, 'worker', z.enum([NONE, ...options.workers.map((w) => w.id)] as [string, ...string[]]), (v) => `${filterLabels.worker}: “${v.slice(0, 60)}” is not a practitioner in this partnership, so it was not used`, ignored),
    flag: pickValues(raw, 'flag', z.enum(flagCodes), notAnOption('flag'), ignored),
    legal: pickValues(raw, 'legal', z.enum(legalPositions), notAnOption('legal'), ignored),
    review: pickValues(raw, 'review', z.enum(reviewWindows), notAnOption('review'), ignored),
    rights: pickValues(raw, 'rights', z.enum(rightsWindows), notAnOption('rights'), ignored),
    safeguarding: pickValues(raw, 'safeguarding', z.enum(safeguardingWindows), notAnOption('safeguarding'), ignored),
    engagement: pickValues(raw, 'engagement', z.enum(engagementStatuses), notAnOption('engagement'), ignored),
    ethnicity: pickValues(raw, 'ethnicity', z.enum(ethnicCategories.map(([c]) => c) as [string, ...string[]]), notAnOption('ethnicity'), ignored),
    sort: 'name',
    order: 'asc',
    page: 1,
  };

  const sort = firstValue(raw, 'sort');
  if (sort !== undefined) {
    const parsed = z.enum(sortColumns).safeParse(sort);
    if (parsed.success) filter.sort = parsed.data;
    else ignored.push({ path: 'sort', message: `The list cannot be sorted by “${sort.slice(0, 60)}”, so it is sorted by name` });
  }
  const order = firstValue(raw, 'order');
  if (order !== undefined) {
    const parsed = z.enum(sortOrders).safeParse(order);
    if (parsed.success) filter.order = parsed.data;
    else ignored.push({ path: 'order', message: 'The sort order must be “asc” or “desc”, so it is ascending' });
  }
  const page = firstValue(raw, 'page');
  if (page !== undefined) {
    const parsed = pageSchema.safeParse(page);
    if (parsed.success) filter.page = parsed.data;
    else ignored.push({ path: 'page', message: `${parsed.error.issues[0]?.message ?? 'Page number is not valid'}: showing the first page` });
  }
  return { filter, ignored, searchError };
}

/** The filter as query-string pairs (defaults left out), to build links that keep the view. */
export function filterParams(filter: RegisterFilter, options: { page?: boolean; sort?: boolean } = {}): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (filter.q) pairs.push(['q', filter.q]);
  for (const key of filterKeys) for (const value of filter[key]) pairs.push([key, value]);
  if (options.sort !== false) {
    if (filter.sort !== 'name') pairs.push(['sort', filter.sort]);
    if (filter.order !== 'asc') pairs.push(['order', filter.order]);
  }
  if (options.page && filter.page > 1) pairs.push(['page', String(filter.page)]);
  return pairs;
}

/** The filter as recorded in the audit trail of an export: only what was chosen. */
export function filterSummary(filter: RegisterFilter): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  if (filter.q) summary.q = filter.q;
  for (const key of filterKeys) if (filter[key].length > 0) summary[key] = [...filter[key]];
  summary.sort = filter.sort;
  summary.order = filter.order;
  return summary;
}

const likeEscape = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Codes a responsible body may be stored under, for the organisations chosen (ICBs have two). */
function codesFor(selected: string[], orgs: OrganisationRef[]): string[] {
  return orgs.filter((o) => selected.includes(o.code)).flatMap((o) => (o.onsCode ? [o.code, o.onsCode] : [o.code]));
}

function withNone(column: AnyPgColumn, selected: string[], values: string[]): SQL | undefined {
  const parts: SQL[] = [];
  if (values.length > 0) parts.push(inArray(column, values));
  if (selected.includes(NONE)) parts.push(isNull(column));
  return parts.length === 0 ? undefined : or(...parts);
}

/** WHERE for the register: what the actor may see, narrowed by the search and filters. */
export function registerWhere(ctx: ServiceContext, filter: RegisterFilter, options: RegisterOptions, today: string): SQL {
  const conditions: Array<SQL | undefined> = [visiblePeople(ctx.actor)];
  if (filter.search?.kind === 'nhs') conditions.push(eq(person.nhsNumber, filter.search.nhsNumber));
  if (filter.search?.kind === 'name') {
    for (const term of filter.search.terms) {
      const pattern = `%${likeEscape(term)}%`;
      conditions.push(sql`(lower(${person.givenName}) like ${pattern} or lower(${person.familyName}) like ${pattern})`);
    }
  }
  if (filter.status.length > 0) conditions.push(inArray(person.status, filter.status));
  if (filter.la.length > 0) conditions.push(withNone(person.responsibleLocalAuthority, filter.la, codesFor(filter.la, options.localAuthorities)) ?? sql`false`);
  if (filter.icb.length > 0) conditions.push(withNone(person.responsibleIcb, filter.icb, codesFor(filter.icb, options.icbs)) ?? sql`false`);
  if (filter.team.length > 0) conditions.push(withNone(person.allocatedTeamId, filter.team, filter.team.filter((t) => t !== NONE)) ?? sql`false`);
  if (filter.worker.length > 0) conditions.push(withNone(person.leadPractitionerId, filter.worker, filter.worker.filter((w) => w !== NONE)) ?? sql`false`);
  if (filter.flag.length > 0) conditions.push(sql`${person.flags} && array[${sql.join(filter.flag.map((f) => sql`${f}`), sql`, `)}]::text[]`);
  // Any of the positions chosen (person_legal_position_idx serves the overlap).
  if (filter.legal.length > 0) conditions.push(sql`${person.legalPosition} && array[${sql.join(filter.legal.map((l) => sql`${l}`), sql`, `)}]::text[]`);
  if (filter.review.length > 0) {
    const windows: SQL[] = [];
    if (filter.review.includes('overdue')) windows.push(sql`${person.nextReviewDue} < ${today}`);
    if (filter.review.includes('due')) windows.push(sql`${person.nextReviewDue} between ${today} and ${addDays(today, REVIEW_DUE_DAYS)}`);
    conditions.push(or(...windows));
  }
  if (filter.rights.length === 1) {
    conditions.push(filter.rights[0] === 'never-in-writing' ? isNull(person.rightsGivenInWritingOn) : isNotNull(person.rightsGivenInWritingOn));
  }
  // The safeguarding module's table, named here rather than imported (the register is the hub others
  // depend on); safeguarding_concern_person_idx serves it.
  if (filter.safeguarding.includes('open')) conditions.push(sql`exists (select 1 from safeguarding_concern sc where sc.partnership_id = ${person.partnershipId} and sc.person_id = ${person.id} and sc.status <> 'closed')`);
  if (filter.engagement.length > 0) conditions.push(inArray(person.engagement, filter.engagement));
  if (filter.ethnicity.length > 0) conditions.push(inArray(person.ethnicity, filter.ethnicity));
  return and(...conditions)!;
}

/** Rank of a code in the organisations sorted by the names people see, so sorting follows the names. */
function byName(column: AnyPgColumn, orgs: OrganisationRef[]): SQL {
  const sorted = [...orgs].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  if (sorted.length === 0) return sql`null::int`;
  // An ICB's ODS and ONS codes share its rank; codes of other bodies sort after these.
  const cases = sorted.flatMap((o, rank) => (o.onsCode ? [o.code, o.onsCode] : [o.code]).map((code) => sql`when ${column} = ${code} then ${rank}::int`));
  return sql`(case when ${column} is null then null::int ${sql.join(cases, sql` `)} else ${sorted.length}::int end)`;
}

const statusOrder = [...statuses].sort((a, b) => statusLabels[a].localeCompare(statusLabels[b], 'en-GB'));

/** ORDER BY for the register: the chosen column, then name and id, so pages never overlap. */
export function registerOrder(filter: RegisterFilter, options: RegisterOptions): SQL[] {
  const dir = filter.order === 'desc' ? sql`desc` : sql`asc`;
  const name = [sql`lower(${person.familyName}) ${dir}`, sql`lower(${person.givenName}) ${dir}`];
  const tail = [sql`${person.id} ${dir}`];
  switch (filter.sort) {
    case 'name':
      return [...name, ...tail];
    case 'nhs':
      return [sql`${person.nhsNumber} ${dir}`];
    case 'dob':
      return [sql`${person.dateOfBirth} ${dir}`, ...name, ...tail];
    case 'status':
      return [sql`array_position(array[${sql.join(statusOrder.map((s) => sql`${s}`), sql`, `)}]::text[], ${person.status}::text) ${dir}`, ...name, ...tail];
    case 'la':
      return [sql`${byName(person.responsibleLocalAuthority, options.localAuthorities)} ${dir} nulls last`, sql`${person.responsibleLocalAuthority} ${dir} nulls last`, ...name, ...tail];
    case 'icb':
      return [sql`${byName(person.responsibleIcb, options.icbs)} ${dir} nulls last`, sql`${person.responsibleIcb} ${dir} nulls last`, ...name, ...tail];
    case 'review':
      return [sql`${person.nextReviewDue} ${dir} nulls last`, ...name, ...tail];
  }
}

const registerColumns = {
  id: person.id,
  nhsNumber: person.nhsNumber,
  givenName: person.givenName,
  familyName: person.familyName,
  dateOfBirth: person.dateOfBirth,
  status: person.status,
  entitlementStart: person.entitlementStart,
  responsibleLocalAuthority: person.responsibleLocalAuthority,
  responsibleIcb: person.responsibleIcb,
  nextReviewDue: person.nextReviewDue,
  flags: person.flags,
  legalPosition: person.legalPosition,
  engagement: person.engagement,
  ethnicity: person.ethnicity,
  lastContactOn: person.lastContactOn,
  teamName: team.name,
  leadPractitionerName: appUser.displayName,
};
export type RegisterRow = {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  status: Status;
  entitlementStart: string | null;
  responsibleLocalAuthority: string | null;
  responsibleIcb: string | null;
  nextReviewDue: string | null;
  flags: string[];
  legalPosition: string[];
  engagement: (typeof engagementStatuses)[number];
  ethnicity: string;
  lastContactOn: string | null;
  teamName: string | null;
  leadPractitionerName: string | null;
};

function registerSelect(q: DbOrTx) {
  return q
    .select(registerColumns)
    .from(person)
    .leftJoin(team, and(eq(team.partnershipId, person.partnershipId), eq(team.id, person.allocatedTeamId)))
    // Only a lead practitioner of the same partnership is named.
    .leftJoin(appUser, and(eq(appUser.id, person.leadPractitionerId), eq(appUser.partnershipId, person.partnershipId)));
}

async function countPeople(q: DbOrTx, where: SQL): Promise<number> {
  const rows = await q.select({ n: sql<number>`count(*)::int` }).from(person).where(where);
  return rows[0]?.n ?? 0;
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** Counts above this are shown as "more than 1,000": counting every match of a broad filter over 200,000 people is the slowest part of the page. */
export const COUNT_CAP = 1000;

/**
 * Count matches, but stop after `cap`: enough to page through (the cap always reaches one
 * row past the page asked for) without scanning every match of a broad filter.
 */
async function countPeopleUpTo(q: DbOrTx, where: SQL, cap: number): Promise<{ total: number; exact: boolean }> {
  const matches = q.select({ one: sql`1` }).from(person).where(where).limit(cap + 1).as('matches');
  const rows = await q.select({ n: sql<number>`count(*)::int` }).from(matches);
  const n = rows[0]?.n ?? 0;
  return n > cap ? { total: cap, exact: false } : { total: n, exact: true };
}

/**
 * One page of the register: a (capped) count, then the page; a page past the end shows the
 * last one. `exact` is false when there are more than `total` matches.
 */
export async function registerPage(ctx: ServiceContext, filter: RegisterFilter, options: RegisterOptions, today: string): Promise<{ rows: RegisterRow[]; total: number; exact: boolean; page: number }> {
  return ctx.data.read(async (q) => {
    const where = registerWhere(ctx, filter, options, today);
    const { total, exact } = await countPeopleUpTo(q, where, Math.max(COUNT_CAP, filter.page * PAGE_SIZE));
    const page = Math.min(filter.page, pageCount(exact ? total : total + 1));
    if (total === 0) return { rows: [], total, exact, page };
    const rows = await registerSelect(q)
      .where(where)
      .orderBy(...registerOrder(filter, options))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE);
    return { rows, total, exact, page };
  });
}

/**
 * The header's "Find a person" (issue 15, item 5): the ids of at most two people the register's
 * search finds, with the register's own rules (the actor's partnership and who they may see), so
 * one match can go straight to the person and more go to the register.
 */
export async function findPeopleIds(ctx: ServiceContext, filter: RegisterFilter, options: RegisterOptions, today: string): Promise<string[]> {
  return ctx.data.read(async (q) => {
    const rows = await q.select({ id: person.id }).from(person).where(registerWhere(ctx, filter, options, today)).orderBy(person.id).limit(2);
    return rows.map((r) => r.id);
  });
}

/** Every row of the view, for a download; `tooMany` when it is over MAX_EXPORT_ROWS. */
export async function registerExportRows(ctx: ServiceContext, filter: RegisterFilter, options: RegisterOptions, today: string): Promise<{ rows: RegisterRow[]; total: number; tooMany: boolean }> {
  return ctx.data.read(async (q) => {
    const where = registerWhere(ctx, filter, options, today);
    const total = await countPeople(q, where);
    if (total > MAX_EXPORT_ROWS) return { rows: [], total, tooMany: true };
    const rows = total === 0 ? [] : await registerSelect(q).where(where).orderBy(...registerOrder(filter, options));
    return { rows, total: rows.length, tooMany: false };
  });
}

export function describeEngagement(value: (typeof engagementStatuses)[number]): string {
  return engagementLabels[value] ?? value;
}

export function describeEthnicity(code: string): string {
  return ethnicLabel(code);
}

// ---------------------------------------------------------------------------
// Hospital pipeline
// ---------------------------------------------------------------------------

export interface PipelineRow {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  expectedDischargeOn: string | null;
  dischargePlanning: (typeof dischargePlanningStatuses)[number];
  responsibleLocalAuthority: string | null;
  responsibleIcb: string | null;
  hospital: string | null;
  teamName: string | null;
}

function pipelineWhere(ctx: ServiceContext, la: string[], options: RegisterOptions): SQL {
  const conditions: Array<SQL | undefined> = [visiblePeople(ctx.actor), eq(person.status, 'pending')];
  if (la.length > 0) conditions.push(withNone(person.responsibleLocalAuthority, la, codesFor(la, options.localAuthorities)) ?? sql`false`);
  return and(...conditions)!;
}

function pipelineSelect(q: DbOrTx, where: SQL) {
  return q
    .select({
      id: person.id,
      nhsNumber: person.nhsNumber,
      givenName: person.givenName,
      familyName: person.familyName,
      expectedDischargeOn: person.expectedDischargeOn,
      dischargePlanning: person.dischargePlanning,
      responsibleLocalAuthority: person.responsibleLocalAuthority,
      responsibleIcb: person.responsibleIcb,
      teamName: team.name,
      // The hospital of the latest detention (legal_event_person_idx serves this per row).
      hospital: sql<string | null>`(select e.hospital from legal_event e where e.partnership_id = ${person.partnershipId} and e.person_id = ${person.id} and e.voided_at is null and e.type = 'detention-started' order by e.occurred_on desc, e.sequence desc limit 1)`,
    })
    .from(person)
    .leftJoin(team, and(eq(team.partnershipId, person.partnershipId), eq(team.id, person.allocatedTeamId)))
    .where(where)
    .orderBy(sql`${person.expectedDischargeOn} asc nulls last`, sql`lower(${person.familyName})`, sql`lower(${person.givenName})`, person.id);
}

/** People detained on a qualifying section (status pending) the actor may see, soonest discharge first. */
export async function pipelinePage(ctx: ServiceContext, la: string[], page: number, options: RegisterOptions): Promise<{ rows: PipelineRow[]; total: number; page: number }> {
  return ctx.data.read(async (q) => {
    const where = pipelineWhere(ctx, la, options);
    const total = await countPeople(q, where);
    const current = Math.min(page, pageCount(total));
    if (total === 0) return { rows: [], total, page: current };
    const rows = await pipelineSelect(q, where)
      .limit(PAGE_SIZE)
      .offset((current - 1) * PAGE_SIZE);
    return { rows, total, page: current };
  });
}

/** The whole pipeline view for a download, up to `limit` rows (the caller refuses more). */
export async function pipelineRows(ctx: ServiceContext, la: string[], options: RegisterOptions, limit: number): Promise<{ rows: PipelineRow[]; total: number }> {
  return ctx.data.read(async (q) => {
    const where = pipelineWhere(ctx, la, options);
    const total = await countPeople(q, where);
    if (total === 0 || total > limit) return { rows: [], total };
    return { rows: await pipelineSelect(q, where).limit(limit), total };
  });
}

// ---------------------------------------------------------------------------
// Lost to follow-up
// ---------------------------------------------------------------------------

export const DEFAULT_MONTHS = 6;

export const monthsSchema = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return DEFAULT_MONTHS;
    if (!/^\d+$/.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'Number of months must be a whole number, like 6' });
      return z.NEVER;
    }
    const n = Number(v);
    if (n < 1 || n > 36) {
      ctx.addIssue({ code: 'custom', message: 'Number of months must be between 1 and 36' });
      return z.NEVER;
    }
    return n;
  });

export interface LostRow {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  responsibleLocalAuthority: string | null;
  allocatedTeamId: string | null;
  teamName: string | null;
  lastContactOn: string | null;
  nextReviewDue: string | null;
  responsibleIcb: string | null;
  involvedOrganisations: string[];
  partnershipId: string;
}

export type LostReason = { kind: 'no-team' } | { kind: 'no-contact'; lastContactOn: string | null } | { kind: 'review-overdue'; nextReviewDue: string };

function lostWhere(ctx: ServiceContext, months: number, today: string, la: string[] = [], options?: RegisterOptions): SQL {
  const cutoff = addMonths(today, -months);
  return and(
    visiblePeople(ctx.actor),
    eq(person.status, 'entitled'),
    or(isNull(person.allocatedTeamId), isNull(person.lastContactOn), sql`${person.lastContactOn} < ${cutoff}`, sql`${person.nextReviewDue} < ${today}`),
    la.length > 0 && options ? (withNone(person.responsibleLocalAuthority, la, codesFor(la, options.localAuthorities)) ?? sql`false`) : undefined,
  )!;
}

/** Why someone is on the finder, most pressing first. */
export function lostReasons(row: Pick<LostRow, 'allocatedTeamId' | 'lastContactOn' | 'nextReviewDue'>, months: number, today: string): LostReason[] {
  const reasons: LostReason[] = [];
  if (row.nextReviewDue !== null && row.nextReviewDue < today) reasons.push({ kind: 'review-overdue', nextReviewDue: row.nextReviewDue });
  if (row.lastContactOn === null || row.lastContactOn < addMonths(today, -months)) reasons.push({ kind: 'no-contact', lastContactOn: row.lastContactOn });
  if (row.allocatedTeamId === null) reasons.push({ kind: 'no-team' });
  return reasons;
}

const lostColumns = {
  id: person.id,
  partnershipId: person.partnershipId,
  nhsNumber: person.nhsNumber,
  givenName: person.givenName,
  familyName: person.familyName,
  responsibleLocalAuthority: person.responsibleLocalAuthority,
  responsibleIcb: person.responsibleIcb,
  involvedOrganisations: person.involvedOrganisations,
  allocatedTeamId: person.allocatedTeamId,
  teamName: team.name,
  lastContactOn: person.lastContactOn,
  nextReviewDue: person.nextReviewDue,
};

function lostSelect(q: DbOrTx, where: SQL) {
  return q
    .select(lostColumns)
    .from(person)
    .leftJoin(team, and(eq(team.partnershipId, person.partnershipId), eq(team.id, person.allocatedTeamId)))
    .where(where)
    .orderBy(sql`${person.lastContactOn} asc nulls first`, sql`${person.nextReviewDue} asc nulls last`, sql`lower(${person.familyName})`, sql`lower(${person.givenName})`, person.id);
}

/** Entitled people with no allocated team, no contact in `months` months, or an overdue review. */
export async function lostToFollowUpPage(
  ctx: ServiceContext,
  months: number,
  page: number,
  today: string,
  la: string[],
  options: RegisterOptions,
): Promise<{ rows: LostRow[]; total: number; page: number; openFollowUps: Map<string, string | null> }> {
  return ctx.data.read(async (q) => {
    const where = lostWhere(ctx, months, today, la, options);
    const total = await countPeople(q, where);
    const current = Math.min(page, pageCount(total));
    if (total === 0) return { rows: [], total, page: current, openFollowUps: new Map() };
    const rows = await lostSelect(q, where)
      .limit(PAGE_SIZE)
      .offset((current - 1) * PAGE_SIZE);
    return { rows, total, page: current, openFollowUps: await openFollowUpTasks(ctx, rows.map((r) => r.id)) };
  });
}

/** The whole finder view for a download, up to `limit` rows (the caller refuses more). */
export async function lostToFollowUpRows(
  ctx: ServiceContext,
  months: number,
  today: string,
  la: string[],
  options: RegisterOptions,
  limit: number,
): Promise<{ rows: LostRow[]; total: number; openFollowUps: Map<string, string | null> }> {
  return ctx.data.read(async (q) => {
    const where = lostWhere(ctx, months, today, la, options);
    const total = await countPeople(q, where);
    if (total === 0 || total > limit) return { rows: [], total, openFollowUps: new Map() };
    const rows = await lostSelect(q, where).limit(limit);
    return { rows, total, openFollowUps: await openFollowUpTasks(ctx, rows.map((r) => r.id)) };
  });
}

/** One person, if they are (still) on the finder for `months`. */
export async function findLostPerson(ctx: ServiceContext, personId: string, months: number, today: string): Promise<LostRow | null> {
  return ctx.data.read(async (q) => {
    const rows = await q
      .select(lostColumns)
      .from(person)
      .leftJoin(team, and(eq(team.partnershipId, person.partnershipId), eq(team.id, person.allocatedTeamId)))
      .where(and(lostWhere(ctx, months, today), eq(person.id, personId)));
    return rows[0] ?? null;
  });
}

/** A person the actor may see, by id, with their name: null when there is none they may see. */
export async function findVisiblePerson(ctx: ServiceContext, personId: string): Promise<{ id: string; givenName: string; familyName: string } | null> {
  return ctx.data.read(async (q) => {
    const rows = await q
      .select({ id: person.id, givenName: person.givenName, familyName: person.familyName })
      .from(person)
      .where(and(visiblePeople(ctx.actor), eq(person.id, personId)));
    return rows[0] ?? null;
  });
}

/** Open follow-up tasks of these people: person id → due date. */
export async function openFollowUpTasks(ctx: ServiceContext, personIds: string[]): Promise<Map<string, string | null>> {
  if (personIds.length === 0) return new Map<string, string | null>();
  return ctx.data.read(async (q) => {
    const rows = await q
      .select({ personId: task.personId, dueOn: task.dueOn })
      .from(task)
      .where(and(eq(task.partnershipId, ctx.actor.partnershipId), inArray(task.personId, personIds), eq(task.kind, 'follow-up'), eq(task.status, 'open')))
      .orderBy(asc(task.dueOn));
    const map = new Map<string, string | null>();
    for (const r of rows) if (!map.has(r.personId)) map.set(r.personId, r.dueOn);
    return map;
  });
}
