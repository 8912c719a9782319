import { can } from '../../platform/access/policy.ts';
import type { NavigationLink } from '../../platform/views/navigation.ts';

export const dashboardsNavigation: NavigationLink[] = [{ href: '/dashboards', text: 'Dashboards', order: 40, show: (actor) => can(actor, 'person:read') && can(actor, 'assurance:read') }];
