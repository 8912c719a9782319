import { can } from '../../platform/access/policy.ts';
import type { NavigationLink } from '../../platform/views/navigation.ts';

export const panelsNavigation: NavigationLink[] = [{ href: '/panels', text: 'Panels', order: 50, show: (actor) => can(actor, 'panel:read') }];
