/**
 * Building one recipient's copy of a scheduled report (issue 7, item 7) as XLSX. Each copy is
 * built with the recipient's own access: the same query functions the pages use, run as the
 * recipient, so nobody is sent a figure or a person they could not see in the app. Every text
 * cell goes through the register export's formula neutralising (OWASP, CSV injection).
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { IsoDate } from '../../domain/calendar-date.ts';
import type { FieldIssue } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { computeDashboard, parseDashboardQuery } from '../dashboards/index.ts';
import { dashboardBlocks, dashboardHeadline, filterQuery, scopeText } from '../dashboards/index.ts';
import type { ChartBlock } from '../dashboards/index.ts';
import { blocksForView, dashboardViewLabels, dashboardViews, parseView, type DashboardView } from '../dashboards/index.ts';
import { computeEquality } from '../equality/index.ts';
import { equalityBlocks } from '../equality/index.ts';
import { qualitySummary } from '../quality/index.ts';
import { qualityRules } from '../quality/index.ts';
import { neutraliseFormula } from '../../platform/exports/table.ts';
import { xlsxStream } from '../register/index.ts';
import { filterKeys, filterLabels, filterParams, loadRegisterOptions, parseRegisterQuery, registerExportRows, statusLabels, type RegisterOptions } from '../register/index.ts';
import type { Status } from '../../domain/rules/index.ts';

export const reportSources = ['dashboard', 'equality', 'data-quality', 'register'] as const;
export type ReportSource = (typeof reportSources)[number];

export const reportSourceLabels: Record<ReportSource, string> = {
  dashboard: 'Assurance dashboard',
  equality: 'Equality monitoring',
  'data-quality': 'Data quality',
  register: 'Register list',
};

export const reportSourcePaths: Record<ReportSource, string> = {
  dashboard: '/dashboards',
  equality: '/dashboards/equality',
  'data-quality': '/data-quality',
  register: '/register',
};

/** The filters of a report as stored: query-string parameters, each a list of values. */
export type ReportQuery = Record<string, string[]>;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const asList = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Read a stored or submitted query into a plain record (unknown shapes become empty). */
export function toReportQuery(raw: unknown): ReportQuery {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: ReportQuery = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const values = asList(v).map((s) => s.trim()).filter((s) => s !== '');
    if (values.length > 0) out[k] = values;
  }
  return out;
}

/** A query string (as the "Email this monthly" links carry it) as a report query. */
export function queryFromSearch(search: string): ReportQuery {
  const out: ReportQuery = {};
  for (const [k, v] of new URLSearchParams(search)) if (v.trim() !== '') (out[k] ??= []).push(v.trim());
  return out;
}

export function searchOf(query: ReportQuery): string {
  const params = new URLSearchParams();
  for (const [k, values] of Object.entries(query)) for (const v of values) params.append(k, v);
  return params.toString();
}

/**
 * Keep the filters a source understands, checked against the partnership's choices. Anything that
 * cannot be used is an issue (the form shows it); the period of a dashboard is not kept: each
 * month's copy covers the 12 months up to the day it is built.
 */
export function normaliseReportQuery(source: ReportSource, raw: ReportQuery, options: RegisterOptions, today: IsoDate): { query: ReportQuery; issues: FieldIssue[] } {
  if (source === 'data-quality') return { query: {}, issues: [] };
  if (source === 'dashboard' || source === 'equality') {
    const parsed = parseDashboardQuery({ la: raw.la?.[0], icb: raw.icb?.[0], team: raw.team?.[0] }, options, today);
    const query: ReportQuery = {};
    const issues = parsed.errors.map((e) => ({ path: 'query', message: e.message }));
    for (const key of ['la', 'icb', 'team'] as const) if (parsed.filter[key]) query[key] = [parsed.filter[key]];
    // The dashboard's role view ("View as"); without one, each recipient gets their own default.
    const view = raw.view?.[0];
    if (source === 'dashboard' && view !== undefined) {
      if ((dashboardViews as readonly string[]).includes(view)) query.view = [view];
      else issues.push({ path: 'query', message: `View as must be one of: ${dashboardViews.join(', ')}` });
    }
    return { query, issues };
  }
  const parsed = parseRegisterQuery(raw, options);
  const issues = [...parsed.ignored, ...(parsed.searchError ? [parsed.searchError] : [])].filter((i) => i.path !== 'page').map((i) => ({ path: 'query', message: i.message }));
  const query: ReportQuery = {};
  for (const [k, v] of filterParams(parsed.filter, { page: false })) (query[k] ??= []).push(v);
  return { query, issues };
}

/** The filters in words, for the list of schedules and the email. */
export function describeQuery(source: ReportSource, query: ReportQuery, options: RegisterOptions): string {
  if (source === 'data-quality') return 'Everyone the recipient can see';
  if (source === 'dashboard' || source === 'equality') {
    const text = scopeText({ la: query.la?.[0] ?? '', icb: query.icb?.[0] ?? '', team: query.team?.[0] ?? '', from: '', to: '' }, options) || 'Everyone the recipient can see';
    const view = query.view?.[0] as DashboardView | undefined;
    return view && source === 'dashboard' ? `${text}; view: ${dashboardViewLabels[view] ?? view}` : text;
  }
  const parts: string[] = [];
  if (query.q?.[0]) parts.push(`Search: ${query.q[0]}`);
  for (const key of filterKeys) {
    const values = query[key];
    if (!values?.length) continue;
    const named = values.map((v) => {
      if (key === 'la' || key === 'icb') return options.organisationName(v) ?? v;
      if (key === 'team') return options.teams.find((t) => t.id === v)?.name ?? v;
      if (key === 'worker') return options.workers.find((w) => w.id === v)?.name ?? v;
      if (key === 'status') return statusLabels[v as Status] ?? v;
      return v;
    });
    parts.push(`${filterLabels[key]}: ${named.join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'Everyone the recipient can see';
}

export interface BuiltReport {
  filename: string;
  content: Buffer;
  /** The page the report copies, with its filters. */
  link: string;
  /** Rows or figures in the copy (people listed for a register list). */
  rowCount: number;
}

interface Table {
  title: string;
  headers: string[];
  rows: Array<Array<string | number>>;
}

/** A cell shown as a plain whole number ("1,234") is written as a number; everything else as safe text. */
function cellValue(text: string, numeric: boolean): string | number {
  if (numeric && /^-?\d{1,3}(,\d{3})*$|^-?\d+$/.test(text)) return Number(text.replace(/,/g, ''));
  return neutraliseFormula(text);
}

export function tablesOfBlocks(blocks: ChartBlock[]): Table[] {
  return blocks.map((b) => ({
    title: b.title,
    headers: b.headers.map((h) => h.text),
    rows: b.rows.map((row) => row.map((c, i) => cellValue(c.text, i > 0 && c.numeric === true))),
  }));
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique. */
function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28).trim() || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i += 1) name = `${base.slice(0, 27)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

/** A workbook: an "About" sheet (what, for whom, when, filters), then one sheet per table. */
export async function tablesWorkbook(meta: { title: string; recipient: string; builtOn: IsoDate; filters: string; notes: string[] }, tables: Table[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Aftercare';
  workbook.title = meta.title;
  workbook.created = new Date(`${meta.builtOn}T00:00:00Z`);
  const about = workbook.addWorksheet('About');
  about.columns = [{ width: 24 }, { width: 80 }];
  const aboutRows: Array<[string, string]> = [
    ['Report', meta.title],
    ['Built for', meta.recipient],
    ['Built on', meta.builtOn],
    ['Filters', meta.filters],
    ...meta.notes.map((n): [string, string] => ['Note', n]),
  ];
  for (const [k, v] of aboutRows) about.addRow([neutraliseFormula(k), neutraliseFormula(v)]);
  about.getColumn(1).font = { bold: true };
  const used = new Set<string>(['about']);
  for (const t of tables) {
    const sheet = workbook.addWorksheet(sheetName(t.title, used), { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.addRow([neutraliseFormula(t.title)]).font = { bold: true, size: 14 };
    sheet.addRow(t.headers.map(neutraliseFormula)).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row);
    sheet.columns.forEach((c, i) => {
      c.width = i === 0 ? 48 : 18;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const through = stream.pipe(new PassThrough());
  for await (const chunk of through) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'report';

/**
 * Build the report as `ctx.actor` sees it today. `name` is the schedule's name. Uses the pages'
 * own query functions (uncached), so the figures are those the recipient's page shows.
 */
export async function buildReport(ctx: ServiceContext, source: ReportSource, storedQuery: ReportQuery, name: string, today: IsoDate): Promise<BuiltReport> {
  const options = await loadRegisterOptions(ctx);
  const { query } = normaliseReportQuery(source, storedQuery, options, today);
  const filename = `${slug(name)}-${today}.xlsx`;
  const filters = describeQuery(source, query, options);
  const recipient = ctx.actor.displayName;
  const search = searchOf(query);
  const link = search ? `${reportSourcePaths[source]}?${search}` : reportSourcePaths[source];

  if (source === 'register') {
    const parsed = parseRegisterQuery(query, options);
    const result = await registerExportRows(ctx, parsed.filter, options, today);
    if (result.tooMany) {
      const content = await tablesWorkbook({ title: name, recipient, builtOn: today, filters, notes: [`This list has ${result.total.toLocaleString('en-GB')} people, more than a download can hold: narrow the filters of the schedule.`] }, []);
      return { filename, content, link, rowCount: 0 };
    }
    const content = await streamToBuffer(xlsxStream(result.rows, options, { title: name, createdBy: recipient }));
    return { filename, content, link, rowCount: result.rows.length };
  }

  if (source === 'data-quality') {
    const summary = await qualitySummary(ctx, today);
    const tables: Table[] = [
      {
        title: 'Data quality score',
        headers: ['Measure', 'Value'],
        rows: [
          ['People checked', summary.total],
          ['People with at least one problem', summary.withProblems],
          ['Score (% of people with no problem)', summary.score ?? 'No people to score'],
        ],
      },
      { title: 'Rules', headers: ['Rule', 'People'], rows: qualityRules.map((r) => [neutraliseFormula(r.title), summary.counts[r.id]]) },
    ];
    const content = await tablesWorkbook({ title: name, recipient, builtOn: today, filters, notes: ['Counts are of the people you can see in Aftercare.'] }, tables);
    return { filename, content, link, rowCount: qualityRules.length };
  }

  const parsed = parseDashboardQuery({ la: query.la?.[0], icb: query.icb?.[0], team: query.team?.[0] }, options, today);
  const period = `The period is ${parsed.filter.from} to ${parsed.filter.to} (the 12 months to the day this copy was built).`;
  const pageLink = `${reportSourcePaths[source]}?${filterQuery(parsed.filter)}${source === 'dashboard' && query.view?.[0] ? `&view=${encodeURIComponent(query.view[0])}` : ''}`;
  if (source === 'dashboard') {
    const d = await computeDashboard(ctx, parsed, options, today);
    const headline: Table = { title: 'Headline figures', headers: ['Measure', 'Value'], rows: dashboardHeadline(d).map((h) => [neutraliseFormula(h.label), cellValue(h.text, true)]) };
    const { view } = parseView(query.view?.[0], ctx.actor);
    const tables = [headline, ...tablesOfBlocks(blocksForView(dashboardBlocks(d), view))];
    const content = await tablesWorkbook({ title: name, recipient, builtOn: today, filters, notes: [period, 'Counts are of the people you can see in Aftercare.'] }, tables);
    return { filename, content, link: pageLink, rowCount: tables.reduce((n, t) => n + t.rows.length, 0) };
  }
  const report = await computeEquality(ctx, parsed, options, today);
  const tables = tablesOfBlocks(equalityBlocks(report));
  const content = await tablesWorkbook({ title: name, recipient, builtOn: today, filters, notes: [period, 'Counts under 5 are suppressed, as on the page.'] }, tables);
  return { filename, content, link: pageLink, rowCount: tables.reduce((n, t) => n + t.rows.length, 0) };
}
