import { can } from '../../platform/access/policy.ts';
import type { NavigationLink } from '../../platform/views/navigation.ts';

export const disputesNavigation: NavigationLink[] = [{ href: '/disputes', text: 'Disputes', order: 30, show: (actor) => can(actor, 'person:read') }];
