import { describe, expect, it } from 'vitest';
import { knownOrganisationName, organisationName } from './organisation-name.ts';

describe('organisationName', () => {
  it('names a body outside the partnership from the reference list, by ONS or ODS code, and falls back to the code', () => {
    expect(organisationName('E08000025')).toBe('Birmingham City Council');
    expect(organisationName('w06000015')).toBe('Cardiff Council');
    expect(organisationName('QHL')).toBe('NHS Birmingham and Solihull Integrated Care Board');
    expect(organisationName('RXT')).toBe('Birmingham and Solihull Mental Health NHS Foundation Trust');
    expect(organisationName('E06000999')).toBe('E06000999');
    expect(knownOrganisationName('E06000999')).toBeNull();
  });
});
