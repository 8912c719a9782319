import type { NavigationLink } from '../../platform/views/navigation.ts';

export const rulesNavigation: NavigationLink[] = [{ href: '/rules', text: 'Rules', order: 80, show: () => true }];
