/**
 * Disputes about who is responsible for a person's section 117 aftercare (issue 6).
 *
 * R24: an ordinary-residence dispute between local authorities is referred to the Secretary of
 * State if it is still unresolved 4 calendar months after it arose (MHA 1983 s117(4), applying
 * Care Act 2014 s40; the Disputes Regulations as summarised in local policy). R38: a funding
 * dispute between the local authority and the ICB is never referred to the Secretary of State;
 * it is settled locally or through the NHS dispute process. R25: neither kind may delay care,
 * so an interim lead funder is always recorded. Pure: nothing here reads the clock.
 */
import { addMonths, toDayNumber, type IsoDate } from './calendar-date.ts';

export type DisputeKind = 'ordinary-residence' | 'funding';
export type DisputeStage = 'local-negotiation' | 'senior-escalation' | 'sos-referral' | 'nhs-dispute-process' | 'resolved';

export interface DisputeForReferral {
  readonly kind: DisputeKind;
  readonly aroseOn: IsoDate;
  readonly stage: DisputeStage;
}

/** The date an ordinary-residence dispute must be referred to the Secretary of State by: 4 calendar months after it arose (month ends clamp: 31 October → 28/29 February). */
export function referralDueOn(aroseOn: IsoDate): IsoDate {
  return addMonths(aroseOn, 4);
}

/**
 * An open ordinary-residence dispute that has not yet been referred is due for referral on and
 * after `referralDueOn`. Funding disputes are never referred (R38); a resolved or referred
 * dispute is not due.
 */
export function isReferralDue(today: IsoDate, dispute: DisputeForReferral): boolean {
  if (dispute.kind !== 'ordinary-residence') return false;
  if (dispute.stage === 'resolved' || dispute.stage === 'sos-referral') return false;
  return today >= referralDueOn(dispute.aroseOn);
}

export interface DisputeAge {
  /** Whole days since the dispute arose. */
  readonly days: number;
  /** Whole calendar months since it arose. */
  readonly months: number;
  /** "4 months, 3 days" / "12 days". */
  readonly text: string;
}

/** How long a dispute has been open, in days and whole calendar months. */
export function disputeAge(aroseOn: IsoDate, today: IsoDate): DisputeAge {
  const days = Math.max(0, toDayNumber(today) - toDayNumber(aroseOn));
  let months = 0;
  while (addMonths(aroseOn, months + 1) <= today) months += 1;
  const rest = months > 0 ? toDayNumber(today) - toDayNumber(addMonths(aroseOn, months)) : days;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const text = months > 0 ? `${plural(months, 'month')}${rest > 0 ? `, ${plural(rest, 'day')}` : ''}` : plural(days, 'day');
  return { days, months, text };
}

/** The stages a dispute of this kind may move to (besides resolution). */
export function nextStages(kind: DisputeKind): DisputeStage[] {
  return kind === 'ordinary-residence' ? ['local-negotiation', 'senior-escalation', 'sos-referral'] : ['local-negotiation', 'senior-escalation', 'nhs-dispute-process'];
}

export const disputeKindLabels: Record<DisputeKind, string> = {
  'ordinary-residence': 'Ordinary residence (between local authorities)',
  funding: 'Funding (local authority and ICB)',
};

export const disputeStageLabels: Record<DisputeStage, string> = {
  'local-negotiation': 'Local negotiation',
  'senior-escalation': 'Senior escalation',
  'sos-referral': 'Referred to the Secretary of State',
  'nhs-dispute-process': 'NHS dispute process',
  resolved: 'Resolved',
};

/** Who in a party organisation acts on a dispute: its managers (a local authority's team managers and senior practitioners, an ICB's commissioners). */
export const disputeActorRoles = ['team-manager', 'senior-practitioner', 'commissioner'] as const;

export interface DisputeWait {
  /** What the parties must do now, in plain words. */
  readonly action: string;
  /** The date by which they must, if the law sets one. */
  readonly dueOn: IsoDate | null;
}

/**
 * What an open dispute waits on its parties for (issue 13, work queues). In local negotiation and
 * senior escalation the two parties must settle it (and, for ordinary residence, refer it to the
 * Secretary of State by 4 months after it arose if they cannot: R24). Once referred to the
 * Secretary of State or the NHS dispute process it waits on that outside body, not on the
 * parties (R38 for funding disputes), and a resolved dispute waits on nobody.
 */
export function disputeWaitsOn(d: DisputeForReferral): DisputeWait | null {
  if (d.stage === 'resolved' || d.stage === 'sos-referral' || d.stage === 'nhs-dispute-process') return null;
  const dueOn = d.kind === 'ordinary-residence' ? referralDueOn(d.aroseOn) : null;
  if (d.stage === 'local-negotiation') {
    return { action: d.kind === 'ordinary-residence' ? 'Agree which local authority is responsible, or escalate it' : 'Agree how the cost is shared, or escalate it', dueOn };
  }
  return { action: d.kind === 'ordinary-residence' ? 'Senior managers settle it, or refer it to the Secretary of State' : 'Senior managers settle it, or take it to the NHS dispute process', dueOn };
}
