import { describe, expect, it } from 'vitest';
import {
  isDetainedInHospital,
  isKnownLegalStatusCode,
  knownLegalStatusCodes,
  legalStatus,
  legalStatusCodes,
  lookupLegalStatusCode,
  placesInHospital,
} from './legal-status-codes.ts';

describe('NHS Data Dictionary legal status codes', () => {
  it('holds the 27 codes of the 2021 snapshot, in order, without the retired 11', () => {
    expect(knownLegalStatusCodes).toEqual([
      '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13', '14', '15', '16', '17', '18', '19', '20',
      '31', '32', '35', '36', '37', '38', '98', '99',
    ]);
    expect(isKnownLegalStatusCode('11')).toBe(false);
  });

  it('gives each code its label, classification and source', () => {
    expect(lookupLegalStatusCode('03')).toEqual({
      code: '03',
      label: 'Formally detained under Mental Health Act Section 3',
      section: 's3',
      classification: 'qualifying',
      kind: 'detention',
      source: 'NHS Data Dictionary, Mental Health Act Legal Status Classification Code (snapshot 18/11/2021); MHA 1983 s117(1)',
    });
    expect(lookupLegalStatusCode('09')?.label).toBe('Formally detained under Mental Health Act Section 37 with section 41 restrictions');
    // A status that needs manual review cites what it is not listed in; research notes never reach staff.
    expect(lookupLegalStatusCode('13')?.source).toContain('not listed in MHA 1983 s117(1)');
    expect(lookupLegalStatusCode('13')?.source).not.toMatch(/UNCONFIRMED|brief/);
    for (const entry of legalStatusCodes) {
      expect(entry.label).not.toBe('');
      expect(entry.source).toContain('NHS Data Dictionary');
    }
  });

  it('returns undefined for an unknown code, and legalStatus throws', () => {
    expect(lookupLegalStatusCode('3')).toBeUndefined();
    expect(() => legalStatus('00')).toThrow('Unknown legal status code "00"');
  });

  it('knows which statuses hold the person in hospital', () => {
    expect(isDetainedInHospital('02')).toBe(true);
    expect(isDetainedInHospital('99')).toBe(true);
    expect(isDetainedInHospital('01')).toBe(false);
    expect(isDetainedInHospital('35')).toBe(false);
    expect(placesInHospital('01')).toBe(true);
    expect(placesInHospital('35')).toBe(false);
    expect(placesInHospital('98')).toBe(false);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(legalStatusCodes)).toBe(true);
    expect(Object.isFrozen(legalStatusCodes[0])).toBe(true);
  });
});
