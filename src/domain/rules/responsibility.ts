/**
 * Who is responsible: the local authority (s117(3), Worcestershire) and the ICB (ICB
 * Regulations 2022). Pure functions over one detention; the replay in `evaluate.ts` decides
 * when to call them.
 */
import type { IsoDate } from '../calendar-date.ts';
import { legalStatus } from '../legal-status-codes.ts';
import { because } from './catalogue.ts';
import type { Flag, Reason } from './contract.ts';

/** One legal status within a detention, as recorded by its detention-started event. */
export interface StatusRecord {
  readonly code: string;
  readonly date: IsoDate;
  readonly ordinaryResidence: string;
  readonly icb: string;
}

/** The part of an unbroken detention that decides responsibility. */
export interface DetentionFacts {
  /** The status the unbroken detention began with. */
  readonly first: StatusRecord;
  /** The status that made the detention qualifying (or that needs manual review). */
  readonly decisive: StatusRecord;
}

export interface Finding<T> {
  readonly value: T;
  readonly flags: readonly Flag[];
  readonly reasons: readonly Reason[];
}

/** The date from which the ICB Regulations 2022 apply to a relevant application. */
export const ICB_REGULATIONS_IN_FORCE: IsoDate = '2022-07-01';

export function describeStatus(status: { code: string }): string {
  const entry = legalStatus(status.code);
  return `${entry.section} (code ${entry.code})`;
}

function describeResidence(ordinaryResidence: string): string {
  return ordinaryResidence === 'none' ? 'no ordinary residence' : ordinaryResidence;
}

/**
 * R35 (unsettled): when the unbroken detention began under a section that does not qualify,
 * take ordinary residence immediately before the start of the unbroken detention, record both
 * dates, and flag it. R15: the residence recorded at the change of section is not used.
 */
export function residenceDateForUnbrokenDetention(detention: DetentionFacts): Finding<StatusRecord> {
  const { first, decisive } = detention;
  if (first === decisive) return { value: first, flags: [], reasons: [] };
  const reasons: Reason[] = [
    because(
      'R35',
      `The detention began under ${describeStatus(first)} on ${first.date} (ordinary residence then: ${describeResidence(first.ordinaryResidence)}) and became ${legalStatus(decisive.code).classification === 'qualifying' ? 'qualifying' : 'subject to review'} under ${describeStatus(decisive)} on ${decisive.date} (recorded: ${describeResidence(decisive.ordinaryResidence)}). Ordinary residence is taken immediately before ${first.date}, the start of the unbroken detention; both dates are recorded for a person to confirm.`,
    ),
  ];
  if (decisive.ordinaryResidence !== first.ordinaryResidence) {
    reasons.push(
      because(
        'R15',
        `The residence recorded on ${decisive.date} (${describeResidence(decisive.ordinaryResidence)}) is not used: detention cannot create ordinary residence.`,
      ),
    );
  }
  return { value: first, flags: ['ordinary-residence-ambiguous'], reasons };
}

/**
 * R14: the local authority where the person was ordinarily resident immediately before the
 * detention. R16: with no ordinary residence, the authority they are discharged to (or none yet).
 */
export function responsibleLocalAuthority(
  detention: DetentionFacts,
  dischargedTo: string | null,
): Finding<string | null> {
  const basis = residenceDateForUnbrokenDetention(detention);
  const residence = basis.value;
  if (residence.ordinaryResidence !== 'none') {
    return {
      value: residence.ordinaryResidence,
      flags: basis.flags,
      reasons: [
        ...basis.reasons,
        because(
          'R14',
          `Ordinarily resident in ${residence.ordinaryResidence} immediately before the detention that began on ${residence.date}: ${residence.ordinaryResidence} is the responsible local authority.`,
        ),
      ],
    };
  }
  const fallback = dischargedTo
    ? `the authority the person was discharged to, ${dischargedTo}, is responsible.`
    : 'the responsible authority is the one the person is discharged to, which is not recorded yet.';
  return {
    value: dischargedTo,
    flags: [...basis.flags, 'no-ordinary-residence'],
    reasons: [
      ...basis.reasons,
      because('R16', `No ordinary residence in England or Wales before the detention that began on ${residence.date}: ${fallback}`),
    ],
  };
}

/** Which ICB holds responsibility, and since which application (R17). */
export interface IcbHold {
  readonly icb: string;
  readonly applicationDate: IsoDate;
}

/** R17: the ICB of GP registration when the unbroken detention began. */
export function icbHoldFor(detention: DetentionFacts): IcbHold {
  return { icb: detention.first.icb, applicationDate: detention.first.date };
}

/** R36 (unsettled): applications before 1 July 2022 were made under earlier NHS rules. */
export function icbRuleFlags(hold: IcbHold): Finding<null> {
  if (hold.applicationDate >= ICB_REGULATIONS_IN_FORCE) return { value: null, flags: [], reasons: [] };
  return {
    value: null,
    flags: ['icb-rule-pre-2022'],
    reasons: [
      because(
        'R36',
        `The relevant application was made on ${hold.applicationDate}, before the ICB Regulations 2022 came into force on ${ICB_REGULATIONS_IN_FORCE}: check the ICB (${hold.icb}) under the earlier rules.`,
      ),
    ],
  };
}
