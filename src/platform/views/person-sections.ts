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
 * together in one statement (platform/db/together.ts, decision 0017), inside the page's unit of
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
  /** The section's selects on the door's handle `q` (not awaited), or null when it needs none for this actor. */
  reads(q: DbOrTx, ctx: ServiceContext, person: SectionPerson, today: string): R | null;
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

/** The registered sections for one person (already read-checked by the caller), in registration order. */
export async function loadPersonSections(ctx: ServiceContext, person: SectionPerson, today: string): Promise<Array<{ name: string; template: string; data: Record<string, unknown> }>> {
  const all = [...sections.values()];
  const reading = all.filter((s): s is ReadingPersonSection<Reads> => 'reads' in s);
  const loading = all.filter((s): s is LoadingPersonSection => 'load' in s);
  // One statement for every reading section's selects, keyed "section/read" (through the door: the page's unit of work).
  const shown = new Map<PersonSection, SectionData>();
  const together = async () => {
    if (reading.length === 0) return;
    await ctx.data.read(async (q) => {
      const wanted = reading.map((s) => ({ s, reads: s.reads(q, ctx, person, today) }));
      const combined: Reads = {};
      for (const { s, reads } of wanted) for (const [key, select] of Object.entries(reads ?? {})) combined[`${s.name}/${key}`] = select;
      const rows = await selectTogether(q, combined);
      for (const { s, reads } of wanted) {
        if (reads === null) {
          shown.set(s, null);
          continue;
        }
        const own = Object.fromEntries(Object.keys(reads).map((key) => [key, rows[`${s.name}/${key}`]]));
        shown.set(s, s.show(own as RowsOf<Reads>, ctx, person, today));
      }
    });
  };
  // One after another: the page's unit of work has one connection, which runs one statement at a time.
  await together();
  for (const s of loading) shown.set(s, await s.load(ctx, person, today));
  return all.flatMap((s) => {
    const data = shown.get(s) ?? null;
    return data === null ? [] : [{ name: s.name, template: s.template, data }];
  });
}
