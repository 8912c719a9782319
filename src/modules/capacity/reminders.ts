/**
 * The IMCA report reminder (issue 16, item 3): run hourly by the housekeeping (src/server.ts). For
 * every IMCA instruction with no report recorded once the partnership's days for a report have
 * passed (src/domain/mental-capacity.ts imcaReportOverdue), the person who instructed the IMCA is
 * told once, keyed `imca-report-overdue:<instruction>` and inserted ON CONFLICT DO NOTHING, so
 * running the job twice, or on two instances at once, tells them once. The instruction also waits
 * in their "Waiting for you" until the report is recorded (read from the records, decision 0009).
 *
 * The job spans partnerships: it reads the list of partnerships and opens one door per
 * partnership as that partnership's system actor (decision 0006).
 */
import { imcaReportDueOn } from '../../domain/mental-capacity.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { openDoor } from '../../platform/data/door.ts';
import type { Db } from '../../platform/db/database.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { jobActor, partnershipsForJobs } from '../../platform/jobs/partnerships.queries.ts';
import { findImcaReportsOverdue } from './capacity.queries.ts';
import { imcaReportDaysIn } from './capacity.service.ts';

export async function queueImcaReportReminders(db: Db, options: { clock?: Clock; channel?: 'email' | 'in-app' } = {}): Promise<number> {
  const today = (options.clock ?? systemClock).today();
  const channel = options.channel ?? 'in-app';
  let queued = 0;
  for (const { partnershipId, organisationId } of await partnershipsForJobs(db)) {
    const door = openDoor(db, jobActor(partnershipId, organisationId, 'IMCA report reminders'), `job:queue-imca-report-reminders:${today}`);
    queued += await door.transaction(async (tx) => {
      const days = await imcaReportDaysIn(tx, partnershipId);
      let n = 0;
      for (const r of await findImcaReportsOverdue(tx, partnershipId, imcaReportDueOn(today, -days), undefined, null)) {
        const i = r.instruction;
        if (!i.instructedBy) continue;
        const added = await queueNotification(
          tx,
          {
            partnershipId,
            dedupeKey: `imca-report-overdue:${i.id}`,
            kind: 'imca-report-overdue',
            recipientUserId: i.instructedBy,
            personId: i.personId,
            subject: `IMCA report overdue for ${r.givenName} ${r.familyName}`,
            body: `You instructed ${i.advocate} (${i.service}) on ${govukDate(i.instructedOn)}. No report has been recorded after ${days} days. The decision-maker must take the IMCA’s report into account (Mental Capacity Act 2005, sections 37(5), 38(5) and 39(6)). It is in your queue: Waiting for you.`,
            link: `/people/${i.personId}/capacity/best-interests/${i.bestInterestsId}#imca-${i.id}`,
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
