import { describe, expect, it } from 'vitest';
import { legalStatusCodes } from '../../domain/legal-status-codes.ts';
import type { Episode } from '../../domain/rules/index.ts';
import { bundle, fhirGender, LEGAL_STATUS_SYSTEM, NHS_NUMBER_SYSTEM, personResources, UK_CORE_PATIENT_PROFILE, type FhirPersonRecord } from './fhir.ts';
import { fhirErrors, officialFhirErrors } from './fixtures/fhir-validate.ts';

const personId = '5b0f4b1e-8f6c-4a53-9a52-6f0e8d8b1c01';
const planId = '7c1e2f3a-1111-4a53-9a52-6f0e8d8b1c02';
const episodes: Episode[] = [
  { start: '2020-03-01', end: '2021-06-30', endReason: 'superseded', qualifyingLegalStatusCode: '03', responsibleLocalAuthority: 'E06000901', responsibleIcb: 'E54000901' },
  { start: '2022-01-10', end: null, endReason: null, qualifyingLegalStatusCode: '09', responsibleLocalAuthority: 'E06000902', responsibleIcb: 'E54000901' },
];
const record: FhirPersonRecord = {
  person: { id: personId, nhsNumber: '9990000018', givenName: 'Ada', familyName: '=HYPERLINK("x")', dateOfBirth: '1980-04-01', sex: 'female' },
  episodes,
  plan: {
    id: planId,
    planNumber: 2,
    approvedOn: '2022-02-01',
    services: [{ id: 's1', serviceType: 'Supported accommodation', provider: 'Northvale Housing', frequency: 'Daily', startOn: '2022-02-01', endOn: null, deliveryRoute: 'commissioned' }],
  },
  organisationName: (code) => (code === 'E06000901' ? 'Northvale Council' : null),
};

describe('FHIR mapping', () => {
  const resources = personResources(record);

  it('maps the person to a UK Core Patient with the NHS number', () => {
    const patient = resources[0]!;
    expect(patient).toMatchObject({
      resourceType: 'Patient',
      id: personId,
      meta: { profile: [UK_CORE_PATIENT_PROFILE] },
      identifier: [{ system: NHS_NUMBER_SYSTEM, value: '9990000018' }],
      birthDate: '1980-04-01',
      gender: 'female',
    });
  });

  it('maps sex to administrative gender', () => {
    expect(fhirGender('male')).toBe('male');
    expect(fhirGender('female')).toBe('female');
    expect(fhirGender('indeterminate')).toBe('other');
    expect(fhirGender('not-known')).toBe('unknown');
  });

  it('gives one EpisodeOfCare per episode, finished or active, with the legal status code', () => {
    const eps = resources.filter((r) => r.resourceType === 'EpisodeOfCare');
    expect(eps).toHaveLength(2);
    expect(eps[0]).toMatchObject({ status: 'finished', period: { start: '2020-03-01', end: '2021-06-30' }, managingOrganization: { display: 'Northvale Council', identifier: { value: 'E06000901' } } });
    expect(eps[1]).toMatchObject({ status: 'active', period: { start: '2022-01-10' } });
    expect((eps[1]!.period as Record<string, unknown>).end).toBeUndefined();
    const coding = (eps[1]!.extension as Array<{ valueCodeableConcept: { coding: Array<{ system: string; code: string; display: string }> } }>)[0]!.valueCodeableConcept.coding[0]!;
    expect(coding.system).toBe(LEGAL_STATUS_SYSTEM);
    expect(coding.code).toBe('09');
    expect(coding.display).toBe(legalStatusCodes.find((c) => c.code === '09')!.label);
  });

  it('gives a CarePlan for the approved plan with an activity per service', () => {
    const plan = resources.find((r) => r.resourceType === 'CarePlan')!;
    expect(plan).toMatchObject({ status: 'active', intent: 'plan', subject: { reference: `urn:uuid:${personId}` }, period: { start: '2022-02-01' } });
    expect(plan.activity).toHaveLength(1);
    expect(JSON.stringify(plan.activity)).toContain('Supported accommodation: Northvale Housing');
  });

  it('omits the CarePlan without an approved plan', () => {
    expect(personResources({ ...record, plan: null }).some((r) => r.resourceType === 'CarePlan')).toBe(false);
  });

  it('builds a collection Bundle that validates against the official FHIR R4 JSON schema and the subset', () => {
    const b = bundle(resources, '2026-01-31T12:00:00.000Z');
    expect(b.type).toBe('collection');
    expect(officialFhirErrors(b)).toEqual([]);
    expect(fhirErrors(b)).toEqual([]);
  });

  it('the official R4 schema refuses a wrong code, an unknown element and a malformed date', () => {
    expect(officialFhirErrors(bundle([{ resourceType: 'Patient', gender: 'woman' }], '2026-01-31T12:00:00Z')).length).toBeGreaterThan(0);
    expect(officialFhirErrors(bundle([{ resourceType: 'Patient', nhsNumber: '9990000018' }], '2026-01-31T12:00:00Z')).length).toBeGreaterThan(0);
    expect(officialFhirErrors(bundle([{ resourceType: 'Patient', birthDate: '31/01/1990' }], '2026-01-31T12:00:00Z')).length).toBeGreaterThan(0);
    expect(officialFhirErrors(bundle([{ resourceType: 'Patient', birthDate: '1990-01-31' }], '2026-01-31T12:00:00Z'))).toEqual([]);
  });

  it('the schema catches an invalid resource', () => {
    const b = bundle([{ resourceType: 'Patient', gender: 'woman' }], '2026-01-31T12:00:00Z');
    expect(fhirErrors(b).length).toBeGreaterThan(0);
    expect(fhirErrors({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'CarePlan', status: 'active', subject: {} } }] }).length).toBeGreaterThan(0);
  });
});
