import { can } from '../../platform/access/policy.ts';
import type { NavigationLink } from '../../platform/views/navigation.ts';

export const registerListNavigation: NavigationLink[] = [
  { href: '/register', text: 'Register', order: 20, show: (actor) => can(actor, 'person:read') },
  { href: '/pipeline', text: 'Hospital pipeline', order: 21, show: (actor) => can(actor, 'person:read') },
  { href: '/lost-to-follow-up', text: 'Lost to follow-up', order: 22, show: (actor) => can(actor, 'person:read') },
];
