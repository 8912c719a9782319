import type { NavigationLink } from '../../platform/views/navigation.ts';

export const homeNavigation: NavigationLink[] = [{ href: '/', text: 'Home', order: 0, show: () => true }];
