import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { effectiveServiceType, tidyServiceText, localServiceTypeCode, OTHER_SERVICE_TYPE, serviceDisplayName, serviceTypeFromText, serviceTypeLabel, serviceTypes } from './service-types.ts';

describe('the coded list of aftercare service types', () => {
  it('holds each code once, each with a label and a description, and none called other or local', () => {
    const codes = serviceTypes.map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).not.toContain(OTHER_SERVICE_TYPE);
    for (const t of serviceTypes) {
      expect(t.code).toMatch(/^[a-z][a-z-]*$/);
      expect(t.code.startsWith('local-')).toBe(false);
      expect(t.label.trim()).not.toBe('');
      expect(t.description.trim()).not.toBe('');
    }
  });

  it('no two types share a name', () => {
    const seen = new Map<string, string>();
    for (const t of serviceTypes) {
      for (const name of [t.label, ...(t.alsoKnownAs ?? [])]) {
        const key = tidyServiceText(name);
        expect(seen.get(key) ?? t.code, name).toBe(t.code);
        seen.set(key, t.code);
      }
    }
  });

  it('maps free text that clearly names a type, whatever its case, punctuation or bracketed detail', () => {
    expect(serviceTypeFromText('Supported living')).toBe('supported-living');
    expect(serviceTypeFromText('Supported living (24-hour staffed)')).toBe('supported-living');
    expect(serviceTypeFromText('  supported   LIVING ')).toBe('supported-living');
    expect(serviceTypeFromText('Supported accommodation')).toBe('supported-living');
    expect(serviceTypeFromText('Home support')).toBe('home-care');
    expect(serviceTypeFromText('Day centre')).toBe('day-services');
    expect(serviceTypeFromText('Care co-ordination')).toBe('care-coordination');
    expect(serviceTypeFromText('Depot clinic')).toBe('medication-clinic');
  });

  it('leaves anything less certain unmapped, so it shows as Other with its own words', () => {
    expect(serviceTypeFromText('Supported living and day services')).toBeNull();
    expect(serviceTypeFromText('Gym membership')).toBeNull();
    expect(serviceTypeFromText('')).toBeNull();
    expect(effectiveServiceType(null, 'Gym membership')).toBe(OTHER_SERVICE_TYPE);
    expect(serviceDisplayName(null, 'Gym membership')).toBe('Other: Gym membership');
    expect(serviceDisplayName('other', 'Gym membership')).toBe('Other: Gym membership');
  });

  it('a stored code wins over the words, and a partnership’s own types are named and matched', () => {
    const local = [{ code: localServiceTypeCode('Crisis house'), label: 'Crisis house', description: 'Short stays instead of admission.' }];
    expect(local[0]!.code).toBe('local-crisis-house');
    expect(effectiveServiceType('home-care', 'Supported living')).toBe('home-care');
    expect(serviceTypeFromText('crisis house', local)).toBe('local-crisis-house');
    expect(serviceTypeLabel('local-crisis-house', local)).toBe('Crisis house');
    expect(serviceDisplayName('local-crisis-house', 'anything', local)).toBe('Crisis house');
    expect(serviceDisplayName('supported-living', 'Supported living (24-hour staffed)')).toBe('Supported living');
  });

  it('migration 0017 maps the services recorded before the list by exactly these names', () => {
    const sql = readFileSync(new URL('../../../drizzle/0017_service-types.sql', import.meta.url), 'utf8');
    const pairs = [...sql.matchAll(/^\s*\('([^']*)', '([a-z-]+)'\)/gm)].map((m) => [m[1], m[2]]);
    const expected = serviceTypes.flatMap((t) => [t.label, ...(t.alsoKnownAs ?? [])].map((n) => [tidyServiceText(n), t.code]));
    expect(pairs).toEqual(expected);
    for (const [name, code] of pairs) expect(serviceTypeFromText(name!)).toBe(code);
  });
});
