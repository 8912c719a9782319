/**
 * The overdue-decision reminder (issue 16, item 1): every concern still waiting for its Care Act
 * 2014 s42(1) decision after its due date is told to the responsible local authority's team
 * managers and senior practitioners, once per concern and recipient (the dedupe key), so the
 * hourly run queues it once. The job spans partnerships: it opens one door per partnership as
 * that partnership's system actor (decision 0006), so row-level security confines what it reads.
 * The message names the person and the due date only, never a detail of the concern.
 */
import { rolesGranted } from '../../platform/access/policy.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { openDoor } from '../../platform/data/door.ts';
import type { Db } from '../../platform/db/database.ts';
import { tellEach, usersWithRoles } from '../../platform/notifications/recipients.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { jobActor, partnershipsForJobs } from '../../platform/jobs/partnerships.queries.ts';
import { findOrganisationByCode, findOverdueDecisions } from './safeguarding.queries.ts';

export async function queueOverdueDecisionReminders(db: Db, options: { clock?: Clock } = {}): Promise<number> {
  const today = (options.clock ?? systemClock).today();
  let queued = 0;
  for (const { partnershipId, organisationId } of await partnershipsForJobs(db)) {
    const door = openDoor(db, jobActor(partnershipId, organisationId, 'safeguarding reminders'), `job:safeguarding-overdue:${today}`);
    queued += await door.transaction(async (tx) => {
      let n = 0;
      for (const r of await findOverdueDecisions(tx, partnershipId, today)) {
        if (!r.responsibleLocalAuthority) continue;
        const orgId = await findOrganisationByCode(tx, partnershipId, r.responsibleLocalAuthority);
        if (!orgId) continue;
        const deciders = await usersWithRoles(tx, partnershipId, [orgId], rolesGranted('safeguarding:decide'));
        n += await tellEach(tx, deciders, null, {
          partnershipId,
          dedupeKey: `safeguarding-decision-overdue:${r.concern.id}`,
          kind: 'safeguarding-decision-overdue',
          personId: r.concern.personId,
          subject: `Safeguarding decision overdue: ${r.givenName} ${r.familyName}`,
          body: `The decision whether the Care Act 2014 section 42(1) criteria are met on a safeguarding concern about ${r.givenName} ${r.familyName} was due on ${govukDate(r.concern.decisionDueOn)}. It is in your queue: Waiting for you.`,
          link: `/people/${r.concern.personId}/safeguarding/concerns/${r.concern.id}`,
        });
      }
      return n;
    });
  }
  return queued;
}
