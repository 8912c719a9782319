import type { Episode } from '../../domain/rules/index.ts';
import { lookupLegalStatusCode } from '../../domain/legal-status-codes.ts';

/*
 * FHIR R4 mapping of a person on the register (docs/fhir.md): a UK Core Patient, an
 * EpisodeOfCare for each section 117 entitlement episode and a CarePlan for the current
 * approved plan, in a Bundle of type "collection". Pure functions: no database, no clock.
 */

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const UK_CORE_PATIENT_PROFILE = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient';
/** The legal status code system named in the brief (issue 7); see docs/fhir.md on checking the URL. */
export const LEGAL_STATUS_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-MentalHealthActLegalStatusEngland';
export const LEGAL_STATUS_EXTENSION = 'https://aftercare.example/fhir/StructureDefinition/qualifying-legal-status';
export const EPISODE_TYPE_SYSTEM = 'https://aftercare.example/fhir/CodeSystem/episode-type';
export const ONS_CODE_SYSTEM = 'https://aftercare.example/fhir/Id/ons-gss-code';
export const PLAN_CATEGORY_SYSTEM = 'https://aftercare.example/fhir/CodeSystem/care-plan-category';

export interface FhirPersonInput {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sex: string;
}

export interface FhirServiceInput {
  id: string;
  serviceType: string;
  provider: string;
  frequency: string;
  startOn: string;
  endOn: string | null;
  deliveryRoute: string;
}

export interface FhirPlanInput {
  id: string;
  planNumber: number;
  /** YYYY-MM-DD the plan was approved. */
  approvedOn: string;
  services: readonly FhirServiceInput[];
}

export interface FhirPersonRecord {
  person: FhirPersonInput;
  episodes: readonly Episode[];
  plan: FhirPlanInput | null;
  /** Name of an organisation by its code (ONS GSS for local authorities), or null if unknown. */
  organisationName(code: string): string | null;
}

type Json = Record<string, unknown>;

/** The register's sex values to FHIR administrative gender. */
export function fhirGender(sex: string): 'male' | 'female' | 'other' | 'unknown' {
  switch (sex) {
    case 'male':
      return 'male';
    case 'female':
      return 'female';
    case 'other':
    case 'indeterminate':
      return 'other';
    default:
      return 'unknown';
  }
}

const uuidUrn = (id: string) => `urn:uuid:${id}`;

export function patientResource(p: FhirPersonInput): Json {
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { profile: [UK_CORE_PATIENT_PROFILE] },
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhsNumber }],
    name: [{ use: 'official', family: p.familyName, given: [p.givenName] }],
    gender: fhirGender(p.sex),
    birthDate: p.dateOfBirth,
  };
}

/** A deterministic id for an episode, so the same export gives the same ids. */
export function episodeId(personId: string, index: number): string {
  return `${personId}-episode-${index + 1}`;
}

export function episodeOfCareResource(personId: string, episode: Episode, index: number, organisationName: (code: string) => string | null): Json {
  const status = episode.end === null ? 'active' : 'finished';
  const legal = lookupLegalStatusCode(episode.qualifyingLegalStatusCode);
  const la = episode.responsibleLocalAuthority;
  const resource: Json = {
    resourceType: 'EpisodeOfCare',
    id: episodeId(personId, index),
    extension: [
      {
        url: LEGAL_STATUS_EXTENSION,
        valueCodeableConcept: {
          coding: [{ system: LEGAL_STATUS_SYSTEM, code: episode.qualifyingLegalStatusCode, ...(legal ? { display: legal.label } : {}) }],
        },
      },
    ],
    status,
    type: [{ coding: [{ system: EPISODE_TYPE_SYSTEM, code: 's117-aftercare', display: 'Section 117 aftercare (Mental Health Act 1983)' }], text: 'Section 117 aftercare' }],
    patient: { reference: uuidUrn(personId) },
    period: { start: episode.start, ...(episode.end ? { end: episode.end } : {}) },
  };
  if (la) {
    const name = organisationName(la);
    resource.managingOrganization = { identifier: { system: ONS_CODE_SYSTEM, value: la }, ...(name ? { display: name } : {}) };
  }
  return resource;
}

export function carePlanResource(personId: string, plan: FhirPlanInput): Json {
  return {
    resourceType: 'CarePlan',
    id: plan.id,
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ system: PLAN_CATEGORY_SYSTEM, code: 's117-aftercare-plan', display: 'Section 117 aftercare plan' }] }],
    title: `Aftercare plan ${plan.planNumber}`,
    subject: { reference: uuidUrn(personId) },
    period: { start: plan.approvedOn },
    ...(plan.services.length > 0
      ? {
          activity: plan.services.map((s) => ({
            detail: {
              status: 'in-progress',
              description: `${s.serviceType}: ${s.provider}, ${s.frequency} (from ${s.startOn}${s.endOn ? ` to ${s.endOn}` : ''}; ${s.deliveryRoute})`,
              scheduledPeriod: { start: s.startOn, ...(s.endOn ? { end: s.endOn } : {}) },
            },
          })),
        }
      : {}),
  };
}

/** The resources for one person: Patient, then episodes oldest first, then the plan. */
export function personResources(record: FhirPersonRecord): Json[] {
  const { person } = record;
  const out: Json[] = [patientResource(person)];
  record.episodes.forEach((e, i) => out.push(episodeOfCareResource(person.id, e, i, record.organisationName)));
  if (record.plan) out.push(carePlanResource(person.id, record.plan));
  return out;
}

/** Full URLs are urn:uuid for the Patient (whose id is a UUID) and for the plan; episodes get a urn:uuid-free URN form. */
function fullUrl(resource: Json): string {
  const id = String(resource.id);
  if (/^[0-9a-f-]{36}$/i.test(id)) return uuidUrn(id);
  return `https://aftercare.example/fhir/${String(resource.resourceType)}/${id}`;
}

export function bundle(resources: readonly Json[], timestamp: string): Json {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp,
    entry: resources.map((resource) => ({ fullUrl: fullUrl(resource), resource })),
  };
}
