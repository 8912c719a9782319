import type { Actor } from '../access/actor.ts';

export interface NavItem {
  href: string;
  text: string;
  active?: boolean;
}

/**
 * A module's link in the service navigation: each module declares its own (its `navigation.ts`)
 * and src/app.ts registers them at start-up, so the platform's layout names no module.
 */
export interface NavigationLink {
  readonly href: string;
  readonly text: string;
  /** Position in the bar, lowest first. */
  readonly order: number;
  /** Whether this user sees the link (what they may do). */
  show(actor: Actor): boolean;
}

const links = new Map<string, NavigationLink>();

/** Adds links to the navigation; a link registered again (same href) replaces the old one. */
export function registerNavigation(...entries: ReadonlyArray<NavigationLink>): void {
  for (const entry of entries) links.set(entry.href, entry);
}

/** The service navigation a user sees depends on what they may do. */
export function navigationFor(actor: Actor, currentPath: string): NavItem[] {
  return [...links.values()]
    .sort((a, b) => a.order - b.order)
    .filter((link) => link.show(actor))
    .map(({ href, text }) => ({
      href,
      text,
      active: href === '/' ? currentPath === '/' : currentPath === href || currentPath.startsWith(`${href}/`),
    }));
}
