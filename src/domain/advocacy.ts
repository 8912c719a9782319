/**
 * Advocacy referrals (issue 16, item 6). Pure: no clock, no database; dates are ISO calendar
 * dates (YYYY-MM-DD) passed in.
 *
 * Sources, one per kind of advocate:
 * - IMHA: Mental Health Act 1983, section 130A (independent mental health advocates), for
 *   qualifying patients in section 130C, which includes a patient on a community treatment order
 *   or conditionally discharged; section 130D requires the patient to be told of the help available.
 * - IMCA: Mental Capacity Act 2005, section 35 (independent mental capacity advocates), with the
 *   duties to instruct one in sections 37 to 39 where a person lacks capacity and has nobody
 *   appropriate to consult. The best-interests record tracks its own IMCA instructions; this is the
 *   general record of referrals.
 * - Care Act advocate: Care Act 2014, section 67 (independent advocacy support in assessments,
 *   care and support planning and reviews, where the person would have substantial difficulty
 *   being involved and there is no appropriate individual).
 *
 * The dates follow each other: referred, then accepted by the service, then an advocate named,
 * then the advocate first meets the person. None can be skipped or come before the one it follows.
 */
import { isRealDate, type IsoDate } from './calendar-date.ts';

export const advocacyKinds = ['imha', 'imca', 'care-act'] as const;
export type AdvocacyKind = (typeof advocacyKinds)[number];

export const advocacyKindLabels: Record<AdvocacyKind, string> = {
  imha: 'Independent mental health advocate (IMHA)',
  imca: 'Independent mental capacity advocate (IMCA)',
  'care-act': 'Care Act advocate',
};

export const advocacySources: Record<AdvocacyKind, string> = {
  imha: 'Mental Health Act 1983, section 130A',
  imca: 'Mental Capacity Act 2005, section 35',
  'care-act': 'Care Act 2014, section 67',
};

export function isAdvocacyKind(value: unknown): value is AdvocacyKind {
  return typeof value === 'string' && (advocacyKinds as readonly string[]).includes(value);
}

/** The stages in order; each date needs the one before it. */
export const advocacyStages = [
  { key: 'referredOn', label: 'referred' },
  { key: 'acceptedOn', label: 'accepted by the advocacy service' },
  { key: 'advocateNamedOn', label: 'given a named advocate' },
  { key: 'firstMetOn', label: 'first met by the advocate' },
] as const;
export type AdvocacyStageKey = (typeof advocacyStages)[number]['key'];
export type AdvocacyDates = Record<AdvocacyStageKey, IsoDate | null>;

export type AdvocacyStatus = 'referred' | 'accepted' | 'named' | 'met';
export const advocacyStatusLabels: Record<AdvocacyStatus, string> = { referred: 'Referred', accepted: 'Accepted', named: 'Advocate named', met: 'Met the person' };

export function advocacyStatus(d: AdvocacyDates): AdvocacyStatus {
  if (d.firstMetOn) return 'met';
  if (d.advocateNamedOn) return 'named';
  if (d.acceptedOn) return 'accepted';
  return 'referred';
}

/**
 * The order of the dates, with a specific message for each break: a stage without the one before
 * it, a date before the one before it, a date in the future.
 */
export function advocacyDateIssues(d: AdvocacyDates, today: IsoDate, advocateName: string | null): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  if (!d.referredOn) issues.push({ path: 'referredOn', message: 'Enter the date of the referral' });
  let previous: { key: AdvocacyStageKey; label: string } | null = null;
  for (const stage of advocacyStages) {
    const date = d[stage.key];
    if (date && isRealDate(date)) {
      if (date > today) issues.push({ path: stage.key, message: `The date the person was ${stage.label} must be today or in the past` });
      if (previous) {
        const before = d[previous.key];
        if (!before) issues.push({ path: stage.key, message: `Enter the date the person was ${previous.label} before the date they were ${stage.label}` });
        else if (isRealDate(before) && date < before) issues.push({ path: stage.key, message: `The date the person was ${stage.label} must be on or after the date they were ${previous.label}` });
      }
    }
    previous = stage;
  }
  if (d.advocateNamedOn && !advocateName) issues.push({ path: 'advocateName', message: 'Enter the name of the advocate' });
  return issues;
}

/**
 * Whether advocacy was offered and used, from the referrals and the plan's advocacy list together:
 * offered if any referral or plan entry exists; used if an advocate met the person or the plan says
 * it was used. For the plan page and the ending checklist.
 */
export function advocacyOfferedAndUsed(referrals: ReadonlyArray<{ kind: AdvocacyKind } & AdvocacyDates>, planEntries: ReadonlyArray<{ kind: AdvocacyKind; used: boolean }>) {
  return advocacyKinds
    .map((kind) => {
      const refs = referrals.filter((r) => r.kind === kind);
      const plan = planEntries.filter((p) => p.kind === kind);
      return { kind, label: advocacyKindLabels[kind], source: advocacySources[kind], offered: refs.length > 0 || plan.length > 0, used: refs.some((r) => r.firstMetOn !== null) || plan.some((p) => p.used) };
    })
    .filter((k) => k.offered);
}
