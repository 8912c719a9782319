import { describe, expect, it } from 'vitest';
import { formatPounds } from './funding.ts';
import { diffFields, diffRecords, diffSummary, formatValue, sameValue, type DiffField } from './plan-diff.ts';

/** Services in Ms K's plan, version 2 (approved March) and version 3 (after her July review). */
const serviceFields: DiffField[] = [
  { name: 'serviceType', label: 'Service' },
  { name: 'provider', label: 'Provider' },
  { name: 'weeklyCostPence', label: 'Weekly cost', format: (v) => (typeof v === 'number' ? formatPounds(v) : '') },
  { name: 's117', label: 'Section 117' },
];

const version2 = [
  { lineageId: 'svc-home', serviceType: 'Home support', provider: 'Carewell', weeklyCostPence: 16_125, s117: true },
  { lineageId: 'svc-day', serviceType: 'Day service', provider: 'Oak Centre', weeklyCostPence: 9_999, s117: true },
  { lineageId: 'svc-meds', serviceType: 'Medication prompts', provider: 'Carewell', weeklyCostPence: 6_993, s117: true },
];
const version3 = [
  { lineageId: 'svc-home', serviceType: 'Home support', provider: 'Carewell', weeklyCostPence: 21_500, s117: true },
  { lineageId: 'svc-meds', serviceType: 'Medication prompts', provider: 'Carewell', weeklyCostPence: 6_993, s117: true },
  { lineageId: 'svc-college', serviceType: 'College support', provider: 'City College', weeklyCostPence: 4_500, s117: true },
];

describe('diffRecords: two versions of a plan side by side', () => {
  it('shows that after her review Ms K\'s home support rose, the day service ended and college support began', () => {
    const rows = diffRecords(version2, version3, { key: 'lineageId', fields: serviceFields });
    expect(rows.map((r) => [r.key, r.change])).toEqual([
      ['svc-home', 'changed'],
      ['svc-day', 'removed'], // where it was in version 2: after home support
      ['svc-meds', 'unchanged'],
      ['svc-college', 'added'],
    ]);
    expect(rows[0]?.fields).toEqual([
      { label: 'Service', before: 'Home support', after: 'Home support', changed: false },
      { label: 'Provider', before: 'Carewell', after: 'Carewell', changed: false },
      { label: 'Weekly cost', before: '£161.25', after: '£215.00', changed: true },
      { label: 'Section 117', before: 'Yes', after: 'Yes', changed: false },
    ]);
    expect(rows[1]?.fields[0]).toEqual({ label: 'Service', before: 'Day service', after: null, changed: true });
    expect(rows[3]?.fields[2]).toEqual({ label: 'Weekly cost', before: null, after: '£45.00', changed: true });
    expect(diffSummary(rows)).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1 });
  });

  it('lists a removed first item first, and follows the later version\'s order when items are reordered', () => {
    const before = [{ lineageId: 'a', x: 1 }, { lineageId: 'b', x: 2 }, { lineageId: 'c', x: 3 }];
    const after = [{ lineageId: 'c', x: 3 }, { lineageId: 'b', x: 2 }];
    const fields = [{ name: 'x', label: 'X' }];
    expect(diffRecords(before, after, { key: 'lineageId', fields }).map((r) => `${r.key}:${r.change}`)).toEqual(['a:removed', 'c:unchanged', 'b:unchanged']);
  });

  it('compares two identical versions as unchanged, and two empty versions as nothing', () => {
    expect(diffSummary(diffRecords(version2, version2, { key: 'lineageId', fields: serviceFields }))).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 3 });
    expect(diffRecords([], [], { key: 'lineageId', fields: serviceFields })).toEqual([]);
  });

  it('only compares the fields asked for (an updatedAt change is not a change to the plan)', () => {
    const rows = diffRecords(
      [{ lineageId: 'n1', description: 'Relapse prevention', updatedAt: '2025-03-01' }],
      [{ lineageId: 'n1', description: 'Relapse prevention', updatedAt: '2025-07-01' }],
      { key: 'lineageId', fields: [{ name: 'description', label: 'Need' }] },
    );
    expect(rows[0]?.change).toBe('unchanged');
  });

  it('matches numeric keys, and refuses records without a key or with the same key twice', () => {
    expect(diffRecords([{ id: 7, a: 1 }], [{ id: 7, a: 2 }], { key: 'id', fields: [{ name: 'a', label: 'A' }] })[0]?.change).toBe('changed');
    expect(() => diffRecords([{ a: 1 }], [], { key: 'lineageId', fields: [] })).toThrow('Record 1 of the earlier version has no "lineageId" to match it by');
    expect(() => diffRecords([], [{ lineageId: 'x' }, { lineageId: 'x' }], { key: 'lineageId', fields: [] })).toThrow(
      'Two records in the later version have the same "lineageId": x',
    );
  });
});

describe('diffFields: one record in two versions', () => {
  const needFields: DiffField[] = [
    { name: 'level', label: 'Level' },
    { name: 'personWords', label: 'In your words' },
    { name: 'needIds', label: 'Meets needs' },
  ];

  it('shows a need whose level rose from medium to high; an empty note and a missing note are the same', () => {
    expect(
      diffFields({ level: 'medium', personWords: '', needIds: ['n1', 'n2'] }, { level: 'high', personWords: null, needIds: ['n1', 'n2'] }, needFields),
    ).toEqual([
      { label: 'Level', before: 'medium', after: 'high', changed: true },
      { label: 'In your words', before: '', after: '', changed: false },
      { label: 'Meets needs', before: 'n1, n2', after: 'n1, n2', changed: false },
    ]);
  });

  it('treats a record missing on one side as all fields changed', () => {
    expect(diffFields(null, { level: 'low' }, [{ name: 'level', label: 'Level' }])).toEqual([{ label: 'Level', before: null, after: 'low', changed: true }]);
    expect(diffFields(null, null, [{ name: 'level', label: 'Level' }])).toEqual([{ label: 'Level', before: null, after: null, changed: false }]);
  });
});

describe('value comparison and display', () => {
  it('compares as data', () => {
    expect(sameValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameValue({ la: 6000, icb: 4000 }, { icb: 4000, la: 6000 })).toBe(true);
    expect(sameValue({ la: 6000 }, { la: 6000, icb: 4000 })).toBe(false);
    expect(sameValue(new Date('2025-03-01T00:00:00Z'), new Date('2025-03-01T00:00:00Z'))).toBe(true);
    expect(sameValue(1, '1')).toBe(false);
    expect(sameValue(0, null)).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
  });

  it('shows values plainly', () => {
    expect(formatValue(true)).toBe('Yes');
    expect(formatValue(false)).toBe('No');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(undefined)).toBe('');
    expect(formatValue(['Carewell', null, 'Oak Centre'])).toBe('Carewell, Oak Centre');
    expect(formatValue({ la: 60 })).toBe('{"la":60}');
  });
});
