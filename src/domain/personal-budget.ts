/**
 * Indicative personal budgets: a resource allocation system (RAS) for aftercare plans.
 *
 * Each of the plan's section 117 needs scores points by its domain and level; the points times
 * the rate per point give a weekly figure, and 52 weeks a year. Needs outside section 117 are not
 * counted: they are met and funded under other law (R43–R46). The figure is indicative, a
 * starting point for planning: the final budget is what it costs to meet the assessed needs
 * (Care and Support Statutory Guidance ch.11, paras 11.22–11.24; R47).
 *
 * Sources: Care Act 2014 s26 (personal budgets); Care and Support Statutory Guidance ch.11;
 * section 117 personal budgets through direct payments under MHA 1983 s117(2C), Care Act 2014
 * ss31–33 (as applied by Sch 4) and the Care and Support (Direct Payments) Regulations 2014, and
 * personal health budgets under SI 2012/2996 Part 6A (R23).
 *
 * Money is integer pence throughout. The settings are the partnership's, edited on an admin form.
 */
import { z } from 'zod';
import { formatPounds } from './funding.ts';
import { because } from './rules/catalogue.ts';
import type { Reason } from './rules/contract.ts';
import { needDomainIds, needDomainLabel, needDomains, type NeedDomain } from './rules/needs.ts';

export const needLevels = ['low', 'medium', 'high'] as const;
export type NeedLevel = (typeof needLevels)[number];

export interface LevelPoints {
  readonly low: number;
  readonly medium: number;
  readonly high: number;
}

export interface ResourceAllocationSettings {
  /** What one point is worth a week, in pence: 1500 is £15.00. */
  readonly pencePerPoint: number;
  /** Points for each domain at each level of need. */
  readonly points: Readonly<Record<NeedDomain, LevelPoints>>;
}

/** Weeks in a year for the annual figure, unless the partnership sets another. */
export const WEEKS_PER_YEAR = 52;

/** The most one point may be worth: £1,000.00 a week. */
export const MAX_PENCE_PER_POINT = 100_000;
/** The most points a domain may score at any level. */
export const MAX_POINTS = 1_000;

/**
 * Synthetic starting figures (not any authority's real RAS): £15.00 a point; the domains where
 * aftercare is usually heaviest (relapse prevention, daily living, safety) score most.
 */
export const defaultResourceAllocation: ResourceAllocationSettings = {
  pencePerPoint: 1500,
  points: {
    'mental-health-relapse-prevention': { low: 4, medium: 10, high: 20 },
    accommodation: { low: 3, medium: 8, high: 16 },
    'daily-living': { low: 5, medium: 12, high: 24 },
    medication: { low: 2, medium: 5, high: 10 },
    'physical-health': { low: 1, medium: 3, high: 6 },
    'substance-use': { low: 3, medium: 8, high: 16 },
    'finances-benefits': { low: 1, medium: 3, high: 6 },
    'work-education-volunteering': { low: 2, medium: 5, high: 10 },
    'relationships-social-inclusion': { low: 2, medium: 6, high: 12 },
    'safety-risk': { low: 4, medium: 10, high: 20 },
    carers: { low: 1, medium: 3, high: 6 },
  },
};

// ---------------------------------------------------------------------------
// Settings schema, for the admin form
// ---------------------------------------------------------------------------

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `label` in lower case, as in "the amount per point". */
function wholeNumber(label: string, max: number, unit: string) {
  const range = `a whole number of ${unit} from 0 to ${max.toLocaleString('en-GB')}`;
  const invalid = `${capitalise(label)} must be ${range}`;
  return z
    .int({ error: (issue) => (issue.input === undefined ? `Enter ${label}: ${range}` : invalid) })
    .min(0, { error: invalid })
    .max(max, { error: invalid });
}

function levelPointsSchema(domain: NeedDomain) {
  const name = needDomainLabel(domain);
  return z
    .strictObject(
      {
        low: wholeNumber(`the points for ${name} (low)`, MAX_POINTS, 'points'),
        medium: wholeNumber(`the points for ${name} (medium)`, MAX_POINTS, 'points'),
        high: wholeNumber(`the points for ${name} (high)`, MAX_POINTS, 'points'),
      },
      { error: `Enter the points for ${name} at each level: low, medium and high` },
    )
    .superRefine((points, ctx) => {
      if (points.medium < points.low) {
        ctx.addIssue({ code: 'custom', path: ['medium'], message: `The points for ${name} (medium) must be at least the points for low (${points.low})` });
      }
      if (points.high < points.medium) {
        ctx.addIssue({ code: 'custom', path: ['high'], message: `The points for ${name} (high) must be at least the points for medium (${points.medium})` });
      }
    });
}

const pointsShape = Object.fromEntries(needDomainIds.map((domain) => [domain, levelPointsSchema(domain)])) as Record<
  NeedDomain,
  ReturnType<typeof levelPointsSchema>
>;

export const resourceAllocationSchema = z.strictObject(
  {
    pencePerPoint: wholeNumber('the amount per point', MAX_PENCE_PER_POINT, 'pence'),
    points: z.strictObject(pointsShape, { error: 'Enter the points for every need domain' }),
  },
  { error: 'The resource allocation settings must be an object with "pencePerPoint" and "points"' },
);

// ---------------------------------------------------------------------------
// The calculation
// ---------------------------------------------------------------------------

export interface BudgetNeed {
  readonly domain: NeedDomain;
  readonly level: NeedLevel;
  /** Whether the need is a section 117 need (see `classifyPlanNeed`). */
  readonly s117: boolean;
}

export interface BudgetLine {
  readonly domain: NeedDomain;
  readonly level: NeedLevel;
  readonly points: number;
}

export interface IndicativeBudget {
  readonly weeklyPence: number;
  /** The weekly figure × weeks a year (52 unless given). */
  readonly annualPence: number;
  readonly points: number;
  /** One line for each domain with a section 117 need, in the plan's domain order. */
  readonly lines: BudgetLine[];
  readonly reasons: Reason[];
}

const levelRank: Readonly<Record<NeedLevel, number>> = { low: 0, medium: 1, high: 2 };

/**
 * The indicative weekly and annual budget for a plan's needs. Only section 117 needs count. A
 * domain scores once: where it has several section 117 needs, the highest level counts.
 */
export function indicativeBudget(
  settings: ResourceAllocationSettings,
  needs: readonly BudgetNeed[],
  weeksPerYear: number = WEEKS_PER_YEAR,
): IndicativeBudget {
  const parsed = resourceAllocationSchema.safeParse(settings);
  if (!parsed.success) throw new RangeError(parsed.error.issues.map((issue) => issue.message).join('; '));
  if (!Number.isInteger(weeksPerYear) || weeksPerYear < 1 || weeksPerYear > 53) throw new RangeError('Weeks a year must be a whole number from 1 to 53');

  const highest = new Map<NeedDomain, NeedLevel>();
  const excluded: BudgetNeed[] = [];
  let repeated = 0;
  for (const need of needs) {
    if (!needDomainIds.includes(need.domain)) throw new RangeError(`Unknown need domain: ${need.domain}`);
    if (!needLevels.includes(need.level)) throw new RangeError(`The level of a need must be low, medium or high, not ${need.level}`);
    if (!need.s117) {
      excluded.push(need);
      continue;
    }
    const current = highest.get(need.domain);
    if (current !== undefined) repeated += 1;
    if (current === undefined || levelRank[need.level] > levelRank[current]) highest.set(need.domain, need.level);
  }

  const lines: BudgetLine[] = [];
  for (const { id } of needDomains) {
    const level = highest.get(id);
    if (level !== undefined) lines.push({ domain: id, level, points: settings.points[id][level] });
  }
  const points = lines.reduce((sum, line) => sum + line.points, 0);
  const weeklyPence = points * settings.pencePerPoint;
  const annualPence = weeklyPence * weeksPerYear;

  const reasons: Reason[] = [
    because(
      'R47',
      lines.length === 0
        ? 'No section 117 needs are recorded, so the indicative budget is £0.00.'
        : `${points} points from ${lines.length} section 117 ${lines.length === 1 ? 'need' : 'needs'} (${lines
            .map((line) => `${needDomainLabel(line.domain)}, ${line.level}: ${line.points}`)
            .join('; ')}) at ${formatPounds(settings.pencePerPoint)} a point: ${formatPounds(weeklyPence)} a week, ${formatPounds(annualPence)} a year (${weeksPerYear} weeks).`,
    ),
  ];
  if (repeated > 0) {
    reasons.push(
      because('R47', `Each domain is counted once, at its highest level: ${repeated} further section 117 ${repeated === 1 ? 'need' : 'needs'} in the same domains added no points.`),
    );
  }
  if (excluded.length > 0) {
    reasons.push(
      because(
        'R47',
        `Only section 117 needs are counted: ${excluded.length} other ${excluded.length === 1 ? 'need' : 'needs'} (${excluded
          .map((need) => needDomainLabel(need.domain))
          .join(', ')}) ${excluded.length === 1 ? 'is' : 'are'} met and funded under other law and not included.`,
      ),
    );
  }
  reasons.push(
    because(
      'R47',
      'This is an indicative amount to start planning with: the final personal budget is what it costs to meet the assessed needs, and may be higher or lower. It may be taken as a direct payment or a personal health budget, and section 117 services stay free.',
    ),
  );
  return { weeklyPence, annualPence, points, lines, reasons };
}
