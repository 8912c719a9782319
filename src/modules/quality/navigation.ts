import { can } from '../../platform/access/policy.ts';
import type { NavigationLink } from '../../platform/views/navigation.ts';

/** Quality and audit staff and team managers (person:audit); the page lists people, so it needs person:read too. */
export const qualityNavigation: NavigationLink[] = [
  { href: '/data-quality', text: 'Data quality', order: 60, show: (actor) => can(actor, 'person:read') && (can(actor, 'person:audit') || can(actor, 'audit:read')) },
];
