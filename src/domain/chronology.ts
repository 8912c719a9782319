/**
 * A person's chronology (issue 15, item 2; docs/chronology.md): the kinds of entry it merges, how
 * a page is addressed (a keyset cursor) and how a search is matched. Pure: no I/O.
 *
 * The kinds are those the issue names ("legal events, episodes, plans and their versions,
 * reviews, meetings, notes, documents, tasks, information given, endings, panels and disputes"),
 * with documents uploaded to the record (item 3), risk assessments and escalations (item 4),
 * capacity assessments, best-interests decisions and IMCA instructions (issue 16, items 2 and 3),
 * deprivation of liberty considerations, authorisations, orders and s21A challenges (issue 16, item 4), and
 * safeguarding concerns and enquiries (issue 16, item 1),
 * the chronology practitioners prepare for tribunals, safeguarding and court. Source: issue 15, item 2.
 */

/** Every kind of entry, in the order the filter lists them. Adding a source adds its kind here. */
export const chronologyKinds = [
  'legal-event',
  'episode',
  'plan',
  'review',
  'meeting',
  'case-note',
  'document',
  'uploaded-document',
  'risk',
  'capacity',
  'liberty',
  'safeguarding',
  'carers',
  'task',
  'information-given',
  'ending',
  'panel',
  'dispute',
] as const;

export type ChronologyKind = (typeof chronologyKinds)[number];

export const chronologyKindLabels: Record<ChronologyKind, string> = {
  'legal-event': 'Legal history',
  episode: 'Entitlement episodes',
  plan: 'Aftercare plans',
  review: 'Reviews',
  meeting: 'Meetings',
  'case-note': 'Case notes',
  document: 'Documents produced',
  'uploaded-document': 'Documents uploaded',
  risk: 'Risk and escalation',
  capacity: 'Mental capacity and best interests',
  liberty: 'Deprivation of liberty',
  safeguarding: 'Safeguarding',
  carers: 'Carers and advocacy',
  task: 'Tasks',
  'information-given': 'Information given',
  ending: 'Endings',
  panel: 'Funding panel',
  dispute: 'Disputes',
};

/** The label of one entry's kind, in the singular, for the "Type" column. */
export const chronologyKindLabel: Record<ChronologyKind, string> = {
  'legal-event': 'Legal history',
  episode: 'Entitlement',
  plan: 'Aftercare plan',
  review: 'Review',
  meeting: 'Meeting',
  'case-note': 'Case note',
  document: 'Document',
  'uploaded-document': 'Document uploaded',
  risk: 'Risk',
  capacity: 'Mental capacity',
  liberty: 'Deprivation of liberty',
  safeguarding: 'Safeguarding',
  carers: 'Carer or advocate',
  task: 'Task',
  'information-given': 'Information given',
  ending: 'Ending',
  panel: 'Funding panel',
  dispute: 'Dispute',
};

export const isChronologyKind = (value: string): value is ChronologyKind => (chronologyKinds as readonly string[]).includes(value);

/** Entries on one page of the chronology. */
export const CHRONOLOGY_PAGE_SIZE = 50;
/** Entries a print, PDF or XLSX holds at most (a larger history is narrowed with the filters). */
export const CHRONOLOGY_DOWNLOAD_LIMIT = 10_000;

/**
 * Where the next page starts: the last entry shown, in the order (occurred at, newest first; kind;
 * id). A keyset rather than an offset, so the thousandth page costs what the first does.
 */
export interface ChronologyCursor {
  at: string;
  kind: string;
  id: string;
}

/** The cursor as one URL-safe word. */
export function encodeCursor(cursor: ChronologyCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.kind, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor back, or null if the word is not one this service made (a mistyped link starts at the newest). */
export function decodeCursor(word: string): ChronologyCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(word)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(word, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'string')) return null;
    const [at, kind, id] = value as [string, string, string];
    if (Number.isNaN(Date.parse(at)) || !isChronologyKind(kind) || !/^[0-9a-z:-]{1,80}$/.test(id)) return null;
    return { at, kind, id };
  } catch {
    return null;
  }
}

/**
 * The search as an ILIKE pattern matching the words anywhere: `%` and `_` typed by the user are
 * matched as themselves (escaped with a backslash, PostgreSQL's default LIKE escape), not as wildcards.
 */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface ChronologyFilter {
  /** The kinds chosen; empty means every kind. */
  kinds: readonly ChronologyKind[];
  significantOnly: boolean;
  search: string;
}

/** The filters in plain English, for the page, the print, the PDF and the XLSX ("All entries" when none). */
export function describeFilter(filter: ChronologyFilter): string {
  const parts: string[] = [];
  if (filter.kinds.length > 0 && filter.kinds.length < chronologyKinds.length) parts.push(`only ${filter.kinds.map((k) => chronologyKindLabels[k].toLowerCase()).join(', ')}`);
  if (filter.significantOnly) parts.push('significant entries only');
  if (filter.search) parts.push(`containing “${filter.search}”`);
  if (parts.length === 0) return 'All entries';
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
