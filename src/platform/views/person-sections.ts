import type { SQLWrapper } from 'drizzle-orm';
import type { PersonRelationships } from '../access/policy.ts';
import type { DbOrTx } from '../db/database.ts';
import { selectTogether } from '../db/together.ts';
import type { ServiceContext } from '../http/context.ts';

/**
 * Sections that other modules add to the person page (src/modules/register/views/person.njk)
 * without the register importing them: the register is the hub other modules depend on, so the
 * dependency is inverted. Each module registers its section at start-up (src/app.ts); the person
 * page asks for the sections of the person shown and includes each one's template with its data
 * as `section.data`. A section with nothing to show returns null and is left out.
 *
 * A section either names its reads (`reads`, Drizzle selects built on the door's handle, not
 * awaited) and builds its data from their rows (`show`): the reads of every such section run
 * together in one statement (platform/db/together.ts, decision 0019), inside the page's unit of
 * work; or it loads its data itself (`load`), for a section whose reading depends on an earlier
 * read.
 */

/** The person shown, already read-checked by the caller (the page's record row). */
export type SectionPerson = PersonRelationships & { readonly id: string };

type Select = SQLWrapper & PromiseLike<unknown[]>;
type Reads = Record<string, Select>;
type RowsOf<R extends Reads> = { [K in keyof R]: R[K] extends PromiseLike<infer T> ? T : never };
type SectionData = Record<string, unknown> | null;

interface SectionBase {
  /** Unique name; registering the same name again replaces the section (apps built in tests). */
  readonly name: string;
  /** The Nunjucks template included in the page's main column. */
  readonly template: string;
}

export interface LoadingPersonSection extends SectionBase {
  load(ctx: ServiceContext, person: SectionPerson, today: string): Promise<SectionData>;
}

export interface ReadingPersonSection<R extends Reads> extends SectionBase {
  /** The section's selects on the door's handle `q` (not awaited), or null when it needs none for this actor; made before the person's row is read (in the same statement). */
  reads(q: DbOrTx, ctx: ServiceContext, person: { readonly id: string }, today: string): R | null;
  /** The section's data from its reads' rows (each key as awaiting its select would give). */
  show(rows: RowsOf<R>, ctx: ServiceContext, person: SectionPerson, today: string): SectionData;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each section has its own reads; the registry holds them all
export type PersonSection = LoadingPersonSection | ReadingPersonSection<any>;

/** A section whose reads run with the others' (typed: `show` receives its reads' rows). */
export function readingSection<R extends Reads>(section: ReadingPersonSection<R>): PersonSection {
  return section;
}

const sections = new Map<string, PersonSection>();

export function registerPersonSection(section: PersonSection): void {
  sections.set(section.name, section);
}

type Shown = Array<{ name: string; template: string; data: Record<string, unknown> }>;

/**
 * The reading sections' selects for one person, keyed "section/read", to run in one statement:
 * with the page's own reads (the person page, through `getPersonRecord`'s `alsoRead`) or alone.
 */
export function personSectionReads(q: DbOrTx, ctx: ServiceContext, person: { readonly id: string }, today: string): Reads {
  const combined: Reads = {};
  for (const s of sections.values()) {
    if (!('reads' in s)) continue;
    for (const [key, select] of Object.entries((s.reads(q, ctx, person, today) ?? {}) as Reads)) combined[`${s.name}/${key}`] = select;
  }
  return combined;
}

/** The sections to show, in registration order, from the rows of `personSectionReads` (the person already read-checked). */
export async function showPersonSections(ctx: ServiceContext, person: SectionPerson, today: string, rows: Record<string, unknown[]>): Promise<Shown> {
  const shown: Shown = [];
  for (const s of sections.values()) {
    let data: SectionData;
    if ('reads' in s) {
      const prefix = `${s.name}/`;
      const keys = Object.keys(rows).filter((k) => k.startsWith(prefix));
      // A section that named no reads for this actor shows nothing.
      data = keys.length === 0 ? null : s.show(Object.fromEntries(keys.map((k) => [k.slice(prefix.length), rows[k]])) as RowsOf<Reads>, ctx, person, today);
    } else data = await s.load(ctx, person, today);
    if (data !== null) shown.push({ name: s.name, template: s.template, data });
  }
  return shown;
}

/** The registered sections for one person (already read-checked by the caller), their reads in one statement of their own. */
export async function loadPersonSections(ctx: ServiceContext, person: SectionPerson, today: string): Promise<Shown> {
  const hasReads = [...sections.values()].some((s) => 'reads' in s);
  const rows = hasReads ? await ctx.data.read((q) => selectTogether(q, personSectionReads(q, ctx, person, today))) : {};
  return showPersonSections(ctx, person, today, rows);
}
