import type { ServiceContext } from '../../platform/http/context.ts';
import { waitingForYou, waitingKindLabels, waitingKinds, type WaitingForYou } from './work.service.ts';

/** What Home and My work show of the queue: everything, soonest due first, and a link per kind. */
export async function waitingSummary(ctx: ServiceContext): Promise<{ waiting: WaitingForYou; waitingKindLinks: Array<{ text: string; count: number; href: string }> }> {
  const waiting = await waitingForYou(ctx, { kind: 'all', sort: 'due', order: 'asc', snoozed: false });
  return {
    waiting,
    waitingKindLinks: waitingKinds.filter((k) => waiting.counts[k] > 0).map((k) => ({ text: waitingKindLabels[k], count: waiting.counts[k], href: `/waiting?kind=${k}` })),
  };
}
