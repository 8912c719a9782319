/**
 * Data quality pages (issue 7, item 2): the overview with the score and each rule's count, and
 * each rule's list of people with a fix-it link per person. Read only; limited to the people
 * the actor may see.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pagination } from '../../platform/views/pagination.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { can } from '../../platform/access/policy.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { statusLabels } from '../register/index.ts';
import { emailMonthlyHref } from '../../platform/views/schedule-link.ts';
import { activeMembership } from '../../platform/access/actor.ts';
import { percentText, scoreChart } from './score-chart.ts';
import { recentSnapshots, snapshotCounts } from './snapshots.ts';

const shortDateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDate = (iso: string) => shortDateFormat.format(new Date(`${iso}T00:00:00Z`));
import { QUALITY_PAGE_SIZE, qualityRulePage, qualitySummary, type QualityRow } from './quality.queries.ts';
import { recordExport } from '../../platform/audit/record-export.ts';
import { sendTable, type Table, type TableFormat } from '../../platform/exports/table.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { MAX_EXPORT_ROWS } from '../register/index.ts';
import { fixHref, isQualityRuleId, qualityRule, qualityRules } from './rules.ts';
import type { Status } from '../../domain/rules/index.ts';

const v = (name: string) => `modules/quality/views/${name}.njk`;

function assertCanReadPeople(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'person:read')) throw new ForbiddenError('You do not have access to the register');
}

const pageSchema = z.coerce.number().int().min(1).max(1_000_000);

const nhsDisplay = (n: string) => formatNhsNumber(n).replace(/ /g, '\u00a0');


/** A rule's whole list as CSV or XLSX (issue 7: any list), limited to the people the actor may see; audited. */
async function downloadRule(request: FastifyRequest<{ Params: { ruleId: string } }>, reply: FastifyReply, format: TableFormat): Promise<FastifyReply> {
  const ctx = request.ctx();
  assertCanReadPeople(ctx);
  const { ruleId } = request.params;
  if (!isQualityRuleId(ruleId)) throw new NotFoundError('There is no data quality rule with this name');
  const rule = qualityRule(ruleId);
  const today = todayInLondon();
  const result = await qualityRulePage(ctx, ruleId, today, 1, MAX_EXPORT_ROWS);
  if (result.total > MAX_EXPORT_ROWS) {
    throw new InputError([{ path: 'download', message: `This list has ${result.total.toLocaleString('en-GB')} people. A download can hold up to ${MAX_EXPORT_ROWS.toLocaleString('en-GB')}.` }]);
  }
  await recordExport(ctx.data, 'list.exported', { list: `data-quality:${rule.id}`, format, rowCount: result.total });
  const table: Table<QualityRow> = {
    title: 'Data quality',
    rows: result.rows,
    columns: [
      { header: 'NHS number', width: 13, value: (r) => (r.nhsNumber ? formatNhsNumber(r.nhsNumber) : null) },
      { header: 'Family name', width: 20, value: (r) => r.familyName },
      { header: 'Given name', width: 20, value: (r) => r.givenName },
      { header: 'Date of birth', width: 13, date: true, value: (r) => r.dateOfBirth },
      { header: 'Status', width: 16, value: (r) => statusLabels[r.status as Status] ?? r.status },
      { header: 'Responsible local authority code', width: 14, value: (r) => r.responsibleLocalAuthority },
      { header: 'Responsible ICB code', width: 14, value: (r) => r.responsibleIcb },
      { header: 'Next review due', width: 15, date: true, value: (r) => r.nextReviewDue },
      { header: 'Problem', width: 40, value: () => rule.title },
      { header: 'Detail', width: 50, value: (r) => r.detail },
    ],
  };
  return sendTable(reply, format, table, { filename: `aftercare-data-quality-${rule.id}-${today}`, createdBy: ctx.actor.displayName });
}

export function qualityRoutes(app: FastifyInstance): void {
  app.get<{ Params: { ruleId: string } }>('/data-quality/:ruleId/people.csv', async (request, reply) => downloadRule(request, reply, 'csv'));
  app.get<{ Params: { ruleId: string } }>('/data-quality/:ruleId/people.xlsx', async (request, reply) => downloadRule(request, reply, 'xlsx'));

  app.get('/data-quality', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const today = todayInLondon();
    const summary = await qualitySummary(ctx, today);
    const membership = activeMembership(ctx.actor);
    const snapshots = await recentSnapshots(ctx);
    const overTime = {
      organisationName: membership?.organisationName ?? '',
      svg: snapshots.length > 0 ? scoreChart(`Data quality score over time, ${membership?.organisationName ?? ''}`, snapshots.map((sn) => ({ label: shortDate(sn.takenOn), tenths: sn.scoreTenths })), { id: 'score-over-time-chart' }) : null,
      rows: snapshots.map((sn) => {
        const { counts, synthetic } = snapshotCounts(sn.counts);
        return { takenOn: sn.takenOn, score: percentText(sn.scoreTenths), population: sn.population, counts: qualityRules.map((r) => counts[r.id]), synthetic };
      }),
      anySynthetic: snapshots.some((sn) => snapshotCounts(sn.counts).synthetic),
    };
    return reply.render(v('overview'), {
      overTime,
      title: 'Data quality',
      today,
      summary,
      rules: qualityRules.map((rule) => ({ ...rule, count: summary.counts[rule.id], href: `/data-quality/${rule.id}` })),
      emailMonthlyHref: emailMonthlyHref(ctx.actor, 'data-quality', []),
    });
  });

  app.get<{ Params: { ruleId: string }; Querystring: { page?: string } }>('/data-quality/:ruleId', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const { ruleId } = request.params;
    if (!isQualityRuleId(ruleId)) throw new NotFoundError('There is no data quality rule with this name');
    const rule = qualityRule(ruleId);
    const parsedPage = pageSchema.safeParse(request.query.page ?? '1');
    const requested = parsedPage.success ? parsedPage.data : 1;
    const today = todayInLondon();
    const result = await qualityRulePage(ctx, ruleId, today, requested);
    const pages = Math.max(1, Math.ceil(result.total / QUALITY_PAGE_SIZE));
    const base = `/data-quality/${rule.id}`;
    return reply.render(v('rule'), {
      title: `Data quality: ${rule.title}`,
      rule,
      downloads: { csv: `${base}/people.csv`, xlsx: `${base}/people.xlsx`, total: result.total, limit: MAX_EXPORT_ROWS, limitText: MAX_EXPORT_ROWS.toLocaleString('en-GB') },
      pageIgnored: !parsedPage.success,
      showing: { from: result.total === 0 ? 0 : (result.page - 1) * QUALITY_PAGE_SIZE + 1, to: Math.min(result.page * QUALITY_PAGE_SIZE, result.total), total: result.total },
      pagination: pagination(result.page, pages, (p) => (p > 1 ? `${base}?page=${p}` : base), 'Pages of this list'),
      rows: result.rows.map((r) => ({
        id: r.id,
        name: `${r.familyName}, ${r.givenName}`,
        fullName: `${r.givenName} ${r.familyName}`,
        nhsNumber: r.nhsNumber ? nhsDisplay(r.nhsNumber) : 'None recorded',
        dateOfBirth: r.dateOfBirth,
        status: statusLabels[r.status as Status] ?? r.status,
        nextReviewDue: r.nextReviewDue,
        detail: r.detail,
        fixHref: fixHref(rule, r.id, r.planId),
      })),
    });
  });
}
