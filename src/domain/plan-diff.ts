/**
 * Comparing two versions of a plan side by side: which needs and services were added, removed or
 * changed, field by field. Records are matched by a stable key (for plan items, `lineageId`, which
 * a need or service keeps from one version of the plan to the next).
 *
 * Values are compared as data, not as displayed text: null, undefined and "" are all "empty";
 * arrays and plain objects are compared element by element; dates by their time. Each side is
 * shown through the field's `format` (or a plain default), and as null when the record does not
 * exist in that version.
 */

export interface DiffField {
  readonly name: string;
  readonly label: string;
  /** How to show a value; the default shows text as is, numbers, Yes/No, lists joined by ", ". */
  readonly format?: (value: unknown) => string;
}

export interface FieldComparison {
  readonly label: string;
  /** The value shown for the earlier version, or null when the record is not in it. */
  readonly before: string | null;
  /** The value shown for the later version, or null when the record is not in it. */
  readonly after: string | null;
  readonly changed: boolean;
}

export type RecordChange = 'added' | 'removed' | 'changed' | 'unchanged';

export interface RecordComparison {
  readonly key: string;
  readonly change: RecordChange;
  readonly fields: FieldComparison[];
}

export interface DiffOptions {
  /** The field that identifies a record across versions, for example "lineageId". */
  readonly key: string;
  readonly fields: readonly DiffField[];
}

type AnyRecord = Readonly<Record<string, unknown>>;

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function isPlainObject(value: unknown): value is AnyRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Equal as data (see the module comment). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

/** The default display of a value. */
export function formatValue(value: unknown): string {
  if (isEmpty(value)) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(formatValue).filter((text) => text !== '').join(', ');
  return JSON.stringify(value);
}

function show(field: DiffField, record: AnyRecord | null): string | null {
  if (record === null) return null;
  return (field.format ?? formatValue)(record[field.name]);
}

/**
 * Compare one record's fields across two versions. Either side may be null (the record is not in
 * that version): then every field counts as changed.
 */
export function diffFields(before: AnyRecord | null, after: AnyRecord | null, fields: readonly DiffField[]): FieldComparison[] {
  return fields.map((field) => ({
    label: field.label,
    before: show(field, before),
    after: show(field, after),
    changed: before === null || after === null ? before !== after : !sameValue(before[field.name], after[field.name]),
  }));
}

function keyOf(record: AnyRecord, key: string, version: 'before' | 'after', index: number): string {
  const value = record[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new RangeError(`Record ${index + 1} of the ${version === 'before' ? 'earlier' : 'later'} version has no "${key}" to match it by`);
}

function index(records: readonly AnyRecord[], key: string, version: 'before' | 'after'): Map<string, AnyRecord> {
  const byKey = new Map<string, AnyRecord>();
  records.forEach((record, i) => {
    const k = keyOf(record, key, version, i);
    if (byKey.has(k)) throw new RangeError(`Two records in the ${version === 'before' ? 'earlier' : 'later'} version have the same "${key}": ${k}`);
    byKey.set(k, record);
  });
  return byKey;
}

/**
 * Compare two versions of a list of records, matched by `options.key`. Rows follow the later
 * version's order; a removed record appears just after the record that preceded it in the
 * earlier version (or first, if nothing before it remains).
 */
export function diffRecords(
  before: readonly AnyRecord[],
  after: readonly AnyRecord[],
  options: DiffOptions,
): RecordComparison[] {
  const beforeByKey = index(before, options.key, 'before');
  const afterByKey = index(after, options.key, 'after');

  // Each removed record is anchored to the nearest earlier record that is still there.
  const removedAfter = new Map<string | null, string[]>();
  let anchor: string | null = null;
  for (const k of beforeByKey.keys()) {
    if (afterByKey.has(k)) {
      anchor = k;
    } else {
      removedAfter.set(anchor, [...(removedAfter.get(anchor) ?? []), k]);
    }
  }

  const rows: RecordComparison[] = [];
  const pushRemoved = (at: string | null) => {
    for (const k of removedAfter.get(at) ?? []) {
      rows.push({ key: k, change: 'removed', fields: diffFields(beforeByKey.get(k)!, null, options.fields) });
    }
  };
  pushRemoved(null);
  for (const [k, record] of afterByKey) {
    const previous = beforeByKey.get(k) ?? null;
    const fields = diffFields(previous, record, options.fields);
    const change: RecordChange = previous === null ? 'added' : fields.some((f) => f.changed) ? 'changed' : 'unchanged';
    rows.push({ key: k, change, fields });
    if (previous !== null) pushRemoved(k);
  }
  return rows;
}

/** How many records were added, removed, changed and unchanged. */
export function diffSummary(rows: readonly RecordComparison[]): Readonly<Record<RecordChange, number>> {
  const counts: Record<RecordChange, number> = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const row of rows) counts[row.change] += 1;
  return counts;
}
