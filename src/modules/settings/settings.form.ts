import { MAX_PENCE_PER_POINT, needLevels, type NeedLevel } from '../../domain/personal-budget.ts';
import { formatPounds } from '../../domain/funding.ts';
import { needDomainLabel, needDomains, type NeedDomain } from '../../domain/rules/needs.ts';
import type { FieldIssue } from '../../platform/errors/errors.ts';
import { asString, type FormBody } from '../../platform/http/forms.ts';
import { zodIssues } from '../../platform/http/validation.ts';
import { basisPointsToPercent, parsePercentToBasisPoints, parsePounds, penceToPoundsInput } from '../../domain/money.ts';
import { planSettingsInputSchema, type PlanSettings, type PlanSettingsInput } from './settings.service.ts';

/*
 * The planning settings form: what the administrator typed (kept as text, so a wrong entry is
 * shown back as written), turned into the settings in pence and basis points. Every field's
 * name is its id, so the error summary links straight to it.
 */

export const levelLabels: Readonly<Record<NeedLevel, string>> = { low: 'Low', medium: 'Medium', high: 'High' };

export const pointsField = (domain: NeedDomain, level: NeedLevel) => `points-${domain}-${level}`;

export interface SettingsFormValues {
  poundsPerPoint: string;
  refundInterestPercent: string;
  weeksPerYear: string;
  firstReviewWeeks?: string;
  reviewIntervalMonths?: string;
  reminderDaysBefore?: string;
  points: Record<string, string>;
}

const reviewFields = ['firstReviewWeeks', 'reviewIntervalMonths', 'reminderDaysBefore'] as const;
type ReviewPolicyFields = Partial<Pick<PlanSettings, (typeof reviewFields)[number]>>;

/** The form filled in with stored settings. */
export function settingsFormValues(settings: Pick<PlanSettings, 'resourceAllocation' | 'refundInterestBasisPoints' | 'weeksPerYear'> & ReviewPolicyFields): SettingsFormValues {
  const points: Record<string, string> = {};
  for (const { id } of needDomains) for (const level of needLevels) points[pointsField(id, level)] = String(settings.resourceAllocation.points[id][level]);
  return {
    poundsPerPoint: penceToPoundsInput(settings.resourceAllocation.pencePerPoint),
    refundInterestPercent: basisPointsToPercent(settings.refundInterestBasisPoints),
    weeksPerYear: String(settings.weeksPerYear),
    ...Object.fromEntries(reviewFields.filter((f) => settings[f] !== undefined).map((f) => [f, String(settings[f])])),
    points,
  };
}

/** Whole numbers as numbers; anything else is passed on as written, for the schema to refuse with its message. */
function wholeNumberOrText(raw: string): number | string | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  return /^-?\d{1,9}$/.test(text) ? Number(text) : text;
}

/** The form's fields in the order they appear, for the order of the error summary. */
const fieldOrder: string[] = ['poundsPerPoint', ...needDomains.flatMap(({ id }) => needLevels.map((level) => pointsField(id, level))), 'refundInterestPercent', 'weeksPerYear', ...reviewFields];

/** A schema path as the form field it came from. */
function formField(path: string): string {
  const points = /^resourceAllocation\.points\.([a-z-]+)\.(low|medium|high)$/.exec(path);
  if (points) return `points-${points[1]}-${points[2]}`;
  if (path.startsWith('resourceAllocation.pencePerPoint')) return 'poundsPerPoint';
  if (path.startsWith('refundInterestBasisPoints')) return 'refundInterestPercent';
  if (path.startsWith('weeksPerYear')) return 'weeksPerYear';
  for (const f of reviewFields) if (path.startsWith(f)) return f;
  return 'poundsPerPoint';
}

/**
 * Read the form. `input` is the settings to save when nothing is wrong; otherwise `issues`
 * names each field that is wrong (one message each, in the order of the form).
 */
export function settingsFromForm(body: FormBody): { values: SettingsFormValues; input: PlanSettingsInput | null; issues: FieldIssue[] } {
  const values: SettingsFormValues = {
    poundsPerPoint: asString(body.poundsPerPoint).trim(),
    refundInterestPercent: asString(body.refundInterestPercent).trim(),
    weeksPerYear: asString(body.weeksPerYear).trim(),
    points: {},
  };
  const issues: FieldIssue[] = [];

  let pencePerPoint: number | undefined;
  const pounds = parsePounds(values.poundsPerPoint);
  const maxPounds = formatPounds(MAX_PENCE_PER_POINT);
  if ('pence' in pounds) {
    if (pounds.pence > MAX_PENCE_PER_POINT) issues.push({ path: 'poundsPerPoint', message: `The amount a point is worth must be ${maxPounds} a week or less` });
    else pencePerPoint = pounds.pence;
  } else {
    const messages = {
      missing: 'Enter the amount a point is worth a week, in pounds, for example 15.00',
      'not-money': 'The amount a point is worth must be an amount in pounds, for example 15.00',
      negative: 'The amount a point is worth cannot be negative',
      'too-many-decimals': 'The amount a point is worth must be in pounds and pence, with at most 2 decimal places, for example 15.50',
    } as const;
    issues.push({ path: 'poundsPerPoint', message: messages[pounds.problem] });
  }

  const points: Record<string, Record<string, number | string | undefined>> = {};
  for (const { id } of needDomains) {
    points[id] = {};
    for (const level of needLevels) {
      const name = pointsField(id, level);
      const raw = asString(body[name]).trim();
      values.points[name] = raw;
      if (raw === '') issues.push({ path: name, message: `Enter the points for ${needDomainLabel(id).toLowerCase()} at ${level} need` });
      points[id][level] = wholeNumberOrText(raw);
    }
  }

  let refundInterestBasisPoints: number | string | undefined;
  if (values.refundInterestPercent === '') {
    refundInterestBasisPoints = undefined;
  } else {
    const bp = parsePercentToBasisPoints(values.refundInterestPercent);
    // Not a percentage with at most 2 decimals: pass the text on and the schema explains.
    refundInterestBasisPoints = bp ?? values.refundInterestPercent;
  }

  // The review policy: a field left out (or blank) keeps what is stored.
  const review: Record<string, number | string | undefined> = {};
  for (const f of reviewFields) {
    const raw = asString(body[f]).trim();
    if (body[f] !== undefined) values[f] = raw;
    if (raw !== '') review[f] = wholeNumberOrText(raw);
  }
  const input = {
    resourceAllocation: { pencePerPoint, points },
    refundInterestBasisPoints,
    weeksPerYear: wholeNumberOrText(values.weeksPerYear),
    ...review,
  };
  const parsed = planSettingsInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error)) issues.push({ path: formField(issue.path), message: issue.message });
  }
  // One message a field: the first found (the form's own checks come first).
  const seen = new Set<string>();
  const unique = issues.filter((issue) => (seen.has(issue.path) ? false : (seen.add(issue.path), true)));
  unique.sort((a, b) => fieldOrder.indexOf(a.path) - fieldOrder.indexOf(b.path));
  return { values, input: unique.length === 0 && parsed.success ? parsed.data : null, issues: unique };
}

export interface SettingsDifference {
  label: string;
  saved: string;
  yours: string;
}

/** What differs between the settings saved now and what the administrator tried to save (for the edit-conflict page). */
export function settingsDifferences(saved: Pick<PlanSettings, 'resourceAllocation' | 'refundInterestBasisPoints' | 'weeksPerYear'>, yours: PlanSettingsInput): SettingsDifference[] {
  const out: SettingsDifference[] = [];
  const a = saved.resourceAllocation;
  const b = yours.resourceAllocation;
  if (a.pencePerPoint !== b.pencePerPoint) out.push({ label: 'Amount a point is worth a week', saved: formatPounds(a.pencePerPoint), yours: formatPounds(b.pencePerPoint) });
  for (const { id, label } of needDomains) {
    for (const level of needLevels) {
      if (a.points[id][level] !== b.points[id][level]) out.push({ label: `${label}: ${level} need`, saved: String(a.points[id][level]), yours: String(b.points[id][level]) });
    }
  }
  if (saved.refundInterestBasisPoints !== yours.refundInterestBasisPoints) {
    out.push({ label: 'Refund interest rate', saved: `${basisPointsToPercent(saved.refundInterestBasisPoints)}% a year`, yours: `${basisPointsToPercent(yours.refundInterestBasisPoints)}% a year` });
  }
  if (saved.weeksPerYear !== yours.weeksPerYear) out.push({ label: 'Weeks in a year', saved: String(saved.weeksPerYear), yours: String(yours.weeksPerYear) });
  const reviewLabels = { firstReviewWeeks: 'First review (weeks)', reviewIntervalMonths: 'Time between reviews (months)', reminderDaysBefore: 'Reminder (days before)' } as const;
  for (const f of reviewFields) {
    const a = (saved as ReviewPolicyFields)[f];
    const b = yours[f];
    if (a !== undefined && b !== undefined && a !== b) out.push({ label: reviewLabels[f], saved: String(a), yours: String(b) });
  }
  return out;
}
