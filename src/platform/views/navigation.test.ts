import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../access/actor.ts';
import { adminNavigation } from '../../modules/admin/navigation.ts';
import { annualAuditNavigation } from '../../modules/annual-audit/navigation.ts';
import { dashboardsNavigation } from '../../modules/dashboards/navigation.ts';
import { disputesNavigation } from '../../modules/disputes/navigation.ts';
import { homeNavigation } from '../../modules/home/navigation.ts';
import { panelsNavigation } from '../../modules/panels/navigation.ts';
import { qualityNavigation } from '../../modules/quality/navigation.ts';
import { registerListNavigation } from '../../modules/register/navigation.ts';
import { reviewsNavigation } from '../../modules/reviews/navigation.ts';
import { rulesNavigation } from '../../modules/rules/navigation.ts';
import { navigationFor, registerNavigation } from './navigation.ts';

const user = (roles: Role[]): Actor => ({
  kind: 'user',
  userId: 'u1',
  tokenId: null,
  displayName: 'Test',
  partnershipId: 'p1',
  activeOrganisationId: 'la',
  memberships: [{ organisationId: 'la', organisationCode: 'LA', organisationName: 'Council', organisationType: 'local-authority', isLead: true, roles }],
});

describe('the service navigation, from the links each module registers', () => {
  // Registered in a different order from the bar's: the bar follows each link's `order`.
  registerNavigation(...adminNavigation, ...rulesNavigation, ...annualAuditNavigation, ...qualityNavigation, ...panelsNavigation, ...dashboardsNavigation, ...disputesNavigation, ...registerListNavigation, ...reviewsNavigation, ...homeNavigation);

  it('shows a practitioner their links in the bar’s order, marking the current section', () => {
    const items = navigationFor(user(['practitioner']), '/register/export');
    expect(items.map((i) => i.text)).toEqual(['Home', 'My work', 'Register', 'Hospital pipeline', 'Lost to follow-up', 'Disputes', 'Panels', 'Rules']);
    expect(items.filter((i) => i.active).map((i) => i.href)).toEqual(['/register']);
  });

  it('shows an administrator without casework only Home, Rules and Administration', () => {
    expect(navigationFor(user(['administrator']), '/').map((i) => [i.text, i.active])).toEqual([
      ['Home', true],
      ['Rules', false],
      ['Administration', false],
    ]);
  });
});
