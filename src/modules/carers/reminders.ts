/**
 * The carers' reminder (issue 16, item 5): run hourly by the housekeeping (src/server.ts). Every
 * carer's assessment offered and still unanswered after the days the rules allow, and every
 * carer's support plan at its review date, is told to the person it waits on in "Waiting for you"
 * (the cared-for person's lead practitioner, or whoever made the offer), once: keyed by the
 * assessment and what is waiting, inserted ON CONFLICT DO NOTHING, so running the job twice, or on
 * two instances at once, tells them once. The message names the cared-for person and what is due,
 * never the carer: a notification is kept with the person's record (and in their subject access
 * export), and a carer who has not agreed to share information must not be named there.
 *
 * The job spans partnerships: one door per partnership, as that partnership's system actor
 * (decision 0006).
 */
import { systemClock, type Clock } from '../../platform/clock.ts';
import { openDoor } from '../../platform/data/door.ts';
import type { Db } from '../../platform/db/database.ts';
import { jobActor, partnershipsForJobs } from '../../platform/jobs/partnerships.queries.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { carerRemindersIn } from './carers.service.ts';

export async function queueCarerReminders(db: Db, options: { clock?: Clock; channel?: 'email' | 'in-app' } = {}): Promise<number> {
  const today = (options.clock ?? systemClock).today();
  const channel = options.channel ?? 'in-app';
  let queued = 0;
  for (const { partnershipId, organisationId } of await partnershipsForJobs(db)) {
    const door = openDoor(db, jobActor(partnershipId, organisationId, 'carers’ reminders'), `job:queue-carer-reminders:${today}`);
    queued += await door.transaction(async (tx) => {
      let n = 0;
      for (const r of await carerRemindersIn(tx, partnershipId, today)) {
        const added = await queueNotification(
          tx,
          {
            partnershipId,
            dedupeKey: r.key,
            kind: 'carer-assessment-waiting',
            recipientUserId: r.ownerUserId,
            personId: r.personId,
            subject: `Carer’s assessment waiting: ${r.personName}`,
            body: `${r.key.endsWith(':answer') ? `A carer’s assessment offered to a carer of ${r.personName} was due an answer by ${govukDate(r.dueOn!)}: ask the carer for it (Care Act 2014, section 10).` : `The support plan of a carer of ${r.personName} was due for review on ${govukDate(r.dueOn!)} (Care Act 2014, section 27).`} It is in your queue: Waiting for you.`,
            link: r.href,
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
