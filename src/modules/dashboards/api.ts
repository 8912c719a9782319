import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayInLondon } from '../../platform/clock.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { loadRegisterOptions } from '../register/index.ts';
import { cachedDashboard, parseDashboardQuery, type Dashboard } from './dashboard.service.ts';
import { assertCanReadDashboards, scopeText } from './routes.ts';

/*
 * The assurance API (issue 14, item 5): the dashboard's figures as JSON, counted as the page
 * counts them (the same computation and cache), over the people the caller may see — a user's
 * relationships, or an API token's organisation — narrowed by the same filters. A filter the
 * page would report and leave out is refused here with a 422 problem, so a system never
 * receives figures for a scope it did not ask for.
 */

const count = z.number().int();
const money = z.object({ localAuthorityPence: count, icbPence: count, totalPence: count });

const dashboardSchema = z
  .object({
    scope: z.object({ la: z.string(), icb: z.string(), team: z.string(), from: z.string(), to: z.string(), description: z.string().describe('The scope in words ("" for everything the caller may see)') }),
    computedAt: z.string().describe('When the figures were counted (they are kept for 60 seconds)'),
    entitled: z.object({ active: count, newInPeriod: count, endedInPeriod: count }),
    reviews: z.object({ overdue: count, due: count, inDate: count, noDate: count }),
    neverGivenRightsInWriting: count,
    disengaged: count,
    disputes: z.object({ under2Months: count, from2To4Months: count, over4Months: count }),
    plans: z.object({ approved: count, medianDaysToPlan: z.number().nullable(), measured: count }),
    cost: z.object({
      weekly: money,
      yearly: money,
      weeksPerYear: z.number(),
      byServiceType: z.array(z.object({ code: z.string(), serviceType: z.string(), weeklyPence: count, yearlyPence: count, services: count })),
    }),
    budgets: z.object({ directPayments: count, personalHealthBudgets: count }),
    endings: z.array(z.object({ reason: z.string(), count })),
    teams: z.array(z.object({ id: z.string(), name: z.string(), entitled: count, overdueReviews: count })),
    declinedEndings: z.looseObject({}),
    discharges: z.looseObject({}),
    panels: z.looseObject({}),
    population: z.looseObject({}).nullable(),
  })
  .describe('The assurance dashboard’s figures (docs/dashboards.md), money in pence');

export type DashboardJson = z.infer<typeof dashboardSchema>;

export function dashboardJson(d: Dashboard, scope: DashboardJson['scope']): DashboardJson {
  return {
    scope,
    computedAt: d.computedAt,
    entitled: { active: d.entitled.active.count, newInPeriod: d.entitled.newInPeriod.count, endedInPeriod: d.entitled.endedInPeriod.count },
    reviews: { overdue: d.reviews.overdue.count, due: d.reviews.due.count, inDate: d.reviews.inDate.count, noDate: d.reviews.noDate.count },
    neverGivenRightsInWriting: d.neverInWriting.count,
    disengaged: d.disengaged.count,
    disputes: { under2Months: d.disputes.under2, from2To4Months: d.disputes.from2to4, over4Months: d.disputes.over4 },
    plans: d.plans,
    cost: { weekly: d.cost.weekly, yearly: d.cost.yearly, weeksPerYear: d.cost.weeksPerYear, byServiceType: d.cost.byServiceType },
    budgets: d.budgets,
    endings: d.endings,
    teams: d.teams.map((t) => ({ id: t.id, name: t.name, entitled: t.entitled.count, overdueReviews: t.overdue.count })),
    declinedEndings: { ...d.declinedEndings },
    discharges: { ...d.discharges },
    panels: { ...d.panels },
    population: d.population ? { ...d.population } : null,
  };
}

export function dashboardsApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/assurance/dashboard',
    {
      schema: {
        tags: ['assurance'],
        summary: 'The assurance dashboard’s figures',
        description:
          'The figures of the Dashboards page, counted over the people the caller may see (a user’s organisations and relationships; an API token’s organisation), for the local authority, ICB, team and period given. Without a period: the last 12 months to today.',
        querystring: z.object({
          la: z.string().optional().describe('ONS code of a local authority'),
          icb: z.string().optional().describe('Code of an ICB'),
          team: z.string().optional().describe('Id of a team'),
          from: z.string().optional().describe('Start of the period, YYYY-MM-DD'),
          to: z.string().optional().describe('End of the period, YYYY-MM-DD'),
        }),
        response: {
          200: dashboardSchema,
          401: problemSchema.describe('No valid API token or session'),
          403: problemSchema.describe('No permission to read the register'),
          422: problemSchema.describe('A filter is not valid (each field named)'),
        },
      },
    },
    async (request) => {
      const ctx = request.ctx();
      assertCanReadDashboards(ctx);
      const today = todayInLondon();
      const options = await loadRegisterOptions(ctx);
      const parsed = parseDashboardQuery(request.query, options, today);
      if (parsed.errors.length > 0) throw new InputError(parsed.errors);
      const d = await cachedDashboard(ctx, parsed, options, today);
      return dashboardJson(d, { ...parsed.filter, description: scopeText(parsed.filter, options) });
    },
  );
}
