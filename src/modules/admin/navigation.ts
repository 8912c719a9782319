import { can } from '../../platform/access/policy.ts';
import type { NavigationLink } from '../../platform/views/navigation.ts';

export const adminNavigation: NavigationLink[] = [
  {
    href: '/admin',
    text: 'Administration',
    order: 90,
    show: (actor) =>
      can(actor, 'users:manage', { partnershipId: actor.partnershipId, organisationId: actor.activeOrganisationId }) ||
      can(actor, 'audit:read', { partnershipId: actor.partnershipId, organisationId: actor.activeOrganisationId }),
  },
];
