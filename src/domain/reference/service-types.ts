/**
 * Types of section 117 aftercare service, as a coded list (issue #13, item 8), so that a plan's
 * services are counted by what they are, not by how someone typed them ("Supported living" and
 * "Supported living (24-hour staffed)" are one type). A partnership adds its own types beside
 * these (its settings); a service that fits none is "Other", with its own words kept.
 *
 * Sources: what section 117 aftercare can include is not a closed list in law. Aftercare services
 * meet a need arising from or related to the mental disorder and reduce the risk of the condition
 * worsening and of readmission (MHA 1983 s117(6)); the Mental Health Act 1983 Code of Practice
 * (2015), chapter 33, names healthcare, social care, employment, supported accommodation and
 * services for other needs as examples. The types below are the ones community mental health
 * services and councils commonly commission for it, named as the Adult Social Care Activity and
 * Finance Report (NHS England, ASC-FR) groups long-term support (residential, nursing, community
 * support such as home care, supported living, day care, direct payments) plus the NHS services
 * of a care programme (care coordination, psychological therapy, medication and depot clinics).
 * The list is a local convention, not law: a partnership adds what it commissions.
 */

export interface ServiceType {
  /** Stable code stored on a service (never shown alone). */
  readonly code: string;
  /** What staff read. */
  readonly label: string;
  /** One sentence on what the type covers (the settings page and the form's hint). */
  readonly description: string;
  /** Other words a service of this type is often recorded as (matched exactly after tidying). */
  readonly alsoKnownAs?: readonly string[];
}

/** The code of a service that fits none of the types: its own words are kept and shown as "Other: …". */
export const OTHER_SERVICE_TYPE = 'other';

/** The prefix of a partnership's own types, so they never clash with the shipped list. */
export const LOCAL_SERVICE_TYPE_PREFIX = 'local-';

export const serviceTypes: readonly ServiceType[] = [
  {
    code: 'supported-living',
    label: 'Supported living',
    description: 'Support in the person’s own home or tenancy, from a few hours a week to 24-hour staffed.',
    alsoKnownAs: ['supported accommodation', 'supported housing', 'supported tenancy'],
  },
  { code: 'residential-care', label: 'Residential care', description: 'A care home place without nursing.', alsoKnownAs: ['residential care home', 'care home', 'residential home', 'residential placement'] },
  { code: 'nursing-care', label: 'Nursing care', description: 'A care home place with nursing.', alsoKnownAs: ['nursing home', 'care home with nursing', 'nursing placement'] },
  {
    code: 'home-care',
    label: 'Home care',
    description: 'Visits at home for personal care, daily living or prompting (including medication prompting).',
    alsoKnownAs: ['home support', 'homecare', 'domiciliary care', 'domiciliary support', 'medication prompting'],
  },
  { code: 'housing-support', label: 'Housing support', description: 'Floating or tenancy support to keep a home, without personal care.', alsoKnownAs: ['floating support', 'tenancy support', 'tenancy sustainment'] },
  { code: 'day-services', label: 'Day services', description: 'Day centres and day opportunities.', alsoKnownAs: ['day service', 'day centre', 'day center', 'day opportunities', 'day care'] },
  {
    code: 'care-coordination',
    label: 'Care coordination',
    description: 'Care coordination and relapse prevention by a community mental health team.',
    alsoKnownAs: ['care co ordination', 'care coordinator', 'care coordination and relapse prevention', 'cmht care coordination'],
  },
  { code: 'community-nursing', label: 'Community psychiatric nursing', description: 'Visits and monitoring by a community psychiatric nurse.', alsoKnownAs: ['cpn', 'cpn visits', 'community psychiatric nurse'] },
  { code: 'psychological-therapy', label: 'Psychological therapy', description: 'Talking therapies and psychology, individual or in groups.', alsoKnownAs: ['psychology', 'talking therapy', 'psychological therapies', 'psychotherapy'] },
  { code: 'medication-clinic', label: 'Medication or depot clinic', description: 'Clinics for depot injections, clozapine and medication reviews.', alsoKnownAs: ['depot clinic', 'medication clinic', 'clozapine clinic'] },
  { code: 'direct-payment', label: 'Personal budget (direct payment)', description: 'A social care personal budget taken as a direct payment.', alsoKnownAs: ['direct payment', 'direct payments'] },
  { code: 'personal-health-budget', label: 'Personal health budget', description: 'An NHS personal health budget.', alsoKnownAs: ['phb'] },
  { code: 'personal-assistant', label: 'Personal assistant', description: 'A personal assistant employed by the person or their representative.', alsoKnownAs: ['pa', 'personal assistants'] },
  { code: 'employment-support', label: 'Employment and education support', description: 'Help to find or keep work, training or education.', alsoKnownAs: ['employment support', 'individual placement and support', 'ips', 'vocational support'] },
  { code: 'peer-support', label: 'Peer support', description: 'Support from people with lived experience.', alsoKnownAs: ['peer support worker'] },
  { code: 'substance-misuse', label: 'Drug and alcohol support', description: 'Support for drug or alcohol use related to the mental disorder.', alsoKnownAs: ['substance misuse', 'substance misuse support', 'drug and alcohol service'] },
  { code: 'respite', label: 'Respite and short breaks', description: 'Short stays or breaks for the person or their carers.', alsoKnownAs: ['respite care', 'short breaks', 'short break'] },
];

/** A partnership's own type (its settings), shaped as the shipped ones are. */
export type LocalServiceType = Pick<ServiceType, 'code' | 'label' | 'description'>;

/** Lower case, "&" as "and", words only, bracketed qualifiers left out: "Supported living (24-hour staffed)" → "supported living". */
export function tidyServiceText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const byTidyName = new Map<string, string>();
for (const t of serviceTypes) {
  for (const name of [t.label, ...(t.alsoKnownAs ?? [])]) byTidyName.set(tidyServiceText(name), t.code);
}

/**
 * The type a service recorded in free text clearly is, or null: its words (tidied, bracketed
 * qualifiers left out) are exactly the name of a type or one of its other names, or the name of
 * one of the partnership's own types. Anything less certain is left as "Other".
 */
export function serviceTypeFromText(text: string, local: readonly LocalServiceType[] = []): string | null {
  const tidy = tidyServiceText(text);
  if (tidy === '') return null;
  const shipped = byTidyName.get(tidy);
  if (shipped) return shipped;
  return local.find((t) => tidyServiceText(t.label) === tidy)?.code ?? null;
}

/** The code a stored service counts under: its own, else what its words clearly are, else "other". */
export function effectiveServiceType(code: string | null, text: string, local: readonly LocalServiceType[] = []): string {
  if (code) return code;
  return serviceTypeFromText(text, local) ?? OTHER_SERVICE_TYPE;
}

/** The label of a type code (shipped or the partnership's own); null for "other" and unknown codes. */
export function serviceTypeLabel(code: string, local: readonly LocalServiceType[] = []): string | null {
  return serviceTypes.find((t) => t.code === code)?.label ?? local.find((t) => t.code === code)?.label ?? null;
}

/** What a service is called on a page: its type's label, or "Other: <its own words>". */
export function serviceDisplayName(code: string | null, text: string, local: readonly LocalServiceType[] = []): string {
  const effective = effectiveServiceType(code, text, local);
  const label = effective === OTHER_SERVICE_TYPE ? null : serviceTypeLabel(effective, local);
  return label ?? `Other: ${text}`;
}

/** The label a dashboard groups "other" services under. */
export const OTHER_SERVICE_TYPE_LABEL = 'Other (not on the list)';

/** A code for a partnership's own type from its label: "Crisis house" → "local-crisis-house". */
export function localServiceTypeCode(label: string): string {
  const slug = tidyServiceText(label).replace(/ /g, '-').slice(0, 60);
  return `${LOCAL_SERVICE_TYPE_PREFIX}${slug}`;
}
