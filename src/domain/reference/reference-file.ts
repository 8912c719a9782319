/**
 * The shape of the shipped reference files (src/domain/reference/data/*.json) and the rebuilding
 * of one from an official download (`npx aftercare reference refresh`, issue #14 item 1). Pure:
 * the command reads and writes the files; this only turns rows into bodies.
 */

export const referenceKinds = ['local-authorities', 'icbs', 'trusts'] as const;
export type ReferenceKind = (typeof referenceKinds)[number];

export interface ReferenceEntry {
  readonly code: string;
  readonly name: string;
  /** The ODS code of an ICB or health board. */
  readonly odsCode?: string;
}

export interface ReferenceFile {
  readonly kind: ReferenceKind;
  /** Where the list came from, in words a reader can follow to the official download. */
  readonly source: string;
  readonly licence: string;
  /** When the list was compiled or last refreshed, as an ISO date. */
  readonly compiled: string;
  readonly bodies: readonly ReferenceEntry[];
}

/** Councils with social services duties: unitary (E06), metropolitan (E08), London (E09), county (E10), Welsh (W06). */
export const SOCIAL_SERVICES_AUTHORITY = /^(E06|E08|E09|E10|W06)\d{6}$/;
const ICB_OR_HEALTH_BOARD = /^(E54|W11)\d{6}$/;
const ODS_ORGANISATION = /^[A-Z0-9]{3,5}$/;

export class ReferenceFileError extends Error {}

const SMALL_WORDS = new Set(['and', 'of', 'the', 'upon', 'on', 'in', 'for', 'under', 'with', 'at']);
const KEEP_UPPER = new Set(['NHS', 'UK', 'II']);

/** "ST GEORGE'S UNIVERSITY HOSPITALS NHS FOUNDATION TRUST" → "St George's University Hospitals NHS Foundation Trust". */
export function odsNameToTitle(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((word, index) =>
      word
        .split('-')
        .map((part, partIndex) => {
          if (KEEP_UPPER.has(part.toUpperCase())) return part.toUpperCase();
          const lower = part.toLowerCase();
          if ((index > 0 || partIndex > 0) && SMALL_WORDS.has(lower)) return lower;
          return lower.charAt(0).toUpperCase() + lower.slice(1);
        })
        .join('-'),
    )
    .join(' ');
}

function prefixOf(code: string): string {
  return code.slice(0, 3);
}

function columnPair(header: readonly string[], pattern: RegExp): { code: number; name: number; ods: number } | null {
  for (let i = 0; i < header.length; i++) {
    const match = pattern.exec(header[i]!.trim());
    if (!match) continue;
    const stem = match[1]!;
    const name = header.findIndex((h) => h.trim().toUpperCase() === `${stem}NM`.toUpperCase());
    if (name < 0) continue;
    const ods = header.findIndex((h) => h.trim().toUpperCase() === `${stem}CDH`.toUpperCase());
    return { code: i, name, ods };
  }
  return null;
}

export interface RefreshResult {
  file: ReferenceFile;
  added: ReferenceEntry[];
  removed: ReferenceEntry[];
  /** Rows of the download that the list does not take (shire districts, closed trusts, …). */
  skipped: number;
}

function compareCodes(a: ReferenceEntry, b: ReferenceEntry): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/**
 * Rebuild a reference list from the rows of an official CSV (first row the header for ONS files;
 * ODS files have none). Bodies of the code families the file covers are replaced by the file's;
 * families it does not cover are kept (a districts file leaves the county councils alone).
 * A body already on the list keeps its name (the list names councils, ONS names places).
 */
export function refreshReferenceFile(kind: ReferenceKind, rows: readonly (readonly string[])[], current: ReferenceFile, options: { compiled: string; source: string }): RefreshResult {
  const incoming = new Map<string, ReferenceEntry>();
  let skipped = 0;
  const existing = new Map(current.bodies.map((b) => [b.code, b]));

  if (kind === 'trusts') {
    // ODS etr.csv: no header; 1 Organisation code, 2 Name, …, 12 Close date (empty while open).
    const body = rows.length > 0 && /organisation code|^code$/i.test(rows[0]![0] ?? '') ? rows.slice(1) : rows;
    for (const row of body) {
      const code = (row[0] ?? '').trim().toUpperCase();
      const name = (row[1] ?? '').trim();
      const closed = (row[11] ?? '').trim() !== '';
      if (!ODS_ORGANISATION.test(code) || !name || closed) {
        skipped++;
        continue;
      }
      incoming.set(code, { code, name: odsNameToTitle(name) });
    }
    if (incoming.size === 0) throw new ReferenceFileError('No open trusts found: expected the ODS etr.csv layout (no header; column 1 the organisation code, column 2 the name, column 12 the close date).');
  } else {
    const header = rows[0] ?? [];
    const pattern = kind === 'local-authorities' ? /^((?:LAD|UTLA|CTYUA|CTY|UA)\d{2})CD$/i : /^((?:ICB|LHB)\d{2})CD$/i;
    const columns = columnPair(header, pattern);
    if (!columns) {
      const expected = kind === 'local-authorities' ? 'LADyyCD and LADyyNM, UTLAyyCD and UTLAyyNM, or CTYyyCD and CTYyyNM' : 'ICByyCD, ICByyCDH and ICByyNM, or LHByyCD and LHByyNM';
      throw new ReferenceFileError(`The file's first row must name the ONS columns ${expected}; it has: ${header.join(', ')}`);
    }
    const keep = kind === 'local-authorities' ? SOCIAL_SERVICES_AUTHORITY : ICB_OR_HEALTH_BOARD;
    for (const row of rows.slice(1)) {
      const code = (row[columns.code] ?? '').trim().toUpperCase();
      const name = (row[columns.name] ?? '').trim();
      if (!keep.test(code) || !name) {
        skipped++;
        continue;
      }
      const before = existing.get(code);
      const ods = columns.ods >= 0 ? (row[columns.ods] ?? '').trim().toUpperCase() : '';
      const odsCode = ods || before?.odsCode;
      incoming.set(code, { code, name: before?.name ?? name, ...(kind === 'icbs' && odsCode ? { odsCode } : {}) });
    }
    if (incoming.size === 0) throw new ReferenceFileError('The file holds no codes this list takes.');
  }

  const families = new Set([...incoming.keys()].map(prefixOf));
  const replaced = (b: ReferenceEntry) => (kind === 'trusts' ? true : families.has(prefixOf(b.code)));
  const kept = current.bodies.filter((b) => !replaced(b));
  const bodies = [...kept, ...incoming.values()].sort(compareCodes);
  const added = [...incoming.values()].filter((b) => !existing.has(b.code)).sort(compareCodes);
  const removed = current.bodies.filter((b) => replaced(b) && !incoming.has(b.code));
  return { file: { ...current, kind, source: options.source, compiled: options.compiled, bodies }, added, removed, skipped };
}

/** The file as it is checked in: one body a line, so a refresh reads as a short diff. */
export function formatReferenceFile(file: ReferenceFile): string {
  const head = JSON.stringify({ kind: file.kind, source: file.source, licence: file.licence, compiled: file.compiled }, null, 2).replace(/\n}$/, '');
  const lines = file.bodies.map((b) => `    ${JSON.stringify(b)}`);
  return `${head},\n  "bodies": [\n${lines.join(',\n')}\n  ]\n}\n`;
}
