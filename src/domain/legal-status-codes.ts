/**
 * NHS Data Dictionary "Mental Health Act Legal Status Classification Code" (England),
 * classified for section 117 of the Mental Health Act 1983.
 *
 * Labels: NHS Data Dictionary, snapshot 18/11/2021, as published in the HL7 UK Core
 * CodeSystem UKCore-LegalStatusClassificationEngland v1.0.1. Code 11 is absent from
 * that snapshot (retired). Re-check the live Data Dictionary before go-live.
 *
 * Classification (brief section 8 and rules R1–R4, R37):
 *   qualifying      – a detention that gives a right to aftercare, MHA s117(1)
 *   not-qualifying  – never gives a right to aftercare, s117(1) read with Butler and Mind
 *   manual-review   – not listed in s117(1) and not settled: a person decides (UNCONFIRMED)
 *
 * Kind says what the status means for the person's whereabouts, which the rules need
 * to tell when someone has "ceased to be detained and left hospital":
 *   detention       – formally detained in hospital
 *   informal        – in hospital, not detained
 *   guardianship    – subject to guardianship in the community, not in hospital
 *   not-applicable  – no Mental Health Act status
 *   not-known       – unknown; treated as a detention so nothing starts early
 */

export type LegalStatusClassification = 'qualifying' | 'not-qualifying' | 'manual-review';
export type LegalStatusKind = 'detention' | 'informal' | 'guardianship' | 'not-applicable' | 'not-known';

export interface LegalStatusCodeEntry {
  readonly code: string;
  readonly label: string;
  /** Short name of the legal power, e.g. "s37/41". */
  readonly section: string;
  readonly classification: LegalStatusClassification;
  readonly kind: LegalStatusKind;
  readonly source: string;
}

const DD = 'NHS Data Dictionary, Mental Health Act Legal Status Classification Code (snapshot 18/11/2021)';
const QUALIFYING = `${DD}; MHA 1983 s117(1)`;
const NOT_QUALIFYING = `${DD}; MHA 1983 s117(1) (not listed); Butler, Practitioner's Guide; Mind legal guide`;
const GUARDIANSHIP = `${DD}; MHA 1983 s117(1) (reading: no detention in hospital; no case law found)`;
const MANUAL_REVIEW = `${DD}; not listed in MHA 1983 s117(1)`;

function entry(
  code: string,
  label: string,
  section: string,
  classification: LegalStatusClassification,
  kind: LegalStatusKind,
  source: string,
): LegalStatusCodeEntry {
  return Object.freeze({ code, label, section, classification, kind, source });
}

const FD = 'Formally detained under Mental Health Act Section';

/** The table, in code order. */
export const legalStatusCodes: readonly LegalStatusCodeEntry[] = Object.freeze([
  entry('01', 'Informal', 'informal', 'not-qualifying', 'informal', NOT_QUALIFYING),
  entry('02', `${FD} 2`, 's2', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry('03', `${FD} 3`, 's3', 'qualifying', 'detention', QUALIFYING),
  entry('04', `${FD} 4`, 's4', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry('05', `${FD} 5(2)`, 's5(2)', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry('06', `${FD} 5(4)`, 's5(4)', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry('07', `${FD} 35`, 's35', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry('08', `${FD} 36`, 's36', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry(
    '09',
    `${FD} 37 with section 41 restrictions`,
    's37/41',
    'qualifying',
    'detention',
    `${QUALIFYING} ("whether or not the patient is restricted": Butler, Practitioner's Guide ch.19)`,
  ),
  entry('10', `${FD} 37`, 's37', 'qualifying', 'detention', QUALIFYING),
  entry('12', `${FD} 38`, 's38', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry('13', `${FD} 44`, 's44', 'manual-review', 'detention', MANUAL_REVIEW),
  entry('14', `${FD} 46`, 's46', 'manual-review', 'detention', MANUAL_REVIEW),
  entry('15', `${FD} 47 with section 49 restrictions`, 's47/49', 'qualifying', 'detention', `${QUALIFYING}; mentalhealthlaw.co.uk "After-care"`),
  entry('16', `${FD} 47`, 's47', 'qualifying', 'detention', QUALIFYING),
  entry('17', `${FD} 48 with section 49 restrictions`, 's48/49', 'qualifying', 'detention', `${QUALIFYING}; mentalhealthlaw.co.uk "After-care"`),
  entry('18', `${FD} 48`, 's48', 'qualifying', 'detention', QUALIFYING),
  entry('19', `${FD} 135`, 's135', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry('20', `${FD} 136`, 's136', 'not-qualifying', 'detention', NOT_QUALIFYING),
  entry(
    '31',
    'Formally detained under Criminal Procedure (Insanity) Act 1964 as amended by the Criminal Procedures (Insanity and Unfitness to Plead) Act 1991',
    'CP(I)A 1964',
    'manual-review',
    'detention',
    MANUAL_REVIEW,
  ),
  entry('32', 'Formally detained under other acts', 'other Acts', 'manual-review', 'detention', MANUAL_REVIEW),
  entry('35', 'Subject to guardianship under Mental Health Act Section 7', 's7 guardianship', 'not-qualifying', 'guardianship', GUARDIANSHIP),
  entry('36', 'Subject to guardianship under Mental Health Act Section 37', 's37 guardianship', 'not-qualifying', 'guardianship', GUARDIANSHIP),
  entry('37', `${FD} 45A (Limitation direction in force)`, 's45A', 'qualifying', 'detention', QUALIFYING),
  entry('38', `${FD} 45A (Limitation direction ended)`, 's45A', 'qualifying', 'detention', QUALIFYING),
  entry('98', 'Not Applicable', 'not applicable', 'not-qualifying', 'not-applicable', NOT_QUALIFYING),
  entry('99', 'Not Known', 'not known', 'manual-review', 'not-known', MANUAL_REVIEW),
]);

const byCode: ReadonlyMap<string, LegalStatusCodeEntry> = new Map(legalStatusCodes.map((e) => [e.code, e]));

/** The codes in table order, for messages and documentation. */
export const knownLegalStatusCodes: readonly string[] = Object.freeze(legalStatusCodes.map((e) => e.code));

/** The entry for a code, or undefined when the code is not in the table. */
export function lookupLegalStatusCode(code: string): LegalStatusCodeEntry | undefined {
  return byCode.get(code);
}

export function isKnownLegalStatusCode(code: string): boolean {
  return byCode.has(code);
}

/** The entry for a code known to be valid (the contract has checked it). */
export function legalStatus(code: string): LegalStatusCodeEntry {
  const found = byCode.get(code);
  if (!found) throw new RangeError(`Unknown legal status code "${code}"`);
  return found;
}

/** Whether a status holds the person in hospital against their will (unknown counts, so nothing starts early). */
export function isDetainedInHospital(code: string): boolean {
  const kind = legalStatus(code).kind;
  return kind === 'detention' || kind === 'not-known';
}

/** Whether a status places the person in hospital at all (detained, unknown, or informal). */
export function placesInHospital(code: string): boolean {
  return isDetainedInHospital(code) || legalStatus(code).kind === 'informal';
}
