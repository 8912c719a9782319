import type { ServiceContext } from '../http/context.ts';

/**
 * Sections that other modules add to the person page (src/modules/register/views/person.njk)
 * without the register importing them: the register is the hub other modules depend on, so the
 * dependency is inverted. Each module registers its section at start-up (src/app.ts); the person
 * page asks for the sections of the person shown and includes each one's template with its data
 * as `section.data`. A section with nothing to show returns null and is left out.
 */
export interface PersonSection {
  /** Unique name; registering the same name again replaces the section (apps built in tests). */
  readonly name: string;
  /** The Nunjucks template included in the page's main column. */
  readonly template: string;
  load(ctx: ServiceContext, person: { readonly id: string; readonly partnershipId: string }, today: string): Promise<Record<string, unknown> | null>;
}

const sections = new Map<string, PersonSection>();

export function registerPersonSection(section: PersonSection): void {
  sections.set(section.name, section);
}

/** The registered sections for one person (already read-checked by the caller), in registration order. */
export async function loadPersonSections(ctx: ServiceContext, person: { readonly id: string; readonly partnershipId: string }, today: string): Promise<Array<{ name: string; template: string; data: Record<string, unknown> }>> {
  const loaded = await Promise.all([...sections.values()].map(async (s) => ({ name: s.name, template: s.template, data: await s.load(ctx, person, today) })));
  return loaded.filter((s): s is { name: string; template: string; data: Record<string, unknown> } => s.data !== null);
}
