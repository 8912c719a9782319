import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatPounds } from '../../domain/funding.ts';
import { can } from '../../platform/access/policy.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { ForbiddenError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { endReasonLabels } from '../endings/index.ts';
import { emailMonthlyHref } from '../../platform/views/schedule-link.ts';
import { loadRegisterOptions, type RegisterOptions } from '../register/index.ts';
import { cachedDashboard, parseDashboardQuery, type Dashboard, type DashboardFilter, type Figure } from './dashboard.service.ts';
import { chartBlock, n, type Cell, type ChartBlock } from './view-model.ts';
import { assuranceBlocks, blocksForView, dashboardViewLabels, dashboardViews, parseView } from './assurance-blocks.ts';

export function assertCanReadDashboards(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'person:read')) throw new ForbiddenError('You do not have access to the dashboards');
}

/** The filter form's choices (select items) for a dashboard filter. */
export function scopeForm(filter: DashboardFilter, options: RegisterOptions) {
  const items = (anyText: string, values: Array<{ value: string; text: string }>, chosen: string) => [
    { value: '', text: anyText, selected: chosen === '' },
    ...values.map((v) => ({ ...v, selected: v.value === chosen })),
  ];
  return {
    la: items('All local authorities', options.localAuthorities.map((o) => ({ value: o.code, text: o.name })), filter.la),
    icb: items('All ICBs', options.icbs.map((o) => ({ value: o.code, text: o.name })), filter.icb),
    team: items('All teams', options.teams.map((t) => ({ value: t.id, text: `${t.name} (${t.organisationName})` })), filter.team),
    from: filter.from,
    to: filter.to,
  };
}

export function scopeText(filter: DashboardFilter, options: RegisterOptions): string {
  const parts: string[] = [];
  if (filter.la) parts.push(options.localAuthorities.find((o) => o.code === filter.la)?.name ?? filter.la);
  if (filter.icb) parts.push(options.icbs.find((o) => o.code === filter.icb)?.name ?? filter.icb);
  if (filter.team) parts.push(options.teams.find((t) => t.id === filter.team)?.name ?? filter.team);
  return parts.join(', ');
}

export function filterQuery(filter: DashboardFilter): string {
  const pairs = Object.entries(filter).filter(([, v]) => v !== '');
  return new URLSearchParams(pairs).toString();
}

const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const fig = (f: Figure, qa: string): Cell => ({ text: n(f.count), href: f.href, numeric: true, qa });

/** The dashboard's charts and tables, as the page shows them (scheduled reports send the same tables). */
export function dashboardBlocks(d: Dashboard): ChartBlock[] {
  const countHeaders = (first: string) => [{ text: first }, { text: 'People', numeric: true }];
  const money = (label: string, weekly: number, yearly: number): Cell[] => [{ text: label }, { text: formatPounds(weekly), numeric: true }, { text: formatPounds(yearly), numeric: true }];

  return [
    chartBlock(
      'entitlement',
      'People entitled to section 117 aftercare',
      countHeaders('Measure'),
      [
        [{ text: 'Entitled now' }, fig(d.entitled.active, 'active')],
        [{ text: 'Entitlement started in the period' }, fig(d.entitled.newInPeriod, 'new')],
        [{ text: 'Aftercare ended in the period' }, fig(d.entitled.endedInPeriod, 'ended')],
      ],
      [
        { label: 'Entitled now', value: d.entitled.active.count },
        { label: 'Started in period', value: d.entitled.newInPeriod.count },
        { label: 'Ended in period', value: d.entitled.endedInPeriod.count },
      ],
    ),
    chartBlock(
      'reviews',
      'Reviews of people entitled now',
      countHeaders('Review'),
      [
        [{ text: 'Overdue reviews' }, fig(d.reviews.overdue, 'overdue')],
        [{ text: 'Due in the next 30 days' }, fig(d.reviews.due, 'due')],
        [{ text: 'In date (due in more than 30 days)' }, fig(d.reviews.inDate, 'in-date')],
        [{ text: 'No review date' }, fig(d.reviews.noDate, 'no-date')],
      ],
      [
        { label: 'Overdue', value: d.reviews.overdue.count },
        { label: 'Due in 30 days', value: d.reviews.due.count },
        { label: 'In date', value: d.reviews.inDate.count },
        { label: 'No review date', value: d.reviews.noDate.count },
      ],
    ),
    chartBlock(
      'information',
      'Rights and engagement of people entitled now',
      countHeaders('Measure'),
      [
        [{ text: 'Never given their rights in writing' }, fig(d.neverInWriting, 'never-in-writing')],
        [{ text: 'Disengaged' }, fig(d.disengaged, 'disengaged')],
      ],
      null,
    ),
    chartBlock(
      'disputes',
      'Open disputes by age',
      [{ text: 'Open for' }, { text: 'Disputes', numeric: true }],
      [
        [{ text: 'Less than 2 months' }, { text: n(d.disputes.under2), href: '/disputes', numeric: true, qa: 'disputes-under2' }],
        [{ text: '2 to 4 months' }, { text: n(d.disputes.from2to4), href: '/disputes', numeric: true, qa: 'disputes-2to4' }],
        [{ text: 'More than 4 months' }, { text: n(d.disputes.over4), href: '/disputes', numeric: true, qa: 'disputes-over4' }],
      ],
      [
        { label: 'Less than 2 months', value: d.disputes.under2 },
        { label: '2 to 4 months', value: d.disputes.from2to4 },
        { label: 'More than 4 months', value: d.disputes.over4 },
      ],
    ),
    chartBlock(
      'plans',
      'Aftercare plans',
      [{ text: 'Measure' }, { text: 'Value', numeric: true }],
      [
        [{ text: 'Approved plans in place' }, { text: n(d.plans.approved), numeric: true, qa: 'plans-approved' }],
        [
          { text: `Median days from entitlement start to first approved plan (${n(d.plans.measured)} ${d.plans.measured === 1 ? 'person' : 'people'} whose entitlement started in the period)` },
          { text: d.plans.medianDaysToPlan === null ? 'Not applicable' : n(d.plans.medianDaysToPlan), numeric: true, qa: 'plans-median-days' },
        ],
        [{ text: 'People with a direct payment in use' }, { text: n(d.budgets.directPayments), numeric: true, qa: 'direct-payments' }],
        [{ text: 'People with a personal health budget in use' }, { text: n(d.budgets.personalHealthBudgets), numeric: true, qa: 'phbs' }],
      ],
      null,
      'A negative number of days means the plan was approved before entitlement started (in place at discharge).',
    ),
    chartBlock(
      'cost-funder',
      'Cost of services in use by funder',
      [{ text: 'Funder' }, { text: 'A week', numeric: true }, { text: `A year (${d.cost.weeksPerYear} weeks)`, numeric: true }],
      [
        money('Local authorities', d.cost.weekly.localAuthorityPence, d.cost.yearly.localAuthorityPence),
        money('ICB', d.cost.weekly.icbPence, d.cost.yearly.icbPence),
        money('Total', d.cost.weekly.totalPence, d.cost.yearly.totalPence),
      ],
      [
        { label: 'Local authorities a week', value: d.cost.weekly.localAuthorityPence, display: formatPounds(d.cost.weekly.localAuthorityPence) },
        { label: 'ICB a week', value: d.cost.weekly.icbPence, display: formatPounds(d.cost.weekly.icbPence) },
      ],
      'Services of approved plans that are in place today (started and not ended), for people in the community: services of someone in hospital are not counted while they are there. Top-ups paid by the person are not included.',
    ),
    chartBlock(
      'cost-type',
      'Cost of services in use by service type',
      [{ text: 'Service type' }, { text: 'A week', numeric: true }, { text: 'A year', numeric: true }],
      d.cost.byServiceType.map((s) => [{ text: s.serviceType }, { text: formatPounds(s.weeklyPence), numeric: true, qa: `cost-type-week-${s.code}` }, { text: formatPounds(s.yearlyPence), numeric: true }]),
      d.cost.byServiceType.map((s) => ({ label: s.serviceType, value: s.weeklyPence, display: formatPounds(s.weeklyPence) })),
      'The weekly cost at the top of the page is the total of these types.',
    ),
    chartBlock(
      'endings',
      'Endings recorded in the period, by reason',
      [{ text: 'Reason' }, { text: 'Endings', numeric: true }],
      d.endings.map((e) => [{ text: endReasonLabels[e.reason as keyof typeof endReasonLabels] ?? e.reason }, { text: n(e.count), numeric: true, qa: `ending-${e.reason}` }]),
      d.endings.map((e) => ({ label: endReasonLabels[e.reason as keyof typeof endReasonLabels] ?? e.reason, value: e.count })),
      'An ending can give more than one reason, so reasons can add up to more than the endings.',
    ),
    ...assuranceBlocks(d),
  ];

}

/** The headline figures at the top of the dashboard. */
export function dashboardHeadline(d: Dashboard) {
  return [
    { label: 'Entitled now', text: n(d.entitled.active.count), href: d.entitled.active.href, qa: 'headline-active' },
    { label: 'Overdue reviews', text: n(d.reviews.overdue.count), href: d.reviews.overdue.href, qa: 'headline-overdue' },
    { label: 'Never given rights in writing', text: n(d.neverInWriting.count), href: d.neverInWriting.href, qa: 'headline-never-in-writing' },
    { label: 'Weekly cost of aftercare', text: formatPounds(d.cost.weekly.totalPence), href: null, qa: 'headline-weekly-cost' },
  ];
}

export function dashboardsRoutes(app: FastifyInstance): void {
  app.get('/dashboards', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadDashboards(ctx);
    const today = todayInLondon();
    const options = await loadRegisterOptions(ctx);
    const parsed = parseDashboardQuery(queryOf(request), options, today);
    const d = await cachedDashboard(ctx, parsed, options, today);
    // "View as": which sections show, and in what order (issue 7: each role's dashboard).
    const { view, error: viewError } = parseView(queryOf(request).view, ctx.actor);
    const errors = viewError ? [...parsed.errors, { path: 'view', message: viewError }] : parsed.errors;
    const blocks = blocksForView(dashboardBlocks(d), view).map((b) => (b.link?.permission && !can(ctx.actor, b.link.permission) ? { ...b, link: undefined } : b));
    const headline = dashboardHeadline(d);
    const query = filterQuery(parsed.filter);
    return reply.render('modules/dashboards/views/dashboard.njk', {
      title: 'Dashboards',
      filter: parsed.filter,
      form: { ...scopeForm(parsed.filter, options), view: dashboardViews.map((v) => ({ value: v, text: dashboardViewLabels[v], selected: v === view })) },
      view,
      viewLabel: dashboardViewLabels[view],
      dataQualityHref: view === 'quality' && (can(ctx.actor, 'person:audit') || can(ctx.actor, 'audit:read')) ? '/data-quality' : null,
      errors: errors.length > 0 ? toGovukErrors(errors) : undefined,
      scopeText: scopeText(parsed.filter, options),
      computedAt: d.computedAt,
      headline,
      blocks,
      equalityHref: query ? `/dashboards/equality?${query}` : '/dashboards/equality',
      emailMonthlyHref: emailMonthlyHref(ctx.actor, 'dashboard', [...new URLSearchParams(query), ['view', view]]),
    });
  });
}
