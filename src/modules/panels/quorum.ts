/**
 * A funding panel is quorate when at least one panel member (or commissioner) of the ICB and one
 * of a local authority are present: two different people, so one person holding roles in both
 * bodies cannot make a panel on their own (joint decisions need both bodies, HSC 2000/003).
 */
export type PanelBody = 'icb' | 'local-authority';

export interface Attendee {
  userId: string;
  name: string;
  /** The bodies this person can sit for (their panel-member or commissioner memberships). */
  bodies: PanelBody[];
}

export interface Quorum {
  quorate: boolean;
  icbPresent: boolean;
  localAuthorityPresent: boolean;
  message: string;
}

export function quorumOf(present: readonly Attendee[]): Quorum {
  const icb = present.filter((a) => a.bodies.includes('icb'));
  const la = present.filter((a) => a.bodies.includes('local-authority'));
  const quorate = icb.some((a) => la.some((b) => b.userId !== a.userId));
  const icbPresent = icb.length > 0;
  const localAuthorityPresent = la.length > 0;
  let message = 'The panel is quorate: the ICB and a local authority are both represented.';
  if (!quorate) {
    if (!icbPresent && !localAuthorityPresent) message = 'The panel is not quorate: record at least one panel member or commissioner of the ICB and one of a local authority as present.';
    else if (!icbPresent) message = 'The panel is not quorate: no panel member or commissioner of the ICB is recorded as present.';
    else if (!localAuthorityPresent) message = 'The panel is not quorate: no panel member of a local authority is recorded as present.';
    else message = 'The panel is not quorate: the ICB and a local authority must be represented by two different people.';
  }
  return { quorate, icbPresent, localAuthorityPresent, message };
}

/** Whole days from submission to decision. */
export function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
}

export function averageDays(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}
