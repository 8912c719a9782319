/**
 * The renewal and review reminder (issue 16, item 4): run hourly by the housekeeping
 * (src/server.ts). For every standard authorisation whose end, and every Court of Protection order
 * whose review date, falls within the partnership's days (default 28), and every urgent
 * authorisation within 2 days of ending (src/domain/deprivation-of-liberty.ts renewalDue), the
 * practitioner responsible is told once, keyed `liberty-renewal:<authorisation>:<due date>` and
 * inserted ON CONFLICT DO NOTHING, so running the job twice, or on two instances at once, tells
 * them once (a renewed authorisation, with a new end date, tells them again). It also waits in
 * their "Waiting for you" until renewed (read from the records, decision 0009).
 *
 * The job spans partnerships: it reads the list of partnerships and opens one door per
 * partnership as that partnership's system actor (decision 0006).
 */
import { systemClock, type Clock } from '../../platform/clock.ts';
import { openDoor } from '../../platform/data/door.ts';
import type { Db } from '../../platform/db/database.ts';
import { jobActor, partnershipsForJobs } from '../../platform/jobs/partnerships.queries.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { findPossiblyDue } from './liberty.queries.ts';
import { dueRows, dueWhat, dueWindow, renewalDaysIn } from './liberty.service.ts';

export async function queueLibertyReminders(db: Db, options: { clock?: Clock; channel?: 'email' | 'in-app' } = {}): Promise<number> {
  const today = (options.clock ?? systemClock).today();
  const channel = options.channel ?? 'in-app';
  let queued = 0;
  for (const { partnershipId, organisationId } of await partnershipsForJobs(db)) {
    const door = openDoor(db, jobActor(partnershipId, organisationId, 'Deprivation of liberty reminders'), `job:queue-liberty-reminders:${today}`);
    queued += await door.transaction(async (tx) => {
      const days = await renewalDaysIn(tx, partnershipId);
      const w = dueWindow(today, days);
      let n = 0;
      for (const { row: r, due } of dueRows(await findPossiblyDue(tx, partnershipId, w.until, w.urgentUntil, undefined, null), today, days)) {
        const a = r.authorisation;
        if (!a.responsibleUserId) continue;
        const added = await queueNotification(
          tx,
          {
            partnershipId,
            dedupeKey: `liberty-renewal:${a.id}:${due.dueOn}`,
            kind: 'liberty-renewal-due',
            recipientUserId: a.responsibleUserId,
            personId: a.personId,
            subject: `${due.kind === 'review' ? 'Order review' : due.kind === 'urgent' ? 'Urgent authorisation ending' : 'Authorisation renewal'} due for ${r.givenName} ${r.familyName}`,
            body: `${dueWhat(a, due)}. It is in your queue: Waiting for you.`,
            link: `/people/${a.personId}/deprivation-of-liberty/${a.id}`,
          },
          channel,
        );
        if (added) n += 1;
      }
      return n;
    });
  }
  return queued;
}
