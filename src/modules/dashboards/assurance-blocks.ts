import { hasRole, type Actor } from '../../platform/access/actor.ts';
import type { Dashboard } from './dashboard.service.ts';
import { chartBlock, n, type Cell, type ChartBlock } from './view-model.ts';

/*
 * The dashboard's figures on discharges, readmissions, panels, declined endings, teams and
 * population (issue 7, item 1), and the per-role views: which sections each kind of viewer
 * sees, in the order that matters to them. A view only chooses sections; every figure is
 * still counted over the people the viewer may see.
 */

const days = (v: number | null) => (v === null ? 'Not applicable' : n(v));
const percent = (part: number, whole: number) => (whole === 0 ? 'Not applicable' : `${Math.round((part / whole) * 100)}%`);
const people = (count: number) => `${n(count)} ${count === 1 ? 'person' : 'people'}`;

export const panelDecisionLabels: Record<string, string> = {
  approved: 'Approved',
  'approved-with-changes': 'Approved with changes',
  deferred: 'Deferred',
  declined: 'Declined',
};

export const POPULATION_SETTINGS_PATH = '/settings/population';

export function assuranceBlocks(d: Dashboard): ChartBlock[] {
  const x = d.discharges;
  const value = (v: string | number, qa: string): Cell => ({ text: typeof v === 'number' ? n(v) : v, numeric: true, qa });
  const measure = [{ text: 'Measure' }, { text: 'Value', numeric: true }];
  const blocks: ChartBlock[] = [
    chartBlock(
      'first-review',
      'Discharges in the period: time to first review',
      measure,
      [
        [{ text: 'Discharges in the period (entitlement episodes that started)' }, value(x.discharges, 'discharges')],
        [{ text: 'Reviewed since discharge' }, value(x.reviewed, 'discharges-reviewed')],
        [{ text: 'Not reviewed yet' }, value(x.discharges - x.reviewed, 'discharges-not-reviewed')],
        [{ text: `Median days from discharge to first review (${people(x.reviewed)} reviewed)` }, value(days(x.medianDaysToFirstReview), 'median-days-to-review')],
      ],
      [
        { label: 'Reviewed since discharge', value: x.reviewed },
        { label: 'Not reviewed yet', value: x.discharges - x.reviewed },
      ],
      'A discharge is the day the person had both ceased to be detained and left hospital, as the rules worked it out. The first review is the first review recorded on or after that day. These figures have no list of people: the register cannot filter by discharge date yet.',
    ),
    chartBlock(
      'plans-at-discharge',
      'Discharges in the period: aftercare plans',
      measure,
      [
        [{ text: 'Discharges in the period' }, value(x.discharges, 'plan-discharges')],
        [{ text: 'An approved plan was in place at discharge' }, value(x.planInPlace, 'plan-at-discharge')],
        [{ text: 'Share with a plan in place at discharge' }, value(percent(x.planInPlace, x.discharges), 'plan-at-discharge-rate')],
        [{ text: 'A plan was first approved after discharge' }, value(x.planAfter, 'plan-after-discharge')],
        [{ text: 'No approved plan yet' }, value(x.discharges - x.planInPlace - x.planAfter, 'plan-none')],
        [{ text: `Median days from discharge to a plan approved after it (${people(x.planAfter)})` }, value(days(x.medianDaysToPlanAfter), 'median-days-to-plan')],
      ],
      [
        { label: 'Plan in place at discharge', value: x.planInPlace },
        { label: 'Plan approved after discharge', value: x.planAfter },
        { label: 'No approved plan yet', value: x.discharges - x.planInPlace - x.planAfter },
      ],
      'In place at discharge: a plan approved on or before the discharge day and after the detention that led to it began (a plan from an earlier admission does not count). Aftercare should be planned before discharge (Mental Health Act 1983 Code of Practice, chapter 33).',
    ),
    chartBlock(
      'readmissions',
      'Readmissions within 12 months of discharge',
      measure,
      [
        [{ text: 'Discharges in the period' }, value(x.discharges, 'readmission-discharges')],
        [{ text: 'Detained or admitted again within 12 months of discharge' }, value(x.readmittedWithin12Months, 'readmitted')],
        [{ text: 'Discharges at least 12 months ago (followed up for a full year)' }, value(x.followedUp12Months, 'followed-up')],
        [{ text: 'Of those, readmitted within 12 months' }, value(x.readmittedAmongFollowedUp, 'readmitted-followed-up')],
        [{ text: 'Readmission rate among those followed up for a full year' }, value(percent(x.readmittedAmongFollowedUp, x.followedUp12Months), 'readmission-rate')],
      ],
      [
        { label: 'Readmitted within 12 months', value: x.readmittedWithin12Months },
        { label: 'Not readmitted (so far)', value: x.discharges - x.readmittedWithin12Months },
      ],
      'A readmission is a detention or informal admission recorded on a day within 365 days after the discharge. Recent discharges have had less than a year to be readmitted, so the rate uses only those followed up for a full year.',
    ),
    chartBlock(
      'learning-reviews',
      'Learning from crises and readmissions (competency domain 4, leader level)',
      measure,
      [
        [{ text: 'Learning reviews completed in the last 12 months' }, value(d.learningReviews.completed, 'learning-reviews-completed')],
        [{ text: 'Learning reviews still to do' }, value(d.learningReviews.outstanding, 'learning-reviews-outstanding')],
      ],
      [
        { label: 'Completed', value: d.learningReviews.completed },
        { label: 'Still to do', value: d.learningReviews.outstanding },
      ],
      'A learning review (what happened, what the plan said, what changes) is due after a readmission within 365 days of a discharge, counted from readmissions in the last 12 months, and after a risk escalation whose outcome was that the crisis team was involved. The partnership competency framework, domain 4 (review, risk and prevention), asks leaders to ensure learning from crises and readmissions. These figures are for the people you may see, whatever the period chosen above.',
    ),
    {
      ...chartBlock(
        'safeguarding',
        'Safeguarding adults (Care Act 2014, section 42)',
        measure,
        [
          [{ text: 'Safeguarding concerns raised in the last 12 months' }, value(d.safeguarding.concerns, 'safeguarding-concerns')],
          [{ text: 'Section 42(1) decisions made in the last 12 months' }, value(d.safeguarding.decisions, 'safeguarding-decisions')],
          [{ text: 'Of those, made within the partnership’s timescale' }, value(d.safeguarding.decisionsInTime, 'safeguarding-decisions-in-time')],
          [{ text: 'Share made within the timescale' }, value(d.safeguarding.decisionsInTimePercent === null ? 'Not applicable' : `${d.safeguarding.decisionsInTimePercent}%`, 'safeguarding-timeliness')],
          [{ text: 'Section 42 enquiries started in the last 12 months' }, value(d.safeguarding.enquiriesStarted, 'safeguarding-enquiries-started')],
          [{ text: 'Section 42 enquiries concluded in the last 12 months' }, value(d.safeguarding.enquiriesConcluded, 'safeguarding-enquiries-concluded')],
          [{ text: 'Section 42 enquiries open now', href: '/register?safeguarding=open' }, value(d.safeguarding.enquiriesOpen, 'safeguarding-enquiries-open')],
          [{ text: 'Protection plans due for review or overdue' }, value(d.safeguarding.plansDueForReview, 'safeguarding-plans-due')],
        ],
        [
          { label: 'Decided within the timescale', value: d.safeguarding.decisionsInTime },
          { label: 'Decided after it', value: d.safeguarding.decisions - d.safeguarding.decisionsInTime },
        ],
        'The local authority decides whether the section 42(1) criteria are met within the partnership’s timescale (working days from the day a concern is raised, set on the planning settings page). Counts only: the details of each concern are seen only by the roles the partnership chose. These figures are for the people you may see, over the last 12 months whatever the period chosen above.',
      ),
      link: { href: '/safeguarding/collection.csv', text: 'Download this month’s Safeguarding Adults Collection figures (CSV)', permission: 'assurance:read' },
    },
    chartBlock(
      'carers',
      'Carers and their assessments (Care Act 2014, section 10)',
      measure,
      [
        [{ text: 'Carers known' }, value(d.carers.known, 'carers-known')],
        [{ text: 'Carer’s assessments offered in the period' }, value(d.carers.offered, 'carers-offered')],
        [{ text: 'Completed in the period' }, value(d.carers.completed, 'carers-completed')],
        [{ text: 'Declined in the period (section 10(7))' }, value(d.carers.declined, 'carers-declined')],
      ],
      [
        { label: 'Offered', value: d.carers.offered },
        { label: 'Completed', value: d.carers.completed },
        { label: 'Declined', value: d.carers.declined },
      ],
      'Carers known: carers linked to the people you may see, whatever the period. An assessment is counted as offered, completed or declined on the day it was, within the period chosen above; the offer is prompted at discharge and at each review.',
    ),
    chartBlock(
      'panels',
      'Funding panel decisions in the period',
      [{ text: 'Decision' }, { text: 'Cases', numeric: true }],
      [
        ...d.panels.byDecision.map((p): Cell[] => [{ text: panelDecisionLabels[p.decision] ?? p.decision }, value(p.count, `panel-${p.decision}`)]),
        [{ text: 'All decisions' }, value(d.panels.total, 'panel-total')],
        [{ text: 'Median days from referral to decision' }, value(days(d.panels.medianDaysToDecision), 'panel-median-days')],
      ],
      d.panels.byDecision.map((p) => ({ label: panelDecisionLabels[p.decision] ?? p.decision, value: p.count })),
      'Cases decided in the period; a referral is the case’s submission to the panel. Panel cases are listed under Panels, not on the register.',
    ),
    chartBlock(
      'declined-endings',
      'Ending proposals declined in the period',
      [{ text: 'Measure' }, { text: 'Proposals', numeric: true }],
      [
        [{ text: 'Declined' }, value(d.declinedEndings.declined, 'endings-declined')],
        [{ text: 'Declined by the local authority' }, value(d.declinedEndings.byLocalAuthority, 'endings-declined-la')],
        [{ text: 'Declined by the ICB' }, value(d.declinedEndings.byIcb, 'endings-declined-icb')],
        [{ text: 'Withdrawn by the proposer' }, value(d.declinedEndings.withdrawn, 'endings-withdrawn')],
      ],
      [
        { label: 'Declined', value: d.declinedEndings.declined },
        { label: 'Withdrawn', value: d.declinedEndings.withdrawn },
      ],
      'Aftercare can end only when both the local authority and the ICB agree; a proposal declined by either stays declined. Both bodies can decline the same proposal.',
    ),
    chartBlock(
      'teams',
      'Reviews by team',
      [{ text: 'Team' }, { text: 'Entitled now', numeric: true }, { text: 'Overdue reviews', numeric: true }],
      d.teams.map((t): Cell[] => [
        { text: t.name },
        { text: n(t.entitled.count), href: t.entitled.href, numeric: true, qa: 'team-entitled' },
        { text: n(t.overdue.count), href: t.overdue.href, numeric: true, qa: 'team-overdue' },
      ]),
      d.teams.slice(0, 12).map((t) => ({ label: t.name, value: t.overdue.count })),
      'People entitled now by their allocated team (people with no team are not shown). The chart shows overdue reviews for the 12 teams with the most.',
    ),
  ];

  if (d.population) {
    const p = d.population;
    blocks.push(
      chartBlock(
        'population',
        'People entitled per 100,000 population',
        [{ text: 'Area' }, { text: 'Entitled now', numeric: true }, { text: 'Population', numeric: true }, { text: 'Per 100,000', numeric: true }],
        [
          [{ text: 'All (in this view)' }, value(p.overall.entitled, 'population-entitled'), value(p.overall.population === null ? 'Not configured' : p.overall.population, 'population-total'), value(p.overall.rate.text, 'population-rate')],
          ...p.byLocalAuthority.map((l): Cell[] => [{ text: l.name }, value(l.entitled, `population-entitled-${l.code}`), value(l.population === null ? 'Not configured' : l.population, `population-${l.code}`), value(l.rate.text, `population-rate-${l.code}`)]),
        ],
        p.byLocalAuthority.filter((l) => l.rate.value !== null).map((l) => ({ label: l.name, value: l.rate.value!, display: l.rate.text })),
        'People entitled now per 100,000 of the population entered for the partnership. "All" counts the people in this view (any ICB or team filter applies) against the population of the chosen local authority or of the whole partnership.',
      ),
    );
  } else {
    blocks.push({
      ...chartBlock('population', 'People entitled per 100,000 population', measure, [[{ text: 'Population figures' }, value('Not configured', 'population-not-configured')]], null, 'Rates need the partnership’s population figures, which the lead organisation’s administrator enters.'),
      link: { href: POPULATION_SETTINGS_PATH, text: 'Enter population figures', permission: 'settings:manage' },
    });
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Views for each role
// ---------------------------------------------------------------------------

export const dashboardViews = ['manager', 'commissioner', 'quality', 'director'] as const;
export type DashboardView = (typeof dashboardViews)[number];

export const dashboardViewLabels: Record<DashboardView, string> = {
  manager: 'Team manager',
  commissioner: 'Commissioner',
  quality: 'Quality and audit',
  director: 'Director (every figure)',
};

/** The sections of each view, in order; the director sees every section in the page's order. */
export const viewSections: Record<Exclude<DashboardView, 'director'>, readonly string[]> = {
  manager: ['reviews', 'teams', 'first-review', 'information', 'plans-at-discharge', 'learning-reviews', 'safeguarding', 'carers', 'plans', 'entitlement'],
  commissioner: ['cost-funder', 'cost-type', 'panels', 'plans', 'disputes', 'entitlement', 'population'],
  quality: ['information', 'reviews', 'first-review', 'plans-at-discharge', 'endings', 'declined-endings', 'readmissions', 'learning-reviews', 'safeguarding', 'carers'],
};

/** The view a viewer starts on, from their roles (a presentation default, not access). */
export function defaultView(actor: Actor): DashboardView {
  if (hasRole(actor, 'team-manager')) return 'manager';
  if (hasRole(actor, 'commissioner')) return 'commissioner';
  if (hasRole(actor, 'quality-audit')) return 'quality';
  return 'director';
}

export function parseView(raw: unknown, actor: Actor): { view: DashboardView; error: string | null } {
  const value = typeof raw === 'string' ? raw.trim() : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0].trim() : '';
  if (value === '') return { view: defaultView(actor), error: null };
  if ((dashboardViews as readonly string[]).includes(value)) return { view: value as DashboardView, error: null };
  return { view: defaultView(actor), error: `View as must be one of: ${dashboardViews.join(', ')}` };
}

/** The blocks a view shows, in its order. */
export function blocksForView(blocks: readonly ChartBlock[], view: DashboardView): ChartBlock[] {
  if (view === 'director') return [...blocks];
  return viewSections[view].map((id) => blocks.find((b) => b.id === id)).filter((b): b is ChartBlock => b !== undefined);
}
