/**
 * A person's chronology (issue 15, item 2; docs/chronology.md). Everything that happened on the
 * record, merged from every source in date order, filtered and searched in the database, one page
 * at a time. Who may read it: anyone who may read the person's record (person:read), as the
 * access policy says (another organisation without a relationship is refused); case notes by the
 * notes module's own rule, so a restricted note never reaches a role the partnership did not
 * choose (page, print, PDF, XLSX or API). Every read and download is audited as a view of the record.
 */
import { z } from 'zod';
import { CHRONOLOGY_DOWNLOAD_LIMIT, CHRONOLOGY_PAGE_SIZE, chronologyKindLabel, chronologyKinds, decodeCursor, describeFilter, encodeCursor, type ChronologyFilter, type ChronologyKind } from '../../domain/chronology.ts';
import { noteDateTime } from '../../domain/case-notes.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { noteVisibility } from '../notes/index.ts';
import { safeguardingVisibility } from '../safeguarding/index.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import { findChronology, type ChronologyRow } from './chronology.queries.ts';

/** The filters as they come from a query string or the API (every value a string or a list of them). */
export interface RawChronologyQuery {
  kind?: string | string[];
  significant?: string;
  q?: string;
  cursor?: string;
}

const filterSchema = z.object({
  kind: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : [v].flat().filter((k) => k !== '')))
    .pipe(z.array(z.enum(chronologyKinds, { error: `Each type must be one of ${chronologyKinds.join(', ')}` })).max(chronologyKinds.length)),
  significant: z
    .enum(['yes', 'true', 'no', 'false', ''], { error: 'Significant only must be yes or no' })
    .optional()
    .transform((v) => v === 'yes' || v === 'true'),
  q: z
    .string({ error: 'The search must be text' })
    .optional()
    .transform((v) => (v ?? '').trim())
    .pipe(z.string().max(200, 'The search must be 200 characters or fewer')),
  cursor: z.string().optional(),
});

export interface ParsedChronologyQuery {
  filter: ChronologyFilter;
  cursor: string | null;
}

/** The filters checked: an unknown type or an over-long search is an InputError naming it; a broken cursor starts at the newest. */
export function parseChronologyQuery(raw: RawChronologyQuery): ParsedChronologyQuery {
  const v = parseInput(filterSchema, raw);
  const kinds = chronologyKinds.filter((k) => v.kind.includes(k));
  return { filter: { kinds, significantOnly: v.significant, search: v.q }, cursor: v.cursor && decodeCursor(v.cursor) ? v.cursor : null };
}

export interface ChronologyEntry {
  /** ISO 8601 instant (for the API and the XLSX). */
  at: string;
  /** "4 December 2026" in England. */
  date: string;
  /** "4 December 2026, 2:30pm" when the entry has a time of day; the date otherwise. */
  when: string;
  /** "2:30pm" or '' for an entry with a date only. */
  time: string;
  timed: boolean;
  kind: ChronologyKind;
  kindLabel: string;
  id: string;
  title: string;
  summary: string;
  significant: boolean;
  href: string;
}

function entryOf(row: ChronologyRow): ChronologyEntry {
  const instant = new Date(row.at);
  const when = row.timed ? noteDateTime(instant) : govukDate(instant);
  return {
    at: instant.toISOString(),
    date: govukDate(instant),
    when,
    time: row.timed ? when.slice(when.indexOf(', ') + 2) : '',
    timed: row.timed,
    kind: row.kind,
    kindLabel: chronologyKindLabel[row.kind],
    id: row.id,
    title: row.title,
    summary: row.summary,
    significant: row.significant,
    href: row.href,
  };
}

async function read(ctx: ServiceContext, personId: string, filter: ChronologyFilter, cursor: string | null, limit: number, detail: Record<string, unknown>) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const notes = await noteVisibility(tx, ctx, person);
    const safeguarding = await safeguardingVisibility(tx, ctx, person);
    const rows = await findChronology(tx, { partnershipId: ctx.actor.partnershipId, personId, notes, safeguarding }, { ...filter, after: cursor ? decodeCursor(cursor) : null, limit: limit + 1 });
    const more = rows.length > limit;
    const shown = rows.slice(0, limit);
    await audit.viewPerson(personId, { ...detail, filter: describeFilter(filter), entries: shown.length });
    const last = shown.at(-1);
    return { person, entries: shown.map(entryOf), more, next: more && last ? encodeCursor({ at: last.at, kind: last.kind, id: last.id }) : null };
  });
}

export interface ChronologyPage {
  person: PersonRow;
  entries: ChronologyEntry[];
  /** The cursor of the next (older) page, or null on the last page. */
  next: string | null;
  filter: ChronologyFilter;
  filterText: string;
  /** Whether this is a later page (a cursor was given). */
  later: boolean;
}

/** One page of the chronology (newest first), audited as a view of the person's record. */
export async function chronologyPage(ctx: ServiceContext, personId: string, raw: RawChronologyQuery, page: 'chronology' | 'api' = 'chronology'): Promise<ChronologyPage> {
  const { filter, cursor } = parseChronologyQuery(raw);
  const result = await read(ctx, personId, filter, cursor, CHRONOLOGY_PAGE_SIZE, { page, later: cursor !== null });
  return { person: result.person, entries: result.entries, next: result.next, filter, filterText: describeFilter(filter), later: cursor !== null };
}

export interface ChronologyDocument {
  person: PersonRow;
  entries: ChronologyEntry[];
  /** More entries matched than a download holds (CHRONOLOGY_DOWNLOAD_LIMIT): the newest are given. */
  truncated: boolean;
  filter: ChronologyFilter;
  filterText: string;
  producedAt: Date;
  producedOn: string;
  producedBy: string;
}

/** Every entry the filters choose (up to the download limit) for the print view, the PDF and the XLSX; audited with the format. */
export async function chronologyForDownload(ctx: ServiceContext, personId: string, raw: RawChronologyQuery, format: 'print' | 'pdf' | 'xlsx'): Promise<ChronologyDocument> {
  const { filter } = parseChronologyQuery(raw);
  const result = await read(ctx, personId, filter, null, CHRONOLOGY_DOWNLOAD_LIMIT, { page: 'chronology', download: format });
  const producedAt = ctx.clock.now();
  const organisation = ctx.actor.memberships.find((m) => m.organisationId === ctx.actor.activeOrganisationId)?.organisationName;
  return {
    person: result.person,
    entries: result.entries,
    truncated: result.more,
    filter,
    filterText: describeFilter(filter),
    producedAt,
    producedOn: noteDateTime(producedAt),
    producedBy: organisation ? `${ctx.actor.displayName}, ${organisation}` : ctx.actor.displayName,
  };
}
