import { can } from '../../platform/access/policy.ts';
import type { NavigationLink } from '../../platform/views/navigation.ts';

export const reviewsNavigation: NavigationLink[] = [{ href: '/my-work', text: 'My work', order: 10, show: (actor) => can(actor, 'person:write') }];
