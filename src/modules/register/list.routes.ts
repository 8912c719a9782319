import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pagination } from '../../platform/views/pagination.ts';
import { toDayNumber } from '../../domain/calendar-date.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { flagCodes, legalPositionLabels, legalPositions, statuses, type Flag, type LegalPosition } from '../../domain/rules/index.ts';
import { can, canOnPerson } from '../../platform/access/policy.ts';
import { recordExport } from '../../platform/audit/record-export.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { asArray, asString, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { engagementLabels, engagementStatuses, ethnicCategories } from './inputs.ts';
import { csvStream, exportContentTypes, exportFilename, xlsxStream, type ExportFormat } from './list.export.ts';
import { sendTable, type Table, type TableFormat } from '../../platform/exports/table.ts';
import {
  DEFAULT_MONTHS,
  MAX_EXPORT_ROWS,
  NONE,
  PAGE_SIZE,
  dischargePlanningLabels,
  filterKeys,
  filterLabels,
  filterParams,
  filterSummary,
  findLostPerson,
  findVisiblePerson,
  flagLabels,
  loadRegisterOptions,
  lostReasons,
  lostToFollowUpPage,
  lostToFollowUpRows,
  monthsSchema,
  openFollowUpTasks,
  pageCount,
  parseRegisterQuery,
  pipelinePage,
  pipelineRows,
  registerExportRows,
  findPeopleIds,
  registerPage,
  reviewWindowLabels,
  rightsWindowLabels,
  rightsWindows,
  safeguardingWindowLabels,
  safeguardingWindows,
  reviewWindows,
  statusLabels,
  statusTagClasses,
  type FilterKey,
  type LostReason,
  type LostRow,
  type PipelineRow,
  type RegisterFilter,
  type RegisterOptions,
  type SortColumn,
} from './list.queries.ts';
import { createFollowUpTask } from './people.service.ts';
import { emailMonthlyHref } from '../../platform/views/schedule-link.ts';
import { govukDate } from '../../platform/plain-language.ts';

const v = (name: string) => `modules/register/views/${name}.njk`;

// ---------------------------------------------------------------------------
// Small helpers shared by the three lists
// ---------------------------------------------------------------------------

/** 2026-03-01 → 1 March 2026 */
function formatDate(iso: string | null): string {
  return iso ? govukDate(iso) : '';
}

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** For table cells: 1 Mar 2026, kept on one line. */
function tableDate(iso: string | null): string {
  return iso ? shortDate.format(new Date(`${iso}T00:00:00Z`)).replace(/ /g, '\u00a0') : '';
}

/** 999 000 0018, kept on one line. */
const nhsDisplay = (n: string) => formatNhsNumber(n).replace(/ /g, '\u00a0');

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

function href(path: string, pairs: Array<[string, string]>): string {
  const query = new URLSearchParams(pairs).toString();
  return query ? `${path}?${query}` : path;
}


function showing(page: number, total: number): { from: number; to: number; total: number } {
  return { from: total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1, to: Math.min(page * PAGE_SIZE, total), total };
}

const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;

function flash(request: FastifyRequest, type: 'success' | 'important', text: string): void {
  request.session.flash = { type, text };
}

function assertCanReadPeople(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'person:read')) throw new ForbiddenError('You do not have access to the register');
}

const fullName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;

// ---------------------------------------------------------------------------
// The register list
// ---------------------------------------------------------------------------

const sortableHeaders: Array<{ column: SortColumn; text: string }> = [
  { column: 'name', text: 'Name' },
  { column: 'nhs', text: 'NHS number' },
  { column: 'dob', text: 'Date of birth' },
  { column: 'status', text: 'Status' },
  { column: 'la', text: 'Responsible local authority' },
  { column: 'icb', text: 'Responsible ICB' },
  { column: 'review', text: 'Next review' },
];

/** The text a filter value shows as, in the options and in its removable tag. */
function valueLabel(key: FilterKey, value: string, options: RegisterOptions): string {
  switch (key) {
    case 'status':
      return statusLabels[value as keyof typeof statusLabels] ?? value;
    case 'la':
      return value === NONE ? 'Not known yet' : (options.localAuthorities.find((o) => o.code === value)?.name ?? value);
    case 'icb':
      return value === NONE ? 'Not known yet' : (options.icbs.find((o) => o.code === value)?.name ?? value);
    case 'team':
      return value === NONE ? 'No allocated team' : (options.teams.find((t) => t.id === value)?.name ?? value);
    case 'worker':
      return value === NONE ? 'No lead practitioner' : (options.workers.find((w) => w.id === value)?.name ?? value);
    case 'legal':
      return legalPositionLabels[value as LegalPosition] ?? value;
    case 'flag':
      return flagLabels[value as Flag] ?? value;
    case 'review':
      return reviewWindowLabels[value as keyof typeof reviewWindowLabels] ?? value;
    case 'rights':
      return rightsWindowLabels[value as keyof typeof rightsWindowLabels] ?? value;
    case 'safeguarding':
      return safeguardingWindowLabels[value as keyof typeof safeguardingWindowLabels] ?? value;
    case 'engagement':
      return engagementLabels[value as keyof typeof engagementLabels] ?? value;
    case 'ethnicity':
      return ethnicCategories.find(([c]) => c === value)?.[1] ?? value;
  }
}

function checkboxItems(key: FilterKey, values: readonly string[], filter: RegisterFilter, options: RegisterOptions) {
  return values.map((value) => ({ value, text: valueLabel(key, value, options), checked: (filter[key] as string[]).includes(value) }));
}

function selectItems(key: FilterKey, anyText: string, values: readonly string[], filter: RegisterFilter, options: RegisterOptions) {
  const chosen = (filter[key] as string[])[0] ?? '';
  return [{ value: '', text: anyText, selected: chosen === '' }, ...values.map((value) => ({ value, text: valueLabel(key, value, options), selected: chosen === value }))];
}

function registerView(filter: RegisterFilter, options: RegisterOptions, today: string) {
  const without = (key: FilterKey, value: string): RegisterFilter => ({ ...filter, [key]: (filter[key] as string[]).filter((x) => x !== value), page: 1 });
  const categories = filterKeys
    .filter((key) => filter[key].length > 0)
    .map((key) => ({
      heading: { text: filterLabels[key] },
      items: (filter[key] as string[]).map((value) => ({ href: href('/register', filterParams(without(key, value))), text: valueLabel(key, value, options) })),
    }));
  if (filter.q) categories.unshift({ heading: { text: 'Search' }, items: [{ href: href('/register', filterParams({ ...filter, q: '', search: null, page: 1 })), text: `“${filter.q}”` }] });
  const cleared: RegisterFilter = { ...filter, q: '', search: null, page: 1, ...Object.fromEntries(filterKeys.map((k) => [k, []])) };

  return {
    filter,
    selectedFilters: categories.length > 0 ? { heading: { text: 'Selected filters' }, clearLink: { text: 'Clear filters', href: href('/register', filterParams(cleared)) }, categories } : null,
    items: {
      status: checkboxItems('status', statuses, filter, options),
      legal: checkboxItems('legal', legalPositions, filter, options),
      review: checkboxItems('review', reviewWindows, filter, options),
      rights: checkboxItems('rights', rightsWindows, filter, options),
      safeguarding: checkboxItems('safeguarding', safeguardingWindows, filter, options),
      la: checkboxItems('la', [...options.localAuthorities.map((o) => o.code), NONE], filter, options),
      icb: checkboxItems('icb', [...options.icbs.map((o) => o.code), NONE], filter, options),
      team: checkboxItems('team', [...options.teams.map((t) => t.id), NONE], filter, options),
      worker: selectItems('worker', 'Any lead practitioner', [NONE, ...options.workers.map((w) => w.id)], filter, options),
      flag: checkboxItems('flag', flagCodes, filter, options),
      engagement: checkboxItems('engagement', engagementStatuses, filter, options),
      ethnicity: selectItems('ethnicity', 'Any ethnicity', ethnicCategories.map(([c]) => c), filter, options),
    },
    headers: sortableHeaders.map((h) => {
      const current = filter.sort === h.column;
      const nextOrder = current && filter.order === 'asc' ? 'desc' : 'asc';
      return {
        text: h.text,
        href: href('/register', filterParams({ ...filter, sort: h.column, order: nextOrder, page: 1 })),
        ariaSort: current ? (filter.order === 'asc' ? 'ascending' : 'descending') : null,
        action: nextOrder === 'asc' ? 'sort ascending' : 'sort descending',
      };
    }),
    downloads: {
      csv: href('/register.csv', filterParams(filter)),
      xlsx: href('/register.xlsx', filterParams(filter)),
    },
    downloadLimit: MAX_EXPORT_ROWS,
    downloadLimitText: MAX_EXPORT_ROWS.toLocaleString('en-GB'),
    today,
  };
}

function registerRowView(row: Awaited<ReturnType<typeof registerPage>>['rows'][number], options: RegisterOptions, today: string) {
  return {
    id: row.id,
    name: `${row.familyName}, ${row.givenName}`,
    nhsNumber: nhsDisplay(row.nhsNumber),
    dateOfBirth: tableDate(row.dateOfBirth),
    status: statusLabels[row.status],
    statusClass: statusTagClasses[row.status],
    la: options.organisationName(row.responsibleLocalAuthority) ?? 'Not known',
    icb: options.organisationName(row.responsibleIcb) ?? 'Not known',
    nextReview: row.nextReviewDue ? tableDate(row.nextReviewDue) : 'None scheduled',
    reviewOverdue: row.nextReviewDue !== null && row.nextReviewDue < today,
    flags: row.flags.map((f) => flagLabels[f as Flag] ?? f),
    legal: row.legalPosition.map((l) => legalPositionLabels[l as LegalPosition] ?? l),
    team: row.teamName,
    lead: row.leadPractitionerName,
  };
}

async function exportView(request: FastifyRequest, reply: FastifyReply, format: ExportFormat): Promise<FastifyReply> {
  const ctx = request.ctx();
  assertCanReadPeople(ctx);
  const today = todayInLondon();
  const options = await loadRegisterOptions(ctx);
  const { filter, searchError } = parseRegisterQuery(queryOf(request), options);
  if (searchError) throw new InputError([searchError]);
  const { rows, total, tooMany } = await registerExportRows(ctx, filter, options, today);
  if (tooMany) {
    throw new InputError([
      { path: 'download', message: `This view has ${plural(total, 'person', 'people')}. A download can hold up to ${MAX_EXPORT_ROWS.toLocaleString('en-GB')}: use the filters to narrow the view, then download it again.` },
    ]);
  }
  // A download of personal data is itself audited: who, what they chose, how many rows.
  await recordExport(ctx.data, 'register.exported', { format, filters: filterSummary(filter), rowCount: total });
  reply
    .header('Content-Type', exportContentTypes[format])
    .header('Content-Disposition', `attachment; filename="${exportFilename(format, today)}"`)
    .header('Cache-Control', 'no-store');
  const stream = format === 'csv' ? csvStream(rows, options) : xlsxStream(rows, options, { title: `Section 117 register, ${formatDate(today)}`, createdBy: ctx.actor.displayName });
  return reply.send(stream);
}

// ---------------------------------------------------------------------------
// Lost to follow-up
// ---------------------------------------------------------------------------

function reasonText(reason: LostReason, months: number): string {
  switch (reason.kind) {
    case 'review-overdue':
      return `Review overdue: it was due on ${formatDate(reason.nextReviewDue)}`;
    case 'no-contact':
      return reason.lastContactOn ? `No contact for more than ${plural(months, 'month')}: last contact on ${formatDate(reason.lastContactOn)}` : 'No contact recorded';
    case 'no-team':
      return 'No allocated team';
  }
}

/** The reasons as a task title reads them: "Follow up: review overdue (due 12 January 2025); no allocated team". */
function taskReason(reasons: LostReason[], months: number): string {
  return reasons
    .map((r) => {
      switch (r.kind) {
        case 'review-overdue':
          return `review overdue (due ${formatDate(r.nextReviewDue)})`;
        case 'no-contact':
          return r.lastContactOn ? `no contact for more than ${plural(months, 'month')} (last on ${formatDate(r.lastContactOn)})` : 'no contact recorded';
        case 'no-team':
          return 'no allocated team';
      }
    })
    .join('; ');
}

function laFilterView(path: string, filter: RegisterFilter, options: RegisterOptions, keep: Array<[string, string]>) {
  const laPairs = (la: string[]) => [...keep, ...la.map((code): [string, string] => ['la', code])];
  const categories =
    filter.la.length > 0
      ? [{ heading: { text: filterLabels.la }, items: filter.la.map((code) => ({ href: href(path, laPairs(filter.la.filter((c) => c !== code))), text: valueLabel('la', code, options) })) }]
      : [];
  return {
    laItems: checkboxItems('la', [...options.localAuthorities.map((o) => o.code), NONE], filter, options),
    selectedFilters: categories.length > 0 ? { heading: { text: 'Selected filters' }, clearLink: { text: 'Clear filters', href: href(path, keep) }, categories } : null,
    laPairs: laPairs(filter.la),
  };
}

const followUpParams = z.object({ id: z.uuid() });

// ---------------------------------------------------------------------------
// Downloads of the pipeline and the lost-to-follow-up finder (issue 7, item 5)
// ---------------------------------------------------------------------------

function listDownloads(path: string, pairs: Array<[string, string]>, total: number) {
  return { csv: href(`${path}.csv`, pairs), xlsx: href(`${path}.xlsx`, pairs), total, limit: MAX_EXPORT_ROWS, limitText: MAX_EXPORT_ROWS.toLocaleString('en-GB') };
}

function tooManyToDownload(total: number): InputError {
  return new InputError([
    { path: 'download', message: `This list has ${plural(total, 'row')}. A download can hold up to ${MAX_EXPORT_ROWS.toLocaleString('en-GB')}: use the filters to narrow the list, then download it again.` },
  ]);
}

async function downloadPipeline(request: FastifyRequest, reply: FastifyReply, format: TableFormat): Promise<FastifyReply> {
  const ctx = request.ctx();
  assertCanReadPeople(ctx);
  const options = await loadRegisterOptions(ctx);
  const { filter } = parseRegisterQuery({ la: queryOf(request).la }, options);
  const { rows, total } = await pipelineRows(ctx, filter.la, options, MAX_EXPORT_ROWS);
  if (total > MAX_EXPORT_ROWS) throw tooManyToDownload(total);
  await recordExport(ctx.data, 'list.exported', { list: 'pipeline', format, filters: { la: filter.la }, rowCount: total });
  const table: Table<PipelineRow> = {
    title: 'Hospital pipeline',
    rows,
    columns: [
      { header: 'NHS number', width: 13, value: (r) => formatNhsNumber(r.nhsNumber) },
      { header: 'Family name', width: 20, value: (r) => r.familyName },
      { header: 'Given name', width: 20, value: (r) => r.givenName },
      { header: 'Hospital', width: 28, value: (r) => r.hospital },
      { header: 'Expected discharge', width: 16, date: true, value: (r) => r.expectedDischargeOn },
      { header: 'Discharge planning', width: 16, value: (r) => dischargePlanningLabels[r.dischargePlanning] },
      { header: 'Team', width: 28, value: (r) => r.teamName },
      { header: 'Responsible local authority', width: 30, value: (r) => options.organisationName(r.responsibleLocalAuthority) },
      { header: 'Responsible ICB', width: 36, value: (r) => options.organisationName(r.responsibleIcb) },
    ],
  };
  return sendTable(reply, format, table, { filename: `aftercare-hospital-pipeline-${todayInLondon()}`, createdBy: ctx.actor.displayName });
}

async function downloadLostToFollowUp(request: FastifyRequest, reply: FastifyReply, format: TableFormat): Promise<FastifyReply> {
  const ctx = request.ctx();
  assertCanReadPeople(ctx);
  const today = todayInLondon();
  const options = await loadRegisterOptions(ctx);
  const query = queryOf(request);
  const { filter } = parseRegisterQuery({ la: query.la }, options);
  const months = monthsSchema.safeParse(asString(query.months as string | string[] | undefined));
  if (!months.success) throw new InputError([{ path: 'months', message: months.error.issues[0]?.message ?? 'Enter a number of months between 1 and 36' }]);
  const { rows, total, openFollowUps } = await lostToFollowUpRows(ctx, months.data, today, filter.la, options, MAX_EXPORT_ROWS);
  if (total > MAX_EXPORT_ROWS) throw tooManyToDownload(total);
  await recordExport(ctx.data, 'list.exported', { list: 'lost-to-follow-up', format, filters: { la: filter.la, months: months.data }, rowCount: total });
  const table: Table<LostRow> = {
    title: 'Lost to follow-up',
    rows,
    columns: [
      { header: 'NHS number', width: 13, value: (r) => formatNhsNumber(r.nhsNumber) },
      { header: 'Family name', width: 20, value: (r) => r.familyName },
      { header: 'Given name', width: 20, value: (r) => r.givenName },
      { header: 'Responsible local authority', width: 30, value: (r) => options.organisationName(r.responsibleLocalAuthority) },
      { header: 'Team', width: 28, value: (r) => r.teamName },
      { header: 'Last contact', width: 13, date: true, value: (r) => r.lastContactOn },
      { header: 'Next review due', width: 15, date: true, value: (r) => r.nextReviewDue },
      { header: 'Why', width: 60, value: (r) => lostReasons(r, months.data, today).map((reason) => reasonText(reason, months.data)).join('; ') },
      {
        header: 'Open follow-up task',
        width: 24,
        value: (r) => {
          if (!openFollowUps.has(r.id)) return 'No';
          const due = openFollowUps.get(r.id) ?? null;
          return due ? `Yes, due ${formatDate(due)}` : 'Yes, no due date';
        },
      },
    ],
  };
  return sendTable(reply, format, table, { filename: `aftercare-lost-to-follow-up-${today}`, createdBy: ctx.actor.displayName });
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

/** Whether the actor may add a person (the permission `/people/new` asks for): the lists show "Add a person" only then. */
const canAddPerson = (ctx: ServiceContext): boolean => can(ctx.actor, 'person:write', { partnershipId: ctx.actor.partnershipId, organisationId: ctx.actor.activeOrganisationId });

export function registerListRoutes(app: FastifyInstance): void {
  app.get('/register', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const today = todayInLondon();
    // One short read for the page: the partnership's lists and the page of people (each unit of work costs three round trips).
    const { options, parsed, found } = await ctx.data.read(async () => {
      const options = await loadRegisterOptions(ctx);
      const parsed = parseRegisterQuery(queryOf(request), options);
      return { options, parsed, found: parsed.searchError ? null : await registerPage(ctx, parsed.filter, options, today) };
    });
    const { filter, ignored, searchError } = parsed;
    const view = registerView(filter, options, today);
    if (searchError || !found) {
      reply.status(422);
      return reply.render(v('register'), { title: 'Register', ...view, ignored, canAddPerson: canAddPerson(ctx), errors: searchError ? toGovukErrors([searchError]) : [], rows: [], showing: null, pagination: null });
    }
    const result = found;
    // Past the cap the count is a lower bound: offer one page more than is known to exist.
    const pages = pageCount(result.exact ? result.total : result.total + 1);
    return reply.render(v('register'), {
      title: 'Register',
      ...view,
      ignored,
      canAddPerson: canAddPerson(ctx),
      rows: result.rows.map((r) => registerRowView(r, options, today)),
      showing: { ...showing(result.page, result.total), exact: result.exact },
      pagination: pagination(result.page, pages, (p) => href('/register', filterParams({ ...filter, page: p }, { page: true })), 'Pages of results'),
      emailMonthlyHref: emailMonthlyHref(ctx.actor, 'register', filterParams(filter)),
    });
  });

  /**
   * The header's "Find a person": one match goes straight to the person's page; none, several or
   * a search that is not valid goes to the register with the same search, which lists them or
   * says what is wrong. The person's page records the read as any visit does.
   */
  app.get('/search', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const raw = queryOf(request).q;
    const first = Array.isArray(raw) ? (raw[0] as unknown) : raw;
    const q = typeof first === 'string' ? first.trim() : '';
    const toRegister = () => reply.redirect(href('/register', q === '' ? [] : [['q', q.slice(0, 100)]]), 303);
    if (q === '') return toRegister();
    const today = todayInLondon();
    const ids = await ctx.data.read(async () => {
      const options = await loadRegisterOptions(ctx);
      const parsed = parseRegisterQuery({ q }, options);
      return parsed.searchError ? [] : findPeopleIds(ctx, parsed.filter, options, today);
    });
    if (ids.length === 1) return reply.redirect(`/people/${ids[0]}`, 303);
    return toRegister();
  });

  app.get('/register.csv', async (request, reply) => exportView(request, reply, 'csv'));
  app.get('/register.xlsx', async (request, reply) => exportView(request, reply, 'xlsx'));

  app.get('/pipeline.csv', async (request, reply) => downloadPipeline(request, reply, 'csv'));
  app.get('/pipeline.xlsx', async (request, reply) => downloadPipeline(request, reply, 'xlsx'));
  app.get('/lost-to-follow-up.csv', async (request, reply) => downloadLostToFollowUp(request, reply, 'csv'));
  app.get('/lost-to-follow-up.xlsx', async (request, reply) => downloadLostToFollowUp(request, reply, 'xlsx'));

  app.get('/pipeline', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const today = todayInLondon();
    const options = await loadRegisterOptions(ctx);
    const { filter, ignored } = parseRegisterQuery({ la: queryOf(request).la, page: queryOf(request).page }, options);
    const result = await pipelinePage(ctx, filter.la, filter.page, options);
    const la = laFilterView('/pipeline', filter, options, []);
    return reply.render(v('pipeline'), {
      title: 'Hospital pipeline',
      ...la,
      ignored,
      canAddPerson: canAddPerson(ctx),
      downloads: listDownloads('/pipeline', la.laPairs, result.total),
      showing: showing(result.page, result.total),
      pagination: pagination(result.page, pageCount(result.total), (p) => href('/pipeline', [...la.laPairs, ...(p > 1 ? [['page', String(p)] as [string, string]] : [])]), 'Pages of results'),
      rows: result.rows.map((r) => {
        const days = r.expectedDischargeOn ? toDayNumber(r.expectedDischargeOn) - toDayNumber(today) : null;
        return {
          id: r.id,
          name: `${r.familyName}, ${r.givenName}`,
          nhsNumber: nhsDisplay(r.nhsNumber),
          hospital: r.hospital,
          team: r.teamName,
          expectedDischarge: r.expectedDischargeOn ? tableDate(r.expectedDischargeOn) : null,
          overdue: days !== null && days < 0,
          daysText:
            days === null ? 'No date set' : days < 0 ? `Overdue by ${plural(-days, 'day')}` : days === 0 ? 'Today' : `In ${plural(days, 'day')}`,
          planning: dischargePlanningLabels[r.dischargePlanning],
          planningClass: r.dischargePlanning === 'ready' ? 'govuk-tag--green' : r.dischargePlanning === 'in-progress' ? 'govuk-tag--yellow' : 'govuk-tag--red',
          la: options.organisationName(r.responsibleLocalAuthority) ?? 'Not known yet',
          icb: options.organisationName(r.responsibleIcb) ?? 'Not known yet',
        };
      }),
    });
  });

  app.get('/lost-to-follow-up', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const today = todayInLondon();
    const options = await loadRegisterOptions(ctx);
    const query = queryOf(request);
    const { filter, ignored } = parseRegisterQuery({ la: query.la, page: query.page }, options);
    const monthsRaw = asString(query.months as string | string[] | undefined);
    const months = monthsSchema.safeParse(monthsRaw);
    const keep: Array<[string, string]> = months.success && months.data !== DEFAULT_MONTHS ? [['months', String(months.data)]] : [];
    const la = laFilterView('/lost-to-follow-up', filter, options, keep);
    if (!months.success) {
      reply.status(422);
      return reply.render(v('lost-to-follow-up'), {
        title: 'Lost to follow-up',
        ...la,
        ignored,
        months: monthsRaw,
        errors: toGovukErrors([{ path: 'months', message: months.error.issues[0]?.message ?? 'Enter a number of months between 1 and 36' }]),
        rows: [],
        showing: null,
        pagination: null,
      });
    }
    const result = await lostToFollowUpPage(ctx, months.data, filter.page, today, filter.la, options);
    const pagePairs = (p: number): Array<[string, string]> => [...la.laPairs, ...(p > 1 ? [['page', String(p)] as [string, string]] : [])];
    return reply.render(v('lost-to-follow-up'), {
      title: 'Lost to follow-up',
      ...la,
      ignored,
      months: String(months.data),
      downloads: listDownloads('/lost-to-follow-up', la.laPairs, result.total),
      showing: showing(result.page, result.total),
      pagination: pagination(result.page, pageCount(result.total), (p) => href('/lost-to-follow-up', pagePairs(p)), 'Pages of results'),
      returnPairs: pagePairs(result.page),
      rows: result.rows.map((r) => ({
        id: r.id,
        name: `${r.familyName}, ${r.givenName}`,
        fullName: fullName(r),
        nhsNumber: nhsDisplay(r.nhsNumber),
        la: options.organisationName(r.responsibleLocalAuthority) ?? 'Not known',
        team: r.teamName,
        reasons: lostReasons(r, months.data, today).map((reason) => reasonText(reason, months.data)),
        openTask: result.openFollowUps.has(r.id) ? { dueOn: formatDate(result.openFollowUps.get(r.id) ?? null) } : null,
        canCreateTask: canOnPerson(ctx.actor, 'person:write', r),
      })),
    });
  });

  app.post('/lost-to-follow-up/:id/follow-up', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const params = followUpParams.safeParse(request.params);
    if (!params.success) throw new NotFoundError('Person not found');
    const personId = params.data.id;
    const body = formBody(request.body);
    const today = todayInLondon();
    const options = await loadRegisterOptions(ctx);
    const months = monthsSchema.safeParse(asString(body.months));
    const monthsValue = months.success ? months.data : DEFAULT_MONTHS;
    const { filter } = parseRegisterQuery({ la: asArray(body.la), page: asString(body.page) }, options);
    const back = href('/lost-to-follow-up', [
      ...(monthsValue !== DEFAULT_MONTHS ? [['months', String(monthsValue)] as [string, string]] : []),
      ...filter.la.map((code): [string, string] => ['la', code]),
      ...(filter.page > 1 ? [['page', String(filter.page)] as [string, string]] : []),
    ]);

    // The reasons are worked out again here, never taken from the form.
    const lost = await findLostPerson(ctx, personId, monthsValue, today);
    if (!lost) {
      const visible = await findVisiblePerson(ctx, personId);
      if (!visible) throw new NotFoundError('Person not found');
      flash(request, 'important', `${fullName(visible)} is no longer lost to follow-up, so no task was created.`);
      return reply.redirect(back);
    }
    if (!canOnPerson(ctx.actor, 'person:write', lost)) throw new ForbiddenError('You can see this person’s record but not add tasks to it');
    const open = await openFollowUpTasks(ctx, [personId]);
    if (open.has(personId)) {
      flash(request, 'important', `${fullName(lost)} already has an open follow-up task, so no new task was created.`);
      return reply.redirect(back);
    }
    const created = await createFollowUpTask(ctx, personId, taskReason(lostReasons(lost, monthsValue, today), monthsValue));
    const owner = options.organisations.find((o) => o.id === created.ownerOrganisationId)?.name;
    flash(request, 'success', `Follow-up task created for ${fullName(lost)}${owner ? `, for ${owner}` : ''}. It is due today.`);
    return reply.redirect(back);
  });
}
