import type { NavigationLink } from '../../platform/views/navigation.ts';

/** "Waiting for you": every signed-in person's queue (issue 13). */
export const workNavigation: NavigationLink[] = [{ href: '/waiting', text: 'Waiting for you', order: 5, show: (actor) => actor.kind === 'user' }];
