import type { FastifyInstance, FastifyRequest } from 'fastify';
import { todayInLondon } from '../../platform/clock.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { parseDashboardQuery } from '../dashboards/index.ts';
import { assertCanReadDashboards, filterQuery, scopeForm, scopeText } from '../dashboards/index.ts';
import { chartBlock, type Cell, type ChartBlock } from '../dashboards/index.ts';
import { loadRegisterOptions } from '../register/index.ts';
import { emailMonthlyHref } from '../../platform/views/schedule-link.ts';
import type { SafeCount, SafeRate } from '../../domain/suppression.ts';
import type { SafePopulationRate } from '../../domain/population.ts';
import { can } from '../../platform/access/policy.ts';
import { cachedEquality, type EqualityReport } from './equality.service.ts';

const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const cell = (c: SafeCount | SafeRate | SafePopulationRate, qa: string): Cell => ({ text: c.text, numeric: true, qa: c.suppressed ? `${qa} suppressed` : qa });

/** The equality tables, as the page shows them (scheduled reports send the same tables). */
export function equalityBlocks(report: EqualityReport): ChartBlock[] {
  return report.breakdowns.map((b) =>
    chartBlock(
      `equality-${b.dimension}`,
      `By ${b.label.toLowerCase()}`,
      [
        { text: b.label },
        { text: 'Entitled now', numeric: true },
        { text: 'Reviews in date', numeric: true },
        { text: 'Reviews in date (rate)', numeric: true },
        { text: 'Endings in period', numeric: true },
        { text: 'Direct payments in use', numeric: true },
        { text: 'Open disputes', numeric: true },
        ...(report.populationConfigured ? [{ text: 'Entitled per 100,000 population', numeric: true }] : []),
      ],
      b.groups.map((g) => [
        { text: g.label },
        cell(g.entitled, 'entitled'),
        cell(g.reviewsInDate, 'in-date'),
        cell(g.reviewsInDateRate, 'rate'),
        cell(g.endings, 'endings'),
        cell(g.directPayments, 'direct-payments'),
        cell(g.disputes, 'disputes'),
        ...(report.populationConfigured ? [cell(g.entitledRate, 'per-100k')] : []),
      ]),
      b.groups.map((g) => ({ label: g.label, value: g.entitled.value ?? 0, display: g.entitled.text })),
    ),
  );
}

export function equalityRoutes(app: FastifyInstance): void {
  app.get('/dashboards/equality', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadDashboards(ctx);
    const today = todayInLondon();
    const options = await loadRegisterOptions(ctx);
    const parsed = parseDashboardQuery(queryOf(request), options, today);
    const report = await cachedEquality(ctx, parsed, options, today);
    const blocks = equalityBlocks(report);
    const query = filterQuery(parsed.filter);
    return reply.render('modules/equality/views/equality.njk', {
      title: 'Equality monitoring',
      filter: parsed.filter,
      form: scopeForm(parsed.filter, options),
      errors: parsed.errors.length > 0 ? toGovukErrors(parsed.errors) : undefined,
      scopeText: scopeText(parsed.filter, options),
      computedAt: report.computedAt,
      blocks,
      dashboardHref: query ? `/dashboards?${query}` : '/dashboards',
      populationConfigured: report.populationConfigured,
      canManagePopulation: can(ctx.actor, 'settings:manage'),
      emailMonthlyHref: emailMonthlyHref(ctx.actor, 'equality', new URLSearchParams(query)),
    });
  });
}
