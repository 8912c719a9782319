import { can } from '../../platform/access/policy.ts';
import type { NavigationLink } from '../../platform/views/navigation.ts';

export const annualAuditNavigation: NavigationLink[] = [{ href: '/audits', text: 'Annual audit', order: 70, show: (actor) => can(actor, 'person:read') && can(actor, 'case-audit:manage') }];
